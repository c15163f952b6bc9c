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
/* Kana or a name may be followed by this many digits: a phone's last. */
#define CHECKIN_PHONE_TAIL 4

/* Lookups and check-ins by id a user may make a minute (--lookup-rate). */
static long checkin_lookup_rate = CHECKIN_LOOKUP_RATE_DEFAULT;

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
checkin_configure(long lookups_per_minute)
{
	checkin_lookup_rate = lookups_per_minute;
}

/*
 * A check-in by id is a lookup by other means (guess an id, watch what
 * changes): the single one carries the lookup limit to api_checkin. An
 * offline desk's journal is not limited: its ids come from the roster
 * it was given.
 */
void
checkin_scan_check(cJSON *scan, cJSON *errors)
{
	checkin_scan_check_one(scan, NULL, errors);
	if (cJSON_HasObjectItem(scan, "registration_id"))
		cJSON_AddNumberToObject(scan, "id_limit",
					(double)checkin_lookup_rate);
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

/*
 * Splits a lookup's search key: all digits is a whole phone number (10
 * or 11 digits); otherwise kana or a name, optionally followed by the
 * last CHECKIN_PHONE_TAIL digits of the phone. Any other run of digits
 * is refused: matching part of a phone would give it away digit by
 * digit. Returns NULL, or why the query is refused.
 */
static const char *
checkin_lookup_split(char *key, char **phone, char **last4)
{
	size_t len = strlen(key), digits = 0;

	*phone = *last4 = NULL;
	while (digits < len && key[len - digits - 1] >= '0' &&
	       key[len - digits - 1] <= '9')
		digits++;
	if (digits == 0)
		return strpbrk(key, "0123456789") == NULL
			   ? NULL
			   : "digits go at the end: the phone's last four";
	if (digits == len) {
		if (len < 10 || len > 11 || key[0] != '0')
			return "give a whole phone number, or kana and the "
			       "phone's last four digits";
		*phone = xstrdup(key);
		return NULL;
	}
	if (digits != CHECKIN_PHONE_TAIL ||
	    strpbrk(key, "0123456789") != key + len - digits)
		return "give kana and the phone's last four digits";
	*last4 = xstrdup(key + len - digits);
	key[len - digits] = '\0';
	return NULL;
}

void
checkin_lookup(struct http_ctx *ctx, const cJSON *query)
{
	const char *params[7] = {ctx->user_id, ctx->args[0]};
	const char *q =
	    cJSON_GetObjectItemCaseSensitive(query, "q")->valuestring;
	const char *why = "must hold letters, kana or digits";
	char *key, *phone = NULL, *last4 = NULL, limit[24];

	/* A phone as people write it (full-width, hyphens) is its digits. */
	key = text_digits_new(q);
	if (key == NULL || *key == '\0') {
		free(key);
		key = text_search_key_new(q);
	}
	if (key != NULL && *key != '\0')
		why = checkin_lookup_split(key, &phone, &last4);
	if (why != NULL) {
		cJSON *errors = cJSON_CreateObject();

		cJSON_AddStringToObject(errors, "q", why);
		http_reply_fields(ctx, 422, "invalid query parameters", errors);
	} else {
		snprintf(limit, sizeof limit, "%ld", checkin_lookup_rate);
		params[2] = limit;
		params[3] = q;
		params[4] = key;
		params[5] = phone;
		params[6] = last4;
		request_run(ctx,
			    "SELECT api_lookup($1, $2, $3, $4, $5, $6, $7)", 7,
			    params, NULL);
	}
	free(key);
	free(phone);
	free(last4);
}
