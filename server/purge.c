/*
 * /api/v1/seekers/purge. What is removed and what is kept is decided in
 * api_seekers_purge() (migrations/0006_reports.sql), in one transaction
 * with its audit row.
 */
#include "purge.h"

#include "api.h"
#include "request.h"

static const struct input_field purge_fields[] = {
    {"before_fiscal_year", INPUT_INT, true, 1989, 2100, NULL, NULL, 0},
};

void
purge_seekers(struct http_ctx *ctx)
{
	cJSON *body = request_body_new(ctx, purge_fields,
				       REQUEST_NFIELDS(purge_fields), false);
	const char *params[1];

	if (body == NULL)
		return;
	params[0] = ctx->user_id;
	request_api_json(ctx, 200,
			 "SELECT api_seekers_purge($1, "
			 "($2::jsonb ->> 'before_fiscal_year')::int)",
			 1, params, body);
	cJSON_Delete(body);
}
