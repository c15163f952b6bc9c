/*
 * Request JSON → validated fields: cJSON's parser and input_validate_new
 * over a table with every field kind, as a request body would meet them.
 */
#include "input.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const fuzz_categories[] = {"youth", "senior", NULL};
static const struct input_field fuzz_openings[] = {
    {"title", INPUT_TEXT, true, 0, 200, NULL, NULL, 0},
    {"count", INPUT_INT, false, 1, 999, NULL, NULL, 0},
};
static const struct input_field fuzz_disability[] = {
    {"handbook", INPUT_ENUM, false, 0, 0, fuzz_categories, NULL, 0},
};
static const struct input_field fuzz_spec[] = {
    {"name", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
    {"name_kana", INPUT_KANA, false, 0, 0, NULL, NULL, 0},
    {"age", INPUT_INT, false, 15, 120, NULL, NULL, 0},
    {"consent", INPUT_BOOL, false, 0, 0, NULL, NULL, 0},
    {"birth_date", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
    {"starts_at", INPUT_TIMESTAMP, false, 0, 0, NULL, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, fuzz_categories, NULL, 0},
    {"categories", INPUT_ENUM_LIST, false, 0, 0, fuzz_categories, NULL, 0},
    {"corporate_number", INPUT_CORPORATE_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"postal_code", INPUT_POSTAL_CODE, false, 0, 0, NULL, NULL, 0},
    {"phone", INPUT_PHONE, false, 0, 0, NULL, NULL, 0},
    {"email", INPUT_EMAIL, false, 0, 0, NULL, NULL, 0},
    {"job_number", INPUT_JOB_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"establishment_number", INPUT_ESTABLISHMENT_NUMBER, false, 0, 0, NULL,
     NULL, 0},
    {"openings", INPUT_OBJECT_LIST, false, 0, 0, NULL, fuzz_openings, 2},
    {"disability", INPUT_OBJECT, false, 0, 0, NULL, fuzz_disability, 1},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *in = cJSON_ParseWithLength((const char *)data, size);
	cJSON *errors = NULL, *out;

	if (in == NULL)
		return 0;
	out = input_validate_new(in, fuzz_spec,
				 sizeof fuzz_spec / sizeof *fuzz_spec, false,
				 &errors);
	/* Exactly one of the two comes back. */
	if ((out == NULL) == (errors == NULL))
		abort();
	cJSON_Delete(out);
	cJSON_Delete(errors);
	cJSON_Delete(in);
	return 0;
}
