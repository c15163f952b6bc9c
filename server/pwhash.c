/*
 * Argon2id off the event loop, on worker threads (worker.h): the loop
 * queues a job, a worker hashes, and the callback runs back on the loop.
 */
#include "pwhash.h"

#include "log.h"
#include "text.h"
#include "worker.h"
#include "xmalloc.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

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
};

struct pwhash {
	struct worker *workers;
};

static void
pwhash_job_free(void *arg)
{
	struct pwhash_job *job = arg;

	sodium_memzero(job->password, strlen(job->password));
	free(job->password);
	free(job->hash);
	free(job);
}

static void
pwhash_work(void *arg)
{
	struct pwhash_job *job = arg;
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

/* On the loop. */
static void
pwhash_deliver(void *arg)
{
	struct pwhash_job *job = arg;

	job->done(job->out, job->ok, job->arg);
	pwhash_job_free(job);
}

struct pwhash *
pwhash_new(struct event_base *base, int threads)
{
	struct pwhash *p = xcalloc(1, sizeof *p);

	if (sodium_init() < 0)
		fatalx("libsodium cannot start");
	p->workers = worker_new(base, threads, PWHASH_QUEUE_MAX);
	return p;
}

void
pwhash_free(struct pwhash *p)
{
	if (p == NULL)
		return;
	worker_free(p->workers);
	free(p);
}

static int
pwhash_queue(struct pwhash *p, enum pwhash_kind kind, const char *hash,
	     const char *password, pwhash_done_cb done, void *arg)
{
	struct pwhash_job *job = xcalloc(1, sizeof *job);

	job->kind = kind;
	job->password = xstrdup(password);
	job->hash = hash != NULL ? xstrdup(hash) : NULL;
	job->done = done;
	job->arg = arg;
	if (worker_submit(p->workers, job, pwhash_work, pwhash_deliver,
			  pwhash_job_free) != 0) {
		pwhash_job_free(job);
		return -1;
	}
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
