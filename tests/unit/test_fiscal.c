/* Unit tests for common/fiscal.c: year boundaries and era labels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fiscal.h"

static void
test_year_of(void **state)
{
	(void)state;
	assert_int_equal(fiscal_year_of(2024, 4), 2024);
	assert_int_equal(fiscal_year_of(2024, 12), 2024);
	assert_int_equal(fiscal_year_of(2025, 1), 2024);
	assert_int_equal(fiscal_year_of(2025, 3), 2024);
	assert_int_equal(fiscal_year_of(2025, 4), 2025);
}

static void
test_year_of_date(void **state)
{
	(void)state;
	assert_int_equal(fiscal_year_of_date("2024-04-01"), 2024);
	assert_int_equal(fiscal_year_of_date("2025-03-31"), 2024);
	assert_int_equal(fiscal_year_of_date("2025-03-31T23:59:59+09:00"),
			 2024);
	assert_int_equal(fiscal_year_of_date("2025-04-01T00:00:00+09:00"),
			 2025);
	assert_int_equal(fiscal_year_of_date("2019-04-30"), 2019);
	assert_int_equal(fiscal_year_of_date("2019-05-01"), 2019);
	assert_int_equal(fiscal_year_of_date("2024-02-30"), -1);
	assert_int_equal(fiscal_year_of_date("2024/04/01"), -1);
	assert_int_equal(fiscal_year_of_date("2024-4-1"), -1);
	assert_int_equal(fiscal_year_of_date("2024"), -1);
	assert_int_equal(fiscal_year_of_date(""), -1);
	assert_int_equal(fiscal_year_of_date(NULL), -1);
}

static void
test_label(void **state)
{
	(void)state;
	assert_string_equal(fiscal_label(2019), "平成31年度(令和元年度)");
	assert_string_equal(fiscal_label(2020), "令和2年度");
	assert_string_equal(fiscal_label(2024), "令和6年度");
	assert_string_equal(fiscal_label(2018), "平成30年度");
	assert_string_equal(fiscal_label(1990), "平成2年度");
	assert_string_equal(fiscal_label(1989), "平成元年度");
	assert_string_equal(fiscal_label(2100), "令和82年度");
	assert_null(fiscal_label(1988));
	assert_null(fiscal_label(2101));
	assert_null(fiscal_label(-1));
}

/* The plan's FY is the date's FY, labelled: March and April of 2025. */
static void
test_label_of_date(void **state)
{
	(void)state;
	assert_string_equal(fiscal_label(fiscal_year_of_date("2025-03-31")),
			    "令和6年度");
	assert_string_equal(fiscal_label(fiscal_year_of_date("2025-04-01")),
			    "令和7年度");
	assert_string_equal(fiscal_label(fiscal_year_of_date("2020-03-31")),
			    "平成31年度(令和元年度)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_year_of),
	    cmocka_unit_test(test_year_of_date),
	    cmocka_unit_test(test_label),
	    cmocka_unit_test(test_label_of_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
