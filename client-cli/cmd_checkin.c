/*
 * jobfair checkin: the front desk's scanner loop. A USB scanner types a
 * code and Enter; each line gets one loud answer line at once.
 *
 * Every scan goes into the desk's journal (fsync'd, with its nonce)
 * before it is sent, so a crash or a lost answer loses nothing: the scan
 * is sent again by `jobfair sync` and the server, keyed by the nonce,
 * answers as before and counts it once. A scan the server answered is
 * marked uploaded. When the server cannot be reached the desk answers
 * from its roster and says OFFLINE; once the server answers again, the
 * scans made offline are uploaded before the next one is sent.
 */
#include "cmd_desk.h"

#include "client.h"
#include "cmd.h"
#include "desk.h"
#include "journal.h"
#include "roster.h"
#include "sync.h"
#include "table.h"
#include "token.h"
#include "vocab.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * While offline, ask the server again after this long: when the network
 * is gone rather than refused, each try costs a connect timeout, and
 * the queue must not wait for that on every scan.
 */
#define CHECKIN_RETRY_SECONDS 5
/*
 * A network that drops silently (Wi-Fi gone, a switch unplugged) answers
 * nothing rather than refusing; the person at the desk should not wait
 * the client's usual minute before the desk goes offline. A scan that
 * timed out but was taken is journaled with its nonce: the upload later
 * gets the same answer, nothing is counted twice.
 */
#define CHECKIN_TIMEOUT_SECONDS 5
#define JST_OFFSET		(9 * 3600)

struct checkin {
	struct cli *cli;
	struct desk desk;
	char *journal_path;
	struct journal *journal;
	struct roster *roster; /* NULL if this desk has none */
	struct roster_seen *seen;
	cJSON *counts;	 /* the latest counts known, as the server sends */
	bool online;	 /* the last request was answered */
	time_t retry_at; /* offline: when to ask the server again */
	bool backlog;	 /* the journal holds scans made offline */
	int refused;	 /* scans the server refused outright */
};

/* Now in Japan's time, as the server's scan log keeps scanned_at. */
static void
checkin_now(char out[32])
{
	time_t t = time(NULL) + JST_OFFSET;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

/* A string member as safe terminal text ("" if absent). */
static char *
checkin_text_new(const cJSON *o, const char *key)
{
	return table_cell_new(cJSON_GetObjectItemCaseSensitive(o, key));
}

/*
 * "手話通訳, 車いす, 支援者 1人": what the desk must act on, from a staff
 * scan's answer ("" when nothing). The answer never has the handbook.
 */
static char *
checkin_needs_new(const cJSON *answer)
{
	const cJSON *a,
	    *sup = cJSON_GetObjectItemCaseSensitive(answer, "supporters");
	char *out = xstrdup(""), *next;

	cJSON_ArrayForEach(
	    a, cJSON_GetObjectItemCaseSensitive(answer, "accommodations"))
	{
		const char *code = cJSON_GetStringValue(a), *label;

		if (code == NULL)
			continue;
		label = vocab_label_ja(VOCAB_ACCOMMODATION, code);
		xasprintf(&next, "%s%s%s", out, *out ? ", " : "",
			  label != NULL ? label : code);
		free(out);
		out = next;
	}
	if (cJSON_IsNumber(sup) && sup->valuedouble >= 1) {
		xasprintf(&next, "%s%s支援者 %.0f人", out, *out ? ", " : "",
			  sup->valuedouble);
		free(out);
		out = next;
	}
	return out;
}

/*
 * "山口 太郎 (ヤマグチ タロウ)  needs: 車いす": the kana from the server's
 * answer or, offline, from the roster (when this desk has one).
 */
static char *
checkin_who_new(const struct checkin *st, const cJSON *answer,
		const char *token)
{
	char *name = checkin_text_new(answer, "name");
	char *kana = checkin_text_new(answer, "name_kana"), *who, *with;
	char *needs = checkin_needs_new(answer);
	const struct roster_entry *e;

	if (*kana == '\0' && st->roster != NULL && token != NULL &&
	    (e = roster_lookup(st->roster, token)) != NULL &&
	    e->name_kana != NULL) {
		cJSON *k = cJSON_CreateString(e->name_kana);

		free(kana);
		kana = table_cell_new(k);
		cJSON_Delete(k);
	}
	if (*kana != '\0')
		xasprintf(&who, "%s (%s)", name, kana);
	else
		who = xstrdup(*name != '\0' ? name : "(no name)");
	if (*needs != '\0') {
		xasprintf(&with, "%s  needs: %s", who, needs);
		free(who);
		who = with;
	}
	free(needs);
	free(name);
	free(kana);
	return who;
}

/* One answer as the desk reads it. */
static void
checkin_print(const struct checkin *st, const cJSON *answer, const char *token,
	      bool offline)
{
	const char *result = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(answer, "result"));
	const char *kind = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(answer, "kind"));
	const cJSON *id =
	    cJSON_GetObjectItemCaseSensitive(answer, "checkin_id");
	char *who = checkin_who_new(st, answer, token), *text, *at, *desk;
	char *count = desk_count_new(
	    cJSON_GetObjectItemCaseSensitive(answer, "counts"), kind);
	char *tail, *event, *when;
	const cJSON *ev;

	if (count == NULL)
		count = xstrdup("");
	if (result == NULL)
		result = "";
	if (strcmp(result, "checked_in") == 0) {
		if (cJSON_IsNumber(id))
			xasprintf(&text, "%s  %s  #%.0f", who, count,
				  id->valuedouble);
		else
			xasprintf(&text, "%s  %s", who, count);
		desk_say(DESK_GOOD, offline, "OK", text);
	} else if (strcmp(result, "already_checked_in") == 0) {
		at = desk_clock_new(cJSON_GetObjectItemCaseSensitive(
		    answer, "first_checked_in_at"));
		desk = checkin_text_new(answer, "desk");
		if (*at != '\0')
			xasprintf(&tail, "first at %s %s", at, desk);
		else
			tail = xstrdup("already checked in");
		xasprintf(&text, "%s  %s  %s", who, tail, count);
		desk_say(DESK_WARN, offline, "ALREADY", text);
		free(tail);
		free(desk);
		free(at);
	} else if (strcmp(result, "unknown_token") == 0) {
		xasprintf(&text,
			  "— not one of ours%s: send to the "
			  "registration desk",
			  offline ? " (not on this desk's roster)" : "");
		desk_say(DESK_STOP, offline, "UNKNOWN", text);
	} else if (strcmp(result, "wrong_event") == 0) {
		ev = cJSON_GetObjectItemCaseSensitive(answer, "event");
		event = checkin_text_new(ev, "title");
		when = table_time_new(
		    cJSON_GetObjectItemCaseSensitive(ev, "starts_at"));
		xasprintf(&text,
			  "— registered for %s (%s): send to the "
			  "registration desk",
			  event, when);
		desk_say(DESK_STOP, offline, "WRONG EVENT", text);
		free(event);
		free(when);
	} else if (strcmp(result, "not_event_day") == 0) {
		when = table_time_new(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(answer, "event"),
		    "starts_at"));
		xasprintf(&text,
			  "%s — the event is on %s, not today: nothing "
			  "recorded; ask an organizer",
			  who, when);
		desk_say(DESK_STOP, offline, "NOT TODAY", text);
		free(when);
	} else if (strcmp(result, "cancelled") == 0) {
		xasprintf(&text,
			  "— %s cancelled: %s: send to the "
			  "registration desk",
			  kind != NULL && strcmp(kind, "company") == 0
			      ? "booth"
			      : "registration",
			  who);
		desk_say(DESK_STOP, offline, "CANCELLED", text);
	} else if (strcmp(result, "unverified") == 0) {
		text = xstrdup("— saved, but this desk has no roster to check "
			       "it against (jobfair roster pull); the server "
			       "checks it on upload");
		desk_say(DESK_WARN, offline, "SAVED", text);
	} else {
		xasprintf(&text, "— the server answered \"%s\"", result);
		desk_say(DESK_STOP, offline, "ERROR", text);
	}
	free(text);
	free(count);
	free(who);
}

/* --json: the answer with what the desk sent. */
static void
checkin_print_json(const cJSON *answer, const char *token, const char *nonce,
		   bool offline)
{
	cJSON *o = cJSON_Duplicate(answer, true);

	cmd_set(o, "token",
		token ? cJSON_CreateString(token) : cJSON_CreateNull());
	cmd_set(o, "nonce",
		nonce ? cJSON_CreateString(nonce) : cJSON_CreateNull());
	cmd_set(o, "offline", cJSON_CreateBool(offline));
	desk_print_json(o);
	cJSON_Delete(o);
}

static void
checkin_answer(const struct checkin *st, const cJSON *answer, const char *token,
	       const char *nonce, bool offline)
{
	if (st->cli->json)
		checkin_print_json(answer, token, nonce, offline);
	else
		checkin_print(st, answer, token, offline);
}

/* A problem that is not an answer: the scan was not taken or not sent. */
static void
checkin_trouble(const struct checkin *st, const char *result, const char *label,
		const char *why, const char *token)
{
	cJSON *o;
	char *text;

	if (!st->cli->json) {
		xasprintf(&text, "— %s", why);
		desk_say(DESK_STOP, false, label, text);
		free(text);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "result", result);
	cJSON_AddStringToObject(o, "error", why);
	checkin_print_json(o, token, NULL, false);
	cJSON_Delete(o);
}

static void
checkin_counts_update(struct checkin *st, const cJSON *answer)
{
	const cJSON *counts =
	    cJSON_GetObjectItemCaseSensitive(answer, "counts");

	if (!cJSON_IsObject(counts))
		return;
	cJSON_Delete(st->counts);
	st->counts = cJSON_Duplicate(counts, true);
}

/* The roster's counts, until the server tells better. */
static cJSON *
checkin_roster_counts_new(const struct roster *r)
{
	static const char *const names[] = {"seekers", "companies"};
	static const enum roster_kind kinds[] = {ROSTER_SEEKER, ROSTER_COMPANY};
	cJSON *counts = cJSON_CreateObject();

	for (int i = 0; i < 2; i++) {
		cJSON *c = cJSON_AddObjectToObject(counts, names[i]);
		int64_t target = roster_target(r, kinds[i]);

		cJSON_AddNumberToObject(c, "checked_in",
					(double)roster_checked_in(r, kinds[i]));
		if (target >= 0)
			cJSON_AddNumberToObject(c, "target", (double)target);
		else
			cJSON_AddNullToObject(c, "target");
	}
	return counts;
}

/* The answer the desk gives alone, from its roster and journal. */
static cJSON *
checkin_offline_answer_new(struct checkin *st, const char *token)
{
	cJSON *a = cJSON_CreateObject(), *in;
	const struct roster_entry *e;
	enum roster_result res;
	bool company;

	if (st->roster == NULL) {
		cJSON_AddStringToObject(a, "result", "unverified");
		return a;
	}
	res = roster_offline_result(st->roster, st->seen, token, &e);
	cJSON_AddStringToObject(a, "result", roster_result_name(res));
	if (e != NULL) {
		company = e->kind == ROSTER_COMPANY;
		cJSON_AddStringToObject(a, "kind",
					company ? "company" : "seeker");
		cJSON_AddNumberToObject(
		    a, company ? "company_id" : "registration_id",
		    (double)e->id);
		cJSON_AddStringToObject(a, "name", e->name);
		if (e->name_kana != NULL)
			cJSON_AddStringToObject(a, "name_kana", e->name_kana);
		in = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(
			st->counts, company ? "companies" : "seekers"),
		    "checked_in");
		if (res == ROSTER_RESULT_CHECKED_IN && cJSON_IsNumber(in))
			cJSON_SetNumberValue(in, in->valuedouble + 1);
	}
	if (st->counts != NULL)
		cJSON_AddItemToObject(a, "counts",
				      cJSON_Duplicate(st->counts, true));
	return a;
}

static void
checkin_go_offline(struct checkin *st)
{
	st->online = false;
	st->retry_at = time(NULL) + CHECKIN_RETRY_SECONDS;
}

static bool
checkin_may_ask(const struct checkin *st)
{
	return st->online || time(NULL) >= st->retry_at;
}

/* An offline scan the server has now answered: only conflicts are news. */
static void
checkin_uploaded_cb(const struct journal_record *scan, const cJSON *answer,
		    void *arg)
{
	struct checkin *st = arg;
	char *who, *at, *desk, *text;

	checkin_counts_update(st, answer);
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(answer, "conflict")))
		return;
	who = checkin_who_new(st, answer, scan->token);
	at = desk_clock_new(
	    cJSON_GetObjectItemCaseSensitive(answer, "first_checked_in_at"));
	desk = checkin_text_new(answer, "desk");
	xasprintf(&text,
		  "%s was also checked in at %s %s while offline; "
		  "counted once",
		  who, at, desk);
	if (st->cli->json)
		fprintf(stderr, "jobfair: conflict: %s\n", text);
	else
		desk_say(DESK_WARN, false, "CONFLICT", text);
	free(text);
	free(desk);
	free(at);
	free(who);
}

/*
 * Uploads the scans made offline (but not the one with skip_nonce, sent
 * next on its own). False if the server is still away.
 */
static bool
checkin_upload_backlog(struct checkin *st, const char *skip_nonce)
{
	struct sync_summary sum;
	char *text;
	int rc;

	rc = sync_journal(st->cli, st->desk.event_id, st->journal_path,
			  st->journal, skip_nonce, checkin_uploaded_cb, st,
			  &sum);
	if (rc == CLI_UNREACHABLE) {
		checkin_go_offline(st);
		return false;
	}
	st->online = true;
	/* Refused outright, it waits for `jobfair sync` and a person. */
	st->backlog = false;
	if (sum.answered == 0)
		return true;
	xasprintf(&text, "%zu scan%s made offline sent to the server",
		  sum.answered, sum.answered == 1 ? "" : "s");
	if (st->cli->json)
		fprintf(stderr, "jobfair: %s\n", text);
	else
		desk_say(DESK_GOOD, false, "UPLOADED", text);
	free(text);
	return true;
}

/* Sends one scan; false if the server could not be reached. */
static bool
checkin_send(struct checkin *st, const cJSON *body, const char *token,
	     const char *nonce)
{
	cJSON *reply = NULL;
	char *path, *cause = NULL, *why;
	const char *msg, *result;
	int status;

	xasprintf(&path, CMD_API "/events/%s/checkins", st->desk.event);
	status = client_request(st->cli, "POST", path, body, &reply);
	free(path);
	if (sync_unreachable(status)) {
		cJSON_Delete(reply);
		checkin_go_offline(st);
		return false;
	}
	st->online = true;
	result = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(reply, "result"));
	if (status == 200 && result != NULL) {
		if (nonce != NULL && st->journal != NULL &&
		    journal_mark_uploaded(st->journal, nonce, result, &cause) !=
			0) {
			/* Unmarked, sync sends it again: answered the same. */
			fprintf(stderr, "jobfair: %s\n", cause);
			free(cause);
		}
		checkin_counts_update(st, reply);
		checkin_answer(st, reply, token, nonce, false);
	} else {
		msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(reply, "error"),
		    "message"));
		xasprintf(&why, "the server refused the scan (HTTP %d%s%s)",
			  status, msg ? ": " : "", msg ? msg : "");
		checkin_trouble(st, "error", "ERROR", why, token);
		free(why);
		st->refused++;
	}
	cJSON_Delete(reply);
	return true;
}

static cJSON *
checkin_body_new(const struct checkin *st, const char *scanned_at,
		 const char *nonce)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "desk", st->desk.name);
	cJSON_AddStringToObject(body, "scanned_at", scanned_at);
	cJSON_AddStringToObject(body, "nonce", nonce);
	return body;
}

/* One line the scanner typed. */
static void
checkin_scan(struct checkin *st, char *line)
{
	struct journal_record rec = {.kind = JOURNAL_SCAN};
	char canonical[TOKEN_LEN + 1], nonce[JOURNAL_NONCE_LEN + 1];
	char scanned_at[32], *cause = NULL, *check;
	const char *token;
	cJSON *body, *answer;
	size_t len;

	line += strspn(line, " \t\r\n");
	len = strlen(line);
	while (len > 0 && strchr(" \t\r\n", line[len - 1]) != NULL)
		line[--len] = '\0';
	if (len == 0)
		return;
	token = token_parse(line, canonical) ? canonical : line;
	checkin_now(scanned_at);
	if (journal_nonce(nonce) != 0) {
		checkin_trouble(st, "not_saved", "NOT SAVED",
				"no random numbers for the scan's nonce: scan "
				"again",
				token);
		return;
	}
	rec.event_id = st->desk.event_id;
	rec.token = (char *)token;
	rec.desk = st->desk.name;
	rec.scanned_at = scanned_at;
	rec.nonce = nonce;
	/*
	 * What the journal cannot hold (control characters, invalid UTF-8,
	 * over 200 bytes) was never one of our codes: answered here alone.
	 */
	if ((check = journal_line_new(&rec, &cause)) == NULL) {
		free(cause);
		answer = cJSON_CreateObject();
		cJSON_AddStringToObject(answer, "result", "unknown_token");
		checkin_answer(st, answer, NULL, NULL, !st->online);
		cJSON_Delete(answer);
		return;
	}
	free(check);
	if (journal_append_scan(st->journal, rec.event_id, token, rec.desk,
				scanned_at, nonce, &cause) != 0) {
		char *why;

		xasprintf(&why,
			  "the desk's disk refused the scan (%s): scan "
			  "again",
			  cause);
		checkin_trouble(st, "not_saved", "NOT SAVED", why, token);
		free(why);
		free(cause);
		return;
	}
	if (checkin_may_ask(st) &&
	    (!st->backlog || checkin_upload_backlog(st, nonce))) {
		body = checkin_body_new(st, scanned_at, nonce);
		cJSON_AddStringToObject(body, "token", token);
		if (checkin_send(st, body, token, nonce)) {
			cJSON_Delete(body);
			roster_seen_add(st->seen, token);
			return;
		}
		cJSON_Delete(body);
	}
	answer = checkin_offline_answer_new(st, token);
	roster_seen_add(st->seen, token);
	st->backlog = true;
	checkin_answer(st, answer, token, nonce, true);
	cJSON_Delete(answer);
}

/* The roster, if this desk pulled one; a wrong one is an error. */
static int
checkin_load_roster(struct checkin *st)
{
	char *path = desk_roster_path_new(&st->desk), *cause = NULL;

	st->roster = roster_load_new(path, &cause);
	if (st->roster == NULL && errno == ENOENT) {
		fprintf(stderr,
			"jobfair: no roster on this desk: offline scans "
			"cannot be checked (jobfair roster pull %s)\n",
			st->desk.event);
		free(cause);
		cause = NULL;
	} else if (st->roster == NULL ||
		   roster_event_id(st->roster) != st->desk.event_id) {
		if (cause == NULL)
			xasprintf(&cause, "%s is another event's roster", path);
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		free(path);
		return -1;
	}
	if (st->roster != NULL)
		st->counts = checkin_roster_counts_new(st->roster);
	free(path);
	return 0;
}

static int
checkin_open(struct checkin *st)
{
	struct journal_pending *p;
	char *cause = NULL;

	st->journal_path = desk_journal_path_new(&st->desk, st->desk.name);
	if ((st->journal = journal_open(st->journal_path, &cause)) == NULL ||
	    roster_seen_add_journal(st->seen, st->desk.event_id,
				    st->journal_path, &cause) != 0 ||
	    (p = journal_pending_new(st->journal_path, &cause)) == NULL) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		return -1;
	}
	st->backlog = p->n > 0;
	journal_pending_free(p);
	return checkin_load_roster(st);
}

/* At the end: what still waits on this desk, said once. */
static void
checkin_finish(struct checkin *st)
{
	struct journal_pending *p;
	char *cause = NULL;

	if (st->backlog)
		checkin_upload_backlog(st, NULL);
	if ((p = journal_pending_new(st->journal_path, &cause)) == NULL) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		return;
	}
	if (p->n > 0)
		fprintf(stderr,
			"jobfair: %zu scan%s wait in %s: run `jobfair sync %s` "
			"when the server is back\n",
			p->n, p->n == 1 ? "" : "s", st->journal_path,
			st->desk.event);
	journal_pending_free(p);
}

/* --id: a person found by `jobfair lookup`, checked in by the server. */
static int
checkin_by_id(struct checkin *st, const char *id)
{
	char scanned_at[32], nonce[JOURNAL_NONCE_LEN + 1];
	cJSON *body;
	bool reached;

	if (journal_nonce(nonce) != 0) {
		fprintf(stderr, "jobfair: no random numbers for a nonce\n");
		return CLI_USAGE;
	}
	checkin_now(scanned_at);
	body = checkin_body_new(st, scanned_at, nonce);
	cJSON_AddNumberToObject(body, "registration_id", strtod(id, NULL));
	reached = checkin_send(st, body, NULL, nonce);
	cJSON_Delete(body);
	if (!reached) {
		checkin_trouble(st, "offline", "OFFLINE",
				"a check-in by id needs the server: note the "
				"person and check them in when it is back",
				NULL);
		return CLI_UNREACHABLE;
	}
	return st->refused > 0 ? CLI_REFUSED : CLI_OK;
}

int
cmd_checkin(struct cli *cli, int argc, char **argv)
{
	static const char *opt_id;
	static const struct config_entry options[] = {
	    CONFIG_FLAG("id", "check in this registration (no scanning)",
			&opt_id),
	};
	struct checkin st = {.cli = cli, .online = true};
	char *line = NULL;
	size_t size = 0;
	int rest, rc;

	cli->timeout = CHECKIN_TIMEOUT_SECONDS;

	if ((rc = desk_parse(cli, &st.desk, DESK_NAME | DESK_DATA, options,
			     NELEM(options), argc, argv, &rest)) != 0)
		goto out;
	if (rest != 1) {
		rc = cli_usage_error(cli, xstrdup("expected EVENT only"));
		goto out;
	}
	if (opt_id != NULL) {
		if ((rc = cmd_want_ids(cli, 1, (char **)&opt_id, 1)) == 0)
			rc = checkin_by_id(&st, opt_id);
		goto out;
	}
	st.seen = roster_seen_new();
	if (checkin_open(&st) != 0) {
		rc = CLI_USAGE;
		goto out;
	}
	if (isatty(STDIN_FILENO))
		fprintf(stderr,
			"desk %s, event %s: scan a code (Ctrl-D ends)\n",
			st.desk.name, st.desk.event);
	while (getline(&line, &size, stdin) != -1)
		checkin_scan(&st, line);
	checkin_finish(&st);
	rc = st.refused > 0 ? CLI_REFUSED : CLI_OK;
out:
	free(line);
	journal_close(st.journal);
	free(st.journal_path);
	roster_free(st.roster);
	roster_seen_free(st.seen);
	cJSON_Delete(st.counts);
	desk_free(&st.desk);
	return rc;
}
