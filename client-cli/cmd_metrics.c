/*
 * jobfair metrics list|show|set|target: the plan's metrics (目標値一覧).
 * Entered metrics (Hello Work's placement counts) take their actuals per
 * year or per month; every metric takes a target per fiscal year. A
 * metric of two figures (社・人, 人・件) takes two values, in the order
 * `metrics list` shows its unit.
 */
#include "cmd_after.h"

#include "client.h"
#include "cmd.h"
#include "plan.h"
#include "report_view.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
metrics_kind_new(const cJSON *kind)
{
	return xstrdup(report_view_kind(cJSON_GetStringValue(kind)));
}

static const struct table_column metrics_catalogue_columns[] = {
    {"コード", "code", false, NULL},
    {"連携項目", "programme", false, NULL},
    {"項目", "metric", false, NULL},
    {"単位", "unit", false, NULL},
    {"集計", "kind", false, metrics_kind_new},
    {"イベント種別", "event_type", false, NULL},
};

/* Sends one request and prints the answer with view, or as JSON. */
static int
metrics_send(struct cli *cli, const char *method, const char *path,
	     const cJSON *body, void (*view)(FILE *, const cJSON *))
{
	cJSON *reply = NULL;
	int status, rc;

	status = client_request(cli, method, path, body, &reply);
	rc = client_exit_code(status);
	if (rc != CLI_OK)
		client_fail(status, reply);
	else if (cli->json)
		cmd_print_json(reply);
	else
		view(stdout, reply);
	cJSON_Delete(reply);
	return rc;
}

int
cmd_metrics_list(struct cli *cli, int argc, char **argv)
{
	char *cause = NULL, *path;
	int rest, rc, fy;

	if (cli_parse(cli, NULL, 0, argc, argv, &rest, &cause) != 0)
		return cli_usage_error(cli, cause);
	if (rest > 1)
		return cli_usage_error(cli, xstrdup("unexpected argument"));
	if (rest == 0)
		return cmd_list(cli, CMD_API "/metrics",
				metrics_catalogue_columns,
				NELEM(metrics_catalogue_columns));
	if (plan_fiscal_year_parse(argv[0], &fy, &cause) != 0)
		return cli_usage_error(cli, cause);
	xasprintf(&path, CMD_API "/reports/fiscal-year/%d", fy);
	rc = metrics_send(cli, "GET", path, NULL, report_view_metrics);
	free(path);
	return rc;
}

/* A metric code as the server names them: lower case, digits, "_". */
static int
metrics_code(const struct cli *cli, const char *code)
{
	size_t len = strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_");
	char *cause;

	if (len > 0 && len <= 64 && code[len] == '\0')
		return 0;
	xasprintf(&cause, "%s is not a metric code (see jobfair metrics list)",
		  code);
	return cli_usage_error(cli, cause);
}

int
cmd_metrics_show(struct cli *cli, int argc, char **argv)
{
	char *cause = NULL, *path;
	int rest, rc;

	if (cli_parse(cli, NULL, 0, argc, argv, &rest, &cause) != 0)
		return cli_usage_error(cli, cause);
	if (rest != 1)
		return cli_usage_error(cli, xstrdup("expected one CODE"));
	if ((rc = metrics_code(cli, argv[0])) != 0)
		return rc;
	xasprintf(&path, CMD_API "/metrics/%s", argv[0]);
	rc = metrics_send(cli, "GET", path, NULL, report_view_metric);
	free(path);
	return rc;
}

/*
 * The metric's catalogue entry, for its figures and kind. Returns 0 with
 * *metric set (the caller frees it), or the exit code after saying why.
 */
static int
metrics_fetch(struct cli *cli, const char *code, cJSON **metric)
{
	cJSON *reply = NULL;
	char *path;
	int status, rc;

	xasprintf(&path, CMD_API "/metrics/%s", code);
	status = client_request(cli, "GET", path, NULL, &reply);
	free(path);
	rc = client_exit_code(status);
	if (rc != CLI_OK) {
		client_fail(status, reply);
		cJSON_Delete(reply);
		return rc;
	}
	*metric = cJSON_DetachItemFromObjectCaseSensitive(reply, "metric");
	cJSON_Delete(reply);
	return *metric != NULL ? 0 : CLI_REFUSED;
}

/* Adds --NAME's value to body as a whole number in [min, max]. */
static int
metrics_option_int(const struct cli *cli, cJSON *body, const char *name,
		   const char *value, long min, long max)
{
	char *cause;
	long v;

	if (value == NULL)
		return 0;
	if (config_int(value, min, max, &v) != 0) {
		xasprintf(&cause, "--%s must be a whole number from %ld to %ld",
			  name, min, max);
		return cli_usage_error(cli, cause);
	}
	cJSON_AddNumberToObject(body, name, (double)v);
	return 0;
}

/*
 * set and target: CODE FY VALUE... as the metric's figures, sent with
 * PUT to /metrics/CODE/FY (or …/target); the metric's years printed.
 */
static int
metrics_put(struct cli *cli, int argc, char **argv, bool target)
{
	static const char *opt_month, *opt_sessions, *opt_note;
	static const struct config_entry options[] = {
	    CONFIG_FLAG("month", "a month 1..12 instead of the whole year",
			&opt_month),
	    CONFIG_FLAG("sessions", "events held (回)", &opt_sessions),
	    CONFIG_FLAG("note", "a note, such as 速報値", &opt_note),
	};
	cJSON *metric = NULL, *body = NULL;
	char *cause = NULL, *path;
	const char *kind;
	int rest, rc, fy;

	if (cli_parse(cli, options, target ? 0 : NELEM(options), argc, argv,
		      &rest, &cause) != 0)
		return cli_usage_error(cli, cause);
	if (rest < 3)
		return cli_usage_error(cli,
				       xstrdup("expected CODE FY VALUE..."));
	if ((rc = metrics_code(cli, argv[0])) != 0)
		return rc;
	if (plan_fiscal_year_parse(argv[1], &fy, &cause) != 0)
		return cli_usage_error(cli, cause);
	if ((rc = metrics_fetch(cli, argv[0], &metric)) != 0)
		return rc;
	kind = cJSON_GetStringValue(cJSON_GetObjectItem(metric, "kind"));
	if (!target && kind != NULL && strcmp(kind, "counted") == 0) {
		xasprintf(&cause,
			  "%s is counted from the check-ins at %s events; it "
			  "cannot be entered",
			  argv[0],
			  cJSON_GetStringValue(
			      cJSON_GetObjectItem(metric, "event_type")));
		rc = cli_usage_error(cli, cause);
		goto out;
	}
	body = plan_figures_body_new(cJSON_GetObjectItem(metric, "figures"),
				     target ? "target" : "actual", argv + 2,
				     rest - 2, &cause);
	if (body == NULL) {
		char *why;

		xasprintf(&why, "%s: %s", argv[0], cause);
		free(cause);
		rc = cli_usage_error(cli, why);
		goto out;
	}
	if (!target) {
		if ((rc = metrics_option_int(cli, body, "month", opt_month, 1,
					     12)) != 0 ||
		    (rc = metrics_option_int(cli, body, "sessions",
					     opt_sessions, 0, 1000)) != 0)
			goto out;
		if (opt_note != NULL)
			cJSON_AddStringToObject(body, "note", opt_note);
	}
	xasprintf(&path, CMD_API "/metrics/%s/%d%s", argv[0], fy,
		  target ? "/target" : "");
	rc = metrics_send(cli, "PUT", path, body, report_view_metric);
	free(path);
out:
	cJSON_Delete(metric);
	cJSON_Delete(body);
	return rc;
}

int
cmd_metrics_set(struct cli *cli, int argc, char **argv)
{
	return metrics_put(cli, argc, argv, false);
}

int
cmd_metrics_target(struct cli *cli, int argc, char **argv)
{
	return metrics_put(cli, argc, argv, true);
}
