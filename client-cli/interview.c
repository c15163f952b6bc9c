/*
 * One scan at a booth, from the line the scanner typed to the verdict
 * shown to the person at the booth. The server says which field it
 * refused (the job seeker's token or id, or the company) and why; that
 * decides whether the person needs the front desk or scanning here
 * cannot work at all.
 */
#include "interview.h"

#include "desk.h"
#include "table.h"
#include "token.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A registration id typed by hand: as many digits as a JSON id has. */
#define INTERVIEW_ID_DIGITS 15

cJSON *
interview_body_new(const char *line, long company_id, const char *nonce)
{
	char token[TOKEN_LEN + 1];
	size_t start = strspn(line, " \t\r\n"), len;
	cJSON *body;

	len = strlen(line + start);
	while (len > 0 && strchr(" \t\r\n", line[start + len - 1]) != NULL)
		len--;
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "company_id", (double)company_id);
	if (len > 0 && len <= INTERVIEW_ID_DIGITS &&
	    strspn(line + start, "0123456789") == len && line[start] != '0') {
		char *digits = xstrndup(line + start, len);

		cJSON_AddNumberToObject(body, "registration_id",
					strtod(digits, NULL));
		free(digits);
	} else if (token_parse(line, token))
		cJSON_AddStringToObject(body, "token", token);
	else {
		cJSON_Delete(body);
		return NULL;
	}
	cJSON_AddStringToObject(body, "nonce", nonce);
	return body;
}

static void
interview_set(struct interview_verdict *v, enum interview_kind kind,
	      const char *word, const char *result, char *message)
{
	v->kind = kind;
	v->word = word;
	v->result = result;
	v->message = message;
}

/* The server's reason for refusing a field; NULL if it named none. */
static const char *
interview_field(const cJSON *reply, const char *field)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(reply, "error");

	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(err, "fields"), field));
}

static const char *
interview_message(const cJSON *reply)
{
	const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(reply, "error"), "message"));

	return msg != NULL ? msg : "";
}

/* The answer when the job seeker's code or id was refused. */
static void
interview_refused_seeker(int status, const char *why,
			 struct interview_verdict *v)
{
	const char *desk = "send the person to the front desk";
	char *message;

	if (status == 409 && strstr(why, "cancelled") != NULL) {
		xasprintf(&message, "registration cancelled: %s", desk);
		interview_set(v, INTERVIEW_CANCELLED, "CANCELLED", "cancelled",
			      message);
	} else if (status == 409) {
		xasprintf(&message, "registered for another event: %s", desk);
		interview_set(v, INTERVIEW_WRONG_EVENT, "WRONG EVENT",
			      "wrong_event", message);
	} else {
		xasprintf(&message, "not registered for this event: %s", desk);
		interview_set(v, INTERVIEW_UNKNOWN, "UNKNOWN", "unknown_token",
			      message);
	}
}

/* 200 or 201: recorded now, or found recorded before. */
static void
interview_answered(const cJSON *reply, struct interview_verdict *v)
{
	const cJSON *iv = cJSON_GetObjectItemCaseSensitive(reply, "interview");
	char *id = table_cell_new(
	    cJSON_GetObjectItemCaseSensitive(iv, "registration_id"));
	const char *result = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(reply, "result"));
	char *message, *when;

	if (result != NULL && strcmp(result, "already_recorded") == 0) {
		when = desk_clock_new(
		    cJSON_GetObjectItemCaseSensitive(iv, "created_at"));
		xasprintf(&message,
			  "registration %s: interview already recorded at %s; "
			  "nothing to do",
			  id, when);
		free(when);
		interview_set(v, INTERVIEW_ALREADY, "ALREADY",
			      "already_recorded", message);
	} else {
		xasprintf(&message, "registration %s: interview recorded", id);
		interview_set(v, INTERVIEW_OK, "OK", "recorded", message);
	}
	free(id);
}

void
interview_judge(int status, const cJSON *reply, struct interview_verdict *v)
{
	const char *why;
	char *message;

	if (status < 0) {
		interview_set(v, INTERVIEW_ERROR, "ERROR", "unreachable",
			      xstrdup("the server could not be reached: NOT "
				      "recorded, scan again"));
		return;
	}
	if (status == 200 || status == 201) {
		interview_answered(reply, v);
		return;
	}
	if ((why = interview_field(reply, "token")) != NULL ||
	    (why = interview_field(reply, "registration_id")) != NULL) {
		interview_refused_seeker(status, why, v);
		return;
	}
	if ((why = interview_field(reply, "company_id")) != NULL) {
		xasprintf(&message, "this company: %s", why);
		interview_set(v, INTERVIEW_STOP, "STOP", "refused", message);
		return;
	}
	/* No token, no such event, not allowed: every scan would fail. */
	if (status == 401 || status == 403 || status == 404) {
		interview_set(v, INTERVIEW_STOP, "STOP", "refused",
			      xstrdup(interview_message(reply)));
		return;
	}
	xasprintf(&message,
		  "the server answered %d%s%s: NOT recorded, scan again",
		  status, *interview_message(reply) ? ", " : "",
		  interview_message(reply));
	interview_set(v, INTERVIEW_ERROR, "ERROR", "error", message);
}

void
interview_not_a_code(struct interview_verdict *v)
{
	interview_set(v, INTERVIEW_UNKNOWN, "UNKNOWN", "unknown_token",
		      xstrdup("not a jobfair QR code: scan the code on the "
			      "person's admission slip, or send them to the "
			      "front desk"));
}
