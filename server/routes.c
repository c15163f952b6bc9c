/*
 * Every route of the API, in one table: method, path pattern with {…}
 * arguments, the roles allowed (0: no authentication) and the handler.
 */
#include "routes.h"

#include "health.h"
/* organizers' headers */
#include "booths.h"
#include "companies.h"
#include "events.h"
#include "registrations.h"
/* event-day headers */
#include "checkin.h"
#include "qr.h"
#include "stats.h"
/* after-the-event headers */
#include "interviews.h"
#include "metrics.h"
#include "purge.h"
#include "reports.h"
#include "request.h"

#include <event2/http.h>
#include <string.h>

#define GET    EVHTTP_REQ_GET
#define POST   EVHTTP_REQ_POST
#define PUT    EVHTTP_REQ_PUT
#define PATCH  EVHTTP_REQ_PATCH
#define DELETE EVHTTP_REQ_DELETE

static const struct route routes[] = {
    {.method = GET, .pattern = "/healthz", .roles = 0, .handler = health_live},
    {.method = GET, .pattern = "/readyz", .roles = 0, .handler = health_ready},
    /* organizers: event types, events, companies, booths, registrations */
    {.method = GET,
     .pattern = "/api/v1/event-types",
     .roles = ROLES_ANY,
     .handler = events_types},
    {.method = POST,
     .pattern = "/api/v1/events",
     .roles = ROLES_STAFF,
     .handler = events_create},
    {.method = GET,
     .pattern = "/api/v1/events",
     .roles = ROLES_ANY,
     .handler = events_list},
    {.method = GET,
     .pattern = "/api/v1/events/{id}",
     .roles = ROLES_ANY,
     .handler = events_show},
    {.method = PATCH,
     .pattern = "/api/v1/events/{id}",
     .roles = ROLES_STAFF,
     .handler = events_update},
    {.method = POST,
     .pattern = "/api/v1/companies",
     .roles = ROLES_STAFF,
     .handler = companies_create},
    {.method = GET,
     .pattern = "/api/v1/companies",
     .roles = ROLES_ANY,
     .handler = companies_list},
    {.method = GET,
     .pattern = "/api/v1/companies/{id}",
     .roles = ROLES_ANY,
     .handler = companies_show},
    {.method = PATCH,
     .pattern = "/api/v1/companies/{id}",
     .roles = ROLES_STAFF,
     .handler = companies_update},
    {.method = POST,
     .pattern = "/api/v1/events/{id}/companies",
     .roles = ROLES_STAFF,
     .handler = booths_create},
    {.method = GET,
     .pattern = "/api/v1/events/{id}/companies",
     .roles = ROLES_DESK,
     .handler = booths_list},
    {.method = PATCH,
     .pattern = "/api/v1/events/{id}/companies/{company_id}",
     .roles = ROLES_STAFF,
     .handler = booths_update},
    {.method = POST,
     .pattern = "/api/v1/events/{id}/registrations",
     .roles = ROLES_STAFF,
     .handler = registrations_create},
    {.method = POST,
     .pattern = "/api/v1/events/{id}/registrations/batch",
     .roles = ROLES_STAFF,
     .handler = registrations_create_batch,
     .max_body = REGISTRATIONS_BATCH_BODY_LIMIT},
    {.method = GET,
     .pattern = "/api/v1/events/{id}/registrations",
     .roles = ROLES_DESK,
     .handler = registrations_list},
    {.method = GET,
     .pattern = "/api/v1/registrations/{id}",
     .roles = ROLES_DESK,
     .handler = registrations_show},
    {.method = POST,
     .pattern = "/api/v1/registrations/{id}/cancel",
     .roles = ROLES_STAFF,
     .handler = registrations_cancel},
    /* event day: QR codes, check-in, walk-ins, lookup, stats, roster */
    {.method = GET,
     .pattern = "/api/v1/registrations/{id}/qr.png",
     .roles = ROLES_DESK,
     .handler = qr_registration_png},
    {.method = GET,
     .pattern = "/api/v1/registrations/{id}/qr.svg",
     .roles = ROLES_DESK,
     .handler = qr_registration_svg},
    {.method = GET,
     .pattern = "/api/v1/events/{id}/companies/{company_id}/qr.png",
     .roles = ROLES_DESK,
     .handler = qr_booth_png},
    {.method = GET,
     .pattern = "/api/v1/events/{id}/companies/{company_id}/qr.svg",
     .roles = ROLES_DESK,
     .handler = qr_booth_svg},
    {.method = POST,
     .pattern = "/api/v1/registrations/{id}/reissue-token",
     .roles = ROLES_STAFF,
     .handler = checkin_reissue_registration},
    {.method = POST,
     .pattern = "/api/v1/events/{id}/companies/{company_id}/reissue-token",
     .roles = ROLES_STAFF,
     .handler = checkin_reissue_booth},
    {.method = POST,
     .pattern = "/api/v1/events/{id}/checkins",
     .roles = ROLES_DESK,
     .handler = checkin_scan},
    {.method = POST,
     .pattern = "/api/v1/events/{id}/checkins/batch",
     .roles = ROLES_DESK,
     .handler = checkin_batch,
     .max_body = CHECKIN_BATCH_BODY_LIMIT},
    {.method = POST,
     .pattern = "/api/v1/events/{id}/checkins/{checkin_id}/undo",
     .roles = ROLES_DESK,
     .handler = checkin_undo},
    {.method = DELETE,
     .pattern = "/api/v1/events/{id}/checkins/{checkin_id}",
     .roles = ROLES_DESK,
     .handler = checkin_undo},
    {.method = POST,
     .pattern = "/api/v1/events/{id}/walkins",
     .roles = ROLES_DESK,
     .handler = checkin_walkin},
    {.method = GET,
     .pattern = "/api/v1/events/{id}/lookup",
     .roles = ROLES_DESK,
     .handler = checkin_lookup},
    {.method = GET,
     .pattern = "/api/v1/events/{id}/roster",
     .roles = ROLES_DESK,
     .handler = checkin_roster},
    {.method = GET,
     .pattern = "/api/v1/events/{id}/stats",
     .roles = ROLES_ANY,
     .handler = stats_show},
    {.method = GET,
     .pattern = "/api/v1/events/{id}/stats/stream",
     .roles = ROLES_ANY,
     .handler = stats_stream},
    /* after the event: interviews, metrics, reports, purge */
    {.method = POST,
     .pattern = "/api/v1/events/{id}/interviews",
     .roles = ROLES_DESK,
     .handler = interviews_record},
    {.method = GET,
     .pattern = "/api/v1/events/{id}/interviews",
     .roles = ROLES_STAFF,
     .handler = interviews_list},
    {.method = PATCH,
     .pattern = "/api/v1/interviews/{id}",
     .roles = ROLES_STAFF,
     .handler = interviews_update},
    {.method = POST,
     .pattern = "/api/v1/events/{id}/outcomes",
     .roles = ROLES_STAFF,
     .handler = interviews_import_outcomes,
     .max_body = INTERVIEWS_IMPORT_LIMIT},
    {.method = GET,
     .pattern = "/api/v1/events/{id}/report",
     .roles = ROLES_ANY,
     .handler = reports_event},
    {.method = GET,
     .pattern = "/api/v1/reports/fiscal-year/{fy}",
     .roles = ROLES_ANY,
     .handler = reports_fiscal_year},
    {.method = GET,
     .pattern = "/api/v1/metrics",
     .roles = ROLES_ANY,
     .handler = metrics_list},
    {.method = GET,
     .pattern = "/api/v1/metrics/{code}",
     .roles = ROLES_ANY,
     .handler = metrics_show},
    {.method = PUT,
     .pattern = "/api/v1/metrics/{code}/{fy}",
     .roles = ROLES_STAFF,
     .handler = metrics_set_actual},
    {.method = PUT,
     .pattern = "/api/v1/metrics/{code}/{fy}/target",
     .roles = ROLES_STAFF,
     .handler = metrics_set_target},
    {.method = POST,
     .pattern = "/api/v1/seekers/purge",
     .roles = ROLE_ADMIN,
     .handler = purge_seekers},
};

/*
 * Compares pattern and path segment by segment without changing either;
 * records where each {…} segment starts and ends in the path.
 */
static bool
routes_path_matches(const char *pat, const char *path, size_t *starts,
		    size_t *ends, int *nargs)
{
	const char *q = path;

	*nargs = 0;
	for (;;) {
		size_t plen, qlen;

		while (*pat == '/')
			pat++;
		while (*q == '/')
			q++;
		if (*pat == '\0' || *q == '\0')
			return *pat == '\0' && *q == '\0';
		plen = strcspn(pat, "/");
		qlen = strcspn(q, "/");
		if (pat[0] == '{') {
			if (*nargs < HTTP_MAX_ARGS) {
				starts[*nargs] = q - path;
				ends[(*nargs)++] = q - path + qlen;
			}
		} else if (plen != qlen || strncmp(pat, q, plen) != 0)
			return false;
		pat += plen;
		q += qlen;
	}
}

const struct route *
routes_match(int method, char *path, const char **args, bool *path_known)
{
	size_t starts[HTTP_MAX_ARGS], ends[HTTP_MAX_ARGS];
	int nargs;

	*path_known = false;
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
		if (!routes_path_matches(routes[i].pattern, path, starts, ends,
					 &nargs))
			continue;
		*path_known = true;
		if (routes[i].method != method &&
		    !(method == EVHTTP_REQ_HEAD && routes[i].method == GET))
			continue;
		for (int a = 0; a < nargs; a++) {
			path[ends[a]] = '\0';
			args[a] = path + starts[a];
		}
		return &routes[i];
	}
	return NULL;
}

size_t
routes_body_limit(const struct route *route)
{
	return route->max_body != 0 ? route->max_body : REQUEST_BODY_LIMIT;
}

size_t
routes_max_body(void)
{
	size_t max = 0;

	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
		if (routes_body_limit(&routes[i]) > max)
			max = routes_body_limit(&routes[i]);
	return max;
}
