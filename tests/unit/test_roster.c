/*
 * Unit tests for common/roster.c: what reaches the desk's disk, lookups by
 * token hash (against hashes made by Python's hashlib), a roster of ten
 * thousand, the offline answers, refused rosters and atomic replacement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "journal.h"
#include "roster.h"
#include "token.h"

#include <errno.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOKEN_K "JF1-KRUGKIDROVUWG2ZAMJZG653OEB"
#define HASH_K                                                                 \
	"c78052044e2af22da1a3a71468a5f1a10eb7b48faee19d2525753f27dce7ad5e"
#define TOKEN_A "JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA"
#define HASH_A                                                                 \
	"7F2E2848E876E56E0F9C2812191B1DF03456F116F046A354C7E77B5AA83B6338"
#define TOKEN_C "JF1-CCCCCCCCCCCCCCCCCCCCCCCCCC"
#define HASH_C                                                                 \
	"10984861f820df79eeac806354b1a2c04e219505fb6ec4fe808a2c4d1b76540b"
#define TOKEN_D "JF1-DDDDDDDDDDDDDDDDDDDDDDDDDD"
#define HASH_D                                                                 \
	"f6682c4aa69ccea0674e903709854b1c847b0f1abd7a6cbcd483fd540acc8dee"
#define WHEN "2024-10-15T10:02:03+09:00"

/*
 * As the server sends it (api_roster), with members the desk must not
 * keep; its counts say 5 checked in, the items only 1.
 */
static const char roster_json[] =
    "{\"event_id\":12,\"title\":\"合同就職面接会\",\"organizer_phone\":"
    "\"0839-00-0000\",\"generated_at\":\"2024-10-15T09:58:00+09:00\","
    "\"counts\":{\"seekers\":{\"checked_in\":5,\"target\":120},"
    "\"companies\":{\"checked_in\":0,\"target\":null}},\"items\":["
    "{\"kind\":\"seeker\",\"id\":101,\"token_sha256\":\"" HASH_K "\","
    "\"name\":\"山口 太郎\",\"name_kana\":\"ヤマグチ タロウ\","
    "\"status\":\"registered\",\"phone\":\"090-1234-5678\","
    "\"disability\":\"精神障害者保健福祉手帳\"},"
    "{\"kind\":\"company\",\"id\":7,\"token_sha256\":\"" HASH_A "\","
    "\"name\":\"株式会社ヤマグチ\",\"name_kana\":null,"
    "\"status\":\"registered\"},"
    "{\"kind\":\"seeker\",\"id\":102,\"token_sha256\":\"" HASH_C "\","
    "\"name\":\"周南 花子\",\"name_kana\":\"シュウナン ハナコ\","
    "\"status\":\"cancelled\",\"checked_in\":false},"
    "{\"kind\":\"company\",\"id\":8,\"token_sha256\":\"" HASH_D "\","
    "\"name\":\"宇部工業\",\"name_kana\":\"ウベコウギョウ\","
    "\"status\":\"registered\",\"checked_in\":true}]}";

static char dir[64];
static char path[128];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/jf-roster-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/desk/roster-12.json", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
save_or_fail(const char *text)
{
	char *cause = NULL;

	if (roster_save(path, text, &cause) != 0)
		fail_msg("roster_save: %s", cause);
}

static struct roster *
load_or_fail(void)
{
	char *cause = NULL;
	struct roster *r = roster_load_new(path, &cause);

	if (r == NULL)
		fail_msg("roster_load_new: %s", cause);
	return r;
}

static char *
read_file(const char *p)
{
	FILE *f = fopen(p, "r");
	char *data = calloc(1, 1 << 22);

	assert_non_null(f);
	assert_true(fread(data, 1, (1 << 22) - 1, f) > 0);
	fclose(f);
	return data;
}

/* Saved and loaded back whole; only the documented members on disk. */
static void
test_round_trip(void **state)
{
	const struct roster_entry *e;
	struct roster *r;
	struct stat st;
	char *data;
	mode_t old = umask(022);

	(void)state;
	save_or_fail(roster_json);
	umask(old);
	r = load_or_fail();
	assert_int_equal(roster_event_id(r), 12);
	assert_string_equal(roster_title(r), "合同就職面接会");
	assert_string_equal(roster_generated_at(r),
			    "2024-10-15T09:58:00+09:00");
	assert_int_equal(roster_count(r), 4);
	assert_int_equal(roster_target(r, ROSTER_SEEKER), 120);
	assert_int_equal(roster_target(r, ROSTER_COMPANY), -1);
	assert_int_equal(roster_checked_in(r, ROSTER_SEEKER), 0);
	assert_int_equal(roster_checked_in(r, ROSTER_COMPANY), 1);

	e = roster_lookup(r, TOKEN_K);
	assert_non_null(e);
	assert_int_equal(e->kind, ROSTER_SEEKER);
	assert_int_equal(e->id, 101);
	assert_string_equal(e->name, "山口 太郎");
	assert_string_equal(e->name_kana, "ヤマグチ タロウ");
	assert_int_equal(e->status, ROSTER_REGISTERED);
	assert_false(e->checked_in);
	e = roster_lookup(r, TOKEN_D);
	assert_non_null(e);
	assert_int_equal(e->id, 8);
	assert_true(e->checked_in);
	e = roster_lookup(r, TOKEN_A);
	assert_non_null(e);
	assert_int_equal(e->kind, ROSTER_COMPANY);
	assert_int_equal(e->id, 7);
	assert_string_equal(e->name_kana, "");
	e = roster_lookup(r, TOKEN_C);
	assert_non_null(e);
	assert_int_equal(e->status, ROSTER_CANCELLED);
	roster_free(r);

	data = read_file(path);
	assert_null(strstr(data, "phone"));
	assert_null(strstr(data, "0839"));
	assert_null(strstr(data, "disability"));
	assert_null(strstr(data, "手帳"));
	assert_null(strstr(data, TOKEN_K));
	/* Counts come from the items, not from what the server said. */
	assert_non_null(
	    strstr(data, "\"seekers\":{\"checked_in\":0,\"target\":120}"));
	assert_non_null(
	    strstr(data, "\"companies\":{\"checked_in\":1,\"target\":null}"));
	/* Hashes are kept in the one spelling, lower case. */
	assert_non_null(strstr(data, "7f2e2848e876e56e"));
	free(data);

	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	*strrchr(path, '/') = '\0';
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
}

/* A scanner's spelling is normalised; anything else is not found. */
static void
test_lookup(void **state)
{
	struct roster *r;
	char other[TOKEN_LEN + 1];

	(void)state;
	save_or_fail(roster_json);
	r = load_or_fail();
	assert_non_null(roster_lookup(r, "  jf1-krugkidrovuwg2zamjzg653oeb\r"));
	assert_int_equal(roster_lookup(r, "jf1-krugkidrovuwg2zamjzg653oeb")->id,
			 101);
	assert_int_equal(token_generate(other), 0);
	assert_null(roster_lookup(r, other));
	assert_null(roster_lookup(r, "JF1-KRUGKIDROVUWG2ZAMJZG653OE"));
	assert_null(roster_lookup(r, HASH_K));
	assert_null(roster_lookup(r, ""));
	assert_null(roster_lookup(r, "garbage"));
	roster_free(r);
}

/* Ten thousand entries: every token found, nothing else. */
static void
test_large(void **state)
{
	enum { N = 10000 };
	char(*tokens)[TOKEN_LEN + 1] = calloc(N, sizeof *tokens);
	size_t cap = (size_t)N * 200 + 100, len;
	char *text = malloc(cap), hex[65], other[TOKEN_LEN + 1];
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct roster *r;

	(void)state;
	len = (size_t)snprintf(text, cap, "{\"event_id\":5,\"items\":[");
	for (int i = 0; i < N; i++) {
		assert_int_equal(token_generate(tokens[i]), 0);
		SHA256((unsigned char *)tokens[i], TOKEN_LEN, md);
		for (int k = 0; k < SHA256_DIGEST_LENGTH; k++)
			snprintf(hex + 2 * k, 3, "%02x", md[k]);
		len += (size_t)snprintf(
		    text + len, cap - len,
		    "%s{\"kind\":\"seeker\",\"id\":%d,\"token_sha256\":\"%s\","
		    "\"name\":\"n%d\",\"status\":\"registered\"}",
		    i ? "," : "", i + 1, hex, i + 1);
	}
	snprintf(text + len, cap - len, "]}");
	save_or_fail(text);
	r = load_or_fail();
	assert_int_equal(roster_count(r), N);
	assert_string_equal(roster_title(r), "");
	assert_string_equal(roster_generated_at(r), "");
	assert_int_equal(roster_target(r, ROSTER_SEEKER), -1);
	assert_int_equal(roster_checked_in(r, ROSTER_SEEKER), 0);
	for (int i = 0; i < N; i++) {
		const struct roster_entry *e = roster_lookup(r, tokens[i]);

		assert_non_null(e);
		assert_int_equal(e->id, i + 1);
	}
	assert_int_equal(token_generate(other), 0);
	assert_null(roster_lookup(r, other));
	roster_free(r);
	free(text);
	free(tokens);
}

/* The four offline answers, and what the journal says was seen. */
static void
test_offline_result(void **state)
{
	struct roster_seen *seen = roster_seen_new();
	const struct roster_entry *e;
	struct roster *r;
	struct journal *j;
	char jpath[160], *cause = NULL;

	(void)state;
	save_or_fail(roster_json);
	r = load_or_fail();

	assert_int_equal(roster_offline_result(r, seen, TOKEN_K, &e),
			 ROSTER_RESULT_CHECKED_IN);
	assert_int_equal(e->id, 101);
	/* Asking does not remember: only roster_seen_add() does. */
	assert_int_equal(roster_offline_result(r, seen, TOKEN_K, &e),
			 ROSTER_RESULT_CHECKED_IN);
	roster_seen_add(seen, "jf1-krugkidrovuwg2zamjzg653oeb ");
	assert_int_equal(roster_offline_result(r, seen, TOKEN_K, &e),
			 ROSTER_RESULT_ALREADY_CHECKED_IN);
	assert_int_equal(e->id, 101);
	roster_seen_add(seen, TOKEN_K); /* twice is harmless */
	roster_seen_add(seen, "garbage");
	assert_int_equal(roster_offline_result(r, seen, TOKEN_A, &e),
			 ROSTER_RESULT_CHECKED_IN);
	assert_int_equal(roster_offline_result(r, seen, TOKEN_C, &e),
			 ROSTER_RESULT_CANCELLED);
	assert_string_equal(e->name, "周南 花子");
	roster_seen_add(seen, TOKEN_C);
	assert_int_equal(roster_offline_result(r, seen, TOKEN_C, &e),
			 ROSTER_RESULT_CANCELLED);
	assert_int_equal(roster_offline_result(r, seen, "garbage", &e),
			 ROSTER_RESULT_UNKNOWN_TOKEN);
	assert_null(e);
	/* Checked in online before the roster was pulled. */
	assert_int_equal(roster_offline_result(r, seen, TOKEN_D, &e),
			 ROSTER_RESULT_ALREADY_CHECKED_IN);
	assert_int_equal(e->id, 8);
	roster_seen_free(seen);

	assert_string_equal(roster_result_name(ROSTER_RESULT_CHECKED_IN),
			    "checked_in");
	assert_string_equal(
	    roster_result_name(ROSTER_RESULT_ALREADY_CHECKED_IN),
	    "already_checked_in");
	assert_string_equal(roster_result_name(ROSTER_RESULT_UNKNOWN_TOKEN),
			    "unknown_token");
	assert_string_equal(roster_result_name(ROSTER_RESULT_CANCELLED),
			    "cancelled");

	/* A restarted desk: no journal yet, then one from earlier scans. */
	snprintf(jpath, sizeof jpath, "%s/journal.jsonl", dir);
	seen = roster_seen_new();
	assert_int_equal(roster_seen_add_journal(seen, 12, jpath, &cause), 0);
	assert_null(cause);
	assert_int_equal(roster_offline_result(r, seen, TOKEN_K, &e),
			 ROSTER_RESULT_CHECKED_IN);
	j = journal_open(jpath, &cause);
	assert_non_null(j);
	assert_int_equal(journal_append_scan(j, 12, TOKEN_K, "desk-1", WHEN,
					     "nonce-0001", &cause),
			 0);
	/* Another event's scan of the same token does not count here. */
	assert_int_equal(journal_append_scan(j, 13, TOKEN_A, "desk-1", WHEN,
					     "nonce-0002", &cause),
			 0);
	journal_close(j);
	assert_int_equal(roster_seen_add_journal(seen, 12, jpath, &cause), 0);
	assert_int_equal(roster_offline_result(r, seen, TOKEN_K, &e),
			 ROSTER_RESULT_ALREADY_CHECKED_IN);
	assert_int_equal(roster_offline_result(r, seen, TOKEN_A, &e),
			 ROSTER_RESULT_CHECKED_IN);
	roster_seen_free(seen);
	roster_free(r);
}

/* What is not a roster is refused whole and never replaces the old one. */
static void
test_invalid(void **state)
{
	static const char *const bad[] = {
	    "",
	    "[]",
	    "{\"items\":[]}",
	    "{\"event_id\":0,\"items\":[]}",
	    "{\"event_id\":1.5,\"items\":[]}",
	    "{\"event_id\":1e16,\"items\":[]}",
	    "{\"event_id\":\"12\",\"items\":[]}",
	    "{\"event_id\":12,\"items\":{}}",
	    "{\"event_id\":12,\"title\":3,\"items\":[]}",
	    "{\"event_id\":12,\"generated_at\":[],\"items\":[]}",
	    "{\"event_id\":12,\"counts\":{\"seekers\":{\"target\":-1}},"
	    "\"items\":[]}",
	    "{\"event_id\":12,\"counts\":{\"companies\":{\"target\":\"9\"}},"
	    "\"items\":[]}",
	    "{\"event_id\":12,\"items\":[{\"kind\":\"seeker\",\"id\":1,"
	    "\"token_sha256\":\"" HASH_K "\",\"name\":\"x\","
	    "\"status\":\"registered\",\"checked_in\":\"yes\"}]}",
	    "{\"event_id\":12,\"items\":[1]}",
	    "{\"event_id\":12,\"items\":[{\"kind\":\"staff\",\"id\":1,"
	    "\"token_sha256\":\"" HASH_K "\",\"name\":\"x\","
	    "\"status\":\"registered\"}]}",
	    "{\"event_id\":12,\"items\":[{\"kind\":\"seeker\",\"id\":-1,"
	    "\"token_sha256\":\"" HASH_K "\",\"name\":\"x\","
	    "\"status\":\"registered\"}]}",
	    "{\"event_id\":12,\"items\":[{\"kind\":\"seeker\",\"id\":1,"
	    "\"token_sha256\":\"abc\",\"name\":\"x\","
	    "\"status\":\"registered\"}]}",
	    "{\"event_id\":12,\"items\":[{\"kind\":\"seeker\",\"id\":1,"
	    "\"token_sha256\":\"" TOKEN_K TOKEN_K "1234\",\"name\":\"x\","
	    "\"status\":\"registered\"}]}",
	    "{\"event_id\":12,\"items\":[{\"kind\":\"seeker\",\"id\":1,"
	    "\"token_sha256\":\"" HASH_K "\",\"status\":\"registered\"}]}",
	    "{\"event_id\":12,\"items\":[{\"kind\":\"seeker\",\"id\":1,"
	    "\"token_sha256\":\"" HASH_K "\",\"name\":\"x\",\"name_kana\":5,"
	    "\"status\":\"registered\"}]}",
	    "{\"event_id\":12,\"items\":[{\"kind\":\"seeker\",\"id\":1,"
	    "\"token_sha256\":\"" HASH_K "\",\"name\":\"x\","
	    "\"status\":\"waiting\"}]}",
	    /* one hash twice, in two spellings */
	    "{\"event_id\":12,\"items\":[{\"kind\":\"seeker\",\"id\":1,"
	    "\"token_sha256\":\"" HASH_A "\",\"name\":\"x\","
	    "\"status\":\"registered\"},{\"kind\":\"seeker\",\"id\":2,"
	    "\"token_sha256\":\"7f2e2848e876e56e0f9c2812191b1df03456f116f046a"
	    "354c7e77b5aa83b6338\",\"name\":\"y\",\"status\":\"registered\"}]}",
	};
	struct roster *r;
	char *cause;

	(void)state;
	save_or_fail(roster_json);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		if (roster_save(path, bad[i], &cause) != -1)
			fail_msg("roster %zu saved: %s", i, bad[i]);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "roster"));
		free(cause);
	}
	r = load_or_fail();
	assert_int_equal(roster_count(r), 4);
	roster_free(r);

	/* An empty roster is a roster. */
	save_or_fail("{\"event_id\":12,\"items\":[]}");
	r = load_or_fail();
	assert_int_equal(roster_count(r), 0);
	assert_null(roster_lookup(r, TOKEN_K));
	roster_free(r);
}

/*
 * A crash between writing the new roster and renaming it leaves its
 * temporary file behind: the old roster must load unchanged, and the
 * next save must still work.
 */
static void
test_atomic(void **state)
{
	char stray[192], *cause = NULL;
	struct roster *r;
	struct stat st;
	FILE *f;

	(void)state;
	errno = 0;
	assert_null(roster_load_new(path, &cause));
	assert_int_equal(errno, ENOENT);
	free(cause);

	save_or_fail(roster_json);
	snprintf(stray, sizeof stray, "%s.Ab12Cd", path);
	f = fopen(stray, "w");
	assert_non_null(f);
	fputs("{\"event_id\":13,\"items\":[{\"kind\":\"seek", f);
	fclose(f);
	r = load_or_fail();
	assert_int_equal(roster_event_id(r), 12);
	assert_int_equal(roster_count(r), 4);
	roster_free(r);

	save_or_fail("{\"event_id\":13,\"title\":\"new\",\"items\":[]}");
	r = load_or_fail();
	assert_int_equal(roster_event_id(r), 13);
	assert_string_equal(roster_title(r), "new");
	roster_free(r);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* The save left no temporary file of its own. */
	snprintf(stray, sizeof stray, "ls -a '%s/desk' | grep -c json", dir);
	f = popen(stray, "r");
	assert_non_null(f);
	assert_int_equal(fgetc(f), '2');
	pclose(f);

	/* A damaged file is reported, not half loaded. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"event_id\":13,\"items\":[", f);
	fclose(f);
	cause = NULL;
	assert_null(roster_load_new(path, &cause));
	assert_non_null(strstr(cause, path));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_large, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_offline_result, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_atomic, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
