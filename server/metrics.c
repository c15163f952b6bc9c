/*
 * /api/v1/metrics. Whether a metric takes one figure ("actual",
 * "target") or two (its figure names: companies and persons, or persons
 * and cases) is data in plan_metrics, so the database checks the figures
 * against the metric; here only their form is checked.
 */
#include "metrics.h"

#include "api.h"
#include "request.h"

#include <stdlib.h>
#include <string.h>

#define METRICS_FIGURE_MAX 10000000L

#define METRICS_FIGURE(name)                                                   \
	{                                                                      \
		name, INPUT_INT, false, 0, METRICS_FIGURE_MAX, NULL, NULL, 0   \
	}

static const struct input_field metrics_actual_fields[] = {
    METRICS_FIGURE("actual"),
    METRICS_FIGURE("companies"),
    METRICS_FIGURE("persons"),
    METRICS_FIGURE("cases"),
    {"month", INPUT_INT, false, 1, 12, NULL, NULL, 0},
    {"sessions", INPUT_INT, false, 0, 1000, NULL, NULL, 0},
    {"note", INPUT_TEXT, false, 0, 500, NULL, NULL, 0},
};

static const struct input_field metrics_target_fields[] = {
    METRICS_FIGURE("target"),
    METRICS_FIGURE("companies"),
    METRICS_FIGURE("persons"),
    METRICS_FIGURE("cases"),
};

/* A metric code as plan_metrics allows it; anything else is not found. */
static const char *
metrics_path_code(struct http_ctx *ctx, int arg)
{
	const char *s = ctx->args[arg];
	size_t len = s ? strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") : 0;

	if (len == 0 || len > 64 || s[len] != '\0') {
		http_reply_error(ctx, 404, "no such metric");
		return NULL;
	}
	return s;
}

const char *
metrics_path_fiscal_year(struct http_ctx *ctx, int arg)
{
	const char *s = ctx->args[arg];
	int fy;

	if (s == NULL || strlen(s) != 4 || strspn(s, "0123456789") != 4 ||
	    (fy = atoi(s)) < 1989 || fy > 2100) {
		http_reply_error(ctx, 404, "no such fiscal year");
		return NULL;
	}
	return s;
}

void
metrics_list(struct http_ctx *ctx)
{
	api_json(
	    ctx, 200,
	    "SELECT json_build_object('items', json_agg(plan_metric_json(m) "
	    "ORDER BY m.sort_order), 'next', NULL) FROM plan_metrics m",
	    0, NULL);
}

void
metrics_show(struct http_ctx *ctx)
{
	const char *code = metrics_path_code(ctx, 0);

	if (code != NULL)
		api_json(ctx, 200, "SELECT report_metric($1)", 1, &code);
}

/* PUT …/{code}/{fy}[/target]: sql($1 user, $2 code, $3 fy, $4 body). */
static void
metrics_put(struct http_ctx *ctx, const struct input_field *spec, size_t n,
	    const char *sql)
{
	const char *params[3];
	cJSON *body;

	if ((params[1] = metrics_path_code(ctx, 0)) == NULL ||
	    (params[2] = metrics_path_fiscal_year(ctx, 1)) == NULL)
		return;
	if ((body = request_body_new(ctx, spec, n, false)) == NULL)
		return;
	params[0] = ctx->user_id;
	request_api_json(ctx, 200, sql, 3, params, body);
	cJSON_Delete(body);
}

void
metrics_set_actual(struct http_ctx *ctx)
{
	metrics_put(ctx, metrics_actual_fields,
		    REQUEST_NFIELDS(metrics_actual_fields),
		    "SELECT api_metric_set_actual($1, $2, $3, $4::jsonb)");
}

void
metrics_set_target(struct http_ctx *ctx)
{
	metrics_put(ctx, metrics_target_fields,
		    REQUEST_NFIELDS(metrics_target_fields),
		    "SELECT api_metric_set_target($1, $2, $3, $4::jsonb)");
}
