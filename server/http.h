/*
 * The HTTP front: evhttp set-up, one context per request, the route
 * dispatch, JSON replies in the project's one error shape and the access
 * log. A handler may reply at once or later from a database callback;
 * it must reply exactly once.
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

#define HTTP_MAX_ARGS 4

enum role {
	ROLE_ADMIN = 1 << 0,
	ROLE_ORGANIZER = 1 << 1,
	ROLE_FRONTDESK = 1 << 2,
	ROLE_VIEWER = 1 << 3,
};
#define ROLES_ANY   (ROLE_ADMIN | ROLE_ORGANIZER | ROLE_FRONTDESK | ROLE_VIEWER)
#define ROLES_STAFF (ROLE_ADMIN | ROLE_ORGANIZER)
#define ROLES_DESK  (ROLE_ADMIN | ROLE_ORGANIZER | ROLE_FRONTDESK)

struct http_ctx {
	struct app *app;
	struct evhttp_request *req;
	struct timespec start;
	char *path;
	char *argbuf; /* a copy of path cut into the {…} arguments */
	const char *args[HTTP_MAX_ARGS];
	struct evkeyvalq *query;
	char *user_id; /* decimal, as passed to SQL */
	char *user_name;
	enum role role;
	const struct route *route;
	int ok_status; /* what api_json answers on success */
	/* An event whose live numbers change if the request succeeds. */
	const char *changed_event;
};

typedef void (*http_handler)(struct http_ctx *ctx);

struct route {
	int method;	     /* EVHTTP_REQ_* */
	const char *pattern; /* "/api/v1/events/{id}" */
	unsigned roles;	     /* 0: no authentication */
	http_handler handler;
	/* Largest body, checked from the headers; 0: REQUEST_BODY_LIMIT. */
	size_t max_body;
};

struct http_server;

struct http_server *http_server_new(struct app *app, const char *listen,
				    char **cause);
/* Stops accepting and ends every stream; see http_server_inflight. */
void http_server_stop_accepting(struct http_server *s);
int http_server_inflight(const struct http_server *s);
void http_server_free(struct http_server *s);

/* Runs the matched route's handler; used by auth once the caller is known. */
void http_dispatch(struct http_ctx *ctx);

/* Replies; each frees the context. `json` is borrowed. */
void http_reply_json(struct http_ctx *ctx, int status, const cJSON *json);
void http_reply_text_json(struct http_ctx *ctx, int status, const char *json,
			  size_t len);
void http_reply_body(struct http_ctx *ctx, int status, const char *content_type,
		     const void *data, size_t len);
void http_reply_error(struct http_ctx *ctx, int status, const char *message);
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

/* The error code word for an HTTP status: 404 → "not_found". */
const char *http_status_code_word(int status);

#endif
