/*
 * Readiness for systemd. The readiness query goes through the pool like
 * any request, so READY=1 proves the schema is reachable with the
 * application's own connection settings.
 */
#include "sdnotify.h"

#include "app.h"
#include "log.h"
#include "pool.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>

struct sdnotify {
	struct app *app;
	struct event *retry;
};

static void sdnotify_try(struct sdnotify *n);

static void
sdnotify_answered(const PGresult *res, const char *error, void *arg)
{
	struct sdnotify *n = arg;
	struct timeval second = {1, 0};

	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK) {
		sd_notify(0, "READY=1\nSTATUS=serving");
		log_info("ready: the database answers");
		return;
	}
	sd_notifyf(0, "STATUS=waiting for the database: %s",
		   error ? error : PQresultErrorMessage(res));
	evtimer_add(n->retry, &second);
}

static void
sdnotify_try(struct sdnotify *n)
{
	struct timeval second = {1, 0};

	if (pool_query(n->app->pool, POOL_LANE_DEFAULT,
		       "SELECT 1 FROM schema_migrations LIMIT 1", 0, NULL,
		       sdnotify_answered, n) == POOL_QUEUED)
		return;
	evtimer_add(n->retry, &second);
}

static void
sdnotify_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sdnotify_try(arg);
}

struct sdnotify *
sdnotify_new(struct app *app)
{
	struct sdnotify *n = xcalloc(1, sizeof *n);

	n->app = app;
	n->retry = evtimer_new(app->base, sdnotify_retry_cb, n);
	sdnotify_try(n);
	return n;
}

void
sdnotify_free(struct sdnotify *n)
{
	if (n == NULL)
		return;
	event_free(n->retry);
	free(n);
}

void
sdnotify_stopping(void)
{
	sd_notify(0, "STOPPING=1\nSTATUS=draining in-flight requests");
}
