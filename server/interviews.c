/*
 * /api/v1/events/{id}/interviews, /api/v1/interviews/{id} and
 * /api/v1/events/{id}/outcomes. A job seeker is named by the QR code's
 * check-in token or by registration id, a company by id or (in a
 * company's CSV) by 法人番号; the rules that need the database (the
 * token's event, a booth at the event, one interview per job seeker and
 * company, the nonce) are in migrations/0006_reports.sql.
 */
#include "interviews.h"

#include "api.h"
#include "request.h"
#include "token.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* A company's CSV of outcomes: a few thousand rows at the most. */
#define INTERVIEWS_IMPORT_MAX_ROWS 10000
#define INTERVIEWS_NONCE_MIN	   8
#define INTERVIEWS_ID_MAX	   9007199254740991L

static const char *const interviews_outcomes[] = {
    "pending", "offer", "hired", "declined", "withdrawn", NULL};

static const struct input_field interviews_record_fields[] = {
    {"company_id", INPUT_INT, true, 1, INTERVIEWS_ID_MAX, NULL, NULL, 0},
    {"registration_id", INPUT_INT, false, 1, INTERVIEWS_ID_MAX, NULL, NULL, 0},
    {"token", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    {"nonce", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
};

static const struct input_field interviews_update_fields[] = {
    {"outcome", INPUT_ENUM, false, 0, 0, interviews_outcomes, NULL, 0},
    {"outcome_date", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
};

static const struct input_field interviews_filters[] = {
    {"company_id", INPUT_INT, false, 1, INTERVIEWS_ID_MAX, NULL, NULL, 0},
    {"outcome", INPUT_ENUM, false, 0, 0, interviews_outcomes, NULL, 0},
    REQUEST_PAGE_FIELDS,
};

static const struct input_field interviews_row_fields[] = {
    {"registration_id", INPUT_INT, false, 1, INTERVIEWS_ID_MAX, NULL, NULL, 0},
    {"token", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    {"company_id", INPUT_INT, false, 1, INTERVIEWS_ID_MAX, NULL, NULL, 0},
    {"corporate_number", INPUT_CORPORATE_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"outcome", INPUT_ENUM, true, 0, 0, interviews_outcomes, NULL, 0},
    {"outcome_date", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
};

static void
interviews_error(cJSON *errors, const char *prefix, const char *field,
		 const char *why)
{
	char *key;

	xasprintf(&key, "%s%s", prefix, field);
	cJSON_AddStringToObject(errors, key, why);
	free(key);
}

/* Exactly one of two fields that name the same thing. */
static void
interviews_one_of(const cJSON *obj, const char *a, const char *b,
		  const char *prefix, cJSON *errors)
{
	bool has_a = cJSON_GetObjectItemCaseSensitive(obj, a) != NULL;
	bool has_b = cJSON_GetObjectItemCaseSensitive(obj, b) != NULL;
	char *why;

	if (has_a != has_b)
		return;
	xasprintf(&why, has_a ? "give %s or %s, not both" : "give %s or %s", a,
		  b);
	interviews_error(errors, prefix, a, why);
	free(why);
}

/*
 * The checks the input table cannot express: who (token or registration
 * id) and which company, each named once; a token as a scanner typed it
 * is normalised in place. Problems go into errors under prefix. A null
 * (an empty CSV cell) is dropped first: it names nothing.
 */
static void
interviews_check_subject(cJSON *obj, const char *prefix, cJSON *errors)
{
	char norm[TOKEN_LEN + 1];
	cJSON *item = obj->child, *next, *token;

	for (; item != NULL; item = next) {
		next = item->next;
		if (cJSON_IsNull(item))
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, item));
	}
	token = cJSON_GetObjectItemCaseSensitive(obj, "token");
	interviews_one_of(obj, "registration_id", "token", prefix, errors);
	interviews_one_of(obj, "company_id", "corporate_number", prefix,
			  errors);
	if (!cJSON_IsString(token))
		return;
	if (token_parse(token->valuestring, norm))
		cJSON_SetValuestring(token, norm);
	else
		interviews_error(errors, prefix, "token",
				 "is not a check-in token");
}

/* The function answers (status, body): 201 recorded, 200 already. */
static void
interviews_record_done(struct http_ctx *ctx, const PGresult *res)
{
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 1)) {
		http_reply_error(ctx, 500, "internal error");
		return;
	}
	http_reply_text_json(ctx, atoi(PQgetvalue(res, 0, 0)),
			     PQgetvalue(res, 0, 1), PQgetlength(res, 0, 1));
}

void
interviews_record(struct http_ctx *ctx)
{
	const char *params[3];
	cJSON *body, *errors, *nonce;
	char *text;

	if ((params[1] = request_path_id(ctx, 0)) == NULL)
		return;
	body =
	    request_body_new(ctx, interviews_record_fields,
			     REQUEST_NFIELDS(interviews_record_fields), false);
	if (body == NULL)
		return;
	errors = cJSON_CreateObject();
	interviews_check_subject(body, "", errors);
	nonce = cJSON_GetObjectItemCaseSensitive(body, "nonce");
	if (strlen(nonce->valuestring) < INTERVIEWS_NONCE_MIN)
		interviews_error(errors, "", "nonce",
				 "must be at least 8 characters");
	if (cJSON_GetArraySize(errors) > 0) {
		cJSON_Delete(body);
		http_reply_fields(ctx, 422, "invalid input", errors);
		return;
	}
	cJSON_Delete(errors);
	params[0] = ctx->user_id;
	params[2] = text = cJSON_PrintUnformatted(body);
	api_query(ctx,
		  "SELECT status, answer FROM api_interview_record($1, $2, "
		  "$3::jsonb)",
		  3, params, interviews_record_done);
	cJSON_free(text);
	cJSON_Delete(body);
}

void
interviews_list(struct http_ctx *ctx)
{
	const char *params[2];
	cJSON *q;

	if ((params[1] = request_path_id(ctx, 0)) == NULL)
		return;
	q = request_query_new(ctx, interviews_filters,
			      REQUEST_NFIELDS(interviews_filters));
	if (q == NULL)
		return;
	params[0] = ctx->user_id;
	request_api_json(ctx, 200,
			 "SELECT api_interviews_list($1, $2, $3::jsonb)", 2,
			 params, q);
	cJSON_Delete(q);
}

void
interviews_update(struct http_ctx *ctx)
{
	request_update(ctx, interviews_update_fields,
		       REQUEST_NFIELDS(interviews_update_fields),
		       "SELECT api_interview_update($1, $2, $3::jsonb)");
}

/* Either {"errors": {...}} (nothing was written) or the counts. */
static void
interviews_import_done(struct http_ctx *ctx, const PGresult *res)
{
	cJSON *answer, *errors;

	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0) ||
	    (answer = cJSON_Parse(PQgetvalue(res, 0, 0))) == NULL) {
		http_reply_error(ctx, 500, "internal error");
		return;
	}
	errors = cJSON_DetachItemFromObjectCaseSensitive(answer, "errors");
	if (errors != NULL)
		http_reply_fields(ctx, 422,
				  "invalid rows; nothing was imported", errors);
	else
		http_reply_json(ctx, 200, answer);
	cJSON_Delete(answer);
}

/*
 * Every row checked on its own, so one request names every bad row and
 * field; the rows come back normalised in a new array, or NULL with the
 * problems in errors.
 */
static cJSON *
interviews_rows_new(const cJSON *rows, cJSON *errors)
{
	cJSON *clean = cJSON_CreateArray();
	const cJSON *row;
	int i = 0;

	cJSON_ArrayForEach(row, rows)
	{
		cJSON *out, *row_errors = NULL, *e;
		char *prefix;

		xasprintf(&prefix, "rows[%d].", i++);
		out = input_validate_new(row, interviews_row_fields,
					 REQUEST_NFIELDS(interviews_row_fields),
					 false, &row_errors);
		if (out != NULL) {
			interviews_check_subject(out, prefix, errors);
			cJSON_AddItemToArray(clean, out);
		}
		cJSON_ArrayForEach(e, row_errors)
		    interviews_error(errors, prefix, e->string, e->valuestring);
		cJSON_Delete(row_errors);
		free(prefix);
	}
	if (cJSON_GetArraySize(errors) == 0)
		return clean;
	cJSON_Delete(clean);
	return NULL;
}

void
interviews_import_outcomes(struct http_ctx *ctx)
{
	const char *params[3];
	cJSON *body, *rows, *clean = NULL, *errors;
	char *text;

	if ((params[1] = request_path_id(ctx, 0)) == NULL)
		return;
	if ((body = http_body_json_new(ctx, INTERVIEWS_IMPORT_LIMIT)) == NULL)
		return;
	errors = cJSON_CreateObject();
	rows = cJSON_GetObjectItemCaseSensitive(body, "rows");
	if (cJSON_GetArraySize(body) != 1 || !cJSON_IsArray(rows))
		cJSON_AddStringToObject(errors, "rows",
					"must be the only field, a list of "
					"objects");
	else if (cJSON_GetArraySize(rows) == 0)
		cJSON_AddStringToObject(errors, "rows", "must not be empty");
	else if (cJSON_GetArraySize(rows) > INTERVIEWS_IMPORT_MAX_ROWS)
		cJSON_AddStringToObject(errors, "rows",
					"must be at most 10000 rows");
	else
		clean = interviews_rows_new(rows, errors);
	cJSON_Delete(body);
	if (clean == NULL) {
		http_reply_fields(ctx, 422,
				  "invalid rows; nothing was imported", errors);
		return;
	}
	cJSON_Delete(errors);
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "rows", clean);
	params[0] = ctx->user_id;
	params[2] = text = cJSON_PrintUnformatted(body);
	api_query(ctx, "SELECT api_outcomes_import($1, $2, $3::jsonb)", 3,
		  params, interviews_import_done);
	cJSON_free(text);
	cJSON_Delete(body);
}
