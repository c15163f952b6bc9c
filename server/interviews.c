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
#include "routes.h"
#include "token.h"
#include "vocab.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define INTERVIEWS_IMPORT_MAX_ROWS 10000
#define INTERVIEWS_NONCE_MIN	   8
#define INTERVIEWS_ID_MAX	   9007199254740991L

static const struct input_field interviews_row_fields[] = {
    {"registration_id", INPUT_INT, false, 1, INTERVIEWS_ID_MAX, NULL, NULL, 0},
    {"token", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    {"company_id", INPUT_INT, false, 1, INTERVIEWS_ID_MAX, NULL, NULL, 0},
    {"corporate_number", INPUT_CORPORATE_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"outcome", INPUT_ENUM, true, 0, 0, vocab_accepted[VOCAB_OUTCOME], NULL, 0},
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
 * id) and, with `company`, which company, each named once; a token as a
 * scanner typed it is normalised in place. Problems go into errors under
 * prefix. A null (an empty CSV cell) is dropped first: it names nothing.
 */
static void
interviews_check_subject(cJSON *obj, const char *prefix, bool company,
			 cJSON *errors)
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
	if (company)
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

void
interviews_nonce_check(cJSON *body, cJSON *errors)
{
	const cJSON *nonce = cJSON_GetObjectItemCaseSensitive(body, "nonce");

	if (strlen(nonce->valuestring) < INTERVIEWS_NONCE_MIN)
		interviews_error(errors, "", "nonce",
				 "must be at least 8 characters");
}

void
interviews_record_check(cJSON *body, cJSON *errors)
{
	interviews_check_subject(body, "", true, errors);
	interviews_nonce_check(body, errors);
}

void
interviews_seeker_check(cJSON *body, cJSON *errors)
{
	interviews_check_subject(body, "", false, errors);
	interviews_nonce_check(body, errors);
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
			interviews_check_subject(out, prefix, true, errors);
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
interviews_import_outcomes(struct http_ctx *ctx, const cJSON *input)
{
	const char *params[3] = {ctx->user_id, ctx->args[0]};
	cJSON *body, *rows, *clean = NULL, *errors;
	char *text;

	(void)input;
	/* Each row is checked on its own, not with the row's field table. */
	if ((body = http_body_json_new(ctx, ctx->route->max_body)) == NULL)
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
	params[2] = text = cJSON_PrintUnformatted(body);
	api_query(ctx, "SELECT api_outcomes_import($1, $2, $3::jsonb)", 3,
		  params, interviews_import_done);
	cJSON_free(text);
	cJSON_Delete(body);
}
