/*
 * Unit tests for common/log.c: the line format, and held lines (the
 * server's access log): written on log_flush, before any other line of
 * the holding thread, at once for warnings and other threads, whole and
 * in order however many, and not lost at exit or on a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "log.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char log_path[] = "/tmp/test_log.XXXXXX";
static int saved_stderr = -1;
static int wakes;

/* Each test's standard error goes to a fresh file (cmocka reports on
 * standard output). */
static int
stderr_capture(void **state)
{
	int fd = mkstemp(log_path);

	(void)state;
	if (fd < 0)
		return -1;
	saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	return 0;
}

static int
stderr_restore(void **state)
{
	(void)state;
	log_unhold();
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	unlink(log_path);
	strcpy(log_path, "/tmp/test_log.XXXXXX");
	return 0;
}

/* What the file holds now; free with free(). */
static char *
captured(void)
{
	FILE *f = fopen(log_path, "r");
	char *text = calloc(1, 1 << 20);
	size_t n;

	assert_non_null(f);
	n = fread(text, 1, (1 << 20) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* Empties the file for what follows. */
static void
captured_reset(void)
{
	assert_int_equal(ftruncate(STDERR_FILENO, 0), 0);
	assert_int_equal(lseek(STDERR_FILENO, 0, SEEK_SET), 0);
}

static int
count_lines(const char *text)
{
	int n = 0;

	for (; *text != '\0'; text++)
		n += *text == '\n';
	return n;
}

static void
wake(void *arg)
{
	assert_ptr_equal(arg, &wakes);
	wakes++;
}

static void
test_text_line(void **state)
{
	static const char expect[] = " info GET /a\\x1b[2J\\\\b 200 1.50ms\n";
	char *text;

	(void)state;
	log_msg(LOG_INFO, "GET %s %d %.2fms", "/a\x1b[2J\\b", 200, 1.5);
	text = captured();
	/* 2026-12-02T13:28:23Z info GET /a\x1b[2J\\b 200 1.50ms */
	assert_int_equal(strlen(text), 20 + strlen(expect));
	assert_int_equal(text[4], '-');
	assert_int_equal(text[19], 'Z');
	assert_string_equal(text + 20, expect);
	free(text);
}

static void
test_held_until_flush(void **state)
{
	char *text;

	(void)state;
	wakes = 0;
	log_hold(wake, &wakes);
	log_msg_held(LOG_INFO, "GET /healthz 200 %d", 1);
	log_msg_held(LOG_INFO, "GET /healthz 200 %d", 2);
	log_raw_line_held("{\"type\":\"access\"}");
	text = captured();
	assert_string_equal(text, "");
	free(text);
	/* One wake per empty buffer that fills, not one per line. */
	assert_int_equal(wakes, 1);
	log_flush();
	text = captured();
	assert_int_equal(count_lines(text), 3);
	assert_non_null(strstr(text, "GET /healthz 200 1\n"));
	assert_non_null(strstr(text, "GET /healthz 200 2\n"));
	assert_non_null(strstr(text, "\n{\"type\":\"access\"}\n"));
	free(text);
	log_msg_held(LOG_INFO, "again");
	assert_int_equal(wakes, 2);
	log_unhold();
	text = captured();
	assert_int_equal(count_lines(text), 4);
	free(text);
}

static void
test_order_and_errors_at_once(void **state)
{
	char *text, *held, *direct, *warn;

	(void)state;
	log_hold(wake, &wakes);
	log_msg_held(LOG_INFO, "held first");
	log_msg(LOG_INFO, "direct second");
	/* A warning asked to be held goes out at once all the same. */
	log_msg_held(LOG_WARN, "warning third");
	text = captured();
	held = strstr(text, "held first\n");
	direct = strstr(text, "direct second\n");
	warn = strstr(text, "warn warning third\n");
	assert_non_null(held);
	assert_non_null(direct);
	assert_non_null(warn);
	assert_true(held < direct && direct < warn);
	free(text);
}

static void *
other_thread(void *arg)
{
	(void)arg;
	log_msg_held(LOG_INFO, "from another thread");
	return NULL;
}

static void
test_other_threads_at_once(void **state)
{
	pthread_t t;
	char *text;

	(void)state;
	log_hold(wake, &wakes);
	pthread_create(&t, NULL, other_thread, NULL);
	pthread_join(t, NULL);
	text = captured();
	assert_non_null(strstr(text, "from another thread\n"));
	free(text);
}

/* More than the buffer holds: every line whole, in order. */
static void
test_many_lines(void **state)
{
	char *text, *p, expect[64];

	(void)state;
	log_hold(wake, &wakes);
	for (int i = 0; i < 5000; i++)
		log_msg_held(LOG_INFO, "GET /line/%d 200 0.01ms", i);
	log_flush();
	text = captured();
	assert_int_equal(count_lines(text), 5000);
	p = text;
	for (int i = 0; i < 5000; i++) {
		snprintf(expect, sizeof expect,
			 " info GET /line/%d 200 0.01ms\n", i);
		p = strstr(p, expect);
		assert_non_null(p);
	}
	free(text);
}

/*
 * In a child: hold three lines and end as `how` says (by the signal
 * `sig`, or exiting with `status`). The parent finds
 * the three lines in the file however the child ended.
 */
static void
held_lines_survive(void (*how)(void), int sig, int status)
{
	pid_t pid;
	int st;
	char *text;

	captured_reset();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Not cmocka's handlers: the child is to die of the signal. */
		signal(SIGABRT, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
		log_hold(wake, &wakes);
		for (int i = 0; i < 3; i++)
			log_msg_held(LOG_INFO, "GET /before-the-end/%d 200", i);
		how();
		_exit(99);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (sig != 0) {
		assert_true(WIFSIGNALED(st));
		assert_int_equal(WTERMSIG(st), sig);
	} else {
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), status);
	}
	text = captured();
	assert_int_equal(count_lines(text), 3);
	assert_non_null(strstr(text, "GET /before-the-end/2 200\n"));
	free(text);
}

static void
end_by_exit(void)
{
	exit(3);
}

static void
end_by_abort(void)
{
	abort();
}

static void
end_by_segv(void)
{
	raise(SIGSEGV);
}

static void
test_exit_and_crash_keep_lines(void **state)
{
	(void)state;
	held_lines_survive(end_by_exit, 0, 3);
	held_lines_survive(end_by_abort, SIGABRT, 0);
	held_lines_survive(end_by_segv, SIGSEGV, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_text_line, stderr_capture,
					    stderr_restore),
	    cmocka_unit_test_setup_teardown(test_held_until_flush,
					    stderr_capture, stderr_restore),
	    cmocka_unit_test_setup_teardown(test_order_and_errors_at_once,
					    stderr_capture, stderr_restore),
	    cmocka_unit_test_setup_teardown(test_other_threads_at_once,
					    stderr_capture, stderr_restore),
	    cmocka_unit_test_setup_teardown(test_many_lines, stderr_capture,
					    stderr_restore),
	    cmocka_unit_test_setup_teardown(test_exit_and_crash_keep_lines,
					    stderr_capture, stderr_restore),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
