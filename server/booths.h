/*
 * Booths: a company's participation in an event, with its job openings
 * and the check-in token of its QR code.
 */
#ifndef JF_BOOTHS_H
#define JF_BOOTHS_H

#include "http.h"

void booths_create(struct http_ctx *ctx);
void booths_list(struct http_ctx *ctx);
void booths_update(struct http_ctx *ctx);

#endif
