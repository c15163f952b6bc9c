/*
 * An event's live numbers: GET /events/{id}/stats and the same as
 * Server-Sent Events. Each jobfaird LISTENs on the database's
 * jobfair_checkins channel, which names every event whose numbers moved
 * (announced by the server that moved them, see stats_announce), so all
 * servers on one database push the same numbers to their streams.
 */
#ifndef JF_STATS_H
#define JF_STATS_H

#include "http.h"

#include <cjson/cJSON.h>

struct app;
struct stream_hub;

#define STATS_CHANNEL "jobfair_checkins"
/* The payload that says a user was revoked: streams check their owners. */
#define STATS_USERS_CHANGED "users"

/*
 * Listens for changes and keeps streams alive, each at most `lifetime`
 * seconds; one per process.
 */
struct stream_hub *stats_hub_new(struct app *app, int lifetime);
void stats_hub_free(struct stream_hub *hub);
/* Live streams open now. */
int stats_hub_clients(const struct stream_hub *hub);

/*
 * A route's after hook (routes.h): the numbers of an event moved (a
 * committed check-in, walk-in, undo, registration or booth change); tell
 * every server, soon and in a batch.
 */
void stats_announce(struct http_ctx *ctx, const char *event_id);

/*
 * A route's after hook: a credential was revoked (an access link); every
 * server checks its streams' owners again at once. `event_id` is unused.
 */
void stats_announce_revoked(struct http_ctx *ctx, const char *event_id);

/*
 * GET /events/{id}/stats: the statement, one event's numbers as JSON in
 * the caller's view (request_view: no per-category counts unless staff).
 */
extern const char stats_sql[];
/* GET /events/{id}/stats/stream */
void stats_stream(struct http_ctx *ctx, const cJSON *input);

#endif
