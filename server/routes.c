/*
 * Every route of the API, in one table. A row with an SQL statement is
 * run by request.c; one with a handler computes in C (QR codes, live
 * streams, CSV, the lookup's search keys, health). The field tables only
 * one route reads are here too; the bodies the client also checks are in
 * common/bodies.c.
 */
#include "routes.h"

#include "auth.h"
#include "bodies.h"
#include "health.h"
#include "metrics.h"
#include "proxy.h"
#include "public.h"
#include "pwhash.h"
#include "request.h"
#include "session.h"
#include "users.h"
/* organizers' headers */
#include "companies.h"
#include "imports.h"
#include "registrations.h"
/* event-day headers */
#include "checkin.h"
#include "qr.h"
#include "stats.h"
/* after-the-event headers */
#include "interviews.h"
#include "links.h"
#include "print.h"
#include "report_xlsx.h"
#include "reports.h"
#include "request.h"
#include "vocabulary.h"

#include "vocab.h"

#include <event2/http.h>
#include <string.h>

#define GET    EVHTTP_REQ_GET
#define POST   EVHTTP_REQ_POST
#define PUT    EVHTTP_REQ_PUT
#define PATCH  EVHTTP_REQ_PATCH
#define DELETE EVHTTP_REQ_DELETE

/* A table as a row's body (one JSON object) or query string. */
#define BODY(t)                                                                \
	.body = (t), .nbody = REQUEST_NFIELDS(t), .max_body = REQUEST_BODY_LIMIT
#define FILTERS(t) .filters = (t), .nfilters = REQUEST_NFIELDS(t)

/* The largest id JSON carries exactly. */
#define ROUTES_ID_MAX	  9007199254740991L
#define ROUTES_FIGURE_MAX 10000000L
#define ROUTES_FIGURE(name)                                                    \
	{                                                                      \
		name, INPUT_INT, false, 0, ROUTES_FIGURE_MAX, NULL, NULL, 0    \
	}

/* organizers: events, companies, booths, registrations */
static const struct input_field events_filters[] = {
    {"fiscal_year", INPUT_INT, false, 1989, 2200, NULL, NULL, 0},
    {"type", INPUT_TEXT, false, 0, 50, NULL, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, vocab_accepted[VOCAB_EVENT_STATUS],
     NULL, 0},
    REQUEST_PAGE_FIELDS,
};

static const struct input_field companies_filters[] = {
    {"q", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    REQUEST_PAGE_FIELDS,
};

static const struct input_field booths_filters[] = {
    {"status", INPUT_ENUM, false, 0, 0, vocab_accepted[VOCAB_BOOTH_STATUS],
     NULL, 0},
    REQUEST_PAGE_FIELDS,
};

static const struct input_field registrations_batch_fields[] = {
    {"registrations", INPUT_OBJECT_ROWS, true, 0, 0, NULL, bodies_registration,
     REQUEST_NFIELDS(bodies_registration)},
};

/* The 法人番号 rule of bodies_company, alone, for a form checking as you type.
 */
static const struct input_field companies_check_fields[] = {
    {"corporate_number", INPUT_CORPORATE_NUMBER, true, 0, 0, NULL, NULL, 0},
};

/* A CSV file's, uploaded or downloaded. */
static const char *const csv_encodings[] = {"utf-8", "cp932", NULL};

/* An upload: the body is the CSV file itself. */
static const struct input_field imports_params[] = {
    {"encoding", INPUT_ENUM, false, 0, 0, csv_encodings, NULL, 0},
    {"dry_run", INPUT_INT, false, 0, 1, NULL, NULL, 0},
};

static const struct input_field registrations_filters[] = {
    {"status", INPUT_ENUM, false, 0, 0,
     vocab_accepted[VOCAB_REGISTRATION_STATUS], NULL, 0},
    REQUEST_PAGE_FIELDS,
};

/* paper: 受付票, badges, booth cards, the companies' booklet */
static const char *const print_layouts[] = {"sheet", "page", NULL};
static const char *const print_kinds[] = {"seekers", "companies", NULL};
#define PRINT_IDS_FIELD                                                        \
	{                                                                      \
		"ids", INPUT_TEXT, false, 0, 20000, NULL, NULL, 0              \
	}

static const struct input_field print_slips_params[] = {
    PRINT_IDS_FIELD,
    {"layout", INPUT_ENUM, false, 0, 0, print_layouts, NULL, 0},
};

static const struct input_field print_badges_params[] = {
    PRINT_IDS_FIELD,
    {"kind", INPUT_ENUM, false, 0, 0, print_kinds, NULL, 0},
    {"names", INPUT_BOOL, false, 0, 0, NULL, NULL, 0},
};

/* event day: QR codes, check-in, walk-ins, lookup */
static const struct input_field qr_params[] = {
    {"scale", INPUT_INT, false, 1, QR_SCALE_MAX, NULL, NULL, 0},
};

static const struct input_field checkin_scan_fields[] = {
    {"token", INPUT_TEXT, false, 0, CHECKIN_TOKEN_MAX, NULL, NULL, 0},
    {"registration_id", INPUT_INT, false, 1, ROUTES_ID_MAX, NULL, NULL, 0},
    {"desk", INPUT_TEXT, false, 0, CHECKIN_DESK_MAX, NULL, NULL, 0},
    {"scanned_at", INPUT_TIMESTAMP, false, 0, 0, NULL, NULL, 0},
    {"nonce", INPUT_TEXT, true, 0, CHECKIN_NONCE_MAX, NULL, NULL, 0},
    {"offline", INPUT_BOOL, false, 0, 0, NULL, NULL, 0},
};

static const struct input_field checkin_batch_fields[] = {
    {"scans", INPUT_OBJECT_LIST, true, 0, 0, NULL, checkin_scan_fields,
     REQUEST_NFIELDS(checkin_scan_fields)},
};

/* A walk-in gives the minimum; the rest can be added later. */
static const struct input_field checkin_walkin_fields[] = {
    {"name", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
    {"name_kana", INPUT_KANA, true, 0, 100, NULL, NULL, 0},
    {"categories", INPUT_ENUM_LIST, true, 0, 0, vocab_accepted[VOCAB_CATEGORY],
     NULL, 0},
    {"consent", INPUT_BOOL, true, 0, 0, NULL, NULL, 0},
    {"age", INPUT_INT, false, 15, 120, NULL, NULL, 0},
    {"phone", INPUT_PHONE, false, 0, 0, NULL, NULL, 0},
    {"supporters", INPUT_INT, false, 0, 10, NULL, NULL, 0},
    {"desk", INPUT_TEXT, false, 0, CHECKIN_DESK_MAX, NULL, NULL, 0},
    {"nonce", INPUT_TEXT, true, 0, CHECKIN_NONCE_MAX, NULL, NULL, 0},
};

static const struct input_field checkin_lookup_fields[] = {
    {"q", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
};

/* access links: a projector's dashboard, a booth without an account */
static const struct input_field links_create_fields[] = {
    {"kind", INPUT_ENUM, true, 0, 0, vocab_accepted[VOCAB_LINK_KIND], NULL, 0},
    {"company_id", INPUT_INT, false, 1, ROUTES_ID_MAX, NULL, NULL, 0},
    {"label", INPUT_TEXT, false, 0, 100, NULL, NULL, 0},
    {"expires_at", INPUT_TIMESTAMP, false, 0, 0, NULL, NULL, 0},
};

/* after the event: interviews, reports, metrics, purge */
static const struct input_field interviews_record_fields[] = {
    {"company_id", INPUT_INT, true, 1, ROUTES_ID_MAX, NULL, NULL, 0},
    {"registration_id", INPUT_INT, false, 1, ROUTES_ID_MAX, NULL, NULL, 0},
    {"token", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    {"nonce", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
};

static const struct input_field interviews_update_fields[] = {
    {"outcome", INPUT_ENUM, false, 0, 0, vocab_accepted[VOCAB_OUTCOME], NULL,
     0},
    {"outcome_date", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
};

static const struct input_field interviews_filters[] = {
    {"company_id", INPUT_INT, false, 1, ROUTES_ID_MAX, NULL, NULL, 0},
    {"outcome", INPUT_ENUM, false, 0, 0, vocab_accepted[VOCAB_OUTCOME], NULL,
     0},
    REQUEST_PAGE_FIELDS,
};

/* event day: a booth's queue (migrations/sql/booth_queue.sql) */
static const struct input_field queue_scan_fields[] = {
    {"registration_id", INPUT_INT, false, 1, ROUTES_ID_MAX, NULL, NULL, 0},
    {"token", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    {"nonce", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
};

static const struct input_field queue_nonce_fields[] = {
    {"nonce", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
};

static const char *const reports_formats[] = {"json", "csv", "xlsx", NULL};

static const struct input_field reports_params[] = {
    {"format", INPUT_ENUM, false, 0, 0, reports_formats, NULL, 0},
    {"encoding", INPUT_ENUM, false, 0, 0, csv_encodings, NULL, 0},
};

/*
 * Whether a metric takes one figure ("actual", "target") or two (its
 * figure names: companies and persons, or persons and cases) is data in
 * plan_metrics, so the database checks the figures against the metric;
 * here only their form is checked.
 */
static const struct input_field metrics_actual_fields[] = {
    ROUTES_FIGURE("actual"),
    ROUTES_FIGURE("companies"),
    ROUTES_FIGURE("persons"),
    ROUTES_FIGURE("cases"),
    {"month", INPUT_INT, false, 1, 12, NULL, NULL, 0},
    {"sessions", INPUT_INT, false, 0, 1000, NULL, NULL, 0},
    {"note", INPUT_TEXT, false, 0, 500, NULL, NULL, 0},
};

static const struct input_field metrics_target_fields[] = {
    ROUTES_FIGURE("target"),
    ROUTES_FIGURE("companies"),
    ROUTES_FIGURE("persons"),
    ROUTES_FIGURE("cases"),
};

static const struct input_field purge_fields[] = {
    {"before_fiscal_year", INPUT_INT, true, 1989, 2100, NULL, NULL, 0},
};

/* the back office: sessions, users, the logs */
static const struct input_field session_sign_in_fields[] = {
    {"name", INPUT_TEXT, true, 0, 64, NULL, NULL, 0},
    {"password", INPUT_TEXT, true, 0, PWHASH_MAX_PASSWORD, NULL, NULL, 0},
};

static const struct input_field users_create_fields[] = {
    {"name", INPUT_TEXT, true, 0, 64, NULL, NULL, 0},
    {"role", INPUT_ENUM, true, 0, 0, users_roles, NULL, 0},
    {"password", INPUT_TEXT, true, 0, PWHASH_MAX_PASSWORD, NULL, NULL, 0},
};

static const struct input_field users_update_fields[] = {
    {"role", INPUT_ENUM, false, 0, 0, users_roles, NULL, 0},
    {"password", INPUT_TEXT, false, 0, PWHASH_MAX_PASSWORD, NULL, NULL, 0},
    {"revoked", INPUT_BOOL, false, 0, 0, NULL, NULL, 0},
};

static const struct input_field audit_filters[] = {
    {"user", INPUT_TEXT, false, 0, 64, NULL, NULL, 0},
    {"kind", INPUT_TEXT, false, 0, 50, NULL, NULL, 0},
    {"from", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
    {"to", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
    {"limit", INPUT_INT, false, 1, 500, NULL, NULL, 0},
    {"offset", INPUT_INT, false, 0, 100000000, NULL, NULL, 0},
};

static const char *const scans_results[] = {
    "checked_in",  "already_checked_in", "unknown_token",
    "wrong_event", "cancelled",		 NULL};

static const struct input_field scans_filters[] = {
    {"result", INPUT_ENUM, false, 0, 0, scans_results, NULL, 0},
    {"limit", INPUT_INT, false, 1, 500, NULL, NULL, 0},
    {"offset", INPUT_INT, false, 0, 100000000, NULL, NULL, 0},
};

static const struct input_field purpose_fields[] = {
    {"body", INPUT_TEXT, true, 0, 5000, NULL, NULL, 0},
};

/* The public application forms: pages, open to anyone (public.h). */
#define PUBLIC_PAGE .public = true

static const struct route routes[] = {
    {.method = GET, .path = "/healthz", .handler = health_live},
    /* the public door (申込フォーム): HTML pages, nothing staff-only */
    {.method = GET, .path = "/apply", .handler = public_index, PUBLIC_PAGE},
    {.method = GET,
     .path = "/apply/events/{id}",
     .handler = public_event_page,
     PUBLIC_PAGE},
    {.method = POST,
     .path = "/apply/events/{id}",
     .handler = public_apply,
     .max_body = PUBLIC_BODY_LIMIT,
     PUBLIC_PAGE},
    {.method = GET,
     .path = "/apply/events/{id}/company",
     .handler = public_company_page,
     PUBLIC_PAGE},
    {.method = POST,
     .path = "/apply/events/{id}/company",
     .handler = public_company_apply,
     .max_body = PUBLIC_BODY_LIMIT,
     PUBLIC_PAGE},
    {.method = GET,
     .path = "/apply/events/{id}/company/received",
     .handler = public_company_received,
     PUBLIC_PAGE},
    {.method = GET,
     .path = "/apply/receipt/{secret}",
     .handler = public_receipt_page,
     PUBLIC_PAGE},
    {.method = GET,
     .path = "/apply/receipt/{secret}/qr.png",
     .handler = public_receipt_qr,
     PUBLIC_PAGE},
    {.method = GET,
     .path = "/apply/receipt/{secret}/slip.pdf",
     .handler = public_receipt_slip,
     PUBLIC_PAGE},
    {.method = GET,
     .path = "/apply/cancel/{secret}",
     .handler = public_cancel_page,
     PUBLIC_PAGE},
    {.method = POST,
     .path = "/apply/cancel/{secret}",
     .handler = public_cancel,
     .max_body = PUBLIC_BODY_LIMIT,
     PUBLIC_PAGE},
    {.method = GET,
     .path = "/readyz",
     .handler = health_ready,
     .primary = true},
    {.method = GET,
     .path = "/metrics",
     .roles = ROLE_ADMIN,
     .local = true,
     .handler = metrics_serve,
     .no_query = true},
    /* the back office: signing in, users, the audit and scan logs */
    {.method = POST,
     .path = "/api/v1/session",
     .handler = session_sign_in,
     BODY(session_sign_in_fields)},
    {.method = GET,
     .path = "/api/v1/session",
     .roles = ROLES_ANY,
     .handler = session_show,
     .no_query = true},
    {.method = DELETE,
     .path = "/api/v1/session",
     .roles = ROLES_ANY,
     .handler = session_sign_out},
    {.method = GET,
     .path = "/api/v1/users",
     .roles = ROLE_ADMIN,
     .sql = "SELECT api_users_list()",
     .no_query = true},
    {.method = POST,
     .path = "/api/v1/users",
     .roles = ROLE_ADMIN,
     .handler = users_create,
     BODY(users_create_fields),
     .check = users_password_check},
    {.method = PATCH,
     .path = "/api/v1/users/{id}",
     .roles = ROLE_ADMIN,
     .handler = users_update,
     BODY(users_update_fields),
     .check = users_password_check},
    {.method = GET,
     .path = "/api/v1/mail",
     .roles = ROLE_ADMIN,
     .sql = "SELECT api_mail_status()",
     .primary = true,
     .no_query = true},
    {.method = GET,
     .path = "/api/v1/audit",
     .roles = ROLE_ADMIN,
     .sql = "SELECT api_audit_list($1::jsonb)",
     FILTERS(audit_filters)},
    {.method = GET,
     .path = "/api/v1/audit.csv",
     .roles = ROLE_ADMIN,
     .handler = users_audit_csv,
     FILTERS(audit_filters)},
    {.method = GET,
     .path = "/api/v1/events/{id}/scans",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_scans_list($1, $2::jsonb)",
     FILTERS(scans_filters)},
    {.method = GET,
     .path = "/api/v1/vocabulary",
     .roles = ROLES_ANY,
     .handler = vocabulary_get,
     .no_query = true},
    /* organizers: event types, events, companies, booths, registrations */
    {.method = GET,
     .path = "/api/v1/event-types",
     .roles = ROLES_ANY,
     .sql = "SELECT api_event_types()",
     .no_query = true},
    /* 利用目的: the newest of each type; an edit is a new version */
    {.method = GET,
     .path = "/api/v1/purpose-statements",
     .roles = ROLES_ANY,
     .sql = "SELECT api_purpose_list()",
     .no_query = true},
    {.method = PUT,
     .path = "/api/v1/event-types/{code}/purpose",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_purpose_set($1, $2, $3::jsonb)",
     .params = ROUTE_USER,
     BODY(purpose_fields)},
    {.method = POST,
     .path = "/api/v1/events",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_event_create($1, $2::jsonb)",
     .params = ROUTE_USER,
     BODY(bodies_event),
     .status = 201},
    {.method = GET,
     .path = "/api/v1/events",
     .roles = ROLES_ANY,
     .sql = "SELECT api_events_list($1::jsonb)",
     FILTERS(events_filters)},
    {.method = GET,
     .path = "/api/v1/events/{id}",
     .roles = ROLES_ANY,
     .sql = "SELECT event_json(e) FROM events e WHERE e.id = $1"},
    {.method = PATCH,
     .path = "/api/v1/events/{id}",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_event_update($1, $2, $3::jsonb)",
     .params = ROUTE_USER,
     BODY(bodies_event)},
    {.method = POST,
     .path = "/api/v1/companies",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_company_create($1, $2::jsonb)",
     .params = ROUTE_USER,
     BODY(bodies_company),
     .status = 201},
    {.method = GET,
     .path = "/api/v1/companies",
     .roles = ROLES_ANY,
     .sql = "SELECT api_companies_list($1::jsonb)",
     FILTERS(companies_filters),
     .check = companies_search_key},
    /* The normalised number and the company that already has it, if any. */
    {.method = GET,
     .path = "/api/v1/companies/check",
     .roles = ROLES_STAFF,
     .sql = "SELECT json_build_object('corporate_number', n, 'company', "
	    "(SELECT company_json(c) FROM companies c "
	    "WHERE c.corporate_number = n)) "
	    "FROM (SELECT $1::jsonb ->> 'corporate_number' AS n) AS q",
     FILTERS(companies_check_fields)},
    {.method = POST,
     .path = "/api/v1/companies/import",
     .roles = ROLES_STAFF,
     .handler = imports_companies,
     FILTERS(imports_params),
     .max_body = IMPORTS_BODY_LIMIT},
    {.method = GET,
     .path = "/api/v1/companies/{id}",
     .roles = ROLES_ANY,
     .sql = "SELECT company_json(c) FROM companies c WHERE c.id = $1"},
    {.method = PATCH,
     .path = "/api/v1/companies/{id}",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_company_update($1, $2, $3::jsonb)",
     .params = ROUTE_USER,
     BODY(bodies_company)},
    {.method = POST,
     .path = "/api/v1/events/{id}/companies",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_booth_create($1, $2, $3, $4::jsonb)",
     .params = ROUTE_USER | ROUTE_TOKEN,
     BODY(bodies_booth),
     .status = 201,
     .after = stats_announce},
    {.method = GET,
     .path = "/api/v1/events/{id}/companies",
     .roles = ROLES_DESK,
     .sql = "SELECT api_booths_list($1, $2::jsonb)",
     FILTERS(booths_filters)},
    /* What a company sent on the public form, for confirming its booth. */
    {.method = GET,
     .path = "/api/v1/events/{id}/companies/{company_id}/applications",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_booth_applications($1, $2)"},
    /* The company is in the path: the body skips bodies_booth's first. */
    {.method = PATCH,
     .path = "/api/v1/events/{id}/companies/{company_id}",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_booth_update($1, $2, $3, $4::jsonb)",
     .params = ROUTE_USER,
     .body = bodies_booth + 1,
     .nbody = BODIES_BOOTH_NFIELDS - 1,
     .max_body = REQUEST_BODY_LIMIT,
     .after = stats_announce},
    {.method = POST,
     .path = "/api/v1/events/{id}/registrations",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_registration_create($1, $2, $3, $4::jsonb)",
     .params = ROUTE_USER | ROUTE_TOKEN,
     BODY(bodies_registration),
     .status = 201,
     .after = stats_announce},
    {.method = POST,
     .path = "/api/v1/events/{id}/registrations/batch",
     .roles = ROLES_STAFF,
     .handler = registrations_create_batch,
     .body = registrations_batch_fields,
     .nbody = REQUEST_NFIELDS(registrations_batch_fields),
     .max_body = REGISTRATIONS_BATCH_BODY_LIMIT,
     .after = stats_announce},
    {.method = POST,
     .path = "/api/v1/events/{id}/registrations/import",
     .roles = ROLES_STAFF,
     .handler = imports_registrations,
     FILTERS(imports_params),
     .max_body = IMPORTS_BODY_LIMIT},
    {.method = GET,
     .path = "/api/v1/events/{id}/registrations",
     .roles = ROLES_DESK,
     .sql = "SELECT api_registrations_list($1, $2, $3, $4::jsonb)",
     .params = ROUTE_USER | ROUTE_VIEW,
     FILTERS(registrations_filters)},
    {.method = GET,
     .path = "/api/v1/registrations/{id}",
     .roles = ROLES_DESK,
     .sql = "SELECT api_registration_get($1, $2, $3)",
     .params = ROUTE_USER | ROUTE_VIEW},
    /* The event is the answer's second column: the path names the other. */
    {.method = POST,
     .path = "/api/v1/registrations/{id}/cancel",
     .roles = ROLES_STAFF,
     .sql = "SELECT r, r->>'event_id' FROM api_registration_cancel($1, $2) "
	    "AS r",
     .params = ROUTE_USER,
     .after = stats_announce},
    /* event day: QR codes, check-in, walk-ins, lookup, stats, roster */
    {.method = GET,
     .path = "/api/v1/registrations/{id}/qr.png",
     .roles = ROLES_DESK,
     .handler = qr_registration_png,
     FILTERS(qr_params)},
    {.method = GET,
     .path = "/api/v1/registrations/{id}/qr.svg",
     .roles = ROLES_DESK,
     .handler = qr_registration_svg,
     FILTERS(qr_params)},
    {.method = GET,
     .path = "/api/v1/events/{id}/companies/{company_id}/qr.png",
     .roles = ROLES_DESK,
     .handler = qr_booth_png,
     FILTERS(qr_params)},
    {.method = GET,
     .path = "/api/v1/events/{id}/companies/{company_id}/qr.svg",
     .roles = ROLES_DESK,
     .handler = qr_booth_svg,
     FILTERS(qr_params)},
    {.method = POST,
     .path = "/api/v1/registrations/{id}/reissue-token",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_reissue_registration_token($1, $2, $3)",
     .params = ROUTE_USER | ROUTE_TOKEN},
    {.method = POST,
     .path = "/api/v1/events/{id}/companies/{company_id}/reissue-token",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_reissue_booth_token($1, $2, $3, $4)",
     .params = ROUTE_USER | ROUTE_TOKEN},
    {.method = POST,
     .path = "/api/v1/events/{id}/checkins",
     .roles = ROLES_DESK,
     .sql = CHECKIN_SQL,
     .params = ROUTE_USER,
     BODY(checkin_scan_fields),
     .check = checkin_scan_check,
     .after = stats_announce,
     .lane = POOL_LANE_EVENTDAY,
     .counts_checkins = true},
    {.method = POST,
     .path = "/api/v1/events/{id}/checkins/batch",
     .roles = ROLES_DESK,
     .sql = "SELECT api_checkin_batch($1, $2, $3::jsonb)",
     .params = ROUTE_USER,
     .body = checkin_batch_fields,
     .nbody = REQUEST_NFIELDS(checkin_batch_fields),
     .max_body = CHECKIN_BATCH_BODY_LIMIT,
     .check = checkin_batch_check,
     .after = stats_announce,
     .lane = POOL_LANE_EVENTDAY,
     .counts_checkins = true},
    {.method = POST,
     .path = "/api/v1/events/{id}/checkins/{checkin_id}/undo",
     .roles = ROLES_DESK,
     .sql = "SELECT api_checkin_undo($1, $2, $3)",
     .params = ROUTE_USER,
     .after = stats_announce,
     .lane = POOL_LANE_EVENTDAY},
    {.method = DELETE,
     .path = "/api/v1/events/{id}/checkins/{checkin_id}",
     .roles = ROLES_DESK,
     .sql = "SELECT api_checkin_undo($1, $2, $3)",
     .params = ROUTE_USER,
     .after = stats_announce,
     .lane = POOL_LANE_EVENTDAY},
    {.method = POST,
     .path = "/api/v1/events/{id}/walkins",
     .roles = ROLES_DESK,
     .sql = "SELECT api_walkin($1, $2, $3, $4, $5::jsonb)",
     .params = ROUTE_USER | ROUTE_TOKEN | ROUTE_VIEW,
     BODY(checkin_walkin_fields),
     .check = checkin_walkin_check,
     .status = 201,
     .after = stats_announce,
     .lane = POOL_LANE_EVENTDAY},
    {.method = GET,
     .path = "/api/v1/events/{id}/lookup",
     .roles = ROLES_DESK,
     .handler = checkin_lookup,
     FILTERS(checkin_lookup_fields)},
    {.method = GET,
     .path = "/api/v1/events/{id}/roster",
     .roles = ROLES_DESK,
     .sql = "SELECT api_roster($1, $2)",
     .params = ROUTE_USER},
    /* Aggregates only: a dashboard link may read them (links.h). */
    {.method = GET,
     .path = "/api/v1/events/{id}/stats",
     .roles = ROLES_ANY | ROLE_LINK_DASHBOARD,
     .sql = stats_sql,
     .params = ROUTE_VIEW},
    {.method = GET,
     .path = "/api/v1/events/{id}/stats/stream",
     .roles = ROLES_ANY | ROLE_LINK_DASHBOARD,
     .handler = stats_stream},
    /* a booth's queue: scan to join, 次へ, 面談済み, 不在; staff or the
       booth's access link (links.h) */
    {.method = GET,
     .path = "/api/v1/events/{id}/companies/{company_id}/queue",
     .roles = ROLES_DESK | ROLE_LINK_BOOTH,
     .sql = "SELECT api_queue_get($1, $2, $3, $4)",
     .params = ROUTE_USER | ROUTE_LINK,
     .no_query = true,
     .lane = POOL_LANE_EVENTDAY},
    {.method = POST,
     .path = "/api/v1/events/{id}/companies/{company_id}/queue",
     .roles = ROLES_DESK | ROLE_LINK_BOOTH,
     .sql = "SELECT api_queue_enqueue($1, $2, $3, $4, $5::jsonb)",
     .params = ROUTE_USER | ROUTE_LINK,
     BODY(queue_scan_fields),
     .check = interviews_seeker_check,
     .after = stats_announce,
     .lane = POOL_LANE_EVENTDAY},
    {.method = POST,
     .path = "/api/v1/events/{id}/companies/{company_id}/queue/next",
     .roles = ROLES_DESK | ROLE_LINK_BOOTH,
     .sql = "SELECT api_queue_call($1, $2, $3, $4, $5::jsonb)",
     .params = ROUTE_USER | ROUTE_LINK,
     BODY(queue_nonce_fields),
     .check = interviews_nonce_check,
     .after = stats_announce,
     .lane = POOL_LANE_EVENTDAY},
    {.method = POST,
     .path = "/api/v1/events/{id}/companies/{company_id}/queue/{entry_id}/done",
     .roles = ROLES_DESK | ROLE_LINK_BOOTH,
     .sql = "SELECT api_queue_finish($1, $2, $3, $4, $5, 'done', "
	    "$6::jsonb)",
     .params = ROUTE_USER | ROUTE_LINK,
     BODY(queue_nonce_fields),
     .check = interviews_nonce_check,
     .after = stats_announce,
     .lane = POOL_LANE_EVENTDAY},
    {.method = POST,
     .path =
	 "/api/v1/events/{id}/companies/{company_id}/queue/{entry_id}/absent",
     .roles = ROLES_DESK | ROLE_LINK_BOOTH,
     .sql = "SELECT api_queue_finish($1, $2, $3, $4, $5, 'absent', "
	    "$6::jsonb)",
     .params = ROUTE_USER | ROUTE_LINK,
     BODY(queue_nonce_fields),
     .check = interviews_nonce_check,
     .after = stats_announce,
     .lane = POOL_LANE_EVENTDAY},
    /* access links (links.c) */
    {.method = POST,
     .path = "/api/v1/events/{id}/links",
     .roles = ROLES_STAFF,
     .handler = links_create,
     BODY(links_create_fields)},
    {.method = GET,
     .path = "/api/v1/events/{id}/links",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_links_list($1)",
     .no_query = true},
    {.method = POST,
     .path = "/api/v1/events/{id}/links/{link_id}/revoke",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_link_revoke($1, $2, $3)",
     .params = ROUTE_USER,
     .after = stats_announce_revoked},
    {.method = GET,
     .path = "/api/v1/link",
     .roles = ROLES_LINK,
     .sql = "SELECT api_link_show($1)",
     .params = ROUTE_LINK},
    /* paper (print.c): names are on all of them but the booklet's */
    {.method = GET,
     .path = "/api/v1/events/{id}/print/slips.pdf",
     .roles = ROLES_DESK,
     .handler = print_slips,
     FILTERS(print_slips_params),
     .check = print_ids_check},
    {.method = GET,
     .path = "/api/v1/events/{id}/print/badges.pdf",
     .roles = ROLES_DESK,
     .handler = print_badges,
     FILTERS(print_badges_params),
     .check = print_ids_check},
    {.method = GET,
     .path = "/api/v1/events/{id}/print/booths.pdf",
     .roles = ROLES_DESK,
     .handler = print_booths,
     .no_query = true},
    {.method = GET,
     .path = "/api/v1/events/{id}/print/companies.pdf",
     .roles = ROLES_DESK,
     .handler = print_companies,
     .no_query = true},
    /* the organizers' lists as .xlsx (report_xlsx.c) */
    {.method = GET,
     .path = "/api/v1/events/{id}/registrations.xlsx",
     .roles = ROLES_STAFF,
     .handler = report_xlsx_registrations,
     .no_query = true},
    {.method = GET,
     .path = "/api/v1/events/{id}/companies.xlsx",
     .roles = ROLES_STAFF,
     .handler = report_xlsx_companies,
     .no_query = true},
    /* after the event: interviews, metrics, reports, purge */
    {.method = POST,
     .path = "/api/v1/events/{id}/interviews",
     .roles = ROLES_DESK,
     .sql = "SELECT status, answer FROM api_interview_record($1, $2, "
	    "$3::jsonb)",
     .params = ROUTE_USER,
     BODY(interviews_record_fields),
     .check = interviews_record_check,
     .shape = ROUTE_STATUS_JSON,
     .lane = POOL_LANE_EVENTDAY},
    {.method = GET,
     .path = "/api/v1/events/{id}/interviews",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_interviews_list($1, $2, $3::jsonb)",
     .params = ROUTE_USER,
     FILTERS(interviews_filters)},
    {.method = PATCH,
     .path = "/api/v1/interviews/{id}",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_interview_update($1, $2, $3::jsonb)",
     .params = ROUTE_USER,
     BODY(interviews_update_fields)},
    {.method = POST,
     .path = "/api/v1/events/{id}/outcomes",
     .roles = ROLES_STAFF,
     .handler = interviews_import_outcomes,
     .max_body = INTERVIEWS_IMPORT_LIMIT},
    {.method = GET,
     .path = "/api/v1/events/{id}/report",
     .roles = ROLES_ANY,
     .handler = reports_event,
     FILTERS(reports_params)},
    {.method = GET,
     .path = "/api/v1/reports/fiscal-year/{fy}",
     .roles = ROLES_ANY,
     .handler = reports_fiscal_year,
     FILTERS(reports_params)},
    {.method = GET,
     .path = "/api/v1/metrics",
     .roles = ROLES_ANY,
     .sql = "SELECT json_build_object('items', json_agg(plan_metric_json(m) "
	    "ORDER BY m.sort_order), 'next', NULL) FROM plan_metrics m"},
    {.method = GET,
     .path = "/api/v1/metrics/{code}",
     .roles = ROLES_ANY,
     .sql = "SELECT report_metric($1)"},
    {.method = PUT,
     .path = "/api/v1/metrics/{code}/{fy}",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_metric_set_actual($1, $2, $3, $4::jsonb)",
     .params = ROUTE_USER,
     BODY(metrics_actual_fields)},
    {.method = PUT,
     .path = "/api/v1/metrics/{code}/{fy}/target",
     .roles = ROLES_STAFF,
     .sql = "SELECT api_metric_set_target($1, $2, $3, $4::jsonb)",
     .params = ROUTE_USER,
     BODY(metrics_target_fields)},
    /* What is removed and what is kept is decided in api_seekers_purge(). */
    {.method = POST,
     .path = "/api/v1/seekers/purge",
     .roles = ROLE_ADMIN,
     .sql = "SELECT api_seekers_purge($1, "
	    "($2::jsonb ->> 'before_fiscal_year')::int)",
     .params = ROUTE_USER,
     BODY(purge_fields)},
};

const struct route *
routes_table(size_t *n)
{
	*n = sizeof routes / sizeof *routes;
	return routes;
}

static void
routes_run(struct http_ctx *ctx)
{
	const struct route *r = ctx->route;
	cJSON *input;

	if (!request_path_ok(ctx) || request_input(ctx, &input) != 0)
		return;
	if (r->handler != NULL)
		r->handler(ctx, input);
	else
		request_execute(ctx, input);
	cJSON_Delete(input);
}

void
routes_serve(struct http_ctx *ctx)
{
	if (ctx->route->roles == 0 ||
	    (ctx->route->local && proxies_client_local(ctx)))
		routes_run(ctx);
	else if (links_wanted(ctx))
		links_begin(ctx);
	else if (session_wanted(ctx))
		session_begin(ctx);
	else
		auth_begin(ctx);
}

void
routes_dispatch(struct http_ctx *ctx)
{
	if (ctx->route->roles != 0 && (ctx->route->roles & ctx->role) == 0) {
		http_reply_error(ctx, 403,
				 "your role may not use this operation");
		return;
	}
	if (links_scope_ok(ctx))
		routes_run(ctx);
}

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
		if (!routes_path_matches(routes[i].path, path, starts, ends,
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
