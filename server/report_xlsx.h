/*
 * The reports as .xlsx (libxlsxwriter): the same rows and labels as the
 * CSV (report_csv.h's rows), figures as numbers with the formats that
 * show them as the CSV does ("552件" is 552 formatted 0"件", 66.7% is
 * 0.667 formatted 0.0%), the plan's two header rows with its merged
 * cells for the 目標値一覧, the header frozen, widths fitted to the text.
 * The functions are render_cb's (render.h): they run on a render worker.
 */
#ifndef JF_REPORT_XLSX_H
#define JF_REPORT_XLSX_H

#include "render.h"

#define REPORT_XLSX_TYPE                                                       \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* `text` is report_event()'s or report_fiscal_year()'s JSON. */
int report_xlsx_event(const char *text, size_t len, const void *arg,
		      struct render_out *out, char **cause);
int report_xlsx_fiscal_year(const char *text, size_t len, const void *arg,
			    struct render_out *out, char **cause);

#endif
