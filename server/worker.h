/*
 * Worker threads for work too slow for the event loop (password hashing,
 * PDF and spreadsheet rendering). A job runs on a worker thread and its
 * `done` runs afterwards on the loop thread, so a job touches only its own
 * memory while it runs and the loop's objects only in `done`.
 */
#ifndef JF_WORKER_H
#define JF_WORKER_H

struct event_base;
struct worker;

/* On a worker thread: the slow part, on the job's own memory. */
typedef void (*worker_run_cb)(void *job);
/* On the loop: the answer. It owns the job from then on. */
typedef void (*worker_done_cb)(void *job);
/* Frees a job that never ran or was never delivered (at worker_free). */
typedef void (*worker_drop_cb)(void *job);

/* `threads` (1..8) workers; more than `queue_max` jobs waiting: refused. */
struct worker *worker_new(struct event_base *base, int threads, int queue_max);
/* Joins the workers; jobs not yet delivered are dropped without `done`. */
void worker_free(struct worker *w);

/* Queues a job; -1 when queue_max jobs are waiting (answer 503). */
int worker_submit(struct worker *w, void *job, worker_run_cb run,
		  worker_done_cb done, worker_drop_cb drop);

#endif
