/*
 * Logging to standard error. Lines are written with one write() each so
 * that lines from concurrent processes (two servers in a test) do not
 * interleave mid-line.
 */
#include "log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

static bool log_json;
static enum log_level log_min = LOG_INFO;

static const char *const log_names[] = {"debug", "info", "warn", "error"};

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

void
log_raw_line(const char *line)
{
	size_t len = strlen(line);
	char *buf = malloc(len + 1);

	if (buf == NULL)
		return;
	memcpy(buf, line, len);
	buf[len] = '\n';
	if (write(STDERR_FILENO, buf, len + 1) < 0)
		(void)0; /* nowhere left to report a failed log write */
	free(buf);
}

char *
log_escape_new(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t len = strlen(s), i = 0, o = 0;
	/* Each byte becomes at most four characters: \xNN. */
	char *out = malloc(4 * len + 1);
	utf8proc_int32_t c;
	utf8proc_ssize_t n;

	if (out == NULL)
		return NULL;
	while (i < len) {
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
		/* C0, DEL and C1 (0x9B is a terminal's CSI) and bad bytes. */
		if (n < 1 || c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			for (utf8proc_ssize_t k = 0; k < (n < 1 ? 1 : n); k++)
				o += sprintf(out + o, "\\x%02x", p[i + k]);
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
	return out;
}

static void
log_emit(enum log_level level, const char *raw)
{
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	char *line, *msg = log_escape_new(raw);

	if (msg == NULL)
		return;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (log_json) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "time", stamp);
		cJSON_AddStringToObject(o, "level", log_names[level]);
		cJSON_AddStringToObject(o, "msg", msg);
		line = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		if (line != NULL)
			log_raw_line(line);
		cJSON_free(line);
	} else if (asprintf(&line, "%s %s %s", stamp, log_names[level], msg) >=
		   0) {
		log_raw_line(line);
		free(line);
	}
	free(msg);
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	char *msg;

	if (level < log_min)
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	log_emit(level, msg);
	free(msg);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
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
	log_vmsg(LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
