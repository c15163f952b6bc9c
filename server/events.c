/*
 * /api/v1/event-types and /api/v1/events. An event's fiscal year and its
 * era label are derived in the database from the start; clients never
 * send them.
 */
#include "events.h"

#include "api.h"
#include "request.h"

static const char *const events_organizers[] = {"city", "hellowork", "joint",
						NULL};
static const char *const events_statuses[] = {"draft", "open", "closed", NULL};

/* The type is checked against event_types in SQL: it is data, not code. */
static const struct input_field events_fields[] = {
    {"type", INPUT_TEXT, true, 0, 50, NULL, NULL, 0},
    {"title", INPUT_TEXT, true, 0, 200, NULL, NULL, 0},
    {"starts_at", INPUT_TIMESTAMP, true, 0, 0, NULL, NULL, 0},
    {"ends_at", INPUT_TIMESTAMP, true, 0, 0, NULL, NULL, 0},
    {"venue", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    {"capacity", INPUT_INT, false, 0, 100000, NULL, NULL, 0},
    {"target_companies", INPUT_INT, false, 0, 10000, NULL, NULL, 0},
    {"target_seekers", INPUT_INT, false, 0, 100000, NULL, NULL, 0},
    {"organizer", INPUT_ENUM, true, 0, 0, events_organizers, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, events_statuses, NULL, 0},
};

static const struct input_field events_filters[] = {
    {"fiscal_year", INPUT_INT, false, 1989, 2200, NULL, NULL, 0},
    {"type", INPUT_TEXT, false, 0, 50, NULL, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, events_statuses, NULL, 0},
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
	request_create(ctx, events_fields, REQUEST_NFIELDS(events_fields),
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
	request_update(ctx, events_fields, REQUEST_NFIELDS(events_fields),
		       "SELECT api_event_update($1, $2, $3::jsonb)");
}
