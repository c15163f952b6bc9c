/*
 * Users from the back office, and the audit log as CSV. Creating a user
 * or changing a password hashes it in a worker (pwhash.h) and only then
 * runs the one statement, with the hash instead of the password.
 */
#include "users.h"

#include "api.h"
#include "app.h"
#include "auth.h"
#include "csv.h"
#include "pwhash.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* The CSV is the whole filtered log, within reason. */
#define USERS_AUDIT_CSV_ROWS "100000"

const char *const users_roles[] = {"admin", "organizer", "frontdesk", "viewer",
				   NULL};

/* The checked input without its password, kept across the hashing. */
struct users_pending {
	const char *sql;
	cJSON *input;
};

static void
users_pending_free(void *data)
{
	struct users_pending *p = data;

	cJSON_Delete(p->input);
	free(p);
}

void
users_password_check(cJSON *input, cJSON *errors)
{
	const cJSON *pw = cJSON_GetObjectItem(input, "password");
	const char *why;

	if (cJSON_IsString(pw) &&
	    (why = pwhash_password_problem(pw->valuestring)) != NULL)
		cJSON_AddStringToObject(errors, "password", why);
}

/* A new user is 201, a changed one 200, an unknown id 404. */
static void
users_done(struct http_ctx *ctx, const PGresult *res)
{
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		http_reply_error(ctx, 404, "no such resource");
		return;
	}
	http_reply_text_json(ctx, ctx->args[0] != NULL ? 200 : 201,
			     PQgetvalue(res, 0, 0), PQgetlength(res, 0, 0));
}

/*
 * Runs the pending statement: the admin, then the {id} to change or a new
 * user's API token, the password's hash (or NULL), the input.
 */
static void
users_run(struct http_ctx *ctx, const char *hash)
{
	struct users_pending *p = ctx->data;
	char *token = NULL, *json = cJSON_PrintUnformatted(p->input);
	const char *params[4] = {ctx->user_id, ctx->args[0], hash, json};

	if (params[1] == NULL)
		params[1] = token = auth_token_new();
	api_query(ctx, p->sql, 4, params, users_done);
	free(token);
	cJSON_free(json);
}

static void
users_hashed(const char *hash, bool ok, void *arg)
{
	struct http_ctx *ctx = arg;

	if (!ok) {
		http_reply_error(ctx, 503, "cannot hash the password; retry");
		return;
	}
	users_run(ctx, hash);
}

static void
users_start(struct http_ctx *ctx, const cJSON *input, const char *sql)
{
	struct users_pending *p = xcalloc(1, sizeof *p);
	const cJSON *pw = cJSON_GetObjectItem(input, "password");

	p->sql = sql;
	p->input = cJSON_Duplicate(input, true);
	cJSON_DeleteItemFromObject(p->input, "password");
	ctx->data = p;
	ctx->data_free = users_pending_free;
	if (!cJSON_IsString(pw)) {
		users_run(ctx, NULL);
		return;
	}
	if (pwhash_hash(ctx->app->pwhash, pw->valuestring, users_hashed, ctx) !=
	    0)
		http_reply_error(ctx, 503, "too many passwords at once; retry");
}

void
users_create(struct http_ctx *ctx, const cJSON *input)
{
	users_start(ctx, input,
		    "SELECT api_user_create($1, $2, $3, $4::jsonb)");
}

void
users_update(struct http_ctx *ctx, const cJSON *input)
{
	users_start(ctx, input,
		    "SELECT api_user_update($1, $2, $3, $4::jsonb)");
}

static const char *
users_json_text(const cJSON *item, char **owned)
{
	*owned = NULL;
	if (cJSON_IsString(item))
		return item->valuestring;
	if (item == NULL || cJSON_IsNull(item))
		return NULL;
	return *owned = cJSON_PrintUnformatted(item);
}

static void
users_audit_csv_done(struct http_ctx *ctx, const PGresult *res)
{
	static const char *const header[] = {"at",     "user",	    "action",
					     "entity", "entity_id", "detail"};
	struct csv_writer *w = csv_writer_new(CSV_ENC_UTF8);
	cJSON *log = cJSON_ParseWithLength(PQgetvalue(res, 0, 0),
					   PQgetlength(res, 0, 0));
	const cJSON *item;
	const char *data;
	char *cause = NULL;
	size_t len;

	csv_write_row(w, header, 6, &cause);
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(log, "items"))
	{
		const char *fields[6];
		char *owned[6];

		for (int i = 0; i < 6; i++)
			fields[i] = users_json_text(
			    cJSON_GetObjectItem(item, header[i]), &owned[i]);
		/* The text is UTF-8 from the database: it cannot fail. */
		if (csv_write_row(w, fields, 6, &cause) != 0) {
			free(cause);
			cause = NULL;
		}
		for (int i = 0; i < 6; i++)
			cJSON_free(owned[i]);
	}
	cJSON_Delete(log);
	http_add_header(ctx, "Content-Disposition",
			"attachment; filename=\"audit.csv\"");
	data = csv_writer_data(w, &len);
	http_reply_body(ctx, 200, "text/csv; charset=utf-8", data, len);
	csv_writer_free(w);
}

void
users_audit_csv(struct http_ctx *ctx, const cJSON *input)
{
	cJSON *q = cJSON_Duplicate(input, true);
	char *text;
	const char *params[1];

	if (!cJSON_HasObjectItem(q, "limit"))
		cJSON_AddRawToObject(q, "limit", USERS_AUDIT_CSV_ROWS);
	params[0] = text = cJSON_PrintUnformatted(q);
	api_query(ctx, "SELECT api_audit_list($1::jsonb)", 1, params,
		  users_audit_csv_done);
	cJSON_free(text);
	cJSON_Delete(q);
}
