/*
 * Tells systemd (Type=notify) when jobfaird is ready and when it stops.
 * Without NOTIFY_SOCKET (run by hand, by tests) every call does nothing.
 */
#ifndef JF_SDNOTIFY_H
#define JF_SDNOTIFY_H

struct app;
struct sdnotify;

/*
 * Sends READY=1 once a query through the pool has answered, retrying
 * every second while the database is away: "started" must mean "serves".
 */
struct sdnotify *sdnotify_new(struct app *app);
void sdnotify_free(struct sdnotify *n);

/* STOPPING=1 with a status line: SIGTERM has begun the drain. */
void sdnotify_stopping(void);

#endif
