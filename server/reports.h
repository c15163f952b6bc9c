/*
 * The reports: after one event, and the fiscal year's target-vs-actual
 * table (目標値一覧). PostgreSQL computes them; ?format=csv renders the
 * same JSON as CSV for Excel (UTF-8 with BOM, or ?encoding=cp932).
 */
#ifndef JF_REPORTS_H
#define JF_REPORTS_H

#include "http.h"

#include <cjson/cJSON.h>

/* GET /api/v1/events/{id}/report, `query` holding format and encoding. */
void reports_event(struct http_ctx *ctx, const cJSON *query);
/* GET /api/v1/reports/fiscal-year/{fy} */
void reports_fiscal_year(struct http_ctx *ctx, const cJSON *query);

#endif
