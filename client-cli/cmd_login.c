/*
 * jobfair login: checks a server and token work together, then keeps
 * them in the config file so later commands need neither.
 */
#include "cmd.h"

#include "client.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>

int
cmd_login(struct cli *cli, int argc, char **argv)
{
	cJSON *reply = NULL;
	char *cause = NULL, *path;
	int rest, status;

	if (cli_parse(cli, NULL, 0, argc, argv, &rest, &cause) != 0)
		return cli_usage_error(cli, cause);
	if (rest != 0)
		return cli_usage_error(cli, xstrdup("unexpected argument"));
	if (cli->token == NULL)
		return cli_usage_error(cli, xstrdup("--token is required"));
	/* Any call that needs a valid token will do; this one is cheap. */
	status =
	    client_request(cli, "GET", CMD_API "/event-types", NULL, &reply);
	if (status != 200) {
		int rc = client_fail(status, reply);

		cJSON_Delete(reply);
		fprintf(stderr, "jobfair: nothing saved\n");
		return rc == CLI_OK ? CLI_REFUSED : rc;
	}
	cJSON_Delete(reply);
	if (cli_config_write(cli->server, cli->token, &cause) != 0) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		return CLI_USAGE;
	}
	path = cli_config_path_new();
	printf("logged in to %s; settings saved in %s\n", cli->server, path);
	free(path);
	return CLI_OK;
}
