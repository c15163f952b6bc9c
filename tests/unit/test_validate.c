/* Unit tests for common/validate.c: every field rule and its reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "validate.h"

typedef int (*validator)(const char *, char **, const char **);

static void
accepts(validator v, const char *in, const char *want)
{
	const char *why = NULL;
	char *out = NULL;

	if (v(in, &out, &why) != 0)
		fail_msg("\"%s\" rejected: %s", in, why);
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void
rejects(validator v, const char *in, const char *reason)
{
	const char *why = NULL;
	char *out = NULL;

	if (v(in, &out, &why) == 0)
		fail_msg("\"%s\" accepted as \"%s\"", in ? in : "(null)", out);
	assert_null(out);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void
test_corporate_number(void **state)
{
	static const char *const real[] = {"4000012090001", "4011001098993",
					   "1180301018771", "2120901007402",
					   "7123456789012"};
	static const char check[] = "check digit does not match";
	size_t i;

	(void)state;
	for (i = 0; i < sizeof real / sizeof real[0]; i++)
		accepts(validate_corporate_number, real[i], real[i]);
	accepts(validate_corporate_number, "４００００１２０９０００１",
		"4000012090001");
	accepts(validate_corporate_number, "4-0000-1209-0001", "4000012090001");
	accepts(validate_corporate_number, "4011－0010－98993",
		"4011001098993");
	accepts(validate_corporate_number, " 4000012090001 ", "4000012090001");
	/* A check digit of 9 arises when the sum is a multiple of 9. */
	accepts(validate_corporate_number, "9000000000000", "9000000000000");

	rejects(validate_corporate_number, "5000012090001", check);
	rejects(validate_corporate_number, "3000012090001", check);
	rejects(validate_corporate_number, "4000012090002", check);
	rejects(validate_corporate_number, "4011001098939", check);
	rejects(validate_corporate_number, "8123456789012", check);
	rejects(validate_corporate_number, "0000000000000", check);
	rejects(validate_corporate_number, "400001209000", "must be 13 digits");
	rejects(validate_corporate_number, "40000120900011",
		"must be 13 digits");
	rejects(validate_corporate_number, "4000012O90001",
		"must be 13 digits");
	rejects(validate_corporate_number, "", "must be 13 digits");
	rejects(validate_corporate_number, NULL, "is required");
}

static void
test_postal_code(void **state)
{
	char *shown;

	(void)state;
	accepts(validate_postal_code, "753-0001", "7530001");
	accepts(validate_postal_code, "７５３－０００１", "7530001");
	accepts(validate_postal_code, "7530001", "7530001");
	rejects(validate_postal_code, "753-001", "must be 7 digits");
	rejects(validate_postal_code, "753-00011", "must be 7 digits");
	rejects(validate_postal_code, "〒753-0001", "must be 7 digits");
	rejects(validate_postal_code, NULL, "is required");

	shown = validate_postal_display_new("7530001");
	assert_string_equal(shown, "753-0001");
	free(shown);
	shown = validate_postal_display_new("７５３ー０００１");
	assert_string_equal(shown, "753-0001");
	free(shown);
	assert_null(validate_postal_display_new("75300"));
	assert_null(validate_postal_display_new(NULL));
}

static void
test_phone(void **state)
{
	static const char reason[] = "must be 10 or 11 digits starting with 0";

	(void)state;
	accepts(validate_phone, "083-922-1111", "0839221111");
	accepts(validate_phone, "(083)922-1111", "0839221111");
	accepts(validate_phone, "０９０－１２３４－５６７８", "09012345678");
	accepts(validate_phone, "090 1234 5678", "09012345678");
	rejects(validate_phone, "83-922-1111", reason);
	rejects(validate_phone, "1839221111", reason);
	rejects(validate_phone, "083-922-111", reason);
	rejects(validate_phone, "090-1234-56789", reason);
	rejects(validate_phone, "083-922-1111 内線2", reason);
	rejects(validate_phone, NULL, "is required");
}

static void
test_email(void **state)
{
	char long_addr[300];

	(void)state;
	accepts(validate_email, "taro@example.jp", "taro@example.jp");
	accepts(validate_email, " Taro.Y+fair@City.Yamaguchi.LG.JP\xe3\x80\x80",
		"Taro.Y+fair@city.yamaguchi.lg.jp");
	accepts(validate_email, "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ",
		"taro@example.jp");
	rejects(validate_email, "taro.example.jp",
		"must contain exactly one @");
	rejects(validate_email, "ta@ro@example.jp",
		"must contain exactly one @");
	rejects(validate_email, "@example.jp", "must have a name before the @");
	rejects(validate_email, "taro@localhost",
		"must have a domain such as example.jp after the @");
	rejects(validate_email, "taro@.example.jp",
		"must have a domain such as example.jp after the @");
	rejects(validate_email, "taro@example.jp.",
		"must have a domain such as example.jp after the @");
	rejects(validate_email, "taro@example..jp",
		"must have a domain such as example.jp after the @");
	rejects(validate_email, "taro yamaguchi@example.jp",
		"must not contain spaces");
	rejects(validate_email, "taro@exa\tmple.jp", "must not contain spaces");
	rejects(validate_email, "   ", "is required");
	rejects(validate_email, NULL, "is required");
	rejects(validate_email, "taro@example.jp\xff", "must be valid UTF-8");

	/* 254 bytes is the limit of a deliverable address. */
	memset(long_addr, 'a', 254);
	memcpy(long_addr + 254 - strlen("@example.jp"), "@example.jp",
	       strlen("@example.jp") + 1);
	accepts(validate_email, long_addr, long_addr);
	memset(long_addr, 'a', 255);
	memcpy(long_addr + 255 - strlen("@example.jp"), "@example.jp",
	       strlen("@example.jp") + 1);
	rejects(validate_email, long_addr, "must be at most 254 bytes");
}

static void
test_kana(void **state)
{
	static const char reason[] = "must be katakana or hiragana";

	(void)state;
	accepts(validate_kana, "やまぐち　たろう", "ヤマグチ タロウ");
	accepts(validate_kana, "ﾔﾏｸﾞﾁ ﾀﾛｰ", "ヤマグチ タロー");
	rejects(validate_kana, "山口太郎", reason);
	rejects(validate_kana, "Yamaguchi", reason);
	rejects(validate_kana, " ", reason);
	rejects(validate_kana, NULL, "is required");
}

static void
test_job_number(void **state)
{
	static const char reason[] = "must be 5 digits, a hyphen and up to 8 "
				     "digits (e.g. 35010-12345678)";

	(void)state;
	accepts(validate_job_number, "35010-12345678", "35010-12345678");
	accepts(validate_job_number, "35010-1", "35010-1");
	accepts(validate_job_number, "３５０１０－１２３４５６７８",
		"35010-12345678");
	accepts(validate_job_number, "35010ー00012345", "35010-00012345");
	accepts(validate_job_number, "35010−00012345", "35010-00012345");
	accepts(validate_job_number, " 35010-00012345 ", "35010-00012345");
	rejects(validate_job_number, "3501012345678", reason);
	rejects(validate_job_number, "3501-12345678", reason);
	rejects(validate_job_number, "350100-1234567", reason);
	rejects(validate_job_number, "35010-123456789", reason);
	rejects(validate_job_number, "35010-", reason);
	rejects(validate_job_number, "35010--1234", reason);
	rejects(validate_job_number, "35010-1234 5678", reason);
	rejects(validate_job_number, "35010", reason);
	rejects(validate_job_number, "35010\xff", reason);
	rejects(validate_job_number, NULL, "is required");
}

static void
test_establishment_number(void **state)
{
	static const char reason[] = "must be 11 digits (NNNN-NNNNNN-N)";

	(void)state;
	accepts(validate_establishment_number, "3501-123456-7",
		"3501-123456-7");
	accepts(validate_establishment_number, "35011234567", "3501-123456-7");
	accepts(validate_establishment_number, "３５０１－１２３４５６－７",
		"3501-123456-7");
	rejects(validate_establishment_number, "3501-123456", reason);
	rejects(validate_establishment_number, "3501-123456-78", reason);
	rejects(validate_establishment_number, "3501/123456/7", reason);
	rejects(validate_establishment_number, NULL, "is required");
}

static void
test_date(void **state)
{
	static const char reason[] = "must be a date as YYYY-MM-DD";
	int y = 0, m = 0, d = 0;

	(void)state;
	accepts(validate_date, "2024-10-15", "2024-10-15");
	accepts(validate_date, " 2025-03-31\n", "2025-03-31");
	accepts(validate_date, "2024-02-29", "2024-02-29");
	accepts(validate_date, "2000-02-29", "2000-02-29");
	rejects(validate_date, "2023-02-29", reason);
	rejects(validate_date, "1900-02-29", reason);
	rejects(validate_date, "2024-04-31", reason);
	rejects(validate_date, "2024-13-01", reason);
	rejects(validate_date, "2024-00-10", reason);
	rejects(validate_date, "2024-01-00", reason);
	rejects(validate_date, "0000-01-01", reason);
	rejects(validate_date, "2024-1-15", reason);
	rejects(validate_date, "2024/10/15", reason);
	rejects(validate_date, "2024-10-15T10:00:00Z", reason);
	rejects(validate_date, "2024-10", reason);
	rejects(validate_date, "", reason);
	rejects(validate_date, NULL, "is required");

	assert_int_equal(validate_date_parts("2024-10-15T10:00", &y, &m, &d),
			 0);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 10);
	assert_int_equal(d, 15);
	assert_int_equal(validate_date_parts("2024-10-3", &y, &m, &d), -1);
	assert_int_equal(validate_date_parts("20", &y, &m, &d), -1);
}

static void
test_timestamp(void **state)
{
	static const char reason[] =
	    "must be a date and time as YYYY-MM-DDTHH:MM:SS+09:00";

	(void)state;
	accepts(validate_timestamp, "2024-10-15T10:00:00+09:00",
		"2024-10-15T10:00:00+09:00");
	accepts(validate_timestamp, " 2024-10-15T01:00:00Z ",
		"2024-10-15T01:00:00Z");
	accepts(validate_timestamp, "2024-10-15t01:00:00z",
		"2024-10-15t01:00:00z");
	accepts(validate_timestamp, "2024-10-15T10:00:00.123456+09:00",
		"2024-10-15T10:00:00.123456+09:00");
	accepts(validate_timestamp, "2024-12-31T23:59:59-05:30",
		"2024-12-31T23:59:59-05:30");
	rejects(validate_timestamp, "2024-10-15T10:00:00", reason);
	rejects(validate_timestamp, "2024-10-15 10:00:00+09:00", reason);
	rejects(validate_timestamp, "2024-10-15T24:00:00+09:00", reason);
	rejects(validate_timestamp, "2024-10-15T10:60:00+09:00", reason);
	rejects(validate_timestamp, "2024-10-15T10:00:60+09:00", reason);
	rejects(validate_timestamp, "2024-10-15T10:00+09:00", reason);
	rejects(validate_timestamp, "2024-10-15T10:00:00+0900", reason);
	rejects(validate_timestamp, "2024-10-15T10:00:00+24:00", reason);
	rejects(validate_timestamp, "2024-10-15T10:00:00.+09:00", reason);
	rejects(validate_timestamp, "2024-10-15T10:00:00+09:00x", reason);
	rejects(validate_timestamp, "2024-02-30T10:00:00+09:00", reason);
	rejects(validate_timestamp, "2024-10-15T1a:00:00Z", reason);
	rejects(validate_timestamp, "2024-10-15", reason);
	rejects(validate_timestamp, NULL, "is required");
}

static void
test_text(void **state)
{
	const char *why = NULL;
	char *out = NULL;

	(void)state;
	assert_int_equal(
	    validate_text("  山口 太郎\xe3\x80\x80", 5, &out, &why), 0);
	assert_string_equal(out, "山口 太郎");
	free(out);
	/* Stored as entered: no NFKC. */
	assert_int_equal(validate_text("ｶﾌﾞｼｷｶﾞｲｼｬ㈱", 20, &out, &why), 0);
	assert_string_equal(out, "ｶﾌﾞｼｷｶﾞｲｼｬ㈱");
	free(out);
	assert_int_equal(
	    validate_text("line one\r\n\tline two", 100, &out, &why), 0);
	assert_string_equal(out, "line one\r\n\tline two");
	free(out);

	out = NULL;
	assert_int_equal(validate_text("山口太郎です", 5, &out, &why), -1);
	assert_string_equal(why, "is too long");
	assert_null(out);
	assert_int_equal(validate_text(" \xe3\x80\x80\n", 5, &out, &why), -1);
	assert_string_equal(why, "is required");
	assert_int_equal(validate_text(NULL, 5, &out, &why), -1);
	assert_string_equal(why, "is required");
	assert_int_equal(validate_text("ab\xff", 5, &out, &why), -1);
	assert_string_equal(why, "must be valid UTF-8");
	assert_int_equal(validate_text("a\x1b[31mb", 50, &out, &why), -1);
	assert_string_equal(why, "must not contain control characters");
	assert_int_equal(validate_text("a\xc2\x85"
				       "b",
				       50, &out, &why),
			 -1);
	assert_string_equal(why, "must not contain control characters");
	assert_null(out);
	/* Zero-width space, right-to-left override, BOM: Unicode Cf. */
	assert_int_equal(validate_text("重複\u200b花子", 50, &out, &why), -1);
	assert_string_equal(why, "must not contain invisible or "
				 "direction-changing characters");
	assert_int_equal(validate_text("\u202e子花複重", 50, &out, &why), -1);
	assert_int_equal(validate_text("花子\ufeff", 50, &out, &why), -1);
	assert_null(out);
	/* An ideographic variation selector is part of a name (Mn). */
	assert_int_equal(validate_text("葛\U000E0100城", 50, &out, &why), 0);
	free(out);
}

static void
test_whole_number(void **state)
{
	static const char *const odd[] = {
	    "",	   "-",	  "+5",	 " 12",	  "12 ", "0x10", "3e1",
	    "1.0", "inf", "nan", "1,000", "--1", "１２",
	};

	(void)state;
	assert_true(validate_whole_number("0"));
	assert_true(validate_whole_number("120"));
	assert_true(validate_whole_number("-3"));
	assert_true(validate_whole_number("007"));
	for (size_t i = 0; i < sizeof odd / sizeof *odd; i++)
		if (validate_whole_number(odd[i]))
			fail_msg("\"%s\" taken as a whole number", odd[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corporate_number),
	    cmocka_unit_test(test_postal_code),
	    cmocka_unit_test(test_phone),
	    cmocka_unit_test(test_email),
	    cmocka_unit_test(test_kana),
	    cmocka_unit_test(test_job_number),
	    cmocka_unit_test(test_establishment_number),
	    cmocka_unit_test(test_date),
	    cmocka_unit_test(test_timestamp),
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_whole_number),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
