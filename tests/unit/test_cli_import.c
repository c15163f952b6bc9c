/*
 * Unit tests for the client's CSV import (client-cli/import.c, form.c):
 * CSV rows to JSON, validation by row and column, encodings, and the
 * rejected-rows file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "importer.h"

/* Asserts that JSON value got equals the JSON text want. */
static void
assert_json(const cJSON *got, const char *want)
{
	cJSON *w = cJSON_Parse(want);

	assert_non_null(w);
	if (!cJSON_Compare(got, w, true)) {
		char *text = cJSON_PrintUnformatted(got);

		fail_msg("got %s\nwant %s", text, want);
	}
	cJSON_Delete(w);
}

static struct import_batch *
batch(const struct form *f, const char *csv, enum csv_encoding enc)
{
	char *cause = NULL;
	struct import_batch *b =
	    import_batch_new(f, csv, strlen(csv), enc, &cause);

	if (b == NULL)
		fail_msg("import_batch_new: %s", cause);
	return b;
}

/* The message a file is refused with. */
static char *
refusal(const struct form *f, const char *csv)
{
	char *cause = NULL;
	struct import_batch *b =
	    import_batch_new(f, csv, strlen(csv), CSV_ENC_AUTO, &cause);

	assert_null(b);
	assert_non_null(cause);
	return cause;
}

/* What importer_row_print() says about row i. */
static char *
row_errors(const struct import_batch *b, size_t i)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	importer_row_print(&b->rows[i], out);
	fclose(out);
	return buf;
}

static void
test_row_json_mapping(void **state)
{
	/* Columns in the file's order differ from the form's. */
	char *cells[] = {"同意",     "山口 太郎",	 "",	  "  ",
			 "physical", "youth;disability", "１２０"};
	struct csv_row row = {cells, 7, 2};
	/* form_registration's columns: name, name_kana, birth_date, age,
	 * phone, email, categories, disability, accommodations,
	 * accommodation_note, supporters, consent. */
	int index[] = {1, 2, -1, 6, 3, -1, 5, 4, -1, -1, 99, 0};
	cJSON *obj;

	(void)state;
	obj = import_row_json_new(&form_registration, index, &row);
	/*
	 * Blank cells and absent columns are left out (not sent as ""), the
	 * 手帳 cell becomes {"handbook": …}, 同意 a boolean, full-width
	 * digits of an integer ASCII; a short row just lacks the rest.
	 */
	assert_json(obj, "{\"name\":\"山口 太郎\",\"age\":\"120\","
			 "\"categories\":\"youth;disability\","
			 "\"disability\":{\"handbook\":\"physical\"},"
			 "\"consent\":true}");
	cJSON_Delete(obj);
}

static void
test_cell_values(void **state)
{
	static const char *const yes[] = {"true", "TRUE", "1", "はい", "同意"};
	static const char *const no[] = {"false", "FALSE", "0", "いいえ"};
	cJSON *v;

	(void)state;
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		v = form_cell_new(&form_registration, "consent", yes[i]);
		assert_true(cJSON_IsTrue(v));
		cJSON_Delete(v);
	}
	for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
		v = form_cell_new(&form_registration, "consent", no[i]);
		assert_true(cJSON_IsFalse(v));
		cJSON_Delete(v);
	}
	/* Not a yes or a no: left for validation to refuse. */
	v = form_cell_new(&form_registration, "consent", "たぶん");
	assert_json(v, "\"たぶん\"");
	cJSON_Delete(v);
	v = form_cell_new(&form_company, "phone", "０８３−９２２−１１１１");
	assert_json(v, "\"０８３−９２２−１１１１\"");
	cJSON_Delete(v);
}

static void
test_japanese_header_utf8(void **state)
{
	struct import_batch *b;

	(void)state;
	b = batch(&form_registration,
		  "氏名,フリガナ,生年月日,年齢,電話番号,メール,区分,手帳,"
		  "配慮事項,配慮内容,同行支援者数,同意\n"
		  "山口 太郎,やまぐち たろう,1990-04-01,,083-922-1111,,"
		  "youth;disability,physical,sign_language;wheelchair,"
		  "\"通訳を希望、車いす\",1,はい\n",
		  CSV_ENC_AUTO);
	assert_int_equal(b->nrows, 1);
	assert_int_equal(b->ninvalid, 0);
	assert_int_equal(b->rows[0].number, 2);
	assert_null(b->rows[0].errors);
	/* Normalised as the server stores it: katakana, phone digits. */
	assert_json(b->rows[0].body,
		    "{\"name\":\"山口 太郎\",\"name_kana\":\"ヤマグチ タロウ\","
		    "\"birth_date\":\"1990-04-01\",\"phone\":\"0839221111\","
		    "\"categories\":[\"youth\",\"disability\"],"
		    "\"disability\":{\"handbook\":\"physical\"},"
		    "\"accommodations\":[\"sign_language\",\"wheelchair\"],"
		    "\"accommodation_note\":\"通訳を希望、車いす\","
		    "\"supporters\":1,\"consent\":true}");
	import_batch_free(b);
}

static void
test_json_header_bom_crlf(void **state)
{
	struct import_batch *b;

	(void)state;
	b = batch(&form_company,
		  "\xef\xbb\xbf"
		  "corporate_number,name,name_kana,postal_code,phone\r\n"
		  "４００００１２０９０００１,山口市役所,ヤマグチシヤクショ,"
		  "753-8650,083-922-1111\r\n"
		  ",さくら保育園,,,\r\n",
		  CSV_ENC_AUTO);
	assert_int_equal(b->enc, CSV_ENC_UTF8);
	assert_int_equal(b->nrows, 2);
	assert_int_equal(b->ninvalid, 0);
	/* Full-width digits of a real 法人番号 normalised (NFKC). */
	assert_json(
	    b->rows[0].body,
	    "{\"corporate_number\":\"4000012090001\","
	    "\"name\":\"山口市役所\",\"name_kana\":\"ヤマグチシヤクショ\","
	    "\"postal_code\":\"7538650\",\"phone\":\"0839221111\"}");
	/* A sole proprietor has no 法人番号. */
	assert_json(b->rows[1].body, "{\"name\":\"さくら保育園\"}");
	import_batch_free(b);
}

static void
test_cp932(void **state)
{
	/* 氏名,フリガナ,年齢,同意 / 山口 花子,… / 髙橋 一郎,…,１２０,同意 */
	static const char cp932[] =
	    "\x8e\x81\x96\xbc,\x83t\x83\x8a\x83K\x83i,\x94N\x97\xee,\x93\xaf"
	    "\x88\xd3\r\n\x8eR\x8c\xfb \x89\xd4\x8eq,\x83\x84\x83}\x83O\x83` "
	    "\x83n\x83i\x83R,40,\x82\xcd\x82\xa2\r\n\xee\xe0\x8b\xb4 "
	    "\x88\xea\x98Y,\x82\xbd\x82\xa9\x82\xcd\x82\xb5 "
	    "\x82\xa2\x82\xbf\x82\xeb\x82\xa4,\x82P\x82Q\x82O,\x93\xaf\x88"
	    "\xd3\r\n";
	struct import_batch *b;
	char *cause = NULL;

	(void)state;
	b = batch(&form_registration, cp932, CSV_ENC_AUTO);
	assert_int_equal(b->enc, CSV_ENC_CP932);
	assert_int_equal(b->nrows, 2);
	assert_int_equal(b->ninvalid, 0);
	assert_json(b->rows[0].body,
		    "{\"name\":\"山口 花子\",\"name_kana\":\"ヤマグチ ハナコ\","
		    "\"age\":40,\"consent\":true}");
	/* 髙 exists only in CP932, not in strict Shift_JIS. */
	assert_json(
	    b->rows[1].body,
	    "{\"name\":\"髙橋 一郎\",\"name_kana\":\"タカハシ イチロウ\","
	    "\"age\":120,\"consent\":true}");
	import_batch_free(b);
	/* Forced as UTF-8, the same bytes are refused whole. */
	assert_null(import_batch_new(&form_registration, cp932,
				     sizeof cp932 - 1, CSV_ENC_UTF8, &cause));
	assert_string_equal(cause, "line 1: not valid UTF-8");
	free(cause);
}

static void
test_errors_by_row_and_column(void **state)
{
	struct import_batch *b;
	char *text;

	(void)state;
	b = batch(&form_registration,
		  "氏名,フリガナ,年齢,生年月日,電話番号,同意\n"
		  "山口 太郎,ヤマグチ タロウ,30,,,はい\n"
		  ",,,,,\n"
		  "佐藤 次郎,Sato,30,1994-01-01,12345,いいえ\n"
		  "鈴木 三郎,スズキ サブロウ,30,1994-01-01,,はい\n"
		  "田中 四郎,タナカ シロウ,,,,いいえ\n"
		  "伊藤 五郎,イトウ ゴロウ,,,,はい,extra\n",
		  CSV_ENC_AUTO);
	/* The blank row is skipped but still counts for row numbers. */
	assert_int_equal(b->nrows, 5);
	assert_int_equal(b->ninvalid, 4);
	assert_non_null(b->rows[0].body);

	text = row_errors(b, 1);
	assert_string_equal(
	    text, "row 4, column フリガナ: must be katakana or hiragana\n"
		  "row 4, column 電話番号: must be 10 or 11 digits starting "
		  "with 0\n");
	free(text);
	/* Rules across fields: one of birth date and age, consent true. */
	text = row_errors(b, 2);
	assert_string_equal(
	    text,
	    "row 5, column 年齢: give a birth date or an age, not both\n");
	free(text);
	text = row_errors(b, 3);
	assert_string_equal(text, "row 6, column 同意: must be true\n");
	free(text);
	text = row_errors(b, 4);
	assert_string_equal(text, "row 7: cell 7 is beyond the header's 6\n");
	free(text);
	import_batch_free(b);
}

static void
test_missing_column_error_uses_label(void **state)
{
	struct import_batch *b;
	char *text;

	(void)state;
	/* A required field whose column is absent is named by its label. */
	b = batch(&form_company, "name,phone\n,0839221111\n", CSV_ENC_AUTO);
	text = row_errors(b, 0);
	assert_string_equal(text, "row 2, column name: is required\n");
	free(text);
	import_batch_free(b);
}

static void
test_refused_files(void **state)
{
	char *cause;

	(void)state;
	cause = refusal(&form_company, "法人番号,電話番号\n4000012090001,\n");
	assert_string_equal(cause, "the header has no column 企業名 (name)");
	free(cause);
	cause = refusal(&form_company, "企業名,FAX\nA,1\n");
	assert_non_null(strstr(cause, "unknown columns: FAX"));
	free(cause);
	cause = refusal(&form_company, "");
	assert_string_equal(cause, "the file is empty");
	free(cause);
	cause = refusal(&form_company, "企業名\n\"unclosed\n");
	assert_non_null(strstr(cause, "line 2"));
	free(cause);
}

static void
test_corporate_number_check_digit(void **state)
{
	struct import_batch *b;
	char *text;

	(void)state;
	/* Real numbers pass; the last row's check digit is off by one. */
	b = batch(&form_company,
		  "法人番号,企業名\n"
		  "4011001098993,A\n1180301018771,B\n2120901007402,C\n"
		  "5000012090001,D\n",
		  CSV_ENC_AUTO);
	assert_int_equal(b->ninvalid, 1);
	text = row_errors(b, 3);
	assert_string_equal(
	    text, "row 5, column 法人番号: check digit does not match\n");
	free(text);
	import_batch_free(b);
}

/* The file at path, NUL-terminated; the caller frees. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 65536);

	assert_non_null(f);
	*len = fread(buf, 1, 65535, f);
	fclose(f);
	return buf;
}

static void
test_rejected_file(void **state)
{
	char path[] = "/tmp/test_cli_import.XXXXXX";
	struct import_batch *b, *again;
	size_t len;
	char *data;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	b = batch(&form_company,
		  "企業名,電話番号\nA,0839221111\nB,12\n\"C, Inc.\",99\n",
		  CSV_ENC_AUTO);
	assert_int_equal(importer_write_rejected(b, path, &(char *){NULL}), 0);
	data = slurp(path, &len);
	/* UTF-8 with BOM and CRLF for Excel; only the rejected rows. */
	assert_string_equal(
	    data, "\xef\xbb\xbf"
		  "企業名,電話番号,error\r\n"
		  "B,12,電話番号: must be 10 or 11 digits starting with 0\r\n"
		  "\"C, Inc.\",99,電話番号: must be 10 or 11 digits starting "
		  "with 0\r\n");
	/* The rejected file imports as it is: its error column is ignored
	 * and written over, not added twice. */
	again = batch(&form_company, data, CSV_ENC_AUTO);
	assert_int_equal(again->nrows, 2);
	assert_int_equal(again->rows[0].number, 2);
	assert_int_equal(importer_write_rejected(again, path, &(char *){NULL}),
			 0);
	free(data);
	data = slurp(path, &len);
	assert_non_null(
	    strstr(data, "企業名,電話番号,error\r\nB,12,電話番号:"));
	assert_null(strstr(data, "error,error"));
	free(data);
	import_batch_free(again);
	import_batch_free(b);
	unlink(path);
}

static void
test_rejected_file_keeps_cp932(void **state)
{
	/* 企業名 / 山口 / 髙 with a phone of 12 */
	static const char cp932[] = "\x8a\xe9\x8b\xc6\x96\xbc,phone\r\n"
				    "\x8eR\x8c\xfb,0839221111\r\n"
				    "\xee\xe0,12\r\n";
	char path[] = "/tmp/test_cli_import.XXXXXX";
	struct import_batch *b;
	size_t len;
	char *data;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	b = batch(&form_company, cp932, CSV_ENC_AUTO);
	assert_int_equal(b->ninvalid, 1);
	assert_int_equal(importer_write_rejected(b, path, &(char *){NULL}), 0);
	data = slurp(path, &len);
	/* 髙 comes back as Windows writes it: 0xFBFC, the IBM code. */
	assert_memory_equal(data,
			    "\x8a\xe9\x8b\xc6\x96\xbc,phone,error\r\n\xfb\xfc,"
			    "12,phone: must be",
			    36);
	free(data);
	import_batch_free(b);
	unlink(path);
}

static void
test_rejected_path(void **state)
{
	char *p;

	(void)state;
	p = importer_rejected_path_new("data/companies.csv");
	assert_string_equal(p, "data/companies.rejected.csv");
	free(p);
	p = importer_rejected_path_new("SEEKERS.CSV");
	assert_string_equal(p, "SEEKERS.rejected.csv");
	free(p);
	p = importer_rejected_path_new("list.txt");
	assert_string_equal(p, "list.txt.rejected.csv");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_row_json_mapping),
	    cmocka_unit_test(test_cell_values),
	    cmocka_unit_test(test_japanese_header_utf8),
	    cmocka_unit_test(test_json_header_bom_crlf),
	    cmocka_unit_test(test_cp932),
	    cmocka_unit_test(test_errors_by_row_and_column),
	    cmocka_unit_test(test_missing_column_error_uses_label),
	    cmocka_unit_test(test_refused_files),
	    cmocka_unit_test(test_corporate_number_check_digit),
	    cmocka_unit_test(test_rejected_file),
	    cmocka_unit_test(test_rejected_file_keeps_cp932),
	    cmocka_unit_test(test_rejected_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
