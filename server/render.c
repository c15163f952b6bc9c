/*
 * A render job owns copies of everything it reads (the statement's text,
 * the options), so the worker thread never touches the request; only the
 * job's `done`, back on the loop, replies.
 */
#include "render.h"

#include "app.h"
#include "log.h"
#include "worker.h"
#include "xmalloc.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	/* A thousand 受付票 peak at ~90 MB; what the drawing freed goes
	 * back to the system instead of staying in the worker's arena
	 * (bench/print.sh, a second after the reply: 28 MB allocated
	 * against 40 MB without; the rest is cairo's and pango's caches). */
	malloc_trim(0);
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
render_reply(struct http_ctx *ctx, const PGresult *res, render_cb render,
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
