/*
 * Bearer-token authentication with a small cache, a limit on failed
 * attempts and a cap on each user's requests in flight.
 *
 * The cache holds a verified token's user for AUTH_CACHE_SECONDS: a
 * revoked token stops working within that time, or at once when the
 * revocation is announced (auth_cache_forget). Tokens are compared by
 * their hashes with CRYPTO_memcmp so timing says nothing about them.
 *
 * A token that verifies is always served: the failure counts only decide
 * how a failing attempt is answered (401, or 429 once the client address
 * or the token's first AUTH_PREFIX_LEN characters failed AUTH_FAIL_LIMIT
 * times in the window). Checking the count first, as before, let twenty
 * bad requests from a venue's shared address lock out every desk behind
 * it.
 */
#include "auth.h"

#include "api.h"
#include "app.h"
#include "digest.h"
#include "log.h"
#include "proxy.h"
#include "routes.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define AUTH_CACHE_SIZE	   256
#define AUTH_CACHE_SECONDS 10
#define AUTH_FAIL_SLOTS	   256
#define AUTH_FAIL_WINDOW   60
#define AUTH_FAIL_LIMIT	   20
#define AUTH_PREFIX_LEN	   8
/* A refused request is answered after 0.5 to 1.5 s (see auth_refuse). */
#define AUTH_REFUSE_MS 500

struct auth_entry {
	char hash[65];
	char *user_id;
	char *name;
	enum role role;
	time_t expires;
};

/* Failures of one key: "a:" and an address, or "t:" and a token prefix. */
struct auth_fail {
	char key[72];
	int count;
	time_t window;
};

/* Requests in flight of one user with any. */
struct auth_busy {
	char *user_id;
	int n;
};

struct auth_cache {
	struct auth_entry entries[AUTH_CACHE_SIZE];
	struct auth_fail fails[AUTH_FAIL_SLOTS];
	struct auth_busy *busy;
	int nbusy, busy_cap;
	int user_max;
};

static const struct {
	enum role role;
	const char *name;
} auth_roles[] = {
    {ROLE_ADMIN, "admin"},
    {ROLE_ORGANIZER, "organizer"},
    {ROLE_FRONTDESK, "frontdesk"},
    {ROLE_VIEWER, "viewer"},
};

enum role
auth_role_parse(const char *name)
{
	for (size_t i = 0; i < sizeof auth_roles / sizeof *auth_roles; i++)
		if (name != NULL && strcmp(name, auth_roles[i].name) == 0)
			return auth_roles[i].role;
	return 0;
}

const char *
auth_role_name(enum role role)
{
	for (size_t i = 0; i < sizeof auth_roles / sizeof *auth_roles; i++)
		if (auth_roles[i].role == role)
			return auth_roles[i].name;
	return "unknown";
}

static time_t
auth_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

struct auth_cache *
auth_cache_new(int user_max)
{
	struct auth_cache *cache = xcalloc(1, sizeof *cache);

	cache->user_max = user_max;
	return cache;
}

static void
auth_entry_clear(struct auth_entry *e)
{
	free(e->user_id);
	free(e->name);
	memset(e, 0, sizeof *e);
}

void
auth_cache_forget(struct auth_cache *cache)
{
	for (int i = 0; i < AUTH_CACHE_SIZE; i++)
		auth_entry_clear(&cache->entries[i]);
}

void
auth_cache_free(struct auth_cache *cache)
{
	if (cache == NULL)
		return;
	auth_cache_forget(cache);
	for (int i = 0; i < cache->nbusy; i++)
		free(cache->busy[i].user_id);
	free(cache->busy);
	free(cache);
}

char *
auth_token_new(void)
{
	return auth_secret_new("jf_");
}

char *
auth_secret_new(const char *prefix)
{
	unsigned char raw[32];
	unsigned char b64[48];
	char *token;
	size_t len;

	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		fatal("getrandom");
	EVP_EncodeBlock(b64, raw, sizeof raw);
	/* base64url without padding: safe in headers and shell alike. */
	for (len = 0; b64[len] != '\0' && b64[len] != '='; len++) {
		if (b64[len] == '+')
			b64[len] = '-';
		else if (b64[len] == '/')
			b64[len] = '_';
	}
	xasprintf(&token, "%s%.*s", prefix, (int)len, b64);
	return token;
}

void
auth_token_hash(const char *token, char out[65])
{
	digest_sha256_hex(token, strlen(token), out);
}

static struct auth_fail *
auth_fail_slot(struct auth_cache *cache, const char *kind, const char *what)
{
	struct auth_fail *oldest = &cache->fails[0];
	time_t now = auth_now();
	char key[sizeof oldest->key];

	snprintf(key, sizeof key, "%s:%s", kind, what);
	for (int i = 0; i < AUTH_FAIL_SLOTS; i++) {
		struct auth_fail *f = &cache->fails[i];

		if (strcmp(f->key, key) == 0) {
			if (now - f->window >= AUTH_FAIL_WINDOW) {
				f->count = 0;
				f->window = now;
			}
			return f;
		}
		if (f->window < oldest->window)
			oldest = f;
	}
	memcpy(oldest->key, key, sizeof key);
	oldest->count = 0;
	oldest->window = now;
	return oldest;
}

/* Seconds until a key's window ends, at least one. */
static int
auth_fail_wait(const struct auth_fail *f)
{
	time_t left = f->window + AUTH_FAIL_WINDOW - auth_now();

	return left > 0 ? (int)left : 1;
}

struct auth_refusal {
	struct http_ctx *ctx;
	int wait;
	const char *message; /* static */
};

static void
auth_refuse_cb(evutil_socket_t fd, short what, void *arg)
{
	struct auth_refusal *r = arg;

	(void)fd;
	(void)what;
	http_reply_retry(r->ctx, 429, r->wait, r->message);
	free(r);
}

/*
 * 429 with Retry-After, answered only after a pause: a client that
 * retries at once, on hundreds of connections, would otherwise keep the
 * event loop busy answering it while the desks wait their turn. The
 * pause varies, or the refusals would come due together and a check-in
 * would wait behind each wave of them.
 */
static void
auth_refuse(struct http_ctx *ctx, int wait, const char *message)
{
	struct auth_refusal *r = xcalloc(1, sizeof *r);
	long ms = AUTH_REFUSE_MS + arc4random_uniform(2 * AUTH_REFUSE_MS);
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	r->ctx = ctx;
	r->wait = wait;
	r->message = message;
	if (event_base_once(ctx->app->base, -1, EV_TIMEOUT, auth_refuse_cb, r,
			    &tv) != 0)
		auth_refuse_cb(-1, 0, r);
}

/*
 * Counts a failed attempt against the address and, when one was shown,
 * the token's prefix; past the limit of either, 429 with how long to
 * wait.
 */
void
auth_failed(struct http_ctx *ctx, const char *token, const char *message)
{
	struct auth_cache *cache = ctx->app->auth;
	struct auth_fail *f[2];
	char prefix[AUTH_PREFIX_LEN + 1];
	char address[64];
	int n = 0, wait = 0;

	proxies_client_address(ctx, address);
	f[n++] = auth_fail_slot(cache, "a", address);
	if (token != NULL) {
		snprintf(prefix, sizeof prefix, "%s", token);
		f[n++] = auth_fail_slot(cache, "t", prefix);
	}
	for (int i = 0; i < n; i++)
		if (++f[i]->count > AUTH_FAIL_LIMIT &&
		    auth_fail_wait(f[i]) > wait)
			wait = auth_fail_wait(f[i]);
	if (wait > 0)
		auth_refuse(ctx, wait,
			    "too many failed sign-ins; wait and retry");
	else
		http_reply_error(ctx, 401, message);
}

static struct auth_busy *
auth_busy_find(struct auth_cache *cache, const char *user_id)
{
	for (int i = 0; i < cache->nbusy; i++)
		if (strcmp(cache->busy[i].user_id, user_id) == 0)
			return &cache->busy[i];
	return NULL;
}

/* Takes one of the user's places for requests in flight, or answers 429. */
static void
auth_accept(struct http_ctx *ctx, const struct auth_entry *e)
{
	struct auth_cache *cache = ctx->app->auth;
	struct auth_busy *b = auth_busy_find(cache, e->user_id);

	ctx->user_name = xstrdup(e->name);
	if (b != NULL && b->n >= cache->user_max) {
		auth_refuse(ctx, 1, "too many of your requests at once; retry");
		return;
	}
	if (b == NULL) {
		if (cache->nbusy == cache->busy_cap) {
			cache->busy_cap =
			    cache->busy_cap ? 2 * cache->busy_cap : 16;
			cache->busy = xrealloc(
			    cache->busy, cache->busy_cap * sizeof *cache->busy);
		}
		b = &cache->busy[cache->nbusy++];
		b->user_id = xstrdup(e->user_id);
		b->n = 0;
	}
	b->n++;
	ctx->user_id = xstrdup(e->user_id);
	ctx->role = e->role;
	routes_dispatch(ctx);
}

void
auth_release(struct auth_cache *cache, const char *user_id)
{
	struct auth_busy *b = auth_busy_find(cache, user_id);

	if (b == NULL || --b->n > 0)
		return;
	free(b->user_id);
	*b = cache->busy[--cache->nbusy];
}

static struct auth_entry *
auth_cache_find(struct auth_cache *cache, const char *hash)
{
	time_t now = auth_now();

	for (int i = 0; i < AUTH_CACHE_SIZE; i++) {
		struct auth_entry *e = &cache->entries[i];

		if (e->user_id != NULL && e->expires > now &&
		    CRYPTO_memcmp(e->hash, hash, 64) == 0)
			return e;
	}
	return NULL;
}

static struct auth_entry *
auth_cache_slot(struct auth_cache *cache)
{
	struct auth_entry *oldest = &cache->entries[0];

	for (int i = 0; i < AUTH_CACHE_SIZE; i++) {
		if (cache->entries[i].user_id == NULL)
			return &cache->entries[i];
		if (cache->entries[i].expires < oldest->expires)
			oldest = &cache->entries[i];
	}
	auth_entry_clear(oldest);
	return oldest;
}

static void
auth_lookup_done(struct http_ctx *ctx, const PGresult *res)
{
	struct auth_entry *e;

	if (PQntuples(res) != 1) {
		auth_failed(ctx, http_header(ctx, "Authorization") + 7,
			    "unknown or revoked token");
		return;
	}
	e = auth_cache_slot(ctx->app->auth);
	memcpy(e->hash, PQgetvalue(res, 0, 3), 64);
	e->user_id = xstrdup(PQgetvalue(res, 0, 0));
	e->name = xstrdup(PQgetvalue(res, 0, 1));
	e->role = auth_role_parse(PQgetvalue(res, 0, 2));
	e->expires = auth_now() + AUTH_CACHE_SECONDS;
	auth_accept(ctx, e);
}

const char *
auth_bearer(const char *header)
{
	if (header == NULL || strncmp(header, "Bearer ", 7) != 0 ||
	    header[7] == '\0')
		return NULL;
	return header + 7;
}

bool
auth_known(struct auth_cache *cache, const char *header)
{
	const char *token = auth_bearer(header);
	char hash[65];

	if (token == NULL)
		return false;
	auth_token_hash(token, hash);
	return auth_cache_find(cache, hash) != NULL;
}

void
auth_begin(struct http_ctx *ctx)
{
	const char *header = http_header(ctx, "Authorization");
	struct auth_cache *cache = ctx->app->auth;
	const struct auth_entry *e;
	char hash[65];
	const char *params[1] = {hash};
	const char *token = auth_bearer(header);

	if (token == NULL) {
		auth_failed(ctx, NULL, "missing bearer token");
		return;
	}
	auth_token_hash(token, hash);
	memcpy(ctx->credential, hash, sizeof ctx->credential);
	if ((e = auth_cache_find(cache, hash)) != NULL) {
		auth_accept(ctx, e);
		return;
	}
	api_query(ctx,
		  "SELECT id, name, role, token_hash FROM users"
		  " WHERE token_hash = $1 AND revoked_at IS NULL",
		  1, params, auth_lookup_done);
}
