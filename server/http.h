/*
 * The HTTP front: evhttp set-up, one context per request handed to its
 * matched route (routes.h), JSON replies in the project's one error shape and
 * the access log. A handler may reply at once or later from a database
 * callback; it must reply exactly once.
 */
#ifndef JF_HTTP_H
#define JF_HTTP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct app;
struct evhttp_request;
struct evkeyvalq;
struct route;

#define HTTP_MAX_ARGS 4

struct http_server;

struct http_ctx {
	struct app *app;
	struct http_server *server; /* the listener it came in on */
	struct evhttp_request *req;
	struct timespec start;
	char *path;
	char *argbuf; /* a copy of path cut into the {…} arguments */
	const char *args[HTTP_MAX_ARGS];
	struct evkeyvalq *query;
	char *user_id; /* decimal, as passed to SQL; set once admitted */
	char *user_name;
	/* SHA-256 of the bearer token or session id that admitted the caller,
	 * so a long-lived stream can check later that it is still valid. */
	char credential[65];
	unsigned role; /* the caller's, a roles.h bit, once known */
	/*
	 * Set instead of user_id when an access link admitted the caller
	 * (links.h): its id, its event's and, for a booth link, its
	 * company's, all decimal.
	 */
	char *link_id;
	char *link_event_id;
	char *link_company_id;
	const struct route *route; /* matched: routes.h says what it runs */
	/* A handler's state across callbacks, freed with the context. */
	void *data;
	void (*data_free)(void *data);
};

/*
 * A listener. A public one (`--public-listen`) serves only the routes
 * marked .public and the web files under /apply/, nothing staff-only.
 */
struct http_server *http_server_new(struct app *app, const char *listen,
				    bool public_only, char **cause);
/* Stops accepting and ends every stream; see http_server_inflight. */
void http_server_stop_accepting(struct http_server *s);
int http_server_inflight(const struct http_server *s);
void http_server_free(struct http_server *s);

/* Replies; each frees the context. `json` is borrowed. */
void http_reply_json(struct http_ctx *ctx, int status, const cJSON *json);
void http_reply_text_json(struct http_ctx *ctx, int status, const char *json,
			  size_t len);
void http_reply_body(struct http_ctx *ctx, int status, const char *content_type,
		     const void *data, size_t len);
void http_reply_error(struct http_ctx *ctx, int status, const char *message);
/*
 * An error that the client should retry after `seconds` (429, 503): sent
 * with Retry-After. Other 429 and 503 replies say one second.
 */
void http_reply_retry(struct http_ctx *ctx, int status, int seconds,
		      const char *message);
/* Any status and body, with only the headers added before. */
void http_reply_raw(struct http_ctx *ctx, int status, const void *data,
		    size_t len);
/* A header for the coming reply (Set-Cookie, Retry-After, ETag…). */
void http_add_header(struct http_ctx *ctx, const char *name, const char *value);
/* 422 (or the given status) with a {"field": "why"} object; owns `fields`. */
void http_reply_fields(struct http_ctx *ctx, int status, const char *message,
		       cJSON *fields);

/*
 * The request body parsed as a JSON object, or NULL after replying 400
 * (malformed JSON, invalid UTF-8) or 413 (over `limit` bytes). The caller
 * owns the result.
 */
cJSON *http_body_json_new(struct http_ctx *ctx, size_t limit);
/* The raw body, borrowed, or NULL after replying 413. */
const char *http_body_borrow(struct http_ctx *ctx, size_t limit, size_t *len);
/* A query-string parameter, borrowed, or NULL. */
const char *http_query_param(struct http_ctx *ctx, const char *name);
const char *http_client_address(const struct http_ctx *ctx);
const char *http_header(const struct http_ctx *ctx, const char *name);

/*
 * A long-lived streaming reply, such as Server-Sent Events. Begun, it
 * sends a 200 with `content_type` and no length, frees ctx and no longer
 * counts as in flight, so a drain at shutdown does not wait for it.
 * `closed` runs once, when the client has gone or the server stops
 * accepting (which ends every stream); the stream is freed as it returns.
 * Returns NULL, having replied 503, if the server is stopping or the
 * client has already gone.
 */
struct http_stream;
typedef void (*http_stream_closed_cb)(void *arg);

struct http_stream *http_stream_begin(struct http_ctx *ctx,
				      const char *content_type,
				      http_stream_closed_cb closed, void *arg);
/* Queues one chunk; a failed write surfaces later as `closed`. */
void http_stream_send(struct http_stream *st, const char *data, size_t len);
/*
 * Ends the stream from the server's side once what is queued is written
 * (`closed` runs, and the stream is freed, before this returns).
 */
void http_stream_end(struct http_stream *st, const char *why);

/* The error code word for an HTTP status: 404 → "not_found". */
const char *http_status_code_word(int status);
/* An EVHTTP_REQ_* method's name: "GET", "POST"… ("OTHER"). */
const char *http_method_name(int method);

#endif
