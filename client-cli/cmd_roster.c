/*
 * jobfair roster pull: the event's roster on this desk's disk, so that
 * `jobfair checkin` can still answer while the server is unreachable.
 * The server sends token hashes, names and kana only, and roster_save()
 * keeps exactly that.
 */
#include "cmd_desk.h"

#include "client.h"
#include "cmd.h"
#include "desk.h"
#include "roster.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>

/* What was saved, read back from the disk: proof it can be used. */
static int
roster_report(struct cli *cli, const char *path)
{
	struct roster *r;
	char *cause = NULL;
	cJSON *o;

	if ((r = roster_load_new(path, &cause)) == NULL) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		return CLI_USAGE;
	}
	if (cli->json) {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "event_id",
					(double)roster_event_id(r));
		cJSON_AddStringToObject(o, "path", path);
		cJSON_AddNumberToObject(o, "items", (double)roster_count(r));
		cJSON_AddStringToObject(o, "generated_at",
					roster_generated_at(r));
		desk_print_json(o);
		cJSON_Delete(o);
	} else
		printf("roster of event %lld (%s) saved: %zu seekers and "
		       "companies, %zu and %zu checked in so far\n  %s\n",
		       (long long)roster_event_id(r), roster_title(r),
		       roster_count(r), roster_checked_in(r, ROSTER_SEEKER),
		       roster_checked_in(r, ROSTER_COMPANY), path);
	roster_free(r);
	return CLI_OK;
}

int
cmd_roster_pull(struct cli *cli, int argc, char **argv)
{
	struct desk d;
	cJSON *reply = NULL;
	char *api, *text, *path, *cause = NULL;
	int rest, rc, status;

	if ((rc = desk_parse(cli, &d, DESK_DATA, NULL, 0, argc, argv, &rest)) !=
	    0)
		goto out;
	if (rest != 1) {
		rc = cli_usage_error(cli, xstrdup("expected EVENT only"));
		goto out;
	}
	xasprintf(&api, CMD_API "/events/%s/roster", d.event);
	status = client_request(cli, "GET", api, NULL, &reply);
	free(api);
	if (status != 200 || reply == NULL) {
		rc = client_fail(status, reply);
		rc = rc == CLI_OK ? CLI_REFUSED : rc;
		goto out;
	}
	text = cJSON_PrintUnformatted(reply);
	path = desk_roster_path_new(&d);
	if (roster_save(path, text, &cause) != 0) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		rc = CLI_USAGE;
	} else
		rc = roster_report(cli, path);
	free(path);
	free(text);
out:
	cJSON_Delete(reply);
	desk_free(&d);
	return rc;
}
