/*
 * Unit tests for server/pdf.c: each document is a PDF with the expected
 * number of pages, a character no font has is counted and named, and
 * characters outside JIS X 0208 (𠮷, 髙) are not. (The integration test
 * reads the text back with pdftotext and decodes every QR code.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "pdf.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include <stdio.h>
#include <string.h>

static const char event[] =
    "{\"title\":\"合同就職面接会\",\"when\":\"2024年6月14日(金) "
    "13:00〜16:00\",\"venue\":\"市民会館\",\"type\":\"合同就職面接会\"}";

/* print_seekers()'s answer with n seekers named `name`. */
static char *
seekers(int n, const char *name)
{
	size_t cap = 256 + (size_t)n * (200 + strlen(name));
	char *s = malloc(cap);
	size_t len =
	    (size_t)snprintf(s, cap, "{\"event\":%s,\"items\":[", event);

	for (int i = 1; i <= n; i++)
		len += (size_t)snprintf(
		    s + len, cap - len,
		    "%s{\"id\":%d,\"name\":\"%s\",\"kana\":\"ヤマダ\","
		    "\"token\":\"JF1-ABCDEFGHIJKLMNOPQRSTUVWXYZ\"}",
		    i > 1 ? "," : "", i, name);
	snprintf(s + len, cap - len, "]}");
	return s;
}

static struct pdf_result
render(enum pdf_kind kind, const char *json, int per_page)
{
	struct pdf_options opt = {.per_page = per_page, .names = true};
	struct pdf_result r;
	char *cause = NULL;

	assert_int_equal(pdf_render(kind, &opt, json, strlen(json), &r, &cause),
			 0);
	assert_null(cause);
	assert_true(r.len > 1000);
	assert_memory_equal(r.data, "%PDF-", 5);
	return r;
}

static void
test_pages(void **state)
{
	char *json = seekers(7, "山田 太郎");
	struct pdf_result r;

	(void)state;
	r = render(PDF_SLIPS, json, PDF_SLIPS_PER_SHEET);
	assert_int_equal(r.pages, 3);
	assert_int_equal(r.missing, 0);
	free(r.data);
	r = render(PDF_SLIPS, json, 1);
	assert_int_equal(r.pages, 7);
	free(r.data);
	r = render(PDF_BADGES_SEEKERS, json, 0);
	assert_int_equal(r.pages, 1);
	free(r.data);
	free(json);
}

static void
test_outside_jis_prints(void **state)
{
	char *json = seekers(1, "𠮷野 髙子");
	struct pdf_result r;

	(void)state;
	r = render(PDF_SLIPS, json, 1);
	assert_int_equal(r.missing, 0);
	assert_string_equal(r.missing_codes, "");
	free(r.data);
	free(json);
}

static void
test_missing_glyph_reported(void **state)
{
	/* U+10FFFD, private use: no font has it. */
	char *json = seekers(2, "不明\xf4\x8f\xbf\xbd子");
	struct pdf_result r;

	(void)state;
	r = render(PDF_SLIPS, json, 1);
	assert_int_equal(r.missing, 2);
	assert_string_equal(r.missing_codes, "U+10FFFD");
	free(r.data);
	free(json);
}

static void
test_nothing_to_print_is_one_page(void **state)
{
	static const char json[] = "{\"event\":{},\"items\":[]}";
	struct pdf_result r;

	(void)state;
	r = render(PDF_COMPANIES, json, 0);
	assert_int_equal(r.pages, 1);
	free(r.data);
}

static void
test_not_json_refused(void **state)
{
	struct pdf_options opt = {0};
	struct pdf_result r;
	char *cause = NULL;

	(void)state;
	assert_int_equal(pdf_render(PDF_BOOTHS, &opt, "{", 1, &r, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pages),
	    cmocka_unit_test(test_outside_jis_prints),
	    cmocka_unit_test(test_missing_glyph_reported),
	    cmocka_unit_test(test_nothing_to_print_is_one_page),
	    cmocka_unit_test(test_not_json_refused),
	};

	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	/* The libraries' process-wide caches, so that LeakSanitizer sees
	 * only what the renderer itself left behind. */
	cairo_debug_reset_static_data();
	FcFini();
	return failed;
}
