/*
 * The counters live in the loop's thread only, so they need no locks;
 * a scrape formats them into one buffer. Request counters are keyed by
 * route row (a pointer into the table), not by path, so a client cannot
 * grow them with made-up URLs.
 */
#include "metrics.h"

#include "app.h"
#include "mail.h"
#include "pool.h"
#include "replica.h"
#include "routes.h"
#include "stats.h"
#include "xmalloc.h"

#include <event2/buffer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define METRICS_SLOTS 1024 /* routes × statuses stay far below */

static const double metrics_buckets[] = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof metrics_buckets / sizeof *metrics_buckets)

/* What api_checkin() answers; anything else is counted as "other". */
static const char *const metrics_results[] = {
    "checked_in",  "already_checked_in", "unknown_token",
    "wrong_event", "cancelled",		 "other",
};
#define NRESULTS (sizeof metrics_results / sizeof *metrics_results)

struct metrics_slot {
	const struct route *route;
	int method;
	int status; /* 0: the slot is free */
	unsigned long n;
};

struct metrics {
	struct metrics_slot slots[METRICS_SLOTS];
	unsigned long dropped; /* requests no free slot could count */
	unsigned long buckets[NBUCKETS + 1];
	double seconds;
	unsigned long requests;
	unsigned long results[NRESULTS];
};

struct metrics *
metrics_new(void)
{
	return xcalloc(1, sizeof(struct metrics));
}

void
metrics_free(struct metrics *m)
{
	free(m);
}

void
metrics_request(struct metrics *m, const struct route *route, int method,
		int status, double seconds)
{
	size_t h =
	    ((uintptr_t)route >> 4) * 31 + (size_t)method * 7 + (size_t)status;
	size_t b = 0;

	for (size_t i = 0; i < METRICS_SLOTS; i++) {
		struct metrics_slot *s = &m->slots[(h + i) % METRICS_SLOTS];

		if (s->status == 0)
			*s = (struct metrics_slot){route, method, status, 0};
		if (s->route == route && s->method == method &&
		    s->status == status) {
			s->n++;
			goto timed;
		}
	}
	m->dropped++;
timed:
	while (b < NBUCKETS && seconds > metrics_buckets[b])
		b++;
	m->buckets[b]++;
	m->seconds += seconds;
	m->requests++;
}

void
metrics_checkin_results(struct metrics *m, const char *json)
{
	static const char key[] = "\"result\": \"";
	const char *p = json;

	while ((p = strstr(p, key)) != NULL) {
		size_t len, i;

		p += sizeof key - 1;
		len = strcspn(p, "\"");
		for (i = 0; i < NRESULTS - 1; i++)
			if (strlen(metrics_results[i]) == len &&
			    strncmp(metrics_results[i], p, len) == 0)
				break;
		m->results[i]++;
		p += len;
	}
}

static void
metrics_gauge(struct evbuffer *b, const char *name, const char *help,
	      const char *type, double value)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name,
			    help, name, type, name, value);
}

void
metrics_serve(struct http_ctx *ctx, const cJSON *input)
{
	struct metrics *m = ctx->app->metrics;
	struct evbuffer *b = evbuffer_new();
	struct pool_stats ps;
	struct mail_stats ms;
	unsigned long cumulative = 0;
	size_t len;

	(void)input;
	evbuffer_add_printf(
	    b, "# HELP jobfair_http_requests_total Requests answered, by "
	       "route and status.\n"
	       "# TYPE jobfair_http_requests_total counter\n");
	for (size_t i = 0; i < METRICS_SLOTS; i++) {
		const struct metrics_slot *s = &m->slots[i];

		if (s->status != 0)
			evbuffer_add_printf(
			    b,
			    "jobfair_http_requests_total{method=\"%s\","
			    "route=\"%s\",status=\"%d\"} %lu\n",
			    http_method_name(s->method),
			    s->route ? s->route->path : "none", s->status,
			    s->n);
	}
	evbuffer_add_printf(
	    b, "# HELP jobfair_http_request_duration_seconds Time from the "
	       "request's arrival to its answer.\n"
	       "# TYPE jobfair_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= NBUCKETS; i++) {
		cumulative += m->buckets[i];
		if (i < NBUCKETS)
			evbuffer_add_printf(
			    b,
			    "jobfair_http_request_duration_seconds_bucket{le="
			    "\"%g\"} %lu\n",
			    metrics_buckets[i], cumulative);
	}
	evbuffer_add_printf(
	    b,
	    "jobfair_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n"
	    "jobfair_http_request_duration_seconds_sum %.6f\n"
	    "jobfair_http_request_duration_seconds_count %lu\n",
	    cumulative, m->seconds, m->requests);
	metrics_gauge(b, "jobfair_http_requests_uncounted_total",
		      "Requests past the route and status table's size.",
		      "counter", (double)m->dropped);
	pool_get_stats(ctx->app->pool, &ps);
	metrics_gauge(b, "jobfair_db_pool_size", "Database connections.",
		      "gauge", ps.size);
	metrics_gauge(b, "jobfair_db_pool_healthy", "Connections usable now.",
		      "gauge", ps.healthy);
	metrics_gauge(b, "jobfair_db_pool_in_use",
		      "Connections running a query.", "gauge", ps.busy);
	metrics_gauge(b, "jobfair_db_pool_queue_depth",
		      "Queries waiting for a connection.", "gauge", ps.queued);
	metrics_gauge(b, "jobfair_db_reconnects_total",
		      "Attempts to reconnect a lost database connection.",
		      "counter", (double)ps.reconnects);
	metrics_gauge(b, "jobfair_replica_lag_seconds",
		      "The read replica's replay lag; -1: no replica, or it "
		      "does not answer.",
		      "gauge", replica_lag(ctx->app->replica));
	metrics_gauge(b, "jobfair_sse_clients", "Live streams open.", "gauge",
		      stats_hub_clients(ctx->app->streams));
	mail_get_stats(ctx->app->mail, &ms);
	metrics_gauge(b, "jobfair_mail_queued",
		      "Mails waiting in the outbox (all servers); -1: not "
		      "counted yet.",
		      "gauge", (double)ms.queued);
	metrics_gauge(b, "jobfair_mail_sent_total",
		      "Mails the relay took from this process.", "counter",
		      (double)ms.sent);
	metrics_gauge(b, "jobfair_mail_failed_total",
		      "Mails this process gave up on.", "counter",
		      (double)ms.failed);
	metrics_gauge(b, "jobfair_mail_errors_total",
		      "Attempts the relay did not take (tried again later).",
		      "counter", (double)ms.errors);
	evbuffer_add_printf(
	    b, "# HELP jobfair_checkins_total Check-in scans, by result.\n"
	       "# TYPE jobfair_checkins_total counter\n");
	for (size_t i = 0; i < NRESULTS; i++)
		evbuffer_add_printf(b,
				    "jobfair_checkins_total{result=\"%s\"} "
				    "%lu\n",
				    metrics_results[i], m->results[i]);
	len = evbuffer_get_length(b);
	http_reply_body(ctx, 200, "text/plain; version=0.0.4; charset=utf-8",
			evbuffer_pullup(b, -1), len);
	evbuffer_free(b);
}
