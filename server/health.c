/*
 * /healthz answers from the loop alone: it proves the process serves.
 * /readyz needs a database round trip and the schema in place.
 */
#include "health.h"

#include "api.h"

static const char health_ok[] = "{\"status\":\"ok\"}";
static const char health_ready_body[] = "{\"status\":\"ready\"}";

void
health_live(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	http_reply_text_json(ctx, 200, health_ok, sizeof health_ok - 1);
}

static void
health_ready_done(struct http_ctx *ctx, const PGresult *res)
{
	(void)res;
	http_reply_text_json(ctx, 200, health_ready_body,
			     sizeof health_ready_body - 1);
}

void
health_ready(struct http_ctx *ctx, const cJSON *input)
{
	(void)input;
	api_query(ctx, "SELECT count(*) FROM schema_migrations", 0, NULL,
		  health_ready_done);
}
