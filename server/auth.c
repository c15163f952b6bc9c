/*
 * Bearer-token authentication with a small cache and a limit on failed
 * attempts per client address.
 *
 * The cache holds a verified token's user for AUTH_CACHE_SECONDS: a
 * revoked token stops working within that time. Tokens are compared by
 * their hashes with CRYPTO_memcmp so timing says nothing about them.
 */
#include "auth.h"

#include "api.h"
#include "app.h"
#include "log.h"
#include "xmalloc.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define AUTH_CACHE_SIZE	   256
#define AUTH_CACHE_SECONDS 10
#define AUTH_FAIL_SLOTS	   256
#define AUTH_FAIL_WINDOW   60
#define AUTH_FAIL_LIMIT	   20

struct auth_entry {
	char hash[65];
	char *user_id;
	char *name;
	enum role role;
	time_t expires;
};

struct auth_fail {
	char addr[64];
	int count;
	time_t window;
};

struct auth_cache {
	struct auth_entry entries[AUTH_CACHE_SIZE];
	struct auth_fail fails[AUTH_FAIL_SLOTS];
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
auth_cache_new(void)
{
	return xcalloc(1, sizeof(struct auth_cache));
}

static void
auth_entry_clear(struct auth_entry *e)
{
	free(e->user_id);
	free(e->name);
	memset(e, 0, sizeof *e);
}

void
auth_cache_free(struct auth_cache *cache)
{
	if (cache == NULL)
		return;
	for (int i = 0; i < AUTH_CACHE_SIZE; i++)
		auth_entry_clear(&cache->entries[i]);
	free(cache);
}

char *
auth_token_new(void)
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
	xasprintf(&token, "jf_%.*s", (int)len, b64);
	return token;
}

void
auth_token_hash(const char *token, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)token, strlen(token), md);
	for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static struct auth_fail *
auth_fail_slot(struct auth_cache *cache, const char *addr)
{
	struct auth_fail *oldest = &cache->fails[0];
	time_t now = auth_now();

	for (int i = 0; i < AUTH_FAIL_SLOTS; i++) {
		struct auth_fail *f = &cache->fails[i];

		if (strcmp(f->addr, addr) == 0) {
			if (now - f->window >= AUTH_FAIL_WINDOW) {
				f->count = 0;
				f->window = now;
			}
			return f;
		}
		if (f->window < oldest->window)
			oldest = f;
	}
	snprintf(oldest->addr, sizeof oldest->addr, "%s", addr);
	oldest->count = 0;
	oldest->window = now;
	return oldest;
}

static void
auth_fail(struct http_ctx *ctx, const char *message)
{
	auth_fail_slot(ctx->app->auth, http_client_address(ctx))->count++;
	http_reply_error(ctx, 401, message);
}

static void
auth_accept(struct http_ctx *ctx, const struct auth_entry *e)
{
	ctx->user_id = xstrdup(e->user_id);
	ctx->user_name = xstrdup(e->name);
	ctx->role = e->role;
	http_dispatch(ctx);
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
		auth_fail(ctx, "unknown or revoked token");
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

	if (auth_fail_slot(cache, http_client_address(ctx))->count >=
	    AUTH_FAIL_LIMIT) {
		http_reply_error(ctx, 429,
				 "too many failed sign-ins; wait a minute");
		return;
	}
	if (token == NULL) {
		auth_fail(ctx, "missing bearer token");
		return;
	}
	auth_token_hash(token, hash);
	if ((e = auth_cache_find(cache, hash)) != NULL) {
		auth_accept(ctx, e);
		return;
	}
	api_query(ctx,
		  "SELECT id, name, role, token_hash FROM users"
		  " WHERE token_hash = $1 AND revoked_at IS NULL",
		  1, params, auth_lookup_done);
}
