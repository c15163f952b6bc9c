/*
 * The HTTP front over evhttp. Each request gets an http_ctx that lives
 * until its one reply; replies may come later from database callbacks.
 * evhttp keeps a request whose client went away alive until we reply
 * (and then frees it), so a late reply is always safe.
 */
#include "http.h"

#include "app.h"
#include "auth.h"
#include "conn.h"
#include "log.h"
#include "metrics.h"
#include "proxy.h"
#include "public.h"
#include "routes.h"
#include "text.h"
#include "web.h"
#include "xmalloc.h"

#include <netinet/in.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* evhttp's own limit on the request line and on the headers. */
#define HTTP_MAX_HEADERS     (16 * 1024)
#define HTTP_TIMEOUT_SECONDS 10
/* A whole request must arrive within this time (see conn.c). */
#define HTTP_REQUEST_SECONDS 10
/* Bodies of requests whose sender is not yet verified, all together. */
#define HTTP_BODY_BUDGET (32 * 1024 * 1024)
/* Replies waiting to be sent: all together, and on one connection. */
#define HTTP_OUTPUT_BUDGET   (64 * 1024 * 1024)
#define HTTP_OUTPUT_PER_CONN (8 * 1024 * 1024)
#define HTTP_SOCKET_SNDBUF   (256 * 1024)
/* A stream whose client lets this much pile up is ended. */
#define HTTP_STREAM_BACKLOG (256 * 1024)
/*
 * The queue of connections the kernel holds until accept(): evhttp's own
 * bind gives 128. Desks and a thousand projectors reconnecting at once
 * when a venue's network comes back overflow that, and the kernel then
 * drops their handshakes, to be retried a second or more later or reset.
 * The kernel caps it at net.core.somaxconn (4096 on Debian 12).
 */
#define HTTP_LISTEN_BACKLOG 4096
/* How long accept() rests when the process is out of descriptors. */
#define HTTP_ACCEPT_PAUSE_MS	200
#define HTTP_ACCEPT_LOG_SECONDS 10
/* What a 503 or 429 tells the client to wait, in seconds. */
#define HTTP_RETRY_AFTER "5"
/* Replies this short are never refused for want of output room. */
#define HTTP_SMALL_REPLY 1024

struct http_server {
	struct app *app;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct conns *conns;
	struct event *accept_resume;
	time_t accept_logged; /* when the last accept failure was logged */
	long accept_failures; /* since then */
	int inflight;
	bool public_only; /* the public door: public routes and files only */
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
    {417, "expectation_failed", "Expectation Failed"},
    {422, "validation_failed", "Unprocessable Entity"},
    {429, "too_many_requests", "Too Many Requests"},
    {431, "headers_too_large", "Request Header Fields Too Large"},
    {500, "internal", "Internal Server Error"},
    {501, "not_implemented", "Not Implemented"},
    {503, "unavailable", "Service Unavailable"},
};

static const struct {
	int method;
	const char *name;
} http_methods[] = {
    {EVHTTP_REQ_GET, "GET"},	     {EVHTTP_REQ_POST, "POST"},
    {EVHTTP_REQ_PUT, "PUT"},	     {EVHTTP_REQ_PATCH, "PATCH"},
    {EVHTTP_REQ_DELETE, "DELETE"},   {EVHTTP_REQ_HEAD, "HEAD"},
    {EVHTTP_REQ_OPTIONS, "OPTIONS"},
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
	for (size_t i = 0; i < sizeof http_methods / sizeof *http_methods; i++)
		if (http_methods[i].method == method)
			return http_methods[i].name;
	return "OTHER";
}

/* EVHTTP_REQ_* for a method name of `len` bytes, or 0. */
static int
http_method_parse(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof http_methods / sizeof *http_methods; i++)
		if (strlen(http_methods[i].name) == len &&
		    memcmp(http_methods[i].name, name, len) == 0)
			return http_methods[i].method;
	return 0;
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
		char client[64];
		char *line, *path = log_escape_new(ctx->path);
		char *user =
		    ctx->user_name ? log_escape_new(ctx->user_name) : NULL;

		cJSON_AddStringToObject(o, "type", "access");
		cJSON_AddStringToObject(o, "method", method);
		cJSON_AddStringToObject(o, "path", path ? path : "?");
		cJSON_AddNumberToObject(o, "status", status);
		proxies_client_address(ctx, client);
		cJSON_AddStringToObject(o, "client", client);
		cJSON_AddNumberToObject(o, "ms", (long)(ms * 100) / 100.0);
		if (user != NULL)
			cJSON_AddStringToObject(o, "user", user);
		line = cJSON_PrintUnformatted(o);
		log_raw_line_held(line);
		cJSON_free(line);
		cJSON_Delete(o);
		free(path);
		free(user);
	} else
		log_msg_held(LOG_INFO, "%s %s %d %.2fms", method, ctx->path,
			     status, ms);
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
	free(ctx->link_id);
	free(ctx->link_event_id);
	free(ctx->link_company_id);
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
	struct http_server *s = ctx->server;
	struct evkeyvalq *out = evhttp_request_get_output_headers(ctx->req);
	struct evhttp_connection *evcon;
	struct evbuffer *buf;

	/* A client that does not read must not pin more than its share; the
	 * short error that says so always fits. */
	if (len > HTTP_SMALL_REPLY &&
	    !conn_output_room(s->conns, ctx->req, len)) {
		http_reply_error(ctx, 503,
				 "too many replies waiting to be "
				 "read; retry shortly");
		return;
	}
	if ((status == 503 || status == 429) &&
	    evhttp_find_header(out, "Retry-After") == NULL)
		evhttp_add_header(out, "Retry-After", HTTP_RETRY_AFTER);
	buf = evbuffer_new();
	if (len > 0)
		evbuffer_add(buf, data, len);
	conn_waiting(s->conns, ctx->req);
	evcon = evhttp_request_get_connection(ctx->req);
	evhttp_send_reply(ctx->req, status, http_reason(status), buf);
	evbuffer_free(buf);
	http_access_log(ctx, status);
	/* After the access line: it is flushed before the reply leaves. */
	conn_write_soon(evcon);
	s->inflight--;
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

/* The one error shape: {"error": {"code", "message", "fields"?}}. */
static cJSON *
http_error_new(int status, const char *message, cJSON *fields)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(root, "error");

	cJSON_AddStringToObject(err, "code", http_status_code_word(status));
	cJSON_AddStringToObject(err, "message", message);
	if (fields != NULL)
		cJSON_AddItemToObject(err, "fields", fields);
	return root;
}

void
http_reply_fields(struct http_ctx *ctx, int status, const char *message,
		  cJSON *fields)
{
	cJSON *root = http_error_new(status, message, fields);

	http_reply_json(ctx, status, root);
	cJSON_Delete(root);
}

/*
 * A whole response in the error shape, written where evhttp would have
 * sent its HTML page (see conn.h). The connection closes after it: the
 * refused request's body was never read.
 */
static void
http_error_page(struct evbuffer *out, int status, const char *message,
		void *arg)
{
	cJSON *root = http_error_new(status, message, NULL);
	char *text = cJSON_PrintUnformatted(root);
	bool retry = status == 503 || status == 429;

	(void)arg;
	evbuffer_add_printf(out,
			    "HTTP/1.1 %d %s\r\n"
			    "Content-Type: application/json; charset=utf-8\r\n"
			    "Cache-Control: no-store\r\n"
			    "Connection: close\r\n"
			    "%s%s%s"
			    "Content-Length: %zu\r\n\r\n%s",
			    status, http_reason(status),
			    retry ? "Retry-After: " : "",
			    retry ? HTTP_RETRY_AFTER : "", retry ? "\r\n" : "",
			    strlen(text), text);
	cJSON_free(text);
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

static int
http_key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * cJSON keeps every member of an object, and lookups find the first, so
 * {"role":"viewer","role":"admin"} would mean different things to
 * different readers; such a body is refused. Sorting keeps a hostile
 * object with many keys from costing quadratic time.
 */
static bool
http_json_has_duplicates(const cJSON *item)
{
	const cJSON *c;
	const char **keys;
	size_t n = 0;
	bool dup = false;

	for (c = item->child; c != NULL; c = c->next) {
		if (http_json_has_duplicates(c))
			return true;
		n++;
	}
	if (!cJSON_IsObject(item) || n < 2)
		return false;
	keys = xcalloc(n, sizeof *keys);
	n = 0;
	for (c = item->child; c != NULL; c = c->next)
		keys[n++] = c->string;
	qsort(keys, n, sizeof *keys, http_key_cmp);
	for (size_t i = 1; i < n && !dup; i++)
		dup = strcmp(keys[i - 1], keys[i]) == 0;
	free(keys);
	return dup;
}

cJSON *
http_body_json_new(struct http_ctx *ctx, size_t limit)
{
	const char *data, *end = NULL;
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
	json = cJSON_ParseWithLengthOpts(data, len, &end, false);
	if (json == NULL) {
		http_reply_error(ctx, 400, "request body is not valid JSON");
		return NULL;
	}
	/* One value and nothing after it but white space. */
	end += strspn(end, " \t\r\n");
	if (end != data + len) {
		cJSON_Delete(json);
		http_reply_error(ctx, 400,
				 "request body has bytes after the JSON value");
		return NULL;
	}
	if (http_json_has_duplicates(json)) {
		cJSON_Delete(json);
		http_reply_error(ctx, 400,
				 "request body repeats a key in an object");
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

/*
 * RFC 9112: a Content-Length is digits only ("+19" is not), and a request
 * that repeats it with another value has no trustworthy length. Called
 * for each value; `first` keeps the first one seen.
 */
static bool
http_length_ok(const char *value, char first[24])
{
	size_t n = strlen(value);

	if (n == 0 || n >= 24 || strspn(value, "0123456789") != n)
		return false;
	if (first[0] == '\0')
		memcpy(first, value, n + 1);
	return strcmp(first, value) == 0;
}

/* The fields of a header block that decide whether to read its body. */
struct http_head {
	int method;
	char path[512];
	bool length_bad, chunked, has_body;
	unsigned long long length;
	char first_length[24];
	char token[128];
	bool session; /* a back-office session cookie instead of a token */
};

static void
http_head_field(struct http_head *h, const char *name, size_t nlen,
		const char *value, size_t vlen)
{
	char v[128];

	if (nlen == 6 && strncasecmp(name, "Cookie", 6) == 0) {
		h->session |= memmem(value, vlen, "jf_session=", 11) != NULL;
		return;
	}
	if (vlen >= sizeof v) {
		/* Only a token may be this long; keep its start. */
		vlen = sizeof v - 1;
		if (nlen == 14 && strncasecmp(name, "Content-Length", 14) == 0)
			h->length_bad = true;
	}
	memcpy(v, value, vlen);
	v[vlen] = '\0';
	if (nlen == 14 && strncasecmp(name, "Content-Length", 14) == 0) {
		if (!http_length_ok(v, h->first_length))
			h->length_bad = true;
		else
			h->length = strtoull(v, NULL, 10);
		h->has_body |= h->length > 0;
	} else if (nlen == 17 &&
		   strncasecmp(name, "Transfer-Encoding", 17) == 0) {
		h->chunked = h->has_body = true;
	} else if (nlen == 13 && strncasecmp(name, "Authorization", 13) == 0)
		snprintf(h->token, sizeof h->token, "%s", v);
}

/* Reads the request line and the headers we judge by. */
static bool
http_head_parse(const char *head, size_t len, struct http_head *h)
{
	const char *end = head + len, *p, *sp, *q, *colon;
	size_t plen;

	if ((p = memchr(head, '\n', len)) == NULL ||
	    (sp = memchr(head, ' ', (size_t)(p - head))) == NULL)
		return false;
	h->method = http_method_parse(head, (size_t)(sp - head));
	plen = strcspn(sp + 1, " ?\r\n");
	if (sp[1] != '/' || plen >= sizeof h->path)
		return false;
	memcpy(h->path, sp + 1, plen);
	h->path[plen] = '\0';
	for (p++; p < end; p = q + 1) {
		const char *v, *ve;

		if ((q = memchr(p, '\n', (size_t)(end - p))) == NULL)
			q = end;
		if ((colon = memchr(p, ':', (size_t)(q - p))) == NULL)
			continue;
		for (v = colon + 1; v < q && (*v == ' ' || *v == '\t'); v++)
			;
		for (ve = q; ve > v && strchr(" \t\r", ve[-1]) != NULL; ve--)
			;
		http_head_field(h, p, (size_t)(colon - p), v, (size_t)(ve - v));
	}
	return true;
}

/*
 * Judges a request from its headers, before evhttp reads its body: a
 * body for no route, without a token where one is needed, over the
 * route's limit or with a doubtful length is refused at once. Bodies of
 * senders whose token is not already verified count against the budget.
 */
static void
http_head_cb(const char *head, size_t len, struct conn_verdict *v, void *arg)
{
	struct http_server *s = arg;
	struct http_head h = {0};
	const struct route *route;
	const char *args[HTTP_MAX_ARGS];
	size_t limit;
	bool known;

	if (!http_head_parse(head, len, &h))
		return; /* evhttp decides; its answer is rewritten */
	if (h.length_bad || (h.chunked && h.first_length[0] != '\0')) {
		*v = (struct conn_verdict){400, "malformed Content-Length", 0};
		return;
	}
	if (!h.has_body)
		return;
	route = routes_match(h.method, h.path, args, &known);
	if (s->public_only && route != NULL && !route->public) {
		route = NULL;
		known = false;
	}
	if (route == NULL) {
		*v = known ? (struct conn_verdict){405, "method not allowed", 0}
			   : (struct conn_verdict){404, "no such resource", 0};
		return;
	}
	if (route->roles != 0 && auth_bearer(h.token) == NULL && !h.session) {
		*v = (struct conn_verdict){401,
					   "not signed in: no bearer token "
					   "or session",
					   0};
		return;
	}
	limit = routes_body_limit(route);
	if (!h.chunked && h.length > limit) {
		*v = (struct conn_verdict){413, "request body is too large", 0};
		return;
	}
	if (route->roles == 0 || !auth_known(s->app->auth, h.token))
		v->body = h.chunked ? limit : h.length;
}

/* Whether the request's Content-Length headers agree and are numbers. */
static bool
http_lengths_ok(struct evhttp_request *req)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evkeyval *kv;
	char first[24] = "";

	TAILQ_FOREACH(kv, in, next)
	{
		if (strcasecmp(kv->key, "Content-Length") == 0 &&
		    !http_length_ok(kv->value, first))
			return false;
	}
	return first[0] == '\0' ||
	       evhttp_find_header(in, "Transfer-Encoding") == NULL;
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
	const char *refusal;
	char *match;
	int refused;

	clock_gettime(CLOCK_MONOTONIC, &ctx->start);
	conn_serving(s->conns, req);
	ctx->app = s->app;
	ctx->server = s;
	ctx->req = req;
	ctx->path = xstrdup(path && *path ? path : "/");
	ctx->query = xcalloc(1, sizeof *ctx->query);
	TAILQ_INIT(ctx->query);
	s->inflight++;
	/* Refused from its headers, or framed doubtfully: end the connection.
	 */
	refused = conn_refusal(s->conns, req, &refusal);
	if (refused == 0 && !http_lengths_ok(req)) {
		refused = 400;
		refusal = "malformed Content-Length";
	}
	if (refused != 0) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "Connection", "close");
		http_reply_error(ctx, refused, refusal);
		return;
	}
	if (query != NULL && evhttp_parse_query_str(query, ctx->query) != 0) {
		http_reply_error(ctx, 400, "malformed query string");
		return;
	}
	/* Route on a copy: matching cuts it into the {…} arguments. */
	match = xstrdup(ctx->path);
	ctx->route = routes_match(evhttp_request_get_command(req), match,
				  ctx->args, &known);
	if (s->public_only && ctx->route != NULL && !ctx->route->public) {
		ctx->route = NULL;
		known = false;
	}
	if (ctx->route == NULL) {
		free(match);
		if (!known && (!s->public_only || public_file(ctx->path)) &&
		    web_serve(ctx))
			return;
		if (known)
			http_reply_error(ctx, 405, "method not allowed");
		else
			http_reply_error(ctx, 404, "no such resource");
		return;
	}
	ctx->argbuf = match;
	/*
	 * A public page's path may hold a receipt's secret: from here on
	 * (the access log, error logs) the path is the route's pattern.
	 */
	if (ctx->route->public) {
		free(ctx->path);
		ctx->path = xstrdup(ctx->route->path);
	}
	routes_serve(ctx);
}

/*
 * The servers whose listeners this process runs (the staff's and the
 * public door). evhttp owns the listener's callback argument, so its
 * error callback finds its server here.
 */
#define HTTP_LISTENERS 2
static struct http_server *http_listening[HTTP_LISTENERS];

static void
http_accept_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http_server *s = arg;

	(void)fd;
	(void)what;
	if (s->bound != NULL)
		evconnlistener_enable(
		    evhttp_bound_socket_get_listener(s->bound));
}

/*
 * accept() failed. Out of descriptors, the pending connection stays in
 * the backlog and the listener would fire again at once: rest a moment
 * instead, and say so once in a while rather than on every attempt.
 */
static void
http_accept_error_cb(struct evconnlistener *lev, void *arg)
{
	struct http_server *s = NULL;
	struct timeval pause = {0, HTTP_ACCEPT_PAUSE_MS * 1000};
	int err = EVUTIL_SOCKET_ERROR();
	struct timespec now;

	(void)arg; /* evhttp's own */
	for (int i = 0; i < HTTP_LISTENERS; i++)
		if (http_listening[i] != NULL &&
		    http_listening[i]->bound != NULL &&
		    evhttp_bound_socket_get_listener(
			http_listening[i]->bound) == lev)
			s = http_listening[i];
	if (s == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	s->accept_failures++;
	if (now.tv_sec - s->accept_logged >= HTTP_ACCEPT_LOG_SECONDS) {
		log_warn("accept: %s (%ld times); pausing new connections",
			 evutil_socket_error_to_string(err),
			 s->accept_failures);
		s->accept_logged = now.tv_sec;
		s->accept_failures = 0;
	}
	if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
		evconnlistener_disable(lev);
		evtimer_add(s->accept_resume, &pause);
	}
}

/* Each connection takes a descriptor: allow as many as we may. */
static void
http_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			log_warn("cannot raise the open-file limit");
	}
}

/* Listens on host:port with HTTP_LISTEN_BACKLOG, for evhttp to serve. */
static struct evhttp_bound_socket *
http_bind(struct http_server *s, const char *host, long port)
{
	struct evutil_addrinfo hints = {
	    .ai_family = AF_UNSPEC,
	    .ai_socktype = SOCK_STREAM,
	    .ai_protocol = IPPROTO_TCP,
	    .ai_flags = EVUTIL_AI_PASSIVE | EVUTIL_AI_ADDRCONFIG,
	};
	struct evutil_addrinfo *ai;
	struct evconnlistener *lev;
	char service[8];

	snprintf(service, sizeof service, "%ld", port);
	if (evutil_getaddrinfo(host, service, &hints, &ai) != 0)
		return NULL;
	lev = evconnlistener_new_bind(
	    s->app->base, NULL, NULL,
	    LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_CLOSE_ON_FREE,
	    HTTP_LISTEN_BACKLOG, ai->ai_addr, (int)ai->ai_addrlen);
	evutil_freeaddrinfo(ai);
	return lev == NULL ? NULL : evhttp_bind_listener(s->http, lev);
}

struct http_server *
http_server_new(struct app *app, const char *listen, bool public_only,
		char **cause)
{
	struct http_server *s = xcalloc(1, sizeof *s);
	const struct conn_limits limits = {
	    .seconds = HTTP_REQUEST_SECONDS,
	    .max_head = HTTP_MAX_HEADERS,
	    .max_body = routes_max_body(),
	    .body_budget = HTTP_BODY_BUDGET,
	    .output_budget = HTTP_OUTPUT_BUDGET,
	    .output_per_conn = HTTP_OUTPUT_PER_CONN,
	    .socket_sndbuf = HTTP_SOCKET_SNDBUF,
	};
	const struct conn_ops ops = {
	    .head = http_head_cb,
	    .page = http_error_page,
	    .arg = s,
	};
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
	s->public_only = public_only;
	TAILQ_INIT(&s->streams);
	http_raise_nofile();
	s->http = evhttp_new(app->base);
	/* No route takes more; each route's own limit is checked earlier. */
	evhttp_set_max_body_size(s->http, (ev_ssize_t)limits.max_body);
	evhttp_set_max_headers_size(s->http, HTTP_MAX_HEADERS);
	evhttp_set_timeout(s->http, HTTP_TIMEOUT_SECONDS);
	evhttp_set_allowed_methods(
	    s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
			 EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE |
			 EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS);
	evhttp_set_gencb(s->http, http_request_cb, s);
	s->conns = conns_new(app->base, s->http, &limits, &ops);
	s->accept_resume = evtimer_new(app->base, http_accept_resume_cb, s);
	s->bound = http_bind(s, host, port);
	if (s->bound == NULL) {
		xasprintf(cause, "cannot listen on %s", listen);
		evhttp_free(s->http);
		conns_free(s->conns);
		event_free(s->accept_resume);
		free(host);
		free(s);
		return NULL;
	}
	for (int i = 0; i < HTTP_LISTENERS; i++)
		if (http_listening[i] == NULL) {
			http_listening[i] = s;
			break;
		}
	evconnlistener_set_error_cb(evhttp_bound_socket_get_listener(s->bound),
				    http_accept_error_cb);
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
	struct http_server *s = ctx->server;
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
	struct evhttp_connection *conn = evhttp_request_get_connection(st->req);
	struct bufferevent *bev;
	struct evbuffer *buf;

	if (conn == NULL)
		return;
	/*
	 * A client that stopped reading: cut it rather than queue without
	 * end. evhttp then sees the connection fail and `closed` runs.
	 */
	bev = evhttp_connection_get_bufferevent(conn);
	if (evbuffer_get_length(bufferevent_get_output(bev)) + len >
	    HTTP_STREAM_BACKLOG) {
		if (bufferevent_getfd(bev) >= 0)
			shutdown(bufferevent_getfd(bev), SHUT_RDWR);
		return;
	}
	buf = evbuffer_new();
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
	for (int i = 0; i < HTTP_LISTENERS; i++)
		if (http_listening[i] == s)
			http_listening[i] = NULL;
	conns_free(s->conns);
	event_free(s->accept_resume);
	free(s);
}
