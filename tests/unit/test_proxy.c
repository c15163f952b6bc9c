/*
 * Unit tests for the trusted-proxy list (server/proxy.c): addresses and
 * prefixes of both families, and what is refused at start.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "proxy.h"

#include <stdlib.h>

static void
test_addresses(void **state)
{
	char *cause = NULL;
	struct proxies *p =
	    proxies_new("127.0.0.1, ::1,10.1.0.0/16,2001:db8::/32", &cause);

	(void)state;
	assert_non_null(p);
	assert_true(proxies_trusted(p, "127.0.0.1"));
	assert_false(proxies_trusted(p, "127.0.0.2"));
	assert_true(proxies_trusted(p, "::1"));
	assert_true(proxies_trusted(p, "0:0:0:0:0:0:0:1"));
	assert_false(proxies_trusted(p, "::ffff:127.0.0.1"));
	assert_true(proxies_trusted(p, "10.1.255.7"));
	assert_false(proxies_trusted(p, "10.2.0.1"));
	assert_true(proxies_trusted(p, "2001:db8:ffff::1"));
	assert_false(proxies_trusted(p, "2001:db9::1"));
	/* A prefix is never a peer's address. */
	assert_false(proxies_trusted(p, "10.1.0.0/16"));
	assert_false(proxies_trusted(p, "unknown"));
	assert_false(proxies_trusted(p, ""));
	proxies_free(p);
}

static void
test_odd_prefixes(void **state)
{
	char *cause = NULL;
	struct proxies *p = proxies_new("192.168.1.128/25,0.0.0.0/0", &cause);

	(void)state;
	assert_non_null(p);
	assert_true(proxies_trusted(p, "192.168.1.200"));
	assert_true(proxies_trusted(p, "8.8.8.8"));
	assert_false(proxies_trusted(p, "::2"));
	proxies_free(p);
}

static void
test_nobody(void **state)
{
	char *cause = NULL;
	struct proxies *p = proxies_new(NULL, &cause);

	(void)state;
	assert_false(proxies_trusted(p, "127.0.0.1"));
	proxies_free(p);
	p = proxies_new("", &cause);
	assert_false(proxies_trusted(p, "127.0.0.1"));
	proxies_free(p);
}

static void
test_refused(void **state)
{
	const char *bad[] = {"localhost",   "127.0.0.1/33", "::1/129",
			     "10.0.0.0/",   "10.0.0.0/8x",  "1.2.3",
			     "127.0.0.1/-1"};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *cause = NULL;

		assert_null(proxies_new(bad[i], &cause));
		assert_non_null(cause);
		free(cause);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_odd_prefixes),
	    cmocka_unit_test(test_nobody),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
