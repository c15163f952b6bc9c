/*
 * Interviews at the booths and their outcomes: recorded by scanning a job
 * seeker's QR code at a company's booth, followed up one by one or in
 * bulk from the CSV a company sends back. Their rows are in routes.c;
 * here are the parts that are C.
 */
#ifndef JF_INTERVIEWS_H
#define JF_INTERVIEWS_H

#include "http.h"

#include <cjson/cJSON.h>

/* A company's CSV of outcomes: a few thousand rows at the most. */
#define INTERVIEWS_IMPORT_LIMIT (4 * 1024 * 1024)

/*
 * Route check of POST /api/v1/events/{id}/interviews: a job seeker by
 * token (normalised) or registration id, a company by id, and a nonce.
 */
void interviews_record_check(cJSON *body, cJSON *errors);
/*
 * Route checks of a booth's queue (routes.c): a job seeker scanned at
 * the booth (token or registration id) with a nonce; a nonce alone
 * (次へ, 面談済み, 不在). The nonce is at least 8 characters, as an
 * interview's.
 */
void interviews_seeker_check(cJSON *body, cJSON *errors);
void interviews_nonce_check(cJSON *body, cJSON *errors);
/* POST /api/v1/events/{id}/outcomes: {"rows": [...]}, all or nothing. */
void interviews_import_outcomes(struct http_ctx *ctx, const cJSON *input);

#endif
