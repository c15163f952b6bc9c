/*
 * jobfair sync: uploads what the desks' journals hold that the server
 * has not answered yet, and says what happened: how many were checked
 * in, refused, and which people two offline desks both let in (the
 * server counts them once and flags the later scan as a conflict).
 */
#include "cmd_desk.h"

#include "cmd.h"
#include "desk.h"
#include "journal.h"
#include "sync.h"
#include "table.h"
#include "xmalloc.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sync_results[] = {
    "checked_in",  "already_checked_in", "unknown_token",
    "wrong_event", "cancelled",		 "not_event_day",
};
static const char *const sync_labels[] = {
    "checked in",  "already checked in", "unknown",
    "wrong event", "cancelled",		 "not an event day",
};
#define NRESULTS NELEM(sync_results)

struct sync_tally {
	const struct cli *cli;
	size_t results[NRESULTS + 1]; /* the last: anything else */
	size_t conflicts;
};

static void
sync_scan_cb(const struct journal_record *scan, const cJSON *answer, void *arg)
{
	struct sync_tally *t = arg;
	const char *result = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(answer, "result"));
	size_t i = 0;
	cJSON *o;
	char *name, *first, *desk, *at;

	while (i < NRESULTS && strcmp(sync_results[i], result) != 0)
		i++;
	t->results[i]++;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(answer, "conflict")))
		t->conflicts++;
	if (t->cli->json) {
		o = cJSON_Duplicate(answer, true);
		cmd_set(o, "token", cJSON_CreateString(scan->token));
		cmd_set(o, "nonce", cJSON_CreateString(scan->nonce));
		cmd_set(o, "offline", cJSON_CreateTrue());
		cmd_set(o, "scanned_desk", cJSON_CreateString(scan->desk));
		cmd_set(o, "scanned_at", cJSON_CreateString(scan->scanned_at));
		desk_print_json(o);
		cJSON_Delete(o);
	} else if (cJSON_IsTrue(
		       cJSON_GetObjectItemCaseSensitive(answer, "conflict"))) {
		o = cJSON_CreateString(scan->scanned_at);
		at = desk_clock_new(o);
		cJSON_Delete(o);
		name = table_cell_new(
		    cJSON_GetObjectItemCaseSensitive(answer, "name"));
		first = desk_clock_new(cJSON_GetObjectItemCaseSensitive(
		    answer, "first_checked_in_at"));
		desk = table_cell_new(
		    cJSON_GetObjectItemCaseSensitive(answer, "desk"));
		printf("  conflict: %s scanned at %s %s, but first checked in "
		       "at %s %s: counted once\n",
		       name, scan->desk, at, first, desk);
		free(desk);
		free(first);
		free(name);
		free(at);
	}
}

/* "12 scans uploaded: 10 checked in, 2 unknown (1 conflict)" */
static void
sync_print_summary(const char *label, const struct sync_summary *sum,
		   const struct sync_tally *t)
{
	const char *sep = ": ";

	if (sum->stats.torn > 0)
		printf("%s: %zu line%s cut short by a crash dropped (never "
		       "shown as taken)\n",
		       label, sum->stats.torn, sum->stats.torn == 1 ? "" : "s");
	if (sum->stats.corrupt > 0)
		printf("%s: %zu damaged line%s skipped\n", label,
		       sum->stats.corrupt, sum->stats.corrupt == 1 ? "" : "s");
	if (sum->pending == 0) {
		printf("%s: nothing to upload\n", label);
		return;
	}
	printf("%s: %zu of %zu scan%s uploaded", label, sum->answered,
	       sum->pending, sum->pending == 1 ? "" : "s");
	for (size_t i = 0; i <= NRESULTS; i++) {
		if (t->results[i] == 0)
			continue;
		printf("%s%zu %s", sep, t->results[i],
		       i < NRESULTS ? sync_labels[i] : "other");
		sep = ", ";
	}
	if (t->conflicts > 0)
		printf(" (%zu conflict%s)", t->conflicts,
		       t->conflicts == 1 ? "" : "s");
	putchar('\n');
}

static int
sync_one(struct cli *cli, const struct desk *d, const char *path)
{
	struct sync_tally tally = {.cli = cli};
	struct sync_summary sum;
	struct journal *j;
	const char *label = strrchr(path, '/') + 1;
	char *cause = NULL;
	int rc;

	if ((j = journal_open(path, &cause)) == NULL) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		return CLI_USAGE;
	}
	rc = sync_journal(cli, d->event_id, path, j, NULL, sync_scan_cb, &tally,
			  &sum);
	journal_close(j);
	if (!cli->json)
		sync_print_summary(label, &sum, &tally);
	if (rc == CLI_UNREACHABLE)
		fprintf(stderr,
			"jobfair: %s: %zu scan%s still wait; nothing is lost: "
			"run sync again when the server is back\n",
			label, sum.pending - sum.answered,
			sum.pending - sum.answered == 1 ? "" : "s");
	return rc;
}

int
cmd_sync(struct cli *cli, int argc, char **argv)
{
	struct desk d;
	glob_t g = {0};
	char *pattern = NULL, *path;
	int rest, rc, worst = CLI_OK;

	if ((rc = desk_parse(cli, &d, DESK_NAME | DESK_DATA, NULL, 0, argc,
			     argv, &rest)) != 0)
		goto out;
	if (rest != 1) {
		rc = cli_usage_error(cli, xstrdup("expected EVENT only"));
		goto out;
	}
	if (d.named) {
		path = desk_journal_path_new(&d, d.name);
		rc = sync_one(cli, &d, path);
		free(path);
		goto out;
	}
	xasprintf(&pattern, "%s/*.journal", d.event_dir);
	if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		fprintf(stderr, "jobfair: no journals of event %s in %s\n",
			d.event, d.event_dir);
		rc = CLI_OK;
		goto out;
	}
	/* Every desk's journal, even after one fails: each stands alone. */
	for (size_t i = 0; i < g.gl_pathc; i++)
		if ((rc = sync_one(cli, &d, g.gl_pathv[i])) > worst)
			worst = rc;
	rc = worst;
out:
	globfree(&g);
	free(pattern);
	desk_free(&d);
	return rc;
}
