/* Liveness and readiness probes. */
#ifndef JF_HEALTH_H
#define JF_HEALTH_H

#include "http.h"

void health_live(struct http_ctx *ctx);
void health_ready(struct http_ctx *ctx);

#endif
