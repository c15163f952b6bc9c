/*
 * RFC 4180 CSV over in-memory buffers. Input is converted to UTF-8 in one
 * pass before parsing, so the parser only ever sees UTF-8 and every line
 * number it reports is the physical line in the file. CP932 goes through
 * iconv without //TRANSLIT: a character that has no mapping is an error
 * the caller shows, never a silent '?'.
 */
#include "csv.h"

#include "text.h"
#include "xmalloc.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define CSV_BOM	    "\xef\xbb\xbf"
#define CSV_BOM_LEN 3

struct csv_buf {
	char *data;
	size_t len;
	size_t cap;
};

struct csv_reader {
	char *text; /* UTF-8, BOM stripped, NUL-terminated */
	size_t len;
	size_t pos;
	size_t line;

	/* The current row: every field NUL-terminated back to back. */
	struct csv_buf chars;
	size_t *offsets;
	char **fields;
	size_t nfields;
	size_t cap;
};

struct csv_writer {
	enum csv_encoding enc;
	iconv_t cd; /* UTF-8 to CP932, opened on first use */
	struct csv_buf out;
	struct csv_buf field;
	size_t rows;
};

/* Makes room for at least extra more bytes. */
static void
csv_buf_reserve(struct csv_buf *b, size_t extra)
{
	if (b->cap - b->len >= extra)
		return;
	while (b->cap - b->len < extra)
		b->cap = b->cap ? b->cap * 2 : 256;
	b->data = xrealloc(b->data, b->cap);
}

static void
csv_buf_add(struct csv_buf *b, const char *s, size_t n)
{
	csv_buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static void
csv_buf_addc(struct csv_buf *b, char c)
{
	csv_buf_add(b, &c, 1);
}

/* The 1-based line holding byte off of s. */
static size_t
csv_line_at(const char *s, size_t off)
{
	size_t line = 1, i;

	for (i = 0; i < off; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

/*
 * Appends the conversion of in[0..len) to b. Returns 0, or -1 with *bad
 * at the offset of the first input byte that does not convert; b may
 * then hold part of the output.
 */
static int
csv_convert(iconv_t cd, const char *in, size_t len, struct csv_buf *b,
	    size_t *bad)
{
	char *ip = (char *)in, *op;
	size_t ileft = len, oleft;

	iconv(cd, NULL, NULL, NULL, NULL);
	while (ileft > 0) {
		csv_buf_reserve(b, ileft * 2 + 16);
		op = b->data + b->len;
		oleft = b->cap - b->len;
		if (iconv(cd, &ip, &ileft, &op, &oleft) == (size_t)-1 &&
		    errno != E2BIG) {
			b->len = (size_t)(op - b->data);
			*bad = (size_t)(ip - in);
			return -1;
		}
		b->len = (size_t)(op - b->data);
	}
	return 0;
}

/* The first line of s[0..len) that is not valid UTF-8, or 0. */
static size_t
csv_bad_utf8_line(const char *s, size_t len)
{
	const char *p = s, *end = s + len, *nl;
	size_t line = 1;

	/* No multi-byte sequence contains '\n', so lines check alone. */
	for (; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (!text_valid_utf8(p, (size_t)(nl - p)))
			return line;
	}
	return 0;
}

/* Sets r->text to the UTF-8 text of data[0..len). */
static int
csv_reader_decode(struct csv_reader *r, const char *data, size_t len,
		  enum csv_encoding enc, char **cause)
{
	struct csv_buf b = {0};
	const char *nul;
	size_t line, bad;
	iconv_t cd;
	int ret;

	if (len == 0)
		data = "";
	if ((nul = memchr(data, '\0', len)) != NULL) {
		xasprintf(cause,
			  "line %zu: NUL byte in CSV (a UTF-16 file? save it "
			  "as CSV UTF-8)",
			  csv_line_at(data, (size_t)(nul - data)));
		return -1;
	}
	if (enc != CSV_ENC_CP932 && len >= CSV_BOM_LEN &&
	    memcmp(data, CSV_BOM, CSV_BOM_LEN) == 0) {
		data += CSV_BOM_LEN;
		len -= CSV_BOM_LEN;
		enc = CSV_ENC_UTF8;
	}
	if (enc == CSV_ENC_AUTO)
		enc = text_valid_utf8(data, len) ? CSV_ENC_UTF8 : CSV_ENC_CP932;

	if (enc == CSV_ENC_UTF8) {
		if ((line = csv_bad_utf8_line(data, len)) != 0) {
			xasprintf(cause, "line %zu: not valid UTF-8", line);
			return -1;
		}
		r->text = xstrndup(data, len);
		r->len = len;
		return 0;
	}

	if ((cd = iconv_open("UTF-8", "CP932")) == (iconv_t)-1) {
		xasprintf(cause, "cannot convert from CP932: %s",
			  strerror(errno));
		return -1;
	}
	ret = csv_convert(cd, data, len, &b, &bad);
	iconv_close(cd);
	if (ret == -1) {
		/* CP932 trail bytes are >= 0x40, so every 0x0a is a newline. */
		if (bad + 1 < len)
			xasprintf(cause,
				  "line %zu: bytes 0x%02x 0x%02x are not valid "
				  "CP932",
				  csv_line_at(data, bad),
				  (unsigned char)data[bad],
				  (unsigned char)data[bad + 1]);
		else
			xasprintf(
			    cause, "line %zu: byte 0x%02x is not valid CP932",
			    csv_line_at(data, bad), (unsigned char)data[bad]);
		free(b.data);
		return -1;
	}
	csv_buf_addc(&b, '\0');
	r->text = b.data;
	r->len = b.len - 1;
	return 0;
}

struct csv_reader *
csv_reader_new(const char *data, size_t len, enum csv_encoding enc,
	       char **cause)
{
	struct csv_reader *r = xcalloc(1, sizeof *r);

	if (csv_reader_decode(r, data, len, enc, cause) == -1) {
		free(r);
		return NULL;
	}
	r->line = 1;
	return r;
}

void
csv_reader_free(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->text);
	free(r->chars.data);
	free(r->offsets);
	free(r->fields);
	free(r);
}

/* Length of the line end at pos: 1 for LF, 2 for CRLF, else 0. */
static size_t
csv_eol(const struct csv_reader *r, size_t pos)
{
	if (pos < r->len && r->text[pos] == '\n')
		return 1;
	if (pos + 1 < r->len && r->text[pos] == '\r' &&
	    r->text[pos + 1] == '\n')
		return 2;
	return 0;
}

/* Reads one field into r->chars, leaving pos on what follows it. */
static int
csv_read_field(struct csv_reader *r, char **cause)
{
	size_t start = r->line;
	char c;

	if (r->pos >= r->len || r->text[r->pos] != '"') {
		while (r->pos < r->len && r->text[r->pos] != ',' &&
		       csv_eol(r, r->pos) == 0) {
			if (r->text[r->pos] == '\r') {
				xasprintf(cause,
					  "line %zu: carriage return without "
					  "line feed",
					  r->line);
				return -1;
			}
			csv_buf_addc(&r->chars, r->text[r->pos++]);
		}
		return 0;
	}

	r->pos++;
	for (;;) {
		if (r->pos >= r->len) {
			xasprintf(cause,
				  "line %zu: quoted field is never closed",
				  start);
			return -1;
		}
		c = r->text[r->pos++];
		if (c == '"') {
			if (r->pos < r->len && r->text[r->pos] == '"') {
				r->pos++;
			} else
				break;
		} else if (c == '\n')
			r->line++;
		csv_buf_addc(&r->chars, c);
	}
	if (r->pos < r->len && r->text[r->pos] != ',' &&
	    csv_eol(r, r->pos) == 0) {
		xasprintf(cause, "line %zu: text after a closing quote",
			  r->line);
		return -1;
	}
	return 0;
}

int
csv_read_row(struct csv_reader *r, struct csv_row *row, char **cause)
{
	size_t eol, i;

	while ((eol = csv_eol(r, r->pos)) != 0) {
		r->pos += eol;
		r->line++;
	}
	if (r->pos >= r->len)
		return 0;

	row->line = r->line;
	r->chars.len = 0;
	r->nfields = 0;
	for (;;) {
		if (r->nfields == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 16;
			r->offsets =
			    xrealloc(r->offsets, r->cap * sizeof *r->offsets);
			r->fields =
			    xrealloc(r->fields, r->cap * sizeof *r->fields);
		}
		r->offsets[r->nfields++] = r->chars.len;
		if (csv_read_field(r, cause) == -1)
			return -1;
		csv_buf_addc(&r->chars, '\0');
		if (r->pos < r->len && r->text[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if ((eol = csv_eol(r, r->pos)) != 0) {
			r->pos += eol;
			r->line++;
		}
		break;
	}

	/* Only now: chars.data may have moved while the row grew. */
	for (i = 0; i < r->nfields; i++)
		r->fields[i] = r->chars.data + r->offsets[i];
	row->fields = r->fields;
	row->nfields = r->nfields;
	return 1;
}

const char *
csv_row_field(const struct csv_row *row, int index)
{
	if (index < 0 || (size_t)index >= row->nfields)
		return NULL;
	return row->fields[index];
}

/* Length of the ASCII or ideographic (U+3000) space at s, or 0. */
static size_t
csv_space_len(const char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t'))
		return 1;
	if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

/* s trimmed of spaces at both ends, as a new string. */
static char *
csv_trim_new(const char *s)
{
	size_t len = strlen(s), k;

	while ((k = csv_space_len(s, len)) != 0) {
		s += k;
		len -= k;
	}
	for (;;) {
		if (len >= 1 && csv_space_len(s + len - 1, 1) != 0)
			len--;
		else if (len >= 3 && csv_space_len(s + len - 3, 3) == 3)
			len -= 3;
		else
			break;
	}
	return xstrndup(s, len);
}

/* Adds ", name" (or just name when first) to a list being built. */
static void
csv_list_add(struct csv_buf *b, const char *name)
{
	if (b->len > 0)
		csv_buf_add(b, ", ", 2);
	csv_buf_add(b, name, strlen(name));
}

int
csv_header_map(const struct csv_row *header, const struct csv_column *columns,
	       size_t ncolumns, int *index, char **cause)
{
	struct csv_buf unknown = {0}, repeated = {0}, expected = {0};
	size_t i, j;
	char *cell;
	int ret = 0;

	for (j = 0; j < ncolumns; j++)
		index[j] = -1;
	for (i = 0; i < header->nfields; i++) {
		cell = csv_trim_new(header->fields[i]);
		if (*cell == '\0') {
			free(cell);
			continue;
		}
		for (j = 0; j < ncolumns; j++)
			if (strcmp(cell, columns[j].label) == 0 ||
			    strcmp(cell, columns[j].name) == 0)
				break;
		if (j == ncolumns)
			csv_list_add(&unknown, cell);
		else if (index[j] != -1)
			csv_list_add(&repeated, cell);
		else
			index[j] = (int)i;
		free(cell);
	}

	if (unknown.len > 0 || repeated.len > 0) {
		for (j = 0; j < ncolumns; j++)
			csv_list_add(&expected, columns[j].label);
		csv_buf_addc(&unknown, '\0');
		csv_buf_addc(&repeated, '\0');
		csv_buf_addc(&expected, '\0');
		if (unknown.len > 1 && repeated.len > 1)
			xasprintf(cause,
				  "unknown columns: %s; repeated columns: %s "
				  "(columns are: %s)",
				  unknown.data, repeated.data, expected.data);
		else if (unknown.len > 1)
			xasprintf(cause,
				  "unknown columns: %s (columns are: %s)",
				  unknown.data, expected.data);
		else
			xasprintf(cause, "repeated columns: %s", repeated.data);
		ret = -1;
	}
	free(unknown.data);
	free(repeated.data);
	free(expected.data);
	return ret;
}

struct csv_writer *
csv_writer_new(enum csv_encoding enc)
{
	struct csv_writer *w = xcalloc(1, sizeof *w);

	w->enc = enc == CSV_ENC_CP932 ? CSV_ENC_CP932 : CSV_ENC_UTF8;
	w->cd = (iconv_t)-1;
	if (w->enc == CSV_ENC_UTF8)
		csv_buf_add(&w->out, CSV_BOM, CSV_BOM_LEN);
	return w;
}

void
csv_writer_free(struct csv_writer *w)
{
	if (w == NULL)
		return;
	if (w->cd != (iconv_t)-1)
		iconv_close(w->cd);
	free(w->out.data);
	free(w->field.data);
	free(w);
}

/* -5, 12, -12.5: text Excel can only read as a number. */
static bool
csv_is_number(const char *s)
{
	const char *p = s + (*s == '-');
	size_t digits;

	if ((digits = strspn(p, "0123456789")) == 0)
		return false;
	p += digits;
	if (*p == '.') {
		if ((digits = strspn(++p, "0123456789")) == 0)
			return false;
		p += digits;
	}
	return *p == '\0';
}

/*
 * Whether a spreadsheet would run s as a formula: it starts with = + - @
 * TAB or CR, or with the full-width ＝ ＋ － ＠ a Japanese IME types.
 * Japanese Excel reads a cell of a CSV file as if typed into it, and
 * typed full-width operators (like full-width digits, which it turns
 * into numbers when opening a CSV) are taken as their ASCII forms, so
 * "＝HYPERLINK(…)" is a formula too. Neutralising a text cell costs
 * nothing, so the full-width forms are treated as the ASCII ones.
 */
static bool
csv_is_formula(const char *s)
{
	static const char *const wide[] = {"\xef\xbc\x9d", "\xef\xbc\x8b",
					   "\xef\xbc\x8d", "\xef\xbc\xa0"};

	if (*s != '\0' && strchr("=+-@\t\r", *s) != NULL)
		return !csv_is_number(s);
	for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
		if (strncmp(s, wide[i], 3) == 0)
			return true;
	return false;
}

/* Sets w->field to s as it appears in the file, in UTF-8. */
static void
csv_escape(struct csv_writer *w, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	const char *p;

	w->field.len = 0;
	if (quote)
		csv_buf_addc(&w->field, '"');
	if (csv_is_formula(s))
		csv_buf_addc(&w->field, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			csv_buf_addc(&w->field, '"');
		csv_buf_addc(&w->field, *p);
	}
	if (quote)
		csv_buf_addc(&w->field, '"');
}

/* Appends w->field in CP932; cause names the character that fails. */
static int
csv_write_cp932(struct csv_writer *w, size_t col, const char *s, char **cause)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;
	size_t bad;

	if (w->cd == (iconv_t)-1 &&
	    (w->cd = iconv_open("CP932", "UTF-8")) == (iconv_t)-1) {
		xasprintf(cause, "cannot convert to CP932: %s",
			  strerror(errno));
		return -1;
	}
	if (csv_convert(w->cd, w->field.data, w->field.len, &w->out, &bad) == 0)
		return 0;
	n = utf8proc_iterate((const utf8proc_uint8_t *)w->field.data + bad,
			     (utf8proc_ssize_t)(w->field.len - bad), &c);
	if (n < 1)
		n = 1;
	xasprintf(cause,
		  "row %zu, field %zu \"%s\": %.*s (U+%04X) cannot be "
		  "written in CP932",
		  w->rows, col, s, (int)n, w->field.data + bad, (unsigned)c);
	return -1;
}

int
csv_write_row(struct csv_writer *w, const char *const *fields, size_t n,
	      char **cause)
{
	size_t start = w->out.len, i;
	const char *s;

	w->rows++;
	for (i = 0; i < n; i++) {
		s = fields[i] != NULL ? fields[i] : "";
		if (!text_valid_utf8(s, strlen(s))) {
			xasprintf(cause, "row %zu, field %zu: not valid UTF-8",
				  w->rows, i + 1);
			goto fail;
		}
		if (i > 0)
			csv_buf_addc(&w->out, ',');
		csv_escape(w, s);
		if (w->enc == CSV_ENC_UTF8)
			csv_buf_add(&w->out, w->field.data, w->field.len);
		else if (csv_write_cp932(w, i + 1, s, cause) == -1)
			goto fail;
	}
	csv_buf_add(&w->out, "\r\n", 2);
	return 0;
fail:
	w->out.len = start;
	return -1;
}

const char *
csv_writer_data(const struct csv_writer *w, size_t *len)
{
	*len = w->out.len;
	return w->out.data != NULL ? w->out.data : "";
}
