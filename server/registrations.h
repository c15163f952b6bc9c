/*
 * Job seekers' registrations for an event. What a caller sees depends on
 * the role: organizers and admins everything, the front desk a person's
 * name, kana and check-in token only; every read is audited. Their rows
 * are in routes.c; here is the part that is C.
 */
#ifndef JF_REGISTRATIONS_H
#define JF_REGISTRATIONS_H

#include "http.h"

#include <cjson/cJSON.h>

/* A CSV import's rows in few requests: at most this many per batch. */
#define REGISTRATIONS_BATCH_MAX 1000
/* About 2 kB for each of the most items; the CLI sends at most 1 MB. */
#define REGISTRATIONS_BATCH_BODY_LIMIT (2 * 1024 * 1024)

/*
 * POST /events/{id}/registrations/batch: the checked items, each with a
 * new check-in token, in one statement.
 */
/*
 * n new check-in tokens as a PostgreSQL array literal, "{JF1-…,JF1-…}"
 * (their characters need no quoting), or NULL if the CSPRNG fails. The
 * caller frees it.
 */
char *registrations_tokens_new(int n);

void registrations_create_batch(struct http_ctx *ctx, const cJSON *clean);

#endif
