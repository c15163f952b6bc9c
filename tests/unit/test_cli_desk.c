/*
 * Unit tests for client-cli/desk.c: file names made from kana and desk
 * names, the running count and the clock a desk's answer line shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "desk.h"
#include "text.h"

static void
check_name(const char *in, const char *want)
{
	char *got = desk_file_name_new(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_file_name(void **state)
{
	(void)state;
	check_name("ヤマグチ タロウ", "ヤマグチ_タロウ");
	check_name("desk-1", "desk-1");
	check_name("Desk_2.b", "Desk_2.b");
	check_name("../../etc/passwd", "_._.._etc_passwd");
	check_name(".hidden", "_hidden");
	check_name("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j");
	check_name("tab\there\nnewline", "tab_here_newline");
	check_name("", "_");
	/* Invalid UTF-8 (a lone continuation byte, an overlong lead). */
	check_name("a\x80z", "a_z");
	check_name("\xc0\xafz", "__z");
	/* A sequence cut short at the end of the string. */
	check_name("x\xe3\x82", "x__");
}

static void
test_file_name_length(void **state)
{
	char kana[400] = "", *got;

	(void)state;
	/* 100 katakana: 300 bytes, cut at a character boundary. */
	for (int i = 0; i < 100; i++)
		strcat(kana, "ア");
	got = desk_file_name_new(kana);
	assert_int_equal(strlen(got), 120);
	assert_true(text_valid_utf8(got, strlen(got)));
	free(got);
	strcpy(kana, "x");
	for (int i = 0; i < 100; i++)
		strcat(kana, "ア");
	got = desk_file_name_new(kana);
	assert_int_equal(strlen(got), 118);
	assert_true(text_valid_utf8(got, strlen(got)));
	free(got);
}

static void
check_count(const char *counts, const char *kind, const char *want)
{
	cJSON *c = cJSON_Parse(counts);
	char *got = desk_count_new(c, kind);

	if (want == NULL)
		assert_null(got);
	else
		assert_string_equal(got, want);
	free(got);
	cJSON_Delete(c);
}

static void
test_count(void **state)
{
	static const char counts[] =
	    "{\"seekers\":{\"checked_in\":12,\"target\":100},"
	    "\"companies\":{\"checked_in\":3,\"target\":null}}";

	(void)state;
	check_count(counts, "seeker", "seekers 12/100");
	check_count(counts, NULL, "seekers 12/100");
	check_count(counts, "company", "companies 3");
	check_count("{}", "seeker", NULL);
	check_count("null", "seeker", NULL);
}

static void
check_clock(const char *json, const char *want)
{
	cJSON *t = cJSON_Parse(json);
	char *got = desk_clock_new(t);

	assert_string_equal(got, want);
	free(got);
	cJSON_Delete(t);
}

static void
test_clock(void **state)
{
	(void)state;
	check_clock("\"2024-10-15T10:02:03+09:00\"", "10:02");
	check_clock("\"2024-10-15T01:02:03Z\"", "10:02");
	check_clock("\"2024-10-14T23:30:00-01:00\"", "09:30");
	check_clock("null", "");
	check_clock("\"soon\"", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file_name),
	    cmocka_unit_test(test_file_name_length),
	    cmocka_unit_test(test_count),
	    cmocka_unit_test(test_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
