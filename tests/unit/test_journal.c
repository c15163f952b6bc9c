/*
 * Unit tests for common/journal.c: the line format against a CRC-32 made
 * by zlib, round trips, what sync would upload, torn tails cut at every
 * byte, damaged lines, a full disk, file modes, and a writer killed with
 * SIGKILL at random moments losing nothing it had acknowledged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "JF1-KRUGKIDROVUWG2ZAMJZG653OEB"
#define WHEN  "2024-10-15T10:02:03+09:00"
#define NONCE "0123456789abcdef0123456789abcdef"

/* Both lines made with Python's zlib.crc32, not with the code under test. */
#define LINE_SCAN                                                              \
	"{\"v\":1,\"event\":12,\"token\":\"" TOKEN "\",\"desk\":\"desk-1\","   \
	"\"scanned_at\":\"" WHEN "\",\"nonce\":\"" NONCE "\","                 \
	"\"crc\":\"f3aa6010\"}\n"
#define LINE_UPLOADED                                                          \
	"{\"v\":1,\"uploaded\":\"" NONCE "\",\"result\":\"checked_in\","       \
	"\"crc\":\"3a84ba1b\"}\n"

#define MAX_RECORDS 4096

/* What a read saw, copied out of the callback. */
struct seen {
	size_t n;
	struct journal_record recs[MAX_RECORDS];
};

static char dir[64];
static char path[128];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/jf-journal-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/journal.jsonl", dir);
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

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
collect_cb(const struct journal_record *rec, void *arg)
{
	struct seen *s = arg;
	struct journal_record *copy;

	assert_true(s->n < MAX_RECORDS);
	copy = &s->recs[s->n++];
	*copy = *rec;
	copy->token = dup_or_null(rec->token);
	copy->desk = dup_or_null(rec->desk);
	copy->scanned_at = dup_or_null(rec->scanned_at);
	copy->nonce = dup_or_null(rec->nonce);
	copy->result = dup_or_null(rec->result);
}

static void
seen_clear(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->recs[i].token);
		free(s->recs[i].desk);
		free(s->recs[i].scanned_at);
		free(s->recs[i].nonce);
		free(s->recs[i].result);
	}
	s->n = 0;
}

/* Reads the journal at p into *s (cleared first) and returns its stats. */
static struct journal_stats
read_all(const char *p, struct seen *s)
{
	struct journal_stats stats;
	char *cause = NULL;

	seen_clear(s);
	if (journal_read(p, collect_cb, s, &stats, &cause) != 0)
		fail_msg("journal_read: %s", cause);
	return stats;
}

static struct journal *
open_or_fail(const char *p)
{
	char *cause = NULL;
	struct journal *j = journal_open(p, &cause);

	if (j == NULL)
		fail_msg("journal_open: %s", cause);
	return j;
}

static void
nonce_of(int i, char out[32])
{
	snprintf(out, 32, "nonce-%06d", i);
}

static void
append(struct journal *j, int i)
{
	char nonce[32], *cause = NULL;

	nonce_of(i, nonce);
	if (journal_append_scan(j, 12, TOKEN, "desk-1", WHEN, nonce, &cause) !=
	    0)
		fail_msg("journal_append_scan: %s", cause);
}

static void
mark(struct journal *j, int i, const char *result)
{
	char nonce[32], *cause = NULL;

	nonce_of(i, nonce);
	if (journal_mark_uploaded(j, nonce, result, &cause) != 0)
		fail_msg("journal_mark_uploaded: %s", cause);
}

static void
write_file(const char *p, const char *data, size_t len)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static char *
read_file(const char *p, size_t *len)
{
	FILE *f = fopen(p, "r");
	char *data = calloc(1, 1 << 20);

	assert_non_null(f);
	*len = fread(data, 1, (1 << 20) - 1, f);
	fclose(f);
	return data;
}

static void
assert_nonces(const struct seen *s, size_t n, ...)
{
	char want[32];
	va_list ap;

	assert_int_equal(s->n, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		nonce_of(va_arg(ap, int), want);
		assert_string_equal(s->recs[i].nonce, want);
	}
	va_end(ap);
}

/* The writer produces exactly the documented line, CRC as zlib has it. */
static void
test_format(void **state)
{
	struct journal *j = open_or_fail(path);
	char *cause = NULL, *data;
	size_t len;

	(void)state;
	assert_int_equal(
	    journal_append_scan(j, 12, TOKEN, "desk-1", WHEN, NONCE, &cause),
	    0);
	assert_int_equal(journal_mark_uploaded(j, NONCE, "checked_in", &cause),
			 0);
	journal_close(j);
	data = read_file(path, &len);
	assert_string_equal(data, LINE_SCAN LINE_UPLOADED);
	free(data);
}

/* Every field comes back as written, escaping included, in order. */
static void
test_round_trip(void **state)
{
	static struct seen s;
	struct journal *j = open_or_fail(path);
	struct journal_stats st;
	char *cause = NULL;

	(void)state;
	assert_int_equal(journal_append_scan(j, 999999999999999, "a\"b\\c/d",
					     "受付１", "2024-10-15T10:02:03Z",
					     "n_-0123456789", &cause),
			 0);
	append(j, 1);
	mark(j, 1, "already_checked_in");
	journal_close(j);

	st = read_all(path, &s);
	assert_int_equal(st.scans, 2);
	assert_int_equal(st.uploaded, 1);
	assert_int_equal(st.torn, 0);
	assert_int_equal(st.corrupt, 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.recs[0].kind, JOURNAL_SCAN);
	assert_int_equal(s.recs[0].line, 1);
	assert_int_equal(s.recs[0].event_id, 999999999999999);
	assert_string_equal(s.recs[0].token, "a\"b\\c/d");
	assert_string_equal(s.recs[0].desk, "受付１");
	assert_string_equal(s.recs[0].scanned_at, "2024-10-15T10:02:03Z");
	assert_string_equal(s.recs[0].nonce, "n_-0123456789");
	assert_null(s.recs[0].result);
	assert_int_equal(s.recs[1].event_id, 12);
	assert_string_equal(s.recs[1].nonce, "nonce-000001");
	assert_int_equal(s.recs[2].kind, JOURNAL_UPLOADED);
	assert_int_equal(s.recs[2].line, 3);
	assert_string_equal(s.recs[2].nonce, "nonce-000001");
	assert_string_equal(s.recs[2].result, "already_checked_in");
	assert_null(s.recs[2].token);
	seen_clear(&s);
}

/* Pending: not marked uploaded, in order, each nonce once. */
static void
test_pending(void **state)
{
	struct journal *j = open_or_fail(path);
	struct journal_pending *p;
	char *cause = NULL;

	(void)state;
	for (int i = 1; i <= 5; i++)
		append(j, i);
	append(j, 1); /* the same scan twice: uploaded once */
	mark(j, 2, "checked_in");
	mark(j, 4, "already_checked_in");
	mark(j, 4, "already_checked_in"); /* an upload repeated after a crash */
	mark(j, 99, "checked_in");	  /* a marker without its scan */
	journal_close(j);

	p = journal_pending_new(path, &cause);
	assert_non_null(p);
	assert_int_equal(p->n, 3);
	assert_string_equal(p->scans[0].nonce, "nonce-000001");
	assert_int_equal(p->scans[0].line, 1);
	assert_string_equal(p->scans[1].nonce, "nonce-000003");
	assert_string_equal(p->scans[2].nonce, "nonce-000005");
	assert_string_equal(p->scans[2].token, TOKEN);
	assert_string_equal(p->scans[2].desk, "desk-1");
	assert_string_equal(p->scans[2].scanned_at, WHEN);
	assert_int_equal(p->scans[2].event_id, 12);
	assert_int_equal(p->stats.scans, 6);
	assert_int_equal(p->stats.uploaded, 4);
	journal_pending_free(p);

	/* Everything marked: nothing left to sync. */
	j = open_or_fail(path);
	mark(j, 1, "checked_in");
	mark(j, 3, "checked_in");
	mark(j, 5, "cancelled");
	journal_close(j);
	p = journal_pending_new(path, &cause);
	assert_non_null(p);
	assert_int_equal(p->n, 0);
	journal_pending_free(p);
}

/* No journal yet: reading says ENOENT, sync has nothing to do. */
static void
test_missing(void **state)
{
	struct journal_pending *p;
	struct journal_stats st;
	char *cause = NULL;

	(void)state;
	assert_int_equal(journal_read(path, collect_cb, NULL, &st, &cause), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	p = journal_pending_new(path, &cause);
	assert_non_null(p);
	assert_null(cause);
	assert_int_equal(p->n, 0);
	journal_pending_free(p);
}

/*
 * The last record cut at every byte: the earlier ones always survive, the
 * cut one never (it was never acknowledged), and a reopened journal
 * appends a clean record that the cut one does not swallow or revive.
 */
static void
test_torn_tail(void **state)
{
	static struct seen s;
	struct journal *j = open_or_fail(path);
	struct journal_stats st;
	char torn[160];
	size_t len, start;
	char *data;

	(void)state;
	for (int i = 1; i <= 3; i++)
		append(j, i);
	journal_close(j);
	data = read_file(path, &len);
	start = (size_t)(strchr(strchr(data, '\n') + 1, '\n') + 1 - data);
	snprintf(torn, sizeof torn, "%s/torn.jsonl", dir);

	for (size_t cut = start; cut < len; cut++) {
		write_file(torn, data, cut);
		st = read_all(torn, &s);
		assert_int_equal(st.scans, 2);
		assert_int_equal(st.torn, cut > start ? 1 : 0);
		assert_int_equal(st.corrupt, 0);
		assert_nonces(&s, 2, 1, 2);

		j = open_or_fail(torn);
		append(j, 4);
		journal_close(j);
		st = read_all(torn, &s);
		assert_int_equal(st.scans, 3);
		assert_int_equal(st.torn, cut > start ? 1 : 0);
		assert_int_equal(st.corrupt, 0);
		assert_nonces(&s, 3, 1, 2, 4);
		assert_int_equal(s.recs[2].line, cut > start ? 4 : 3);
	}
	seen_clear(&s);
	free(data);
}

/* Damage in the middle costs that line only. */
static void
test_garbage_middle(void **state)
{
	static struct seen s;
	struct journal *j = open_or_fail(path);
	struct journal_stats st;
	int fd;

	(void)state;
	append(j, 1);
	fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	/* garbage, JSON that is no record, an empty line, binary */
	assert_int_equal(write(fd, "garbage\n{}\n\n\x01\x00\xff\n", 16), 16);
	close(fd);
	append(j, 2);
	journal_close(j);

	st = read_all(path, &s);
	assert_int_equal(st.scans, 2);
	assert_int_equal(st.corrupt, 4);
	assert_int_equal(st.torn, 0);
	assert_nonces(&s, 2, 1, 2);
	assert_int_equal(s.recs[1].line, 6);
	seen_clear(&s);
}

/* A single changed byte, or a valid record with a wrong CRC, is refused. */
static void
test_crc_mismatch(void **state)
{
	static struct seen s;
	struct journal *j = open_or_fail(path);
	struct journal_stats st;
	char *data, *second, *tok;
	size_t len;

	(void)state;
	for (int i = 1; i <= 3; i++)
		append(j, i);
	journal_close(j);
	data = read_file(path, &len);
	second = strchr(data, '\n') + 1;
	tok = strstr(second, "JF1-") + 4;
	*tok = *tok == 'K' ? 'L' : 'K'; /* still valid JSON and a valid token */
	write_file(path, data, len);
	st = read_all(path, &s);
	assert_int_equal(st.scans, 2);
	assert_int_equal(st.corrupt, 1);
	assert_nonces(&s, 2, 1, 3);
	free(data);

	/* The zlib-made line, then the same with one CRC digit off. */
	write_file(path, LINE_SCAN, strlen(LINE_SCAN));
	st = read_all(path, &s);
	assert_int_equal(st.scans, 1);
	assert_int_equal(st.corrupt, 0);
	data = strdup(LINE_SCAN);
	strstr(data, "f3aa6010")[7] = '1';
	write_file(path, data, strlen(data));
	st = read_all(path, &s);
	assert_int_equal(st.scans, 0);
	assert_int_equal(st.corrupt, 1);
	free(data);
	/* Upper-case hex is not what the writer makes: refused too. */
	data = strdup(LINE_SCAN);
	memcpy(strstr(data, "f3aa6010"), "F3AA6010", 8);
	write_file(path, data, strlen(data));
	st = read_all(path, &s);
	assert_int_equal(st.corrupt, 1);
	free(data);
	seen_clear(&s);
}

/* What the server would refuse never reaches the journal. */
static void
test_rules(void **state)
{
	static const struct {
		int64_t event;
		const char *token, *desk, *when, *nonce;
	} bad[] = {
	    {0, TOKEN, "d", WHEN, NONCE},
	    {1000000000000000, TOKEN, "d", WHEN, NONCE},
	    {12, "", "d", WHEN, NONCE},
	    {12, "JF1-\nX", "d", WHEN, NONCE},
	    {12, "\xff\xfe", "d", WHEN, NONCE},
	    {12, TOKEN, "", WHEN, NONCE},
	    {12, TOKEN, "123456789012345678901234567890123456789012345678901",
	     WHEN, NONCE},
	    {12, TOKEN, "d\t1", WHEN, NONCE},
	    {12, TOKEN, "d", "2024-10-15 10:02:03+09:00", NONCE},
	    {12, TOKEN, "d", "2024-10-15T10:02:03", NONCE},
	    {12, TOKEN, "d", "2024-10-15T10:02:03+0900", NONCE},
	    {12, TOKEN, "d", "2024-10-15T10:02:03.+09:00", NONCE},
	    {12, TOKEN, "d", "2024-10-15T10:02:03Zx", NONCE},
	    {12, TOKEN, "d", "", NONCE},
	    {12, TOKEN, "d", WHEN, "short"},
	    {12, TOKEN, "d", WHEN, "has space 123"},
	    {12, TOKEN, "d", WHEN, NULL},
	};
	struct journal *j = open_or_fail(path);
	struct stat st;
	char *cause, desk50[200] = "";

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_int_equal(journal_append_scan(
				     j, bad[i].event, bad[i].token, bad[i].desk,
				     bad[i].when, bad[i].nonce, &cause),
				 -1);
		assert_non_null(cause);
		free(cause);
	}
	cause = NULL;
	assert_int_equal(journal_mark_uploaded(j, NONCE, "Checked-In", &cause),
			 -1);
	free(cause);
	cause = NULL;
	assert_int_equal(journal_mark_uploaded(j, NONCE, "", &cause), -1);
	free(cause);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);

	/* The limits themselves pass: 50 characters of desk, in kanji. */
	cause = NULL;
	for (int i = 0; i < 50; i++)
		strcat(desk50, "受");
	assert_int_equal(journal_append_scan(j, 1, TOKEN, desk50,
					     "2024-10-15T10:02:03.123456-05:30",
					     "12345678", &cause),
			 0);
	journal_close(j);
}

/*
 * A full disk cuts a write short: the scan is refused, and the next one
 * is written on a fresh line after a sealed torn one.
 */
static void
test_short_write(void **state)
{
	static struct seen s;
	struct journal *j = open_or_fail(path);
	struct journal_stats st;
	struct rlimit old, lim;
	struct stat sb;
	char *cause = NULL;

	(void)state;
	append(j, 1);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = (rlim_t)sb.st_size + 40;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(journal_append_scan(j, 12, TOKEN, "desk-1", WHEN,
					     "nonce-000002", &cause),
			 -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	append(j, 3);
	journal_close(j);

	st = read_all(path, &s);
	assert_int_equal(st.scans, 2);
	assert_int_equal(st.torn, 1);
	assert_int_equal(st.corrupt, 0);
	assert_nonces(&s, 2, 1, 3);
	seen_clear(&s);
}

/* Tokens are on this disk: private directories, private file. */
static void
test_modes(void **state)
{
	char deep[192], sub[160];
	struct journal *j;
	struct stat st;
	mode_t old = umask(022);

	(void)state;
	snprintf(sub, sizeof sub, "%s/state/jobfair", dir);
	snprintf(deep, sizeof deep, "%s/journal-12.jsonl", sub);
	j = open_or_fail(deep);
	journal_close(j);
	assert_int_equal(stat(deep, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	*strrchr(sub, '/') = '\0';
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);

	/* A journal left readable by others is narrowed on open. */
	assert_int_equal(chmod(deep, 0644), 0);
	j = open_or_fail(deep);
	journal_close(j);
	assert_int_equal(stat(deep, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	umask(old);
}

static void
test_nonce(void **state)
{
	char a[JOURNAL_NONCE_LEN + 1], b[JOURNAL_NONCE_LEN + 1];

	(void)state;
	assert_int_equal(journal_nonce(a), 0);
	assert_int_equal(journal_nonce(b), 0);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strspn(a, "0123456789abcdef"), 32);
	assert_string_not_equal(a, b);
}

/*
 * Rounds of a child appending as fast as it can, reporting each record
 * through a pipe only once journal_append_scan() returned, killed with
 * SIGKILL at a random moment. Every reported record must be in the
 * journal, each round's records an unbroken run, nothing corrupt.
 */
static void
test_crash(void **state)
{
	enum { ROUNDS = 8, BASE = 100000 };
	static struct seen s;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	int acked[ROUNDS] = {0}, stored[ROUNDS] = {0};
	struct journal_stats st;

	(void)state;
	srandom(seed);
	for (int round = 0; round < ROUNDS; round++) {
		int p[2], n, want = 1 + (int)(random() % 200), status;
		pid_t pid;

		assert_int_equal(pipe(p), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct journal *j;
			char *cause = NULL, nonce[32];

			close(p[0]);
			if ((j = journal_open(path, &cause)) == NULL)
				_exit(2);
			for (int i = 0;; i++) {
				nonce_of(round * BASE + i, nonce);
				if (journal_append_scan(j, 12, TOKEN, "desk-1",
							WHEN, nonce,
							&cause) != 0)
					_exit(3);
				if (write(p[1], &i, sizeof i) != sizeof i)
					_exit(4);
			}
		}
		close(p[1]);
		while (acked[round] < want &&
		       read(p[0], &n, sizeof n) == sizeof n)
			acked[round] = n + 1;
		usleep((useconds_t)(random() % 3000));
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status))
			fail_msg("child exited with %d (seed %u)",
				 WEXITSTATUS(status), seed);
		while (read(p[0], &n, sizeof n) == sizeof n)
			acked[round] = n + 1;
		close(p[0]);
	}

	st = read_all(path, &s);
	assert_int_equal(st.corrupt, 0);
	for (size_t i = 0; i < s.n; i++) {
		int v = atoi(s.recs[i].nonce + strlen("nonce-"));
		int round = v / BASE;

		assert_true(round < ROUNDS);
		if (v % BASE != stored[round])
			fail_msg("record %d out of order (seed %u)", v, seed);
		stored[round]++;
	}
	for (int round = 0; round < ROUNDS; round++)
		if (stored[round] < acked[round])
			fail_msg("round %d: %d acknowledged, %d stored (seed "
				 "%u)",
				 round, acked[round], stored[round], seed);
	seen_clear(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_format, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pending, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_torn_tail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_garbage_middle, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_crc_mismatch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_short_write, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_modes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nonce, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_crash, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
