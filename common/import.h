/*
 * A CSV file of companies or job seekers read and checked whole, for the
 * CLI's import command and the server's upload endpoints alike: the
 * header names the columns (JSON names or Japanese labels), every row is
 * validated with the form's field table, and the rows with errors can be
 * written back, in the file's encoding, with an "error" column.
 */
#ifndef JF_IMPORT_H
#define JF_IMPORT_H

#include "csv.h"
#include "form.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct import_row {
	size_t number; /* the spreadsheet's row: the header is row 1 */
	char **cells;  /* as read, for the rejected-rows file */
	size_t ncells;
	cJSON *body;   /* the validated object to send; NULL if invalid */
	cJSON *errors; /* {"column": "why"}, "" for the whole row; or NULL */
	bool imported;
};

struct import_batch {
	const struct form *form;
	enum csv_encoding enc; /* the file's, for the rejected-rows file */
	char **header;
	size_t nheader;
	int *index; /* per form column (then "error"): header position */
	struct import_row *rows;
	size_t nrows;
	size_t ninvalid;
};

/*
 * The object a CSV row stands for: one member per column of the form
 * present in the file and not blank, made by form_cell_new(). index[i]
 * is the header position of f->columns[i] (-1 if absent). Unvalidated;
 * the caller frees it.
 */
cJSON *import_row_json_new(const struct form *f, const int *index,
			   const struct csv_row *row);

/*
 * Reads and validates a whole file: its encoding (CSV_ENC_AUTO detects),
 * its header, then every row (rows with only blank cells are skipped).
 * Returns NULL with *cause when the file as a whole is unusable: bad
 * bytes, malformed CSV, an unknown header cell, a required column
 * missing. Invalid rows are not a failure: see ninvalid and each row's
 * errors.
 */
struct import_batch *import_batch_new(const struct form *f, const char *data,
				      size_t len, enum csv_encoding enc,
				      char **cause);
void import_batch_free(struct import_batch *b);

/*
 * A refusal of a row by the server: {"field": "why"} errors under their
 * columns as the file's header writes them, then `why` for the whole row
 * unless a column already says the same. Either may be NULL; b is read
 * only for fields.
 */
void import_row_refuse(const struct import_batch *b, struct import_row *row,
		       const cJSON *fields, const char *why);

/*
 * The rows that have errors, under the file's header plus an "error"
 * column, in the file's encoding. An import ignores the "error" column,
 * so the file can be corrected and imported as it is. Returns a writer
 * holding the bytes (csv_writer_data), or NULL with *cause.
 */
struct csv_writer *import_rejected_new(const struct import_batch *b,
				       char **cause);

#endif
