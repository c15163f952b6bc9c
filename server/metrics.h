/*
 * GET /metrics: Prometheus text format (version 0.0.4). Requests by route
 * and status, a latency histogram, the pool, reconnects, live-stream
 * clients and check-ins by result, counted in this process since it
 * started. Open to the machine itself, and to an admin from elsewhere.
 */
#ifndef JF_METRICS_H
#define JF_METRICS_H

#include "http.h"

#include <cjson/cJSON.h>

struct metrics;
struct route;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/* One answered request: its route (NULL: none matched), method, status. */
void metrics_request(struct metrics *m, const struct route *route, int method,
		     int status, double seconds);
/* Counts each "result" of a check-in answer (one, or a batch's). */
void metrics_checkin_results(struct metrics *m, const char *json);

void metrics_serve(struct http_ctx *ctx, const cJSON *input);

#endif
