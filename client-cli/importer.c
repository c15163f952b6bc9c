/*
 * The CSV import command: the file is read and checked whole
 * (common/import.c) before the first request; rows the server refuses
 * anyway (a duplicate, a full event) are reported by row and written to
 * the rejected-rows file with the invalid ones.
 */
#include "importer.h"

#include "cli.h"
#include "client.h"
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

void
importer_row_print(const struct import_row *row, FILE *out)
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

int
importer_write_rejected(const struct import_batch *b, const char *path,
			char **cause)
{
	struct csv_writer *w = import_rejected_new(b, cause);
	const char *data;
	size_t len;
	int rc = -1;
	FILE *f;

	if (w == NULL)
		return -1;
	data = csv_writer_data(w, &len);
	if ((f = fopen(path, "wb")) == NULL)
		xasprintf(cause, "%s: %s", path, strerror(errno));
	else if (fwrite(data, 1, len, f) != len) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		fclose(f);
	} else if (fclose(f) != 0)
		xasprintf(cause, "%s: %s", path, strerror(errno));
	else
		rc = 0;
	csv_writer_free(w);
	return rc;
}

char *
importer_rejected_path_new(const char *file)
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
	why = cJSON_IsString(msg) ? msg->valuestring : "refused by the server";
	import_row_refuse(b, row,
			  cJSON_GetObjectItemCaseSensitive(err, "fields"), why);
}

/* Marks the valid rows from `from` on that did not go in. */
static void
import_not_sent(struct import_batch *b, size_t from, const char *why)
{
	for (size_t i = from; i < b->nrows; i++)
		if (b->rows[i].body != NULL && !b->rows[i].imported)
			import_row_refuse(b, &b->rows[i], NULL, why);
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
		import_row_refuse(NULL, chunk[i], NULL, why);
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
		    const struct importer_endpoint *to, cJSON *created)
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
importer_run(struct cli *cli, const struct form *f,
	     const struct importer_endpoint *to, const char *file,
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
			importer_row_print(&b->rows[i], stderr);
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
		rejected = importer_rejected_path_new(file);
		if (importer_write_rejected(b, rejected, &cause) != 0) {
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
