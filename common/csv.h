/*
 * CSV files as city staff exchange them with Excel (RFC 4180): read from
 * UTF-8 with or without a BOM or from CP932, written as UTF-8 with a BOM
 * or as CP932, always with CRLF line ends. Text inside the program is
 * always UTF-8.
 */
#ifndef JF_CSV_H
#define JF_CSV_H

#include <stddef.h>

enum csv_encoding {
	CSV_ENC_AUTO, /* read: BOM or valid UTF-8, else CP932; write: UTF8 */
	CSV_ENC_UTF8, /* read: a BOM is optional; write: BOM and CRLF */
	CSV_ENC_CP932 /* Windows-31J, never a BOM */
};

/*
 * One record. fields and the strings they point to belong to the reader
 * and are overwritten by the next csv_read_row() (borrowed, like
 * csv_row_field()); copy what must outlive it. Each field is
 * NUL-terminated UTF-8. line is the 1-based physical line on which the
 * record starts, for messages.
 */
struct csv_row {
	char **fields;
	size_t nfields;
	size_t line;
};

struct csv_reader;

/*
 * A reader over a copy of data[0..len), converted to UTF-8 up front.
 * Returns NULL and sets *cause (naming the 1-based line) if the input
 * holds a NUL byte or bytes that are not valid in its encoding.
 */
struct csv_reader *csv_reader_new(const char *data, size_t len,
				  enum csv_encoding enc, char **cause);
void csv_reader_free(struct csv_reader *r);

/*
 * Reads the next record into *row. Returns 1 when a record was read, 0 at
 * the end of input and -1 with *cause naming the line on malformed input
 * (a quote never closed, text after a closing quote, a CR without LF);
 * after -1 the reader may only be freed. Completely empty lines are
 * skipped; a quote inside an unquoted field is kept as text, as Excel
 * does.
 */
int csv_read_row(struct csv_reader *r, struct csv_row *row, char **cause);

/* row->fields[index], or NULL if index is -1 or past a short row's end. */
const char *csv_row_field(const struct csv_row *row, int index);

/* A column an import understands: its JSON name and its header label. */
struct csv_column {
	const char *name;  /* "corporate_number" */
	const char *label; /* "法人番号" */
};

/*
 * Maps a header row onto columns[0..ncolumns): index[i] becomes the
 * position of columns[i] in the header, or -1 if the file lacks it; the
 * caller decides which columns are required. A header cell matches a
 * column when, trimmed of ASCII and ideographic spaces, it equals its
 * label or its name exactly. Empty header cells are ignored (Excel leaves
 * them behind). Returns 0, or -1 with *cause listing every unknown or
 * repeated header cell and the labels that are accepted.
 */
int csv_header_map(const struct csv_row *header,
		   const struct csv_column *columns, size_t ncolumns,
		   int *index, char **cause);

struct csv_writer;

/* An empty CSV document; UTF-8 output starts with its BOM already. */
struct csv_writer *csv_writer_new(enum csv_encoding enc);
void csv_writer_free(struct csv_writer *w);

/*
 * Appends one record of n fields (a NULL field is an empty cell) ending
 * in CRLF. A field holding a comma, quote, CR or LF is quoted, its quotes
 * doubled. A field starting with = + - @ TAB or CR, or the full-width
 * ＝ ＋ － ＠, would be run by Excel as a formula, so it gets a leading '
 * unless the whole field is a plain number such as -5 or -12.5, which
 * Excel only ever reads as a number.
 *
 * Returns 0, or -1 with *cause if a field is not valid UTF-8 or holds a
 * character CP932 cannot encode (nothing is replaced); the record is
 * then left out entirely. Records are numbered per call, header included,
 * so the cause's "row N" is the Excel row the record was meant for and a
 * caller can carry on to collect every failing row.
 */
int csv_write_row(struct csv_writer *w, const char *const *fields, size_t n,
		  char **cause);

/* The document so far, valid until the next write or the free. */
const char *csv_writer_data(const struct csv_writer *w, size_t *len);

#endif
