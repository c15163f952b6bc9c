/*
 * Revocable access links: one event's read-only dashboard for a
 * projector, or one company's booth at one event for booth staff without
 * a staff account. An organizer or admin creates one (the secret is shown
 * once, with its URL and a QR code of it), lists and revokes them; only
 * the secret's SHA-256 is stored.
 *
 * How a request is made with a link: the secret ("jfl_" and 43 base64url
 * characters) as a bearer token, `Authorization: Bearer jfl_…`, or, where
 * a header cannot be sent (a browser's EventSource), as `?link=jfl_…` in
 * the query string, which the access log never writes. Every use checks
 * the link in the database: revoked or expired, 401.
 *
 * What it may call: only routes whose roles name ROLE_LINK_DASHBOARD or
 * ROLE_LINK_BOOTH (roles.h), and of those only its own event's: a route
 * under /api/v1/events/{id} must name the link's event, and one with a
 * {company_id} argument the booth link's company (else 403); a route
 * that takes the company from its body instead must check it itself
 * (its statement gets the link's id with ROUTE_LINK). Such a
 * request has ctx->user_id NULL and ctx->link_id, link_event_id and (for
 * a booth) link_company_id set; a row's statement gets the link's id
 * with ROUTE_LINK (routes.h), for the audit log. Its view (request_view)
 * is "desk": nothing sensitive (a dashboard link's routes give aggregates
 * only). Its streams end at once when it is revoked, and at its expiry
 * (a timer, stats.c). A request with a body must send the header: bodies
 * are judged from the headers before they are read (http.c), and one with no
 * credential there is refused 401. A link has no per-user cap on
 * requests in flight (it is no user); the server's global limits hold.
 *
 * The URL handed out is /dashboard.html#link=… or /booth.html#link=…
 * (links_page in links.c); GET /api/v1/link tells a page opened by it
 * its kind, event and booth company.
 */
#ifndef JF_LINKS_H
#define JF_LINKS_H

#include "http.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

#define LINKS_PREFIX "jfl_"
/* The query parameter that carries a link where no header can. */
#define LINKS_QUERY "link"

/* Whether the request shows a link rather than a user's credential. */
bool links_wanted(struct http_ctx *ctx);
/* Checks the link, then dispatches as its role; or 401/429. */
void links_begin(struct http_ctx *ctx);
/* Whether a link caller may reach this route's arguments; else 403. */
bool links_scope_ok(struct http_ctx *ctx);

/* POST /events/{id}/links: the new link with its secret, URL and QR. */
void links_create(struct http_ctx *ctx, const cJSON *input);

#endif
