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

/* ?ids=1,2,3 checked and turned into an SQL array literal. */
void print_ids_check(cJSON *input, cJSON *errors);

void print_slips(struct http_ctx *ctx, const cJSON *query);
/*
 * One 受付票 on an A4 page from a result shaped as print_seekers()
 * answers (the public form's receipt, public.c); no result row: 404.
 */
void print_slip_reply(struct http_ctx *ctx, const PGresult *res);
void print_badges(struct http_ctx *ctx, const cJSON *query);
void print_booths(struct http_ctx *ctx, const cJSON *query);
void print_companies(struct http_ctx *ctx, const cJSON *query);

#endif
