/*
 * jobfair report event EVENT and jobfair report fy FY: the post-event
 * report and the fiscal year's 目標値一覧. The terminal table is drawn
 * here from the report's JSON; CSV, JSON and .xlsx are the server's bytes
 * as they came (?format=), so a file saved here is the file the API serves
 * (UTF-8 with a BOM for Excel, or CP932 for older Excel).
 */
#include "cmd_after.h"

#include "client.h"
#include "cmd.h"
#include "fetch.h"
#include "log.h"
#include "plan.h"
#include "report_view.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum report_format { REPORT_TABLE, REPORT_CSV, REPORT_JSON, REPORT_XLSX };

struct report_request {
	char *path; /* the report's JSON, before ?format= */
	void (*view)(FILE *, const cJSON *);
	enum report_format format;
	bool cp932;
	const char *out; /* --out FILE, or NULL for standard output */
};

/* --format and --encoding, checked against each other. */
static int
report_options(const struct cli *cli, const char *format, const char *encoding,
	       struct report_request *rq)
{
	if (format == NULL)
		rq->format = cli->json ? REPORT_JSON : REPORT_TABLE;
	else if (strcmp(format, "table") == 0)
		rq->format = REPORT_TABLE;
	else if (strcmp(format, "csv") == 0)
		rq->format = REPORT_CSV;
	else if (strcmp(format, "json") == 0)
		rq->format = REPORT_JSON;
	else if (strcmp(format, "xlsx") == 0)
		rq->format = REPORT_XLSX;
	else
		return cli_usage_error(
		    cli, xstrdup("--format must be table, csv, json or xlsx"));
	if (cli->json && rq->format != REPORT_JSON)
		return cli_usage_error(
		    cli, xstrdup("--json asks for --format json"));
	if (encoding == NULL || strcasecmp(encoding, "utf8") == 0 ||
	    strcasecmp(encoding, "utf-8") == 0)
		rq->cp932 = false;
	else if (strcasecmp(encoding, "cp932") == 0 ||
		 strcasecmp(encoding, "sjis") == 0 ||
		 strcasecmp(encoding, "shift_jis") == 0)
		rq->cp932 = true;
	else
		return cli_usage_error(
		    cli, xstrdup("--encoding must be utf8 or cp932"));
	if (encoding != NULL && rq->format != REPORT_CSV)
		return cli_usage_error(
		    cli, xstrdup("--encoding applies to --format csv only"));
	return 0;
}

/* Writes the report to --out or standard output. Returns the exit code. */
static int
report_write(const char *out, const char *data, size_t len)
{
	FILE *f = out != NULL ? fopen(out, "wb") : stdout;
	bool ok;

	if (f == NULL) {
		fprintf(stderr, "jobfair: %s: %s\n", out, strerror(errno));
		return CLI_USAGE;
	}
	ok = fwrite(data, 1, len, f) == len && fflush(f) == 0;
	if (out != NULL && fclose(f) != 0)
		ok = false;
	if (!ok) {
		fprintf(stderr, "jobfair: %s: %s\n", out ? out : "stdout",
			strerror(errno));
		return CLI_USAGE;
	}
	if (out != NULL)
		fprintf(stderr, "jobfair: report written to %s (%zu bytes)\n",
			out, len);
	return CLI_OK;
}

/* The table, drawn into memory from the report's JSON. */
static int
report_table(struct cli *cli, const struct report_request *rq, char **data,
	     size_t *len, cJSON **error)
{
	cJSON *report = NULL;
	FILE *mem;
	int status;

	status = client_request(cli, "GET", rq->path, NULL, &report);
	if (status < 200 || status >= 300) {
		*error = report;
		return status;
	}
	if ((mem = open_memstream(data, len)) == NULL)
		fatal("open_memstream");
	rq->view(mem, report);
	if (fclose(mem) != 0)
		fatal("open_memstream");
	cJSON_Delete(report);
	return status;
}

static int
report_fetch(struct cli *cli, const struct report_request *rq)
{
	char *path = xstrdup(rq->path), *data = NULL;
	cJSON *error = NULL;
	size_t len = 0;
	int status, rc;

	if (rq->format == REPORT_TABLE)
		status = report_table(cli, rq, &data, &len, &error);
	else {
		client_query_add(&path, "format",
				 rq->format == REPORT_CSV    ? "csv"
				 : rq->format == REPORT_XLSX ? "xlsx"
							     : "json");
		if (rq->cp932)
			client_query_add(&path, "encoding", "cp932");
		status = fetch_bytes(cli, path, &data, &len, &error);
	}
	rc = client_exit_code(status);
	if (rc != CLI_OK)
		client_fail(status, error);
	else
		rc = report_write(rq->out, data, len);
	cJSON_Delete(error);
	free(data);
	free(path);
	return rc;
}

/* Both commands: the one argument, the options, then the report. */
static int
report_run(struct cli *cli, int argc, char **argv, bool event)
{
	static const char *opt_format, *opt_encoding, *opt_out;
	static const struct config_entry options[] = {
	    CONFIG_FLAG("format", "table, csv, json or xlsx", &opt_format),
	    CONFIG_FLAG("encoding", "utf8 (with BOM) or cp932, for csv",
			&opt_encoding),
	    CONFIG_FLAG("out", "write to FILE instead of standard output",
			&opt_out),
	};
	struct report_request rq = {0};
	char *cause = NULL;
	int rest, rc, fy;

	if (cli_parse(cli, options, NELEM(options), argc, argv, &rest,
		      &cause) != 0)
		return cli_usage_error(cli, cause);
	if ((rc = report_options(cli, opt_format, opt_encoding, &rq)) != 0)
		return rc;
	rq.out = opt_out;
	if (rq.format == REPORT_XLSX && opt_out == NULL)
		return cli_usage_error(
		    cli, xstrdup("--format xlsx needs --out FILE"));
	if (event) {
		if ((rc = cmd_want_ids(cli, rest, argv, 1)) != 0)
			return rc;
		xasprintf(&rq.path, CMD_API "/events/%s/report", argv[0]);
		rq.view = report_view_event;
	} else {
		if (rest != 1)
			return cli_usage_error(
			    cli, xstrdup("expected one fiscal year (2024)"));
		if (plan_fiscal_year_parse(argv[0], &fy, &cause) != 0)
			return cli_usage_error(cli, cause);
		xasprintf(&rq.path, CMD_API "/reports/fiscal-year/%d", fy);
		rq.view = report_view_fiscal_year;
	}
	rc = report_fetch(cli, &rq);
	free(rq.path);
	return rc;
}

int
cmd_report_event(struct cli *cli, int argc, char **argv)
{
	return report_run(cli, argc, argv, true);
}

int
cmd_report_fy(struct cli *cli, int argc, char **argv)
{
	return report_run(cli, argc, argv, false);
}
