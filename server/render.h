/*
 * Files rendered off the event loop: PDFs and spreadsheets. The database
 * read runs on the loop as usual; its answer's text is copied into a job
 * that a render worker (app->render, worker.h) turns into the file, and
 * the reply goes out back on the loop.
 */
#ifndef JF_RENDER_H
#define JF_RENDER_H

#include "http.h"

#include <libpq-fe.h>
#include <stddef.h>

/* Documents waiting for the renderer beyond this answer 503. */
#define RENDER_QUEUE_MAX 8

/*
 * Renders a file off the loop: `render` runs on a worker thread with the
 * statement's first column (its text, copied) and `arg`, and fills a new
 * buffer; the reply (or the error) is sent on the loop. Used by the PDFs
 * (print.c) and the spreadsheets (report_xlsx.c).
 */
struct render_out {
	unsigned char *data; /* malloc'd; the reply frees it */
	size_t len;
	char *warning; /* logged and sent as X-Jobfair-Warning; freed */
};
typedef int (*render_cb)(const char *text, size_t len, const void *arg,
			 struct render_out *out, char **cause);
void render_reply(struct http_ctx *ctx, const PGresult *res, render_cb render,
		  const void *arg, size_t arg_size, const char *content_type,
		  const char *filename);

#endif
