/* Reading and validating a request's path, query string and body. */
#include "request.h"

#include "api.h"
#include "text.h"
#include "token.h"
#include "xmalloc.h"

#include <sys/queue.h>

#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

/* Ids are bigint: at most 18 digits stay within its range. */
#define REQUEST_ID_MAX_DIGITS 18

const char *
request_path_id(struct http_ctx *ctx, int arg)
{
	const char *s = ctx->args[arg];
	size_t len = s != NULL ? strspn(s, "0123456789") : 0;

	if (len == 0 || s[len] != '\0' || s[0] == '0' ||
	    len > REQUEST_ID_MAX_DIGITS) {
		http_reply_error(ctx, 404, "no such resource");
		return NULL;
	}
	return s;
}

/* Replies 422 with the field errors (owned) or returns clean as is. */
static cJSON *
request_checked(struct http_ctx *ctx, cJSON *clean, cJSON *errors,
		const char *message)
{
	if (clean == NULL)
		http_reply_fields(ctx, 422, message, errors);
	return clean;
}

cJSON *
request_body_new(struct http_ctx *ctx, const struct input_field *spec, size_t n,
		 bool partial)
{
	cJSON *body = http_body_json_new(ctx, REQUEST_BODY_LIMIT);
	cJSON *clean, *errors = NULL;

	if (body == NULL)
		return NULL;
	clean = input_validate_new(body, spec, n, partial, &errors);
	cJSON_Delete(body);
	return request_checked(ctx, clean, errors, "invalid input");
}

cJSON *
request_query_new(struct http_ctx *ctx, const struct input_field *spec,
		  size_t n)
{
	cJSON *params = cJSON_CreateObject();
	cJSON *clean, *errors = NULL;
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
	clean = input_validate_new(params, spec, n, false, &errors);
	cJSON_Delete(params);
	return request_checked(ctx, clean, errors, "invalid query parameters");
}

void
request_api_json(struct http_ctx *ctx, int status, const char *sql, int nparams,
		 const char *const *params, const cJSON *json)
{
	const char **all = xcalloc(nparams + 1, sizeof *all);
	char *text = cJSON_PrintUnformatted(json);

	if (nparams > 0)
		memcpy(all, params, nparams * sizeof *all);
	all[nparams] = text;
	/* The pool copies the parameters: both can go at once. */
	api_json(ctx, status, sql, nparams + 1, all);
	cJSON_free(text);
	free(all);
}

void
request_create(struct http_ctx *ctx, const struct input_field *spec, size_t n,
	       const char *sql)
{
	cJSON *body = request_body_new(ctx, spec, n, false);
	const char *params[1];

	if (body == NULL)
		return;
	params[0] = ctx->user_id;
	request_api_json(ctx, 201, sql, 1, params, body);
	cJSON_Delete(body);
}

void
request_create_tokened(struct http_ctx *ctx, const struct input_field *spec,
		       size_t n, const char *sql)
{
	char token[TOKEN_LEN + 1];
	const char *params[3];
	cJSON *body;

	if ((params[1] = request_path_id(ctx, 0)) == NULL)
		return;
	if ((body = request_body_new(ctx, spec, n, false)) == NULL)
		return;
	if (token_generate(token) != 0) {
		cJSON_Delete(body);
		http_reply_error(ctx, 500, "cannot make a check-in token");
		return;
	}
	params[0] = ctx->user_id;
	params[2] = token;
	/* A new registration or booth moves the event's live numbers. */
	ctx->changed_event = params[1];
	request_api_json(ctx, 201, sql, 3, params, body);
	cJSON_Delete(body);
}

void
request_update(struct http_ctx *ctx, const struct input_field *spec, size_t n,
	       const char *sql)
{
	const char *params[2];
	cJSON *body;

	if ((params[1] = request_path_id(ctx, 0)) == NULL)
		return;
	if ((body = request_body_new(ctx, spec, n, true)) == NULL)
		return;
	params[0] = ctx->user_id;
	request_api_json(ctx, 200, sql, 2, params, body);
	cJSON_Delete(body);
}

void
request_show(struct http_ctx *ctx, const char *sql)
{
	const char *id = request_path_id(ctx, 0);

	if (id != NULL)
		api_json(ctx, 200, sql, 1, &id);
}

void
request_list(struct http_ctx *ctx, const struct input_field *spec, size_t n,
	     const char *sql)
{
	cJSON *q = request_query_new(ctx, spec, n);

	if (q == NULL)
		return;
	request_api_json(ctx, 200, sql, 0, NULL, q);
	cJSON_Delete(q);
}
