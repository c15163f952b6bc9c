/*
 * Retention: job seekers' personal data removed once its period ends,
 * the anonymous facts the reports count kept.
 */
#ifndef JF_PURGE_H
#define JF_PURGE_H

#include "http.h"

/* POST /api/v1/seekers/purge {"before_fiscal_year": 2023} (admin). */
void purge_seekers(struct http_ctx *ctx);

#endif
