/*
 * Bearer-token authentication. Tokens are random, shown once and stored
 * only as their SHA-256; a short-lived cache keeps the hot path (a
 * check-in) at one database statement. Failed attempts are limited per
 * client address and per token prefix without ever refusing a token that
 * verifies; each user has a cap on requests in flight.
 */
#ifndef JF_AUTH_H
#define JF_AUTH_H

#include "http.h"
#include "roles.h"

struct auth_cache;

/* user_max: requests one user may have in flight; past it, 429. */
struct auth_cache *auth_cache_new(int user_max);
void auth_cache_free(struct auth_cache *cache);
/* Forgets every verified token: a user was revoked. */
void auth_cache_forget(struct auth_cache *cache);

/* Resolves the caller of ctx, then dispatches or replies 401/429/503. */
void auth_begin(struct http_ctx *ctx);
/* A request of user_id that auth_begin dispatched has been answered. */
void auth_release(struct auth_cache *cache, const char *user_id);

/* The token of an "Authorization: Bearer …" value, borrowed, or NULL. */
const char *auth_bearer(const char *header);
/* Whether that token was verified lately: no database needed to know. */
bool auth_known(struct auth_cache *cache, const char *header);

/* A new random token ("jf_" and 43 base64url characters); caller frees. */
char *auth_token_new(void);
/* The same with another prefix (access links' "jfl_"); caller frees. */
char *auth_secret_new(const char *prefix);
/*
 * A credential (`token`, or NULL when none was shown) did not verify:
 * 401, or 429 once its address or prefix failed too often.
 */
void auth_failed(struct http_ctx *ctx, const char *token, const char *message);
/* Hex SHA-256 of a token into out[65]. */
void auth_token_hash(const char *token, char out[65]);
/* "admin" → ROLE_ADMIN; 0 for an unknown name. */
enum role auth_role_parse(const char *name);
const char *auth_role_name(enum role role);

#endif
