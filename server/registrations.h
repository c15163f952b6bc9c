/*
 * Job seekers' registrations for an event. What a caller sees depends on
 * the role: organizers and admins everything, the front desk a person's
 * name, kana and check-in token only; every read is audited.
 */
#ifndef JF_REGISTRATIONS_H
#define JF_REGISTRATIONS_H

#include "http.h"

/* A CSV import's rows in few requests: at most this many per batch. */
#define REGISTRATIONS_BATCH_MAX 1000

void registrations_create(struct http_ctx *ctx);
/* POST /events/{id}/registrations/batch: each item as the single create */
void registrations_create_batch(struct http_ctx *ctx);
void registrations_list(struct http_ctx *ctx);
void registrations_show(struct http_ctx *ctx);
void registrations_cancel(struct http_ctx *ctx);

/* About 2 kB for each of the most items; the CLI sends at most 1 MB. */
#define REGISTRATIONS_BATCH_BODY_LIMIT (2 * 1024 * 1024)

#endif
