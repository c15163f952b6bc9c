/*
 * jobfair print slips|badges|booths|companies EVENT --out FILE.pdf: the
 * server's PDF (GET /events/{id}/print/…) saved as it came, so what the
 * clerk prints here is what the back office prints. Slips and badges of
 * seekers take --id N (repeated, or N,M,…) for some seekers only.
 */
#include "cmd_print.h"

#include "client.h"
#include "cmd.h"
#include "durable.h"
#include "fetch.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Takes every "--id N" out of argv (the option table holds one value
 * per flag) into *ids, "N,M"; returns the new argc.
 */
static int
print_take_ids(int argc, char **argv, char **ids)
{
	int kept = 0;

	*ids = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--id") == 0 && i + 1 < argc) {
			char *joined;

			xasprintf(&joined, "%s%s%s", *ids ? *ids : "",
				  *ids ? "," : "", argv[++i]);
			free(*ids);
			*ids = joined;
		} else
			argv[kept++] = argv[i];
	}
	return kept;
}

static int
print_run(struct cli *cli, int argc, char **argv, const char *doc)
{
	static const char *opt_out, *opt_one, *opt_names, *opt_companies;
	static const struct config_entry options[] = {
	    CONFIG_FLAG("out", "the PDF file to write", &opt_out),
	    CONFIG_SWITCH("one-per-page", "slips: one per A4 page", &opt_one),
	    CONFIG_SWITCH("names", "seekers' badges: the name too", &opt_names),
	    CONFIG_SWITCH("companies", "badges: company representatives'",
			  &opt_companies),
	};
	char *ids, *path = NULL, *data = NULL, *cause = NULL;
	cJSON *error = NULL;
	size_t len = 0;
	int rest, rc, status;

	argc = print_take_ids(argc, argv, &ids);
	if (cli_parse(cli, options, NELEM(options), argc, argv, &rest,
		      &cause) != 0) {
		rc = cli_usage_error(cli, cause);
		goto out;
	}
	if (opt_out == NULL || *opt_out == '\0') {
		rc = cli_usage_error(cli, xstrdup("expected --out FILE.pdf"));
		goto out;
	}
	if ((rc = cmd_want_ids(cli, rest, argv, 1)) != 0)
		goto out;
	xasprintf(&path, CMD_API "/events/%s/print/%s.pdf", argv[0], doc);
	if (ids != NULL)
		client_query_add(&path, "ids", ids);
	if (opt_one != NULL)
		client_query_add(&path, "layout", "page");
	if (opt_names != NULL)
		client_query_add(&path, "names", "1");
	if (opt_companies != NULL)
		client_query_add(&path, "kind", "companies");
	status = fetch_bytes(cli, path, &data, &len, &error);
	if ((rc = client_exit_code(status)) != CLI_OK)
		client_fail(status, error);
	else if (durable_replace(opt_out, data, len, &cause) != 0) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		rc = CLI_USAGE;
	} else
		fprintf(stderr, "jobfair: %s written (%zu bytes)\n", opt_out,
			len);
out:
	cJSON_Delete(error);
	free(data);
	free(path);
	free(ids);
	return rc;
}

int
cmd_print_slips(struct cli *cli, int argc, char **argv)
{
	return print_run(cli, argc, argv, "slips");
}

int
cmd_print_badges(struct cli *cli, int argc, char **argv)
{
	return print_run(cli, argc, argv, "badges");
}

int
cmd_print_booths(struct cli *cli, int argc, char **argv)
{
	return print_run(cli, argc, argv, "booths");
}

int
cmd_print_companies(struct cli *cli, int argc, char **argv)
{
	return print_run(cli, argc, argv, "companies");
}
