/*
 * Raw GETs over libcurl. The body is sent on to the caller only once the
 * status says it is the resource: an error's JSON is collected instead.
 */
#include "fetch.h"

#include "client.h"
#include "log.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FETCH_MAX_ERROR (1u << 20)

struct fetch {
	struct cli *cli;
};

struct fetch_call {
	struct client_transfer t;
	fetch_cb cb;
	void *arg;
	bool ok;      /* the status is 2xx: the body is the resource */
	bool checked; /* ok is known */
	char *error;  /* the body of a refusal */
	size_t error_len;
};

static size_t
fetch_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct fetch_call *call = arg;
	size_t n = size * nmemb;
	long status;

	if (!call->checked) {
		status = client_status(&call->t);
		call->ok = status >= 200 && status < 300;
		call->checked = true;
	}
	if (call->ok) {
		if (!call->cb(ptr, n, call->arg)) {
			call->t.stopped = true;
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
	struct fetch *f = xcalloc(1, sizeof *f);

	f->cli = cli;
	return f;
}

void
fetch_free(struct fetch *f)
{
	free(f);
}

int
fetch_get(struct fetch *f, const char *path, bool stream, fetch_cb cb,
	  void *arg, cJSON **error)
{
	struct fetch_call call = {.cb = cb, .arg = arg};
	int status;

	call.t = (struct client_transfer){
	    .stream = stream, .write_cb = fetch_write_cb, .arg = &call};
	*error = NULL;
	status = client_transfer(f->cli, "GET", path, NULL, &call.t);
	if (status >= 0 && call.error != NULL)
		*error = cJSON_ParseWithLength(call.error, call.error_len);
	free(call.error);
	return status;
}

/* fetch_bytes()'s sink. */
static bool
fetch_keep_cb(const char *data, size_t len, void *arg)
{
	return fwrite(data, 1, len, arg) == len;
}

int
fetch_bytes(struct cli *cli, const char *path, char **data, size_t *len,
	    cJSON **error)
{
	struct fetch *f = fetch_new(cli);
	FILE *mem;
	int status;

	if ((mem = open_memstream(data, len)) == NULL)
		fatal("open_memstream");
	status = fetch_get(f, path, false, fetch_keep_cb, mem, error);
	if (fclose(mem) != 0)
		fatal("open_memstream");
	fetch_free(f);
	return status;
}
