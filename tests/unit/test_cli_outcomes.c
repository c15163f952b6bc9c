/*
 * Unit tests for client-cli/outcomes.c: a company's outcomes CSV read
 * through the import engine (Japanese labels and words, encodings),
 * checked by row and column and across rows, turned into the one
 * request, and the server's refusal put back on the file's rows.
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

#include "outcomes.h"

#define TOKEN_A "JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA"

/* The file read and checked; every test file is usable as a whole. */
static struct import_batch *
batch(const char *csv, enum csv_encoding enc)
{
	char *cause = NULL;
	struct import_batch *b =
	    import_batch_new(&outcomes_form, csv, strlen(csv), enc, &cause);

	if (b == NULL)
		fail_msg("import_batch_new: %s", cause);
	if (outcomes_check(b, &cause) != 0)
		fail_msg("outcomes_check: %s", cause);
	return b;
}

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

/* Everything importer_row_print() says about the batch's rows. */
static char *
errors(const struct import_batch *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	for (size_t i = 0; i < b->nrows; i++)
		importer_row_print(&b->rows[i], out);
	fclose(out);
	return buf;
}

static void
test_japanese_words_and_labels(void **state)
{
	struct import_batch *b =
	    batch("登録番号,受付コード,法人番号,企業ID,結果,結果日\r\n"
		  "12,,4000012090001,,内定,2024-11-01\r\n"
		  ",jf1-aaaaaaaaaaaaaaaaaaaaaaaaaa ,,7,採用,2024-11-20\r\n"
		  "１３,,4011001098993,,就職,\r\n"
		  "14,,,8,辞退,\r\n"
		  "15,,,8,取下げ,\r\n"
		  "16,,,8,未定,\r\n"
		  "17,,,8,取り下げ,\r\n",
		  CSV_ENC_AUTO);
	cJSON *body = outcomes_body_new(b);

	(void)state;
	assert_int_equal(b->ninvalid, 0);
	assert_json(
	    body,
	    "{\"rows\":["
	    "{\"registration_id\":12,\"corporate_number\":\"4000012090001\","
	    "\"outcome\":\"offer\",\"outcome_date\":\"2024-11-01\"},"
	    "{\"token\":\"" TOKEN_A "\",\"company_id\":7,\"outcome\":\"hired\","
	    "\"outcome_date\":\"2024-11-20\"},"
	    "{\"registration_id\":13,\"corporate_number\":\"4011001098993\","
	    "\"outcome\":\"hired\"},"
	    "{\"registration_id\":14,\"company_id\":8,\"outcome\":\"declined\"}"
	    ","
	    "{\"registration_id\":15,\"company_id\":8,\"outcome\":"
	    "\"withdrawn\"},"
	    "{\"registration_id\":16,\"company_id\":8,\"outcome\":\"pending\"},"
	    "{\"registration_id\":17,\"company_id\":8,"
	    "\"outcome\":\"withdrawn\"}]}");
	cJSON_Delete(body);
	import_batch_free(b);
}

/* Every word the form accepts means one of the API's five outcomes. */
static void
test_every_word_has_a_meaning(void **state)
{
	static const char *const api[] = {"pending", "offer", "hired",
					  "declined", "withdrawn"};
	const struct input_field *f = form_field(&outcomes_form, "outcome");

	(void)state;
	assert_non_null(f);
	for (const char *const *w = f->values; *w != NULL; w++) {
		char *csv;
		struct import_batch *b;
		cJSON *body;
		const char *got;
		bool known = false;

		if (asprintf(&csv, "登録番号,企業ID,結果\r\n1,1,%s\r\n", *w) <
		    0)
			fail();
		b = batch(csv, CSV_ENC_AUTO);
		body = outcomes_body_new(b);
		got = cJSON_GetStringValue(cJSON_GetObjectItem(
		    cJSON_GetArrayItem(cJSON_GetObjectItem(body, "rows"), 0),
		    "outcome"));
		for (size_t i = 0; i < sizeof api / sizeof *api; i++)
			known =
			    known || (got != NULL && strcmp(got, api[i]) == 0);
		if (!known)
			fail_msg("%s means %s", *w, got ? got : "nothing");
		cJSON_Delete(body);
		import_batch_free(b);
		free(csv);
	}
}

static void
test_json_names_and_cp932(void **state)
{
	/* 内定 and 取下げ in CP932, as older Excel saves them. */
	static const char cp932[] =
	    "registration_id,corporate_number,outcome,outcome_date\r\n"
	    "21,1180301018771,\x93\xe0\x92\xe8,2024-12-01\r\n"
	    "22,1180301018771,\x8e\xe6\x89\xba\x82\xb0,\r\n"
	    "23,1180301018771,hired,2024-12-02\r\n";
	struct import_batch *b = batch(cp932, CSV_ENC_AUTO);
	cJSON *body = outcomes_body_new(b);

	(void)state;
	assert_int_equal(b->enc, CSV_ENC_CP932);
	assert_json(body, "{\"rows\":["
			  "{\"registration_id\":21,\"corporate_number\":"
			  "\"1180301018771\",\"outcome\":\"offer\","
			  "\"outcome_date\":\"2024-12-01\"},"
			  "{\"registration_id\":22,\"corporate_number\":"
			  "\"1180301018771\",\"outcome\":\"withdrawn\"},"
			  "{\"registration_id\":23,\"corporate_number\":"
			  "\"1180301018771\",\"outcome\":\"hired\","
			  "\"outcome_date\":\"2024-12-02\"}]}");
	cJSON_Delete(body);
	import_batch_free(b);
}

static void
test_errors_by_row_and_column(void **state)
{
	struct import_batch *b = batch(
	    "\xef\xbb\xbf登録番号,受付コード,法人番号,企業ID,結果,結果日\r\n"
	    "12,,4000012090001,,合格,2024-11-01\r\n"
	    "13,,4000012090002,,内定,2024-11-01\r\n"
	    "14,,4000012090001,,未定,2024-11-01\r\n"
	    "15," TOKEN_A ",4000012090001,,内定,\r\n"
	    ",,4000012090001,,内定,\r\n"
	    "16,,4000012090001,3,内定,\r\n"
	    "17,,,,内定,\r\n"
	    ",HELLO,,3,内定,\r\n"
	    "18,,4000012090001,,内定,2024-13-01\r\n"
	    "19,,4000012090001,,,\r\n",
	    CSV_ENC_AUTO);
	char *got = errors(b);

	(void)state;
	assert_int_equal(b->nrows, 10);
	assert_int_equal(b->ninvalid, 10);
	assert_non_null(strstr(got,
			       "row 2, column 結果: must be 内定, 採用, 就職, "
			       "辞退, 取下げ or 未定 (or offer, hired, "
			       "declined, withdrawn, pending)\n"));
	assert_non_null(strstr(
	    got, "row 3, column 法人番号: check digit does not match\n"));
	assert_non_null(strstr(got, "row 4, column 結果日: a pending interview "
				    "has no outcome date\n"));
	assert_non_null(strstr(got, "row 5, column 登録番号: give 登録番号 or "
				    "受付コード, not both\n"));
	assert_non_null(strstr(
	    got, "row 6, column 登録番号: give 登録番号 or 受付コード\n"));
	assert_non_null(strstr(got, "row 7, column 法人番号: give 法人番号 or "
				    "企業ID, not both\n"));
	assert_non_null(
	    strstr(got, "row 8, column 法人番号: give 法人番号 or 企業ID\n"));
	assert_non_null(strstr(
	    got,
	    "row 9, column 受付コード: is not a check-in token (JF1-…)\n"));
	assert_non_null(strstr(got, "row 10, column 結果日: "));
	assert_non_null(strstr(got, "row 11, column 結果: "));
	free(got);
	import_batch_free(b);
}

/* The same job seeker and company twice, however the file names them. */
static void
test_repeated_rows(void **state)
{
	struct import_batch *b = batch(
	    "受付コード,法人番号,結果\r\n" TOKEN_A ",4000012090001,内定\r\n"
	    "JF1-BBBBBBBBBBBBBBBBBBBBBBBBBB,4000012090001,内定\r\n"
	    "jf1-aaaaaaaaaaaaaaaaaaaaaaaaaa,4000012090001,採用\r\n" TOKEN_A
	    ",4011001098993,採用\r\n" TOKEN_A ",4000012090001,辞退\r\n",
	    CSV_ENC_AUTO);
	char *got = errors(b);

	(void)state;
	assert_int_equal(b->nrows, 5);
	assert_int_equal(b->ninvalid, 2);
	assert_string_equal(
	    got, "row 4: repeats row 2 (the same job seeker and company)\n"
		 "row 6: repeats row 2 (the same job seeker and company)\n");
	free(got);
	import_batch_free(b);
}

static void
test_header_must_name_who_and_which(void **state)
{
	char *cause = NULL;
	struct import_batch *b;
	static const char no_seeker[] =
	    "法人番号,結果\r\n4000012090001,内定\r\n";
	static const char no_company[] = "登録番号,結果\r\n12,内定\r\n";
	static const char no_outcome[] =
	    "登録番号,法人番号\r\n12,4000012090001\r\n";

	(void)state;
	b = import_batch_new(&outcomes_form, no_seeker, strlen(no_seeker),
			     CSV_ENC_AUTO, &cause);
	assert_non_null(b);
	assert_int_equal(outcomes_check(b, &cause), -1);
	assert_non_null(strstr(cause, "the header names no job seeker"));
	free(cause);
	cause = NULL;
	import_batch_free(b);
	b = import_batch_new(&outcomes_form, no_company, strlen(no_company),
			     CSV_ENC_AUTO, &cause);
	assert_int_equal(outcomes_check(b, &cause), -1);
	assert_non_null(strstr(cause, "the header names no company"));
	free(cause);
	cause = NULL;
	import_batch_free(b);
	/* The outcome column is required by the form itself. */
	assert_null(import_batch_new(&outcomes_form, no_outcome,
				     strlen(no_outcome), CSV_ENC_AUTO, &cause));
	assert_non_null(strstr(cause, "結果"));
	free(cause);
}

static void
test_server_refusal_back_on_rows(void **state)
{
	struct import_batch *b = batch("登録番号,企業ID,結果\r\n"
				       "12,7,内定\r\n"
				       "13,7,採用\r\n"
				       "14,7,内定\r\n"
				       "15,7,辞退\r\n",
				       CSV_ENC_AUTO);
	cJSON *fields = cJSON_Parse(
	    "{\"rows[1].registration_id\":\"is registered for another event\","
	    "\"rows[3].outcome\":\"repeats row 0\","
	    "\"rows[2].company_id\":\"company has no booth at this event\","
	    "\"rows\":\"not a row\",\"rows[9].outcome\":\"beyond the file\"}");
	char *got;

	(void)state;
	assert_int_equal(outcomes_refused(b, fields), 3);
	assert_int_equal(b->ninvalid, 3);
	got = errors(b);
	assert_string_equal(
	    got, "row 3, column 登録番号: is registered for another event\n"
		 "row 4, column 企業ID: company has no booth at this event\n"
		 "row 5, column 結果: repeats row 2\n");
	free(got);
	cJSON_Delete(fields);
	import_batch_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_japanese_words_and_labels),
	    cmocka_unit_test(test_every_word_has_a_meaning),
	    cmocka_unit_test(test_json_names_and_cp932),
	    cmocka_unit_test(test_errors_by_row_and_column),
	    cmocka_unit_test(test_repeated_rows),
	    cmocka_unit_test(test_header_must_name_who_and_which),
	    cmocka_unit_test(test_server_refusal_back_on_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
