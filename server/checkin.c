/*
 * The front desk. Each endpoint checks its input here and leaves the rest
 * to one SQL function of migrations/0005_checkin_api.sql: exactly-once
 * check-in rests on the database's unique indexes, idempotency on the
 * nonce each desk sends with a scan or a walk-in.
 */
#include "checkin.h"

#include "api.h"
#include "log.h"
#include "request.h"
#include "text.h"
#include "token.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* JSON numbers are exact up to 2^53: the largest id a client can send. */
#define CHECKIN_ID_MAX 9007199254740991L
/* What a scanner may type: another QR code read by mistake can be long. */
#define CHECKIN_TOKEN_MAX 1000
#define CHECKIN_DESK_MAX  50
#define CHECKIN_NONCE_MIN 8
#define CHECKIN_NONCE_MAX 100
/* Shorter runs of digits are more likely part of a name than a phone. */
#define CHECKIN_PHONE_MIN_DIGITS 3

static const struct input_field checkin_scan_fields[] = {
    {"token", INPUT_TEXT, false, 0, CHECKIN_TOKEN_MAX, NULL, NULL, 0},
    {"registration_id", INPUT_INT, false, 1, CHECKIN_ID_MAX, NULL, NULL, 0},
    {"desk", INPUT_TEXT, false, 0, CHECKIN_DESK_MAX, NULL, NULL, 0},
    {"scanned_at", INPUT_TIMESTAMP, false, 0, 0, NULL, NULL, 0},
    {"nonce", INPUT_TEXT, true, 0, CHECKIN_NONCE_MAX, NULL, NULL, 0},
    {"offline", INPUT_BOOL, false, 0, 0, NULL, NULL, 0},
};

static const struct input_field checkin_batch_fields[] = {
    {"scans", INPUT_OBJECT_LIST, true, 0, 0, NULL, checkin_scan_fields,
     REQUEST_NFIELDS(checkin_scan_fields)},
};

static const char *const checkin_categories[] = {
    "youth",   "senior",	"disability", "parenting",
    "welfare", "single_parent", NULL};

/* A walk-in gives the minimum; the rest can be added later. */
static const struct input_field checkin_walkin_fields[] = {
    {"name", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
    {"name_kana", INPUT_KANA, true, 0, 0, NULL, NULL, 0},
    {"categories", INPUT_ENUM_LIST, true, 0, 0, checkin_categories, NULL, 0},
    {"consent", INPUT_BOOL, true, 0, 0, NULL, NULL, 0},
    {"age", INPUT_INT, false, 15, 120, NULL, NULL, 0},
    {"phone", INPUT_PHONE, false, 0, 0, NULL, NULL, 0},
    {"supporters", INPUT_INT, false, 0, 10, NULL, NULL, 0},
    {"desk", INPUT_TEXT, false, 0, CHECKIN_DESK_MAX, NULL, NULL, 0},
    {"nonce", INPUT_TEXT, true, 0, CHECKIN_NONCE_MAX, NULL, NULL, 0},
};

static const struct input_field checkin_lookup_fields[] = {
    {"q", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
};

/* Records a field's problem, named "scans[3].nonce" inside a batch. */
static void
checkin_error(cJSON *errors, const char *prefix, const char *field,
	      const char *why)
{
	char *key;

	if (prefix == NULL) {
		cJSON_AddStringToObject(errors, field, why);
		return;
	}
	xasprintf(&key, "%s.%s", prefix, field);
	cJSON_AddStringToObject(errors, key, why);
	free(key);
}

/* A UUID, a base64 string and the like: printable ASCII, no spaces. */
static bool
checkin_nonce_ok(const char *s)
{
	size_t len = strlen(s);

	if (len < CHECKIN_NONCE_MIN || len > CHECKIN_NONCE_MAX)
		return false;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

static void
checkin_nonce_check(const cJSON *in, const char *prefix, cJSON *errors)
{
	const cJSON *nonce = cJSON_GetObjectItemCaseSensitive(in, "nonce");

	if (!checkin_nonce_ok(nonce->valuestring))
		checkin_error(errors, prefix, "nonce",
			      "must be 8 to 100 printable ASCII characters");
}

/*
 * What the field table cannot say about a scan: a token or a
 * registration id, not both, and a well-formed nonce. A token becomes its
 * canonical form; one that is not ours stays as typed, to be answered
 * unknown_token and kept in the scan log.
 */
static void
checkin_scan_check(cJSON *scan, const char *prefix, cJSON *errors)
{
	cJSON *token = cJSON_GetObjectItemCaseSensitive(scan, "token");
	const cJSON *id =
	    cJSON_GetObjectItemCaseSensitive(scan, "registration_id");
	bool has_token = cJSON_IsString(token), has_id = cJSON_IsNumber(id);
	char canonical[TOKEN_LEN + 1];

	if (has_token && has_id)
		checkin_error(errors, prefix, "token",
			      "give a token or a registration_id, not both");
	else if (!has_token && !has_id)
		checkin_error(errors, prefix, "token", "is required");
	else if (has_token && token_parse(token->valuestring, canonical))
		cJSON_SetValuestring(token, canonical);
	checkin_nonce_check(scan, prefix, errors);
}

/* Replies 422 if errors holds any; owns errors either way. */
static bool
checkin_refused(struct http_ctx *ctx, cJSON *errors)
{
	if (cJSON_GetArraySize(errors) == 0) {
		cJSON_Delete(errors);
		return false;
	}
	http_reply_fields(ctx, 422, "invalid input", errors);
	return true;
}

void
checkin_scan(struct http_ctx *ctx)
{
	const char *params[2] = {ctx->user_id};
	cJSON *scan, *errors;

	if ((params[1] = request_path_id(ctx, 0)) == NULL ||
	    (scan = request_body_new(ctx, checkin_scan_fields,
				     REQUEST_NFIELDS(checkin_scan_fields),
				     false)) == NULL)
		return;
	errors = cJSON_CreateObject();
	checkin_scan_check(scan, NULL, errors);
	ctx->changed_event = params[1];
	if (!checkin_refused(ctx, errors))
		request_api_json(ctx, 200,
				 "SELECT api_checkin($1, $2, $3::jsonb)", 2,
				 params, scan);
	cJSON_Delete(scan);
}

/* Nothing of a batch is taken unless every scan in it is well-formed. */
void
checkin_batch(struct http_ctx *ctx)
{
	const char *params[2] = {ctx->user_id};
	cJSON *body, *clean, *errors = NULL, *scan;
	const cJSON *scans;
	int i = 0;

	if ((params[1] = request_path_id(ctx, 0)) == NULL ||
	    (body = http_body_json_new(ctx, CHECKIN_BATCH_BODY_LIMIT)) == NULL)
		return;
	clean = input_validate_new(body, checkin_batch_fields,
				   REQUEST_NFIELDS(checkin_batch_fields), false,
				   &errors);
	cJSON_Delete(body);
	if (clean == NULL) {
		http_reply_fields(ctx, 422, "invalid input", errors);
		return;
	}
	errors = cJSON_CreateObject();
	scans = cJSON_GetObjectItemCaseSensitive(clean, "scans");
	if (cJSON_GetArraySize(scans) < 1 ||
	    cJSON_GetArraySize(scans) > CHECKIN_BATCH_MAX)
		cJSON_AddStringToObject(errors, "scans",
					"must hold 1 to 500 scans");
	cJSON_ArrayForEach(scan, scans)
	{
		char prefix[32];

		snprintf(prefix, sizeof prefix, "scans[%d]", i++);
		checkin_scan_check(scan, prefix, errors);
	}
	ctx->changed_event = params[1];
	if (!checkin_refused(ctx, errors))
		request_api_json(ctx, 200,
				 "SELECT api_checkin_batch($1, $2, $3::jsonb)",
				 2, params, clean);
	cJSON_Delete(clean);
}

void
checkin_undo(struct http_ctx *ctx)
{
	const char *params[3] = {ctx->user_id};

	if ((params[1] = request_path_id(ctx, 0)) == NULL ||
	    (params[2] = request_path_id(ctx, 1)) == NULL)
		return;
	ctx->changed_event = params[1];
	api_json(ctx, 200, "SELECT api_checkin_undo($1, $2, $3)", 3, params);
}

/* A fresh check-in token in out, or false after replying 500. */
static bool
checkin_token_new(struct http_ctx *ctx, char out[TOKEN_LEN + 1])
{
	if (token_generate(out) == 0)
		return true;
	log_error("cannot read random bytes for a check-in token");
	http_reply_error(ctx, 500, "cannot make a check-in token");
	return false;
}

void
checkin_walkin(struct http_ctx *ctx)
{
	char token[TOKEN_LEN + 1];
	/* The front desk sees what it needs to greet the person, no more. */
	const char *params[4] = {ctx->user_id, NULL, token,
				 ctx->role == ROLE_FRONTDESK ? "desk" : "full"};
	cJSON *body, *errors;

	if ((params[1] = request_path_id(ctx, 0)) == NULL ||
	    (body = request_body_new(ctx, checkin_walkin_fields,
				     REQUEST_NFIELDS(checkin_walkin_fields),
				     false)) == NULL)
		return;
	errors = cJSON_CreateObject();
	checkin_nonce_check(body, NULL, errors);
	ctx->changed_event = params[1];
	if (!checkin_refused(ctx, errors) && checkin_token_new(ctx, token))
		request_api_json(ctx, 201,
				 "SELECT api_walkin($1, $2, $3, $4, $5::jsonb)",
				 4, params, body);
	cJSON_Delete(body);
}

void
checkin_lookup(struct http_ctx *ctx)
{
	const char *params[4] = {ctx->user_id};
	char *key, *digits;
	cJSON *query;
	const char *q;

	if ((params[1] = request_path_id(ctx, 0)) == NULL ||
	    (query = request_query_new(
		 ctx, checkin_lookup_fields,
		 REQUEST_NFIELDS(checkin_lookup_fields))) == NULL)
		return;
	q = cJSON_GetObjectItemCaseSensitive(query, "q")->valuestring;
	key = text_search_key_new(q);
	digits = text_digits_new(q);
	if (digits != NULL && strlen(digits) < CHECKIN_PHONE_MIN_DIGITS) {
		free(digits);
		digits = NULL;
	}
	if (key == NULL || *key == '\0') {
		cJSON *errors = cJSON_CreateObject();

		cJSON_AddStringToObject(errors, "q",
					"must hold letters, kana or digits");
		http_reply_fields(ctx, 422, "invalid query parameters", errors);
	} else {
		params[2] = key;
		params[3] = digits;
		api_json(ctx, 200, "SELECT api_lookup($1, $2, $3, $4)", 4,
			 params);
	}
	free(key);
	free(digits);
	cJSON_Delete(query);
}

void
checkin_roster(struct http_ctx *ctx)
{
	const char *params[2] = {ctx->user_id};

	if ((params[1] = request_path_id(ctx, 0)) == NULL)
		return;
	api_json(ctx, 200, "SELECT api_roster($1, $2)", 2, params);
}

/* Runs sql with the caller, the path's `nids` ids and a new token. */
static void
checkin_reissue(struct http_ctx *ctx, const char *sql, int nids)
{
	char token[TOKEN_LEN + 1];
	const char *params[4] = {ctx->user_id};

	for (int i = 0; i < nids; i++)
		if ((params[1 + i] = request_path_id(ctx, i)) == NULL)
			return;
	if (!checkin_token_new(ctx, token))
		return;
	params[1 + nids] = token;
	api_json(ctx, 200, sql, nids + 2, params);
}

void
checkin_reissue_registration(struct http_ctx *ctx)
{
	checkin_reissue(ctx,
			"SELECT api_reissue_registration_token($1, $2, $3)", 1);
}

void
checkin_reissue_booth(struct http_ctx *ctx)
{
	checkin_reissue(ctx, "SELECT api_reissue_booth_token($1, $2, $3, $4)",
			2);
}
