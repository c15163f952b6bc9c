/*
 * GET /api/v1/events/{id}/print/slips.pdf, badges.pdf, booths.pdf and
 * companies.pdf. The database read runs on the loop like any other
 * (print_seekers(), print_companies() in migrations/sql/print.sql); the
 * drawing, which takes a second for a thousand 受付票, runs on the
 * app's render workers (worker.h) and the reply is sent back on the loop.
 */
#ifndef JF_PRINT_H
#define JF_PRINT_H

#include "http.h"

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include <stddef.h>

/* Documents waiting for the renderer beyond this answer 503. */
#define PRINT_QUEUE_MAX 8

/* ?ids=1,2,3 checked and turned into an SQL array literal. */
void print_ids_check(cJSON *input, cJSON *errors);

void print_slips(struct http_ctx *ctx, const cJSON *query);
void print_badges(struct http_ctx *ctx, const cJSON *query);
void print_booths(struct http_ctx *ctx, const cJSON *query);
void print_companies(struct http_ctx *ctx, const cJSON *query);

/*
 * Renders a file off the loop: `render` runs on a worker thread with the
 * statement's first column (its text, copied) and `arg`, and fills a new
 * buffer; the reply (or the error) is sent on the loop. Used by the PDFs
 * here and the spreadsheets (xlsx.c).
 */
struct render_out {
	unsigned char *data; /* malloc'd; the reply frees it */
	size_t len;
	char *warning; /* logged and sent as X-Jobfair-Warning; freed */
};
typedef int (*render_cb)(const char *text, size_t len, const void *arg,
			 struct render_out *out, char **cause);
void print_render(struct http_ctx *ctx, const PGresult *res, render_cb render,
		  const void *arg, size_t arg_size, const char *content_type,
		  const char *filename);

#endif
