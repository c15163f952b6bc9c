/*
 * Unit tests for common/bodies.c: every declared field is defined, and
 * the tables accept what the API takes (the client's copy of them once
 * refused the booth opening type "契約" the server accepts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bodies.h"

#include <cjson/cJSON.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof *(a))

static void
assert_all_named(const struct input_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_non_null(f[i].name);
		if (f[i].sub != NULL)
			assert_all_named(f[i].sub, f[i].nsub);
	}
}

static void
test_every_declared_field_is_defined(void **state)
{
	(void)state;
	assert_all_named(bodies_event, NELEM(bodies_event));
	assert_all_named(bodies_company, NELEM(bodies_company));
	assert_all_named(bodies_booth, NELEM(bodies_booth));
	assert_all_named(bodies_registration, NELEM(bodies_registration));
	assert_all_named(bodies_opening, NELEM(bodies_opening));
	assert_all_named(bodies_company_application,
			 NELEM(bodies_company_application));
}

/* Validates the JSON text; returns the error object's text or "ok". */
static char *
validate_new(const struct input_field *f, size_t n, const char *json)
{
	cJSON *in = cJSON_Parse(json), *errors = NULL;
	cJSON *clean = input_validate_new(in, f, n, false, &errors);
	char *out = clean != NULL ? NULL : cJSON_PrintUnformatted(errors);

	cJSON_Delete(in);
	cJSON_Delete(clean);
	cJSON_Delete(errors);
	return out;
}

static void
test_booth_openings(void **state)
{
	char *why;

	(void)state;
	why =
	    validate_new(bodies_booth, NELEM(bodies_booth),
			 "{\"company_id\":7,\"openings\":[{\"title\":\"営業\","
			 "\"employment_type\":\"契約\"}]}");
	assert_null(why);
	why =
	    validate_new(bodies_booth, NELEM(bodies_booth),
			 "{\"company_id\":7,\"openings\":[{\"title\":\"営業\","
			 "\"employment_type\":\"日雇い\"}]}");
	assert_non_null(why);
	assert_non_null(strstr(why, "openings[0].employment_type"));
	cJSON_free(why);
}

static void
test_registration_needs_name_kana_and_consent(void **state)
{
	char *why;

	(void)state;
	why = validate_new(bodies_registration, NELEM(bodies_registration),
			   "{\"name\":\"山口 太郎\"}");
	assert_non_null(why);
	assert_non_null(strstr(why, "name_kana"));
	assert_non_null(strstr(why, "consent"));
	cJSON_free(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_declared_field_is_defined),
	    cmocka_unit_test(test_booth_openings),
	    cmocka_unit_test(test_registration_needs_name_kana_and_consent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
