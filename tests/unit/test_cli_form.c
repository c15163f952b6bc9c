/*
 * The CLI's usage for forms comes from the field tables that validate
 * them: required fields bare, optional ones bracketed, the codes the
 * vocabulary accepts spelled out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "form.h"
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

static void
test_event_usage(void **state)
{
	char *usage = form_usage_new(&form_event, 0);

	(void)state;
	assert_string_equal(
	    usage, "--type TEXT --title TEXT --starts-at TIME --ends-at TIME "
		   "[--venue TEXT] [--capacity N] [--target-companies N] "
		   "[--target-seekers N] --organizer city|hellowork|joint "
		   "[--status draft|open|closed] [--public-open] "
		   "[--public-deadline TIME] [--public-bring TEXT]");
	free(usage);
}

static void
test_registration_usage_follows_the_vocabulary(void **state)
{
	char *usage = form_usage_new(&form_registration, 0);

	(void)state;
	for (size_t i = 0; i < vocab_count(VOCAB_CATEGORY); i++)
		assert_non_null(
		    strstr(usage, vocab_term(VOCAB_CATEGORY, i)->code));
	assert_non_null(
	    strstr(usage, "[--disability physical|intellectual|mental|none]"));
	assert_non_null(strstr(usage, " --consent"));
	assert_non_null(strstr(usage, "--name-kana KANA"));
	free(usage);
}

/* The booth's company is an argument, its openings an option of its own. */
static void
test_booth_usage_from_a_field(void **state)
{
	char *usage = form_usage_new(&form_booth, 1);

	(void)state;
	assert_string_equal(usage, "[--status applied|confirmed|cancelled] "
				   "[--booth TEXT] [--representatives N]");
	free(usage);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_event_usage),
	    cmocka_unit_test(test_registration_usage_follows_the_vocabulary),
	    cmocka_unit_test(test_booth_usage_from_a_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
