/*
 * scanload against fake check-in servers (evhttp in this process, which
 * answer exactly once per token and replay by nonce, and fail on demand):
 * that it sends what it promises, retries with the same nonce and body on
 * another instance, and tells malformed answers and lost scans apart.
 */
#include "xmalloc.h"

#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define EVENT_ID "7"
#define BEARER	 "sekret"
#define MAX_ARGS 32

enum fake_mode {
	FAKE_OK,
	FAKE_503_FIRST,	 /* the first attempt of every nonce gets 503 */
	FAKE_HOLD_FIRST, /* the first attempt of every nonce gets no answer */
	FAKE_ALWAYS_503,
};

struct world;

struct fake {
	struct world *w;
	struct evhttp *http;
	int index;
	int port;
	enum fake_mode mode;
	int requests;
};

/* What the fakes know about one nonce. */
struct nonce_rec {
	char *nonce;
	char *body;
	char *answer;
	int attempts;
	unsigned servers; /* bit per fake that saw it */
	bool body_changed;
};

struct world {
	struct event_base *base;
	struct fake fakes[2];
	char dir[64];
	char **valid;
	bool *checked;
	size_t nvalid;
	struct nonce_rec *recs;
	size_t nrecs;
	const char *garble_token; /* answered with garble_body */
	const char *garble_body;
	const char *garble_ctype;
	int bad_requests; /* wrong path, method, auth or body */
	int checkins;
	int unknown;
	pid_t child;
	int child_status;
};

static void
reply(struct evhttp_request *req, int status, const char *ctype,
      const char *body)
{
	struct evbuffer *buf = evbuffer_new();

	evbuffer_add(buf, body, strlen(body));
	evhttp_add_header(evhttp_request_get_output_headers(req),
			  "Content-Type", ctype);
	evhttp_send_reply(req, status, "x", buf);
	evbuffer_free(buf);
}

static void
reply_error(struct evhttp_request *req, int status, const char *code)
{
	char *body;

	xasprintf(&body, "{\"error\":{\"code\":\"%s\",\"message\":\"m\"}}",
		  code);
	reply(req, status, "application/json; charset=utf-8", body);
	free(body);
}

static struct nonce_rec *
rec_borrow(struct world *w, const char *nonce, const char *body)
{
	struct nonce_rec *r;

	for (size_t i = 0; i < w->nrecs; i++)
		if (strcmp(w->recs[i].nonce, nonce) == 0) {
			r = &w->recs[i];
			r->body_changed |= strcmp(r->body, body) != 0;
			return r;
		}
	w->recs = xrealloc(w->recs, (w->nrecs + 1) * sizeof *w->recs);
	r = &w->recs[w->nrecs++];
	*r = (struct nonce_rec){.nonce = xstrdup(nonce), .body = xstrdup(body)};
	return r;
}

/* The one answer a nonce ever gets: the server's exactly-once rule. */
static char *
decide_new(struct world *w, const char *token)
{
	char *answer;

	for (size_t i = 0; i < w->nvalid; i++) {
		const char *result = "already_checked_in";

		if (strcmp(w->valid[i], token) != 0)
			continue;
		if (!w->checked[i]) {
			w->checked[i] = true;
			w->checkins++;
			result = "checked_in";
		}
		xasprintf(&answer,
			  "{\"result\":\"%s\",\"kind\":\"seeker\",\"name\":"
			  "\"山口 太郎\",\"first_checked_in_at\":\"2025-06-01T"
			  "10:00:00+09:00\",\"counts\":{\"seekers\":{"
			  "\"checked_in\":%d,\"target\":100},\"companies\":{"
			  "\"checked_in\":0,\"target\":null}}}",
			  result, w->checkins);
		return answer;
	}
	w->unknown++;
	return xstrdup("{\"result\":\"unknown_token\"}");
}

static bool
string_field(const cJSON *o, const char *name)
{
	return cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, name));
}

static void
fake_cb(struct evhttp_request *req, void *arg)
{
	struct fake *f = arg;
	struct world *w = f->w;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	const char *auth = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Authorization");
	size_t len = evbuffer_get_length(in);
	char *body = xcalloc(1, len + 1);
	cJSON *json;
	struct nonce_rec *r;
	const char *token;

	f->requests++;
	evbuffer_remove(in, body, len);
	json = cJSON_Parse(body);
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST ||
	    strcmp(evhttp_request_get_uri(req),
		   "/api/v1/events/" EVENT_ID "/checkins") != 0 ||
	    auth == NULL || strcmp(auth, "Bearer " BEARER) != 0 ||
	    !string_field(json, "token") || !string_field(json, "desk") ||
	    !string_field(json, "scanned_at") || !string_field(json, "nonce")) {
		w->bad_requests++;
		reply_error(req, 400, "bad_request");
		goto out;
	}
	r = rec_borrow(w, cJSON_GetObjectItem(json, "nonce")->valuestring,
		       body);
	r->attempts++;
	r->servers |= 1u << f->index;
	if (f->mode == FAKE_ALWAYS_503 ||
	    (f->mode == FAKE_503_FIRST && r->attempts == 1)) {
		reply_error(req, 503, "unavailable");
		goto out;
	}
	if (f->mode == FAKE_HOLD_FIRST && r->attempts == 1)
		goto out; /* evhttp_free drops it at the end */
	token = cJSON_GetObjectItem(json, "token")->valuestring;
	if (r->answer == NULL)
		r->answer = decide_new(w, token);
	if (w->garble_token != NULL && strcmp(token, w->garble_token) == 0)
		reply(req, 200, w->garble_ctype, w->garble_body);
	else
		reply(req, 200, "application/json; charset=utf-8", r->answer);
out:
	cJSON_Delete(json);
	free(body);
}

static void
child_cb(evutil_socket_t sig, short what, void *arg)
{
	struct world *w = arg;

	(void)sig;
	(void)what;
	if (waitpid(w->child, &w->child_status, WNOHANG) == w->child)
		event_base_loopbreak(w->base);
}

static void
guard_cb(evutil_socket_t fd, short what, void *arg)
{
	struct world *w = arg;

	(void)fd;
	(void)what;
	kill(w->child, SIGKILL);
}

static int
fake_start(struct world *w, int i, enum fake_mode mode)
{
	struct fake *f = &w->fakes[i];
	struct evhttp_bound_socket *bound;
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;

	*f = (struct fake){.w = w, .index = i, .mode = mode};
	f->http = evhttp_new(w->base);
	evhttp_set_gencb(f->http, fake_cb, f);
	evhttp_set_allowed_methods(f->http, EVHTTP_REQ_POST | EVHTTP_REQ_GET);
	bound = evhttp_bind_socket_with_handle(f->http, "127.0.0.1", 0);
	if (bound == NULL)
		return -1;
	getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin,
		    &slen);
	f->port = ntohs(sin.sin_port);
	return 0;
}

/* A port nothing listens on: bound once, then closed. */
static int
closed_port(void)
{
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t slen = sizeof sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	bind(fd, (struct sockaddr *)&sin, sizeof sin);
	getsockname(fd, (struct sockaddr *)&sin, &slen);
	close(fd);
	return ntohs(sin.sin_port);
}

static struct world *
world_new(size_t nvalid, enum fake_mode a, enum fake_mode b)
{
	struct world *w = xcalloc(1, sizeof *w);
	char path[128];
	FILE *f;

	w->base = event_base_new();
	assert_int_equal(fake_start(w, 0, a), 0);
	assert_int_equal(fake_start(w, 1, b), 0);
	strcpy(w->dir, "/tmp/test_scanload.XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	snprintf(path, sizeof path, "%s/tokens", w->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	w->nvalid = nvalid;
	w->valid = xcalloc(nvalid, sizeof *w->valid);
	w->checked = xcalloc(nvalid, sizeof *w->checked);
	for (size_t i = 0; i < nvalid; i++) {
		xasprintf(&w->valid[i], "JF1-TESTTOKEN%017zu", i);
		for (char *p = w->valid[i] + 13; *p != '\0'; p++)
			*p = (char)('A' + (*p - '0')); /* digits to base32 */
		fprintf(f, "%s\n", w->valid[i]);
	}
	fclose(f);
	return w;
}

static void
world_free(struct world *w)
{
	char cmd[128];

	for (int i = 0; i < 2; i++)
		evhttp_free(w->fakes[i].http);
	event_base_free(w->base);
	for (size_t i = 0; i < w->nrecs; i++) {
		free(w->recs[i].nonce);
		free(w->recs[i].body);
		free(w->recs[i].answer);
	}
	free(w->recs);
	for (size_t i = 0; i < w->nvalid; i++)
		free(w->valid[i]);
	free(w->valid);
	free(w->checked);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", w->dir);
	assert_int_equal(system(cmd), 0);
	free(w);
}

static char *
server_url_new(struct world *w, int i)
{
	char *url;

	xasprintf(&url, "http://127.0.0.1:%d", w->fakes[i].port);
	return url;
}

static char *
slurp_new(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = xcalloc(1, len + 1);
	assert_int_equal(fread(text, 1, len, f), (size_t)len);
	fclose(f);
	return text;
}

/*
 * Runs scanload with the token file and the given options (NULL-ended)
 * while the fakes serve; returns its exit status and the summary line.
 */
static int
scanload_run(struct world *w, cJSON **summary, ...)
{
	const char *argv[MAX_ARGS];
	char tokens[128], out[128], jsonl[128];
	struct event *sigchld, *guard;
	struct timeval limit = {60, 0};
	va_list ap;
	int argc = 0;
	char *text, *last;

	snprintf(tokens, sizeof tokens, "%s/tokens", w->dir);
	snprintf(out, sizeof out, "%s/summary", w->dir);
	snprintf(jsonl, sizeof jsonl, "%s/scans.jsonl", w->dir);
	argv[argc++] = SCANLOAD_PATH;
	argv[argc++] = "--token-file";
	argv[argc++] = tokens;
	argv[argc++] = "--out";
	argv[argc++] = jsonl;
	va_start(ap, summary);
	while ((argv[argc] = va_arg(ap, const char *)) != NULL)
		argc++;
	va_end(ap);
	sigchld = evsignal_new(w->base, SIGCHLD, child_cb, w);
	event_add(sigchld, NULL);
	w->child = fork();
	assert_true(w->child >= 0);
	if (w->child == 0) {
		if (freopen(out, "w", stdout) == NULL)
			_exit(127);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	guard = evtimer_new(w->base, guard_cb, w);
	evtimer_add(guard, &limit);
	/* The child may be gone before the loop starts: look once first. */
	if (waitpid(w->child, &w->child_status, WNOHANG) != w->child)
		event_base_dispatch(w->base);
	event_free(guard);
	event_free(sigchld);
	assert_true(WIFEXITED(w->child_status));
	text = slurp_new(out);
	last = strrchr(text, '{');
	*summary = last != NULL ? cJSON_Parse(last) : NULL;
	free(text);
	return WEXITSTATUS(w->child_status);
}

static long
num(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(v))
		fail_msg("summary has no number %s", name);
	return (long)v->valuedouble;
}

/* The per-scan lines, as one array. */
static cJSON *
scans_new(struct world *w)
{
	char path[128], *text, *save = NULL;
	cJSON *all = cJSON_CreateArray();

	snprintf(path, sizeof path, "%s/scans.jsonl", w->dir);
	text = slurp_new(path);
	for (char *line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		cJSON *o = cJSON_Parse(line);

		assert_non_null(o);
		cJSON_AddItemToArray(all, o);
	}
	free(text);
	return all;
}

static void
test_clean_run(void **state)
{
	struct world *w = world_new(30, FAKE_OK, FAKE_OK);
	char *a = server_url_new(w, 0), *b = server_url_new(w, 1), *servers;
	cJSON *sum, *scans, *s;
	int rc, answered_true = 0;

	(void)state;
	xasprintf(&servers, "%s,%s", a, b);
	rc = scanload_run(w, &sum, "--servers", servers, "--event", EVENT_ID,
			  "--token", BEARER, "--repeat", "3", "--garbage", "20",
			  "--concurrency", "8", NULL);
	assert_int_equal(rc, 0);
	assert_non_null(sum);
	assert_int_equal(num(sum, "sent"), 110);
	assert_int_equal(num(sum, "valid_scans"), 90);
	assert_int_equal(num(sum, "garbage_scans"), 20);
	assert_int_equal(num(sum, "attempts"), 110);
	assert_int_equal(num(sum, "answered"), 110);
	assert_int_equal(num(sum, "unanswered"), 0);
	assert_int_equal(num(sum, "retried"), 0);
	assert_int_equal(num(sum, "acked_checked_in"), 30);
	assert_int_equal(num(sum, "distinct_checked_in"), 30);
	assert_int_equal(num(sum, "acked_twice"), 0);
	assert_int_equal(num(sum, "already_checked_in"), 60);
	assert_int_equal(num(sum, "unknown_token"), 20);
	assert_int_equal(num(sum, "valid_refused"), 0);
	assert_int_equal(num(sum, "garbage_accepted"), 0);
	assert_int_equal(num(sum, "malformed"), 0);
	assert_int_equal(num(sum, "status_5xx"), 0);
	/* What the servers saw: well-formed requests, one nonce per scan. */
	assert_int_equal(w->bad_requests, 0);
	assert_int_equal(w->checkins, 30);
	assert_int_equal(w->unknown, 20); /* no garbage hit a real token */
	assert_int_equal(w->nrecs, 110);
	for (size_t i = 0; i < w->nrecs; i++)
		assert_int_equal(w->recs[i].attempts, 1);
	assert_true(w->fakes[0].requests > 0 && w->fakes[1].requests > 0);
	scans = scans_new(w);
	assert_int_equal(cJSON_GetArraySize(scans), 110);
	cJSON_ArrayForEach(s, scans)
	{
		answered_true +=
		    cJSON_IsTrue(cJSON_GetObjectItem(s, "answered"));
		assert_int_equal(cJSON_GetObjectItem(s, "status")->valuedouble,
				 200);
	}
	assert_int_equal(answered_true, 110);
	cJSON_Delete(scans);
	cJSON_Delete(sum);
	free(servers);
	free(a);
	free(b);
	world_free(w);
}

/*
 * The same --seed replays the same scans with the same nonces; --limit
 * replays the first of them only.
 */
static void
test_seed_replays(void **state)
{
	struct world *w = world_new(10, FAKE_OK, FAKE_OK);
	char *a = server_url_new(w, 0);
	cJSON *first, *second, *third;
	int replayed_twice = 0;

	(void)state;
	assert_int_equal(scanload_run(w, &first, "--servers", a, "--event",
				      EVENT_ID, "--token", BEARER, "--repeat",
				      "2", "--garbage", "5", "--seed", "42",
				      NULL),
			 0);
	assert_int_equal(scanload_run(w, &second, "--servers", a, "--event",
				      EVENT_ID, "--token", BEARER, "--repeat",
				      "2", "--garbage", "5", "--seed", "42",
				      NULL),
			 0);
	assert_int_equal(w->nrecs, 25);
	assert_int_equal(w->checkins, 10);
	for (size_t i = 0; i < w->nrecs; i++)
		assert_int_equal(w->recs[i].attempts, 2);
	assert_int_equal(num(second, "acked_checked_in"), 10);
	assert_int_equal(num(second, "unknown_token"),
			 num(first, "unknown_token"));
	assert_string_equal(cJSON_GetObjectItem(first, "seed")->valuestring,
			    "42");
	assert_int_equal(scanload_run(w, &third, "--servers", a, "--event",
				      EVENT_ID, "--token", BEARER, "--repeat",
				      "2", "--garbage", "5", "--seed", "42",
				      "--limit", "7", NULL),
			 0);
	assert_int_equal(num(third, "sent"), 7);
	assert_int_equal(w->nrecs, 25);
	for (size_t i = 0; i < w->nrecs; i++)
		replayed_twice += w->recs[i].attempts == 3;
	assert_int_equal(replayed_twice, 7);
	cJSON_Delete(first);
	cJSON_Delete(second);
	cJSON_Delete(third);
	free(a);
	world_free(w);
}

static void
test_retry_same_nonce_other_server(void **state)
{
	struct world *w = world_new(10, FAKE_503_FIRST, FAKE_503_FIRST);
	char *a = server_url_new(w, 0), *b = server_url_new(w, 1), *servers;
	cJSON *sum;

	(void)state;
	xasprintf(&servers, "%s,%s", a, b);
	assert_int_equal(scanload_run(w, &sum, "--servers", servers, "--event",
				      EVENT_ID, "--token", BEARER, "--repeat",
				      "2", "--garbage", "5", "--concurrency",
				      "4", NULL),
			 0);
	assert_int_equal(num(sum, "sent"), 25);
	assert_int_equal(num(sum, "attempts"), 50);
	assert_int_equal(num(sum, "retried"), 25);
	assert_int_equal(num(sum, "status_5xx"), 25);
	assert_int_equal(num(sum, "status_503"), 25);
	assert_int_equal(num(sum, "answered"), 25);
	assert_int_equal(num(sum, "acked_checked_in"), 10);
	assert_int_equal(num(sum, "malformed"), 0);
	assert_int_equal(w->nrecs, 25);
	for (size_t i = 0; i < w->nrecs; i++) {
		assert_int_equal(w->recs[i].attempts, 2);
		assert_false(w->recs[i].body_changed);
		assert_int_equal(w->recs[i].servers, 3u); /* both instances */
	}
	cJSON_Delete(sum);
	free(servers);
	free(a);
	free(b);
	world_free(w);
}

static void
test_refused_server(void **state)
{
	struct world *w = world_new(10, FAKE_OK, FAKE_OK);
	char *a = server_url_new(w, 0), *servers;
	cJSON *sum;

	(void)state;
	xasprintf(&servers, "http://127.0.0.1:%d,%s", closed_port(), a);
	assert_int_equal(scanload_run(w, &sum, "--servers", servers, "--event",
				      EVENT_ID, "--token", BEARER,
				      "--concurrency", "4", NULL),
			 0);
	assert_int_equal(num(sum, "answered"), 10);
	assert_int_equal(num(sum, "acked_checked_in"), 10);
	assert_true(num(sum, "transport_errors") > 0);
	assert_int_equal(num(sum, "retried"), num(sum, "transport_errors"));
	assert_int_equal(w->checkins, 10);
	cJSON_Delete(sum);
	free(servers);
	free(a);
	world_free(w);
}

static void
test_timeout_then_other_server(void **state)
{
	struct world *w = world_new(6, FAKE_HOLD_FIRST, FAKE_OK);
	char *a = server_url_new(w, 0), *b = server_url_new(w, 1), *servers;
	cJSON *sum;

	(void)state;
	xasprintf(&servers, "%s,%s", a, b);
	assert_int_equal(scanload_run(w, &sum, "--servers", servers, "--event",
				      EVENT_ID, "--token", BEARER,
				      "--concurrency", "6", "--timeout", "1",
				      NULL),
			 0);
	/* Scanners 1, 3, 5 start on the holding instance. */
	assert_int_equal(num(sum, "timeouts"), 3);
	assert_int_equal(num(sum, "retried"), 3);
	assert_int_equal(num(sum, "answered"), 6);
	assert_int_equal(num(sum, "acked_checked_in"), 6);
	assert_true(num(sum, "max_ms") >= 1000);
	cJSON_Delete(sum);
	free(servers);
	free(a);
	free(b);
	world_free(w);
}

static void
malformed_case(const char *ctype, const char *body)
{
	struct world *w = world_new(5, FAKE_OK, FAKE_OK);
	char *a = server_url_new(w, 0);
	cJSON *sum, *scans, *s;
	int flagged = 0;

	w->garble_token = w->valid[2];
	w->garble_ctype = ctype;
	w->garble_body = body;
	assert_int_equal(scanload_run(w, &sum, "--servers", a, "--event",
				      EVENT_ID, "--token", BEARER, NULL),
			 1);
	assert_int_equal(num(sum, "malformed"), 1);
	assert_int_equal(num(sum, "answered"), 5);
	scans = scans_new(w);
	cJSON_ArrayForEach(s, scans)
	{
		if (!cJSON_IsTrue(cJSON_GetObjectItem(s, "malformed")))
			continue;
		flagged++;
		assert_string_equal(
		    cJSON_GetObjectItem(s, "token")->valuestring, w->valid[2]);
		assert_true(string_field(s, "error"));
	}
	assert_int_equal(flagged, 1);
	cJSON_Delete(scans);
	cJSON_Delete(sum);
	free(a);
	world_free(w);
}

static void
test_malformed_html(void **state)
{
	(void)state;
	malformed_case("text/html", "<html>oops</html>");
}

static void
test_malformed_truncated_json(void **state)
{
	(void)state;
	malformed_case("application/json", "{\"result\":\"checked_in\"");
}

static void
test_malformed_without_counts(void **state)
{
	(void)state;
	malformed_case(
	    "application/json",
	    "{\"result\":\"checked_in\",\"kind\":\"seeker\",\"name\":"
	    "\"x\",\"first_checked_in_at\":\"2025-06-01\"}");
}

static void
test_malformed_unknown_result(void **state)
{
	(void)state;
	malformed_case("application/json", "{\"result\":\"ok\"}");
}

static void
test_never_answered(void **state)
{
	struct world *w = world_new(3, FAKE_ALWAYS_503, FAKE_ALWAYS_503);
	char *a = server_url_new(w, 0), *b = server_url_new(w, 1), *servers;
	cJSON *sum;

	(void)state;
	xasprintf(&servers, "%s,%s", a, b);
	assert_int_equal(scanload_run(w, &sum, "--servers", servers, "--event",
				      EVENT_ID, "--token", BEARER,
				      "--retry-seconds", "1", NULL),
			 1);
	assert_int_equal(num(sum, "unanswered"), 3);
	assert_int_equal(num(sum, "answered"), 0);
	assert_int_equal(num(sum, "acked_checked_in"), 0);
	assert_int_equal(w->checkins, 0);
	for (size_t i = 0; i < w->nrecs; i++)
		assert_true(w->recs[i].attempts >= 3);
	cJSON_Delete(sum);
	free(servers);
	free(a);
	free(b);
	world_free(w);
}

static void
test_usage_errors(void **state)
{
	struct world *w = world_new(1, FAKE_OK, FAKE_OK);
	cJSON *sum;

	(void)state;
	assert_int_equal(scanload_run(w, &sum, "--event", EVENT_ID, NULL), 2);
	assert_null(sum);
	assert_int_equal(scanload_run(w, &sum, "--servers", "http://x",
				      "--event", EVENT_ID, "--token", BEARER,
				      "--repeat", "0", NULL),
			 2);
	assert_null(sum);
	assert_int_equal(
	    scanload_run(w, &sum, "--servers", "http://x", "--help", NULL), 0);
	assert_null(sum);
	assert_int_equal(w->fakes[0].requests + w->fakes[1].requests, 0);
	world_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean_run),
	    cmocka_unit_test(test_seed_replays),
	    cmocka_unit_test(test_retry_same_nonce_other_server),
	    cmocka_unit_test(test_refused_server),
	    cmocka_unit_test(test_timeout_then_other_server),
	    cmocka_unit_test(test_malformed_html),
	    cmocka_unit_test(test_malformed_truncated_json),
	    cmocka_unit_test(test_malformed_without_counts),
	    cmocka_unit_test(test_malformed_unknown_result),
	    cmocka_unit_test(test_never_answered),
	    cmocka_unit_test(test_usage_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
