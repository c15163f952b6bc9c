/* Liveness and readiness probes. */
#ifndef JF_HEALTH_H
#define JF_HEALTH_H

#include "http.h"

#include <cjson/cJSON.h>

/* GET /healthz and /readyz; neither reads any input. */
void health_live(struct http_ctx *ctx, const cJSON *input);
void health_ready(struct http_ctx *ctx, const cJSON *input);

#endif
