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
