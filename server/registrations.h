/*
 * Job seekers' registrations for an event. What a caller sees depends on
 * the role: organizers and admins everything, the front desk a person's
 * name, kana and check-in token only; every read is audited.
 */
#ifndef JF_REGISTRATIONS_H
#define JF_REGISTRATIONS_H

#include "http.h"

void registrations_create(struct http_ctx *ctx);
void registrations_list(struct http_ctx *ctx);
void registrations_show(struct http_ctx *ctx);
void registrations_cancel(struct http_ctx *ctx);

#endif
