/*
 * Reads on a streaming replica (--replica-database-url): reports, lists
 * and the other reads (POOL_LANE_READ) go to it while it answers and
 * lags less than a bound; otherwise, and always for writes and event-day
 * work, to the primary. Checked once a second.
 */
#ifndef JF_REPLICA_H
#define JF_REPLICA_H

#include <stdbool.h>

struct event_base;
struct pool;
struct replica;

struct replica *replica_new(struct event_base *base, const char *conninfo,
			    int size, int max_queue, int read_timeout_ms,
			    double max_lag);
void replica_free(struct replica *r);

/* The pool for a read: the replica's while usable, else `primary`. */
struct pool *replica_reads(struct replica *r, struct pool *primary);

/* The last lag measured, in seconds; -1 without an answer. */
double replica_lag(const struct replica *r);

/* For /readyz: "replica", or "primary" and why (NULL r: no replica). */
const char *replica_state(const struct replica *r);

#endif
