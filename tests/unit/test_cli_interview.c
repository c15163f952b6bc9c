/*
 * Unit tests for client-cli/interview.c: what a scanned line asks the
 * server for, and what each of the server's answers tells the booth.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "interview.h"

#define TOKEN_A "JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA"

static void
assert_body(const char *line, const char *want)
{
	cJSON *body = interview_body_new(line, 7, "nonce-0001");
	cJSON *w = want ? cJSON_Parse(want) : NULL;

	if (want == NULL) {
		assert_null(body);
		return;
	}
	assert_non_null(body);
	if (!cJSON_Compare(body, w, true)) {
		char *text = cJSON_PrintUnformatted(body);

		fail_msg("[%s] gave %s, want %s", line, text, want);
	}
	cJSON_Delete(w);
	cJSON_Delete(body);
}

static void
test_scanned_lines(void **state)
{
	(void)state;
	/* A scanner's line: its Enter, maybe CR, maybe lower case. */
	assert_body(TOKEN_A "\n", "{\"company_id\":7,\"token\":\"" TOKEN_A
				  "\",\"nonce\":\"nonce-0001\"}");
	assert_body(" jf1-aaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
		    "{\"company_id\":7,\"token\":\"" TOKEN_A
		    "\",\"nonce\":\"nonce-0001\"}");
	/* A registration id typed by hand. */
	assert_body("1234\n", "{\"company_id\":7,\"registration_id\":1234,"
			      "\"nonce\":\"nonce-0001\"}");
	assert_body("  42 \r\n", "{\"company_id\":7,\"registration_id\":42,"
				 "\"nonce\":\"nonce-0001\"}");
	/* Neither: another QR code, a URL, a number no id can be. */
	assert_body("https://example.jp/\n", NULL);
	assert_body("JF1-AAAA\n", NULL);
	assert_body("0012\n", NULL);
	assert_body("1234567890123456\n", NULL);
	assert_body("12 34\n", NULL);
}

/* interview_judge() of a status and a JSON answer (NULL: none). */
static void
check_judge(int status, const char *reply, enum interview_kind kind,
	    const char *word, const char *result, const char *message)
{
	cJSON *r = reply ? cJSON_Parse(reply) : NULL;
	struct interview_verdict v;

	if (reply != NULL && r == NULL)
		fail_msg("bad test JSON %s", reply);
	interview_judge(status, r, &v);
	assert_int_equal(v.kind, kind);
	assert_string_equal(v.word, word);
	assert_string_equal(v.result, result);
	assert_string_equal(v.message, message);
	free(v.message);
	cJSON_Delete(r);
}

#define REFUSED(field, why)                                                    \
	"{\"error\":{\"code\":\"x\",\"message\":\"m\",\"fields\":{\"" field    \
	"\":\"" why "\"}}}"

static void
test_answers(void **state)
{
	(void)state;
	check_judge(201,
		    "{\"result\":\"recorded\",\"interview\":{\"id\":3,"
		    "\"registration_id\":12,\"company_id\":7}}",
		    INTERVIEW_OK, "OK", "recorded",
		    "registration 12: interview recorded");
	check_judge(200,
		    "{\"result\":\"already_recorded\",\"interview\":{\"id\":3,"
		    "\"registration_id\":12,\"created_at\":"
		    "\"2024-10-15T10:32:05+09:00\"}}",
		    INTERVIEW_ALREADY, "ALREADY", "already_recorded",
		    "registration 12: interview already recorded at 10:32; "
		    "nothing to do");
	check_judge(404, REFUSED("token", "no such job seeker"),
		    INTERVIEW_UNKNOWN, "UNKNOWN", "unknown_token",
		    "not registered for this event: send the person to the "
		    "front desk");
	check_judge(404, REFUSED("registration_id", "no such job seeker"),
		    INTERVIEW_UNKNOWN, "UNKNOWN", "unknown_token",
		    "not registered for this event: send the person to the "
		    "front desk");
	check_judge(409, REFUSED("token", "is registered for another event"),
		    INTERVIEW_WRONG_EVENT, "WRONG EVENT", "wrong_event",
		    "registered for another event: send the person to the "
		    "front desk");
	check_judge(
	    409, REFUSED("registration_id", "registration is cancelled"),
	    INTERVIEW_CANCELLED, "CANCELLED", "cancelled",
	    "registration cancelled: send the person to the front desk");
	check_judge(422,
		    REFUSED("company_id", "company has no booth at this event"),
		    INTERVIEW_STOP, "STOP", "refused",
		    "this company: company has no booth at this event");
	check_judge(409, REFUSED("company_id", "company cancelled its booth"),
		    INTERVIEW_STOP, "STOP", "refused",
		    "this company: company cancelled its booth");
	check_judge(404,
		    "{\"error\":{\"code\":\"not_found\",\"message\":\"no such "
		    "event\"}}",
		    INTERVIEW_STOP, "STOP", "refused", "no such event");
	check_judge(403,
		    "{\"error\":{\"code\":\"forbidden\",\"message\":\"not "
		    "allowed\"}}",
		    INTERVIEW_STOP, "STOP", "refused", "not allowed");
	/* Not recorded, and the booth must know it: scan again. */
	check_judge(
	    -1, NULL, INTERVIEW_ERROR, "ERROR", "unreachable",
	    "the server could not be reached: NOT recorded, scan again");
	check_judge(503,
		    "{\"error\":{\"code\":\"unavailable\",\"message\":"
		    "\"database unavailable\"}}",
		    INTERVIEW_ERROR, "ERROR", "error",
		    "the server answered 503, database unavailable: NOT "
		    "recorded, scan again");
	check_judge(500, NULL, INTERVIEW_ERROR, "ERROR", "error",
		    "the server answered 500: NOT recorded, scan again");
}

static void
test_not_a_code(void **state)
{
	struct interview_verdict v;

	(void)state;
	interview_not_a_code(&v);
	assert_int_equal(v.kind, INTERVIEW_UNKNOWN);
	assert_string_equal(v.word, "UNKNOWN");
	assert_non_null(strstr(v.message, "not a jobfair QR code"));
	free(v.message);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scanned_lines),
	    cmocka_unit_test(test_answers),
	    cmocka_unit_test(test_not_a_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
