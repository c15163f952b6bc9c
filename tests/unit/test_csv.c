/*
 * CSV reading and writing as Excel and city staff produce it: RFC 4180
 * quoting, line ends, BOM and CP932 detection, header mapping, formula
 * injection and characters CP932 cannot hold. CP932 input is made in the
 * test with iconv, so no fixture file can drift from what is asserted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "csv.h"
#include "text.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOM "\xef\xbb\xbf"

/* UTF-8 s in CP932; *len gets its length. */
static char *
to_cp932(const char *s, size_t *len)
{
	size_t ileft = strlen(s), oleft = ileft * 2 + 1;
	char *out = calloc(1, oleft), *ip = (char *)s, *op = out;
	iconv_t cd = iconv_open("CP932", "UTF-8");

	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &ip, &ileft, &op, &oleft) != (size_t)-1);
	iconv_close(cd);
	*len = (size_t)(op - out);
	return out;
}

static struct csv_reader *
reader(const char *s, enum csv_encoding enc)
{
	char *cause = NULL;
	struct csv_reader *r = csv_reader_new(s, strlen(s), enc, &cause);

	if (r == NULL)
		fail_msg("csv_reader_new: %s", cause);
	return r;
}

/* Reads one row and checks its line and fields. */
static void
expect_row(struct csv_reader *r, size_t line, size_t n, ...)
{
	struct csv_row row;
	char *cause = NULL;
	va_list ap;
	size_t i;

	if (csv_read_row(r, &row, &cause) != 1)
		fail_msg("csv_read_row: %s", cause ? cause : "end of input");
	assert_int_equal(row.line, line);
	assert_int_equal(row.nfields, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(row.fields[i], va_arg(ap, const char *));
	va_end(ap);
}

static void
expect_end(struct csv_reader *r)
{
	struct csv_row row;
	char *cause = NULL;

	assert_int_equal(csv_read_row(r, &row, &cause), 0);
	assert_null(cause);
}

/* Reads rows until an error and checks that its cause contains want. */
#define READ_ERROR(s, want) expect_read_error(s, sizeof s - 1, want)
static void
expect_read_error(const char *s, size_t len, const char *want)
{
	struct csv_reader *r;
	struct csv_row row;
	char *cause = NULL;
	int ret;

	r = csv_reader_new(s, len, CSV_ENC_AUTO, &cause);
	assert_non_null(r);
	while ((ret = csv_read_row(r, &row, &cause)) == 1)
		;
	assert_int_equal(ret, -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("cause \"%s\" lacks \"%s\"", cause, want);
	free(cause);
	csv_reader_free(r);
}

/* Checks that csv_reader_new refuses data with a cause containing want. */
#define NEW_ERROR(s, enc, want) expect_new_error(s, sizeof s - 1, enc, want)
static void
expect_new_error(const char *s, size_t len, enum csv_encoding enc,
		 const char *want)
{
	char *cause = NULL;

	assert_null(csv_reader_new(s, len, enc, &cause));
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("cause \"%s\" lacks \"%s\"", cause, want);
	free(cause);
}

static void
test_read_quoted(void **state)
{
	struct csv_reader *r;

	(void)state;
	r = reader("a,\"b,c\",\"say \"\"hi\"\"\",\"one\ntwo\",\"\"\n"
		   "x,\"p\r\nq\"\r\n"
		   "5\" monitor,z\n",
		   CSV_ENC_AUTO);
	expect_row(r, 1, 5, "a", "b,c", "say \"hi\"", "one\ntwo", "");
	expect_row(r, 3, 2, "x", "p\r\nq");
	expect_row(r, 5, 2, "5\" monitor", "z");
	expect_end(r);
	csv_reader_free(r);
}

static void
test_read_line_ends(void **state)
{
	struct csv_reader *r;

	(void)state;
	r = reader("a,b\r\nc,d\ne,\r\n,\nf,g", CSV_ENC_UTF8);
	expect_row(r, 1, 2, "a", "b");
	expect_row(r, 2, 2, "c", "d");
	expect_row(r, 3, 2, "e", "");
	expect_row(r, 4, 2, "", "");
	expect_row(r, 5, 2, "f", "g");
	expect_end(r);
	expect_end(r);
	csv_reader_free(r);

	r = reader("x,", CSV_ENC_UTF8);
	expect_row(r, 1, 2, "x", "");
	expect_end(r);
	csv_reader_free(r);
}

static void
test_read_empty_lines(void **state)
{
	struct csv_reader *r;
	char *cause = NULL;

	(void)state;
	r = reader("\r\n\na\n\n\r\n \nb\n\n", CSV_ENC_AUTO);
	expect_row(r, 3, 1, "a");
	expect_row(r, 6, 1, " ");
	expect_row(r, 7, 1, "b");
	expect_end(r);
	csv_reader_free(r);

	r = reader("", CSV_ENC_AUTO);
	expect_end(r);
	csv_reader_free(r);
	r = csv_reader_new(NULL, 0, CSV_ENC_CP932, &cause);
	expect_end(r);
	csv_reader_free(r);
}

/* Storage grows across rows and is reused, keeping every field intact. */
static void
test_read_wide_rows(void **state)
{
	char line[200] = "", expect[8];
	struct csv_reader *r;
	struct csv_row row;
	char *cause = NULL;
	int i;

	(void)state;
	for (i = 0; i < 40; i++)
		snprintf(line + strlen(line), sizeof line - strlen(line),
			 "%s%d", i ? "," : "", i);
	strcat(line, "\nshort\n");
	r = reader(line, CSV_ENC_AUTO);
	assert_int_equal(csv_read_row(r, &row, &cause), 1);
	assert_int_equal(row.nfields, 40);
	for (i = 0; i < 40; i++) {
		snprintf(expect, sizeof expect, "%d", i);
		assert_string_equal(row.fields[i], expect);
	}
	expect_row(r, 2, 1, "short");
	csv_reader_free(r);
}

static void
test_read_bom(void **state)
{
	struct csv_reader *r;

	(void)state;
	r = reader(BOM "氏名,年齢\r\n山田,30\r\n", CSV_ENC_AUTO);
	expect_row(r, 1, 2, "氏名", "年齢");
	expect_row(r, 2, 2, "山田", "30");
	expect_end(r);
	csv_reader_free(r);

	r = reader(BOM "氏名\r\n", CSV_ENC_UTF8);
	expect_row(r, 1, 1, "氏名");
	csv_reader_free(r);

	r = reader("氏名\r\n", CSV_ENC_UTF8);
	expect_row(r, 1, 1, "氏名");
	csv_reader_free(r);

	/* A BOM promises UTF-8: no falling back to CP932 after it. */
	NEW_ERROR(BOM "a\n\x82\xa0\n", CSV_ENC_AUTO, "line 2: not valid UTF-8");
}

static void
test_read_auto_cp932(void **state)
{
	const char *utf8 = "企業名,住所\r\n"
			   "㈱髙﨑商事,\"山口市①番地\r\n～\"\r\n"
			   "ﾔﾏｸﾞﾁ,x\r\n";
	const enum csv_encoding encs[] = {CSV_ENC_AUTO, CSV_ENC_CP932};
	struct csv_reader *r;
	char *cp, *cause = NULL;
	size_t len, i;

	(void)state;
	cp = to_cp932(utf8, &len);
	assert_false(text_valid_utf8(cp, len));
	for (i = 0; i < 2; i++) {
		r = csv_reader_new(cp, len, encs[i], &cause);
		assert_non_null(r);
		expect_row(r, 1, 2, "企業名", "住所");
		expect_row(r, 2, 2, "㈱髙﨑商事", "山口市①番地\r\n～");
		expect_row(r, 4, 2, "ﾔﾏｸﾞﾁ", "x");
		expect_end(r);
		csv_reader_free(r);
	}
	free(cp);
}

static void
test_read_bad_bytes(void **state)
{
	(void)state;
	/* 0x81 needs a trail byte of 0x40 or more. */
	NEW_ERROR("a\r\nb\r\n\x81\x20x\r\n", CSV_ENC_CP932,
		  "line 3: bytes 0x81 0x20 are not valid CP932");
	NEW_ERROR("a\r\nb\r\n\x81\x20x\r\n", CSV_ENC_AUTO, "line 3");
	NEW_ERROR("a\n\x82", CSV_ENC_CP932,
		  "line 2: byte 0x82 is not valid CP932");
	NEW_ERROR("ok\n\xff\n", CSV_ENC_UTF8, "line 2: not valid UTF-8");
	NEW_ERROR("a\nb\0c\n", CSV_ENC_AUTO, "line 2: NUL byte");
	NEW_ERROR("a\nb\0c\n", CSV_ENC_CP932, "line 2: NUL byte");
}

static void
test_read_malformed(void **state)
{
	(void)state;
	READ_ERROR("a,b\nc,\"open\nmore\nstuff\n",
		   "line 2: quoted field is never closed");
	READ_ERROR("x\n\"a\"b,c\n", "line 2: text after a closing quote");
	READ_ERROR("\"a\" ,c\n", "line 1: text after a closing quote");
	READ_ERROR("a\rb\n", "line 1: carriage return");
}

static const struct csv_column companies[] = {
    {"corporate_number", "法人番号"},
    {"name", "企業名"},
    {"name_kana", "フリガナ"},
    {"address", "住所"},
    {"phone", "電話番号"},
    {"email", "メール"},
};
#define NCOMPANIES (sizeof companies / sizeof companies[0])

/* Maps the first row of s onto companies[]. */
static int
map(const char *s, int *index, char **cause)
{
	struct csv_reader *r = reader(s, CSV_ENC_AUTO);
	struct csv_row row;
	int ret;

	assert_int_equal(csv_read_row(r, &row, cause), 1);
	ret = csv_header_map(&row, companies, NCOMPANIES, index, cause);
	csv_reader_free(r);
	return ret;
}

static void
test_header_map(void **state)
{
	int index[NCOMPANIES];
	struct csv_reader *r;
	struct csv_row row;
	char *cause = NULL;

	(void)state;
	assert_int_equal(map(BOM "企業名, 法人番号 ,\xe3\x80\x80住所\t,phone,,"
				 " フリガナ\xe3\x80\x80\n",
			     index, &cause),
			 0);
	assert_null(cause);
	assert_int_equal(index[0], 1);
	assert_int_equal(index[1], 0);
	assert_int_equal(index[2], 5);
	assert_int_equal(index[3], 2);
	assert_int_equal(index[4], 3);
	assert_int_equal(index[5], -1);

	/* Only spaces are forgiven; anything else is an unknown column. */
	assert_int_equal(map("企業名,備考, ,性別,法人番号 号\n", index, &cause),
			 -1);
	assert_string_equal(cause, "unknown columns: 備考, 性別, 法人番号 号 "
				   "(columns are: 法人番号, 企業名, フリガナ, "
				   "住所, 電話番号, メール)");
	free(cause);
	cause = NULL;

	assert_int_equal(map("企業名,name,住所\n", index, &cause), -1);
	assert_string_equal(cause, "repeated columns: name");
	free(cause);
	cause = NULL;

	r = reader("x,y\n", CSV_ENC_AUTO);
	assert_int_equal(csv_read_row(r, &row, &cause), 1);
	assert_string_equal(csv_row_field(&row, 1), "y");
	assert_null(csv_row_field(&row, 2));
	assert_null(csv_row_field(&row, -1));
	csv_reader_free(r);
}

/* Writes rows of n fields; asserts each write succeeds. */
static void
write_ok(struct csv_writer *w, const char *const *fields, size_t n)
{
	char *cause = NULL;

	if (csv_write_row(w, fields, n, &cause) != 0)
		fail_msg("csv_write_row: %s", cause);
}

static void
expect_data(const struct csv_writer *w, const char *want, size_t wantlen)
{
	const char *data;
	size_t len;

	data = csv_writer_data(w, &len);
	assert_int_equal(len, wantlen);
	assert_memory_equal(data, want, wantlen);
}

static void
test_write_utf8(void **state)
{
	const char *row1[] = {"a", "b,c", "say \"hi\"", "x\ny", NULL, "髙"};
	const char *row2[] = {"", "\r"};
	const char want[] = BOM "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",,髙\r\n"
				",\"'\r\"\r\n";
	struct csv_writer *w;

	(void)state;
	w = csv_writer_new(CSV_ENC_UTF8);
	expect_data(w, BOM, 3);
	write_ok(w, row1, 6);
	write_ok(w, row2, 2);
	expect_data(w, want, sizeof want - 1);
	csv_writer_free(w);

	w = csv_writer_new(CSV_ENC_AUTO);
	write_ok(w, row1, 1);
	expect_data(w, BOM "a\r\n", 6);
	csv_writer_free(w);
}

static void
test_write_formula(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"=SUM(A1:A9)", "'=SUM(A1:A9)"},
	    {"+81", "'+81"},
	    {"@cmd", "'@cmd"},
	    {"\tx", "'\tx"},
	    {"\rx", "\"'\rx\""},
	    {"=1,2", "\"'=1,2\""},
	    {"-", "'-"},
	    {"-5a", "'-5a"},
	    {"-.5", "'-.5"},
	    {"-5.", "'-5."},
	    {"-1-1", "'-1-1"},
	    /* Full-width operators, as a Japanese IME types them. */
	    {"＝HYPERLINK(\"http://x\")", "\"'＝HYPERLINK(\"\"http://x\"\")\""},
	    {"＋81", "'＋81"},
	    {"－1", "'－1"},
	    {"＠SUM(A1)", "'＠SUM(A1)"},
	    {"株式会社＝", "株式会社＝"},
	    {"-5", "-5"},
	    {"-12.5", "-12.5"},
	    {"1-2", "1-2"},
	    {"a=b", "a=b"},
	};
	struct csv_writer *w;
	const char *data;
	char want[64];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		w = csv_writer_new(CSV_ENC_UTF8);
		write_ok(w, &cases[i].in, 1);
		snprintf(want, sizeof want, BOM "%s\r\n", cases[i].out);
		data = csv_writer_data(w, &len);
		if (len != strlen(want) || memcmp(data, want, len) != 0)
			fail_msg("\"%s\" written as \"%.*s\"", cases[i].in,
				 (int)len, data);
		csv_writer_free(w);
	}
}

/* What Excel users type must come back unchanged through our reader. */
static void
test_write_read_back(void **state)
{
	const char *row[] = {"a,b", "\"q\"", "x\r\ny", " sp ", "-5", ""};
	struct csv_writer *w;
	struct csv_reader *r;
	const char *data;
	char *cause = NULL;
	size_t len;

	(void)state;
	w = csv_writer_new(CSV_ENC_UTF8);
	write_ok(w, row, 6);
	write_ok(w, row, 2);
	data = csv_writer_data(w, &len);
	r = csv_reader_new(data, len, CSV_ENC_AUTO, &cause);
	assert_non_null(r);
	expect_row(r, 1, 6, "a,b", "\"q\"", "x\r\ny", " sp ", "-5", "");
	expect_row(r, 3, 2, "a,b", "\"q\"");
	expect_end(r);
	csv_reader_free(r);
	csv_writer_free(w);
}

static void
test_write_cp932_round_trip(void **state)
{
	const char *header[] = {"企業名", "備考"};
	const char *row[] = {"㈱髙﨑", "①～\n二行目"};
	struct csv_writer *w;
	struct csv_reader *r;
	const char *data;
	char *cp, *cause = NULL;
	size_t len, cplen;

	(void)state;
	w = csv_writer_new(CSV_ENC_CP932);
	expect_data(w, "", 0);
	write_ok(w, header, 2);
	write_ok(w, row, 2);
	cp = to_cp932("企業名,備考\r\n㈱髙﨑,\"①～\n二行目\"\r\n", &cplen);
	expect_data(w, cp, cplen);
	free(cp);

	data = csv_writer_data(w, &len);
	r = csv_reader_new(data, len, CSV_ENC_CP932, &cause);
	assert_non_null(r);
	expect_row(r, 1, 2, "企業名", "備考");
	expect_row(r, 2, 2, "㈱髙﨑", "①～\n二行目");
	expect_end(r);
	csv_reader_free(r);
	csv_writer_free(w);
}

static void
test_write_cp932_unencodable(void **state)
{
	const char *ok[] = {"山田", "-3"};
	const char *bad[] = {"x", "𠮷田 太郎"};
	const char *emoji[] = {"=😀"};
	struct csv_writer *w;
	char *cp, *cause = NULL;
	size_t len;

	(void)state;
	w = csv_writer_new(CSV_ENC_CP932);
	write_ok(w, ok, 2);
	assert_int_equal(csv_write_row(w, bad, 2, &cause), -1);
	assert_string_equal(cause, "row 2, field 2 \"𠮷田 太郎\": 𠮷 "
				   "(U+20BB7) cannot be written in CP932");
	free(cause);
	cause = NULL;
	write_ok(w, ok, 1);
	assert_int_equal(csv_write_row(w, emoji, 1, &cause), -1);
	assert_string_equal(cause, "row 4, field 1 \"=😀\": 😀 (U+1F600) "
				   "cannot be written in CP932");
	free(cause);
	cause = NULL;

	/* The failed rows left nothing behind, not even a separator. */
	cp = to_cp932("山田,-3\r\n山田\r\n", &len);
	expect_data(w, cp, len);
	free(cp);
	csv_writer_free(w);
}

static void
test_write_invalid_utf8(void **state)
{
	const char *row[] = {"ok", "\xe5\xb1"};
	struct csv_writer *w;
	char *cause = NULL;

	(void)state;
	w = csv_writer_new(CSV_ENC_UTF8);
	assert_int_equal(csv_write_row(w, row, 2, &cause), -1);
	assert_string_equal(cause, "row 1, field 2: not valid UTF-8");
	free(cause);
	expect_data(w, BOM, 3);
	csv_writer_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_quoted),
	    cmocka_unit_test(test_read_line_ends),
	    cmocka_unit_test(test_read_empty_lines),
	    cmocka_unit_test(test_read_wide_rows),
	    cmocka_unit_test(test_read_bom),
	    cmocka_unit_test(test_read_auto_cp932),
	    cmocka_unit_test(test_read_bad_bytes),
	    cmocka_unit_test(test_read_malformed),
	    cmocka_unit_test(test_header_map),
	    cmocka_unit_test(test_write_utf8),
	    cmocka_unit_test(test_write_formula),
	    cmocka_unit_test(test_write_read_back),
	    cmocka_unit_test(test_write_cp932_round_trip),
	    cmocka_unit_test(test_write_cp932_unencodable),
	    cmocka_unit_test(test_write_invalid_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
