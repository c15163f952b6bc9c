/*
 * The one executor of the route rows: path arguments, input, parameters,
 * statement and answer, each as the row says.
 */
#include "request.h"

#include "api.h"
#include "app.h"
#include "log.h"
#include "metrics.h"
#include "routes.h"
#include "text.h"
#include "token.h"
#include "xmalloc.h"

#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

/* Ids are bigint: at most 18 digits stay within its range. */
#define REQUEST_ID_MAX_DIGITS 18
/* The user, a link, every path argument, a token, a view and the input. */
#define REQUEST_MAX_PARAMS (HTTP_MAX_ARGS + 5)

static bool
request_id_ok(const char *s)
{
	size_t len = strspn(s, "0123456789");

	return len > 0 && s[len] == '\0' && s[0] != '0' &&
	       len <= REQUEST_ID_MAX_DIGITS;
}

/* A metric code as plan_metrics allows it. */
static bool
request_metric_code_ok(const char *s)
{
	size_t len = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return len > 0 && len <= 64 && s[len] == '\0';
}

/* A fiscal year the plan can hold. */
static bool
request_fiscal_year_ok(const char *s)
{
	int fy;

	return strlen(s) == 4 && strspn(s, "0123456789") == 4 &&
	       (fy = atoi(s)) >= 1989 && fy <= 2100;
}

/* A public receipt's or cancellation's secret: 64 hex digits. */
static bool
request_secret_ok(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* The path arguments that are not ids, by their name in the pattern. */
static const struct {
	const char *name;
	bool (*ok)(const char *s);
	const char *missing;
} request_path_kinds[] = {
    {.name = "{code}",
     .ok = request_metric_code_ok,
     .missing = "no such metric"},
    {.name = "{fy}",
     .ok = request_fiscal_year_ok,
     .missing = "no such fiscal year"},
    {.name = "{secret}", .ok = request_secret_ok, .missing = "no such page"},
};

bool
request_path_ok(struct http_ctx *ctx)
{
	const char *seg = ctx->route->path;
	int arg = 0;

	while ((seg = strchr(seg, '{')) != NULL && arg < HTTP_MAX_ARGS) {
		size_t len = strcspn(seg, "/");
		bool (*ok)(const char *) = request_id_ok;
		const char *missing = "no such resource";

		for (size_t k = 0;
		     k < sizeof request_path_kinds / sizeof *request_path_kinds;
		     k++)
			if (strlen(request_path_kinds[k].name) == len &&
			    strncmp(seg, request_path_kinds[k].name, len) ==
				0) {
				ok = request_path_kinds[k].ok;
				missing = request_path_kinds[k].missing;
			}
		if (!ok(ctx->args[arg++])) {
			http_reply_error(ctx, 404, missing);
			return false;
		}
		seg += len;
	}
	return true;
}

/* The query string as a JSON object of strings, or NULL after 400. */
static cJSON *
request_query_new(struct http_ctx *ctx)
{
	cJSON *params = cJSON_CreateObject();
	struct evkeyval *kv;

	/* evhttp has decoded the values; they are checked like a body. */
	TAILQ_FOREACH(kv, ctx->query, next)
	{
		if (!text_valid_utf8(kv->key, strlen(kv->key)) ||
		    !text_valid_utf8(kv->value, strlen(kv->value))) {
			cJSON_Delete(params);
			http_reply_error(ctx, 400,
					 "query string is not valid UTF-8");
			return NULL;
		}
		if (cJSON_GetObjectItemCaseSensitive(params, kv->key) == NULL)
			cJSON_AddStringToObject(params, kv->key, kv->value);
	}
	return params;
}

int
request_input(struct http_ctx *ctx, cJSON **input)
{
	const struct route *r = ctx->route;
	cJSON *raw, *clean, *errors = NULL;
	const char *message;

	*input = NULL;
	if (r->body != NULL) {
		raw = http_body_json_new(ctx, r->max_body);
		message = "invalid input";
	} else if (r->filters != NULL || r->no_query) {
		raw = request_query_new(ctx);
		message = "invalid query parameters";
	} else
		return 0;
	if (raw == NULL)
		return -1;
	if (r->body != NULL)
		clean =
		    input_validate_new(raw, r->body, r->nbody,
				       r->method == EVHTTP_REQ_PATCH, &errors);
	else
		clean = input_validate_new(raw, r->filters, r->nfilters, false,
					   &errors);
	cJSON_Delete(raw);
	if (clean != NULL && r->check != NULL) {
		errors = cJSON_CreateObject();
		r->check(clean, errors);
		if (cJSON_GetArraySize(errors) == 0) {
			cJSON_Delete(errors);
			errors = NULL;
		} else {
			cJSON_Delete(clean);
			clean = NULL;
		}
	}
	if (clean == NULL) {
		http_reply_fields(ctx, 422, message, errors);
		return -1;
	}
	if (r->no_query)
		cJSON_Delete(clean);
	else
		*input = clean;
	return 0;
}

/*
 * The event whose live numbers a row's change moved: the statement's
 * second column when it has one (a change the path does not name the
 * event of), else the path's first argument.
 */
static const char *
request_changed_event(const struct http_ctx *ctx, const PGresult *res)
{
	if (PQnfields(res) < 2)
		return ctx->args[0];
	if (PQntuples(res) < 1 || PQgetisnull(res, 0, 1))
		return NULL;
	return PQgetvalue(res, 0, 1);
}

static void
request_done(struct http_ctx *ctx, const PGresult *res)
{
	const struct route *r = ctx->route;
	const char *event;

	if (r->after != NULL && (event = request_changed_event(ctx, res)))
		r->after(ctx, event);
	if (r->shape == ROUTE_STATUS_JSON) {
		if (PQntuples(res) != 1 || PQnfields(res) < 2 ||
		    PQgetisnull(res, 0, 1)) {
			http_reply_error(ctx, 500, "internal error");
			return;
		}
		http_reply_text_json(ctx, atoi(PQgetvalue(res, 0, 0)),
				     PQgetvalue(res, 0, 1),
				     PQgetlength(res, 0, 1));
		return;
	}
	if (PQntuples(res) < 1 || PQnfields(res) < 1 ||
	    PQgetisnull(res, 0, 0)) {
		http_reply_error(ctx, 404, "no such resource");
		return;
	}
	if (r->counts_checkins)
		metrics_checkin_results(ctx->app->metrics,
					PQgetvalue(res, 0, 0));
	http_reply_text_json(ctx, r->status != 0 ? r->status : 200,
			     PQgetvalue(res, 0, 0), PQgetlength(res, 0, 0));
}

void
request_run(struct http_ctx *ctx, const char *sql, int nparams,
	    const char *const *params, const cJSON *json)
{
	const char *all[REQUEST_MAX_PARAMS + 1];
	char *text = NULL;

	if (nparams > 0)
		memcpy(all, params, nparams * sizeof *all);
	/* The SQL functions take the checked input as one jsonb parameter. */
	if (json != NULL)
		all[nparams++] = text = cJSON_PrintUnformatted(json);
	/* The pool copies the parameters: the text can go at once. */
	api_query(ctx, sql, nparams, all, request_done);
	cJSON_free(text);
}

const char *
request_view(const struct http_ctx *ctx)
{
	return (ctx->role & ROLES_STAFF) != 0 ? "full" : "desk";
}

void
request_execute(struct http_ctx *ctx, const cJSON *input)
{
	const struct route *r = ctx->route;
	const char *params[REQUEST_MAX_PARAMS];
	char token[TOKEN_LEN + 1];
	int n = 0;

	if (r->params & ROUTE_USER)
		params[n++] = ctx->user_id;
	if (r->params & ROUTE_LINK)
		params[n++] = ctx->link_id;
	for (int i = 0; i < HTTP_MAX_ARGS && ctx->args[i] != NULL; i++)
		params[n++] = ctx->args[i];
	if (r->params & ROUTE_TOKEN) {
		if (token_generate(token) != 0) {
			log_error("cannot read random bytes for a check-in "
				  "token");
			http_reply_error(ctx, 500,
					 "cannot make a check-in token");
			return;
		}
		params[n++] = token;
	}
	/* The front desk sees what it needs to greet the person, no more. */
	if (r->params & ROUTE_VIEW)
		params[n++] = request_view(ctx);
	request_run(ctx, r->sql, n, params, input);
}
