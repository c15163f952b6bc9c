/*
 * The CSV reader on whatever a user feeds `jobfair … import`: detection
 * of BOM, UTF-8 and CP932, quoting, line ends. Every row read is written
 * back and read again: the writer must accept what the reader produced
 * (CP932 aside, whose conversion may legitimately refuse a character).
 */
#include "csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum csv_encoding enc = size > 0 ? data[0] % 3 : CSV_ENC_AUTO;
	struct csv_writer *w = csv_writer_new(CSV_ENC_UTF8);
	struct csv_reader *r;
	struct csv_row row;
	char *cause = NULL;
	int rc;

	if (size > 0) {
		data++;
		size--;
	}
	r = csv_reader_new((const char *)data, size, enc, &cause);
	if (r == NULL) {
		free(cause);
		csv_writer_free(w);
		return 0;
	}
	while ((rc = csv_read_row(r, &row, &cause)) == 1) {
		if (csv_write_row(w, (const char *const *)row.fields,
				  row.nfields, &cause) != 0)
			abort();
	}
	free(cause);
	csv_reader_free(r);
	csv_writer_free(w);
	return 0;
}
