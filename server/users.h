/*
 * The admin's back office: users (a password is hashed off the loop
 * before the statement runs) and the audit log as CSV. The lists and the
 * scan log are plain rows in routes.c.
 */
#ifndef JF_USERS_H
#define JF_USERS_H

#include "http.h"
#include "input.h"

#include <cjson/cJSON.h>

extern const char *const users_roles[];

/* A password's length and encoding, as a field error. */
void users_password_check(cJSON *input, cJSON *errors);

/* POST /api/v1/users and PATCH /api/v1/users/{id}. */
void users_create(struct http_ctx *ctx, const cJSON *input);
void users_update(struct http_ctx *ctx, const cJSON *input);

/* GET /api/v1/audit.csv: the filtered audit log, UTF-8 with a BOM. */
void users_audit_csv(struct http_ctx *ctx, const cJSON *input);

#endif
