/*
 * Logging to standard error, as plain text or one JSON object per line.
 * fatal() adds strerror(errno); fatalx() does not.
 */
#ifndef JF_LOG_H
#define JF_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_json(bool json);
void log_set_level(enum log_level level);
bool log_is_json(void);
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_raw_line(const char *line);
/*
 * Holding lines back (see log.c): from now on log_msg_held and
 * log_raw_line_held on the calling thread (the server's loop) keep their
 * line in a buffer, and wake(arg) is called when the buffer stops being
 * empty so that the loop calls log_flush once it has run this round's
 * callbacks. Any other line of that thread, exit and a crash signal write
 * the held lines first. On other threads, and warnings and errors, lines
 * are written at once. log_unhold writes what is held and stops holding.
 */
void log_hold(void (*wake)(void *arg), void *arg);
void log_unhold(void);
void log_flush(void);
void log_msg_held(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_raw_line_held(const char *line);
/*
 * s with control characters (C0, DEL, C1), invalid UTF-8 and backslashes
 * written as \xNN or \\, so that a request path cannot drive the
 * terminal of whoever reads the log. Every message is escaped this way;
 * callers escape fields they put in a JSON line themselves. NULL only
 * when memory runs out; free with free().
 */
char *log_escape_new(const char *s);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

_Noreturn void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
