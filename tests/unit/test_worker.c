/*
 * Unit tests for server/worker.c: jobs run on another thread and their
 * `done` on the loop's, in order of completion, every one once; the
 * queue's bound refuses; worker_free drops what was not delivered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "worker.h"

#include <event2/event.h>
#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

struct job {
	pthread_t ran_on, done_on;
	int *delivered, *dropped;
	struct event_base *base;
	int stop_after;
	useconds_t sleep;
};

static void
job_run(void *arg)
{
	struct job *j = arg;

	j->ran_on = pthread_self();
	usleep(j->sleep);
}

static void
job_done(void *arg)
{
	struct job *j = arg;

	j->done_on = pthread_self();
	if (++*j->delivered == j->stop_after)
		event_base_loopbreak(j->base);
}

static void
job_drop(void *arg)
{
	struct job *j = arg;

	++*j->dropped;
}

static void
test_runs_off_loop_answers_on_loop(void **state)
{
	struct event_base *base = event_base_new();
	struct worker *w = worker_new(base, 2, 16);
	struct job jobs[10];
	int delivered = 0, dropped = 0;

	(void)state;
	for (int i = 0; i < 10; i++) {
		jobs[i] = (struct job){.delivered = &delivered,
				       .dropped = &dropped,
				       .base = base,
				       .stop_after = 10,
				       .sleep = 1000};
		assert_int_equal(
		    worker_submit(w, &jobs[i], job_run, job_done, job_drop), 0);
	}
	event_base_dispatch(base);
	assert_int_equal(delivered, 10);
	for (int i = 0; i < 10; i++) {
		assert_false(pthread_equal(jobs[i].ran_on, pthread_self()));
		assert_true(pthread_equal(jobs[i].done_on, pthread_self()));
	}
	worker_free(w);
	assert_int_equal(dropped, 0);
	event_base_free(base);
}

static void
test_bound_and_drop(void **state)
{
	struct event_base *base = event_base_new();
	struct worker *w = worker_new(base, 1, 3);
	struct job jobs[4];
	int delivered = 0, dropped = 0;

	(void)state;
	for (int i = 0; i < 4; i++)
		jobs[i] = (struct job){.delivered = &delivered,
				       .dropped = &dropped,
				       .base = base,
				       .sleep = 20000};
	for (int i = 0; i < 3; i++)
		assert_int_equal(
		    worker_submit(w, &jobs[i], job_run, job_done, job_drop), 0);
	/* Three waiting, running or undelivered: the fourth is refused. */
	assert_int_equal(
	    worker_submit(w, &jobs[3], job_run, job_done, job_drop), -1);
	/* The loop never ran: nothing was delivered, all three dropped. */
	worker_free(w);
	assert_int_equal(delivered, 0);
	assert_int_equal(dropped, 3);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_runs_off_loop_answers_on_loop),
	    cmocka_unit_test(test_bound_and_drop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
