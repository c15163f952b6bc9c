/*
 * Reading an import file. Validation runs over the whole file before
 * anything is written, because a half-imported file is worse than none:
 * staff would have to find out which rows went in.
 */
#include "import.h"

#include "text.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* The column a rejected-rows file adds, ignored when it is imported. */
static const struct csv_column import_error_column = {"error", "エラー"};

/* True if s holds nothing but ASCII and ideographic spaces. */
static bool
import_blank(const char *s)
{
	while (*s != '\0') {
		if (*s == ' ' || *s == '\t')
			s++;
		else if (strncmp(s, "\xe3\x80\x80", 3) == 0)
			s += 3;
		else
			return false;
	}
	return true;
}

cJSON *
import_row_json_new(const struct form *f, const int *index,
		    const struct csv_row *row)
{
	cJSON *obj = cJSON_CreateObject();

	for (size_t i = 0; i < f->ncolumns; i++) {
		const char *cell = csv_row_field(row, index[i]);

		if (cell == NULL || import_blank(cell))
			continue;
		cJSON_AddItemToObject(
		    obj, f->columns[i].name,
		    form_cell_new(f, f->columns[i].name, cell));
	}
	return obj;
}

/*
 * The column an error key names, as the file's header writes it: the
 * field of "disability.handbook" or "openings[0].title" is the part
 * before the dot or bracket. A key that is no column stays as it is.
 */
static const char *
import_column_label(const struct import_batch *b, const char *key)
{
	const struct form *f = b->form;
	size_t len = strcspn(key, ".[");

	for (size_t i = 0; i < f->ncolumns; i++) {
		if (strlen(f->columns[i].name) != len ||
		    strncmp(f->columns[i].name, key, len) != 0)
			continue;
		if (b->index[i] >= 0)
			return b->header[b->index[i]];
		return f->columns[i].label;
	}
	return key;
}

/* Adds {"field": "why"} errors to row->errors under their column labels. */
static void
import_add_errors(const struct import_batch *b, struct import_row *row,
		  const cJSON *fields)
{
	const cJSON *e;

	if (row->errors == NULL)
		row->errors = cJSON_CreateObject();
	cJSON_ArrayForEach(e, fields)
	{
		const char *label = import_column_label(b, e->string);

		if (cJSON_IsString(e) &&
		    !cJSON_HasObjectItem(row->errors, label))
			cJSON_AddStringToObject(row->errors, label,
						e->valuestring);
	}
}

static bool
import_has_error(const struct import_row *row, const char *why)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, row->errors)
	{
		if (strcmp(e->valuestring, why) == 0)
			return true;
	}
	return false;
}

static void
import_row_error(struct import_row *row, const char *why)
{
	if (row->errors == NULL)
		row->errors = cJSON_CreateObject();
	cJSON_AddStringToObject(row->errors, "", why);
}

/* Reads row `number` of the file into b->rows, validated. */
static void
import_add_row(struct import_batch *b, const struct csv_row *csv, size_t number)
{
	struct import_row *row;
	cJSON *obj, *errors = NULL;
	bool blank = true;

	for (size_t i = 0; i < csv->nfields && blank; i++)
		blank = import_blank(csv->fields[i]);
	if (blank)
		return;
	b->rows = xrealloc(b->rows, (b->nrows + 1) * sizeof *b->rows);
	row = &b->rows[b->nrows++];
	memset(row, 0, sizeof *row);
	row->number = number;
	row->ncells = csv->nfields;
	row->cells = xcalloc(csv->nfields, sizeof *row->cells);
	for (size_t i = 0; i < csv->nfields; i++)
		row->cells[i] = xstrdup(csv->fields[i]);

	obj = import_row_json_new(b->form, b->index, csv);
	row->body = form_validate_new(b->form, obj, false, &errors);
	cJSON_Delete(obj);
	if (errors != NULL)
		import_add_errors(b, row, errors);
	cJSON_Delete(errors);
	for (size_t i = b->nheader; i < csv->nfields; i++)
		if (!import_blank(csv->fields[i])) {
			char *why;

			xasprintf(&why, "cell %zu is beyond the header's %zu",
				  i + 1, b->nheader);
			import_row_error(row, why);
			free(why);
			break;
		}
	if (row->errors != NULL) {
		cJSON_Delete(row->body);
		row->body = NULL;
		b->ninvalid++;
	}
}

/* Every required field of the form must have a column in the header. */
static int
import_check_required(const struct import_batch *b, char **cause)
{
	const struct form *f = b->form;

	for (size_t i = 0; i < f->ncolumns; i++) {
		const struct input_field *field =
		    form_field(f, f->columns[i].name);

		if (field != NULL && field->required && b->index[i] < 0) {
			xasprintf(cause, "the header has no column %s (%s)",
				  f->columns[i].label, f->columns[i].name);
			return -1;
		}
	}
	return 0;
}

/* What an import's reader will take the bytes to be. */
static enum csv_encoding
import_detect(const char *data, size_t len, enum csv_encoding enc)
{
	if (enc != CSV_ENC_AUTO)
		return enc;
	if ((len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) ||
	    text_valid_utf8(data, len))
		return CSV_ENC_UTF8;
	return CSV_ENC_CP932;
}

struct import_batch *
import_batch_new(const struct form *f, const char *data, size_t len,
		 enum csv_encoding enc, char **cause)
{
	struct import_batch *b = xcalloc(1, sizeof *b);
	struct csv_column *cols;
	struct csv_reader *r;
	struct csv_row row;
	size_t number = 1;
	int rc;

	b->form = f;
	b->enc = import_detect(data, len, enc);
	if ((r = csv_reader_new(data, len, enc, cause)) == NULL)
		goto fail;
	if ((rc = csv_read_row(r, &row, cause)) <= 0) {
		if (rc == 0)
			*cause = xstrdup("the file is empty");
		goto fail;
	}
	cols = xcalloc(f->ncolumns + 1, sizeof *cols);
	memcpy(cols, f->columns, f->ncolumns * sizeof *cols);
	cols[f->ncolumns] = import_error_column;
	b->index = xcalloc(f->ncolumns + 1, sizeof *b->index);
	rc = csv_header_map(&row, cols, f->ncolumns + 1, b->index, cause);
	free(cols);
	if (rc != 0)
		goto fail;
	b->nheader = row.nfields;
	b->header = xcalloc(row.nfields, sizeof *b->header);
	for (size_t i = 0; i < row.nfields; i++)
		b->header[i] = xstrdup(row.fields[i]);
	if (import_check_required(b, cause) != 0)
		goto fail;
	while ((rc = csv_read_row(r, &row, cause)) == 1)
		import_add_row(b, &row, ++number);
	if (rc < 0)
		goto fail;
	csv_reader_free(r);
	return b;
fail:
	if (r != NULL)
		csv_reader_free(r);
	import_batch_free(b);
	return NULL;
}

void
import_batch_free(struct import_batch *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->nrows; i++) {
		for (size_t j = 0; j < b->rows[i].ncells; j++)
			free(b->rows[i].cells[j]);
		free(b->rows[i].cells);
		cJSON_Delete(b->rows[i].body);
		cJSON_Delete(b->rows[i].errors);
	}
	free(b->rows);
	for (size_t i = 0; i < b->nheader; i++)
		free(b->header[i]);
	free(b->header);
	free(b->index);
	free(b);
}

void
import_row_refuse(const struct import_batch *b, struct import_row *row,
		  const cJSON *fields, const char *why)
{
	if (fields != NULL)
		import_add_errors(b, row, fields);
	/* The message often only repeats a field's error. */
	if (why != NULL && !import_has_error(row, why))
		import_row_error(row, why);
}

/* The error cell of a rejected row: "column: why; why". */
static char *
import_error_text_new(const struct import_row *row)
{
	const cJSON *e;
	char *text = xstrdup(""), *next;

	cJSON_ArrayForEach(e, row->errors)
	{
		xasprintf(&next, "%s%s%s%s%s", text, *text ? "; " : "",
			  e->string, *e->string ? ": " : "", e->valuestring);
		free(text);
		text = next;
	}
	return text;
}

struct csv_writer *
import_rejected_new(const struct import_batch *b, char **cause)
{
	int errcol = b->index[b->form->ncolumns];
	size_t n = errcol >= 0 ? b->nheader : b->nheader + 1;
	size_t col = errcol >= 0 ? (size_t)errcol : b->nheader;
	struct csv_writer *w = csv_writer_new(b->enc);
	const char **cells = xcalloc(n, sizeof *cells);
	int rc;

	for (size_t i = 0; i < b->nheader; i++)
		cells[i] = b->header[i];
	cells[col] = errcol >= 0 ? b->header[col] : import_error_column.name;
	rc = csv_write_row(w, cells, n, cause);
	for (size_t r = 0; r < b->nrows && rc == 0; r++) {
		const struct import_row *row = &b->rows[r];
		char *error;

		if (row->errors == NULL)
			continue;
		for (size_t i = 0; i < n; i++)
			cells[i] = i < row->ncells ? row->cells[i] : NULL;
		error = import_error_text_new(row);
		cells[col] = error;
		rc = csv_write_row(w, cells, n, cause);
		free(error);
	}
	free(cells);
	if (rc != 0) {
		csv_writer_free(w);
		return NULL;
	}
	return w;
}
