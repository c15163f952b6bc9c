/*
 * The plan's metrics (目標値一覧): the catalogue, one metric's years, and
 * the writes organizers make: actuals Hello Work reports (per year or per
 * month) and targets for new fiscal years.
 */
#ifndef JF_METRICS_H
#define JF_METRICS_H

#include "http.h"

/* GET /api/v1/metrics */
void metrics_list(struct http_ctx *ctx);
/* GET /api/v1/metrics/{code} */
void metrics_show(struct http_ctx *ctx);
/* PUT /api/v1/metrics/{code}/{fy}: an entered metric's actual. */
void metrics_set_actual(struct http_ctx *ctx);
/* PUT /api/v1/metrics/{code}/{fy}/target */
void metrics_set_target(struct http_ctx *ctx);

/*
 * Path argument `arg` as a fiscal year the plan can hold (1989..2100),
 * borrowed; NULL after replying 404. Shared with the reports.
 */
const char *metrics_path_fiscal_year(struct http_ctx *ctx, int arg);

#endif
