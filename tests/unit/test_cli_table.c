/* Unit tests for client-cli/table.c: cells and display-width alignment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "table.h"

/* Asserts that f(json) renders as want, freeing both. */
static void
check_cell(char *(*f)(const cJSON *), const char *json, const char *want)
{
	cJSON *v = json ? cJSON_Parse(json) : NULL;
	char *got;

	if (json != NULL && v == NULL)
		fail_msg("bad test JSON %s", json);
	got = f(v);
	assert_string_equal(got, want);
	free(got);
	cJSON_Delete(v);
}

static void
test_cell(void **state)
{
	(void)state;
	check_cell(table_cell_new, "\"山口商事\"", "山口商事");
	check_cell(table_cell_new, "42", "42");
	check_cell(table_cell_new, "-7", "-7");
	check_cell(table_cell_new, "2.5", "2.5");
	check_cell(table_cell_new, "9007199254740991", "9007199254740991");
	check_cell(table_cell_new, "true", "yes");
	check_cell(table_cell_new, "false", "no");
	check_cell(table_cell_new, "null", "");
	check_cell(table_cell_new, NULL, "");
	check_cell(table_cell_new, "[\"youth\",\"senior\"]", "youth;senior");
	check_cell(table_cell_new, "[]", "");
	check_cell(table_cell_new, "{\"handbook\":\"physical\"}", "physical");
	/* Data must not steer the terminal: C0, DEL and C1 become spaces. */
	check_cell(table_cell_new, "\"a\\nb\\u001b[2Jc\"", "a b [2Jc");
	check_cell(table_cell_new, "\"x\\u007fy\\u009bz\"", "x y z");
}

static void
test_time(void **state)
{
	(void)state;
	check_cell(table_time_new, "\"2024-10-15T10:00:00+09:00\"",
		   "2024-10-15 10:00");
	check_cell(table_time_new, "\"2024-10-15T01:00:00Z\"",
		   "2024-10-15 10:00");
	check_cell(table_time_new, "\"2024-10-14T20:00:00.250-05:00\"",
		   "2024-10-15 10:00");
	/* Across a year end in Japan's time. */
	check_cell(table_time_new, "\"2024-12-31T15:30:00+00:00\"",
		   "2025-01-01 00:30");
	/* What is not a time is shown as it is. */
	check_cell(table_time_new, "\"2024-10-15\"", "2024-10-15");
	check_cell(table_time_new, "\"2024-10-15T10:00:00+09:00x\"",
		   "2024-10-15T10:00:00+09:00x");
	check_cell(table_time_new, "null", "");
}

/* What f wrote to a memory stream, NUL-terminated; the caller frees. */
static char *
capture(void (*f)(FILE *, const struct table_column *, size_t, const cJSON *),
	const struct table_column *cols, size_t n, const char *json)
{
	cJSON *v = cJSON_Parse(json);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(v);
	assert_non_null(out);
	f(out, cols, n, v);
	fclose(out);
	cJSON_Delete(v);
	return buf;
}

static const struct table_column booth_cols[] = {
    {"ID", "id", true, NULL},
    {"企業名", "name", false, NULL},
    {"人数", "representatives", true, NULL},
};

static void
test_print_aligns_wide_text(void **state)
{
	char *got;

	(void)state;
	got = capture(table_print, booth_cols, 3,
		      "[{\"id\":1,\"name\":\"山口商事\",\"representatives\":2},"
		      "{\"id\":12,\"name\":\"ABC\",\"representatives\":10},"
		      "{\"id\":3,\"name\":\"ｶﾅ\"}]");
	/*
	 * 山口商事 is 8 columns but 12 bytes, ｶﾅ (half-width) 2 columns but
	 * 6 bytes: aligned by bytes, these rows would be ragged.
	 */
	assert_string_equal(got, "ID  企業名    人数\n"
				 " 1  山口商事     2\n"
				 "12  ABC         10\n"
				 " 3  ｶﾅ            \n");
	free(got);
}

static void
test_print_astral_and_empty(void **state)
{
	static const struct table_column cols[] = {
	    {"氏名", "name", false, NULL},
	    {"フリガナ", "kana", false, NULL},
	    {"区分", "categories", false, NULL},
	};
	char *got;

	(void)state;
	/* 𠮷 lies outside the BMP and is still two columns wide. */
	got = capture(table_print, cols, 3,
		      "[{\"name\":\"髙橋 一郎\",\"kana\":\"タカハシ イチロウ\","
		      "\"categories\":[\"youth\"]},"
		      "{\"name\":\"Li\",\"kana\":\"リ\",\"categories\":[]},"
		      "{\"name\":\"𠮷田 花子\",\"kana\":\"ヨシダ ハナコ\","
		      "\"categories\":[\"senior\",\"welfare\"]}]");
	assert_string_equal(got,
			    "氏名       フリガナ           区分\n"
			    "髙橋 一郎  タカハシ イチロウ  youth\n"
			    "Li         リ                 \n"
			    "𠮷田 花子  ヨシダ ハナコ      senior;welfare\n");
	free(got);
}

static void
test_print_empty_list(void **state)
{
	char *got;

	(void)state;
	got = capture(table_print, booth_cols, 3, "[]");
	assert_string_equal(got, "ID  企業名  人数\n");
	free(got);
}

static void
test_print_object(void **state)
{
	static const struct table_column cols[] = {
	    {"ID", "id", false, NULL},
	    {"年度(和暦)", "fiscal_year_label", false, NULL},
	    {"開始", "starts_at", false, table_time_new},
	    {"会場", "venue", false, NULL},
	};
	char *got;

	(void)state;
	got = capture(table_print_object, cols, 4,
		      "{\"id\":5,\"fiscal_year_label\":\"令和6年度\","
		      "\"starts_at\":\"2024-10-15T10:00:00+09:00\"}");
	assert_string_equal(got, "ID          5\n"
				 "年度(和暦)  令和6年度\n"
				 "開始        2024-10-15 10:00\n"
				 "会場        \n");
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cell),
	    cmocka_unit_test(test_time),
	    cmocka_unit_test(test_print_aligns_wide_text),
	    cmocka_unit_test(test_print_astral_and_empty),
	    cmocka_unit_test(test_print_empty_list),
	    cmocka_unit_test(test_print_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
