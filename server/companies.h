/* Companies that take part in events, found by name or kana. */
#ifndef JF_COMPANIES_H
#define JF_COMPANIES_H

#include "http.h"

void companies_create(struct http_ctx *ctx);
void companies_list(struct http_ctx *ctx);
void companies_show(struct http_ctx *ctx);
void companies_update(struct http_ctx *ctx);

#endif
