/*
 * The reports as .xlsx (libxlsxwriter): the same rows and labels as the
 * CSV (report_csv.h's rows), figures as numbers with the formats that
 * show them as the CSV does ("552件" is 552 formatted 0"件", 66.7% is
 * 0.667 formatted 0.0%), the plan's two header rows with its merged
 * cells for the 目標値一覧, the header frozen, widths fitted to the text.
 * The same for the organizers' lists. The rendering is a render_cb
 * (render.h): it runs on a render worker.
 */
#ifndef JF_REPORT_XLSX_H
#define JF_REPORT_XLSX_H

#include "render.h"

#include <cjson/cJSON.h>

#define REPORT_XLSX_TYPE                                                       \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

enum report_xlsx_kind {
	REPORT_XLSX_EVENT,	   /* report_event()'s JSON */
	REPORT_XLSX_FISCAL_YEAR,   /* report_fiscal_year()'s */
	REPORT_XLSX_REGISTRATIONS, /* list_registrations()'s */
	REPORT_XLSX_COMPANIES,	   /* print_companies()'s */
};

/* A render_cb: `arg` points to the enum report_xlsx_kind. */
int report_xlsx_render(const char *text, size_t len, const void *arg,
		       struct render_out *out, char **cause);

/* GET /events/{id}/registrations.xlsx and /events/{id}/companies.xlsx */
void report_xlsx_registrations(struct http_ctx *ctx, const cJSON *query);
void report_xlsx_companies(struct http_ctx *ctx, const cJSON *query);

#endif
