/*
 * The CLI's CSV import: the file read and checked whole (common/import.h)
 * before anything is sent, then the valid rows POSTed, each alone or many
 * to a request.
 */
#ifndef JF_IMPORTER_H
#define JF_IMPORTER_H

#include "import.h"

#include <stdbool.h>
#include <stdio.h>

struct cli;

/* "row N, column X: why" for each error of the row, X as the file says. */
void importer_row_print(const struct import_row *row, FILE *out);

/*
 * Writes the rows that have errors (import_rejected_new) to path.
 * Returns 0, or -1 with *cause.
 */
int importer_write_rejected(const struct import_batch *b, const char *path,
			    char **cause);

/* "companies.csv" → "companies.rejected.csv". The caller frees it. */
char *importer_rejected_path_new(const char *file);

/*
 * Where the rows go. Without `list`, each row is POSTed alone to `path`
 * and answered with the created object. With it, rows go in batches as
 * {"<list>": [row, …]} and are answered {"results": [{"index", "status",
 * "<item>" | "error"}, …]}, one result per row of the batch.
 */
struct importer_endpoint {
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
int importer_run(struct cli *cli, const struct form *f,
		 const struct importer_endpoint *to, const char *file,
		 enum csv_encoding enc, bool skip_invalid);

#endif
