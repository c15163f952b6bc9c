/*
 * The CSV import engine. Validation runs over the whole file before the
 * first request, because a half-imported file is worse than none: staff
 * would have to find out which rows went in. Rows the server refuses
 * anyway (a duplicate, a full event) are reported by row and written to
 * the rejected-rows file with the invalid ones.
 */
#include "import.h"

#include "cli.h"
#include "client.h"
#include "text.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Bigger than any list of companies or job seekers a city keeps. */
#define IMPORT_MAX_FILE (64L << 20)
/*
 * Rows to a batch: few requests, yet short transactions on the server;
 * and a size well under the server's limit for a batch's body.
 */
#define IMPORT_BATCH_ROWS  500
#define IMPORT_BATCH_BYTES (1L << 20)

#define IMPORT_UNREACHABLE "not sent: the server could not be reached"

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
import_row_print(const struct import_row *row, FILE *out)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, row->errors)
	{
		if (*e->string == '\0')
			fprintf(out, "row %zu: %s\n", row->number,
				e->valuestring);
		else
			fprintf(out, "row %zu, column %s: %s\n", row->number,
				e->string, e->valuestring);
	}
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

int
import_write_rejected(const struct import_batch *b, const char *path,
		      char **cause)
{
	int errcol = b->index[b->form->ncolumns];
	size_t n = errcol >= 0 ? b->nheader : b->nheader + 1, len;
	size_t col = errcol >= 0 ? (size_t)errcol : b->nheader;
	struct csv_writer *w = csv_writer_new(b->enc);
	const char **cells = xcalloc(n, sizeof *cells);
	const char *data;
	int rc = -1;
	FILE *f;

	for (size_t i = 0; i < b->nheader; i++)
		cells[i] = b->header[i];
	cells[col] = errcol >= 0 ? b->header[col] : import_error_column.name;
	if (csv_write_row(w, cells, n, cause) != 0)
		goto out;
	for (size_t r = 0; r < b->nrows; r++) {
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
		if (rc != 0)
			goto out;
	}
	rc = -1;
	data = csv_writer_data(w, &len);
	if ((f = fopen(path, "wb")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fwrite(data, 1, len, f) != len) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		fclose(f);
	} else if (fclose(f) != 0)
		xasprintf(cause, "%s: %s", path, strerror(errno));
	else
		rc = 0;
out:
	free(cells);
	csv_writer_free(w);
	return rc;
}

char *
import_rejected_path_new(const char *file)
{
	size_t len = strlen(file);
	char *path;

	if (len > 4 && strcasecmp(file + len - 4, ".csv") == 0)
		len -= 4;
	xasprintf(&path, "%.*s.rejected.csv", (int)len, file);
	return path;
}

/* The whole file in memory; NULL with *cause. */
static char *
import_read_file(const char *file, size_t *len, char **cause)
{
	char *data = NULL;
	long size;
	FILE *f;

	if ((f = fopen(file, "rb")) == NULL) {
		xasprintf(cause, "%s: %s", file, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		xasprintf(cause, "%s: %s", file, strerror(errno));
	else if (size > IMPORT_MAX_FILE)
		xasprintf(cause, "%s: larger than %ld MB", file,
			  IMPORT_MAX_FILE >> 20);
	else {
		data = xmalloc((size_t)size + 1);
		if (fread(data, 1, (size_t)size, f) != (size_t)size) {
			xasprintf(cause, "%s: read error", file);
			free(data);
			data = NULL;
		} else
			*len = (size_t)size;
	}
	fclose(f);
	return data;
}

/* The progress line, only for a person watching a terminal. */
static void
import_progress(bool tty, size_t imported, int refused, size_t total)
{
	if (!tty)
		return;
	fprintf(stderr, "\r imported %zu/%zu", imported, total);
	if (refused > 0)
		fprintf(stderr, ", refused %d", refused);
}

/* A row the server took; its object joins the summary's items. */
static void
import_created(struct import_row *row, cJSON *created, cJSON *object)
{
	row->imported = true;
	cJSON_AddItemToArray(created, object);
}

/*
 * A row the server refused, as `reply` ({"error": {…}}) says: printed
 * under the row's number and kept on the row for the rejected file.
 */
static void
import_refused(struct import_batch *b, struct import_row *row, int status,
	       const cJSON *reply, bool tty)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(reply, "error");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(err, "message");
	const char *why;
	char *prefix;

	if (tty)
		fputs("\r\033[K", stderr);
	xasprintf(&prefix, "row %zu", row->number);
	client_print_error(stderr, prefix, status, reply);
	free(prefix);
	import_add_errors(b, row,
			  cJSON_GetObjectItemCaseSensitive(err, "fields"));
	/* The message often only repeats a field's error. */
	why = cJSON_IsString(msg) ? msg->valuestring : "refused by the server";
	if (!import_has_error(row, why))
		import_row_error(row, why);
}

/* Marks the valid rows from `from` on that did not go in. */
static void
import_not_sent(struct import_batch *b, size_t from, const char *why)
{
	for (size_t i = from; i < b->nrows; i++)
		if (b->rows[i].body != NULL && !b->rows[i].imported)
			import_row_error(&b->rows[i], why);
}

/*
 * POSTs every valid row alone. Refusals are printed and kept on the row;
 * when the server cannot be reached the rows not sent are marked so and
 * -1 is returned. Returns the number of rows refused otherwise.
 */
static int
import_send_each(struct cli *cli, struct import_batch *b, const char *path,
		 cJSON *created)
{
	size_t total = b->nrows - b->ninvalid, imported = 0;
	bool tty = isatty(STDERR_FILENO);
	int refused = 0;

	for (size_t i = 0; i < b->nrows; i++) {
		struct import_row *row = &b->rows[i];
		cJSON *reply = NULL;
		int status;

		if (row->body == NULL)
			continue;
		status = client_request(cli, "POST", path, row->body, &reply);
		if (status < 0) {
			import_not_sent(b, i, IMPORT_UNREACHABLE);
			cJSON_Delete(reply);
			if (tty)
				fputc('\n', stderr);
			return -1;
		}
		if (status >= 200 && status < 300) {
			import_created(row, created, reply);
			reply = NULL;
			imported++;
		} else {
			import_refused(b, row, status, reply, tty);
			refused++;
		}
		cJSON_Delete(reply);
		import_progress(tty, imported, refused, total);
	}
	if (tty && total > 0)
		fputc('\n', stderr);
	return refused;
}

/* How many bytes a row adds to a batch's JSON. */
static size_t
import_json_size(const cJSON *body)
{
	char *text = cJSON_PrintUnformatted(body);
	size_t len = strlen(text) + 1;

	cJSON_free(text);
	return len;
}

/*
 * The server refused a whole batch (the event, the token, the database
 * busy): said once, for the rows of the batch, and kept on each of them.
 */
static void
import_batch_refused(struct import_row **chunk, size_t n, int status,
		     const cJSON *reply, bool tty)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(reply, "error");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(err, "message");
	char *prefix, *why;

	if (tty)
		fputs("\r\033[K", stderr);
	xasprintf(&prefix, "rows %zu-%zu", chunk[0]->number,
		  chunk[n - 1]->number);
	client_print_error(stderr, prefix, status, reply);
	free(prefix);
	xasprintf(&why, "not imported: %s",
		  cJSON_IsString(msg) ? msg->valuestring
				      : "the server refused its batch");
	for (size_t i = 0; i < n; i++)
		import_row_error(chunk[i], why);
	free(why);
}

/*
 * Takes the server's answer to a batch row by row: result k is row k's.
 * False, with nothing taken, if it is no answer to this batch.
 */
static bool
import_batch_results(struct import_batch *b, struct import_row **chunk,
		     size_t n, const char *item, cJSON *reply, cJSON *created,
		     bool tty, size_t *imported, int *refused)
{
	cJSON *results = cJSON_GetObjectItemCaseSensitive(reply, "results");
	cJSON *r;
	size_t k = 0;

	if (cJSON_GetArraySize(results) != (int)n)
		return false;
	cJSON_ArrayForEach(r, results)
	{
		const cJSON *index =
		    cJSON_GetObjectItemCaseSensitive(r, "index");

		if (!cJSON_IsNumber(index) ||
		    index->valuedouble != (double)k++ ||
		    !cJSON_IsNumber(
			cJSON_GetObjectItemCaseSensitive(r, "status")))
			return false;
	}
	k = 0;
	cJSON_ArrayForEach(r, results)
	{
		int status =
		    cJSON_GetObjectItemCaseSensitive(r, "status")->valueint;

		if (status >= 200 && status < 300) {
			import_created(
			    chunk[k], created,
			    cJSON_DetachItemFromObjectCaseSensitive(r, item));
			(*imported)++;
		} else {
			import_refused(b, chunk[k], status, r, tty);
			(*refused)++;
		}
		k++;
	}
	return true;
}

/*
 * POSTs the valid rows in batches, in the file's order. Refusals of rows
 * are printed and kept on the row, as import_send_each() does; a batch
 * refused whole stops the import, its rows and the rest marked. Returns
 * -1 when the server cannot be reached, else the number of rows refused
 * or not sent.
 */
static int
import_send_batches(struct cli *cli, struct import_batch *b,
		    const struct import_endpoint *to, cJSON *created)
{
	struct import_row **chunk = xcalloc(IMPORT_BATCH_ROWS, sizeof *chunk);
	size_t total = b->nrows - b->ninvalid, imported = 0, i = 0;
	bool tty = isatty(STDERR_FILENO);
	int refused = 0;

	for (;;) {
		cJSON *body = cJSON_CreateObject(), *reply = NULL;
		cJSON *list = cJSON_AddArrayToObject(body, to->list);
		size_t n = 0, bytes = 0, first = i;
		char *why;
		int status;

		for (; i < b->nrows && n < IMPORT_BATCH_ROWS; i++) {
			struct import_row *row = &b->rows[i];
			size_t size;

			if (row->body == NULL)
				continue;
			size = import_json_size(row->body);
			if (n > 0 && bytes + size > IMPORT_BATCH_BYTES)
				break;
			bytes += size;
			/* Borrowed: the rows keep their bodies. */
			cJSON_AddItemReferenceToArray(list, row->body);
			chunk[n++] = row;
		}
		if (n == 0) {
			cJSON_Delete(body);
			break;
		}
		status = client_request(cli, "POST", to->path, body, &reply);
		cJSON_Delete(body);
		if (status == 200 &&
		    import_batch_results(b, chunk, n, to->item, reply, created,
					 tty, &imported, &refused)) {
			cJSON_Delete(reply);
			import_progress(tty, imported, refused, total);
			continue;
		}
		if (status < 0) {
			import_not_sent(b, first, IMPORT_UNREACHABLE);
			refused = -1;
		} else {
			import_batch_refused(chunk, n, status, reply, tty);
			xasprintf(&why,
				  "not sent: the server refused rows %zu-%zu",
				  chunk[0]->number, chunk[n - 1]->number);
			import_not_sent(b, i, why);
			free(why);
			refused = (int)(total - imported);
		}
		cJSON_Delete(reply);
		break;
	}
	if (tty && total > 0)
		fputc('\n', stderr);
	free(chunk);
	return refused;
}

int
import_run(struct cli *cli, const struct form *f,
	   const struct import_endpoint *to, const char *file,
	   enum csv_encoding enc, bool skip_invalid)
{
	struct import_batch *b = NULL;
	cJSON *created = cJSON_CreateArray();
	char *cause = NULL, *data, *rejected = NULL;
	size_t len = 0, imported = 0, skipped;
	int sent, rc = CLI_USAGE;

	if ((data = import_read_file(file, &len, &cause)) == NULL ||
	    (b = import_batch_new(f, data, len, enc, &cause)) == NULL) {
		fprintf(stderr, "jobfair: %s%s%s\n", data ? file : "",
			data ? ": " : "", cause);
		goto out;
	}
	for (size_t i = 0; i < b->nrows; i++)
		if (b->rows[i].errors != NULL)
			import_row_print(&b->rows[i], stderr);
	if (b->nrows == 0) {
		fprintf(stderr, "jobfair: %s: no rows under the header\n",
			file);
		goto out;
	}
	if (b->ninvalid > 0 && !skip_invalid) {
		fprintf(stderr,
			"jobfair: %s: %zu of %zu rows are invalid; nothing was "
			"imported (correct them, or use --skip-invalid)\n",
			file, b->ninvalid, b->nrows);
		goto out;
	}
	sent = to->list != NULL ? import_send_batches(cli, b, to, created)
				: import_send_each(cli, b, to->path, created);
	for (size_t i = 0; i < b->nrows; i++)
		imported += b->rows[i].imported;
	skipped = b->nrows - imported;
	if (skipped > 0) {
		rejected = import_rejected_path_new(file);
		if (import_write_rejected(b, rejected, &cause) != 0) {
			fprintf(stderr, "jobfair: %s\n", cause);
			free(rejected);
			rejected = NULL;
		} else
			fprintf(stderr,
				"jobfair: rejected rows written to %s\n",
				rejected);
	}
	if (cli->json) {
		cJSON *summary = cJSON_CreateObject();
		char *text;

		cJSON_AddNumberToObject(summary, "imported", (double)imported);
		cJSON_AddNumberToObject(summary, "skipped", (double)skipped);
		if (rejected != NULL)
			cJSON_AddStringToObject(summary, "rejected_file",
						rejected);
		else
			cJSON_AddNullToObject(summary, "rejected_file");
		cJSON_AddItemToObject(summary, "items", created);
		created = NULL;
		text = cJSON_PrintUnformatted(summary);
		printf("%s\n", text);
		free(text);
		cJSON_Delete(summary);
	} else
		printf("imported %zu, skipped %zu\n", imported, skipped);
	rc = sent < 0 ? CLI_UNREACHABLE : sent > 0 ? CLI_REFUSED : CLI_OK;
out:
	free(rejected);
	free(cause);
	free(data);
	cJSON_Delete(created);
	import_batch_free(b);
	return rc;
}
