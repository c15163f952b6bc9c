/*
 * The front desk's endpoints: check-in by token or by id (exactly once,
 * idempotent by the desk's nonce), the offline journal's upload, undo,
 * walk-ins, lookup by kana or phone, token re-issue, and the roster an
 * offline desk keeps (token hashes, names and kana: nothing sensitive).
 */
#ifndef JF_CHECKIN_H
#define JF_CHECKIN_H

#include "http.h"

/* Offline journals are uploaded in batches of at most this many scans. */
#define CHECKIN_BATCH_MAX 500

/* POST /events/{id}/checkins */
void checkin_scan(struct http_ctx *ctx);
/* POST /events/{id}/checkins/batch */
void checkin_batch(struct http_ctx *ctx);
/* POST /events/{id}/checkins/{checkin_id}/undo, DELETE …/{checkin_id} */
void checkin_undo(struct http_ctx *ctx);
/* POST /events/{id}/walkins */
void checkin_walkin(struct http_ctx *ctx);
/* GET /events/{id}/lookup?q= */
void checkin_lookup(struct http_ctx *ctx);
/* GET /events/{id}/roster */
void checkin_roster(struct http_ctx *ctx);
/* POST /registrations/{id}/reissue-token */
void checkin_reissue_registration(struct http_ctx *ctx);
/* POST /events/{id}/companies/{company_id}/reissue-token */
void checkin_reissue_booth(struct http_ctx *ctx);

/* A full batch of scans at a few hundred bytes each. */
#define CHECKIN_BATCH_BODY_LIMIT (CHECKIN_BATCH_MAX * 1024)

#endif
