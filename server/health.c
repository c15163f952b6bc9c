/*
 * /healthz answers from the loop alone: it proves the process serves.
 * /readyz needs a database round trip and the schema in place.
 */
#include "health.h"

#include "api.h"
#include "app.h"
#include "replica.h"

static const char health_ok[] = "{\"status\":\"ok\"}";

void
health_live(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	http_reply_text_json(ctx, 200, health_ok, sizeof health_ok - 1);
}

static void
health_ready_done(struct http_ctx *ctx, const PGresult *res)
{
	cJSON *o = cJSON_CreateObject();

	(void)res;
	cJSON_AddStringToObject(o, "status", "ready");
	/* Where reports and lists are read now, and why not the replica. */
	cJSON_AddStringToObject(o, "reads", replica_state(ctx->app->replica));
	http_reply_json(ctx, 200, o);
	cJSON_Delete(o);
}

void
health_ready(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	api_query(ctx, "SELECT count(*) FROM schema_migrations", 0, NULL,
		  health_ready_done);
}
