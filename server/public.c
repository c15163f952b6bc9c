/*
 * The public application endpoints: the guard every request passes
 * (headers, language, CSRF, rate limit, form parsing) and one handler per
 * page. Each page is one statement of migrations/sql/public_forms.sql; the
 * answers, whatever happens, are pages (public_page.h), never JSON.
 */
#include "public.h"

#include "api.h"
#include "app.h"
#include "bodies.h"
#include "digest.h"
#include "input.h"
#include "log.h"
#include "print.h"
#include "proxy.h"
#include "public_page.h"
#include "qr.h"
#include "routes.h"
#include "session.h"
#include "stats.h"
#include "text.h"
#include "token.h"
#include "xmalloc.h"

#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PUBLIC_COOKIE "jf_form"
/* Bytes of a form's value, before any field's own limit; and fields. */
#define PUBLIC_VALUE_MAX  2000
#define PUBLIC_PAIRS_MAX  64
#define PUBLIC_RATE_SLOTS 4096
#define PUBLIC_RATE_PROBE 8
#define PUBLIC_WINDOW	  60
/*
 * Applications written at once, and waiting for that: the public door
 * takes one database connection at a time, so a crowd applying leaves
 * the rest of the pool to the desks; beyond the queue, a busy page.
 */
#define PUBLIC_RUNNING_MAX 1
#define PUBLIC_WAITING_MAX 256

/* Strict for pages of the public: nothing inline, nothing elsewhere. */
static const struct {
	const char *name, *value;
} public_headers[] = {
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src "
     "'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    /*
     * A receipt's address holds its secret: never sent to another site.
     * (no-referrer would make a browser send "Origin: null" with our own
     * forms, which the Origin check then refuses.)
     */
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
};

/* Applications per address: a fixed window from the first one. */
struct public_rate {
	char addr[64];
	time_t start;
	long count;
};

static struct {
	char base_url[256];
	long rate;
	struct public_rate rates[PUBLIC_RATE_SLOTS];
} public;

/* What a request keeps across its statement. */
struct public_req {
	enum public_lang lang;
	cJSON *values;
	cJSON *errors;
	enum public_notice notice;
	int status;
	char secret[DIGEST_SHA256_HEX_LEN + 1];
	char csrf[DIGEST_SHA256_HEX_LEN + 1];
	/* An application's statement, kept while it waits its turn. */
	char token[TOKEN_LEN + 1];
	char purpose[24];
	char *json;
	struct http_ctx *ctx;
	TAILQ_ENTRY(public_req) entry;
};

/* Applications waiting for their turn at the database (first come). */
static TAILQ_HEAD(, public_req)
    public_waiting = TAILQ_HEAD_INITIALIZER(public_waiting);
static int public_nwaiting, public_running;

static void
public_req_free(void *arg)
{
	struct public_req *r = arg;

	cJSON_Delete(r->values);
	cJSON_Delete(r->errors);
	cJSON_free(r->json);
	free(r);
}

void
public_configure(const struct public_settings *settings)
{
	size_t n;

	snprintf(public.base_url, sizeof public.base_url, "%s",
		 settings->base_url);
	n = strlen(public.base_url);
	while (n > 0 && public.base_url[n - 1] == '/')
	public.base_url[--n] = '\0';
	public.rate = settings->rate;
}

bool
public_file(const char *path)
{
	return strncmp(path, "/apply/", 7) == 0 &&
	       strchr(path + 7, '/') == NULL;
}

static time_t
public_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/*
 * Takes one application of the address's allowance: 0, or the seconds
 * until it may apply again. The table is bounded: an address that finds
 * no room takes the slot with the oldest window among its probes.
 */
static int
public_rate_take(const char *addr)
{
	time_t now = public_now();
	unsigned long h = 5381;
	struct public_rate *slot = NULL, *oldest = NULL;

	for (const char *c = addr; *c != '\0'; c++)
		h = h * 33 + (unsigned char)*c;
	for (int i = 0; i < PUBLIC_RATE_PROBE && slot == NULL; i++) {
		struct public_rate *r =
		    &public.rates[(h + i) % PUBLIC_RATE_SLOTS];

		if (strcmp(r->addr, addr) == 0)
			slot = r;
		else if (oldest == NULL || r->start < oldest->start)
			oldest = r;
	}
	if (slot == NULL) {
		slot = oldest;
		snprintf(slot->addr, sizeof slot->addr, "%s", addr);
		slot->count = 0;
		slot->start = now;
	}
	if (now - slot->start >= PUBLIC_WINDOW) {
		slot->start = now;
		slot->count = 0;
	}
	if (slot->count >= public.rate)
		return (int)(slot->start + PUBLIC_WINDOW - now) > 0
			   ? (int)(slot->start + PUBLIC_WINDOW - now)
			   : 1;
	slot->count++;
	return 0;
}

/* ?lang=, then the form's lang, then the browser's first language. */
static enum public_lang
public_lang(struct http_ctx *ctx, const struct evkeyvalq *form)
{
	const char *lang = http_query_param(ctx, "lang");
	const char *accept = http_header(ctx, "Accept-Language");

	if (lang == NULL && form != NULL)
		lang = evhttp_find_header(form, "lang");
	if (lang != NULL)
		return strcmp(lang, "en") == 0 ? PUBLIC_EN : PUBLIC_JA;
	if (accept != NULL) {
		accept += strspn(accept, " \t");
		if (strncasecmp(accept, "en", 2) == 0 &&
		    (accept[2] == '\0' || strchr("-;, ", accept[2]) != NULL))
			return PUBLIC_EN;
	}
	return PUBLIC_JA;
}

/* Sends a page (which it frees) with the public pages' headers. */
static void
public_reply(struct http_ctx *ctx, int status, char *html)
{
	/* The page says its language first thing: <html lang="…">. */
	bool en = strstr(html, "<html lang=\"en\"") != NULL;

	for (size_t i = 0; i < sizeof public_headers / sizeof *public_headers;
	     i++)
		http_add_header(ctx, public_headers[i].name,
				public_headers[i].value);
	http_add_header(ctx, "Content-Language", en ? "en" : "ja");
	http_reply_body(ctx, status, "text/html; charset=utf-8", html,
			strlen(html));
	free(html);
}

static void
public_notice(struct http_ctx *ctx, enum public_lang lang, int status,
	      enum public_notice notice)
{
	public_reply(ctx, status, public_page_notice_new(lang, notice, 0));
}

static void
public_hex(const unsigned char *raw, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", raw[i]);
}

/* The cookie's nonce if it is one of ours, into out. */
static bool
public_cookie(const struct http_ctx *ctx, char out[DIGEST_SHA256_HEX_LEN + 1])
{
	const char *h = http_header(ctx, "Cookie");
	const size_t name = sizeof PUBLIC_COOKIE;

	while (h != NULL && *h != '\0') {
		size_t n;

		h += strspn(h, " \t;");
		n = strcspn(h, ";");
		if (n == name + DIGEST_SHA256_HEX_LEN &&
		    strncmp(h, PUBLIC_COOKIE "=", name) == 0 &&
		    strspn(h + name, "0123456789abcdef") ==
			DIGEST_SHA256_HEX_LEN) {
			memcpy(out, h + name, DIGEST_SHA256_HEX_LEN);
			out[DIGEST_SHA256_HEX_LEN] = '\0';
			return true;
		}
		h += n;
	}
	return false;
}

/*
 * The token a form carries: an HMAC keyed by the cookie's nonce, as the
 * staff's (session.c). No key of this process's own: the other jobfaird
 * behind nginx, or this one restarted, takes the form it drew; and a
 * cross-site page can read neither the HttpOnly cookie nor our pages.
 */
static void
public_csrf_of(const char *nonce, char out[DIGEST_SHA256_HEX_LEN + 1])
{
	static const char label[] = "jobfair public form";
	unsigned char mac[32];
	unsigned int len = sizeof mac;

	HMAC(EVP_sha256(), nonce, (int)strlen(nonce),
	     (const unsigned char *)label, sizeof label - 1, mac, &len);
	public_hex(mac, sizeof mac, out);
}

/*
 * The token for a form about to be drawn: the browser's nonce cookie,
 * or a new one set with this reply (HttpOnly, SameSite=Strict).
 */
static void
public_csrf_new(struct http_ctx *ctx, char out[DIGEST_SHA256_HEX_LEN + 1])
{
	char nonce[DIGEST_SHA256_HEX_LEN + 1];

	if (!public_cookie(ctx, nonce)) {
		unsigned char raw[32];
		char *cookie;

		if (RAND_bytes(raw, sizeof raw) != 1)
			fatalx("cannot read random bytes for a form");
		public_hex(raw, sizeof raw, nonce);
		xasprintf(&cookie,
			  PUBLIC_COOKIE "=%s; HttpOnly; SameSite=Strict; "
					"Path=/apply%s",
			  nonce, session_over_tls(ctx) ? "; Secure" : "");
		http_add_header(ctx, "Set-Cookie", cookie);
		free(cookie);
	}
	public_csrf_of(nonce, out);
}

/* The form carries the token of the browser's cookie. */
static bool
public_csrf_ok(const struct http_ctx *ctx, const struct evkeyvalq *form)
{
	char nonce[DIGEST_SHA256_HEX_LEN + 1], want[DIGEST_SHA256_HEX_LEN + 1];
	const char *got = evhttp_find_header(form, "csrf");

	if (got == NULL || strlen(got) != DIGEST_SHA256_HEX_LEN ||
	    !public_cookie(ctx, nonce))
		return false;
	public_csrf_of(nonce, want);
	return CRYPTO_memcmp(got, want, DIGEST_SHA256_HEX_LEN) == 0;
}

/*
 * The posted form (application/x-www-form-urlencoded) into `form`; a
 * notice if it is too large or not text.
 */
static enum public_notice
public_form_parse(struct http_ctx *ctx, struct evkeyvalq *form)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(ctx->req);
	size_t len = evbuffer_get_length(in);
	struct evkeyval *kv;
	char *text;
	int pairs = 0;

	TAILQ_INIT(form);
	if (len > PUBLIC_BODY_LIMIT)
		return PUBLIC_NOTICE_TOO_LARGE;
	text = xmalloc(len + 1);
	evbuffer_copyout(in, text, len);
	text[len] = '\0';
	if (strlen(text) != len || evhttp_parse_query_str(text, form) != 0) {
		free(text);
		return PUBLIC_NOTICE_FIELDS;
	}
	free(text);
	TAILQ_FOREACH(kv, form, next)
	{
		if (++pairs > PUBLIC_PAIRS_MAX ||
		    strlen(kv->value) > PUBLIC_VALUE_MAX)
			return PUBLIC_NOTICE_TOO_LARGE;
		if (!text_valid_utf8(kv->value, strlen(kv->value)) ||
		    !text_valid_utf8(kv->key, strlen(kv->key)))
			return PUBLIC_NOTICE_FIELDS;
	}
	return PUBLIC_NOTICE_NONE;
}

/* The form's one-line fields, as typed and as the body takes them. */
static const char *const public_text_fields[] = {
    "name",  "name_kana",	   "age",	 "birth_date", "phone",
    "email", "accommodation_note", "supporters",
};
static const char *const public_list_fields[] = {"categories",
						 "accommodations"};

/*
 * One-line fields: as typed into `values` (to draw the form again) and,
 * trimmed and when not empty, into `body` under `key` (NULL: the name).
 */
static void
public_take_text(const struct evkeyvalq *form, const char *name,
		 const char *key, cJSON *values, cJSON *body)
{
	const char *v = evhttp_find_header(form, name);
	char *trim;
	size_t start, end;

	if (v == NULL)
		return;
	cJSON_AddStringToObject(values, name, v);
	start = strspn(v, " \t\r\n");
	end = strlen(v);
	while (end > start && strchr(" \t\r\n", v[end - 1]) != NULL)
		end--;
	if (end == start)
		return;
	trim = xstrndup(v + start, end - start);
	cJSON_AddStringToObject(body, key != NULL ? key : name, trim);
	free(trim);
}

static void
public_take_texts(const struct evkeyvalq *form, const char *const *names,
		  size_t n, cJSON *values, cJSON *body)
{
	for (size_t i = 0; i < n; i++)
		public_take_text(form, names[i], NULL, values, body);
}

/* The honeypot, hidden from people, filled in: refused as a field. */
static void
public_honeypot(const struct evkeyvalq *form, cJSON *errors)
{
	const char *honeypot = evhttp_find_header(form, "website");

	if (honeypot != NULL && *honeypot != '\0')
		cJSON_AddTrueToObject(errors, "website");
}

/*
 * `body` (which it frees) checked by a staff table; the fields to fix
 * into `errors`, each name after `prefix` ("o2_" for a second row).
 */
static cJSON *
public_validate_new(cJSON *body, const struct input_field *spec, size_t n,
		    const char *prefix, cJSON *errors)
{
	cJSON *bad = NULL, *e;
	cJSON *clean = input_validate_new(body, spec, n, false, &bad);

	cJSON_Delete(body);
	cJSON_ArrayForEach(e, bad)
	{
		char *key;

		xasprintf(&key, "%s%s", prefix, e->string);
		if (!cJSON_HasObjectItem(errors, key))
			cJSON_AddTrueToObject(errors, key);
		free(key);
	}
	cJSON_Delete(bad);
	return clean;
}

/*
 * What was typed (for drawing the form again) and the registration body
 * it makes, checked by the staff's own table (bodies_registration):
 * errors name the fields to fix.
 */
static cJSON *
public_body_new(const struct evkeyvalq *form, cJSON *values, cJSON *errors)
{
	cJSON *body = cJSON_CreateObject();
	const char *consent = evhttp_find_header(form, "consent");
	struct evkeyval *kv;

	public_take_texts(form, public_text_fields,
			  sizeof public_text_fields / sizeof(char *), values,
			  body);
	for (size_t i = 0; i < 2; i++) {
		const char *name = public_list_fields[i];
		cJSON *typed = cJSON_AddArrayToObject(values, name);
		cJSON *list = cJSON_AddArrayToObject(body, name);

		TAILQ_FOREACH(kv, form, next)
		{
			if (strcmp(kv->key, name) != 0)
				continue;
			cJSON_AddItemToArray(typed,
					     cJSON_CreateString(kv->value));
			cJSON_AddItemToArray(list,
					     cJSON_CreateString(kv->value));
		}
	}
	cJSON_AddBoolToObject(values, "consent",
			      consent != NULL && strcmp(consent, "yes") == 0);
	cJSON_AddBoolToObject(body, "consent",
			      consent != NULL && strcmp(consent, "yes") == 0);
	if (consent == NULL || strcmp(consent, "yes") != 0)
		cJSON_AddTrueToObject(errors, "consent");
	public_honeypot(form, errors);
	if (cJSON_HasObjectItem(body, "age") &&
	    cJSON_HasObjectItem(body, "birth_date"))
		cJSON_AddTrueToObject(errors, "age");
	return public_validate_new(body, bodies_registration,
				   BODIES_REGISTRATION_NFIELDS, "", errors);
}

/* An unexpected database answer: logged, and a page that says retry. */
static bool
public_db_ok(struct http_ctx *ctx, const PGresult *res, enum public_lang lang)
{
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK)
		return true;
	/* The primary message only: a detail may quote the row, a person's. */
	if (res != NULL) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *primary =
		    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

		log_error("%s: database error %s: %s", ctx->path,
			  state ? state : "?", primary ? primary : "?");
	}
	public_reply(ctx, 503,
		     public_page_notice_new(lang, PUBLIC_NOTICE_BUSY, 0));
	return false;
}

/* The statement's first column as JSON, or NULL (SQL NULL: not found). */
static cJSON *
public_json_new(const PGresult *res, int column)
{
	if (PQntuples(res) < 1 || PQgetisnull(res, 0, column))
		return NULL;
	return cJSON_ParseWithLength(PQgetvalue(res, 0, column),
				     PQgetlength(res, 0, column));
}

static struct public_req *
public_req_new(struct http_ctx *ctx, enum public_lang lang)
{
	struct public_req *r = xcalloc(1, sizeof *r);

	r->lang = lang;
	r->status = 200;
	ctx->data = r;
	ctx->data_free = public_req_free;
	return r;
}

static void
public_index_done(struct http_ctx *ctx, const PGresult *res)
{
	struct public_req *r = ctx->data;
	cJSON *events;

	if (!public_db_ok(ctx, res, r->lang))
		return;
	events = public_json_new(res, 0);
	public_reply(ctx, 200, public_page_index_new(r->lang, events));
	cJSON_Delete(events);
}

void
public_index(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	public_req_new(ctx, public_lang(ctx, NULL));
	api_query_any(ctx, "SELECT public_events()", 0, NULL,
		      public_index_done);
}

/* The event's page, with the form as typed and what to fix, if any. */
static void
public_event_done(struct http_ctx *ctx, const PGresult *res)
{
	struct public_req *r = ctx->data;
	struct public_form form = {
	    .values = r->values,
	    .errors = r->errors,
	    .notice = r->notice,
	    .csrf = r->csrf,
	};
	cJSON *event;

	if (!public_db_ok(ctx, res, r->lang))
		return;
	if ((event = public_json_new(res, 0)) == NULL) {
		public_notice(ctx, r->lang, 404, PUBLIC_NOTICE_NOT_FOUND);
		return;
	}
	public_csrf_new(ctx, r->csrf);
	public_reply(ctx, r->status,
		     public_page_event_new(r->lang, event, &form));
	cJSON_Delete(event);
}

static void
public_event_again(struct http_ctx *ctx)
{
	api_query_any(ctx, "SELECT public_event($1)", 1, ctx->args,
		      public_event_done);
}

void
public_event_page(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	public_req_new(ctx, public_lang(ctx, NULL));
	public_event_again(ctx);
}

static void public_apply_run(struct public_req *r);

/* An application's statement is over: the next in line takes its turn. */
static void
public_turn_next(void)
{
	struct public_req *next = TAILQ_FIRST(&public_waiting);

	public_running--;
	if (next == NULL)
		return;
	TAILQ_REMOVE(&public_waiting, next, entry);
	public_nwaiting--;
	public_apply_run(next);
}

/*
 * A refusal's page: the notice and the field to fix in r, for drawing
 * the form again. False for an event that is not (or no longer) open to
 * the public: the caller answers 404.
 */
static bool
public_refusal(struct public_req *r, const cJSON *answer)
{
	const char *rule =
	    cJSON_GetStringValue(cJSON_GetObjectItem(answer, "rule"));
	const char *field =
	    cJSON_GetStringValue(cJSON_GetObjectItem(answer, "field"));

	r->status = 409;
	if (rule == NULL || strcmp(rule, "missing") == 0)
		return false;
	if (strcmp(rule, "closed") == 0)
		r->notice = PUBLIC_NOTICE_CLOSED;
	else if (strcmp(rule, "full") == 0)
		r->notice = PUBLIC_NOTICE_FULL;
	else if (strcmp(rule, "purpose") == 0)
		r->notice = PUBLIC_NOTICE_PURPOSE;
	else {
		r->status = 422;
		r->notice = PUBLIC_NOTICE_FIELDS;
		cJSON_AddTrueToObject(r->errors, field ? field : "name");
	}
	return true;
}

/* After a POST, a GET (reloading does not apply again): 303 to `path`. */
static void
public_see_other(struct http_ctx *ctx, struct public_req *r, const char *path)
{
	char *location;

	xasprintf(&location, "%s%s", path,
		  r->lang == PUBLIC_EN ? "?lang=en" : "");
	http_add_header(ctx, "Location", location);
	free(location);
	public_reply(ctx, 303,
		     public_page_notice_new(r->lang, PUBLIC_NOTICE_NONE, 0));
}

/* The accepted answer of public_apply() and public_company_apply(). */
static bool
public_accepted(struct http_ctx *ctx, const PGresult *res, const cJSON *answer)
{
	const char *result =
	    cJSON_GetStringValue(cJSON_GetObjectItem(answer, "result"));

	if (result == NULL || strcmp(result, "accepted") != 0)
		return false;
	if (!PQgetisnull(res, 0, 1))
		stats_announce(ctx, PQgetvalue(res, 0, 1));
	return true;
}

static void
public_apply_done(struct http_ctx *ctx, const PGresult *res)
{
	struct public_req *r = ctx->data;
	cJSON *answer;
	char *path;

	/* Before the reply below, which frees ctx and r. */
	public_turn_next();
	if (!public_db_ok(ctx, res, r->lang))
		return;
	answer = public_json_new(res, 0);
	if (public_accepted(ctx, res, answer)) {
		xasprintf(&path, "/apply/receipt/%s", r->secret);
		public_see_other(ctx, r, path);
		free(path);
	} else if (!public_refusal(r, answer))
		public_notice(ctx, r->lang, 404, PUBLIC_NOTICE_NOT_FOUND);
	else
		public_event_again(ctx);
	cJSON_Delete(answer);
}

/* Takes the turn and runs the application's one statement. */
static void
public_apply_run(struct public_req *r)
{
	const char *params[] = {r->ctx->args[0], r->token,	  r->secret,
				r->purpose,	 public.base_url, r->json};

	public_running++;
	api_query_any(r->ctx,
		      "SELECT answer, event_id FROM public_apply($1, $2, $3, "
		      "$4, $5, $6::jsonb)",
		      6, params, public_apply_done);
}

/*
 * What every application passes before its fields are read: the rate
 * limit (one allowance per address for both forms), the Origin, the
 * body's size and shape. The form is parsed into `form` (the caller
 * clears it) and the request made; false when it has been answered.
 */
static bool
public_guard(struct http_ctx *ctx, struct evkeyvalq *form,
	     struct public_req **out)
{
	enum public_notice bad = public_form_parse(ctx, form);
	struct public_req *r = public_req_new(ctx, public_lang(ctx, form));
	char client[64];
	int wait;

	*out = r;
	r->values = cJSON_CreateObject();
	r->errors = cJSON_CreateObject();
	proxies_client_address(ctx, client);
	if ((wait = public_rate_take(client)) > 0) {
		char seconds[16];

		snprintf(seconds, sizeof seconds, "%d", wait);
		http_add_header(ctx, "Retry-After", seconds);
		public_reply(
		    ctx, 429,
		    public_page_notice_new(r->lang, PUBLIC_NOTICE_RATE, wait));
		return false;
	}
	if (!session_origin_ok(ctx)) {
		public_notice(ctx, r->lang, 403, PUBLIC_NOTICE_FORBIDDEN);
		return false;
	}
	if (bad != PUBLIC_NOTICE_NONE) {
		public_notice(ctx, r->lang,
			      bad == PUBLIC_NOTICE_TOO_LARGE ? 413 : 400, bad);
		return false;
	}
	return true;
}

/*
 * The form is drawn again by `again`: with a fresh token when the form
 * carried none of ours (403), else with the fields to fix (422). False
 * when the body can be sent.
 */
static bool
public_redraw(struct http_ctx *ctx, struct public_req *r,
	      const struct evkeyvalq *form, const cJSON *body,
	      void (*again)(struct http_ctx *))
{
	if (!public_csrf_ok(ctx, form)) {
		r->status = 403;
		r->notice = PUBLIC_NOTICE_EXPIRED;
		cJSON_Delete(r->errors);
		r->errors = cJSON_CreateObject();
	} else if (body == NULL || cJSON_GetArraySize(r->errors) > 0) {
		r->status = 422;
		r->notice = PUBLIC_NOTICE_FIELDS;
	} else
		return false;
	again(ctx);
	return true;
}

void
public_apply(struct http_ctx *ctx, const cJSON *input)
{
	struct evkeyvalq form;
	struct public_req *r;
	char token[TOKEN_LEN + 1];
	unsigned char raw[32];
	const char *purpose;
	cJSON *body = NULL;

	(void)input;
	if (!public_guard(ctx, &form, &r))
		goto out;
	body = public_body_new(&form, r->values, r->errors);
	if (public_redraw(ctx, r, &form, body, public_event_again))
		goto out;
	purpose = evhttp_find_header(&form, "purpose_id");
	if (purpose == NULL || strlen(purpose) > 18 ||
	    strspn(purpose, "0123456789") != strlen(purpose) || !*purpose) {
		r->status = 422;
		r->notice = PUBLIC_NOTICE_PURPOSE;
		public_event_again(ctx);
		goto out;
	}
	if (token_generate(token) != 0 || RAND_bytes(raw, sizeof raw) != 1) {
		log_error("cannot read random bytes for an application");
		public_notice(ctx, r->lang, 503, PUBLIC_NOTICE_BUSY);
		goto out;
	}
	public_hex(raw, sizeof raw, r->secret);
	snprintf(r->token, sizeof r->token, "%s", token);
	snprintf(r->purpose, sizeof r->purpose, "%s", purpose);
	r->json = cJSON_PrintUnformatted(body);
	r->ctx = ctx;
	/* Its turn now, or in line (a context lives until its reply). */
	if (public_running < PUBLIC_RUNNING_MAX)
		public_apply_run(r);
	else if (public_nwaiting < PUBLIC_WAITING_MAX) {
		TAILQ_INSERT_TAIL(&public_waiting, r, entry);
		public_nwaiting++;
	} else
		public_notice(ctx, r->lang, 503, PUBLIC_NOTICE_BUSY);
out:
	cJSON_Delete(body);
	evhttp_clear_headers(&form);
}

/* The companies' form, as typed and what to fix; 404 for no such form. */
static void
public_company_done(struct http_ctx *ctx, const PGresult *res)
{
	struct public_req *r = ctx->data;
	struct public_form form = {
	    .values = r->values,
	    .errors = r->errors,
	    .notice = r->notice,
	    .csrf = r->csrf,
	};
	cJSON *event;

	if (!public_db_ok(ctx, res, r->lang))
		return;
	event = public_json_new(res, 0);
	if (!cJSON_IsTrue(cJSON_GetObjectItem(event, "companies"))) {
		cJSON_Delete(event);
		public_notice(ctx, r->lang, 404, PUBLIC_NOTICE_NOT_FOUND);
		return;
	}
	public_csrf_new(ctx, r->csrf);
	public_reply(ctx, r->status,
		     public_page_company_new(r->lang, event, &form));
	cJSON_Delete(event);
}

static void
public_company_again(struct http_ctx *ctx)
{
	api_query_any(ctx, "SELECT public_event($1)", 1, ctx->args,
		      public_company_done);
}

void
public_company_page(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	public_req_new(ctx, public_lang(ctx, NULL));
	public_company_again(ctx);
}

/* The company's fields, one line each, as the form names them. */
static const char *const public_company_fields[] = {
    "corporate_number",
    "name",
    "name_kana",
    "postal_code",
    "address",
    "contact_name",
    "phone",
    "email",
    "representatives",
    "representative_names",
};

/*
 * The openings' rows (o1_title, o1_employment_type, …): each row that is
 * not empty is checked on its own, so an error names its row's field.
 * values.rows says how many rows to draw again (those added by script).
 */
static cJSON *
public_openings_new(const struct evkeyvalq *form, cJSON *values, cJSON *errors)
{
	cJSON *list = cJSON_CreateArray();
	int drawn = PUBLIC_OPENING_ROWS, filled = 0;

	for (int i = 1; i <= PUBLIC_OPENING_ROWS_MAX; i++) {
		cJSON *row = cJSON_CreateObject(), *clean;
		char prefix[8], name[40];

		snprintf(prefix, sizeof prefix, "o%d_", i);
		for (size_t f = 0; f < BODIES_OPENING_NFIELDS; f++) {
			snprintf(name, sizeof name, "%s%s", prefix,
				 bodies_opening[f].name);
			public_take_text(form, name, bodies_opening[f].name,
					 values, row);
		}
		if (cJSON_GetArraySize(row) == 0) {
			cJSON_Delete(row);
			continue;
		}
		drawn = i > drawn ? i : drawn;
		filled++;
		clean =
		    public_validate_new(row, bodies_opening,
					BODIES_OPENING_NFIELDS, prefix, errors);
		if (clean != NULL)
			cJSON_AddItemToArray(list, clean);
	}
	cJSON_AddNumberToObject(values, "rows", drawn);
	/* A booth at a job fair comes with one opening at least. */
	if (filled == 0)
		cJSON_AddTrueToObject(errors, "openings");
	return list;
}

/* The company's application as bodies_company_application takes it. */
static cJSON *
public_company_body_new(const struct evkeyvalq *form, cJSON *values,
			cJSON *errors)
{
	cJSON *body = cJSON_CreateObject();

	public_take_texts(form, public_company_fields,
			  sizeof public_company_fields / sizeof(char *), values,
			  body);
	cJSON_AddItemToObject(body, "openings",
			      public_openings_new(form, values, errors));
	public_honeypot(form, errors);
	return public_validate_new(body, bodies_company_application,
				   BODIES_COMPANY_APPLICATION_NFIELDS, "",
				   errors);
}

static void
public_company_apply_done(struct http_ctx *ctx, const PGresult *res)
{
	struct public_req *r = ctx->data;
	cJSON *answer;
	char *path;

	if (!public_db_ok(ctx, res, r->lang))
		return;
	answer = public_json_new(res, 0);
	if (public_accepted(ctx, res, answer)) {
		xasprintf(&path, "/apply/events/%s/company/received",
			  ctx->args[0]);
		public_see_other(ctx, r, path);
		free(path);
	} else if (!public_refusal(r, answer))
		public_notice(ctx, r->lang, 404, PUBLIC_NOTICE_NOT_FOUND);
	else
		public_company_again(ctx);
	cJSON_Delete(answer);
}

void
public_company_apply(struct http_ctx *ctx, const cJSON *input)
{
	struct evkeyvalq form;
	struct public_req *r;
	char token[TOKEN_LEN + 1];
	cJSON *body = NULL;

	(void)input;
	if (!public_guard(ctx, &form, &r))
		goto out;
	body = public_company_body_new(&form, r->values, r->errors);
	if (public_redraw(ctx, r, &form, body, public_company_again))
		goto out;
	if (token_generate(token) != 0) {
		log_error("cannot read random bytes for an application");
		public_notice(ctx, r->lang, 503, PUBLIC_NOTICE_BUSY);
		goto out;
	}
	{
		char *json = cJSON_PrintUnformatted(body);
		const char *params[] = {ctx->args[0], token, json};

		api_query_any(ctx,
			      "SELECT answer, event_id FROM "
			      "public_company_apply($1, $2, $3::jsonb)",
			      3, params, public_company_apply_done);
		cJSON_free(json);
	}
out:
	cJSON_Delete(body);
	evhttp_clear_headers(&form);
}

/* The confirmation: received, the city will answer by mail. */
static void
public_company_received_done(struct http_ctx *ctx, const PGresult *res)
{
	struct public_req *r = ctx->data;
	cJSON *event;

	if (!public_db_ok(ctx, res, r->lang))
		return;
	event = public_json_new(res, 0);
	if (!cJSON_IsTrue(cJSON_GetObjectItem(event, "companies"))) {
		cJSON_Delete(event);
		public_notice(ctx, r->lang, 404, PUBLIC_NOTICE_NOT_FOUND);
		return;
	}
	public_reply(ctx, 200,
		     public_page_company_received_new(r->lang, event));
	cJSON_Delete(event);
}

void
public_company_received(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	public_req_new(ctx, public_lang(ctx, NULL));
	api_query_any(ctx, "SELECT public_event($1)", 1, ctx->args,
		      public_company_received_done);
}

static void
public_receipt_done(struct http_ctx *ctx, const PGresult *res)
{
	struct public_req *r = ctx->data;
	cJSON *receipt;

	if (!public_db_ok(ctx, res, r->lang))
		return;
	if ((receipt = public_json_new(res, 0)) == NULL) {
		public_notice(ctx, r->lang, 404, PUBLIC_NOTICE_NOT_FOUND);
		return;
	}
	public_reply(ctx, 200,
		     public_page_receipt_new(r->lang, receipt, ctx->args[0]));
	cJSON_Delete(receipt);
}

void
public_receipt_page(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	public_req_new(ctx, public_lang(ctx, NULL));
	api_query_any(ctx, "SELECT public_receipt($1)", 1, ctx->args,
		      public_receipt_done);
}

static void
public_qr_done(struct http_ctx *ctx, const PGresult *res)
{
	if (PQntuples(res) < 1 || PQgetisnull(res, 0, 0)) {
		http_reply_error(ctx, 404, "no such code");
		return;
	}
	http_add_header(ctx, "Referrer-Policy", "same-origin");
	qr_png_reply(ctx, res);
}

void
public_receipt_qr(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	api_query(ctx, "SELECT public_receipt_token($1), 8", 1, ctx->args,
		  public_qr_done);
}

void
public_receipt_slip(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	http_add_header(ctx, "Referrer-Policy", "same-origin");
	api_query(ctx, "SELECT public_receipt_print($1)", 1, ctx->args,
		  print_slip_reply);
}

/* The cancellation's state (or its outcome) as a page. */
static void
public_cancel_done(struct http_ctx *ctx, const PGresult *res)
{
	struct public_req *r = ctx->data;
	cJSON *state;

	if (!public_db_ok(ctx, res, r->lang))
		return;
	if ((state = public_json_new(res, 0)) == NULL) {
		public_notice(ctx, r->lang, 404, PUBLIC_NOTICE_NOT_FOUND);
		return;
	}
	if (PQnfields(res) > 1 && !PQgetisnull(res, 0, 1))
		stats_announce(ctx, PQgetvalue(res, 0, 1));
	public_csrf_new(ctx, r->csrf);
	public_reply(
	    ctx, r->status,
	    public_page_cancel_new(r->lang, state, ctx->args[0], r->csrf));
	cJSON_Delete(state);
}

void
public_cancel_page(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	public_req_new(ctx, public_lang(ctx, NULL));
	api_query_any(ctx, "SELECT public_cancel_state($1)", 1, ctx->args,
		      public_cancel_done);
}

void
public_cancel(struct http_ctx *ctx, const cJSON *input)
{
	struct evkeyvalq form;
	enum public_notice bad = public_form_parse(ctx, &form);
	struct public_req *r = public_req_new(ctx, public_lang(ctx, &form));

	(void)input;
	if (!session_origin_ok(ctx))
		public_notice(ctx, r->lang, 403, PUBLIC_NOTICE_FORBIDDEN);
	else if (bad != PUBLIC_NOTICE_NONE)
		public_notice(ctx, r->lang, 400, bad);
	else if (!public_csrf_ok(ctx, &form)) {
		/* The question again, with a fresh token. */
		r->status = 403;
		api_query_any(ctx, "SELECT public_cancel_state($1)", 1,
			      ctx->args, public_cancel_done);
	} else
		api_query_any(ctx,
			      "SELECT answer, event_id FROM public_cancel($1)",
			      1, ctx->args, public_cancel_done);
	evhttp_clear_headers(&form);
}
