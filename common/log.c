/*
 * Logging to standard error. Lines are written with one write() each so
 * that lines from concurrent processes (two servers in a test) do not
 * interleave mid-line.
 *
 * The server's loop holds its access lines back (log_hold) and writes
 * them together, several to one write(), once per round of the loop,
 * rather than a write() per request. A held line is written before the
 * reply it logs leaves (the flush is queued before the reply's write,
 * see conn_write_soon), before any other line of the loop's thread, at
 * exit and when the process crashes, so none is lost and the order
 * stays as it was.
 */
#include "log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

/*
 * Held lines. One write() of at most PIPE_BUF bytes stays whole even on
 * a pipe that other processes write to.
 */
#define LOG_HELD_MAX PIPE_BUF
/* Messages and lines this short are built on the stack. */
#define LOG_SMALL 1024

static bool log_json;
static enum log_level log_min = LOG_INFO;

static const char *const log_names[] = {"debug", "info", "warn", "error"};

static struct {
	bool on;
	pthread_t thread; /* the only one whose lines are held */
	void (*wake)(void *);
	void *arg;
	char buf[LOG_HELD_MAX];
	/* Read by the crash handler: only whole lines are counted. */
	volatile size_t len;
} log_held;

/* The crash signals after which the held lines are still written. */
static const int log_crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE,
					SIGABRT};
#define NCRASH (sizeof log_crash_signals / sizeof *log_crash_signals)
static struct sigaction log_crash_old[NCRASH];

void
log_set_json(bool json)
{
	log_json = json;
}

void
log_set_level(enum log_level level)
{
	log_min = level;
}

bool
log_is_json(void)
{
	return log_json;
}

/* All of buf, or as much as standard error takes. Async-signal-safe. */
static void
log_write(const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* nowhere left to report a failed log write */
		buf += n;
		len -= (size_t)n;
	}
}

static bool
log_holding(void)
{
	return log_held.on && pthread_equal(pthread_self(), log_held.thread);
}

void
log_flush(void)
{
	/* Only the holding thread touches the buffer (the crash aside). */
	if (!log_holding() || log_held.len == 0)
		return;
	log_write(log_held.buf, log_held.len);
	log_held.len = 0;
}

/* line[0..len) ends in a newline; held when this thread holds lines. */
static void
log_put(const char *line, size_t len, bool hold)
{
	if (!log_holding()) {
		log_write(line, len);
		return;
	}
	if (!hold || log_held.len + len > sizeof log_held.buf)
		log_flush();
	if (!hold || len > sizeof log_held.buf) {
		log_write(line, len);
		return;
	}
	memcpy(log_held.buf + log_held.len, line, len);
	log_held.len += len;
	if (log_held.len == len)
		log_held.wake(log_held.arg);
}

static void
log_crash_handler(int sig)
{
	size_t i;

	log_write(log_held.buf, log_held.len);
	log_held.len = 0;
	/*
	 * The handler ours replaced (the default, or a sanitizer's) takes it
	 * from here, once we return: the signal is blocked until then.
	 */
	for (i = 0; i < NCRASH && log_crash_signals[i] != sig; i++)
		;
	if (i < NCRASH)
		sigaction(sig, &log_crash_old[i], NULL);
	raise(sig);
}

static void
log_atexit(void)
{
	log_flush();
}

void
log_hold(void (*wake)(void *), void *arg)
{
	static bool registered;
	struct sigaction sa = {.sa_handler = log_crash_handler}, now;

	log_flush();
	log_held.thread = pthread_self();
	log_held.wake = wake;
	log_held.arg = arg;
	log_held.on = true;
	if (!registered)
		atexit(log_atexit);
	registered = true;
	/* Ours goes first; the handler it replaces is kept, never itself. */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCRASH; i++)
		if (sigaction(log_crash_signals[i], NULL, &now) == 0 &&
		    now.sa_handler != log_crash_handler)
			sigaction(log_crash_signals[i], &sa, &log_crash_old[i]);
}

void
log_unhold(void)
{
	log_flush();
	log_held.on = false;
}

/* line and a newline, as one write or held together. */
static void
log_line(const char *line, bool hold)
{
	size_t len = strlen(line);
	char small[LOG_SMALL],
	    *buf = len < sizeof small ? small : malloc(len + 1);

	if (buf == NULL)
		return;
	memcpy(buf, line, len);
	buf[len] = '\n';
	log_put(buf, len + 1, hold);
	if (buf != small)
		free(buf);
}

void
log_raw_line(const char *line)
{
	log_line(line, false);
}

void
log_raw_line_held(const char *line)
{
	log_line(line, true);
}

/*
 * s[0..len) escaped into out, which has room for 4 * len + 1 bytes; see
 * log_escape_new. Printable ASCII, nearly every byte, is copied as is.
 */
static void
log_escape_into(char *out, const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0, o = 0;
	utf8proc_int32_t c;
	utf8proc_ssize_t n;

	while (i < len) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
			out[o++] = (char)p[i++];
			continue;
		}
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
		/* C0, DEL and C1 (0x9B is a terminal's CSI) and bad bytes. */
		if (n < 1 || c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			for (utf8proc_ssize_t k = 0; k < (n < 1 ? 1 : n); k++)
				o += (size_t)sprintf(out + o, "\\x%02x",
						     p[i + k]);
			i += n < 1 ? 1 : (size_t)n;
			continue;
		}
		if (c == '\\')
			out[o++] = '\\';
		memcpy(out + o, p + i, (size_t)n);
		o += (size_t)n;
		i += (size_t)n;
	}
	out[o] = '\0';
}

char *
log_escape_new(const char *s)
{
	size_t len = strlen(s);
	/* Each byte becomes at most four characters: \xNN. */
	char *out = malloc(4 * len + 1);

	if (out != NULL)
		log_escape_into(out, s, len);
	return out;
}

/* The time in the log's form, formatted anew once a second per thread. */
static const char *
log_stamp(void)
{
	static _Thread_local char stamp[32];
	static _Thread_local time_t when = -1;
	time_t now = time(NULL);
	struct tm tm;

	if (now != when) {
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
		when = now;
	}
	return stamp;
}

static void
log_emit(enum log_level level, const char *raw, bool hold)
{
	size_t len = strlen(raw), cap;
	char small[LOG_SMALL], *msg, *line;
	int n;

	msg = 4 * len + 1 <= sizeof small ? small : malloc(4 * len + 1);
	if (msg == NULL)
		return;
	log_escape_into(msg, raw, len);
	if (log_json) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "time", log_stamp());
		cJSON_AddStringToObject(o, "level", log_names[level]);
		cJSON_AddStringToObject(o, "msg", msg);
		line = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		if (line != NULL)
			log_line(line, hold);
		cJSON_free(line);
	} else {
		/* "stamp level msg\n" */
		char lsmall[LOG_SMALL];

		cap = strlen(msg) + 64;
		line = cap <= sizeof lsmall ? lsmall : malloc(cap);
		n = line ? snprintf(line, cap, "%s %s %s\n", log_stamp(),
				    log_names[level], msg)
			 : -1;
		if (n > 0 && (size_t)n < cap)
			log_put(line, (size_t)n, hold);
		if (line != lsmall)
			free(line);
	}
	if (msg != small)
		free(msg);
}

/* Warnings and errors are never held: they go out at once. */
static void
log_vmsg(enum log_level level, bool hold, const char *fmt, va_list ap)
{
	char small[LOG_SMALL], *msg = small;
	va_list again;
	int n;

	if (level < log_min)
		return;
	va_copy(again, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= 0 && (size_t)n >= sizeof small &&
	    vasprintf(&msg, fmt, again) < 0)
		n = -1;
	va_end(again);
	if (n < 0)
		return;
	log_emit(level, msg, hold && level < LOG_WARN);
	if (msg != small)
		free(msg);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, false, fmt, ap);
	va_end(ap);
}

void
log_msg_held(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, true, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	char *msg;
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) >= 0) {
		log_msg(LOG_ERROR, "%s: %s", msg, strerror(saved));
		free(msg);
	}
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERROR, false, fmt, ap);
	va_end(ap);
	exit(1);
}
