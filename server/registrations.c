/*
 * /api/v1/events/{id}/registrations (one or a batch) and
 * /api/v1/registrations/{id}. Each field is checked with common/bodies.c;
 * rules across fields are the SQL function's. This file also picks the
 * view by role.
 */
#include "registrations.h"

#include "api.h"
#include "bodies.h"
#include "log.h"
#include "request.h"
#include "token.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>

static const struct input_field registrations_batch_fields[] = {
    {"registrations", INPUT_OBJECT_LIST, true, 0, 0, NULL, bodies_registration,
     REQUEST_NFIELDS(bodies_registration)},
};

static const struct input_field registrations_filters[] = {
    {"status", INPUT_ENUM, false, 0, 0, bodies_registration_statuses, NULL, 0},
    REQUEST_PAGE_FIELDS,
};

/* The routes admit organizers, admins and (for reads) the front desk. */
static const char *
registrations_view(const struct http_ctx *ctx)
{
	return ctx->role == ROLE_FRONTDESK ? "desk" : "full";
}

void
registrations_create(struct http_ctx *ctx)
{
	request_create_tokened(
	    ctx, bodies_registration, REQUEST_NFIELDS(bodies_registration),
	    "SELECT api_registration_create($1, $2, $3, $4::jsonb)");
}

/*
 * n new check-in tokens as a PostgreSQL array literal, "{JF1-…,JF1-…}"
 * (their characters need no quoting), or NULL if the CSPRNG fails. The
 * caller frees it.
 */
static char *
registrations_tokens_new(int n)
{
	char *tokens = xmalloc((size_t)n * (TOKEN_LEN + 1) + 2), *p = tokens;

	*p++ = '{';
	for (int i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		if (token_generate(p) != 0) {
			free(tokens);
			return NULL;
		}
		p += TOKEN_LEN;
	}
	*p++ = '}';
	*p = '\0';
	return tokens;
}

/*
 * Every item is checked as the single endpoint checks its body, and all
 * problems are answered at once ("registrations[2].name_kana") before
 * anything is written. What the database refuses is refused per item.
 */
void
registrations_create_batch(struct http_ctx *ctx)
{
	const char *params[3] = {ctx->user_id};
	cJSON *body, *clean, *errors = NULL;
	char *tokens;
	int n;

	if ((params[1] = request_path_id(ctx, 0)) == NULL ||
	    (body = http_body_json_new(ctx, REGISTRATIONS_BATCH_BODY_LIMIT)) ==
		NULL)
		return;
	clean = input_validate_new(body, registrations_batch_fields,
				   REQUEST_NFIELDS(registrations_batch_fields),
				   false, &errors);
	cJSON_Delete(body);
	if (clean == NULL) {
		http_reply_fields(ctx, 422, "invalid input", errors);
		return;
	}
	n = cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(clean, "registrations"));
	if (n < 1 || n > REGISTRATIONS_BATCH_MAX) {
		char why[64];

		snprintf(why, sizeof why, "must hold 1 to %d registrations",
			 REGISTRATIONS_BATCH_MAX);
		errors = cJSON_CreateObject();
		cJSON_AddStringToObject(errors, "registrations", why);
		http_reply_fields(ctx, 422, "invalid input", errors);
	} else if ((tokens = registrations_tokens_new(n)) == NULL) {
		log_error("cannot read random bytes for check-in tokens");
		http_reply_error(ctx, 500, "cannot make a check-in token");
	} else {
		params[2] = tokens;
		/* New registrations move the event's live numbers. */
		ctx->changed_event = params[1];
		request_api_json(ctx, 200,
				 "SELECT api_registration_create_batch($1, $2, "
				 "$3::text[], $4::jsonb)",
				 3, params, clean);
		free(tokens);
	}
	cJSON_Delete(clean);
}

void
registrations_list(struct http_ctx *ctx)
{
	const char *params[3];
	cJSON *q;

	if ((params[1] = request_path_id(ctx, 0)) == NULL)
		return;
	if ((q = request_query_new(ctx, registrations_filters,
				   REQUEST_NFIELDS(registrations_filters))) ==
	    NULL)
		return;
	params[0] = ctx->user_id;
	params[2] = registrations_view(ctx);
	request_api_json(ctx, 200,
			 "SELECT api_registrations_list($1, $2, $3, $4::jsonb)",
			 3, params, q);
	cJSON_Delete(q);
}

void
registrations_show(struct http_ctx *ctx)
{
	const char *params[3];

	if ((params[1] = request_path_id(ctx, 0)) == NULL)
		return;
	params[0] = ctx->user_id;
	params[2] = registrations_view(ctx);
	api_json(ctx, 200, "SELECT api_registration_get($1, $2, $3)", 3,
		 params);
}

/* An action on the registration named in the path; it takes no body. */
void
registrations_cancel(struct http_ctx *ctx)
{
	const char *params[2];

	if ((params[1] = request_path_id(ctx, 0)) == NULL)
		return;
	params[0] = ctx->user_id;
	api_json(
	    ctx, 200,
	    "SELECT r, r->>'event_id' FROM api_registration_cancel($1, $2) "
	    "AS r",
	    2, params);
}
