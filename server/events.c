/*
 * /api/v1/event-types and /api/v1/events. An event's fiscal year and its
 * era label are derived in the database from the start; clients never
 * send them.
 */
#include "events.h"

#include "api.h"
#include "bodies.h"
#include "request.h"

static const struct input_field events_filters[] = {
    {"fiscal_year", INPUT_INT, false, 1989, 2200, NULL, NULL, 0},
    {"type", INPUT_TEXT, false, 0, 50, NULL, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, vocab_accepted[VOCAB_EVENT_STATUS],
     NULL, 0},
    REQUEST_PAGE_FIELDS,
};

/* A short fixed list: no paging, so no query parameters at all. */
void
events_types(struct http_ctx *ctx)
{
	cJSON *q = request_query_new(ctx, NULL, 0);

	if (q == NULL)
		return;
	cJSON_Delete(q);
	api_json(ctx, 200, "SELECT api_event_types()", 0, NULL);
}

void
events_create(struct http_ctx *ctx)
{
	request_create(ctx, bodies_event, REQUEST_NFIELDS(bodies_event),
		       "SELECT api_event_create($1, $2::jsonb)");
}

void
events_list(struct http_ctx *ctx)
{
	request_list(ctx, events_filters, REQUEST_NFIELDS(events_filters),
		     "SELECT api_events_list($1::jsonb)");
}

void
events_show(struct http_ctx *ctx)
{
	request_show(ctx, "SELECT event_json(e) FROM events e WHERE e.id = $1");
}

void
events_update(struct http_ctx *ctx)
{
	request_update(ctx, bodies_event, REQUEST_NFIELDS(bodies_event),
		       "SELECT api_event_update($1, $2, $3::jsonb)");
}
