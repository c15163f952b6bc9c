/*
 * Interviews at the booths and their outcomes: recorded by scanning a job
 * seeker's QR code at a company's booth, followed up one by one or in
 * bulk from the CSV a company sends back.
 */
#ifndef JF_INTERVIEWS_H
#define JF_INTERVIEWS_H

#include "http.h"

/* POST /api/v1/events/{id}/interviews: idempotent by nonce. */
void interviews_record(struct http_ctx *ctx);
/* GET /api/v1/events/{id}/interviews: with names, audited. */
void interviews_list(struct http_ctx *ctx);
/* PATCH /api/v1/interviews/{id}: outcome and its date. */
void interviews_update(struct http_ctx *ctx);
/* POST /api/v1/events/{id}/outcomes: {"rows": [...]}, all or nothing. */
void interviews_import_outcomes(struct http_ctx *ctx);

/* A company's CSV of outcomes: a few thousand rows at the most. */
#define INTERVIEWS_IMPORT_LIMIT (4 * 1024 * 1024)

#endif
