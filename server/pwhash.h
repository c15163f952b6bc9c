/*
 * Password hashing with Argon2id (libsodium's crypto_pwhash_str). A hash
 * takes a large fraction of a second and 64 MiB on purpose, so the server
 * never does it on the event loop: a few worker threads do, and the
 * answer comes back to the loop through a pipe. The shell commands hash
 * in place with pwhash_str.
 */
#ifndef JF_PWHASH_H
#define JF_PWHASH_H

#include <stdbool.h>

struct event_base;
struct pwhash;

/* crypto_pwhash_STRBYTES: a hash string with its terminator fits. */
#define PWHASH_LEN	    128
#define PWHASH_MIN_PASSWORD 8
#define PWHASH_MAX_PASSWORD 128

/*
 * Runs on the loop. `hash` (borrowed) is the new hash for pwhash_hash;
 * `ok` says whether the password matched for pwhash_verify, or whether
 * hashing worked.
 */
typedef void (*pwhash_done_cb)(const char *hash, bool ok, void *arg);

struct pwhash *pwhash_new(struct event_base *base, int threads);
/* Joins the workers; jobs still queued are dropped without a callback. */
void pwhash_free(struct pwhash *p);

/* Queue a job; -1 when too many are waiting (answer 503). */
int pwhash_hash(struct pwhash *p, const char *password, pwhash_done_cb done,
		void *arg);
/*
 * With hash NULL (an unknown user) the worker spends the same time and
 * answers false, so the time taken says nothing about the name.
 */
int pwhash_verify(struct pwhash *p, const char *hash, const char *password,
		  pwhash_done_cb done, void *arg);

/* Blocking, for the shell commands: 0, or -1 when out of memory. */
int pwhash_str(const char *password, char out[PWHASH_LEN]);

/* NULL when acceptable, else why not (for a field error). */
const char *pwhash_password_problem(const char *password);

#endif
