/*
 * The HTTP front over evhttp. Each request gets an http_ctx that lives
 * until its one reply; replies may come later from database callbacks.
 * evhttp keeps a request whose client went away alive until we reply
 * (and then frees it), so a late reply is always safe.
 */
#include "http.h"

#include "app.h"
#include "auth.h"
#include "deadline.h"
#include "log.h"
#include "metrics.h"
#include "proxy.h"
#include "routes.h"
#include "text.h"
#include "web.h"
#include "xmalloc.h"

#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* evhttp's own hard limits; the per-route JSON limits are smaller. */
#define HTTP_MAX_BODY	     (16 * 1024 * 1024)
#define HTTP_MAX_HEADERS     (16 * 1024)
#define HTTP_TIMEOUT_SECONDS 10
/* A whole request must arrive within this time (see deadline.c). */
#define HTTP_REQUEST_SECONDS 10

struct http_server {
	struct app *app;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct deadline *deadline;
	int inflight;
	TAILQ_HEAD(, http_stream) streams;
};

/* A streaming reply: the server lists them so that it can end them. */
struct http_stream {
	struct http_server *server;
	struct evhttp_request *req;
	char *path; /* for the log line when it ends */
	struct timespec start;
	http_stream_closed_cb closed;
	void *arg;
	TAILQ_ENTRY(http_stream) entry;
};

static const struct {
	int status;
	const char *word;
	const char *reason;
} http_statuses[] = {
    {200, "ok", "OK"},
    {201, "created", "Created"},
    {204, "no_content", "No Content"},
    {304, "not_modified", "Not Modified"},
    {400, "bad_request", "Bad Request"},
    {401, "unauthorized", "Unauthorized"},
    {403, "forbidden", "Forbidden"},
    {404, "not_found", "Not Found"},
    {405, "method_not_allowed", "Method Not Allowed"},
    {409, "conflict", "Conflict"},
    {413, "payload_too_large", "Payload Too Large"},
    {414, "uri_too_long", "URI Too Long"},
    {422, "validation_failed", "Unprocessable Entity"},
    {429, "too_many_requests", "Too Many Requests"},
    {500, "internal", "Internal Server Error"},
    {503, "unavailable", "Service Unavailable"},
};

const char *
http_status_code_word(int status)
{
	for (size_t i = 0; i < sizeof http_statuses / sizeof *http_statuses;
	     i++)
		if (http_statuses[i].status == status)
			return http_statuses[i].word;
	return "error";
}

static const char *
http_reason(int status)
{
	for (size_t i = 0; i < sizeof http_statuses / sizeof *http_statuses;
	     i++)
		if (http_statuses[i].status == status)
			return http_statuses[i].reason;
	return "Status";
}

const char *
http_method_name(int method)
{
	switch (method) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_PATCH:
		return "PATCH";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	case EVHTTP_REQ_OPTIONS:
		return "OPTIONS";
	default:
		return "OTHER";
	}
}

static void
http_access_log(struct http_ctx *ctx, int status)
{
	struct timespec now;
	double ms;
	const char *method =
	    http_method_name(evhttp_request_get_command(ctx->req));

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - ctx->start.tv_sec) * 1e3 +
	     (now.tv_nsec - ctx->start.tv_nsec) / 1e6;
	metrics_request(ctx->app->metrics, ctx->route,
			evhttp_request_get_command(ctx->req), status, ms / 1e3);
	if (log_is_json()) {
		cJSON *o = cJSON_CreateObject();
		char client[64], *line;

		cJSON_AddStringToObject(o, "type", "access");
		cJSON_AddStringToObject(o, "method", method);
		cJSON_AddStringToObject(o, "path", ctx->path);
		cJSON_AddNumberToObject(o, "status", status);
		proxies_client_address(ctx, client);
		cJSON_AddStringToObject(o, "client", client);
		cJSON_AddNumberToObject(o, "ms", (long)(ms * 100) / 100.0);
		if (ctx->user_name != NULL)
			cJSON_AddStringToObject(o, "user", ctx->user_name);
		line = cJSON_PrintUnformatted(o);
		log_raw_line(line);
		cJSON_free(line);
		cJSON_Delete(o);
	} else
		log_info("%s %s %d %.2fms", method, ctx->path, status, ms);
}

static void
http_ctx_free(struct http_ctx *ctx)
{
	if (ctx->query != NULL) {
		evhttp_clear_headers(ctx->query);
		free(ctx->query);
	}
	free(ctx->path);
	free(ctx->argbuf);
	if (ctx->user_id != NULL)
		auth_release(ctx->app->auth, ctx->user_id);
	free(ctx->user_id);
	free(ctx->user_name);
	if (ctx->data_free != NULL)
		ctx->data_free(ctx->data);
	free(ctx);
}

void
http_add_header(struct http_ctx *ctx, const char *name, const char *value)
{
	evhttp_add_header(evhttp_request_get_output_headers(ctx->req), name,
			  value);
}

void
http_reply_body(struct http_ctx *ctx, int status, const char *content_type,
		const void *data, size_t len)
{
	http_add_header(ctx, "Content-Type", content_type);
	http_add_header(ctx, "Cache-Control", "no-store");
	http_reply_raw(ctx, status, data, len);
}

void
http_reply_raw(struct http_ctx *ctx, int status, const void *data, size_t len)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(ctx->req);
	struct evbuffer *buf = evbuffer_new();

	if ((status == 429 || status == 503) &&
	    evhttp_find_header(out, "Retry-After") == NULL)
		evhttp_add_header(out, "Retry-After", "1");
	if (len > 0)
		evbuffer_add(buf, data, len);
	deadline_waiting(ctx->app->http->deadline, ctx->req);
	evhttp_send_reply(ctx->req, status, http_reason(status), buf);
	evbuffer_free(buf);
	http_access_log(ctx, status);
	ctx->app->http->inflight--;
	http_ctx_free(ctx);
}

void
http_reply_text_json(struct http_ctx *ctx, int status, const char *json,
		     size_t len)
{
	http_reply_body(ctx, status, "application/json; charset=utf-8", json,
			len);
}

void
http_reply_json(struct http_ctx *ctx, int status, const cJSON *json)
{
	char *text = cJSON_PrintUnformatted(json);

	http_reply_text_json(ctx, status, text, strlen(text));
	cJSON_free(text);
}

void
http_reply_fields(struct http_ctx *ctx, int status, const char *message,
		  cJSON *fields)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(root, "error");

	cJSON_AddStringToObject(err, "code", http_status_code_word(status));
	cJSON_AddStringToObject(err, "message", message);
	if (fields != NULL)
		cJSON_AddItemToObject(err, "fields", fields);
	http_reply_json(ctx, status, root);
	cJSON_Delete(root);
}

void
http_reply_error(struct http_ctx *ctx, int status, const char *message)
{
	http_reply_fields(ctx, status, message, NULL);
}

void
http_reply_retry(struct http_ctx *ctx, int status, int seconds,
		 const char *message)
{
	char value[16];

	snprintf(value, sizeof value, "%d", seconds);
	evhttp_add_header(evhttp_request_get_output_headers(ctx->req),
			  "Retry-After", value);
	http_reply_error(ctx, status, message);
}

const char *
http_body_borrow(struct http_ctx *ctx, size_t limit, size_t *len)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(ctx->req);
	size_t n = evbuffer_get_length(in);
	unsigned char *data;

	if (n > limit) {
		http_reply_error(ctx, 413, "request body is too large");
		return NULL;
	}
	/* evbuffer_pullup gives one contiguous block; add a terminator. */
	evbuffer_add(in, "", 1);
	data = evbuffer_pullup(in, -1);
	*len = n;
	return (const char *)data;
}

/*
 * cJSON decodes "\u0000" into a string that silently ends there; no text
 * field of ours may hold a NUL, so such a body is refused outright.
 */
static bool
http_json_has_nul_escape(const char *data, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (data[i] != '\\')
			continue;
		if (data[i + 1] == 'u' && i + 5 < len &&
		    strncmp(data + i + 2, "0000", 4) == 0)
			return true;
		i++; /* skip the escaped character, a backslash included */
	}
	return false;
}

cJSON *
http_body_json_new(struct http_ctx *ctx, size_t limit)
{
	const char *data;
	size_t len;
	cJSON *json;

	data = http_body_borrow(ctx, limit, &len);
	if (data == NULL)
		return NULL;
	if (!text_valid_utf8(data, len)) {
		http_reply_error(ctx, 400, "request body is not valid UTF-8");
		return NULL;
	}
	if (http_json_has_nul_escape(data, len)) {
		http_reply_error(ctx, 400,
				 "request body contains a NUL character");
		return NULL;
	}
	json = cJSON_ParseWithLength(data, len);
	if (json == NULL) {
		http_reply_error(ctx, 400, "request body is not valid JSON");
		return NULL;
	}
	if (!cJSON_IsObject(json)) {
		cJSON_Delete(json);
		http_reply_error(ctx, 400,
				 "request body must be a JSON object");
		return NULL;
	}
	return json;
}

const char *
http_query_param(struct http_ctx *ctx, const char *name)
{
	return evhttp_find_header(ctx->query, name);
}

const char *
http_header(const struct http_ctx *ctx, const char *name)
{
	return evhttp_find_header(evhttp_request_get_input_headers(ctx->req),
				  name);
}

const char *
http_client_address(const struct http_ctx *ctx)
{
	struct evhttp_connection *conn =
	    evhttp_request_get_connection(ctx->req);
	const char *addr = NULL;
	ev_uint16_t port;

	if (conn != NULL)
		evhttp_connection_get_peer(conn, (char **)&addr, &port);
	return addr ? addr : "unknown";
}

static void
http_request_cb(struct evhttp_request *req, void *arg)
{
	struct http_server *s = arg;
	struct http_ctx *ctx = xcalloc(1, sizeof *ctx);
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	bool known = false;
	char *match;

	clock_gettime(CLOCK_MONOTONIC, &ctx->start);
	deadline_serving(s->deadline, req);
	ctx->app = s->app;
	ctx->req = req;
	ctx->path = xstrdup(path && *path ? path : "/");
	ctx->query = xcalloc(1, sizeof *ctx->query);
	TAILQ_INIT(ctx->query);
	s->inflight++;
	if (query != NULL && evhttp_parse_query_str(query, ctx->query) != 0) {
		http_reply_error(ctx, 400, "malformed query string");
		return;
	}
	/* Route on a copy: matching cuts it into the {…} arguments. */
	match = xstrdup(ctx->path);
	ctx->route = routes_match(evhttp_request_get_command(req), match,
				  ctx->args, &known);
	if (ctx->route == NULL) {
		free(match);
		if (!known && web_serve(ctx))
			return;
		if (known)
			http_reply_error(ctx, 405, "method not allowed");
		else
			http_reply_error(ctx, 404, "no such resource");
		return;
	}
	ctx->argbuf = match;
	routes_serve(ctx);
}

struct http_server *
http_server_new(struct app *app, const char *listen, char **cause)
{
	struct http_server *s = xcalloc(1, sizeof *s);
	char *host = xstrdup(listen);
	char *colon = strrchr(host, ':');
	long port;

	if (colon == NULL || (port = strtol(colon + 1, NULL, 10)) <= 0 ||
	    port > 65535) {
		xasprintf(cause, "listen address must be HOST:PORT, not %s",
			  listen);
		free(host);
		free(s);
		return NULL;
	}
	*colon = '\0';
	s->app = app;
	TAILQ_INIT(&s->streams);
	s->http = evhttp_new(app->base);
	evhttp_set_max_body_size(s->http, HTTP_MAX_BODY);
	evhttp_set_max_headers_size(s->http, HTTP_MAX_HEADERS);
	evhttp_set_timeout(s->http, HTTP_TIMEOUT_SECONDS);
	evhttp_set_allowed_methods(
	    s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
			 EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE |
			 EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS);
	evhttp_set_gencb(s->http, http_request_cb, s);
	s->deadline = deadline_new(app->base, s->http, HTTP_REQUEST_SECONDS);
	s->bound = evhttp_bind_socket_with_handle(s->http, host, (int)port);
	if (s->bound == NULL) {
		xasprintf(cause, "cannot listen on %s", listen);
		evhttp_free(s->http);
		deadline_free(s->deadline);
		free(host);
		free(s);
		return NULL;
	}
	free(host);
	return s;
}

/* Unlists a stream and tells its owner; the caller settles the request. */
static void
http_stream_forget(struct http_stream *st, const char *why)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	log_info("%s: stream ended after %lds (%s)", st->path,
		 (long)(now.tv_sec - st->start.tv_sec), why);
	TAILQ_REMOVE(&st->server->streams, st, entry);
	st->closed(st->arg);
	free(st->path);
	free(st);
}

/*
 * The client has gone. On end-of-file or a timeout evhttp detaches the
 * request from the dying connection and leaves it to us, and ending the
 * reply frees it; otherwise evhttp frees it with the connection.
 */
static void
http_stream_gone_cb(struct evhttp_connection *conn, void *arg)
{
	struct http_stream *st = arg;
	struct evhttp_request *req = st->req;

	(void)conn;
	http_stream_forget(st, "client left");
	if (evhttp_request_get_connection(req) == NULL)
		evhttp_send_reply_end(req);
}

void
http_stream_end(struct http_stream *st, const char *why)
{
	struct evhttp_request *req = st->req;

	evhttp_connection_set_closecb(evhttp_request_get_connection(req), NULL,
				      NULL);
	http_stream_forget(st, why);
	evhttp_send_reply_end(req);
}

/* Ends every stream cleanly: the connection closes once it is written. */
static void
http_streams_end(struct http_server *s)
{
	struct http_stream *st;

	while ((st = TAILQ_FIRST(&s->streams)) != NULL)
		http_stream_end(st, "server stopping");
}

struct http_stream *
http_stream_begin(struct http_ctx *ctx, const char *content_type,
		  http_stream_closed_cb closed, void *arg)
{
	struct http_server *s = ctx->app->http;
	struct evhttp_connection *conn =
	    evhttp_request_get_connection(ctx->req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(ctx->req);
	struct timeval write_tv = {HTTP_TIMEOUT_SECONDS, 0};
	struct http_stream *st;

	if (s->bound == NULL || conn == NULL) {
		http_reply_error(ctx, 503, "the server is stopping");
		return NULL;
	}
	st = xcalloc(1, sizeof *st);
	st->server = s;
	st->req = ctx->req;
	st->path = xstrdup(ctx->path);
	st->start = ctx->start;
	st->closed = closed;
	st->arg = arg;
	evhttp_add_header(out, "Content-Type", content_type);
	evhttp_add_header(out, "Cache-Control", "no-store");
	evhttp_add_header(out, "Connection", "close");
	evhttp_send_reply_start(ctx->req, 200, http_reason(200));
	/*
	 * The client sends nothing more, so no read timeout; evhttp keeps
	 * reading only to notice the close. A write stalled for the usual
	 * time still drops the client. The stream stays "serving" for the
	 * deadline sweep.
	 */
	bufferevent_set_timeouts(evhttp_connection_get_bufferevent(conn), NULL,
				 &write_tv);
	evhttp_connection_set_closecb(conn, http_stream_gone_cb, st);
	TAILQ_INSERT_TAIL(&s->streams, st, entry);
	http_access_log(ctx, 200);
	s->inflight--;
	http_ctx_free(ctx);
	return st;
}

void
http_stream_send(struct http_stream *st, const char *data, size_t len)
{
	struct evbuffer *buf = evbuffer_new();

	evbuffer_add(buf, data, len);
	evhttp_send_reply_chunk(st->req, buf);
	evbuffer_free(buf);
}

void
http_server_stop_accepting(struct http_server *s)
{
	if (s->bound != NULL) {
		evhttp_del_accept_socket(s->http, s->bound);
		s->bound = NULL;
	}
	http_streams_end(s);
}

int
http_server_inflight(const struct http_server *s)
{
	return s->inflight;
}

void
http_server_free(struct http_server *s)
{
	if (s == NULL)
		return;
	http_streams_end(s);
	evhttp_free(s->http);
	deadline_free(s->deadline);
	free(s);
}
