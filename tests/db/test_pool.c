/*
 * The connection pool against a real PostgreSQL: results and errors reach
 * their callbacks from the loop (never inside pool_query), statements are
 * prepared once per connection, the wait queue is bounded, an
 * unreachable database is reported as POOL_DOWN, event-day queries go
 * first and have connections of their own, and reads run under the read
 * timeout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "fixture.h"
#include "pool.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *test_url;

struct outcome {
	int calls;
	char value[256];
	char sqlstate[6];
	bool lost;
	struct event_base *base;
	int stop_after;
	int *done;
	int order; /* 1 for the first query to complete, and so on */
};

static int completed;

static void
outcome_cb(const PGresult *res, const char *error, void *arg)
{
	struct outcome *o = arg;

	o->calls++;
	o->order = ++completed;
	if (res == NULL)
		o->lost = error != NULL;
	else if (PQresultStatus(res) == PGRES_TUPLES_OK)
		snprintf(o->value, sizeof o->value, "%s",
			 PQgetvalue(res, 0, 0));
	else
		snprintf(o->sqlstate, sizeof o->sqlstate, "%s",
			 PQresultErrorField(res, PG_DIAG_SQLSTATE));
	if (o->done != NULL && ++*o->done == o->stop_after)
		event_base_loopbreak(o->base);
}

static int
setup(void **state)
{
	(void)state;
	test_url = fixture_url_new();
	return test_url ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	free(test_url);
	return 0;
}

static void
run_until(struct event_base *base, int seconds)
{
	struct timeval tv = {seconds, 0};

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static void
test_results_arrive_from_the_loop(void **state)
{
	struct event_base *base = event_base_new();
	struct pool *p = pool_new(base, test_url, 2, 16);
	const char *params[1] = {"41"};
	int done = 0;
	struct outcome a = {.base = base, .stop_after = 2, .done = &done};
	struct outcome b = {.base = base, .stop_after = 2, .done = &done};

	(void)state;
	assert_int_equal(pool_query(p, POOL_LANE_DEFAULT, "SELECT $1::int + 1",
				    1, params, outcome_cb, &a),
			 POOL_QUEUED);
	assert_int_equal(pool_query(p, POOL_LANE_DEFAULT, "SELECT 1/0", 0, NULL,
				    outcome_cb, &b),
			 POOL_QUEUED);
	/* Nothing runs inside pool_query. */
	assert_int_equal(a.calls + b.calls, 0);
	run_until(base, 10);
	assert_int_equal(a.calls, 1);
	assert_string_equal(a.value, "42");
	assert_int_equal(b.calls, 1);
	assert_string_equal(b.sqlstate, "22012");
	assert_true(pool_healthy(p) >= 1);
	pool_free(p);
	event_base_free(base);
}

#define PREPARED_SQL                                                           \
	"SELECT string_agg(name || '=' || statement, ',' ORDER BY name) "      \
	"FROM pg_prepared_statements"

static void
test_statements_are_prepared_once(void **state)
{
	struct event_base *base = event_base_new();
	struct pool *p = pool_new(base, test_url, 1, 16);
	struct outcome o[4] = {{0}};
	const char *sql[4] = {"SELECT 1/0", "SELEC 1", PREPARED_SQL,
			      PREPARED_SQL};
	int done = 0;

	(void)state;
	for (int i = 0; i < 4; i++) {
		o[i].base = base;
		o[i].done = &done;
		o[i].stop_after = 4;
		assert_int_equal(pool_query(p, POOL_LANE_DEFAULT, sql[i], 0,
					    NULL, outcome_cb, &o[i]),
				 POOL_QUEUED);
	}
	run_until(base, 10);
	assert_int_equal(done, 4);
	/* Prepared, then failed when run. */
	assert_string_equal(o[0].sqlstate, "22012");
	/* Refused when prepared: its job gets the error, it takes no name. */
	assert_string_equal(o[1].sqlstate, "42601");
	/* Prepared before it first ran, and not again the second time. */
	assert_string_equal(o[2].value, "jf0=SELECT 1/0,jf1=" PREPARED_SQL);
	assert_string_equal(o[3].value, o[2].value);
	pool_free(p);
	event_base_free(base);
}

static void
test_queue_is_bounded(void **state)
{
	struct event_base *base = event_base_new();
	struct pool *p = pool_new(base, test_url, 1, 3);
	struct outcome o[4] = {{0}};
	int done = 0;

	(void)state;
	for (int i = 0; i < 3; i++) {
		o[i].base = base;
		o[i].done = &done;
		o[i].stop_after = 3;
		assert_int_equal(pool_query(p, POOL_LANE_DEFAULT,
					    "SELECT pg_sleep(0.05)::text", 0,
					    NULL, outcome_cb, &o[i]),
				 POOL_QUEUED);
	}
	assert_int_equal(pool_query(p, POOL_LANE_DEFAULT, "SELECT 1", 0, NULL,
				    outcome_cb, &o[3]),
			 POOL_FULL);
	run_until(base, 10);
	assert_int_equal(done, 3);
	assert_int_equal(o[3].calls, 0);
	pool_free(p);
	event_base_free(base);
}

static void
run_for_ms(struct event_base *base, int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

/*
 * Reads fill the general connection; a check-in queued after them runs at
 * once on the connection kept for event-day work.
 */
static void
test_eventday_has_its_own_connection(void **state)
{
	struct event_base *base = event_base_new();
	struct pool *p = pool_new(base, test_url, 2, 16);
	struct outcome o[4] = {{0}};
	int done = 0;

	(void)state;
	pool_set_lanes(p, 1, 2, 0);
	run_for_ms(base, 500); /* both connections up */
	completed = 0;
	for (int i = 0; i < 4; i++) {
		o[i].base = base;
		o[i].done = &done;
		o[i].stop_after = 4;
	}
	for (int i = 0; i < 3; i++)
		assert_int_equal(pool_query(p, POOL_LANE_READ,
					    "SELECT pg_sleep(0.3)::text", 0,
					    NULL, outcome_cb, &o[i]),
				 POOL_QUEUED);
	run_for_ms(base, 100); /* the first read is running */
	assert_int_equal(pool_query(p, POOL_LANE_EVENTDAY, "SELECT 'in'", 0,
				    NULL, outcome_cb, &o[3]),
			 POOL_QUEUED);
	run_until(base, 10);
	assert_int_equal(done, 4);
	assert_string_equal(o[3].value, "in");
	assert_int_equal(o[3].order, 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(o[i].order, i + 2);
	pool_free(p);
	event_base_free(base);
}

/* One connection: event-day work queued last still runs first. */
static void
test_eventday_goes_first(void **state)
{
	struct event_base *base = event_base_new();
	struct pool *p = pool_new(base, test_url, 1, 16);
	struct outcome o[4] = {{0}};
	int done = 0;

	(void)state;
	completed = 0;
	for (int i = 0; i < 4; i++) {
		o[i].base = base;
		o[i].done = &done;
		o[i].stop_after = 4;
		assert_int_equal(
		    pool_query(p,
			       i < 3 ? POOL_LANE_DEFAULT : POOL_LANE_EVENTDAY,
			       "SELECT 1", 0, NULL, outcome_cb, &o[i]),
		    POOL_QUEUED);
	}
	run_until(base, 10);
	assert_int_equal(done, 4);
	assert_int_equal(o[3].order, 1);
	pool_free(p);
	event_base_free(base);
}

/* Reads run at most max_reads at once, after writes waiting with them. */
static void
test_reads_are_bounded(void **state)
{
	struct event_base *base = event_base_new();
	struct pool *p = pool_new(base, test_url, 3, 16);
	struct outcome o[3] = {{0}};
	struct timespec t0, t1;
	int done = 0;

	(void)state;
	pool_set_lanes(p, 0, 1, 0);
	run_for_ms(base, 500); /* every connection up */
	completed = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 3; i++) {
		o[i].base = base;
		o[i].done = &done;
		o[i].stop_after = 3;
		assert_int_equal(
		    pool_query(p, i < 2 ? POOL_LANE_READ : POOL_LANE_DEFAULT,
			       i < 2 ? "SELECT pg_sleep(0.3)::text"
				     : "SELECT 1",
			       0, NULL, outcome_cb, &o[i]),
		    POOL_QUEUED);
	}
	run_until(base, 10);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(done, 3);
	assert_int_equal(o[2].order, 1);
	/* One after the other although three connections were idle. */
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 +
			(t1.tv_nsec - t0.tv_nsec) / 1000000 >=
		    580);
	pool_free(p);
	event_base_free(base);
}

/* A read over the timeout is cancelled; other queries have none. */
static void
test_reads_have_a_timeout(void **state)
{
	static const char setting[] =
	    "SELECT current_setting('statement_timeout')";
	struct event_base *base = event_base_new();
	struct pool *p = pool_new(base, test_url, 1, 16);
	struct outcome o[5] = {{0}};
	int done = 0;

	(void)state;
	pool_set_lanes(p, 0, 1, 200);
	for (int i = 0; i < 5; i++) {
		o[i].base = base;
		o[i].done = &done;
		o[i].stop_after = 5;
	}
	pool_query(p, POOL_LANE_READ, "SELECT pg_sleep(2)::text", 0, NULL,
		   outcome_cb, &o[0]);
	pool_query(p, POOL_LANE_DEFAULT, "SELECT pg_sleep(0.4)::text", 0, NULL,
		   outcome_cb, &o[1]);
	pool_query(p, POOL_LANE_READ, setting, 0, NULL, outcome_cb, &o[2]);
	pool_query(p, POOL_LANE_EVENTDAY, "SELECT pg_sleep(0.4)::text", 0, NULL,
		   outcome_cb, &o[3]);
	pool_query(p, POOL_LANE_DEFAULT, setting, 0, NULL, outcome_cb, &o[4]);
	run_until(base, 10);
	assert_int_equal(done, 5);
	assert_string_equal(o[0].sqlstate, "57014");
	assert_string_equal(o[1].sqlstate, "");
	assert_string_equal(o[2].value, "200ms");
	assert_string_equal(o[3].sqlstate, "");
	assert_string_equal(o[4].value, "0");
	pool_free(p);
	event_base_free(base);
}

static void
test_unreachable_database_is_down(void **state)
{
	struct event_base *base = event_base_new();
	struct pool *p = pool_new(
	    base, "postgresql:///x?host=/nonexistent-jobfair&connect_timeout=1",
	    2, 16);
	struct outcome queued = {0};
	enum pool_status st;

	(void)state;
	/*
	 * libpq may fail a Unix-socket connection at once or after a poll:
	 * work queued before the failure is failed then, not kept.
	 */
	st = pool_query(p, POOL_LANE_DEFAULT, "SELECT 1", 0, NULL, outcome_cb,
			&queued);
	run_until(base, 1);
	if (st == POOL_QUEUED) {
		assert_int_equal(queued.calls, 1);
		assert_true(queued.lost);
	} else
		assert_int_equal(st, POOL_DOWN);
	assert_int_equal(pool_healthy(p), 0);
	assert_int_equal(pool_query(p, POOL_LANE_DEFAULT, "SELECT 1", 0, NULL,
				    outcome_cb, NULL),
			 POOL_DOWN);
	pool_free(p);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_results_arrive_from_the_loop),
	    cmocka_unit_test(test_statements_are_prepared_once),
	    cmocka_unit_test(test_queue_is_bounded),
	    cmocka_unit_test(test_eventday_has_its_own_connection),
	    cmocka_unit_test(test_eventday_goes_first),
	    cmocka_unit_test(test_reads_are_bounded),
	    cmocka_unit_test(test_reads_have_a_timeout),
	    cmocka_unit_test(test_unreachable_database_is_down),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
