/*
 * A request's inputs read at the edge, before any database work: path
 * ids, query parameters and JSON bodies, each checked against an input
 * table. Every function that returns NULL has already replied (400, 404,
 * 413 or 422), so a handler simply returns.
 */
#ifndef JF_REQUEST_H
#define JF_REQUEST_H

#include "http.h"
#include "input.h"

#define REQUEST_BODY_LIMIT (64 * 1024)

/* Paging parameters every list takes: keyset by id ("after" the last). */
#define REQUEST_PAGE_FIELDS                                                    \
	{"limit", INPUT_INT, false, 1, 500, NULL, NULL, 0},                    \
	{                                                                      \
		"after", INPUT_INT, false, 0, 9007199254740991L, NULL, NULL, 0 \
	}

#define REQUEST_NFIELDS(spec) (sizeof(spec) / sizeof *(spec))

/* Path argument `arg` as a positive integer id, borrowed; NULL after 404. */
const char *request_path_id(struct http_ctx *ctx, int arg);

/* The JSON body checked against spec; the caller owns the result. */
cJSON *request_body_new(struct http_ctx *ctx, const struct input_field *spec,
			size_t n, bool partial);

/* The query string checked against spec; the caller owns the result. */
cJSON *request_query_new(struct http_ctx *ctx, const struct input_field *spec,
			 size_t n);

/*
 * api_json() with `params` followed by `json` as text: the SQL functions
 * take the validated input as one jsonb parameter. `json` is borrowed.
 */
void request_api_json(struct http_ctx *ctx, int status, const char *sql,
		      int nparams, const char *const *params,
		      const cJSON *json);

/*
 * The common shapes of a handler. Each runs one SQL function whose
 * parameters are, in order: the caller's user id (writes, for the audit
 * log), the path id, and the validated input as jsonb.
 */
/* POST: sql($1 user, $2 body), 201 with the new object. */
void request_create(struct http_ctx *ctx, const struct input_field *spec,
		    size_t n, const char *sql);
/*
 * POST …/{id}/… of something checked in by QR code: sql($1 user, $2 id,
 * $3 a new check-in token, $4 body), 201 with the new object.
 */
void request_create_tokened(struct http_ctx *ctx,
			    const struct input_field *spec, size_t n,
			    const char *sql);
/* PATCH …/{id}: sql($1 user, $2 id, $3 partial body). */
void request_update(struct http_ctx *ctx, const struct input_field *spec,
		    size_t n, const char *sql);
/* GET …/{id}: sql($1 id); no row answers 404. */
void request_show(struct http_ctx *ctx, const char *sql);
/* GET a list: sql($1 query parameters). */
void request_list(struct http_ctx *ctx, const struct input_field *spec,
		  size_t n, const char *sql);

#endif
