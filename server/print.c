/*
 * The print endpoints and the one way a file is rendered off the loop.
 * A render job owns copies of everything it reads (the statement's text,
 * the options), so the worker thread never touches the request; only the
 * job's `done`, back on the loop, replies.
 */
#include "print.h"

#include "api.h"
#include "app.h"
#include "log.h"
#include "pdf.h"
#include "worker.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ids in one ?ids= list: a thousand 受付票 is a large event. */
#define PRINT_IDS_MAX 2000

struct render_job {
	struct http_ctx *ctx;
	render_cb render;
	void *arg;
	char *text;
	size_t len;
	char *content_type, *filename;
	int rc;
	struct render_out out;
	char *cause;
};

static void
render_job_free(void *arg)
{
	struct render_job *job = arg;

	free(job->arg);
	free(job->text);
	free(job->content_type);
	free(job->filename);
	free(job->out.data);
	free(job->out.warning);
	free(job->cause);
	free(job);
}

static void
render_job_run(void *arg)
{
	struct render_job *job = arg;

	job->rc =
	    job->render(job->text, job->len, job->arg, &job->out, &job->cause);
}

static void
render_job_done(void *arg)
{
	struct render_job *job = arg;
	struct http_ctx *ctx = job->ctx;
	char disposition[160];

	if (job->rc != 0) {
		log_error("%s: %s", ctx->path, job->cause);
		http_reply_error(ctx, 500, "cannot render the document");
		render_job_free(job);
		return;
	}
	if (job->out.warning != NULL) {
		log_warn("%s: %s", ctx->path, job->out.warning);
		http_add_header(ctx, "X-Jobfair-Warning", job->out.warning);
	}
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"",
		 job->filename);
	http_add_header(ctx, "Content-Disposition", disposition);
	http_reply_body(ctx, 200, job->content_type, job->out.data,
			job->out.len);
	render_job_free(job);
}

void
print_render(struct http_ctx *ctx, const PGresult *res, render_cb render,
	     const void *arg, size_t arg_size, const char *content_type,
	     const char *filename)
{
	struct render_job *job;

	if (PQntuples(res) < 1 || PQgetisnull(res, 0, 0)) {
		http_reply_error(ctx, 404, "no such resource");
		return;
	}
	job = xcalloc(1, sizeof *job);
	job->ctx = ctx;
	job->render = render;
	job->arg = xmalloc(arg_size);
	memcpy(job->arg, arg, arg_size);
	job->len = PQgetlength(res, 0, 0);
	job->text = xmalloc(job->len + 1);
	memcpy(job->text, PQgetvalue(res, 0, 0), job->len + 1);
	job->content_type = xstrdup(content_type);
	job->filename = xstrdup(filename);
	if (worker_submit(ctx->app->render, job, render_job_run,
			  render_job_done, render_job_free) != 0) {
		render_job_free(job);
		http_reply_retry(ctx, 503, 5,
				 "too many documents being rendered; retry");
	}
}

void
print_ids_check(cJSON *input, cJSON *errors)
{
	const char *ids =
	    cJSON_GetStringValue(cJSON_GetObjectItem(input, "ids"));
	char *array, *out;
	int n = 0;

	if (ids == NULL)
		return;
	/* "{1,2,3}": at most as long as the list and its braces. */
	array = out = xmalloc(strlen(ids) + 3);
	*out++ = '{';
	for (const char *s = ids; *s != '\0';) {
		char *end;
		long long id;

		errno = 0;
		id = strtoll(s, &end, 10);
		if (end == s || errno != 0 || id < 1 || (*end != ',' && *end) ||
		    ++n > PRINT_IDS_MAX) {
			cJSON_AddStringToObject(
			    errors, "ids",
			    "must be registration ids separated by commas "
			    "(at most 2000)");
			free(array);
			return;
		}
		out += sprintf(out, "%s%lld", n > 1 ? "," : "", id);
		s = *end == ',' ? end + 1 : end;
	}
	strcpy(out, "}");
	cJSON_ReplaceItemInObject(input, "ids", cJSON_CreateString(array));
	free(array);
}

struct print_req {
	enum pdf_kind kind;
	struct pdf_options opt;
};

static const char *const print_names[] = {
    [PDF_SLIPS] = "slips",
    [PDF_BADGES_SEEKERS] = "badges",
    [PDF_BADGES_COMPANIES] = "badges-companies",
    [PDF_BOOTHS] = "booths",
    [PDF_COMPANIES] = "companies",
};

static int
print_render_pdf(const char *text, size_t len, const void *arg,
		 struct render_out *out, char **cause)
{
	const struct print_req *r = arg;
	struct pdf_result res;

	if (pdf_render(r->kind, &r->opt, text, len, &res, cause) != 0)
		return -1;
	out->data = res.data;
	out->len = res.len;
	if (res.missing > 0)
		xasprintf(&out->warning,
			  "%d character(s) no font has, printed as a box "
			  "with the code point: %s",
			  res.missing, res.missing_codes);
	return 0;
}

static void
print_done(struct http_ctx *ctx, const PGresult *res)
{
	const struct print_req *r = ctx->data;
	char filename[64];

	snprintf(filename, sizeof filename, "event-%s-%s.pdf", ctx->args[0],
		 print_names[r->kind]);
	print_render(ctx, res, print_render_pdf, r, sizeof *r,
		     "application/pdf", filename);
}

static void
print_begin(struct http_ctx *ctx, const cJSON *query, enum pdf_kind kind)
{
	struct print_req *r = xcalloc(1, sizeof *r);
	const char *layout =
	    cJSON_GetStringValue(cJSON_GetObjectItem(query, "layout"));
	const char *ids =
	    cJSON_GetStringValue(cJSON_GetObjectItem(query, "ids"));

	r->kind = kind;
	r->opt.per_page = layout != NULL && strcmp(layout, "page") == 0
			      ? 1
			      : PDF_SLIPS_PER_SHEET;
	r->opt.names = cJSON_IsTrue(cJSON_GetObjectItem(query, "names"));
	ctx->data = r;
	ctx->data_free = free;
	if (kind == PDF_SLIPS || kind == PDF_BADGES_SEEKERS) {
		const char *params[3] = {ctx->user_id, ctx->args[0], ids};

		api_query(ctx, "SELECT print_seekers($1, $2, $3::bigint[])", 3,
			  params, print_done);
	} else
		api_query(ctx, "SELECT print_companies($1)", 1, ctx->args,
			  print_done);
}

void
print_slips(struct http_ctx *ctx, const cJSON *query)
{
	print_begin(ctx, query, PDF_SLIPS);
}

void
print_badges(struct http_ctx *ctx, const cJSON *query)
{
	const char *kind =
	    cJSON_GetStringValue(cJSON_GetObjectItem(query, "kind"));
	bool companies = kind != NULL && strcmp(kind, "companies") == 0;

	if (companies && (cJSON_HasObjectItem(query, "ids") ||
			  cJSON_HasObjectItem(query, "names"))) {
		cJSON *fields = cJSON_CreateObject();

		cJSON_AddStringToObject(fields, "kind",
					"ids and names apply to seekers only");
		http_reply_fields(ctx, 422, "invalid query parameters", fields);
		return;
	}
	print_begin(ctx, query,
		    companies ? PDF_BADGES_COMPANIES : PDF_BADGES_SEEKERS);
}

void
print_booths(struct http_ctx *ctx, const cJSON *query)
{
	print_begin(ctx, query, PDF_BOOTHS);
}

void
print_companies(struct http_ctx *ctx, const cJSON *query)
{
	print_begin(ctx, query, PDF_COMPANIES);
}
