/*
 * POST /api/v1/events/{id}/registrations/batch: each item is checked with
 * common/bodies.c as the single create checks its body (the row in
 * routes.c); rules across fields are the SQL function's.
 */
#include "registrations.h"

#include "log.h"
#include "request.h"
#include "token.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>

char *
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
 * Every item is checked as the single endpoint checks its body; an item
 * with problems is refused alone, with all of them, in its place among
 * the results (input.h, INPUT_OBJECT_ROWS). What the database refuses is
 * refused per item too.
 */
void
registrations_create_batch(struct http_ctx *ctx, const cJSON *clean)
{
	const char *params[3] = {ctx->user_id, ctx->args[0]};
	cJSON *errors;
	char *tokens;
	int n;

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
		request_run(ctx,
			    "SELECT api_registration_create_batch($1, $2, "
			    "$3::text[], $4::jsonb)",
			    3, params, clean);
		free(tokens);
	}
}
