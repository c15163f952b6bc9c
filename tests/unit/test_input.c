/*
 * Unit tests for common/input.c: every field kind's check and
 * normalisation, unknown and missing fields, PATCH semantics, and the
 * names nested errors are reported under.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input.h"

static const char *const test_colours[] = {"red", "green", "blue", NULL};
static const char *const test_handbooks[] = {"physical", "mental", NULL};

static const struct input_field test_sub[] = {
    {"title", INPUT_TEXT, true, 0, 10, NULL, NULL, 0},
    {"count", INPUT_INT, false, 1, 999, NULL, NULL, 0},
};
static const struct input_field test_disability[] = {
    {"handbook", INPUT_ENUM, true, 0, 0, test_handbooks, NULL, 0},
};

static const struct input_field test_spec[] = {
    {"name", INPUT_TEXT, true, 0, 5, NULL, NULL, 0},
    {"kana", INPUT_KANA, false, 0, 0, NULL, NULL, 0},
    {"age", INPUT_INT, false, 15, 120, NULL, NULL, 0},
    {"ok", INPUT_BOOL, false, 0, 0, NULL, NULL, 0},
    {"day", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
    {"at", INPUT_TIMESTAMP, false, 0, 0, NULL, NULL, 0},
    {"colour", INPUT_ENUM, false, 0, 0, test_colours, NULL, 0},
    {"colours", INPUT_ENUM_LIST, false, 0, 0, test_colours, NULL, 0},
    {"corp", INPUT_CORPORATE_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"postal", INPUT_POSTAL_CODE, false, 0, 0, NULL, NULL, 0},
    {"phone", INPUT_PHONE, false, 0, 0, NULL, NULL, 0},
    {"email", INPUT_EMAIL, false, 0, 0, NULL, NULL, 0},
    {"job", INPUT_JOB_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"office", INPUT_ESTABLISHMENT_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"items", INPUT_OBJECT_LIST, false, 0, 0, NULL, test_sub, 2},
    {"disability", INPUT_OBJECT, false, 0, 0, NULL, test_disability, 1},
    {"rows", INPUT_OBJECT_ROWS, false, 0, 0, NULL, test_sub, 2},
};
#define TEST_N (sizeof test_spec / sizeof *test_spec)

/* Validates the JSON text; returns the clean object's JSON or NULL. */
static char *
run(const char *json, bool partial, cJSON **errors)
{
	cJSON *in = cJSON_Parse(json), *out;
	char *text = NULL;

	assert_non_null(in);
	*errors = NULL;
	out = input_validate_new(in, test_spec, TEST_N, partial, errors);
	cJSON_Delete(in);
	/* Exactly one of the two comes back. */
	assert_true((out == NULL) != (*errors == NULL));
	if (out != NULL) {
		text = cJSON_PrintUnformatted(out);
		cJSON_Delete(out);
	}
	return text;
}

/* Asserts that json is accepted as want (compact JSON). */
static void
accepts(const char *json, bool partial, const char *want)
{
	cJSON *errors;
	char *got = run(json, partial, &errors);

	if (got == NULL) {
		char *why = cJSON_PrintUnformatted(errors);

		fail_msg("%s refused: %s", json, why);
	}
	assert_string_equal(got, want);
	cJSON_free(got);
}

/* Asserts that json is refused with field's reason among the errors. */
static void
refuses(const char *json, const char *field, const char *reason)
{
	cJSON *errors, *e;
	char *got = run(json, false, &errors);

	if (got != NULL)
		fail_msg("%s accepted as %s", json, got);
	e = cJSON_GetObjectItemCaseSensitive(errors, field);
	if (!cJSON_IsString(e)) {
		char *all = cJSON_PrintUnformatted(errors);

		fail_msg("%s: no error for %s in %s", json, field, all);
	}
	assert_string_equal(e->valuestring, reason);
	cJSON_Delete(errors);
}

static void
test_text(void **state)
{
	(void)state;
	accepts("{\"name\":\"  山口  \"}", false, "{\"name\":\"山口\"}");
	accepts("{\"name\":\"\xe3\x80\x80"
		"abcde\"}",
		false, "{\"name\":\"abcde\"}");
	refuses("{\"name\":\"abcdef\"}", "name", "is too long");
	refuses("{\"name\":\"a\\u0001b\"}", "name",
		"must not contain control characters");
	refuses("{\"name\":42}", "name", "must be a string");
	refuses("{}", "name", "is required");
	refuses("{\"name\":\"\"}", "name", "is required");
	refuses("{\"name\":null}", "name", "is required");
}

static void
test_unknown_and_shape(void **state)
{
	cJSON *errors;

	(void)state;
	refuses("{\"name\":\"a\",\"nickname\":\"b\"}", "nickname",
		"is not a known field");
	refuses("[1, 2]", "_", "must be a JSON object");
	/* Every problem at once, so one request shows all that is wrong. */
	assert_null(
	    run("{\"age\":3,\"colour\":\"pink\",\"x\":1}", false, &errors));
	assert_int_equal(cJSON_GetArraySize(errors), 4);
	cJSON_Delete(errors);
}

static void
test_partial(void **state)
{
	(void)state;
	/* PATCH: a required field may be absent but not cleared. */
	accepts("{\"age\":40}", true, "{\"age\":40}");
	accepts("{}", true, "{}");
	accepts("{\"kana\":null}", true, "{\"kana\":null}");
	accepts("{\"name\":\"a\",\"kana\":\"\"}", false,
		"{\"name\":\"a\",\"kana\":null}");
	{
		cJSON *errors;

		assert_null(run("{\"name\":null}", true, &errors));
		assert_string_equal(
		    cJSON_GetObjectItem(errors, "name")->valuestring,
		    "is required");
		cJSON_Delete(errors);
	}
}

static void
test_numbers_and_bools(void **state)
{
	(void)state;
	accepts("{\"name\":\"a\",\"age\":15}", false,
		"{\"name\":\"a\",\"age\":15}");
	accepts("{\"name\":\"a\",\"age\":\"120\"}", false,
		"{\"name\":\"a\",\"age\":120}");
	refuses("{\"name\":\"a\",\"age\":14}", "age", "is out of range");
	refuses("{\"name\":\"a\",\"age\":121}", "age", "is out of range");
	refuses("{\"name\":\"a\",\"age\":30.5}", "age",
		"must be a whole number");
	refuses("{\"name\":\"a\",\"age\":\"30歳\"}", "age",
		"must be a whole number");
	refuses("{\"name\":\"a\",\"age\":true}", "age",
		"must be a whole number");
	/* Strings hold decimal digits only; JSON numbers may be 3e1. */
	accepts("{\"name\":\"a\",\"age\":3e1}", false,
		"{\"name\":\"a\",\"age\":30}");
	accepts("{\"name\":\"a\",\"age\":\"030\"}", false,
		"{\"name\":\"a\",\"age\":30}");
	refuses("{\"name\":\"a\",\"age\":\"-20\"}", "age", "is out of range");
	refuses("{\"name\":\"a\",\"age\":\"99999999999999999999999\"}", "age",
		"is out of range");
	{
		static const char *const odd[] = {
		    "0x1e", "3e1", " 30", "30 ", "30.0", "+30", "inf", "-",
		};

		for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
			char json[64];

			snprintf(json, sizeof json,
				 "{\"name\":\"a\",\"age\":\"%s\"}", odd[i]);
			refuses(json, "age", "must be a whole number");
		}
	}
	accepts("{\"name\":\"a\",\"ok\":\"1\"}", false,
		"{\"name\":\"a\",\"ok\":true}");
	accepts("{\"name\":\"a\",\"ok\":\"false\"}", false,
		"{\"name\":\"a\",\"ok\":false}");
	refuses("{\"name\":\"a\",\"ok\":\"yes\"}", "ok",
		"must be true or false");
}

static void
test_japanese_fields(void **state)
{
	(void)state;
	accepts("{\"name\":\"a\",\"kana\":\"やまだ　たろう\"}", false,
		"{\"name\":\"a\",\"kana\":\"ヤマダ タロウ\"}");
	accepts("{\"name\":\"a\",\"kana\":\"ﾔﾏﾀﾞ\"}", false,
		"{\"name\":\"a\",\"kana\":\"ヤマダ\"}");
	refuses("{\"name\":\"a\",\"kana\":\"Yamada\"}", "kana",
		"must be katakana or hiragana");
	refuses("{\"name\":\"a\",\"kana\":\"山田\"}", "kana",
		"must be katakana or hiragana");
	accepts("{\"name\":\"a\",\"corp\":\"４０００－０１２０－９０００１\"}",
		false, "{\"name\":\"a\",\"corp\":\"4000012090001\"}");
	accepts("{\"name\":\"a\",\"corp\":\"2120901007402\"}", false,
		"{\"name\":\"a\",\"corp\":\"2120901007402\"}");
	refuses("{\"name\":\"a\",\"corp\":\"4000012090002\"}", "corp",
		"check digit does not match");
	accepts("{\"name\":\"a\",\"postal\":\"７５３－００７１\"}", false,
		"{\"name\":\"a\",\"postal\":\"7530071\"}");
	refuses("{\"name\":\"a\",\"postal\":\"753-00711\"}", "postal",
		"must be 7 digits");
	accepts("{\"name\":\"a\",\"phone\":\"(083) 922-1111\"}", false,
		"{\"name\":\"a\",\"phone\":\"0839221111\"}");
	accepts("{\"name\":\"a\",\"email\":\"Ｔａｒｏ@Example.JP\"}", false,
		"{\"name\":\"a\",\"email\":\"Taro@example.jp\"}");
	accepts("{\"name\":\"a\",\"job\":\"35010ー12345678\"}", false,
		"{\"name\":\"a\",\"job\":\"35010-12345678\"}");
	accepts("{\"name\":\"a\",\"office\":\"3501123456７\"}", false,
		"{\"name\":\"a\",\"office\":\"3501-123456-7\"}");
}

static void
test_dates(void **state)
{
	(void)state;
	accepts("{\"name\":\"a\",\"day\":\"2024-02-29\"}", false,
		"{\"name\":\"a\",\"day\":\"2024-02-29\"}");
	refuses("{\"name\":\"a\",\"day\":\"2023-02-29\"}", "day",
		"must be a date as YYYY-MM-DD");
	accepts("{\"name\":\"a\",\"at\":\"2024-06-10T13:00:00+09:00\"}", false,
		"{\"name\":\"a\",\"at\":\"2024-06-10T13:00:00+09:00\"}");
	refuses("{\"name\":\"a\",\"at\":\"2024-06-10 13:00\"}", "at",
		"must be a date and time as YYYY-MM-DDTHH:MM:SS+09:00");
}

static void
test_enums(void **state)
{
	(void)state;
	accepts("{\"name\":\"a\",\"colour\":\"red\"}", false,
		"{\"name\":\"a\",\"colour\":\"red\"}");
	refuses("{\"name\":\"a\",\"colour\":\"Red\"}", "colour",
		"is not one of the allowed values");
	accepts("{\"name\":\"a\",\"colours\":[\"red\",\"blue\"]}", false,
		"{\"name\":\"a\",\"colours\":[\"red\",\"blue\"]}");
	/* CSV cells carry lists as "a;b", spaces and empty items ignored. */
	accepts("{\"name\":\"a\",\"colours\":\" green ; red;\"}", false,
		"{\"name\":\"a\",\"colours\":[\"green\",\"red\"]}");
	accepts("{\"name\":\"a\",\"colours\":\"\"}", false,
		"{\"name\":\"a\",\"colours\":[]}");
	refuses("{\"name\":\"a\",\"colours\":[\"red\",\"pink\"]}", "colours",
		"contains a value that is not allowed");
	refuses("{\"name\":\"a\",\"colours\":\"red;pink\"}", "colours",
		"contains a value that is not allowed");
	refuses("{\"name\":\"a\",\"colours\":{\"red\":1}}", "colours",
		"must be a list");
	/* A value chosen twice is named by its second place. */
	refuses("{\"name\":\"a\",\"colours\":[\"red\",\"blue\",\"red\"]}",
		"colours[2]", "is listed twice");
	refuses("{\"name\":\"a\",\"colours\":\"red;;blue; red\"}", "colours[2]",
		"is listed twice");
	refuses("{\"name\":\"a\",\"colours\":[\"red\",\"red\",\"red\"]}",
		"colours[1]", "is listed twice");
}

static void
test_object_list(void **state)
{
	(void)state;
	accepts(
	    "{\"name\":\"a\",\"items\":[{\"title\":\" x \",\"count\":\"2\"},"
	    "{\"title\":\"y\"}]}",
	    false,
	    "{\"name\":\"a\",\"items\":[{\"title\":\"x\",\"count\":2},"
	    "{\"title\":\"y\"}]}");
	refuses("{\"name\":\"a\",\"items\":[{\"title\":\"x\"},{\"count\":0}]}",
		"items[1].title", "is required");
	refuses("{\"name\":\"a\",\"items\":[{\"title\":\"x\"},{\"count\":0}]}",
		"items[1].count", "is out of range");
	refuses("{\"name\":\"a\",\"items\":[{\"title\":\"x\",\"extra\":1}]}",
		"items[0].extra", "is not a known field");
	refuses("{\"name\":\"a\",\"items\":[\"x\"]}", "items[0]._",
		"must be a JSON object");
	refuses("{\"name\":\"a\",\"items\":{\"title\":\"x\"}}", "items",
		"must be a list of objects");
}

/* A batch's bad row is refused alone, with its reasons, in its place. */
static void
test_object_rows(void **state)
{
	(void)state;
	accepts("{\"name\":\"a\",\"rows\":[{\"title\":\"x\"},"
		"{\"title\":\"far too long\"},\"y\",{\"title\":\"z\"}]}",
		false,
		"{\"name\":\"a\",\"rows\":[{\"title\":\"x\"},"
		"{\"_refused\":{\"title\":\"is too long\"}},"
		"{\"_refused\":{\"_\":\"must be a JSON object\"}},"
		"{\"title\":\"z\"}]}");
	refuses("{\"name\":\"a\",\"rows\":{}}", "rows",
		"must be a list of objects");
}

/* Kana has a length limit of its own, 100 when the table gives none. */
static void
test_kana_length(void **state)
{
	char json[1024], *got;
	cJSON *errors;

	(void)state;
	strcpy(json, "{\"name\":\"a\",\"kana\":\"");
	for (int i = 0; i < 100; i++)
		strcat(json, "ア");
	strcat(json, "\"}");
	got = run(json, false, &errors);
	assert_non_null(got);
	cJSON_free(got);
	strcpy(strstr(json, "\"}"), "ア\"}");
	refuses(json, "kana", "is too long");
}

static void
test_object(void **state)
{
	(void)state;
	accepts("{\"name\":\"a\",\"disability\":{\"handbook\":\"mental\"}}",
		false,
		"{\"name\":\"a\",\"disability\":{\"handbook\":\"mental\"}}");
	accepts("{\"name\":\"a\",\"disability\":null}", false,
		"{\"name\":\"a\",\"disability\":null}");
	refuses("{\"name\":\"a\",\"disability\":{\"handbook\":\"blue\"}}",
		"disability.handbook", "is not one of the allowed values");
	refuses("{\"name\":\"a\",\"disability\":{}}", "disability.handbook",
		"is required");
	refuses("{\"name\":\"a\",\"disability\":{\"handbook\":\"mental\","
		"\"grade\":1}}",
		"disability.grade", "is not a known field");
	refuses("{\"name\":\"a\",\"disability\":\"mental\"}", "disability",
		"must be an object");
	refuses("{\"name\":\"a\",\"disability\":[]}", "disability",
		"must be an object");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_unknown_and_shape),
	    cmocka_unit_test(test_partial),
	    cmocka_unit_test(test_numbers_and_bools),
	    cmocka_unit_test(test_japanese_fields),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_enums),
	    cmocka_unit_test(test_object_list),
	    cmocka_unit_test(test_object_rows),
	    cmocka_unit_test(test_kana_length),
	    cmocka_unit_test(test_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
