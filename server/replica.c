/*
 * The replica's lag is what it has received but not replayed, in time:
 * zero when replay has caught up with what arrived (an idle primary), the
 * age of the last replayed transaction otherwise. A replica that stopped
 * receiving looks caught up; that is the limit of asking the replica
 * alone, and the bound still catches a replay that falls behind.
 */
#include "replica.h"

#include "log.h"
#include "pool.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <stdlib.h>

#define REPLICA_CHECK_SECONDS 1

static const char replica_lag_sql[] =
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE coalesce(extract(epoch FROM now() -"
    " pg_last_xact_replay_timestamp()), 0) END";

struct replica {
	struct pool *pool;
	struct event *tick;
	double max_lag;
	double lag;
	bool checking;
	bool usable;
	const char *state; /* for /readyz */
};

static void
replica_set(struct replica *r, bool usable, const char *state)
{
	if (usable != r->usable)
		log_info("reads go to the %s (%s)",
			 usable ? "replica" : "primary", state);
	r->usable = usable;
	r->state = state;
}

static void
replica_lag_done(const PGresult *res, const char *error, void *arg)
{
	struct replica *r = arg;

	(void)error;
	r->checking = false;
	r->lag = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
			 PQntuples(res) == 1
		     ? atof(PQgetvalue(res, 0, 0))
		     : -1;
	if (r->lag < 0)
		replica_set(r, false, "primary: the replica does not answer");
	else if (r->lag > r->max_lag)
		replica_set(r, false, "primary: the replica lags");
	else
		replica_set(r, true, "replica");
}

static void
replica_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct replica *r = arg;

	(void)fd;
	(void)what;
	if (r->checking)
		return;
	if (pool_query(r->pool, POOL_LANE_DEFAULT, replica_lag_sql, 0, NULL,
		       replica_lag_done, r) == POOL_QUEUED)
		r->checking = true;
	else
		replica_set(r, false, "primary: the replica does not answer");
}

struct replica *
replica_new(struct event_base *base, const char *conninfo, int size,
	    int max_queue, int read_timeout_ms, double max_lag)
{
	struct replica *r = xcalloc(1, sizeof *r);
	struct timeval every = {REPLICA_CHECK_SECONDS, 0};

	r->pool = pool_new(base, conninfo, size, max_queue);
	pool_set_lanes(r->pool, 0, size, read_timeout_ms);
	r->max_lag = max_lag;
	r->lag = -1;
	r->state = "primary: the replica is not checked yet";
	r->tick = event_new(base, -1, EV_PERSIST, replica_tick_cb, r);
	event_add(r->tick, &every);
	return r;
}

void
replica_free(struct replica *r)
{
	if (r == NULL)
		return;
	event_free(r->tick);
	pool_free(r->pool);
	free(r);
}

struct pool *
replica_reads(struct replica *r, struct pool *primary)
{
	return r != NULL && r->usable ? r->pool : primary;
}

double
replica_lag(const struct replica *r)
{
	return r != NULL ? r->lag : -1;
}

const char *
replica_state(const struct replica *r)
{
	return r != NULL ? r->state : "primary";
}
