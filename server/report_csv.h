/*
 * The reports as CSV for Excel, rendered from the JSON the database
 * built (report_event() and report_fiscal_year() in
 * migrations/0006_reports.sql): Japanese headers and labels, and cells
 * written the way the plan's 目標値一覧 writes them ("552件", "(1回)11人",
 * "19社 40人", "626件 (666件)").
 */
#ifndef JF_REPORT_CSV_H
#define JF_REPORT_CSV_H

#include "csv.h"

#include <cjson/cJSON.h>

/*
 * A cell of a report: its text, as the CSV writes it, and for a figure a
 * spreadsheet should count with, the number and its Excel format.
 */
struct report_cell {
	const char *text;   /* NULL: empty */
	const char *format; /* NULL: text only; "0", "0.0%", 0"件" */
	double number;	    /* with a format: the value (0.667 for 66.7%) */
};

/* Where the rows go: the CSV here, the spreadsheet in report_xlsx.c. */
struct report_sink {
	/* One row; the cells are borrowed for the call. */
	void (*row)(void *arg, const struct report_cell *cells, size_t n);
	void *arg;
};

/*
 * The reports' rows, in order, the header first. The fiscal year's
 * header is 連携項目, 項目, 説明, one column per previous year, then
 * 目標値, 実績, 達成率 (report_layout.h).
 */
void report_rows_event(const cJSON *report, const struct report_sink *sink);
void report_rows_fiscal_year(const cJSON *report,
			     const struct report_sink *sink);

/*
 * Each returns a new document (free with csv_writer_free()), or NULL with
 * *cause (caller frees) naming every row that holds a character the
 * encoding cannot represent. `report` is borrowed.
 */
struct csv_writer *report_csv_event_new(const cJSON *report,
					enum csv_encoding enc, char **cause);
struct csv_writer *report_csv_fiscal_year_new(const cJSON *report,
					      enum csv_encoding enc,
					      char **cause);

#endif
