/* Unit tests for common/text.c: NFKC and the DOMAIN.md text rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "text.h"

/* Asserts that f(in) yields want (NULL meaning rejected), freeing it. */
static void
check_new(char *(*f)(const char *), const char *in, const char *want)
{
	char *got = f(in);

	if (want == NULL) {
		if (got != NULL)
			fail_msg("\"%s\" gave \"%s\", want NULL", in, got);
		return;
	}
	if (got == NULL)
		fail_msg("\"%s\" gave NULL, want \"%s\"", in, want);
	assert_string_equal(got, want);
	free(got);
}

static void
test_valid_utf8(void **state)
{
	(void)state;
	assert_true(text_valid_utf8("", 0));
	assert_true(text_valid_utf8("abc", 3));
	assert_true(text_valid_utf8("山口市", 9));
	assert_true(text_valid_utf8("\xf0\xa0\xae\xb7", 4)); /* 𠮷 */
	/* Only len bytes count: a cut between characters is fine. */
	assert_true(text_valid_utf8("山口", 3));
	assert_false(text_valid_utf8("山口", 4)); /* truncated sequence */
	assert_false(text_valid_utf8("a\0b", 3)); /* embedded NUL */
	assert_false(text_valid_utf8("\xff", 1));
	assert_false(text_valid_utf8("\x80", 1));     /* lone continuation */
	assert_false(text_valid_utf8("\xc0\xaf", 2)); /* overlong '/' */
	assert_false(text_valid_utf8("\xe0\x80\xaf", 3));
	assert_false(text_valid_utf8("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(text_valid_utf8("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
}

static void
test_nfkc(void **state)
{
	(void)state;
	check_new(text_nfkc_new, "ｶﾞｲｼｬ", "ガイシャ");
	check_new(text_nfkc_new, "１２３ＡＢＣ", "123ABC");
	check_new(text_nfkc_new, "㈱山口", "(株)山口");
	check_new(text_nfkc_new, "①", "1");
	check_new(text_nfkc_new,
		  "a\xe3\x80\x80"
		  "b",
		  "a b");
	/* NFKC leaves hyphen variants and the wave dash alone. */
	check_new(text_nfkc_new, "‐−〜", "‐−〜");
	check_new(text_nfkc_new, "", "");
	check_new(text_nfkc_new, "bad\xff", NULL);
	assert_null(text_nfkc_new(NULL));
}

static void
test_kana(void **state)
{
	(void)state;
	check_new(text_kana_new, "やまぐち たろう", "ヤマグチ タロウ");
	check_new(text_kana_new, "ヤマグチ　タロウ", "ヤマグチ タロウ");
	check_new(text_kana_new, "ﾔﾏｸﾞﾁ ﾀﾛｰ", "ヤマグチ タロー");
	check_new(text_kana_new, "  やまぐち \xe3\x80\x80  たろう \xe3\x80\x80",
		  "ヤマグチ タロウ");
	check_new(text_kana_new, "ゔぁいおりん", "ヴァイオリン");
	check_new(text_kana_new, "ジョン・スミス", "ジョン・スミス");
	check_new(text_kana_new, "いすゞ", "イスヾ");
	check_new(text_kana_new, "ゝゞ", "ヽヾ");
	/* The block's ends: ゠ stays, NFKC spells ヿ as コト. */
	check_new(text_kana_new, "゠ヿ", "゠コト");
	check_new(text_kana_new, "山口", NULL);
	check_new(text_kana_new, "ヤマグチ1", NULL);
	check_new(text_kana_new, "yamaguchi", NULL);
	check_new(text_kana_new, "", NULL);
	check_new(text_kana_new, " \xe3\x80\x80 ", NULL);
	check_new(text_kana_new, "ヤマ\xff", NULL);
}

static void
test_digits(void **state)
{
	(void)state;
	check_new(text_digits_new, "083-922-1111", "0839221111");
	check_new(text_digits_new, "(083)922-1111", "0839221111");
	check_new(text_digits_new, "（０８３）９２２－１１１１", "0839221111");
	check_new(text_digits_new, "０８３ー９２２ｰ１１１１", "0839221111");
	check_new(text_digits_new, "083‐922―1111", "0839221111");
	check_new(text_digits_new, "083−922 1111", "0839221111");
	check_new(text_digits_new,
		  "753\xe3\x80\x80"
		  "0001",
		  "7530001");
	check_new(text_digits_new, "４００００１２０９０００１",
		  "4000012090001");
	check_new(text_digits_new, "", "");
	check_new(text_digits_new, "〒753-0001", NULL);
	check_new(text_digits_new, "083.922.1111", NULL);
	check_new(text_digits_new, "083-922-1111 ext 2", NULL);
	check_new(text_digits_new, "12\xff", NULL);
}

static void
test_is_hyphen(void **state)
{
	static const int32_t yes[] = {'-',    0x2010, 0x2011, 0x2012,
				      0x2013, 0x2014, 0x2015, 0x2212,
				      0x30fc, 0xff0d, 0xff70};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		assert_true(text_is_hyphen(yes[i]));
	assert_false(text_is_hyphen('_'));
	assert_false(text_is_hyphen(0x301c)); /* 〜 */
	assert_false(text_is_hyphen(0x2016));
	assert_false(text_is_hyphen('0'));
}

static void
test_display_width(void **state)
{
	(void)state;
	assert_int_equal(text_display_width(""), 0);
	assert_int_equal(text_display_width("abc"), 3);
	assert_int_equal(text_display_width("山口市"), 6);
	assert_int_equal(text_display_width("ﾔﾏｸﾞﾁ"), 5);
	assert_int_equal(text_display_width("株式会社ABC"), 11);
	assert_int_equal(text_display_width("e\xcc\x81"), 1); /* combining */
	assert_int_equal(text_display_width("a\xff"
					    "b"),
			 3);
	assert_int_equal(text_display_width("\xe5\xb1"), 2); /* cut 山 */
}

static void
test_search_key(void **state)
{
	(void)state;
	check_new(text_search_key_new, "やまぐち たろう", "ヤマグチタロウ");
	check_new(text_search_key_new, "ﾔﾏｸﾞﾁ　ﾀﾛｳ", "ヤマグチタロウ");
	check_new(text_search_key_new, "山口 太郎", "山口太郎");
	check_new(text_search_key_new, "㈱ やまぐち\t商事\n",
		  "(株)ヤマグチ商事");
	check_new(text_search_key_new, "０８３ ９２２", "083922");
	check_new(text_search_key_new, "Acme Inc", "AcmeInc");
	check_new(text_search_key_new, "   ", "");
	check_new(text_search_key_new, "\xff", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_utf8),
	    cmocka_unit_test(test_nfkc),
	    cmocka_unit_test(test_kana),
	    cmocka_unit_test(test_digits),
	    cmocka_unit_test(test_is_hyphen),
	    cmocka_unit_test(test_display_width),
	    cmocka_unit_test(test_search_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
