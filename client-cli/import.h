/*
 * CSV import, shared by companies and registrations: the header names
 * the columns (JSON names or Japanese labels), the whole file is
 * validated before anything is sent, then the valid rows are POSTed,
 * each alone or many to a request.
 */
#ifndef JF_IMPORT_H
#define JF_IMPORT_H

#include "csv.h"
#include "form.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cli;

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

/* "row N, column X: why" for each error of the row, X as the file says. */
void import_row_print(const struct import_row *row, FILE *out);

/*
 * Writes the rows that have errors, under the file's header plus an
 * "error" column, in the file's encoding. An import ignores the "error"
 * column, so the file can be corrected and imported as it is. Returns 0,
 * or -1 with *cause.
 */
int import_write_rejected(const struct import_batch *b, const char *path,
			  char **cause);

/* "companies.csv" → "companies.rejected.csv". The caller frees it. */
char *import_rejected_path_new(const char *file);

/*
 * Where the rows go. Without `list`, each row is POSTed alone to `path`
 * and answered with the created object. With it, rows go in batches as
 * {"<list>": [row, …]} and are answered {"results": [{"index", "status",
 * "<item>" | "error"}, …]}, one result per row of the batch.
 */
struct import_endpoint {
	const char *path;
	const char *list;
	const char *item;
};

/*
 * The command: validates `file`, refuses it whole if a row is invalid
 * (unless skip_invalid), POSTs the valid rows to `to`, reports refusals
 * by row, writes the rejected rows next to the file and prints a
 * summary. Returns the exit code.
 */
int import_run(struct cli *cli, const struct form *f,
	       const struct import_endpoint *to, const char *file,
	       enum csv_encoding enc, bool skip_invalid);

#endif
