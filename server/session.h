/*
 * Browser sessions for the back office. Staff sign in with a name and a
 * password (verified off the loop, pwhash.h); the session is a random
 * 256-bit id in an HttpOnly, SameSite=Strict cookie, stored only as its
 * SHA-256, checked in the database on every request (so a sign-out or a
 * revocation takes effect at once) and forgotten after an idle time.
 * A request that changes something with the cookie must carry the
 * session's CSRF token and, if it says where it comes from, our origin.
 * Failed sign-ins are limited per name, per name and address, and per
 * address.
 */
#ifndef JF_SESSION_H
#define JF_SESSION_H

#include "http.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

struct sessions;

struct session_settings {
	long idle_seconds;
	bool secure_cookies; /* Secure on every cookie, TLS or not */
};

struct sessions *session_new(const struct session_settings *settings);
void session_free(struct sessions *s);

/* The request carries a session cookie and no Authorization header. */
bool session_wanted(const struct http_ctx *ctx);
/* Resolves the caller by cookie, then dispatches or replies 401/403. */
void session_begin(struct http_ctx *ctx);

/* Whether cookies get Secure: a setting, or TLS at a trusted proxy. */
bool session_over_tls(const struct http_ctx *ctx);
/*
 * The request is not cross-site: Sec-Fetch-Site is not cross-site and
 * Origin, when sent, is ours. Also the public forms' check (public.h).
 */
bool session_origin_ok(const struct http_ctx *ctx);

/* POST, GET and DELETE /api/v1/session. */
void session_sign_in(struct http_ctx *ctx, const cJSON *input);
void session_show(struct http_ctx *ctx, const cJSON *input);
void session_sign_out(struct http_ctx *ctx, const cJSON *input);

#endif
