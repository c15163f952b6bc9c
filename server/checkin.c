/*
 * The front desk. What its endpoints' field tables (routes.c) cannot say
 * is checked here; the rest is left to one SQL function of
 * migrations/0005_checkin_api.sql: exactly-once check-in rests on the
 * database's unique indexes, idempotency on the nonce each desk sends with a
 * scan or a walk-in.
 */
#include "checkin.h"

#include "request.h"
#include "text.h"
#include "token.h"
#include "vocab.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECKIN_NONCE_MIN 8
/* Shorter runs of digits are more likely part of a name than a phone. */
#define CHECKIN_PHONE_MIN_DIGITS 3

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
checkin_scan_check_one(cJSON *scan, const char *prefix, cJSON *errors)
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

void
checkin_scan_check(cJSON *scan, cJSON *errors)
{
	checkin_scan_check_one(scan, NULL, errors);
}

/* Nothing of a batch is taken unless every scan in it is well-formed. */
void
checkin_batch_check(cJSON *batch, cJSON *errors)
{
	const cJSON *scans = cJSON_GetObjectItemCaseSensitive(batch, "scans");
	cJSON *scan;
	int i = 0;

	if (cJSON_GetArraySize(scans) < 1 ||
	    cJSON_GetArraySize(scans) > CHECKIN_BATCH_MAX)
		cJSON_AddStringToObject(errors, "scans",
					"must hold 1 to 500 scans");
	cJSON_ArrayForEach(scan, scans)
	{
		char prefix[32];

		snprintf(prefix, sizeof prefix, "scans[%d]", i++);
		checkin_scan_check_one(scan, prefix, errors);
	}
}

void
checkin_walkin_check(cJSON *walkin, cJSON *errors)
{
	checkin_nonce_check(walkin, NULL, errors);
}

void
checkin_lookup(struct http_ctx *ctx, const cJSON *query)
{
	const char *params[4] = {ctx->user_id, ctx->args[0]};
	const char *q =
	    cJSON_GetObjectItemCaseSensitive(query, "q")->valuestring;
	char *key, *digits;

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
		request_run(ctx, "SELECT api_lookup($1, $2, $3, $4)", 4, params,
			    NULL);
	}
	free(key);
	free(digits);
}
