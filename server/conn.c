/*
 * Connection deadlines. We create each connection's bufferevent (through
 * evhttp_set_bevcb) and keep a reference to it, so that it outlives
 * evhttp's use of it; evhttp clears its callbacks when it lets go, which
 * is how a sweep once a second knows to drop it. A connection past its
 * deadline has its socket shut down: evhttp then sees end-of-file and
 * cleans up through its own path.
 */
#include "deadline.h"

#include "xmalloc.h"

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct guard {
	struct bufferevent *bev;
	time_t since; /* waiting since; 0 while serving */
	bool cut;
	struct guard *next;
};

struct deadline {
	struct event_base *base;
	struct event *sweep;
	int seconds;
	struct guard *guards;
};

static time_t
deadline_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static struct bufferevent *
deadline_bev_cb(struct event_base *base, void *arg)
{
	struct deadline *d = arg;
	struct guard *g = xcalloc(1, sizeof *g);

	g->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_incref(g->bev);
	g->since = deadline_now();
	g->next = d->guards;
	d->guards = g;
	return g->bev;
}

static bool
deadline_released(struct bufferevent *bev)
{
	bufferevent_event_cb errorcb = NULL;

	bufferevent_getcb(bev, NULL, NULL, &errorcb, NULL);
	return errorcb == NULL && bufferevent_getfd(bev) >= 0;
}

static void
deadline_sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct deadline *d = arg;
	struct guard **gp = &d->guards;
	time_t now = deadline_now();

	(void)fd;
	(void)what;
	while (*gp != NULL) {
		struct guard *g = *gp;

		if (deadline_released(g->bev)) {
			*gp = g->next;
			bufferevent_decref(g->bev);
			free(g);
			continue;
		}
		if (!g->cut && g->since != 0 && now - g->since > d->seconds &&
		    bufferevent_getfd(g->bev) >= 0) {
			shutdown(bufferevent_getfd(g->bev), SHUT_RDWR);
			g->cut = true;
		}
		gp = &g->next;
	}
}

struct deadline *
deadline_new(struct event_base *base, struct evhttp *http, int seconds)
{
	struct deadline *d = xcalloc(1, sizeof *d);
	struct timeval tv = {1, 0};

	d->base = base;
	d->seconds = seconds;
	d->sweep = event_new(base, -1, EV_PERSIST, deadline_sweep_cb, d);
	event_add(d->sweep, &tv);
	evhttp_set_bevcb(http, deadline_bev_cb, d);
	return d;
}

void
deadline_free(struct deadline *d)
{
	struct guard *g, *next;

	if (d == NULL)
		return;
	for (g = d->guards; g != NULL; g = next) {
		next = g->next;
		bufferevent_decref(g->bev);
		free(g);
	}
	event_free(d->sweep);
	free(d);
}

static struct guard *
deadline_find(struct deadline *d, struct evhttp_request *req)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	struct bufferevent *bev;

	if (conn == NULL)
		return NULL;
	bev = evhttp_connection_get_bufferevent(conn);
	for (struct guard *g = d->guards; g != NULL; g = g->next)
		if (g->bev == bev)
			return g;
	return NULL;
}

void
deadline_serving(struct deadline *d, struct evhttp_request *req)
{
	struct guard *g = deadline_find(d, req);

	if (g != NULL)
		g->since = 0;
}

void
deadline_waiting(struct deadline *d, struct evhttp_request *req)
{
	struct guard *g = deadline_find(d, req);

	if (g != NULL)
		g->since = deadline_now();
}
