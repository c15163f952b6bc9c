/*
 * CSV files uploaded by the back office: POST /api/v1/companies/import
 * and POST /api/v1/events/{id}/registrations/import. The body is the
 * file's bytes (UTF-8 with or without a BOM, or CP932), read with the
 * CLI's own mapping (common/import.c). All or nothing: every row is
 * checked, then every row is written in one transaction, or none. A
 * refusal answers 422 with each row's errors and the rejected rows as a
 * CSV file in the upload's encoding; `?dry_run=1` checks without writing.
 */
#ifndef JF_IMPORTS_H
#define JF_IMPORTS_H

#include "http.h"

#include <cjson/cJSON.h>

/* More rows than a city's list of companies or an event's job seekers. */
#define IMPORTS_MAX_ROWS   1000
#define IMPORTS_BODY_LIMIT (4 * 1024 * 1024)

void imports_companies(struct http_ctx *ctx, const cJSON *input);
void imports_registrations(struct http_ctx *ctx, const cJSON *input);

#endif
