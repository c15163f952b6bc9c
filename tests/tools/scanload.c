/*
 * scanload: a crowd of front desks for the check-in endpoint, for the
 * concurrency and fault tests. Every valid token is scanned `repeat`
 * times, mixed with garbage, in a random order, by `concurrency` scanners
 * spread over several jobfaird instances. A scan keeps its nonce and its
 * body for life: a failed attempt (no connection, reset, timeout, 5xx) is
 * retried on the next instance after a short backoff until the scan's
 * time is spent, which is what a desk does and what makes the server's
 * exactly-once promise testable. Every answer is checked for the promised
 * shape; one JSON line per scan goes to --out and a summary line to
 * standard output.
 */
#include "xmalloc.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_FIRST_MS 25
#define BACKOFF_MAX_MS	 1000
#define POLL_MAX_MS	 100

struct options {
	char **servers;
	int nservers;
	long event;
	const char *token_file;
	const char *bearer;
	const char *out;
	long repeat;
	long garbage;
	long concurrency;
	long retry_seconds;
	long timeout_seconds;
	long limit; /* send only the first `limit` scans; 0: all */
	uint64_t seed;
	bool help;
};

struct scan {
	char *token;
	bool valid; /* from the token file, not garbage */
	char nonce[48];
	char *body; /* built at the first attempt, resent unchanged */
	char desk[16];
	int attempts;
	int server;	/* index of the instance last tried */
	int status;	/* last HTTP status; 0 if none came */
	char *result;	/* result word, or the error code of a 4xx */
	char *error;	/* why the last attempt failed or was malformed */
	bool malformed; /* some answer to this scan broke the promised shape */
	bool answered;
	double first_ms;
	double ms; /* first attempt to final answer */
};

struct scanner {
	int id;
	CURL *easy;
	struct scan *scan; /* NULL while idle */
	bool in_flight;
	double due_ms; /* when the next attempt may start */
	char *resp;
	size_t resp_len;
	char errbuf[CURL_ERROR_SIZE];
};

struct totals {
	long attempts, answered, unanswered, retried, acked, distinct,
	    acked_twice, already, unknown, wrong_event, cancelled, status_4xx,
	    status_5xx, status_503, transport_errors, timeouts, malformed,
	    valid_refused, garbage_accepted, valid_scans, garbage_scans;
	double max_ms;
};

struct load {
	struct options opt;
	struct scan *scans;
	size_t nscans, next, done;
	struct scanner *scanners;
	CURLM *multi;
	struct curl_slist *headers;
	char **urls; /* the check-in URL on each instance */
	FILE *out;
	uint64_t rng;
	struct totals t;
};

static const char *const scan_results[] = {"checked_in", "already_checked_in",
					   "unknown_token", "wrong_event",
					   "cancelled"};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* splitmix64: reproducible from --seed, which the summary reports. */
static uint64_t
rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t
rng_below(uint64_t *state, size_t n)
{
	return (size_t)(rng_next(state) % n);
}

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: scanload --servers URL[,URL…] --event ID --token BEARER\n"
	    "                --token-file FILE [--repeat N] [--garbage N]\n"
	    "                [--concurrency N] [--retry-seconds S]\n"
	    "                [--timeout S] [--seed N] [--limit N]\n"
	    "                [--out FILE.jsonl]\n"
	    "Scans every token of FILE N times (default 1) plus garbage,\n"
	    "shuffled, and checks each answer. The same --seed makes the\n"
	    "same scans with the same nonces (a replay); --limit sends\n"
	    "only the first N of them. Exits 1 if an answer was malformed\n"
	    "or a scan got none, 2 on a usage error.\n");
}

static int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void
parse_servers(struct options *o, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;

	for (char *s = strtok_r(copy, ",", &save); s != NULL;
	     s = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(s);

		while (len > 0 && s[len - 1] == '/')
			len--;
		o->servers = xrealloc(o->servers,
				      (o->nservers + 1) * sizeof *o->servers);
		o->servers[o->nservers++] = xstrndup(s, len);
	}
	free(copy);
}

static int
parse_options(struct options *o, int argc, char **argv, char **cause)
{
	static const struct option longopts[] = {
	    {"servers", required_argument, NULL, 's'},
	    {"event", required_argument, NULL, 'e'},
	    {"token-file", required_argument, NULL, 'f'},
	    {"token", required_argument, NULL, 't'},
	    {"out", required_argument, NULL, 'o'},
	    {"repeat", required_argument, NULL, 'r'},
	    {"garbage", required_argument, NULL, 'g'},
	    {"concurrency", required_argument, NULL, 'c'},
	    {"retry-seconds", required_argument, NULL, 'R'},
	    {"timeout", required_argument, NULL, 'T'},
	    {"seed", required_argument, NULL, 'S'},
	    {"limit", required_argument, NULL, 'L'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	long seed = -1;
	int c, bad = 0;

	*o = (struct options){.repeat = 1,
			      .concurrency = 8,
			      .retry_seconds = 30,
			      .timeout_seconds = 10};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			parse_servers(o, optarg);
			break;
		case 'e':
			bad |= parse_long(optarg, 1, INT64_MAX, &o->event);
			break;
		case 'f':
			o->token_file = optarg;
			break;
		case 't':
			o->bearer = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'r':
			bad |= parse_long(optarg, 1, 1000, &o->repeat);
			break;
		case 'g':
			bad |= parse_long(optarg, 0, 10000000, &o->garbage);
			break;
		case 'c':
			bad |= parse_long(optarg, 1, 1024, &o->concurrency);
			break;
		case 'R':
			bad |= parse_long(optarg, 0, 86400, &o->retry_seconds);
			break;
		case 'T':
			bad |= parse_long(optarg, 1, 3600, &o->timeout_seconds);
			break;
		case 'S':
			bad |= parse_long(optarg, 0, INT64_MAX, &seed);
			break;
		case 'L':
			bad |= parse_long(optarg, 1, INT64_MAX, &o->limit);
			break;
		case 'h':
			o->help = true;
			return 0;
		default:
			bad = -1;
			break;
		}
	}
	if (bad != 0 || optind != argc) {
		xasprintf(cause, "bad or extra arguments");
		return -1;
	}
	if (o->nservers == 0 || o->event == 0 || o->token_file == NULL ||
	    o->bearer == NULL) {
		xasprintf(cause, "--servers, --event, --token and --token-file "
				 "are required");
		return -1;
	}
	if (seed >= 0)
		o->seed = (uint64_t)seed;
	else if (getrandom(&o->seed, sizeof o->seed, 0) != sizeof o->seed) {
		xasprintf(cause, "getrandom failed");
		return -1;
	}
	o->seed &= INT64_MAX; /* so that --seed can repeat it */
	return 0;
}

static void
scans_add(struct load *l, char *token, bool valid)
{
	struct scan *s = &l->scans[l->nscans];

	*s = (struct scan){.token = token, .valid = valid};
	l->nscans++;
}

/*
 * One garbage scan: unknown but well-formed tokens, a wrong prefix or
 * length, the wrong alphabet, quotes and SQL, non-ASCII, nothing at all.
 * None of them normalises to a real token (case and spaces are what the
 * server forgives, and those are never applied to a valid token here).
 */
static char *
garbage_new(uint64_t *rng)
{
	static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	static const char *const fixed[] = {
	    "",
	    "'; DROP TABLE checkins; --",
	    "\" OR 1=1 --",
	    "JF1-",
	    "\xef\xbc\xaa\xef\xbc\xa6\xef\xbc\x91-\xe5\xb1\xb1\xe5\x8f\xa3",
	    "https://example.com/?q=JF1-",
	    "\\u0000\\n\\t%00"};
	char body[27];
	char *g;

	for (int i = 0; i < 26; i++)
		body[i] = b32[rng_below(rng, 32)];
	body[26] = '\0';
	switch (rng_below(rng, 5)) {
	case 0:
	case 1:
		xasprintf(&g, "JF1-%s", body);
		break;
	case 2:
		xasprintf(&g, "JF9-%s", body);
		break;
	case 3:
		body[rng_below(rng, 26)] = "0189"[rng_below(rng, 4)];
		xasprintf(&g, "JF1-%.*s", 10 + (int)rng_below(rng, 20), body);
		break;
	default:
		g = xstrdup(
		    fixed[rng_below(rng, sizeof fixed / sizeof *fixed)]);
		break;
	}
	return g;
}

static int
scans_load(struct load *l, char **cause)
{
	FILE *f = fopen(l->opt.token_file, "r");
	char *line = NULL, **tokens = NULL;
	size_t cap = 0, ntokens = 0;
	ssize_t len;

	if (f == NULL) {
		xasprintf(cause, "%s: %m", l->opt.token_file);
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		char *t = line;

		while (len > 0 && strchr(" \t\r\n", line[len - 1]) != NULL)
			line[--len] = '\0';
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t == '\0')
			continue;
		tokens = xrealloc(tokens, (ntokens + 1) * sizeof *tokens);
		tokens[ntokens++] = xstrdup(t);
	}
	free(line);
	fclose(f);
	l->scans = xcalloc(ntokens * l->opt.repeat + l->opt.garbage + 1,
			   sizeof *l->scans);
	for (size_t i = 0; i < ntokens; i++) {
		for (long r = 0; r < l->opt.repeat; r++)
			scans_add(l, r == 0 ? tokens[i] : xstrdup(tokens[i]),
				  true);
	}
	free(tokens);
	for (long i = 0; i < l->opt.garbage; i++)
		scans_add(l, garbage_new(&l->rng), false);
	for (size_t i = l->nscans; i > 1; i--) {
		size_t j = rng_below(&l->rng, i);
		struct scan tmp = l->scans[i - 1];

		l->scans[i - 1] = l->scans[j];
		l->scans[j] = tmp;
	}
	while (l->opt.limit > 0 && l->nscans > (size_t)l->opt.limit)
		free(l->scans[--l->nscans].token);
	return 0;
}

static size_t
write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct scanner *sc = arg;

	sc->resp = xrealloc(sc->resp, sc->resp_len + size * n + 1);
	memcpy(sc->resp + sc->resp_len, data, size * n);
	sc->resp_len += size * n;
	sc->resp[sc->resp_len] = '\0';
	return size * n;
}

static bool
is_result_word(const char *w)
{
	for (size_t i = 0; i < sizeof scan_results / sizeof *scan_results; i++)
		if (strcmp(w, scan_results[i]) == 0)
			return true;
	return false;
}

static bool
has_count(const cJSON *counts, const char *kind)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(counts, kind);

	return cJSON_IsNumber(
	    cJSON_GetObjectItemCaseSensitive(o, "checked_in"));
}

/*
 * Whether a 200 has the shape the check-in API promises; the result word
 * goes to *word. Who was found carries kind, name and first time, and
 * every found scan the live counts.
 */
static int
check_answer(const cJSON *root, char **word, char **cause)
{
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
	const cJSON *first =
	    cJSON_GetObjectItemCaseSensitive(root, "first_checked_in_at");
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(root, "counts");

	if (!cJSON_IsString(result) || !is_result_word(result->valuestring)) {
		xasprintf(cause, "no valid result");
		return -1;
	}
	*word = xstrdup(result->valuestring);
	if (strcmp(*word, "checked_in") != 0 &&
	    strcmp(*word, "already_checked_in") != 0)
		return 0;
	if (!cJSON_IsString(kind) ||
	    (strcmp(kind->valuestring, "seeker") != 0 &&
	     strcmp(kind->valuestring, "company") != 0)) {
		xasprintf(cause, "%s without a valid kind", *word);
		return -1;
	}
	if (!cJSON_IsString(name) && !cJSON_IsNull(name)) {
		xasprintf(cause, "%s without a name", *word);
		return -1;
	}
	if (!cJSON_IsString(first)) {
		xasprintf(cause, "%s without first_checked_in_at", *word);
		return -1;
	}
	if (!has_count(counts, "seekers") || !has_count(counts, "companies")) {
		xasprintf(cause, "%s without counts", *word);
		return -1;
	}
	return 0;
}

/* Whether an error has the project's shape: {"error":{"code","message"}}. */
static int
check_error(const cJSON *root, char **word, char **cause)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(err, "code");
	const cJSON *message = cJSON_GetObjectItemCaseSensitive(err, "message");

	if (!cJSON_IsString(code) || !cJSON_IsString(message)) {
		xasprintf(cause, "error without code and message");
		return -1;
	}
	*word = xstrdup(code->valuestring);
	return 0;
}

/*
 * Checks one HTTP answer: JSON by content type and by parse, then the
 * shape for its status. 0 and the result word (or error code) in *word,
 * else -1 and why; *word may be set either way.
 */
static int
check_response(int status, const char *ctype, const char *body, char **word,
	       char **cause)
{
	cJSON *root;
	int rc;

	*word = NULL;
	if (ctype == NULL || strncmp(ctype, "application/json", 16) != 0) {
		xasprintf(cause, "HTTP %d with content type %s", status,
			  ctype ? ctype : "(none)");
		return -1;
	}
	root = cJSON_ParseWithOpts(body ? body : "", NULL, true);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		xasprintf(cause,
			  "HTTP %d with a body that is not a JSON object",
			  status);
		return -1;
	}
	if (status == 200)
		rc = check_answer(root, word, cause);
	else if (status >= 400 && status <= 599)
		rc = check_error(root, word, cause);
	else {
		xasprintf(cause, "unexpected HTTP %d", status);
		rc = -1;
	}
	cJSON_Delete(root);
	return rc;
}

static void
scan_body(struct load *l, struct scanner *sc, struct scan *s)
{
	cJSON *o = cJSON_CreateObject();
	char when[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(s->desk, sizeof s->desk, "desk-%d", sc->id);
	snprintf(s->nonce, sizeof s->nonce, "sl-%016" PRIx64 "-%zu",
		 l->opt.seed, (size_t)(s - l->scans));
	cJSON_AddStringToObject(o, "token", s->token);
	cJSON_AddStringToObject(o, "desk", s->desk);
	cJSON_AddStringToObject(o, "scanned_at", when);
	cJSON_AddStringToObject(o, "nonce", s->nonce);
	s->body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
}

static void
scanner_send(struct load *l, struct scanner *sc)
{
	struct scan *s = sc->scan;

	if (s->body == NULL) {
		scan_body(l, sc, s);
		s->first_ms = now_ms();
	}
	sc->resp_len = 0;
	if (sc->resp != NULL)
		sc->resp[0] = '\0';
	curl_easy_setopt(sc->easy, CURLOPT_URL, l->urls[s->server]);
	curl_easy_setopt(sc->easy, CURLOPT_POSTFIELDS, s->body);
	sc->errbuf[0] = '\0';
	s->attempts++;
	l->t.attempts++;
	sc->in_flight = true;
	curl_multi_add_handle(l->multi, sc->easy);
}

static void
scan_write(struct load *l, const struct scan *s)
{
	cJSON *o = cJSON_CreateObject();
	char *line;

	cJSON_AddStringToObject(o, "token", s->token);
	cJSON_AddBoolToObject(o, "valid", s->valid);
	cJSON_AddStringToObject(o, "nonce", s->nonce);
	cJSON_AddStringToObject(o, "desk", s->desk);
	cJSON_AddStringToObject(o, "server", l->opt.servers[s->server]);
	cJSON_AddNumberToObject(o, "status", s->status);
	if (s->result != NULL)
		cJSON_AddStringToObject(o, "result", s->result);
	else
		cJSON_AddNullToObject(o, "result");
	cJSON_AddNumberToObject(o, "attempts", s->attempts);
	cJSON_AddBoolToObject(o, "answered", s->answered);
	cJSON_AddBoolToObject(o, "malformed", s->malformed);
	cJSON_AddNumberToObject(o, "ms", (long)(s->ms * 10) / 10.0);
	if (s->error != NULL)
		cJSON_AddStringToObject(o, "error", s->error);
	line = cJSON_PrintUnformatted(o);
	fprintf(l->out, "%s\n", line);
	cJSON_free(line);
	cJSON_Delete(o);
}

/* The scan has its final answer, or has run out of time. */
static void
scan_finish(struct load *l, struct scanner *sc, bool answered)
{
	struct scan *s = sc->scan;
	const char *r = s->result != NULL ? s->result : "";
	bool found = strcmp(r, "checked_in") == 0 ||
		     strcmp(r, "already_checked_in") == 0;

	s->answered = answered;
	s->ms = now_ms() - s->first_ms;
	if (s->ms > l->t.max_ms)
		l->t.max_ms = s->ms;
	if (s->attempts > 1)
		l->t.retried++;
	if (!answered)
		l->t.unanswered++;
	else {
		l->t.answered++;
		l->t.acked += strcmp(r, "checked_in") == 0;
		l->t.already += strcmp(r, "already_checked_in") == 0;
		l->t.unknown += strcmp(r, "unknown_token") == 0;
		l->t.wrong_event += strcmp(r, "wrong_event") == 0;
		l->t.cancelled += strcmp(r, "cancelled") == 0;
		if (s->valid && !found)
			l->t.valid_refused++;
		if (!s->valid && found)
			l->t.garbage_accepted++;
	}
	if (l->out != NULL)
		scan_write(l, s);
	sc->scan = NULL;
	l->done++;
}

/* Another attempt on the next instance after a backoff, if time is left. */
static void
scan_retry(struct load *l, struct scanner *sc)
{
	struct scan *s = sc->scan;
	int shift = s->attempts < 7 ? s->attempts - 1 : 6;
	double backoff = BACKOFF_FIRST_MS << shift, now = now_ms();

	if (backoff > BACKOFF_MAX_MS)
		backoff = BACKOFF_MAX_MS;
	backoff += rng_below(&l->rng, (size_t)backoff / 2 + 1);
	if (now + backoff - s->first_ms > l->opt.retry_seconds * 1000.0) {
		scan_finish(l, sc, false);
		return;
	}
	s->server = (s->server + 1) % l->opt.nservers;
	sc->due_ms = now + backoff;
}

static void
scanner_done(struct load *l, struct scanner *sc, CURLcode rc)
{
	struct scan *s = sc->scan;
	const char *ctype = NULL;
	char *word = NULL, *cause = NULL;
	long status = 0;

	curl_multi_remove_handle(l->multi, sc->easy);
	sc->in_flight = false;
	free(s->error);
	s->error = NULL;
	if (rc != CURLE_OK) {
		l->t.transport_errors++;
		l->t.timeouts += rc == CURLE_OPERATION_TIMEDOUT;
		s->error =
		    xstrdup(sc->errbuf[0] != '\0' ? sc->errbuf
						  : curl_easy_strerror(rc));
		scan_retry(l, sc);
		return;
	}
	curl_easy_getinfo(sc->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(sc->easy, CURLINFO_CONTENT_TYPE, &ctype);
	s->status = (int)status;
	if (check_response(s->status, ctype, sc->resp, &word, &cause) != 0) {
		l->t.malformed++;
		s->malformed = true;
		s->error = cause;
	}
	free(s->result);
	s->result = word;
	if (status >= 500) {
		l->t.status_5xx++;
		l->t.status_503 += status == 503;
		scan_retry(l, sc);
		return;
	}
	l->t.status_4xx += status >= 400;
	scan_finish(l, sc, true);
}

/* Gives idle scanners work; returns how long the loop may sleep. */
static long
scanners_start(struct load *l)
{
	double now = now_ms(), wait = POLL_MAX_MS;

	for (long i = 0; i < l->opt.concurrency; i++) {
		struct scanner *sc = &l->scanners[i];

		if (sc->in_flight)
			continue;
		if (sc->scan == NULL && l->next < l->nscans) {
			sc->scan = &l->scans[l->next++];
			sc->scan->server = (int)(i % l->opt.nservers);
			sc->due_ms = 0;
		}
		if (sc->scan == NULL)
			continue;
		if (sc->due_ms <= now)
			scanner_send(l, sc);
		else if (sc->due_ms - now < wait)
			wait = sc->due_ms - now;
	}
	return (long)wait;
}

static void
load_run(struct load *l)
{
	while (l->done < l->nscans) {
		CURLMsg *msg;
		int running, left;
		long wait = scanners_start(l);

		curl_multi_perform(l->multi, &running);
		while ((msg = curl_multi_info_read(l->multi, &left)) != NULL) {
			struct scanner *sc;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
					  (char **)&sc);
			scanner_done(l, sc, msg->data.result);
			wait = 0;
		}
		if (l->done < l->nscans)
			curl_multi_poll(l->multi, NULL, 0, (int)wait, NULL);
	}
}

static int
strcmp_cb(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct tokens answered checked_in, and those answered so twice. */
static void
count_distinct(struct load *l)
{
	const char **acked = xcalloc(l->t.acked + 1, sizeof *acked);
	size_t n = 0;

	for (size_t i = 0; i < l->nscans; i++) {
		const struct scan *s = &l->scans[i];

		l->t.valid_scans += s->valid;
		l->t.garbage_scans += !s->valid;
		if (s->answered && s->result != NULL &&
		    strcmp(s->result, "checked_in") == 0)
			acked[n++] = s->token;
	}
	qsort(acked, n, sizeof *acked, strcmp_cb);
	for (size_t i = 0; i < n; i++) {
		bool same_as_previous =
		    i > 0 && strcmp(acked[i], acked[i - 1]) == 0;

		if (!same_as_previous)
			l->t.distinct++;
		else if (i < 2 || strcmp(acked[i], acked[i - 2]) != 0)
			l->t.acked_twice++; /* counted once per token */
	}
	free(acked);
}

static void
summary_print(struct load *l, double elapsed_ms)
{
	const struct totals *t = &l->t;
	cJSON *o = cJSON_CreateObject();
	char *line, seed[24];
	const struct {
		const char *name;
		long value;
	} fields[] = {{"sent", (long)l->nscans},
		      {"valid_scans", t->valid_scans},
		      {"garbage_scans", t->garbage_scans},
		      {"attempts", t->attempts},
		      {"answered", t->answered},
		      {"unanswered", t->unanswered},
		      {"retried", t->retried},
		      {"acked_checked_in", t->acked},
		      {"distinct_checked_in", t->distinct},
		      {"acked_twice", t->acked_twice},
		      {"already_checked_in", t->already},
		      {"unknown_token", t->unknown},
		      {"wrong_event", t->wrong_event},
		      {"cancelled", t->cancelled},
		      {"valid_refused", t->valid_refused},
		      {"garbage_accepted", t->garbage_accepted},
		      {"status_4xx", t->status_4xx},
		      {"status_5xx", t->status_5xx},
		      {"status_503", t->status_503},
		      {"transport_errors", t->transport_errors},
		      {"timeouts", t->timeouts},
		      {"malformed", t->malformed},
		      {"max_ms", (long)t->max_ms},
		      {"elapsed_ms", (long)elapsed_ms}};

	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		cJSON_AddNumberToObject(o, fields[i].name, fields[i].value);
	/* As a string: a 63-bit seed does not survive a JSON double. */
	snprintf(seed, sizeof seed, "%" PRIu64, l->opt.seed);
	cJSON_AddStringToObject(o, "seed", seed);
	line = cJSON_PrintUnformatted(o);
	printf("%s\n", line);
	fflush(stdout);
	cJSON_free(line);
	cJSON_Delete(o);
}

static void
load_setup(struct load *l)
{
	char *auth;

	xasprintf(&auth, "Authorization: Bearer %s", l->opt.bearer);
	l->headers = curl_slist_append(NULL, auth);
	l->headers =
	    curl_slist_append(l->headers, "Content-Type: application/json");
	l->headers = curl_slist_append(l->headers, "Expect:");
	free(auth);
	l->urls = xcalloc(l->opt.nservers, sizeof *l->urls);
	for (int i = 0; i < l->opt.nservers; i++)
		xasprintf(&l->urls[i], "%s/api/v1/events/%ld/checkins",
			  l->opt.servers[i], l->opt.event);
	l->multi = curl_multi_init();
	l->scanners = xcalloc(l->opt.concurrency, sizeof *l->scanners);
	for (long i = 0; i < l->opt.concurrency; i++) {
		struct scanner *sc = &l->scanners[i];

		sc->id = (int)i + 1;
		sc->easy = curl_easy_init();
		curl_easy_setopt(sc->easy, CURLOPT_PRIVATE, sc);
		curl_easy_setopt(sc->easy, CURLOPT_HTTPHEADER, l->headers);
		curl_easy_setopt(sc->easy, CURLOPT_WRITEFUNCTION, write_cb);
		curl_easy_setopt(sc->easy, CURLOPT_WRITEDATA, sc);
		curl_easy_setopt(sc->easy, CURLOPT_ERRORBUFFER, sc->errbuf);
		curl_easy_setopt(sc->easy, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(sc->easy, CURLOPT_TIMEOUT_MS,
				 l->opt.timeout_seconds * 1000);
		curl_easy_setopt(sc->easy, CURLOPT_CONNECTTIMEOUT_MS,
				 l->opt.timeout_seconds * 1000 < 2000
				     ? l->opt.timeout_seconds * 1000
				     : 2000L);
	}
}

static void
load_free(struct load *l)
{
	for (long i = 0; i < l->opt.concurrency && l->scanners != NULL; i++) {
		curl_easy_cleanup(l->scanners[i].easy);
		free(l->scanners[i].resp);
	}
	free(l->scanners);
	if (l->multi != NULL)
		curl_multi_cleanup(l->multi);
	curl_slist_free_all(l->headers);
	for (int i = 0; i < l->opt.nservers; i++) {
		free(l->opt.servers[i]);
		if (l->urls != NULL)
			free(l->urls[i]);
	}
	free(l->opt.servers);
	free(l->urls);
	for (size_t i = 0; i < l->nscans; i++) {
		free(l->scans[i].token);
		cJSON_free(l->scans[i].body);
		free(l->scans[i].result);
		free(l->scans[i].error);
	}
	free(l->scans);
	if (l->out != NULL)
		fclose(l->out);
}

int
main(int argc, char **argv)
{
	struct load l = {0};
	char *cause = NULL;
	double start;
	int rc = 2;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (parse_options(&l.opt, argc, argv, &cause) != 0) {
		fprintf(stderr, "scanload: %s\n", cause);
		usage(stderr);
		free(cause);
		cause = NULL;
		goto out;
	}
	if (l.opt.help) {
		usage(stdout);
		rc = 0;
		goto out;
	}
	l.rng = l.opt.seed;
	if (scans_load(&l, &cause) != 0)
		goto out;
	if (l.opt.out != NULL && (l.out = fopen(l.opt.out, "w")) == NULL) {
		xasprintf(&cause, "%s: %m", l.opt.out);
		goto out;
	}
	load_setup(&l);
	start = now_ms();
	load_run(&l);
	count_distinct(&l);
	summary_print(&l, now_ms() - start);
	rc = l.t.malformed > 0 || l.t.unanswered > 0 ? 1 : 0;
	if (l.out != NULL && fclose(l.out) != 0) {
		xasprintf(&cause, "%s: %m", l.opt.out);
		rc = 2;
	}
	l.out = NULL;
out:
	if (cause != NULL)
		fprintf(stderr, "scanload: %s\n", cause);
	load_free(&l);
	curl_global_cleanup();
	free(cause);
	return rc;
}
