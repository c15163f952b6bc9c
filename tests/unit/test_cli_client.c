/* The CLI's query strings: values percent-encoded by curl_easy_escape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "client.h"
#include "xmalloc.h"

#include <stdlib.h>

static void
test_query_add_encodes_values(void **state)
{
	char *path = xstrdup("/api/v1/registrations");

	(void)state;
	client_query_add(&path, "q", "ヤマダ 太郎");
	assert_string_equal(path, "/api/v1/registrations?q=%E3%83%A4%E3%83%9E"
				  "%E3%83%80%20%E5%A4%AA%E9%83%8E");
	client_query_add(&path, "after", "a&b=c/d?e-f_g.h~i");
	assert_string_equal(path, "/api/v1/registrations?q=%E3%83%A4%E3%83%9E"
				  "%E3%83%80%20%E5%A4%AA%E9%83%8E"
				  "&after=a%26b%3Dc%2Fd%3Fe-f_g.h~i");
	free(path);
}

static void
test_query_add_empty_value(void **state)
{
	char *path = xstrdup("/x?a=1");

	(void)state;
	client_query_add(&path, "b", "");
	assert_string_equal(path, "/x?a=1&b=");
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_query_add_encodes_values),
	    cmocka_unit_test(test_query_add_empty_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
