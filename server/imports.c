/*
 * The upload endpoints. The file is checked whole at the edge, as the
 * CLI checks it, so a file with a bad row costs no database work; what
 * only the database can refuse (a duplicate 法人番号, the same person
 * twice, a full event) comes back per row from one statement that rolls
 * everything back (migrations/sql/imports.sql).
 */
#include "imports.h"

#include "api.h"
#include "import.h"
#include "log.h"
#include "registrations.h"
#include "routes.h"
#include "stats.h"
#include "xmalloc.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* One upload while its statement runs. */
struct imports_job {
	struct import_batch *batch;
	const char *item; /* "company" or "registration" in each result */
	char *event_id;	  /* registrations only, for the live counts */
	bool dry_run;
};

static void
imports_job_free(struct imports_job *job)
{
	import_batch_free(job->batch);
	free(job->event_id);
	free(job);
}

/* {"row": N, "column": "…", "error": "…"} for each error of each row. */
static cJSON *
imports_rows_new(const struct import_batch *b)
{
	cJSON *rows = cJSON_CreateArray();

	for (size_t i = 0; i < b->nrows; i++) {
		const cJSON *e;

		cJSON_ArrayForEach(e, b->rows[i].errors)
		{
			cJSON *o = cJSON_CreateObject();

			cJSON_AddNumberToObject(o, "row",
						(double)b->rows[i].number);
			cJSON_AddStringToObject(o, "column", e->string);
			cJSON_AddStringToObject(o, "error", e->valuestring);
			cJSON_AddItemToArray(rows, o);
		}
	}
	return rows;
}

/*
 * 422 with the rows' errors and the rejected-rows file, base64 of its
 * bytes in the upload's encoding (JSON cannot carry CP932 as text).
 */
static void
imports_reply_rejected(struct http_ctx *ctx, const struct import_batch *b,
		       size_t nrejected)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(root, "error");
	struct csv_writer *w;
	char *cause = NULL, message[96];

	snprintf(message, sizeof message,
		 "%zu of %zu rows have errors; nothing was imported", nrejected,
		 b->nrows);
	cJSON_AddStringToObject(err, "code", http_status_code_word(422));
	cJSON_AddStringToObject(err, "message", message);
	cJSON_AddItemToObject(err, "rows", imports_rows_new(b));
	if ((w = import_rejected_new(b, &cause)) != NULL) {
		size_t len;
		const char *data = csv_writer_data(w, &len);
		char *b64 = xmalloc(4 * ((len + 2) / 3) + 1);

		EVP_EncodeBlock((unsigned char *)b64,
				(const unsigned char *)data, (int)len);
		cJSON_AddStringToObject(err, "rejected_csv", b64);
		cJSON_AddStringToObject(err, "encoding",
					b->enc == CSV_ENC_CP932 ? "cp932"
								: "utf-8");
		free(b64);
		csv_writer_free(w);
	} else {
		/* A cell the file's encoding cannot hold: the list still says.
		 */
		log_warn("%s: no rejected-rows file: %s", ctx->path, cause);
		free(cause);
	}
	http_reply_json(ctx, 422, root);
	cJSON_Delete(root);
}

static void
imports_done(struct http_ctx *ctx, const PGresult *res, void *arg)
{
	struct imports_job *job = arg;
	cJSON *answer, *results, *r, *items;
	size_t nrefused = 0;

	if (ctx == NULL) {
		imports_job_free(job);
		return;
	}
	answer = cJSON_Parse(PQgetvalue(res, 0, 0));
	results = cJSON_GetObjectItemCaseSensitive(answer, "results");
	items = cJSON_CreateArray();
	cJSON_ArrayForEach(r, results)
	{
		const cJSON *index =
		    cJSON_GetObjectItemCaseSensitive(r, "index");
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
		const cJSON *msg =
		    cJSON_GetObjectItemCaseSensitive(e, "message");
		struct import_row *row;

		if (!cJSON_IsNumber(index) || index->valueint < 0 ||
		    (size_t)index->valueint >= job->batch->nrows)
			continue;
		row = &job->batch->rows[index->valueint];
		if (e == NULL) {
			cJSON_AddItemReferenceToArray(
			    items,
			    cJSON_GetObjectItemCaseSensitive(r, job->item));
			continue;
		}
		nrefused++;
		import_row_refuse(job->batch, row,
				  cJSON_GetObjectItemCaseSensitive(e, "fields"),
				  cJSON_IsString(msg) ? msg->valuestring
						      : "refused");
	}
	if (nrefused > 0)
		imports_reply_rejected(ctx, job->batch, nrefused);
	else {
		cJSON *out = cJSON_CreateObject();

		cJSON_AddBoolToObject(out, "dry_run", job->dry_run);
		cJSON_AddNumberToObject(
		    out, "imported",
		    job->dry_run ? 0 : (double)job->batch->nrows);
		cJSON_AddNumberToObject(out, "valid",
					(double)job->batch->nrows);
		cJSON_AddItemToObject(out, "items", items);
		items = NULL;
		if (job->event_id != NULL && !job->dry_run)
			stats_announce(ctx, job->event_id);
		http_reply_json(ctx, job->dry_run ? 200 : 201, out);
		cJSON_Delete(out);
	}
	cJSON_Delete(items);
	cJSON_Delete(answer);
	imports_job_free(job);
}

/*
 * Reads and checks the upload; NULL once the request has been answered
 * (no file, a file unusable as a whole, too many rows, invalid rows).
 */
static struct imports_job *
imports_read(struct http_ctx *ctx, const cJSON *input, const struct form *f,
	     const char *item)
{
	const cJSON *enc = cJSON_GetObjectItemCaseSensitive(input, "encoding");
	const cJSON *dry = cJSON_GetObjectItemCaseSensitive(input, "dry_run");
	enum csv_encoding encoding = CSV_ENC_AUTO;
	struct import_batch *b = NULL;
	struct imports_job *job;
	const char *data;
	char *cause = NULL;
	cJSON *fields;
	size_t len;

	if ((data = http_body_borrow(ctx, IMPORTS_BODY_LIMIT, &len)) == NULL)
		return NULL;
	if (cJSON_IsString(enc))
		encoding = strcmp(enc->valuestring, "cp932") == 0
			       ? CSV_ENC_CP932
			       : CSV_ENC_UTF8;
	if (len == 0)
		cause = xstrdup("the file is empty");
	else
		b = import_batch_new(f, data, len, encoding, &cause);
	if (b != NULL && (b->nrows == 0 || b->nrows > IMPORTS_MAX_ROWS))
		xasprintf(&cause, "the file must hold 1 to %d rows",
			  IMPORTS_MAX_ROWS);
	else if (b != NULL && b->ninvalid > 0) {
		imports_reply_rejected(ctx, b, b->ninvalid);
		import_batch_free(b);
		return NULL;
	}
	if (cause != NULL) {
		import_batch_free(b);
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "file", cause);
		http_reply_fields(ctx, 422, cause, fields);
		free(cause);
		return NULL;
	}
	job = xcalloc(1, sizeof *job);
	job->batch = b;
	job->item = item;
	job->dry_run = cJSON_IsNumber(dry) && dry->valueint == 1;
	return job;
}

/* {"<list>": [row, …]}, the rows' validated objects, as text. */
static char *
imports_body_new(const struct import_batch *b, const char *list)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(root, list);
	char *text;

	for (size_t i = 0; i < b->nrows; i++)
		cJSON_AddItemReferenceToArray(arr, b->rows[i].body);
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return text;
}

void
imports_companies(struct http_ctx *ctx, const cJSON *input)
{
	struct imports_job *job =
	    imports_read(ctx, input, &form_company, "company");
	const char *params[3];
	char *body;

	/* Answered already: ctx is gone. */
	if (job == NULL)
		return;
	params[0] = ctx->user_id;
	params[1] = body = imports_body_new(job->batch, "companies");
	params[2] = job->dry_run ? "true" : "false";
	api_query_arg(ctx, "SELECT api_companies_import($1, $2::jsonb, $3)", 3,
		      params, imports_done, job);
	cJSON_free(body);
}

void
imports_registrations(struct http_ctx *ctx, const cJSON *input)
{
	struct imports_job *job =
	    imports_read(ctx, input, &form_registration, "registration");
	const char *params[5];
	char *body, *tokens;

	/* Answered already: ctx is gone. */
	if (job == NULL)
		return;
	params[0] = ctx->user_id;
	params[1] = ctx->args[0];
	if ((tokens = registrations_tokens_new((int)job->batch->nrows)) ==
	    NULL) {
		log_error("cannot read random bytes for check-in tokens");
		http_reply_error(ctx, 500, "cannot make a check-in token");
		imports_job_free(job);
		return;
	}
	job->event_id = xstrdup(ctx->args[0]);
	params[2] = tokens;
	params[3] = body = imports_body_new(job->batch, "registrations");
	params[4] = job->dry_run ? "true" : "false";
	api_query_arg(ctx,
		      "SELECT api_registrations_import($1, $2, $3::text[], "
		      "$4::jsonb, $5)",
		      5, params, imports_done, job);
	cJSON_free(body);
	free(tokens);
}
