/*
 * A pool of PostgreSQL connections driven by libevent through libpq's
 * asynchronous API: the event loop never waits on the database.
 *
 * A query is one statement (so one implicit transaction). Its callback
 * runs exactly once, from the event loop, never from inside pool_query.
 * The PGresult passed to it is borrowed: the pool clears it when the
 * callback returns. A NULL result means the connection was lost or the
 * database is unreachable; `error` then says why.
 */
#ifndef JF_POOL_H
#define JF_POOL_H

#include <libpq-fe.h>
#include <stdbool.h>

struct event_base;
struct pool;

typedef void (*pool_cb)(const PGresult *res, const char *error, void *arg);
typedef void (*pool_notify_cb)(const char *channel, const char *payload,
			       void *arg);

enum pool_status { POOL_QUEUED = 0, POOL_FULL = -1, POOL_DOWN = -2 };

/*
 * Which way a query goes to the database. Event-day queries (a desk's
 * check-in, walk-in, interview, undo) wait in their own queue, go before
 * any other and alone may use the connections kept for them, so a flood
 * of reports cannot make a desk wait. Reads go last, a bounded number at
 * once, under the read timeout.
 */
enum pool_lane {
	POOL_LANE_DEFAULT = 0,
	POOL_LANE_EVENTDAY,
	POOL_LANE_READ,
};

/* max_queue bounds each queue (event-day, other writes, reads). */
struct pool *pool_new(struct event_base *base, const char *conninfo, int size,
		      int max_queue);
/*
 * Answers every queued and running query with the error `why`, so their
 * owners reply and free what they hold: at shutdown, before the HTTP
 * server goes, for requests the drain did not see finish.
 */
void pool_abandon(struct pool *p, const char *why);
void pool_free(struct pool *p);

/*
 * Keeps `reserved` of the connections (fewer than all) for event-day
 * queries, lets at most max_reads reads run at once and sets their
 * statement_timeout (0: none). A connection changes its timeout only when
 * a query needs another one than its last, so the kept connections never
 * spend a round trip on it.
 */
void pool_set_lanes(struct pool *p, int reserved, int max_reads,
		    int read_timeout_ms);

/*
 * Group commit: event-day jobs of the statement one_sql that wait for a
 * connection together (at most max of them) are sent as one many_sql,
 * whose parameters are arrays of theirs, in the jobs' order. many_sql
 * returns one row per job: its result (one column, as one_sql's), and
 * whether it failed; a failed job runs again alone. Its callback sees
 * exactly a one-row result of one_sql. Without this call, or when only
 * one waits, every job runs alone.
 */
void pool_set_group(struct pool *p, const char *one_sql, const char *many_sql,
		    int max);

/*
 * Queues a query with text parameters (NULL for SQL NULL). The strings
 * are copied. Returns POOL_FULL when the wait queue is at its bound and
 * POOL_DOWN while no connection to the database works: the caller
 * answers 503 rather than letting work pile up.
 */
enum pool_status pool_query(struct pool *p, enum pool_lane lane,
			    const char *sql, int nparams,
			    const char *const *params, pool_cb cb, void *arg);

/* Connections currently usable; zero while the database is away. */
int pool_healthy(const struct pool *p);

/* For /metrics. */
struct pool_stats {
	int size, healthy, busy, queued;
	unsigned long reconnects; /* attempts after a lost connection */
};
void pool_get_stats(const struct pool *p, struct pool_stats *out);

/*
 * Keeps one extra connection that LISTENs on `channel` (and on the
 * channels of earlier calls, each with its own callback; a few at most)
 * and reports each notification; it is re-established, with its LISTENs,
 * after a restart. Call it at start, before the loop runs.
 */
void pool_listen(struct pool *p, const char *channel, pool_notify_cb cb,
		 void *arg);

#endif
