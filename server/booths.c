/*
 * /api/v1/events/{id}/companies. A new booth gets its check-in token from
 * the server (never from the client); PATCH replaces the openings when it
 * names them.
 */
#include "booths.h"

#include "bodies.h"
#include "request.h"

static const struct input_field booths_filters[] = {
    {"status", INPUT_ENUM, false, 0, 0, vocab_accepted[VOCAB_BOOTH_STATUS],
     NULL, 0},
    REQUEST_PAGE_FIELDS,
};

void
booths_create(struct http_ctx *ctx)
{
	request_create_tokened(
	    ctx, bodies_booth, REQUEST_NFIELDS(bodies_booth),
	    "SELECT api_booth_create($1, $2, $3, $4::jsonb)");
}

void
booths_list(struct http_ctx *ctx)
{
	const char *params[1];
	cJSON *q;

	if ((params[0] = request_path_id(ctx, 0)) == NULL)
		return;
	if ((q = request_query_new(ctx, booths_filters,
				   REQUEST_NFIELDS(booths_filters))) == NULL)
		return;
	request_api_json(ctx, 200, "SELECT api_booths_list($1, $2::jsonb)", 1,
			 params, q);
	cJSON_Delete(q);
}

void
booths_update(struct http_ctx *ctx)
{
	const char *params[3];
	cJSON *body;

	if ((params[1] = request_path_id(ctx, 0)) == NULL ||
	    (params[2] = request_path_id(ctx, 1)) == NULL)
		return;
	if ((body = request_body_new(ctx, bodies_booth + 1,
				     REQUEST_NFIELDS(bodies_booth) - 1,
				     true)) == NULL)
		return;
	params[0] = ctx->user_id;
	ctx->changed_event = params[1];
	request_api_json(ctx, 200,
			 "SELECT api_booth_update($1, $2, $3, $4::jsonb)", 3,
			 params, body);
	cJSON_Delete(body);
}
