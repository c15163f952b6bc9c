/*
 * Argon2id off the event loop. Jobs wait in a bounded FIFO guarded by a
 * mutex; each worker takes one, hashes, and writes the job's pointer to a
 * pipe the loop reads, so callbacks only ever run on the loop thread and
 * libevent needs no locking. A pointer is smaller than PIPE_BUF, so each
 * write arrives whole.
 */
#include "pwhash.h"

#include "log.h"
#include "text.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PWHASH_MAX_THREADS 8
/* Sign-ins queued beyond this answer 503: 64 × ~0.3 s is a long wait. */
#define PWHASH_QUEUE_MAX 64

enum pwhash_kind { PWHASH_HASH, PWHASH_VERIFY };

struct pwhash_job {
	enum pwhash_kind kind;
	char *password;
	char *hash; /* verify: the stored hash, or NULL */
	char out[PWHASH_LEN];
	bool ok;
	pwhash_done_cb done;
	void *arg;
	struct pwhash_job *next;
};

struct pwhash {
	pthread_t threads[PWHASH_MAX_THREADS];
	int nthreads;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct pwhash_job *head, *tail;
	int queued;
	bool stopping;
	int pipe[2];
	struct event *ready;
};

static void
pwhash_job_free(struct pwhash_job *job)
{
	sodium_memzero(job->password, strlen(job->password));
	free(job->password);
	free(job->hash);
	free(job);
}

static void
pwhash_work(struct pwhash_job *job)
{
	size_t len = strlen(job->password);

	if (job->kind == PWHASH_HASH)
		job->ok =
		    crypto_pwhash_str(job->out, job->password, len,
				      crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
	else if (job->hash != NULL)
		job->ok = crypto_pwhash_str_verify(job->hash, job->password,
						   len) == 0;
	else {
		/*
		 * The same work as a real verify, for an unknown name; the
		 * answer is no whatever the hashing did.
		 */
		int spent =
		    crypto_pwhash_str(job->out, job->password, len,
				      crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE);

		(void)spent;
		job->ok = false;
	}
}

static void *
pwhash_worker(void *arg)
{
	struct pwhash *p = arg;

	for (;;) {
		struct pwhash_job *job;

		pthread_mutex_lock(&p->lock);
		while (p->head == NULL && !p->stopping)
			pthread_cond_wait(&p->wake, &p->lock);
		if (p->stopping) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		job = p->head;
		p->head = job->next;
		if (p->head == NULL)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		pwhash_work(job);
		if (write(p->pipe[1], &job, sizeof job) != sizeof job)
			fatal("pwhash: cannot hand a result to the loop");
	}
}

/* On the loop: each pointer read is a finished job. */
static void
pwhash_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pwhash *p = arg;
	struct pwhash_job *job;

	(void)what;
	while (read(fd, &job, sizeof job) == sizeof job) {
		pthread_mutex_lock(&p->lock);
		p->queued--;
		pthread_mutex_unlock(&p->lock);
		job->done(job->out, job->ok, job->arg);
		pwhash_job_free(job);
	}
}

struct pwhash *
pwhash_new(struct event_base *base, int threads)
{
	struct pwhash *p = xcalloc(1, sizeof *p);

	if (sodium_init() < 0)
		fatalx("libsodium cannot start");
	if (pipe2(p->pipe, O_CLOEXEC) != 0)
		fatal("pipe");
	/* Only the loop's end is non-blocking: workers may wait to write. */
	if (fcntl(p->pipe[0], F_SETFL, O_NONBLOCK) != 0)
		fatal("fcntl");
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->ready = event_new(base, p->pipe[0], EV_READ | EV_PERSIST,
			     pwhash_ready_cb, p);
	event_add(p->ready, NULL);
	if (threads < 1)
		threads = 1;
	if (threads > PWHASH_MAX_THREADS)
		threads = PWHASH_MAX_THREADS;
	for (p->nthreads = 0; p->nthreads < threads; p->nthreads++)
		if (pthread_create(&p->threads[p->nthreads], NULL,
				   pwhash_worker, p) != 0)
			fatal("pthread_create");
	return p;
}

void
pwhash_free(struct pwhash *p)
{
	struct pwhash_job *job;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	/* Finished but not yet delivered, then never started. */
	while (read(p->pipe[0], &job, sizeof job) == sizeof job)
		pwhash_job_free(job);
	while ((job = p->head) != NULL) {
		p->head = job->next;
		pwhash_job_free(job);
	}
	event_free(p->ready);
	close(p->pipe[0]);
	close(p->pipe[1]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	free(p);
}

static int
pwhash_queue(struct pwhash *p, enum pwhash_kind kind, const char *hash,
	     const char *password, pwhash_done_cb done, void *arg)
{
	struct pwhash_job *job;

	pthread_mutex_lock(&p->lock);
	if (p->queued >= PWHASH_QUEUE_MAX) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	p->queued++;
	pthread_mutex_unlock(&p->lock);
	job = xcalloc(1, sizeof *job);
	job->kind = kind;
	job->password = xstrdup(password);
	job->hash = hash != NULL ? xstrdup(hash) : NULL;
	job->done = done;
	job->arg = arg;
	pthread_mutex_lock(&p->lock);
	if (p->tail != NULL)
		p->tail->next = job;
	else
		p->head = job;
	p->tail = job;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int
pwhash_hash(struct pwhash *p, const char *password, pwhash_done_cb done,
	    void *arg)
{
	return pwhash_queue(p, PWHASH_HASH, NULL, password, done, arg);
}

int
pwhash_verify(struct pwhash *p, const char *hash, const char *password,
	      pwhash_done_cb done, void *arg)
{
	return pwhash_queue(p, PWHASH_VERIFY, hash, password, done, arg);
}

int
pwhash_str(const char *password, char out[PWHASH_LEN])
{
	if (sodium_init() < 0)
		return -1;
	return crypto_pwhash_str(out, password, strlen(password),
				 crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

const char *
pwhash_password_problem(const char *password)
{
	size_t len = strlen(password);

	if (!text_valid_utf8(password, len))
		return "must be valid UTF-8";
	if (len < PWHASH_MIN_PASSWORD)
		return "must be at least 8 characters";
	if (len > PWHASH_MAX_PASSWORD)
		return "must be at most 128 bytes";
	return NULL;
}
