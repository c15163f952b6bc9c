/*
 * The front desk's endpoints (their rows are in routes.c): check-in by
 * token or by id (exactly once, idempotent by the desk's nonce), the
 * offline journal's upload, undo, walk-ins, lookup by kana or phone,
 * token re-issue, and the roster an offline desk keeps (token hashes,
 * names and kana: nothing sensitive). Here are the parts that are C.
 */
#ifndef JF_CHECKIN_H
#define JF_CHECKIN_H

#include "http.h"

#include <cjson/cJSON.h>

/* Offline journals are uploaded in batches of at most this many scans. */
#define CHECKIN_BATCH_MAX 500
/* A full batch of scans at a few hundred bytes each. */
#define CHECKIN_BATCH_BODY_LIMIT (CHECKIN_BATCH_MAX * 1024)
/* What a scanner may type: another QR code read by mistake can be long. */
#define CHECKIN_TOKEN_MAX 1000
#define CHECKIN_DESK_MAX  50
#define CHECKIN_NONCE_MAX 100

/*
 * One check-in's statement, and the group commit's statement for the
 * check-ins that wait for the pool together (pool_set_group): up to
 * CHECKIN_GROUP_MAX in one transaction, each in a subtransaction (more
 * than 64 would overflow PostgreSQL's per-backend subtransaction cache).
 */
#define CHECKIN_SQL "SELECT api_checkin($1, $2, $3::jsonb)"
#define CHECKIN_MANY_SQL                                                       \
	"SELECT answer, failed FROM api_checkin_many($1::bigint[], "           \
	"$2::bigint[], $3::jsonb[])"
#define CHECKIN_GROUP_MAX 32

/*
 * A scan names a token or a registration id, not both, with a
 * well-formed nonce. A token becomes its canonical form; one that is not
 * ours stays as typed, to be answered unknown_token and kept in the scan
 * log. Route checks (routes.h) of POST /events/{id}/checkins, of
 * …/checkins/batch (1 to CHECKIN_BATCH_MAX scans, each as one) and of
 * …/walkins (the nonce).
 */
void checkin_scan_check(cJSON *scan, cJSON *errors);
void checkin_batch_check(cJSON *batch, cJSON *errors);
void checkin_walkin_check(cJSON *walkin, cJSON *errors);

/*
 * GET /events/{id}/lookup?q=: by kana or name, optionally followed by
 * the phone's last four digits, or by a whole phone number; never by
 * part of one. Limited per user as checkin_configure() says.
 */
void checkin_lookup(struct http_ctx *ctx, const cJSON *query);

#define CHECKIN_LOOKUP_RATE_DEFAULT 30
/*
 * Lookups plus check-ins by id (without the QR code) each user may make
 * in any minute; beyond it, 429 with Retry-After. Set once at start.
 */
void checkin_configure(long lookups_per_minute);

#endif
