/*
 * jobfair seekers purge --before FY [--yes]: the end of the retention
 * period. Deletes job seekers' personal data for events before a fiscal
 * year (admin only); the anonymous facts the reports count stay. It
 * cannot be undone, so it asks first, and without a terminal to ask on
 * it needs --yes.
 */
#include "cmd_after.h"

#include "client.h"
#include "cmd.h"
#include "fiscal.h"
#include "plan.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Asks on the terminal; true only for "yes". */
static bool
seekers_confirm(int fy)
{
	char *line = NULL;
	size_t size = 0;
	bool yes;

	fprintf(
	    stderr,
	    "Delete the personal data (name, kana, phone, e-mail, birth "
	    "date, accommodation note) of every job seeker of events before "
	    "FY%d (%s)?\nThe reports keep their figures; the data cannot be "
	    "restored. Type yes to go on: ",
	    fy, fiscal_label(fy));
	yes = getline(&line, &size, stdin) > 0 && strcmp(line, "yes\n") == 0;
	free(line);
	return yes;
}

int
cmd_seekers_purge(struct cli *cli, int argc, char **argv)
{
	static const char *opt_before, *opt_yes;
	static const struct config_entry options[] = {
	    CONFIG_FLAG("before", "purge events before this fiscal year",
			&opt_before),
	    CONFIG_SWITCH("yes", "do not ask", &opt_yes),
	};
	cJSON *body, *reply = NULL;
	char *cause = NULL;
	int rest, rc, fy, status;

	if (cli_parse(cli, options, NELEM(options), argc, argv, &rest,
		      &cause) != 0)
		return cli_usage_error(cli, cause);
	if (rest != 0)
		return cli_usage_error(cli, xstrdup("unexpected argument"));
	if (opt_before == NULL)
		return cli_usage_error(cli, xstrdup("--before FY is required"));
	if (plan_fiscal_year_parse(opt_before, &fy, &cause) != 0)
		return cli_usage_error(cli, cause);
	if (opt_yes == NULL && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "jobfair: standard input is not a terminal to "
				"ask on; nothing was purged (use --yes)\n");
		return CLI_USAGE;
	}
	if (opt_yes == NULL && !seekers_confirm(fy)) {
		fprintf(stderr, "jobfair: nothing was purged\n");
		return CLI_USAGE;
	}
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "before_fiscal_year", fy);
	status =
	    client_request(cli, "POST", CMD_API "/seekers/purge", body, &reply);
	cJSON_Delete(body);
	rc = client_exit_code(status);
	if (rc != CLI_OK)
		client_fail(status, reply);
	else if (cli->json)
		cmd_print_json(reply);
	else
		printf(
		    "purged the personal data of %.0f job seekers (events "
		    "before FY%d, %s)\n",
		    cJSON_GetNumberValue(cJSON_GetObjectItem(reply, "purged")),
		    fy, fiscal_label(fy));
	cJSON_Delete(reply);
	return rc;
}
