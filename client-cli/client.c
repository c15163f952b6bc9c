/*
 * libcurl under the client: one easy handle reused for every request of
 * a run, so an import of a hundred rows uses one connection, and the one
 * place that sets it up (fetch.c's raw GETs go through it too).
 */
#include "client.h"

#include "cli.h"
#include "xmalloc.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CLIENT_CONNECT_TIMEOUT 10L /* seconds */
#define CLIENT_TIMEOUT	       60L /* unless the command sets cli->timeout */
/* The server sends a keepalive every 15 s; four missed is a dead stream. */
#define CLIENT_SILENCE_LIMIT 60L
/* More than any answer of this API; a runaway answer stops here. */
#define CLIENT_MAX_REPLY (64u << 20)

struct client {
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
};

struct client_buf {
	char *data;
	size_t len;
};

static size_t
client_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct client_buf *b = arg;
	size_t n = size * nmemb;

	if (b->len + n > CLIENT_MAX_REPLY)
		return 0;
	b->data = xrealloc(b->data, b->len + n + 1);
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

static struct client *
client_get(struct cli *cli)
{
	if (cli->client == NULL) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			return NULL;
		cli->client = xcalloc(1, sizeof *cli->client);
		cli->client->curl = curl_easy_init();
		if (cli->client->curl == NULL) {
			client_free(cli->client);
			cli->client = NULL;
		}
	}
	return cli->client;
}

int
client_transfer(struct cli *cli, const char *method, const char *path,
		const char *body, struct client_transfer *t)
{
	struct client *c = client_get(cli);
	struct curl_slist *headers = NULL;
	char *url, *auth = NULL;
	long status = -1;
	CURLcode rc;

	if (c == NULL) {
		fprintf(stderr, "jobfair: cannot initialise libcurl\n");
		return -1;
	}
	/* Reset keeps the open connection; every option is set anew. */
	curl_easy_reset(c->curl);
	xasprintf(&url, "%s%s", cli->server, path);
	if (t->json) {
		headers =
		    curl_slist_append(headers, "Accept: application/json");
		headers = curl_slist_append(headers, "Expect:");
	}
	if (cli->token != NULL) {
		xasprintf(&auth, "Authorization: Bearer %s", cli->token);
		headers = curl_slist_append(headers, auth);
	}
	if (body != NULL) {
		headers = curl_slist_append(
		    headers, "Content-Type: application/json; charset=utf-8");
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE,
				 (long)strlen(body));
	} else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT,
			 CLIENT_CONNECT_TIMEOUT);
	if (t->stream) {
		curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME,
				 CLIENT_SILENCE_LIMIT);
	} else
		curl_easy_setopt(c->curl, CURLOPT_TIMEOUT,
				 cli->timeout > 0 ? cli->timeout
						  : CLIENT_TIMEOUT);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, t->write_cb);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, t->arg);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->errbuf);
	c->errbuf[0] = '\0';
	t->handle = c->curl;
	rc = curl_easy_perform(c->curl);
	if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && t->stopped))
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	else
		fprintf(stderr, "jobfair: cannot reach %s: %s\n", cli->server,
			c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
	curl_slist_free_all(headers);
	free(auth);
	free(url);
	return (int)status;
}

long
client_status(const struct client_transfer *t)
{
	long status = 0;

	curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

int
client_request(struct cli *cli, const char *method, const char *path,
	       const cJSON *body, cJSON **reply)
{
	struct client_buf buf = {NULL, 0};
	struct client_transfer t = {
	    .json = true, .write_cb = client_write_cb, .arg = &buf};
	char *text = body != NULL ? cJSON_PrintUnformatted(body) : NULL;
	int status = client_transfer(cli, method, path, text, &t);

	*reply = NULL;
	if (status >= 0 && buf.len > 0)
		*reply = cJSON_ParseWithLength(buf.data, buf.len);
	free(buf.data);
	free(text);
	return status;
}

void
client_query_add(char **path, const char *key, const char *value)
{
	/* Since libcurl 7.82 the handle is not needed. */
	char *escaped = curl_easy_escape(NULL, value, 0), *longer;

	xasprintf(&longer, "%s%c%s=%s", *path,
		  strchr(*path, '?') != NULL ? '&' : '?', key,
		  escaped != NULL ? escaped : "");
	curl_free(escaped);
	free(*path);
	*path = longer;
}

/* The cursor of a page's "next" as text; NULL at the last page. */
static char *
client_cursor_new(const cJSON *next)
{
	char *s;

	if (cJSON_IsString(next) && *next->valuestring != '\0')
		return xstrdup(next->valuestring);
	if (cJSON_IsNumber(next)) {
		xasprintf(&s, "%.0f", next->valuedouble);
		return s;
	}
	return NULL;
}

int
client_list(struct cli *cli, const char *path, long limit, cJSON **items,
	    cJSON **reply)
{
	cJSON *all = cJSON_CreateArray();
	char *cursor = NULL;
	int status;

	for (;;) {
		char *page = xstrdup(path), *num;
		cJSON *got, *item;
		int have = cJSON_GetArraySize(all), added = 0;

		if (limit > 0) {
			xasprintf(&num, "%ld", limit - have);
			client_query_add(&page, "limit", num);
			free(num);
		}
		if (cursor != NULL)
			client_query_add(&page, "after", cursor);
		status = client_request(cli, "GET", page, NULL, reply);
		free(page);
		free(cursor);
		cursor = NULL;
		if (status != 200)
			break;
		got = cJSON_GetObjectItemCaseSensitive(*reply, "items");
		while ((limit <= 0 || have + added < limit) &&
		       cJSON_GetArraySize(got) > 0) {
			item = cJSON_DetachItemFromArray(got, 0);
			cJSON_AddItemToArray(all, item);
			added++;
		}
		if (added > 0 && (limit <= 0 || have + added < limit))
			cursor = client_cursor_new(
			    cJSON_GetObjectItemCaseSensitive(*reply, "next"));
		cJSON_Delete(*reply);
		*reply = NULL;
		if (cursor == NULL)
			break;
	}
	if (status != 200) {
		cJSON_Delete(all);
		return status;
	}
	*items = all;
	return status;
}

void
client_print_error(FILE *out, const char *prefix, int status,
		   const cJSON *reply)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(reply, "error");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(err, "message");
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(err, "fields");
	const cJSON *f;

	if (cJSON_IsString(msg))
		fprintf(out, "%s: %s\n", prefix, msg->valuestring);
	else
		fprintf(out, "%s: the server answered HTTP %d\n", prefix,
			status);
	cJSON_ArrayForEach(f, fields)
	{
		if (cJSON_IsString(f))
			fprintf(out, "  %s: %s\n", f->string, f->valuestring);
	}
}

int
client_exit_code(int status)
{
	if (status < 0)
		return CLI_UNREACHABLE;
	if (status >= 200 && status < 300)
		return CLI_OK;
	return CLI_REFUSED;
}

int
client_fail(int status, const cJSON *reply)
{
	if (status >= 0)
		client_print_error(stderr, "jobfair", status, reply);
	return client_exit_code(status);
}

void
client_free(struct client *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	free(c);
	curl_global_cleanup();
}
