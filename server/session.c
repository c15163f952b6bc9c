/*
 * Sessions: sign-in, the cookie check, CSRF and Origin, sign-out, and
 * the limits on failed sign-ins.
 *
 * The CSRF token is an HMAC of the session id: the page reads it from the
 * sign-in answer (or GET /api/v1/session), a cross-site page cannot, and
 * nothing more is stored. Sign-in failures are counted before the
 * password is checked, so parallel guesses count too; a success gives its
 * attempt back.
 */
#include "session.h"

#include "api.h"
#include "app.h"
#include "auth.h"
#include "log.h"
#include "proxy.h"
#include "pwhash.h"
#include "routes.h"
#include "xmalloc.h"

#include <event2/http.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define SESSION_COOKIE	     "jf_session"
#define SESSION_ID_LEN	     43 /* 32 bytes in unpadded base64url */
#define SESSION_LIMIT_SLOTS  1024
#define SESSION_LIMIT_WINDOW (15 * 60)
/*
 * Guesses at one name from one address; at one name from anywhere; from
 * one address at any names. The last is high so that one person's
 * mistakes never lock out colleagues behind the same office address.
 */
#define SESSION_LIMIT_PAIR    5
#define SESSION_LIMIT_NAME    20
#define SESSION_LIMIT_ADDRESS 100

struct session_limit {
	char key[160];
	int count;
	time_t window;
};

struct sessions {
	struct session_settings settings;
	struct session_limit limits[SESSION_LIMIT_SLOTS];
};

/* A sign-in in progress, across its statements and the hashing. */
struct session_signin {
	char *name;
	char *password;
	char address[64];
	char *user_id;
	char id[SESSION_ID_LEN + 1];
};

static const char session_wrong[] = "wrong name or password";

struct sessions *
session_new(const struct session_settings *settings)
{
	struct sessions *s = xcalloc(1, sizeof *s);

	s->settings = *settings;
	return s;
}

void
session_free(struct sessions *s)
{
	free(s);
}

static time_t
session_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* base64url without padding of n bytes into out (4n/3 + 1 bytes). */
static void
session_b64url(const unsigned char *raw, size_t n, char *out)
{
	unsigned char b64[64];
	size_t len;

	EVP_EncodeBlock(b64, raw, (int)n);
	for (len = 0; b64[len] != '\0' && b64[len] != '='; len++)
		out[len] = b64[len] == '+'   ? '-'
			   : b64[len] == '/' ? '_'
					     : (char)b64[len];
	out[len] = '\0';
}

static void
session_csrf(const char *id, char out[SESSION_ID_LEN + 1])
{
	unsigned char mac[32];
	unsigned int len = sizeof mac;
	static const char label[] = "jobfair csrf";

	HMAC(EVP_sha256(), id, (int)strlen(id), (const unsigned char *)label,
	     sizeof label - 1, mac, &len);
	session_b64url(mac, sizeof mac, out);
}

/* The session cookie's value if well-formed, into out. */
static bool
session_cookie(const struct http_ctx *ctx, char out[SESSION_ID_LEN + 1])
{
	const char *h = http_header(ctx, "Cookie");

	while (h != NULL && *h != '\0') {
		size_t n;

		h += strspn(h, " \t;");
		n = strcspn(h, ";");
		if (n == sizeof SESSION_COOKIE + SESSION_ID_LEN &&
		    strncmp(h, SESSION_COOKIE "=", sizeof SESSION_COOKIE) ==
			0) {
			const char *v = h + sizeof SESSION_COOKIE;

			if (strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
				      "nopqrstuvwxyz0123456789-_") !=
			    SESSION_ID_LEN)
				return false;
			memcpy(out, v, SESSION_ID_LEN);
			out[SESSION_ID_LEN] = '\0';
			return true;
		}
		h += n;
	}
	return false;
}

bool
session_wanted(const struct http_ctx *ctx)
{
	return http_header(ctx, "Authorization") == NULL &&
	       http_header(ctx, "Cookie") != NULL &&
	       strstr(http_header(ctx, "Cookie"), SESSION_COOKIE "=") != NULL;
}

bool
session_over_tls(const struct http_ctx *ctx)
{
	return ctx->app->sessions->settings.secure_cookies ||
	       proxies_forwarded_https(ctx);
}

/*
 * A browser names the page a request comes from in Origin (always for a
 * cross-site POST); when it does, it must be us.
 */
bool
session_origin_ok(const struct http_ctx *ctx)
{
	const char *origin = http_header(ctx, "Origin");
	const char *host = http_header(ctx, "Host");
	const char *site = http_header(ctx, "Sec-Fetch-Site");
	char *own;
	bool ok;

	if (site != NULL && strcmp(site, "cross-site") == 0)
		return false;
	if (origin == NULL)
		return true;
	if (host == NULL)
		return false;
	xasprintf(&own, "%s://%s", session_over_tls(ctx) ? "https" : "http",
		  host);
	ok = strcmp(origin, own) == 0;
	free(own);
	return ok;
}

static void
session_set_cookie(struct http_ctx *ctx, const char *id)
{
	char *cookie;
	const char *secure = session_over_tls(ctx) ? "; Secure" : "";

	if (id != NULL)
		xasprintf(&cookie,
			  SESSION_COOKIE "=%s; HttpOnly; SameSite=Strict; "
					 "Path=/%s",
			  id, secure);
	else
		xasprintf(&cookie,
			  SESSION_COOKIE "=; HttpOnly; SameSite=Strict; "
					 "Path=/; Max-Age=0%s",
			  secure);
	http_add_header(ctx, "Set-Cookie", cookie);
	free(cookie);
}

/* Finds or takes (the oldest) slot for a key, its window renewed. */
static struct session_limit *
session_limit_slot(struct sessions *s, const char *key)
{
	struct session_limit *oldest = &s->limits[0];
	time_t now = session_now();

	for (int i = 0; i < SESSION_LIMIT_SLOTS; i++) {
		struct session_limit *l = &s->limits[i];

		if (strcmp(l->key, key) == 0) {
			if (now - l->window >= SESSION_LIMIT_WINDOW) {
				l->count = 0;
				l->window = now;
			}
			return l;
		}
		if (l->window < oldest->window)
			oldest = l;
	}
	/* A longer key (a long name) is cut: still one slot per name. */
	snprintf(oldest->key, sizeof oldest->key, "%.*s",
		 (int)sizeof oldest->key - 1, key);
	oldest->count = 0;
	oldest->window = now;
	return oldest;
}

static void
session_limit_keys(const char *name, const char *addr, char keys[3][160])
{
	snprintf(keys[0], 160, "p %s %s", addr, name);
	snprintf(keys[1], 160, "n %s", name);
	snprintf(keys[2], 160, "a %s", addr);
}

/*
 * Counts an attempt, or returns the seconds until one is allowed again
 * (counting nothing) when a limit is reached.
 */
static long
session_limit_take(struct sessions *s, const char *name, const char *addr)
{
	static const int max[3] = {SESSION_LIMIT_PAIR, SESSION_LIMIT_NAME,
				   SESSION_LIMIT_ADDRESS};
	char keys[3][160];
	struct session_limit *l[3];
	long wait = 0;

	session_limit_keys(name, addr, keys);
	for (int i = 0; i < 3; i++) {
		l[i] = session_limit_slot(s, keys[i]);
		if (l[i]->count >= max[i]) {
			long left =
			    l[i]->window + SESSION_LIMIT_WINDOW - session_now();

			wait = left > wait ? left : wait;
		}
	}
	if (wait > 0)
		return wait;
	for (int i = 0; i < 3; i++)
		l[i]->count++;
	return 0;
}

/* A good password: the name's failures are forgiven, the address's one. */
static void
session_limit_give_back(struct sessions *s, const char *name, const char *addr)
{
	char keys[3][160];
	struct session_limit *l;

	session_limit_keys(name, addr, keys);
	session_limit_slot(s, keys[0])->count = 0;
	session_limit_slot(s, keys[1])->count = 0;
	l = session_limit_slot(s, keys[2]);
	if (l->count > 0)
		l->count--;
}

static void
session_signin_free(void *data)
{
	struct session_signin *si = data;

	if (si->password != NULL) {
		sodium_memzero(si->password, strlen(si->password));
		free(si->password);
	}
	free(si->name);
	free(si->user_id);
	free(si);
}

/* {"user": {...}, "csrf": "..."} for a session id (csrf only with one). */
static void
session_reply_user(struct http_ctx *ctx, int status, cJSON *user,
		   const char *id)
{
	cJSON *root = cJSON_CreateObject();
	char csrf[SESSION_ID_LEN + 1];

	cJSON_AddItemToObject(root, "user", user);
	if (id != NULL) {
		session_csrf(id, csrf);
		cJSON_AddStringToObject(root, "csrf", csrf);
	}
	http_reply_json(ctx, status, root);
	cJSON_Delete(root);
}

static void
session_opened(struct http_ctx *ctx, const PGresult *res)
{
	struct session_signin *si = ctx->data;
	cJSON *user =
	    PQntuples(res) == 1 ? cJSON_Parse(PQgetvalue(res, 0, 0)) : NULL;

	if (user == NULL) {
		http_reply_error(ctx, 500, "internal error");
		return;
	}
	session_limit_give_back(ctx->app->sessions, si->name, si->address);
	log_info("%s signed in from %s", si->name, si->address);
	session_set_cookie(ctx, si->id);
	session_reply_user(ctx, 200, user, si->id);
}

static void
session_refused(struct http_ctx *ctx, const PGresult *res)
{
	(void)res;
	http_reply_error(ctx, 401, session_wrong);
}

static void
session_verified(const char *hash, bool ok, void *arg)
{
	struct http_ctx *ctx = arg;
	struct session_signin *si = ctx->data;
	unsigned char raw[32];
	char id_hash[65];
	char idle[24];
	const char *params[4];

	(void)hash;
	if (!ok || si->user_id == NULL) {
		params[0] = si->name;
		params[1] = si->address;
		api_query(ctx, "SELECT api_sign_in_failed($1, $2)", 2, params,
			  session_refused);
		return;
	}
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
		http_reply_error(ctx, 500, "cannot make a session");
		return;
	}
	session_b64url(raw, sizeof raw, si->id);
	auth_token_hash(si->id, id_hash);
	snprintf(idle, sizeof idle, "%ld",
		 ctx->app->sessions->settings.idle_seconds);
	params[0] = si->user_id;
	params[1] = id_hash;
	params[2] = si->address;
	params[3] = idle;
	api_query(ctx, "SELECT api_session_open($1, $2, $3, $4)", 4, params,
		  session_opened);
}

/* The name's row (if any) is in; the password is checked off the loop. */
static void
session_user_found(struct http_ctx *ctx, const PGresult *res)
{
	struct session_signin *si = ctx->data;
	const char *hash = NULL;
	int rc;

	if (PQntuples(res) == 1) {
		si->user_id = xstrdup(PQgetvalue(res, 0, 0));
		hash = PQgetvalue(res, 0, 1);
	}
	rc = pwhash_verify(ctx->app->pwhash, hash, si->password,
			   session_verified, ctx);
	sodium_memzero(si->password, strlen(si->password));
	free(si->password);
	si->password = NULL;
	if (rc != 0)
		http_reply_error(ctx, 503, "too many sign-ins at once; retry");
}

void
session_sign_in(struct http_ctx *ctx, const cJSON *input)
{
	struct session_signin *si;
	const char *params[1];
	char retry[24];
	long wait;

	if (!session_origin_ok(ctx)) {
		http_reply_error(ctx, 403, "cross-site request refused");
		return;
	}
	si = xcalloc(1, sizeof *si);
	si->name = xstrdup(cJSON_GetObjectItem(input, "name")->valuestring);
	si->password =
	    xstrdup(cJSON_GetObjectItem(input, "password")->valuestring);
	proxies_client_address(ctx, si->address);
	ctx->data = si;
	ctx->data_free = session_signin_free;
	wait = session_limit_take(ctx->app->sessions, si->name, si->address);
	if (wait > 0) {
		snprintf(retry, sizeof retry, "%ld", wait);
		http_add_header(ctx, "Retry-After", retry);
		http_reply_error(ctx, 429,
				 "too many failed sign-ins; wait and retry");
		return;
	}
	params[0] = si->name;
	api_query(ctx, "SELECT id, password_hash FROM session_sign_in_user($1)",
		  1, params, session_user_found);
}

static void
session_touched(struct http_ctx *ctx, const PGresult *res)
{
	if (PQntuples(res) != 1) {
		session_set_cookie(ctx, NULL);
		http_reply_error(ctx, 401,
				 "your session has ended; sign in again");
		return;
	}
	ctx->user_id = xstrdup(PQgetvalue(res, 0, 0));
	ctx->user_name = xstrdup(PQgetvalue(res, 0, 1));
	ctx->role = auth_role_parse(PQgetvalue(res, 0, 2));
	routes_dispatch(ctx);
}

/* A change made with the cookie proves it comes from our page. */
static bool
session_csrf_ok(const struct http_ctx *ctx, const char *id)
{
	int method = evhttp_request_get_command(ctx->req);
	const char *token = http_header(ctx, "X-CSRF-Token");
	char want[SESSION_ID_LEN + 1];

	if (method == EVHTTP_REQ_GET || method == EVHTTP_REQ_HEAD)
		return true;
	if (!session_origin_ok(ctx) || token == NULL ||
	    strlen(token) != SESSION_ID_LEN)
		return false;
	session_csrf(id, want);
	return CRYPTO_memcmp(token, want, SESSION_ID_LEN) == 0;
}

void
session_begin(struct http_ctx *ctx)
{
	char id[SESSION_ID_LEN + 1], id_hash[65], idle[24];
	const char *params[2] = {id_hash, idle};

	if (!session_cookie(ctx, id)) {
		session_set_cookie(ctx, NULL);
		http_reply_error(ctx, 401, "not signed in");
		return;
	}
	if (!session_csrf_ok(ctx, id)) {
		http_reply_error(ctx, 403,
				 "cross-site request refused: a change needs "
				 "the page's X-CSRF-Token");
		return;
	}
	auth_token_hash(id, id_hash);
	memcpy(ctx->credential, id_hash, sizeof ctx->credential);
	snprintf(idle, sizeof idle, "%ld",
		 ctx->app->sessions->settings.idle_seconds);
	api_query(ctx, "SELECT user_id, name, role FROM session_touch($1, $2)",
		  2, params, session_touched);
}

void
session_show(struct http_ctx *ctx, const cJSON *input)
{
	char id[SESSION_ID_LEN + 1];
	cJSON *user = cJSON_CreateObject();

	(void)input;
	cJSON_AddNumberToObject(user, "id", strtod(ctx->user_id, NULL));
	cJSON_AddStringToObject(user, "name", ctx->user_name);
	cJSON_AddStringToObject(user, "role", auth_role_name(ctx->role));
	session_reply_user(
	    ctx, 200, user,
	    session_wanted(ctx) && session_cookie(ctx, id) ? id : NULL);
}

static void
session_closed(struct http_ctx *ctx, const PGresult *res)
{
	(void)res;
	session_set_cookie(ctx, NULL);
	http_reply_raw(ctx, 204, NULL, 0);
}

void
session_sign_out(struct http_ctx *ctx, const cJSON *input)
{
	char id[SESSION_ID_LEN + 1], id_hash[65];
	const char *params[2] = {ctx->user_id, id_hash};

	(void)input;
	if (!session_wanted(ctx) || !session_cookie(ctx, id)) {
		http_reply_raw(ctx, 204, NULL, 0);
		return;
	}
	auth_token_hash(id, id_hash);
	api_query(ctx, "SELECT api_session_close($1, $2)", 2, params,
		  session_closed);
}
