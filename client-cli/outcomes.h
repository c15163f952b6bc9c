/*
 * The CSV of outcomes a company sends back weeks after a fair: which job
 * seeker (登録番号 or 受付コード), which company (法人番号 or 企業ID), the
 * outcome (内定, 採用, 就職, 辞退, 取下げ, 未定, or the API's words) and its
 * date (結果日). The import engine (import.c) reads and checks the file
 * against outcomes_form; this adds the checks across rows and turns the
 * rows into the one request the server takes all or nothing.
 */
#ifndef JF_OUTCOMES_H
#define JF_OUTCOMES_H

#include "form.h"
#include "importer.h"

#include <cjson/cJSON.h>
#include <stddef.h>

extern const struct form outcomes_form;

/*
 * After import_batch_new(): refuses a header without a column for the
 * job seeker or the company (-1 with *cause), marks rows that repeat an
 * earlier row's job seeker and company invalid, and explains an outcome
 * word it does not know. Returns 0.
 */
int outcomes_check(struct import_batch *b, char **cause);

/*
 * {"rows": [...]}: every valid row, its outcome in the API's word and its
 * token as token_parse() writes it.
 */
cJSON *outcomes_body_new(const struct import_batch *b);

/*
 * Puts the server's refusal {"rows[N].field": why} on the rows it names
 * (N counts the rows sent, in order), under the file's column labels.
 * Returns how many it placed; others are left to the caller.
 */
size_t outcomes_refused(struct import_batch *b, const cJSON *fields);

#endif
