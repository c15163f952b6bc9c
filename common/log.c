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

static void
log_emit(enum log_level level, const char *msg)
{
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	char *line;

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
		return;
	}
	if (asprintf(&line, "%s %s %s", stamp, log_names[level], msg) < 0)
		return;
	log_raw_line(line);
	free(line);
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
