/*
 * Jobs wait in a bounded FIFO guarded by a mutex; each worker takes one,
 * runs it, and writes its pointer to a pipe the loop reads, so `done`
 * only ever runs on the loop thread and libevent needs no locking. A
 * pointer is smaller than PIPE_BUF, so each write arrives whole.
 */
#include "worker.h"

#include "log.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#define WORKER_MAX_THREADS 8

struct worker_job {
	void *job;
	worker_run_cb run;
	worker_done_cb done;
	worker_drop_cb drop;
	struct worker_job *next;
};

struct worker {
	pthread_t threads[WORKER_MAX_THREADS];
	int nthreads;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct worker_job *head, *tail;
	int queued; /* waiting, running or not yet delivered */
	int queue_max;
	bool stopping;
	int pipe[2];
	struct event *ready;
};

static void
worker_job_drop(struct worker_job *j)
{
	j->drop(j->job);
	free(j);
}

static void *
worker_thread(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		struct worker_job *j;

		pthread_mutex_lock(&w->lock);
		while (w->head == NULL && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->stopping) {
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		j = w->head;
		w->head = j->next;
		if (w->head == NULL)
			w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		j->run(j->job);
		if (write(w->pipe[1], &j, sizeof j) != sizeof j)
			fatal("worker: cannot hand a result to the loop");
	}
}

/* On the loop: each pointer read is a finished job. */
static void
worker_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct worker_job *j;

	(void)what;
	while (read(fd, &j, sizeof j) == sizeof j) {
		pthread_mutex_lock(&w->lock);
		w->queued--;
		pthread_mutex_unlock(&w->lock);
		j->done(j->job);
		free(j);
	}
}

struct worker *
worker_new(struct event_base *base, int threads, int queue_max)
{
	struct worker *w = xcalloc(1, sizeof *w);

	if (pipe2(w->pipe, O_CLOEXEC) != 0)
		fatal("pipe");
	/* Only the loop's end is non-blocking: workers may wait to write. */
	if (fcntl(w->pipe[0], F_SETFL, O_NONBLOCK) != 0)
		fatal("fcntl");
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	w->queue_max = queue_max;
	w->ready = event_new(base, w->pipe[0], EV_READ | EV_PERSIST,
			     worker_ready_cb, w);
	event_add(w->ready, NULL);
	if (threads < 1)
		threads = 1;
	if (threads > WORKER_MAX_THREADS)
		threads = WORKER_MAX_THREADS;
	for (w->nthreads = 0; w->nthreads < threads; w->nthreads++)
		if (pthread_create(&w->threads[w->nthreads], NULL,
				   worker_thread, w) != 0)
			fatal("pthread_create");
	return w;
}

void
worker_free(struct worker *w)
{
	struct worker_job *j;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	for (int i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i], NULL);
	/* Finished but not yet delivered, then never started. */
	while (read(w->pipe[0], &j, sizeof j) == sizeof j)
		worker_job_drop(j);
	while ((j = w->head) != NULL) {
		w->head = j->next;
		worker_job_drop(j);
	}
	event_free(w->ready);
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w);
}

int
worker_submit(struct worker *w, void *job, worker_run_cb run,
	      worker_done_cb done, worker_drop_cb drop)
{
	struct worker_job *j;

	pthread_mutex_lock(&w->lock);
	if (w->queued >= w->queue_max) {
		pthread_mutex_unlock(&w->lock);
		return -1;
	}
	w->queued++;
	pthread_mutex_unlock(&w->lock);
	j = xcalloc(1, sizeof *j);
	*j = (struct worker_job){
	    .job = job, .run = run, .done = done, .drop = drop};
	pthread_mutex_lock(&w->lock);
	if (w->tail != NULL)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return 0;
}
