/*
 * Unit tests for client-cli/plan.c: fiscal years and figures typed on the
 * command line, and plan cells written as the 目標値一覧 writes them.
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

#include "plan.h"
#include "report_layout.h"

static cJSON *
json(const char *text)
{
	cJSON *v = cJSON_Parse(text);

	if (v == NULL)
		fail_msg("bad test JSON %s", text);
	return v;
}

/* report_layout_value_new() of JSON texts (NULL for absent) equals want. */
static void
check_value(const char *value, const char *figures, const char *sep,
	    const char *sessions, const char *want)
{
	cJSON *v = value ? json(value) : NULL, *f = json(figures);
	cJSON *s = sessions ? json(sessions) : NULL;
	char *got = report_layout_value_new(v, f, sep, s);

	assert_string_equal(got, want);
	free(got);
	cJSON_Delete(v);
	cJSON_Delete(f);
	cJSON_Delete(s);
}

static void
check_achievement(const char *value, const char *figures, const char *want)
{
	cJSON *v = value ? json(value) : NULL, *f = json(figures);
	char *got = report_layout_achievement_new(v, f);

	assert_string_equal(got, want);
	free(got);
	cJSON_Delete(v);
	cJSON_Delete(f);
}

static void
test_value_cells(void **state)
{
	(void)state;
	/* The plan's own cells: 件, 人 with sessions, 社 and 人. */
	check_value("552", "[\"cases\"]", " ", NULL, "552件");
	check_value("11", "[\"persons\"]", " ", "1", "(1回)11人");
	check_value("0", "[\"persons\"]", " ", "0", "(0回)0人");
	check_value("{\"companies\":19,\"persons\":40}",
		    "[\"companies\",\"persons\"]", " ", NULL, "19社 40人");
	check_value("{\"companies\":30,\"persons\":100}",
		    "[\"companies\",\"persons\"]", "・", NULL, "30社・100人");
	check_value("{\"companies\":4,\"persons\":9}",
		    "[\"companies\",\"persons\"]", " ", "1", "(1回)4社 9人");
	check_value("{\"persons\":121,\"cases\":92}", "[\"persons\",\"cases\"]",
		    " ", NULL, "121人 92件");
	/* A blank cell stays blank, sessions or not: blank is not 0. */
	check_value("null", "[\"cases\"]", " ", "2", "");
	check_value(NULL, "[\"cases\"]", " ", NULL, "");
	/* A figure missing from an object is left out, not shown as 0. */
	check_value("{\"companies\":null,\"persons\":7}",
		    "[\"companies\",\"persons\"]", " ", NULL, "7人");
}

static void
test_achievement_cells(void **state)
{
	(void)state;
	check_achievement("41.5", "[\"cases\"]", "41.5%");
	check_achievement("7", "[\"persons\"]", "7.0%");
	check_achievement("0", "[\"persons\"]", "0.0%");
	check_achievement("103.8", "[\"cases\"]", "103.8%");
	check_achievement("{\"companies\":13.3,\"persons\":9}",
			  "[\"companies\",\"persons\"]", "社 13.3%・人 9.0%");
	check_achievement("{\"persons\":50,\"cases\":null}",
			  "[\"persons\",\"cases\"]", "人 50.0%");
	check_achievement("null", "[\"cases\"]", "");
	check_achievement(NULL, "[\"cases\"]", "");
}

static void
test_fiscal_year(void **state)
{
	static const char *const odd[] = {"R6", "", "+2024", " 2024", "0x7e8"};
	char *cause = NULL;
	int fy = 0;

	(void)state;
	assert_int_equal(plan_fiscal_year_parse("2024", &fy, &cause), 0);
	assert_int_equal(fy, 2024);
	assert_int_equal(plan_fiscal_year_parse("２０１９", &fy, &cause), 0);
	assert_int_equal(fy, 2019);
	assert_int_equal(plan_fiscal_year_parse("1989", &fy, &cause), 0);
	assert_int_equal(plan_fiscal_year_parse("2100", &fy, &cause), 0);
	assert_int_equal(plan_fiscal_year_parse("1988", &fy, &cause), -1);
	assert_string_equal(cause, "1988 is not a fiscal year such as 2024");
	free(cause);
	/* strtol's leniency ("+2024", " 2024") is not a clerk's number. */
	for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
		cause = NULL;
		assert_int_equal(plan_fiscal_year_parse(odd[i], &fy, &cause),
				 -1);
		assert_non_null(cause);
		free(cause);
	}
}

/* plan_figures_body_new() of values as typed; want NULL for a refusal. */
static void
check_body(const char *figures, const char *single, int n, char **values,
	   const char *want, const char *want_cause)
{
	cJSON *f = json(figures), *body, *w;
	char *cause = NULL;

	body = plan_figures_body_new(f, single, values, n, &cause);
	if (want == NULL) {
		assert_null(body);
		assert_string_equal(cause, want_cause);
		free(cause);
	} else {
		w = json(want);
		assert_non_null(body);
		assert_true(cJSON_Compare(body, w, true));
		cJSON_Delete(w);
	}
	cJSON_Delete(body);
	cJSON_Delete(f);
}

static void
test_figures_body(void **state)
{
	char *one[] = {"120"}, *wide[] = {"１２０"}, *two[] = {"60", "41"};
	char *neg[] = {"-5"}, *big[] = {"10000001"}, *word[] = {"many"};

	(void)state;
	check_body("[\"cases\"]", "actual", 1, one, "{\"actual\":120}", NULL);
	check_body("[\"cases\"]", "target", 1, wide, "{\"target\":120}", NULL);
	check_body("[\"persons\",\"cases\"]", "actual", 2, two,
		   "{\"persons\":60,\"cases\":41}", NULL);
	check_body("[\"companies\",\"persons\"]", "target", 2, two,
		   "{\"companies\":60,\"persons\":41}", NULL);
	check_body(
	    "[\"persons\",\"cases\"]", "actual", 1, one, NULL,
	    "this metric takes two figures: persons (人) and cases (件)");
	check_body("[\"cases\"]", "actual", 2, two, NULL,
		   "this metric takes one figure (件)");
	check_body("[\"cases\"]", "actual", 1, neg, NULL,
		   "-5 is not a whole number from 0 to 10000000");
	check_body("[\"cases\"]", "actual", 1, big, NULL,
		   "10000001 is not a whole number from 0 to 10000000");
	check_body("[\"cases\"]", "actual", 1, word, NULL,
		   "many is not a whole number from 0 to 10000000");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_value_cells),
	    cmocka_unit_test(test_achievement_cells),
	    cmocka_unit_test(test_fiscal_year),
	    cmocka_unit_test(test_figures_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
