/*
 * The front desk's other commands: lookup (a person without a QR code),
 * walkin (register and check in at the door), undo (a desk's mistake)
 * and stats (the live counts against the targets, once or following the
 * server's stream).
 */
#include "cmd_desk.h"

#include "client.h"
#include "cmd.h"
#include "desk.h"
#include "fetch.h"
#include "journal.h"
#include "table.h"
#include "vocab.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Retries of a walk-in carry its nonce: the server registers once. */
#define WALKIN_TRIES	     3
#define STATS_RECONNECT_WAIT 2 /* seconds */

static const struct table_column lookup_columns[] = {
    {"ID", "id", true, NULL},
    {"氏名", "name", false, NULL},
    {"フリガナ", "name_kana", false, NULL},
    {"状態", "status", false, NULL},
    {"受付済", "checked_in", false, NULL},
};

static const struct table_column stats_columns[] = {
    {"区分", "what", false, NULL},	{"登録", "registered", true, NULL},
    {"来場", "checked_in", true, NULL}, {"目標", "target", true, NULL},
    {"達成率", "rate", true, NULL},
};

/* "13:30", a half hour as the stats name it, shown "13:30–14:00". */
static char *
stats_slot_new(const cJSON *slot)
{
	char *out;
	int h, m;

	if (!cJSON_IsString(slot) ||
	    sscanf(slot->valuestring, "%2d:%2d", &h, &m) != 2)
		return table_cell_new(slot);
	m += h * 60 + 30;
	xasprintf(&out, "%s–%02d:%02d", slot->valuestring, m / 60 % 24, m % 60);
	return out;
}

/* Job seekers' arrivals per half hour of Japan's clock. */
static const struct table_column arrivals_columns[] = {
    {"時間帯", "slot", false, stats_slot_new},
    {"来場", "checked_in", true, NULL},
};

/* Prints the failure of a request; the exit code, never CLI_OK. */
static int
desk_fail(int status, const cJSON *reply)
{
	int rc = client_fail(status, reply);

	return rc == CLI_OK ? CLI_REFUSED : rc;
}

int
cmd_lookup(struct cli *cli, int argc, char **argv)
{
	struct desk d;
	cJSON *reply = NULL, *items;
	char *api = NULL;
	int rest, rc, status;

	if ((rc = desk_parse(cli, &d, 0, NULL, 0, argc, argv, &rest)) != 0)
		goto out;
	if (rest != 2) {
		rc = cli_usage_error(cli, xstrdup("expected EVENT QUERY"));
		goto out;
	}
	xasprintf(&api, CMD_API "/events/%s/lookup", d.event);
	client_query_add(&api, "q", argv[1]);
	status = client_request(cli, "GET", api, NULL, &reply);
	items = cJSON_GetObjectItemCaseSensitive(reply, "items");
	if (status != 200 || !cJSON_IsArray(items))
		rc = desk_fail(status, reply);
	else if (cli->json)
		desk_print_json(reply);
	else if (cJSON_GetArraySize(items) == 0)
		printf("no one registered for event %s matches %s\n", d.event,
		       argv[1]);
	else
		table_print(stdout, lookup_columns, NELEM(lookup_columns),
			    items);
out:
	free(api);
	cJSON_Delete(reply);
	desk_free(&d);
	return rc;
}

/* The walk-in's fields, checked with the registration form's rules. */
static int
walkin_body_new(const char *const *values, const char *const *fields, size_t n,
		cJSON **clean)
{
	cJSON *body = cJSON_CreateObject();
	int rc;

	for (size_t i = 0; i < n; i++)
		if (values[i] != NULL)
			cJSON_AddItemToObject(body, fields[i],
					      form_cell_new(&form_registration,
							    fields[i],
							    values[i]));
	rc = cmd_validate(&form_registration, body, false, clean);
	cJSON_Delete(body);
	return rc;
}

static void
walkin_print(const cJSON *reg)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(reg, "id");
	const cJSON *checkin = cJSON_GetObjectItemCaseSensitive(reg, "checkin");
	const cJSON *cid = cJSON_GetObjectItemCaseSensitive(checkin, "id");
	char *name =
	    table_cell_new(cJSON_GetObjectItemCaseSensitive(reg, "name"));
	char *kana =
	    table_cell_new(cJSON_GetObjectItemCaseSensitive(reg, "name_kana"));
	char *count = desk_count_new(
	    cJSON_GetObjectItemCaseSensitive(reg, "counts"), "seeker");
	char *text;

	xasprintf(&text, "walk-in %s (%s) registered as %.0f  %s  #%.0f", name,
		  kana, cJSON_IsNumber(id) ? id->valuedouble : 0,
		  count ? count : "",
		  cJSON_IsNumber(cid) ? cid->valuedouble : 0);
	desk_say(DESK_GOOD, false, "OK", text);
	free(text);
	free(count);
	free(kana);
	free(name);
}

int
cmd_walkin(struct cli *cli, int argc, char **argv)
{
	static const char *fields[] = {"name",	 "name_kana", "categories",
				       "age",	 "phone",     "supporters",
				       "consent"};
	static const char *values[NELEM(fields)];
	static const struct config_entry options[] = {
	    CONFIG_FLAG("name", "name", &values[0]),
	    CONFIG_FLAG("kana", "name in katakana", &values[1]),
	    CONFIG_FLAG("categories", "youth;senior;…", &values[2]),
	    CONFIG_FLAG("age", "age", &values[3]),
	    CONFIG_FLAG("phone", "phone", &values[4]),
	    CONFIG_FLAG("supporters", "accompanying supporters", &values[5]),
	    CONFIG_SWITCH("consent", "the person agreed to the purpose of use",
			  &values[6]),
	};
	char nonce[JOURNAL_NONCE_LEN + 1];
	struct desk d;
	cJSON *clean = NULL, *reply = NULL;
	char *api = NULL;
	int rest, rc, status = -1;

	if ((rc = desk_parse(cli, &d, DESK_NAME, options, NELEM(options), argc,
			     argv, &rest)) != 0)
		goto out;
	if (rest != 1) {
		rc = cli_usage_error(cli, xstrdup("expected EVENT only"));
		goto out;
	}
	if ((rc = walkin_body_new(values, fields, NELEM(fields), &clean)) != 0)
		goto out;
	if (journal_nonce(nonce) != 0) {
		fprintf(stderr, "jobfair: no random numbers for a nonce\n");
		rc = CLI_USAGE;
		goto out;
	}
	if (!cJSON_HasObjectItem(clean, "categories"))
		cJSON_AddArrayToObject(clean, "categories");
	cJSON_AddStringToObject(clean, "desk", d.name);
	cJSON_AddStringToObject(clean, "nonce", nonce);
	xasprintf(&api, CMD_API "/events/%s/walkins", d.event);
	for (int i = 0; i < WALKIN_TRIES; i++) {
		if (i > 0)
			sleep(1);
		cJSON_Delete(reply);
		status = client_request(cli, "POST", api, clean, &reply);
		if (status != -1 && status != 503)
			break;
	}
	if (status != 201)
		rc = desk_fail(status, reply);
	else if (cli->json)
		desk_print_json(reply);
	else
		walkin_print(reply);
out:
	free(api);
	cJSON_Delete(clean);
	cJSON_Delete(reply);
	desk_free(&d);
	return rc;
}

int
cmd_undo(struct cli *cli, int argc, char **argv)
{
	struct desk d;
	cJSON *reply = NULL;
	char *api = NULL, *count, *text;
	const cJSON *subject;
	int rest, rc, status;

	if ((rc = desk_parse(cli, &d, 0, NULL, 0, argc, argv, &rest)) != 0)
		goto out;
	if ((rc = cmd_want_ids(cli, rest, argv, 2)) != 0)
		goto out;
	xasprintf(&api, CMD_API "/events/%s/checkins/%s/undo", d.event,
		  argv[1]);
	status = client_request(cli, "POST", api, NULL, &reply);
	if (status != 200) {
		rc = desk_fail(status, reply);
		goto out;
	}
	if (cli->json) {
		desk_print_json(reply);
		goto out;
	}
	subject = cJSON_GetObjectItemCaseSensitive(reply, "registration_id");
	if (!cJSON_IsNumber(subject))
		subject = cJSON_GetObjectItemCaseSensitive(reply, "company_id");
	count = desk_count_new(
	    cJSON_GetObjectItemCaseSensitive(reply, "counts"),
	    cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(reply, "kind")));
	xasprintf(&text, "check-in #%s of %s %.0f taken back  %s", argv[1],
		  cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(
		      reply, "registration_id"))
		      ? "registration"
		      : "company",
		  cJSON_IsNumber(subject) ? subject->valuedouble : 0,
		  count ? count : "");
	desk_say(DESK_GOOD, false, "UNDONE", text);
	free(text);
	free(count);
out:
	free(api);
	cJSON_Delete(reply);
	desk_free(&d);
	return rc;
}

/* One row of the stats table; values borrowed from the stats. */
static void
stats_row(cJSON *rows, const char *what, const cJSON *registered,
	  const cJSON *checked_in, const cJSON *target)
{
	cJSON *row = cJSON_CreateObject();
	char rate[16];

	cJSON_AddStringToObject(row, "what", what);
	if (registered != NULL)
		cJSON_AddItemToObject(row, "registered",
				      cJSON_Duplicate(registered, false));
	if (checked_in != NULL)
		cJSON_AddItemToObject(row, "checked_in",
				      cJSON_Duplicate(checked_in, false));
	if (cJSON_IsNumber(target)) {
		cJSON_AddItemToObject(row, "target",
				      cJSON_Duplicate(target, false));
		if (cJSON_IsNumber(checked_in) && target->valuedouble > 0) {
			snprintf(rate, sizeof rate, "%.0f%%",
				 100.0 * checked_in->valuedouble /
				     target->valuedouble);
			cJSON_AddStringToObject(row, "rate", rate);
		}
	}
	cJSON_AddItemToArray(rows, row);
}

static const cJSON *
stats_get(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	return b != NULL ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
}

/* The numbers of GET /events/{id}/stats as a table. */
static void
stats_print(const cJSON *s)
{
	cJSON *rows = cJSON_CreateArray();
	const cJSON *cat, *arrivals;

	stats_row(rows, "求職者", stats_get(s, "registered", NULL),
		  stats_get(s, "checked_in", NULL),
		  stats_get(s, "targets", "seekers"));
	stats_row(rows, "  うち当日参加", NULL, stats_get(s, "walk_ins", NULL),
		  NULL);
	/* Organizers' and admins' only: the server leaves them out for
	 * others (a count that moves with one check-in names a category). */
	for (size_t i = 0; i < vocab_count(VOCAB_CATEGORY); i++) {
		const char *code = vocab_term(VOCAB_CATEGORY, i)->code;
		char label[64] = "  ";

		if ((cat = stats_get(s, "by_category", code)) == NULL)
			continue;
		vocab_label_short_ja(VOCAB_CATEGORY, code, label + 2,
				     sizeof label - 2);
		stats_row(rows, label, stats_get(cat, "registered", NULL),
			  stats_get(cat, "checked_in", NULL), NULL);
	}
	if (cJSON_HasObjectItem(s, "supporters"))
		stats_row(rows, "同行支援者",
			  stats_get(s, "supporters", "registered"),
			  stats_get(s, "supporters", "checked_in"), NULL);
	stats_row(rows, "企業", stats_get(s, "companies", "registered"),
		  stats_get(s, "companies", "checked_in"),
		  stats_get(s, "targets", "companies"));
	stats_row(rows, "定員", stats_get(s, "registered", NULL), NULL,
		  stats_get(s, "targets", "capacity"));
	table_print(stdout, stats_columns, NELEM(stats_columns), rows);
	arrivals = stats_get(s, "arrivals", NULL);
	if (cJSON_GetArraySize(arrivals) > 0) {
		putchar('\n');
		table_print(stdout, arrivals_columns, NELEM(arrivals_columns),
			    arrivals);
	}
	fflush(stdout);
	cJSON_Delete(rows);
}

/* Server-Sent Events in arrival order, cut into events at blank lines. */
struct stats_stream {
	const struct cli *cli;
	char *buf;
	size_t len;
	size_t updates;
};

static void
stats_show_update(struct stats_stream *s, const char *data)
{
	cJSON *stats = cJSON_Parse(data);
	char when[16];
	time_t t;

	if (stats == NULL)
		return;
	s->updates++;
	if (s->cli->json)
		desk_print_json(stats);
	else {
		/* A screen that stays put, for a monitor at the entrance. */
		if (isatty(STDOUT_FILENO))
			printf("\033[H\033[2J");
		t = time(NULL);
		strftime(when, sizeof when, "%H:%M:%S", localtime(&t));
		printf("%s\n", when);
		stats_print(stats);
	}
	cJSON_Delete(stats);
}

/* One event's lines: "event: stats" then "data: {…}". */
static void
stats_event(struct stats_stream *s, char *event)
{
	const char *data = NULL;
	bool is_stats = true;
	char *save = NULL;

	for (char *line = strtok_r(event, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (strncmp(line, "event:", 6) == 0)
			is_stats =
			    strcmp(line + 6 + (line[6] == ' '), "stats") == 0;
		else if (strncmp(line, "data:", 5) == 0)
			data = line + 5 + (line[5] == ' ');
	}
	if (is_stats && data != NULL)
		stats_show_update(s, data);
}

static bool
stats_stream_cb(const char *data, size_t len, void *arg)
{
	struct stats_stream *s = arg;
	char *end;

	s->buf = xrealloc(s->buf, s->len + len + 1);
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	s->buf[s->len] = '\0';
	while ((end = strstr(s->buf, "\n\n")) != NULL) {
		size_t used = (size_t)(end - s->buf) + 2;

		*end = '\0';
		stats_event(s, s->buf);
		memmove(s->buf, s->buf + used, s->len - used + 1);
		s->len -= used;
	}
	return true;
}

/* Follows the stream until interrupted, reconnecting when it drops. */
static int
stats_watch(struct cli *cli, const char *event)
{
	struct stats_stream s = {cli, NULL, 0, 0};
	struct fetch *f = fetch_new(cli);
	cJSON *error = NULL;
	char *api;
	int status;

	xasprintf(&api, CMD_API "/events/%s/stats/stream", event);
	for (;;) {
		s.len = 0;
		status = fetch_get(f, api, true, stats_stream_cb, &s, &error);
		if (status >= 400 && status != 502 && status != 503 &&
		    status != 504)
			break;
		cJSON_Delete(error);
		error = NULL;
		fprintf(stderr, "jobfair: the live counts stopped; "
				"reconnecting\n");
		sleep(STATS_RECONNECT_WAIT);
	}
	status = desk_fail(status, error);
	cJSON_Delete(error);
	free(s.buf);
	free(api);
	fetch_free(f);
	return status;
}

int
cmd_stats(struct cli *cli, int argc, char **argv)
{
	static const char *opt_watch;
	static const struct config_entry options[] = {
	    CONFIG_SWITCH("watch", "follow the live counts until interrupted",
			  &opt_watch),
	};
	struct desk d;
	cJSON *reply = NULL;
	char *api = NULL;
	int rest, rc, status;

	if ((rc = desk_parse(cli, &d, 0, options, NELEM(options), argc, argv,
			     &rest)) != 0)
		goto out;
	if (rest != 1) {
		rc = cli_usage_error(cli, xstrdup("expected EVENT only"));
		goto out;
	}
	if (opt_watch != NULL) {
		rc = stats_watch(cli, d.event);
		goto out;
	}
	xasprintf(&api, CMD_API "/events/%s/stats", d.event);
	status = client_request(cli, "GET", api, NULL, &reply);
	if (status != 200)
		rc = desk_fail(status, reply);
	else if (cli->json)
		desk_print_json(reply);
	else
		stats_print(reply);
out:
	free(api);
	cJSON_Delete(reply);
	desk_free(&d);
	return rc;
}
