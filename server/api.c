/* One statement per request, with PostgreSQL errors mapped to HTTP. */
#include "api.h"

#include "app.h"
#include "log.h"
#include "pool.h"
#include "replica.h"
#include "routes.h"
#include "xmalloc.h"

#include <event2/http.h>

#include <stdlib.h>
#include <string.h>

struct api_call {
	struct http_ctx *ctx;
	api_done_cb done;
	api_done_arg_cb done_arg; /* instead of done, with arg */
	void *arg;
	bool any; /* done answers failures too (api_query_any) */
};

int
api_status_for_sqlstate(const char *s)
{
	if (s == NULL || strlen(s) != 5)
		return 500;
	if (s[0] == 'J' && s[1] == 'F') {
		int status = atoi(s + 2);

		return status >= 400 && status < 600 ? status : 500;
	}
	if (strcmp(s, "23505") == 0 || strcmp(s, "23P01") == 0)
		return 409;
	if (strncmp(s, "23", 2) == 0)
		return 422;
	if (strncmp(s, "22", 2) == 0)
		return 400;
	/* Retryable or transient: the client tries again. */
	if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0 ||
	    strcmp(s, "57014") == 0 || strncmp(s, "08", 2) == 0 ||
	    strncmp(s, "57P", 3) == 0 || strncmp(s, "53", 2) == 0)
		return 503;
	return 500;
}

/* "Key (corporate_number)=(…) already exists." → "corporate_number". */
static char *
api_unique_field_new(const PGresult *res)
{
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *open, *close;

	if (detail == NULL || (open = strstr(detail, "Key (")) == NULL)
		return NULL;
	open += 5;
	if ((close = strstr(open, ")=")) == NULL)
		return NULL;
	return xstrndup(open, close - open);
}

void
api_reply_pg_error(struct http_ctx *ctx, const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *column = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	int status = api_status_for_sqlstate(state);
	char *unique = NULL;
	cJSON *fields = NULL;

	if (status == 500) {
		log_error("database error %s on %s: %s", state ? state : "?",
			  ctx->path, PQresultErrorMessage(res));
		http_reply_error(ctx, 500, "internal error");
		return;
	}
	if (status == 409 && column == NULL)
		column = unique = api_unique_field_new(res);
	if (status == 503)
		primary = "the database is busy or restarting; try again";
	else if (status == 409 && unique != NULL)
		primary = "already exists";
	/* A limit's refusal says when to come back (lookup_rate_check). */
	if (status == 429 && hint != NULL)
		evhttp_add_header(evhttp_request_get_output_headers(ctx->req),
				  "Retry-After", hint);
	if (column != NULL) {
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, column, primary);
	}
	http_reply_fields(ctx, status, primary ? primary : "request refused",
			  fields);
	free(unique);
}

static void
api_result_cb(const PGresult *res, const char *error, void *arg)
{
	struct api_call *call = arg;
	struct http_ctx *ctx = call->ctx;
	bool ok = false;

	if (call->any) {
		if (res == NULL)
			log_warn("%s: %s", ctx->path, error);
		call->done(ctx, res);
		free(call);
		return;
	}
	if (res == NULL) {
		log_warn("%s: %s", ctx->path, error);
		http_reply_error(ctx, 503, "the database is unavailable");
	} else if (PQresultStatus(res) == PGRES_TUPLES_OK ||
		   PQresultStatus(res) == PGRES_COMMAND_OK)
		ok = true;
	else
		api_reply_pg_error(ctx, res);
	if (call->done_arg != NULL)
		call->done_arg(ok ? ctx : NULL, ok ? res : NULL, call->arg);
	else if (ok)
		call->done(ctx, res);
	free(call);
}

/* The route's own lane; a route that names none reads with GET. */
static enum pool_lane
api_lane(const struct http_ctx *ctx)
{
	if (ctx->route->lane != POOL_LANE_DEFAULT)
		return ctx->route->lane;
	return ctx->route->method == EVHTTP_REQ_GET ? POOL_LANE_READ
						    : POOL_LANE_DEFAULT;
}

static void
api_call_queue(struct api_call *call, const char *sql, int nparams,
	       const char *const *params)
{
	struct http_ctx *ctx = call->ctx;
	enum pool_lane lane = api_lane(ctx);
	struct pool *pool =
	    lane == POOL_LANE_READ && !ctx->route->primary
		? replica_reads(ctx->app->replica, ctx->app->pool)
		: ctx->app->pool;
	enum pool_status status =
	    pool_query(pool, lane, sql, nparams, params, api_result_cb, call);

	/* A replica that went away since its last check: the primary reads. */
	if (status != POOL_QUEUED && pool != ctx->app->pool)
		status = pool_query(ctx->app->pool, lane, sql, nparams, params,
				    api_result_cb, call);
	if (status != POOL_QUEUED && call->any) {
		call->done(ctx, NULL);
		free(call);
		return;
	}
	switch (status) {
	case POOL_QUEUED:
		return;
	case POOL_FULL:
		http_reply_error(ctx, 503, "the server is overloaded; retry");
		break;
	case POOL_DOWN:
		http_reply_error(ctx, 503, "the database is unavailable");
		break;
	}
	if (call->done_arg != NULL)
		call->done_arg(NULL, NULL, call->arg);
	free(call);
}

void
api_query(struct http_ctx *ctx, const char *sql, int nparams,
	  const char *const *params, api_done_cb done)
{
	struct api_call *call = xcalloc(1, sizeof *call);

	call->ctx = ctx;
	call->done = done;
	api_call_queue(call, sql, nparams, params);
}

void
api_query_arg(struct http_ctx *ctx, const char *sql, int nparams,
	      const char *const *params, api_done_arg_cb done, void *arg)
{
	struct api_call *call = xcalloc(1, sizeof *call);

	call->ctx = ctx;
	call->done_arg = done;
	call->arg = arg;
	api_call_queue(call, sql, nparams, params);
}

void
api_query_any(struct http_ctx *ctx, const char *sql, int nparams,
	      const char *const *params, api_done_cb done)
{
	struct api_call *call = xcalloc(1, sizeof *call);

	call->ctx = ctx;
	call->done = done;
	call->any = true;
	api_call_queue(call, sql, nparams, params);
}
