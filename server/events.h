/* Event types and events: what organizers plan for a fiscal year. */
#ifndef JF_EVENTS_H
#define JF_EVENTS_H

#include "http.h"

void events_types(struct http_ctx *ctx);
void events_create(struct http_ctx *ctx);
void events_list(struct http_ctx *ctx);
void events_show(struct http_ctx *ctx);
void events_update(struct http_ctx *ctx);

#endif
