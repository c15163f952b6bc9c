/*
 * jobfair outcomes import EVENT FILE.csv: the outcomes a company sends
 * back, all or nothing. The whole file is checked first and every
 * problem listed as "row N, column X: why"; then all rows go in one
 * request, which the server applies in one transaction or refuses
 * naming the rows, so a file is never half imported.
 */
#include "cmd_after.h"

#include "client.h"
#include "cmd.h"
#include "importer.h"
#include "outcomes.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A company's CSV of outcomes is small; the server takes 4 MB. */
#define OUTCOMES_MAX_FILE (4L << 20)

/* The whole file in memory; NULL with *cause. */
static char *
outcomes_read_new(const char *file, size_t *len, char **cause)
{
	char *data = xmalloc(OUTCOMES_MAX_FILE + 1);
	FILE *f = fopen(file, "rb");

	if (f == NULL) {
		xasprintf(cause, "%s: %s", file, strerror(errno));
		free(data);
		return NULL;
	}
	*len = fread(data, 1, OUTCOMES_MAX_FILE + 1, f);
	if (ferror(f))
		xasprintf(cause, "%s: read error", file);
	else if (*len > OUTCOMES_MAX_FILE)
		xasprintf(cause, "%s: larger than %ld MB", file,
			  OUTCOMES_MAX_FILE >> 20);
	fclose(f);
	if (*cause != NULL) {
		free(data);
		return NULL;
	}
	return data;
}

static void
outcomes_print_errors(const struct import_batch *b)
{
	for (size_t i = 0; i < b->nrows; i++)
		if (b->rows[i].errors != NULL)
			importer_row_print(&b->rows[i], stderr);
}

/* Sends the rows; prints the server's summary or its refusal by row. */
static int
outcomes_send(struct cli *cli, struct import_batch *b, const char *event,
	      const char *file)
{
	cJSON *body = outcomes_body_new(b), *reply = NULL;
	const cJSON *err, *fields;
	char *path;
	int status, rc;

	xasprintf(&path, CMD_API "/events/%s/outcomes", event);
	status = client_request(cli, "POST", path, body, &reply);
	free(path);
	cJSON_Delete(body);
	rc = client_exit_code(status);
	if (rc == CLI_OK) {
		if (cli->json)
			cmd_print_json(reply);
		else
			printf("imported %.0f outcomes: %.0f interviews "
			       "updated, %.0f recorded from the file\n",
			       cJSON_GetNumberValue(
				   cJSON_GetObjectItem(reply, "rows")),
			       cJSON_GetNumberValue(
				   cJSON_GetObjectItem(reply, "updated")),
			       cJSON_GetNumberValue(
				   cJSON_GetObjectItem(reply, "created")));
		cJSON_Delete(reply);
		return CLI_OK;
	}
	err = cJSON_GetObjectItemCaseSensitive(reply, "error");
	fields = cJSON_GetObjectItemCaseSensitive(err, "fields");
	if (status > 0 && outcomes_refused(b, fields) > 0) {
		outcomes_print_errors(b);
		fprintf(stderr,
			"jobfair: %s: the server refused %zu of %zu rows; "
			"nothing was imported\n",
			file, b->ninvalid, b->nrows);
	} else
		client_fail(status, reply);
	cJSON_Delete(reply);
	return rc;
}

int
cmd_outcomes_import(struct cli *cli, int argc, char **argv)
{
	struct import_batch *b = NULL;
	enum csv_encoding enc;
	char *cause = NULL, *data = NULL;
	size_t len = 0;
	bool skip;
	int rest, rc;

	if ((rc = cmd_import_options(cli, argc, argv, &rest, &enc, &skip)) != 0)
		return rc;
	if (skip)
		return cli_usage_error(
		    cli, xstrdup("outcomes are imported all or nothing; "
				 "--skip-invalid does not apply"));
	if (rest != 2)
		return cli_usage_error(cli, xstrdup("expected EVENT FILE.csv"));
	if ((rc = cmd_want_ids(cli, 1, argv, 1)) != 0)
		return rc;
	rc = CLI_USAGE;
	if ((data = outcomes_read_new(argv[1], &len, &cause)) == NULL ||
	    (b = import_batch_new(&outcomes_form, data, len, enc, &cause)) ==
		NULL ||
	    outcomes_check(b, &cause) != 0) {
		fprintf(stderr, "jobfair: %s%s%s\n", data ? argv[1] : "",
			data ? ": " : "", cause);
		goto out;
	}
	outcomes_print_errors(b);
	if (b->nrows == 0)
		fprintf(stderr, "jobfair: %s: no rows under the header\n",
			argv[1]);
	else if (b->ninvalid > 0)
		fprintf(stderr,
			"jobfair: %s: %zu of %zu rows are invalid; nothing was "
			"imported\n",
			argv[1], b->ninvalid, b->nrows);
	else
		rc = outcomes_send(cli, b, argv[0], argv[1]);
out:
	free(cause);
	free(data);
	import_batch_free(b);
	return rc;
}
