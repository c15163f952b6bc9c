/*
 * The reports for a terminal: the post-event report and the fiscal
 * year's 目標値一覧 as tables with Japanese labels, aligned by display
 * width (table.c), figures written the way the plan writes them
 * (plan.c). Every function reads the server's JSON (borrowed) and leaves
 * blank what it lacks.
 */
#ifndef JF_REPORT_VIEW_H
#define JF_REPORT_VIEW_H

#include <cjson/cJSON.h>
#include <stdio.h>

/*
 * GET /api/v1/events/{id}/report: the event, companies and job seekers
 * side by side, supporters, the breakdowns by category and age band,
 * interviews in total and per company, outcomes.
 */
void report_view_event(FILE *out, const cJSON *report);

/*
 * GET /api/v1/reports/fiscal-year/{fy} in the 目標値一覧 layout: 連携項目,
 * 項目, the previous years' actuals under their era labels, 目標値 with
 * the previous target in parentheses, 実績, 達成率.
 */
void report_view_fiscal_year(FILE *out, const cJSON *report);

/*
 * The same report as a list of metrics: code, metric, unit, whether it
 * is counted or entered, target, actual, achievement.
 */
void report_view_metrics(FILE *out, const cJSON *report);

/* GET /api/v1/metrics/{code}: the metric and each year's figures. */
void report_view_metric(FILE *out, const cJSON *metric);

/*
 * How a metric's actual is obtained, as the tables say it: "counted" is
 * イベントから集計, "entered" 入力; anything else as it is.
 */
const char *report_view_kind(const char *kind);

#endif
