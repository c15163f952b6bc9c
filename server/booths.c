/*
 * /api/v1/events/{id}/companies. A new booth gets its check-in token from
 * the server (never from the client); PATCH replaces the openings when it
 * names them.
 */
#include "booths.h"

#include "request.h"

static const char *const booths_statuses[] = {"applied", "confirmed",
					      "cancelled", NULL};
/* "契約" is the staff's short form; the database stores 契約社員. */
static const char *const booths_employment_types[] = {
    "正社員", "契約社員", "契約",   "パート", "アルバイト",
    "派遣",   "嘱託",	  "その他", NULL};

static const struct input_field booths_openings[] = {
    {"title", INPUT_TEXT, true, 0, 200, NULL, NULL, 0},
    {"employment_type", INPUT_ENUM, true, 0, 0, booths_employment_types, NULL,
     0},
    {"job_number", INPUT_JOB_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"count", INPUT_INT, false, 1, 999, NULL, NULL, 0},
};

/* company_id comes first: PATCH, which has it in the path, skips it. */
static const struct input_field booths_fields[] = {
    {"company_id", INPUT_INT, true, 1, 9007199254740991L, NULL, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, booths_statuses, NULL, 0},
    {"booth", INPUT_TEXT, false, 0, 50, NULL, NULL, 0},
    {"representatives", INPUT_INT, false, 0, 50, NULL, NULL, 0},
    {"openings", INPUT_OBJECT_LIST, false, 0, 0, NULL, booths_openings,
     REQUEST_NFIELDS(booths_openings)},
};

static const struct input_field booths_filters[] = {
    {"status", INPUT_ENUM, false, 0, 0, booths_statuses, NULL, 0},
    REQUEST_PAGE_FIELDS,
};

void
booths_create(struct http_ctx *ctx)
{
	request_create_tokened(
	    ctx, booths_fields, REQUEST_NFIELDS(booths_fields),
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
	if ((body = request_body_new(ctx, booths_fields + 1,
				     REQUEST_NFIELDS(booths_fields) - 1,
				     true)) == NULL)
		return;
	params[0] = ctx->user_id;
	ctx->changed_event = params[1];
	request_api_json(ctx, 200,
			 "SELECT api_booth_update($1, $2, $3, $4::jsonb)", 3,
			 params, body);
	cJSON_Delete(body);
}
