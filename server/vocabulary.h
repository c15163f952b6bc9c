/*
 * GET /api/v1/vocabulary: every list of codes common/vocab.c defines,
 * with its labels, so the pages show what the CLI and the reports show
 * without a copy of their own: {"<lookup table>": [{"code", "label_ja",
 * "label_en"}, …], …}.
 */
#ifndef JF_VOCABULARY_H
#define JF_VOCABULARY_H

#include "http.h"

#include <cjson/cJSON.h>

void vocabulary_get(struct http_ctx *ctx, const cJSON *input);

#endif
