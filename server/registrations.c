/*
 * /api/v1/events/{id}/registrations and /api/v1/registrations/{id}.
 * Cross-field rules (consent given, birth date or age, capacity, one
 * registration per person) are the SQL function's, so they hold for
 * every writer; this file checks each field and picks the view.
 */
#include "registrations.h"

#include "api.h"
#include "request.h"

static const char *const registrations_categories[] = {
    "youth",   "senior",	"disability", "parenting",
    "welfare", "single_parent", NULL};
static const char *const registrations_handbooks[] = {
    "physical", "intellectual", "mental", "none", NULL};
static const char *const registrations_accommodations[] = {
    "sign_language",
    "captioning",
    "written",
    "wheelchair",
    "braille_large_print",
    "rest_breaks",
    "supporter",
    "other",
    NULL};
static const char *const registrations_statuses[] = {"registered", "cancelled",
						     NULL};

static const struct input_field registrations_disability[] = {
    {"handbook", INPUT_ENUM, true, 0, 0, registrations_handbooks, NULL, 0},
};

static const struct input_field registrations_fields[] = {
    {"name", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
    {"name_kana", INPUT_KANA, true, 0, 0, NULL, NULL, 0},
    {"birth_date", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
    {"age", INPUT_INT, false, 15, 120, NULL, NULL, 0},
    {"phone", INPUT_PHONE, false, 0, 0, NULL, NULL, 0},
    {"email", INPUT_EMAIL, false, 0, 0, NULL, NULL, 0},
    {"categories", INPUT_ENUM_LIST, false, 0, 0, registrations_categories, NULL,
     0},
    {"disability", INPUT_OBJECT, false, 0, 0, NULL, registrations_disability,
     REQUEST_NFIELDS(registrations_disability)},
    {"accommodations", INPUT_ENUM_LIST, false, 0, 0,
     registrations_accommodations, NULL, 0},
    {"accommodation_note", INPUT_TEXT, false, 0, 1000, NULL, NULL, 0},
    {"supporters", INPUT_INT, false, 0, 10, NULL, NULL, 0},
    {"consent", INPUT_BOOL, true, 0, 0, NULL, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, registrations_statuses, NULL, 0},
};

static const struct input_field registrations_filters[] = {
    {"status", INPUT_ENUM, false, 0, 0, registrations_statuses, NULL, 0},
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
	    ctx, registrations_fields, REQUEST_NFIELDS(registrations_fields),
	    "SELECT api_registration_create($1, $2, $3, $4::jsonb)");
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
	api_json(ctx, 200, "SELECT api_registration_cancel($1, $2)", 2, params);
}
