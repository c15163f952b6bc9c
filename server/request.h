/*
 * A matched route's request, run from its row (routes.h): the path
 * arguments and the input checked at the edge, before any database work,
 * then the row's statement. Every function that fails has replied (400,
 * 404, 413, 422 or 500).
 */
#ifndef JF_REQUEST_H
#define JF_REQUEST_H

#include "http.h"
#include "input.h"

#include <cjson/cJSON.h>

/* The body limit of a row that takes one JSON object. */
#define REQUEST_BODY_LIMIT (64 * 1024)

/* Paging parameters every list takes: keyset by id ("after" the last). */
#define REQUEST_PAGE_FIELDS                                                    \
	{"limit", INPUT_INT, false, 1, 500, NULL, NULL, 0},                    \
	{                                                                      \
		"after", INPUT_INT, false, 0, 9007199254740991L, NULL, NULL, 0 \
	}

#define REQUEST_NFIELDS(spec) (sizeof(spec) / sizeof *(spec))

/*
 * Checks each {…} path argument by its name ({code} a metric code, {fy} a
 * fiscal year, anything else an id); false after replying 404.
 */
bool request_path_ok(struct http_ctx *ctx);

/*
 * The row's body or query string checked against its table and its
 * check, into *input (NULL when the row reads neither); -1 after replying.
 */
int request_input(struct http_ctx *ctx, cJSON **input);

/* Runs the row's statement with its parameters (see enum route_param). */
void request_execute(struct http_ctx *ctx, const cJSON *input);

/*
 * What the caller may see of people, as the SQL functions take it:
 * "full" for organizers and admins; "desk" for the front desk and
 * viewers, who see no sensitive data (disability, 生活保護, single
 * parent…), not even as per-category counts that move when one person
 * is checked in (README, Privacy).
 */
const char *request_view(const struct http_ctx *ctx);

/*
 * Runs sql with `params` and then, if not NULL, `json` as text, and
 * answers as the row says (status, shape, after). `json` is borrowed.
 */
void request_run(struct http_ctx *ctx, const char *sql, int nparams,
		 const char *const *params, const cJSON *json);

#endif
