/*
 * Running one request's database work: one statement (so one
 * transaction), its errors mapped to the project's JSON error shape.
 * Business rules live in SQL functions (migrations/) that raise
 * SQLSTATE 'JFnnn' for HTTP status nnn, with COLUMN naming the field.
 */
#ifndef JF_API_H
#define JF_API_H

#include "http.h"

#include <libpq-fe.h>

/* Called only for a successful result; it must reply. `res` is borrowed. */
typedef void (*api_done_cb)(struct http_ctx *ctx, const PGresult *res);

/* Queues the statement; on any failure the request has been answered. */
void api_query(struct http_ctx *ctx, const char *sql, int nparams,
	       const char *const *params, api_done_cb done);

/*
 * The same with state of the caller's: done is called exactly once, with
 * the result, or with ctx and res NULL when the request has already been
 * answered with the failure (then it only frees arg).
 */
typedef void (*api_done_arg_cb)(struct http_ctx *ctx, const PGresult *res,
				void *arg);
void api_query_arg(struct http_ctx *ctx, const char *sql, int nparams,
		   const char *const *params, api_done_arg_cb done, void *arg);

/*
 * The same for a caller that answers every failure itself (a page, not
 * JSON): done gets the result whatever its status, or res NULL when the
 * database could not be asked (down, overloaded); it must reply.
 */
void api_query_any(struct http_ctx *ctx, const char *sql, int nparams,
		   const char *const *params, api_done_cb done);

/* Replies with a failed result's mapped status and message. */
void api_reply_pg_error(struct http_ctx *ctx, const PGresult *res);

/* Maps a SQLSTATE to an HTTP status (the JFnnn convention included). */
int api_status_for_sqlstate(const char *sqlstate);

#endif
