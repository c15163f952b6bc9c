/*
 * Raw GETs over libcurl. The body is sent on to the caller only once the
 * status says it is the resource: an error's JSON is collected instead.
 */
#include "fetch.h"

#include "cli.h"
#include "xmalloc.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FETCH_CONNECT_TIMEOUT 10L /* seconds */
#define FETCH_TIMEOUT	      60L
/* The server sends a keepalive every 15 s; four missed is a dead stream. */
#define FETCH_SILENCE_LIMIT 60L
#define FETCH_MAX_ERROR	    (1u << 20)

struct fetch {
	struct cli *cli;
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
};

struct fetch_call {
	CURL *curl;
	fetch_cb cb;
	void *arg;
	bool ok;      /* the status is 2xx: the body is the resource */
	bool checked; /* ok is known */
	bool stopped; /* cb asked to stop */
	char *error;  /* the body of a refusal */
	size_t error_len;
};

static size_t
fetch_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct fetch_call *call = arg;
	size_t n = size * nmemb;
	long status = 0;

	if (!call->checked) {
		curl_easy_getinfo(call->curl, CURLINFO_RESPONSE_CODE, &status);
		call->ok = status >= 200 && status < 300;
		call->checked = true;
	}
	if (call->ok) {
		if (!call->cb(ptr, n, call->arg)) {
			call->stopped = true;
			return 0;
		}
		return n;
	}
	if (call->error_len + n > FETCH_MAX_ERROR)
		return 0;
	call->error = xrealloc(call->error, call->error_len + n + 1);
	memcpy(call->error + call->error_len, ptr, n);
	call->error_len += n;
	call->error[call->error_len] = '\0';
	return n;
}

struct fetch *
fetch_new(struct cli *cli)
{
	struct fetch *f;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "jobfair: cannot initialise libcurl\n");
		return NULL;
	}
	f = xcalloc(1, sizeof *f);
	f->cli = cli;
	if ((f->curl = curl_easy_init()) == NULL) {
		fprintf(stderr, "jobfair: cannot initialise libcurl\n");
		fetch_free(f);
		return NULL;
	}
	return f;
}

void
fetch_free(struct fetch *f)
{
	if (f == NULL)
		return;
	if (f->curl != NULL)
		curl_easy_cleanup(f->curl);
	free(f);
	curl_global_cleanup();
}

int
fetch_get(struct fetch *f, const char *path, bool stream, fetch_cb cb,
	  void *arg, cJSON **error)
{
	struct fetch_call call = {f->curl, cb,	  arg,	false,
				  false,   false, NULL, 0};
	struct curl_slist *headers = NULL;
	char *url, *auth = NULL;
	long status = -1;
	CURLcode rc;

	*error = NULL;
	curl_easy_reset(f->curl);
	xasprintf(&url, "%s%s", f->cli->server, path);
	if (f->cli->token != NULL) {
		xasprintf(&auth, "Authorization: Bearer %s", f->cli->token);
		headers = curl_slist_append(headers, auth);
	}
	curl_easy_setopt(f->curl, CURLOPT_URL, url);
	curl_easy_setopt(f->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(f->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(f->curl, CURLOPT_CONNECTTIMEOUT,
			 FETCH_CONNECT_TIMEOUT);
	if (stream) {
		curl_easy_setopt(f->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(f->curl, CURLOPT_LOW_SPEED_TIME,
				 FETCH_SILENCE_LIMIT);
	} else
		curl_easy_setopt(f->curl, CURLOPT_TIMEOUT, FETCH_TIMEOUT);
	curl_easy_setopt(f->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, fetch_write_cb);
	curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, &call);
	curl_easy_setopt(f->curl, CURLOPT_ERRORBUFFER, f->errbuf);
	f->errbuf[0] = '\0';
	rc = curl_easy_perform(f->curl);
	if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && call.stopped))
		curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
	else
		fprintf(stderr, "jobfair: cannot reach %s: %s\n",
			f->cli->server,
			f->errbuf[0] ? f->errbuf : curl_easy_strerror(rc));
	if (status >= 0 && call.error != NULL)
		*error = cJSON_ParseWithLength(call.error, call.error_len);
	curl_slist_free_all(headers);
	free(call.error);
	free(auth);
	free(url);
	return (int)status;
}
