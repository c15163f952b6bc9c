/*
 * Live numbers. Streams are grouped by event in topics. A notification
 * for an event with streams queries its numbers once and pushes them to
 * every stream of the event; notifications that arrive while that query
 * runs are folded into one more query after it. Every keepalive also
 * refreshes each topic, pushing only numbers that changed, so a
 * notification lost while the LISTEN connection was down heals itself.
 *
 * The notifications are sent from here, not from triggers: a NOTIFY
 * inside a check-in's transaction takes a database-wide lock through its
 * commit and so serialised every check-in behind one WAL flush (5 times
 * fewer check-ins a second). Instead, a request that changed an event's
 * numbers marks it, and within STATS_NOTIFY_MS one statement of its own
 * notifies every marked event at once.
 *
 * A stream lives at most the hub's lifetime, then ends with an "end"
 * event and the client reconnects, showing its token again; one opened
 * with an access link ends at the link's expiry if that is sooner. Its
 * owner's token is checked against the database at every keepalive and at once
 * when `jobfaird user revoke` or api_user_update() (the admin page)
 * announces a change (STATS_USERS_CHANGED on
 * the same channel, which also empties the token cache): a revoked
 * user's stream ends within seconds.
 */
#include "stats.h"

#include "api.h"
#include "app.h"
#include "auth.h"
#include "log.h"
#include "pool.h"
#include "request.h"
#include "xmalloc.h"

#include <sys/queue.h>

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#define STATS_KEEPALIVE_SECONDS 15
/* Each stream holds a connection open; past this, new ones get a 503. */
#define STATS_MAX_STREAMS 1000
#define STATS_NOTIFY_MS	  50
#define STATS_MAX_DIRTY	  64

const char stats_sql[] = "SELECT checkin_stats_for(checkin_stats($1), $2)";
/* A stream's first numbers and, opened with a link, its time left. */
static const char stats_stream_sql[] =
    "SELECT checkin_stats_for(checkin_stats($1), $2), access_link_ms_left($3)";
/* A topic's numbers in both views, for the streams of either. */
static const char stats_refresh_sql[] =
    "SELECT s, checkin_stats_for(s, 'desk') FROM checkin_stats($1) AS s";
static const char stats_keepalive[] = ": keepalive\n\n";
/* A stream opened with a bearer token, a browser session or a link. */
static const char stats_verify_sql[] =
    "SELECT token_hash FROM users"
    " WHERE token_hash = ANY (string_to_array($1, ','))"
    " AND revoked_at IS NULL"
    " UNION ALL SELECT s.id_hash FROM sessions s JOIN users u"
    " ON u.id = s.user_id AND u.revoked_at IS NULL"
    " WHERE s.id_hash = ANY (string_to_array($1, ','))"
    " UNION ALL SELECT l.secret_hash FROM access_links l"
    " WHERE l.secret_hash = ANY (string_to_array($1, ','))"
    " AND access_link_usable(l)";
/* A notification needs no durability: skip the wait for the WAL flush. */
static const char stats_notify_sql[] =
    "WITH s AS (SELECT set_config('synchronous_commit', 'off', true))"
    " SELECT count(pg_notify('" STATS_CHANNEL "', e))"
    " FROM s, unnest(string_to_array($1, ',')) AS e";

/* What a stream shows: the columns of stats_refresh_sql. */
enum stats_view {
	STATS_FULL,
	STATS_DESK,
	STATS_NVIEWS,
};

struct stats_stream {
	struct stats_topic *topic;
	struct http_stream *http;
	char token_hash[65]; /* its credential's, to check it is still valid */
	struct event *expire;
	const char *expire_why; /* "lifetime", or "expired" for a link's */
	enum stats_view view;
	TAILQ_ENTRY(stats_stream) entry;
};

/* The streams of one event and the state of its refresh. */
struct stats_topic {
	struct stream_hub *hub;
	char *event_id; /* decimal, as the notification's payload */
	TAILQ_HEAD(, stats_stream) streams;
	bool querying; /* a refresh is in flight */
	bool stale;    /* the numbers moved again since it was sent */
	char *last[STATS_NVIEWS]; /* the numbers last pushed, to skip repeats */
	TAILQ_ENTRY(stats_topic) entry;
};

struct stream_hub {
	struct app *app;
	TAILQ_HEAD(, stats_topic) topics;
	int nstreams;
	int lifetime; /* seconds */
	bool verifying;
	struct event *keepalive;
	struct event *notify;
	char *dirty[STATS_MAX_DIRTY]; /* events to announce, no repeats */
	int ndirty;
};

static void stats_topic_refresh(struct stats_topic *topic);
static void stats_verify(struct stream_hub *hub);

static struct stats_topic *
stats_topic_find(struct stream_hub *hub, const char *event_id)
{
	struct stats_topic *topic;

	TAILQ_FOREACH(topic, &hub->topics, entry)
	if (strcmp(topic->event_id, event_id) == 0)
		return topic;
	return NULL;
}

static struct stats_topic *
stats_topic_get(struct stream_hub *hub, const char *event_id)
{
	struct stats_topic *topic = stats_topic_find(hub, event_id);

	if (topic != NULL)
		return topic;
	topic = xcalloc(1, sizeof *topic);
	topic->hub = hub;
	topic->event_id = xstrdup(event_id);
	TAILQ_INIT(&topic->streams);
	TAILQ_INSERT_TAIL(&hub->topics, topic, entry);
	return topic;
}

static void
stats_topic_free(struct stats_topic *topic)
{
	TAILQ_REMOVE(&topic->hub->topics, topic, entry);
	free(topic->event_id);
	for (int v = 0; v < STATS_NVIEWS; v++)
		free(topic->last[v]);
	free(topic);
}

/* A topic lives while it has streams or its query's callback is due. */
static void
stats_topic_release(struct stats_topic *topic)
{
	if (TAILQ_EMPTY(&topic->streams) && !topic->querying)
		stats_topic_free(topic);
}

/* The numbers as one Server-Sent Event; the caller frees it. */
static char *
stats_event_new(const char *json)
{
	char *event;

	xasprintf(&event, "event: stats\ndata: %s\n\n", json);
	return event;
}

/* The numbers in one view, to the streams of that view, if they moved. */
static void
stats_topic_push(struct stats_topic *topic, enum stats_view view,
		 const char *json)
{
	struct stats_stream *st;
	char *event;

	if (topic->last[view] != NULL && strcmp(topic->last[view], json) == 0)
		return;
	free(topic->last[view]);
	topic->last[view] = xstrdup(json);
	event = stats_event_new(json);
	TAILQ_FOREACH(st, &topic->streams, entry)
	if (st->view == view)
		http_stream_send(st->http, event, strlen(event));
	free(event);
}

static void
stats_refresh_cb(const PGresult *res, const char *error, void *arg)
{
	struct stats_topic *topic = arg;

	topic->querying = false;
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		log_warn("stats of event %s: %s", topic->event_id,
			 res ? PQresultErrorMessage(res) : error);
	else if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		for (int v = 0; v < STATS_NVIEWS; v++)
			stats_topic_push(topic, v, PQgetvalue(res, 0, v));
	if (topic->stale && !TAILQ_EMPTY(&topic->streams)) {
		topic->stale = false;
		stats_topic_refresh(topic);
	}
	stats_topic_release(topic);
}

static void
stats_topic_refresh(struct stats_topic *topic)
{
	const char *params[] = {topic->event_id};

	if (topic->querying) {
		topic->stale = true;
		return;
	}
	if (pool_query(topic->hub->app->pool, POOL_LANE_READ, stats_refresh_sql,
		       1, params, stats_refresh_cb, topic) == POOL_QUEUED)
		topic->querying = true;
	else
		log_warn("stats of event %s: the database is unavailable",
			 topic->event_id);
}

static void
stats_listen_cb(const char *channel, const char *payload, void *arg)
{
	struct stats_topic *topic;

	(void)channel;
	if (strcmp(payload, STATS_USERS_CHANGED) == 0) {
		auth_cache_forget(((struct stream_hub *)arg)->app->auth);
		stats_verify(arg);
	} else if ((topic = stats_topic_find(arg, payload)) != NULL)
		stats_topic_refresh(topic);
}

/* Tells the client why, then ends the stream (it is freed). */
static void
stats_stream_end(struct stats_stream *st, const char *why)
{
	char *event;

	xasprintf(&event, "event: end\ndata: {\"reason\":\"%s\"}\n\n", why);
	http_stream_send(st->http, event, strlen(event));
	free(event);
	http_stream_end(st->http, why);
}

static void
stats_stream_expire_cb(evutil_socket_t fd, short what, void *arg)
{
	struct stats_stream *st = arg;

	(void)fd;
	(void)what;
	stats_stream_end(st, st->expire_why);
}

/* Ends every stream whose owner's token the result does not list. */
static void
stats_verify_cb(const PGresult *res, const char *error, void *arg)
{
	struct stream_hub *hub = arg;
	struct stats_stream **gone, *st;
	struct stats_topic *topic;
	int n = 0;

	hub->verifying = false;
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_warn("stream owners not checked: %s",
			 res ? PQresultErrorMessage(res) : error);
		return;
	}
	gone = xcalloc(hub->nstreams + 1, sizeof *gone);
	TAILQ_FOREACH(topic, &hub->topics, entry)
	TAILQ_FOREACH(st, &topic->streams, entry)
	{
		bool valid = false;

		for (int i = 0; i < PQntuples(res) && !valid; i++)
			valid =
			    strcmp(PQgetvalue(res, i, 0), st->token_hash) == 0;
		if (!valid)
			gone[n++] = st;
	}
	/* Ending a stream may free its topic: end them after the walk. */
	for (int i = 0; i < n; i++)
		stats_stream_end(gone[i], "revoked");
	free(gone);
}

/* One statement checks the tokens of every stream's owner. */
static void
stats_verify(struct stream_hub *hub)
{
	struct stats_topic *topic;
	struct stats_stream *st;
	char *hashes, *p;
	const char *params[1];

	if (hub->verifying || hub->nstreams == 0)
		return;
	p = hashes = xmalloc((size_t)hub->nstreams * 65 + 1);
	*p = '\0';
	TAILQ_FOREACH(topic, &hub->topics, entry)
	TAILQ_FOREACH(st, &topic->streams, entry)
	p += sprintf(p, "%s%s", p == hashes ? "" : ",", st->token_hash);
	params[0] = hashes;
	if (pool_query(hub->app->pool, POOL_LANE_READ, stats_verify_sql, 1,
		       params, stats_verify_cb, hub) == POOL_QUEUED)
		hub->verifying = true;
	free(hashes);
}

static void
stats_keepalive_cb(evutil_socket_t fd, short what, void *arg)
{
	struct stream_hub *hub = arg;
	struct stats_topic *topic;
	struct stats_stream *st;

	(void)fd;
	(void)what;
	TAILQ_FOREACH(topic, &hub->topics, entry)
	{
		TAILQ_FOREACH(st, &topic->streams, entry)
		http_stream_send(st->http, stats_keepalive,
				 sizeof stats_keepalive - 1);
		if (!TAILQ_EMPTY(&topic->streams))
			stats_topic_refresh(topic);
	}
	stats_verify(hub);
}

/* From http.c: the client went away or the server is stopping. */
static void
stats_stream_closed_cb(void *arg)
{
	struct stats_stream *st = arg;
	struct stats_topic *topic = st->topic;

	TAILQ_REMOVE(&topic->streams, st, entry);
	topic->hub->nstreams--;
	event_free(st->expire);
	free(st);
	stats_topic_release(topic);
}

static void
stats_notify_done_cb(const PGresult *res, const char *error, void *arg)
{
	(void)arg;
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		log_warn("live counts not announced: %s",
			 res ? PQresultErrorMessage(res) : error);
}

static void
stats_notify_cb(evutil_socket_t fd, short what, void *arg)
{
	struct stream_hub *hub = arg;
	size_t len = 0;
	char *ids, *p;
	const char *params[1];

	(void)fd;
	(void)what;
	for (int i = 0; i < hub->ndirty; i++)
		len += strlen(hub->dirty[i]) + 1;
	p = ids = xmalloc(len + 1);
	for (int i = 0; i < hub->ndirty; i++) {
		p += sprintf(p, "%s%s", i ? "," : "", hub->dirty[i]);
		free(hub->dirty[i]);
	}
	hub->ndirty = 0;
	params[0] = ids;
	/* A refused query only delays the numbers to the next keepalive. */
	if (pool_query(hub->app->pool, POOL_LANE_DEFAULT, stats_notify_sql, 1,
		       params, stats_notify_done_cb, NULL) != POOL_QUEUED)
		log_warn("live counts not announced: database unavailable");
	free(ids);
}

/*
 * The numbers of an event moved (a committed check-in, walk-in, undo,
 * registration or booth change): tell every server, soon and in a batch.
 */
static void
stats_changed(struct stream_hub *hub, const char *event_id)
{
	struct timeval tv = {0, STATS_NOTIFY_MS * 1000};

	if (hub == NULL)
		return;
	for (int i = 0; i < hub->ndirty; i++)
		if (strcmp(hub->dirty[i], event_id) == 0)
			return;
	if (hub->ndirty == STATS_MAX_DIRTY) {
		event_del(hub->notify);
		stats_notify_cb(-1, 0, hub);
	}
	hub->dirty[hub->ndirty++] = xstrdup(event_id);
	if (!evtimer_pending(hub->notify, NULL))
		evtimer_add(hub->notify, &tv);
}

void
stats_announce(struct http_ctx *ctx, const char *event_id)
{
	stats_changed(ctx->app->streams, event_id);
}

void
stats_announce_revoked(struct http_ctx *ctx, const char *event_id)
{
	(void)event_id;
	stats_changed(ctx->app->streams, STATS_USERS_CHANGED);
}

struct stream_hub *
stats_hub_new(struct app *app, int lifetime)
{
	struct stream_hub *hub = xcalloc(1, sizeof *hub);
	struct timeval tv = {STATS_KEEPALIVE_SECONDS, 0};

	hub->app = app;
	hub->lifetime = lifetime;
	TAILQ_INIT(&hub->topics);
	hub->keepalive =
	    event_new(app->base, -1, EV_PERSIST, stats_keepalive_cb, hub);
	event_add(hub->keepalive, &tv);
	hub->notify = evtimer_new(app->base, stats_notify_cb, hub);
	pool_listen(app->pool, STATS_CHANNEL, stats_listen_cb, hub);
	return hub;
}

/* After the loop: the streams have ended, the pool's callbacks are gone. */
int
stats_hub_clients(const struct stream_hub *hub)
{
	return hub->nstreams;
}

void
stats_hub_free(struct stream_hub *hub)
{
	struct stats_topic *topic;

	if (hub == NULL)
		return;
	while ((topic = TAILQ_FIRST(&hub->topics)) != NULL)
		stats_topic_free(topic);
	event_free(hub->keepalive);
	event_free(hub->notify);
	for (int i = 0; i < hub->ndirty; i++)
		free(hub->dirty[i]);
	free(hub);
}

/* Replies 503 if no stream may open now. */
static bool
stats_full(struct http_ctx *ctx)
{
	if (ctx->app->streams->nstreams < STATS_MAX_STREAMS)
		return false;
	http_reply_error(ctx, 503, "too many live streams; retry later");
	return true;
}

/*
 * When the stream ends: after the hub's lifetime, or when its link
 * expires if that is sooner. Expiry is a time known now, so it gets a
 * timer instead of waiting for the next keepalive's check.
 */
static struct timeval
stats_stream_until(struct stats_stream *st, const PGresult *res)
{
	long long ms;

	st->expire_why = "lifetime";
	if (PQgetisnull(res, 0, 1) ||
	    (ms = strtoll(PQgetvalue(res, 0, 1), NULL, 10)) >=
		st->topic->hub->lifetime * 1000LL)
		return (struct timeval){.tv_sec = st->topic->hub->lifetime};
	st->expire_why = "expired";
	return (struct timeval){.tv_sec = ms / 1000,
				.tv_usec = ms % 1000 * 1000};
}

/* The first numbers are this stream's own, straight from its query. */
static void
stats_stream_done(struct http_ctx *ctx, const PGresult *res)
{
	struct stream_hub *hub = ctx->app->streams;
	struct timeval until;
	struct stats_stream *st;
	char *event;

	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		http_reply_error(ctx, 404, "no such resource");
		return;
	}
	/*
	 * Checked again now: streams opened in a burst all passed the first
	 * check while their queries ran.
	 */
	if (stats_full(ctx))
		return;
	event = stats_event_new(PQgetvalue(res, 0, 0));
	st = xcalloc(1, sizeof *st);
	memcpy(st->token_hash, ctx->credential, sizeof st->token_hash);
	st->expire = evtimer_new(hub->app->base, stats_stream_expire_cb, st);
	st->view =
	    strcmp(request_view(ctx), "full") == 0 ? STATS_FULL : STATS_DESK;
	st->topic = stats_topic_get(hub, ctx->args[0]);
	st->http = http_stream_begin(ctx, "text/event-stream; charset=utf-8",
				     stats_stream_closed_cb, st);
	if (st->http == NULL) {
		stats_topic_release(st->topic);
		event_free(st->expire);
		free(st);
	} else {
		TAILQ_INSERT_TAIL(&st->topic->streams, st, entry);
		hub->nstreams++;
		until = stats_stream_until(st, res);
		evtimer_add(st->expire, &until);
		http_stream_send(st->http, event, strlen(event));
	}
	free(event);
}

void
stats_stream(struct http_ctx *ctx, const cJSON *input)
{
	const char *params[] = {ctx->args[0], request_view(ctx), ctx->link_id};

	(void)input;
	if (stats_full(ctx))
		return;
	api_query(ctx, stats_stream_sql, 3, params, stats_stream_done);
}
