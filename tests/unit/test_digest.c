/* The one SHA-256-to-hex helper: FIPS 180-2's test vectors, in hex. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "digest.h"

#include <string.h>

static void
test_known_vectors(void **state)
{
	char hex[DIGEST_SHA256_HEX_LEN + 1];

	(void)state;
	digest_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	digest_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
}

static void
test_raw_digest_as_hex(void **state)
{
	unsigned char md[DIGEST_SHA256_LEN];
	char hex[DIGEST_SHA256_HEX_LEN + 1];

	(void)state;
	for (int i = 0; i < DIGEST_SHA256_LEN; i++)
		md[i] = (unsigned char)(i * 8 + 7);
	digest_hex(md, hex);
	assert_int_equal(strlen(hex), DIGEST_SHA256_HEX_LEN);
	assert_memory_equal(hex, "070f171f", 8);
	assert_string_equal(hex + 56, "e7eff7ff");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_vectors),
	    cmocka_unit_test(test_raw_digest_as_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
