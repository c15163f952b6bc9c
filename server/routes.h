/*
 * The table of every API route, in one place. A row says everything about
 * an endpoint that is not real C: method, path, roles, what input it reads
 * and how that is checked, the SQL statement and the answer. Rows with an
 * SQL statement run in request.c's one executor; endpoints that compute
 * in C name their handler instead. Add a field with a default of zero and
 * every row keeps meaning what it meant.
 */
#ifndef JF_ROUTES_H
#define JF_ROUTES_H

#include "http.h"
#include "input.h"
#include "pool.h"
#include "roles.h"

#include <cjson/cJSON.h>

/* The whole request in C; `input` is the checked body or query, or NULL. */
typedef void (*route_handler)(struct http_ctx *ctx, const cJSON *input);
/*
 * What a field table cannot say (one field or another, a nonce's
 * alphabet) and normalisation, on the checked input in place; problems
 * go into `errors` as {"field": "why"} and are answered 422.
 */
typedef void (*route_check)(cJSON *input, cJSON *errors);
/* Runs once the statement has succeeded, before the answer. */
typedef void (*route_after)(struct http_ctx *ctx, const char *event_id);

/*
 * The statement's parameters, always in this order: the caller's user id
 * (ROUTE_USER, for the audit log; NULL for an access link), the access
 * link's id (ROUTE_LINK, links.h; NULL for a user), every {…} path argument, a
 * new check-in token (ROUTE_TOKEN), the caller's view, "full" for organizers
 * and admins and "desk" otherwise (ROUTE_VIEW, see request_view), then
 * the checked input as jsonb
 * (when the row has a body or filters table).
 */
enum route_param {
	ROUTE_USER = 1 << 0,
	ROUTE_TOKEN = 1 << 1,
	ROUTE_VIEW = 1 << 2,
	ROUTE_LINK = 1 << 3,
};

enum route_shape {
	/* The first column's JSON with .status (200 if 0); none: 404. */
	ROUTE_JSON = 0,
	/* Two columns, the status and the JSON (201 new, 200 already). */
	ROUTE_STATUS_JSON,
};

struct route {
	int method;	  /* EVHTTP_REQ_* */
	const char *path; /* "/api/v1/events/{id}" */
	unsigned roles;	  /* enum role bits; 0: no authentication */
	/* Exactly one of the two. */
	route_handler handler;
	const char *sql;
	unsigned params; /* enum route_param bits */
	/* The JSON body, every field optional for PATCH, and its limit. */
	const struct input_field *body;
	size_t nbody;
	size_t max_body; /* bytes; 0: the body is not read */
	/* The query string; none given: it is not read. */
	const struct input_field *filters;
	size_t nfilters;
	bool no_query; /* a short fixed list: refuses any query parameter */
	route_check check;
	int status;
	enum route_shape shape;
	route_after after; /* see request_changed_event */
	/* DEFAULT: a GET reads, anything else writes; event-day work first. */
	enum pool_lane lane;
	/* Reads the primary even with a replica for reads (/readyz). */
	bool primary;
	/* Open without authentication to the machine itself (/metrics). */
	bool local;
	/* The answer's "result"s are counted in /metrics' check-ins. */
	bool counts_checkins;
	/*
	 * A public page (申込フォーム, public.h): served by the public door
	 * too, logged by its pattern; never anything staff-only.
	 */
	bool public;
};

/*
 * Finds the route for a method and path and fills args. Returns NULL and
 * sets *path_known when the path exists for other methods only (405
 * rather than 404). Never reads outside `path`, whatever it holds.
 */
const struct route *routes_match(int method, char *path, const char **args,
				 bool *path_known);

/* Serves ctx->route: authenticates the caller first if the row says so. */
void routes_serve(struct http_ctx *ctx);
/* Checks role, path arguments and input, then runs the row. */
void routes_dispatch(struct http_ctx *ctx);

/* The table itself, for its tests. */
const struct route *routes_table(size_t *n);
/* The largest body the route takes. */
size_t routes_body_limit(const struct route *route);
/* The largest body any route takes: evhttp's own limit. */
size_t routes_max_body(void);

#endif
