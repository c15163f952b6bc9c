/*
 * Unit tests for common/token.c: the token's format, where its bits come
 * from, how unique and evenly spread they are, and what the parser
 * accepts from a scanner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "token.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/*
 * getrandom() as token.c sees it: this definition takes the C library's
 * place at link time, so a test can see what a token is made from and
 * what happens when the kernel refuses. By default it passes through.
 */
static enum {
	RANDOM_KERNEL,
	RANDOM_FIXED,
	RANDOM_FAIL,
	RANDOM_SHORT
} random_mode;
static unsigned char random_fixed[16];
static int random_calls;
static size_t random_len;
static unsigned random_flags;

ssize_t
getrandom(void *buf, size_t len, unsigned flags)
{
	random_calls++;
	random_len = len;
	random_flags = flags;
	switch (random_mode) {
	case RANDOM_FIXED:
		memcpy(buf, random_fixed, len);
		return (ssize_t)len;
	case RANDOM_FAIL:
		errno = ENOSYS;
		return -1;
	case RANDOM_SHORT:
		return (ssize_t)len / 2;
	default:
		return syscall(SYS_getrandom, buf, len, flags);
	}
}

static int
reset_random(void **state)
{
	(void)state;
	random_mode = RANDOM_KERNEL;
	random_calls = 0;
	return 0;
}

static void
assert_format(const char *t)
{
	assert_int_equal(strlen(t), TOKEN_LEN);
	assert_memory_equal(t, "JF1-", 4);
	for (int i = 4; i < TOKEN_LEN; i++)
		assert_non_null(memchr(alphabet, t[i], 32));
	/* 26 × 5 bits carry 128: the last character's two low bits are 0. */
	assert_int_equal((strchr(alphabet, t[TOKEN_LEN - 1]) - alphabet) % 4,
			 0);
}

static void
test_format(void **state)
{
	char t[TOKEN_LEN + 1];

	(void)state;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(token_generate(t), 0);
		assert_format(t);
	}
}

/* The 16 bytes come from one blocking getrandom() and are RFC 4648 base32. */
static void
test_entropy_source(void **state)
{
	static const struct {
		unsigned char bytes[16];
		const char *want;
	} cases[] = {
	    {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
	     "JF1-AAAQEAYEAUDAOCAJBIFQYDIOB4"},
	    {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	      0xff, 0xff, 0xff, 0xff, 0xff},
	     "JF1-77777777777777777777777774"},
	    {{0x8f, 0x3a, 0x01, 0xc4, 0x7b, 0x22, 0xde, 0x90, 0x55, 0xaa, 0x0f,
	      0x13, 0xe7, 0xc6, 0xb9, 0xd4},
	     "JF1-R45ADRD3ELPJAVNKB4J6PRVZ2Q"},
	};
	char t[TOKEN_LEN + 1];

	(void)state;
	random_mode = RANDOM_FIXED;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		random_calls = 0;
		memcpy(random_fixed, cases[i].bytes, 16);
		assert_int_equal(token_generate(t), 0);
		assert_string_equal(t, cases[i].want);
		assert_int_equal(random_calls, 1);
		assert_int_equal(random_len, 16);
		/* 0: the urandom pool, waiting until it is seeded. */
		assert_int_equal(random_flags, 0);
	}
}

static void
test_entropy_failure(void **state)
{
	char t[TOKEN_LEN + 1];

	(void)state;
	random_mode = RANDOM_FAIL;
	assert_int_equal(token_generate(t), -1);
	random_mode = RANDOM_SHORT;
	assert_int_equal(token_generate(t), -1);
}

static int
compare_tokens(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* No repeats among many, and every character equally likely everywhere. */
static void
test_unique_and_uniform(void **state)
{
	enum { N = 64000 };
	char(*tokens)[TOKEN_LEN + 1] = malloc(N * sizeof *tokens);
	static int counts[25][32];

	(void)state;
	for (int i = 0; i < N; i++) {
		assert_int_equal(token_generate(tokens[i]), 0);
		for (int p = 0; p < 25; p++)
			counts[p]
			      [strchr(alphabet, tokens[i][4 + p]) - alphabet]++;
	}
	qsort(tokens, N, sizeof *tokens, compare_tokens);
	for (int i = 1; i < N; i++)
		assert_string_not_equal(tokens[i - 1], tokens[i]);
	/* 2000 expected per cell, σ ≈ 44: 300 is far outside chance. */
	for (int p = 0; p < 25; p++)
		for (int c = 0; c < 32; c++)
			if (abs(counts[p][c] - N / 32) > 300)
				fail_msg("position %d, '%c': %d of %d", p,
					 alphabet[c], counts[p][c], N);
	free(tokens);
}

static void
check_parse(const char *in, const char *want)
{
	char out[TOKEN_LEN + 1];

	if (want == NULL) {
		if (token_parse(in, out))
			fail_msg("\"%s\" parsed as \"%s\"", in, out);
		return;
	}
	if (!token_parse(in, out))
		fail_msg("\"%s\" did not parse", in);
	assert_string_equal(out, want);
}

static void
test_parse(void **state)
{
	const char *t = "JF1-R45ADRD3ELPJAVNKB4J6PRVZ2Q";
	char fresh[TOKEN_LEN + 1], out[TOKEN_LEN + 1];

	(void)state;
	check_parse(t, t);
	/* What scanners and people type around and inside a token. */
	check_parse("jf1-r45adrd3elpjavnkb4j6prvz2q", t);
	check_parse("Jf1-R45adrd3ELPJAVNKB4J6PRVZ2q", t);
	check_parse("  JF1-R45ADRD3ELPJAVNKB4J6PRVZ2Q\r\n", t);
	check_parse("\tJF1-R45ADRD3ELPJAVNKB4J6PRVZ2Q ", t);
	assert_false(token_parse(NULL, out));
	check_parse("", NULL);
	check_parse("JF1-", NULL);
	check_parse("JF2-R45ADRD3ELPJAVNKB4J6PRVZ2Q", NULL);
	check_parse("JF1R45ADRD3ELPJAVNKB4J6PRVZ2QA", NULL);
	check_parse("JF1-R45ADRD3ELPJAVNKB4J6PRVZ2", NULL);   /* short */
	check_parse("JF1-R45ADRD3ELPJAVNKB4J6PRVZ2QA", NULL); /* long */
	check_parse("JF1-R45ADRD3ELPJ VNKB4J6PRVZ2Q", NULL);
	/* 0, 1, 8 and 9 are not base32: a misread, not a token. */
	check_parse("JF1-045ADRD3ELPJAVNKB4J6PRVZ2Q", NULL);
	check_parse("JF1-145ADRD3ELPJAVNKB4J6PRVZ2Q", NULL);
	check_parse("JF1-845ADRD3ELPJAVNKB4J6PRVZ2Q", NULL);
	check_parse("JF1-945ADRD3ELPJAVNKB4J6PRVZ2Q", NULL);
	check_parse("JF1-R45ADRD3ELPJAVNKB4J6PRVZ2=", NULL);
	check_parse("ＪＦ１-R45ADRD3ELPJAVNKB4J6PRVZ2Q", NULL);
	check_parse("https://example.com/JF1-R45ADRD3ELPJAVNKB4J6", NULL);
	assert_int_equal(token_generate(fresh), 0);
	check_parse(fresh, fresh);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_format, reset_random),
	    cmocka_unit_test_setup(test_entropy_source, reset_random),
	    cmocka_unit_test_setup(test_entropy_failure, reset_random),
	    cmocka_unit_test_setup(test_unique_and_uniform, reset_random),
	    cmocka_unit_test_setup(test_parse, reset_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
