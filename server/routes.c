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

#include <event2/http.h>
#include <string.h>

#define GET    EVHTTP_REQ_GET
#define POST   EVHTTP_REQ_POST
#define PUT    EVHTTP_REQ_PUT
#define PATCH  EVHTTP_REQ_PATCH
#define DELETE EVHTTP_REQ_DELETE

static const struct route routes[] = {
    {GET, "/healthz", 0, health_live},
    {GET, "/readyz", 0, health_ready},
    /* organizers: event types, events, companies, booths, registrations */
    {GET, "/api/v1/event-types", ROLES_ANY, events_types},
    {POST, "/api/v1/events", ROLES_STAFF, events_create},
    {GET, "/api/v1/events", ROLES_ANY, events_list},
    {GET, "/api/v1/events/{id}", ROLES_ANY, events_show},
    {PATCH, "/api/v1/events/{id}", ROLES_STAFF, events_update},
    {POST, "/api/v1/companies", ROLES_STAFF, companies_create},
    {GET, "/api/v1/companies", ROLES_ANY, companies_list},
    {GET, "/api/v1/companies/{id}", ROLES_ANY, companies_show},
    {PATCH, "/api/v1/companies/{id}", ROLES_STAFF, companies_update},
    {POST, "/api/v1/events/{id}/companies", ROLES_STAFF, booths_create},
    {GET, "/api/v1/events/{id}/companies", ROLES_DESK, booths_list},
    {PATCH, "/api/v1/events/{id}/companies/{company_id}", ROLES_STAFF,
     booths_update},
    {POST, "/api/v1/events/{id}/registrations", ROLES_STAFF,
     registrations_create},
    {POST, "/api/v1/events/{id}/registrations/batch", ROLES_STAFF,
     registrations_create_batch},
    {GET, "/api/v1/events/{id}/registrations", ROLES_DESK, registrations_list},
    {GET, "/api/v1/registrations/{id}", ROLES_DESK, registrations_show},
    {POST, "/api/v1/registrations/{id}/cancel", ROLES_STAFF,
     registrations_cancel},
    /* event day: QR codes, check-in, walk-ins, lookup, stats, roster */
    {GET, "/api/v1/registrations/{id}/qr.png", ROLES_DESK, qr_registration_png},
    {GET, "/api/v1/registrations/{id}/qr.svg", ROLES_DESK, qr_registration_svg},
    {GET, "/api/v1/events/{id}/companies/{company_id}/qr.png", ROLES_DESK,
     qr_booth_png},
    {GET, "/api/v1/events/{id}/companies/{company_id}/qr.svg", ROLES_DESK,
     qr_booth_svg},
    {POST, "/api/v1/registrations/{id}/reissue-token", ROLES_STAFF,
     checkin_reissue_registration},
    {POST, "/api/v1/events/{id}/companies/{company_id}/reissue-token",
     ROLES_STAFF, checkin_reissue_booth},
    {POST, "/api/v1/events/{id}/checkins", ROLES_DESK, checkin_scan},
    {POST, "/api/v1/events/{id}/checkins/batch", ROLES_DESK, checkin_batch},
    {POST, "/api/v1/events/{id}/checkins/{checkin_id}/undo", ROLES_DESK,
     checkin_undo},
    {DELETE, "/api/v1/events/{id}/checkins/{checkin_id}", ROLES_DESK,
     checkin_undo},
    {POST, "/api/v1/events/{id}/walkins", ROLES_DESK, checkin_walkin},
    {GET, "/api/v1/events/{id}/lookup", ROLES_DESK, checkin_lookup},
    {GET, "/api/v1/events/{id}/roster", ROLES_DESK, checkin_roster},
    {GET, "/api/v1/events/{id}/stats", ROLES_ANY, stats_show},
    {GET, "/api/v1/events/{id}/stats/stream", ROLES_ANY, stats_stream},
    /* after the event: interviews, metrics, reports, purge */
    {POST, "/api/v1/events/{id}/interviews", ROLES_DESK, interviews_record},
    {GET, "/api/v1/events/{id}/interviews", ROLES_STAFF, interviews_list},
    {PATCH, "/api/v1/interviews/{id}", ROLES_STAFF, interviews_update},
    {POST, "/api/v1/events/{id}/outcomes", ROLES_STAFF,
     interviews_import_outcomes},
    {GET, "/api/v1/events/{id}/report", ROLES_ANY, reports_event},
    {GET, "/api/v1/reports/fiscal-year/{fy}", ROLES_ANY, reports_fiscal_year},
    {GET, "/api/v1/metrics", ROLES_ANY, metrics_list},
    {GET, "/api/v1/metrics/{code}", ROLES_ANY, metrics_show},
    {PUT, "/api/v1/metrics/{code}/{fy}", ROLES_STAFF, metrics_set_actual},
    {PUT, "/api/v1/metrics/{code}/{fy}/target", ROLES_STAFF,
     metrics_set_target},
    {POST, "/api/v1/seekers/purge", ROLE_ADMIN, purge_seekers},
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
