/*
 * Per-connection guards (see conn.h). We create each connection's
 * bufferevent (through evhttp_set_bevcb) and keep a reference to it, so
 * that it outlives evhttp's use of it; evhttp clears its callbacks when it
 * lets go, which is how a sweep once a second knows to drop it. A
 * connection past its deadline has its socket shut down: evhttp then sees
 * end-of-file and cleans up through its own path.
 *
 * Callbacks on the bufferevent's two buffers watch the bytes: on input
 * they run before evhttp parses what arrived, on output after evhttp has
 * queued a reply and before it is written to the socket.
 */
#include "conn.h"

#include "xmalloc.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* The first allocation for a header block; it doubles as needed. */
#define CONN_HEAD_FIRST 1024

/* Where the connection is in its current request. */
enum conn_phase {
	PHASE_HEAD, /* reading a request line and headers from the start */
	PHASE_BODY, /* headers judged; the rest is evhttp's */
	PHASE_SKIP, /* the request began before we could watch it */
};

struct guard {
	struct conns *conns;
	struct bufferevent *bev;
	struct evbuffer_cb_entry *in_cb, *out_cb;
	time_t since; /* waiting since; 0 while serving */
	bool cut;
	enum conn_phase phase;
	char *head; /* the header block so far, in PHASE_HEAD */
	size_t headlen, headcap;
	size_t line_len; /* of the request line; 0 until it ends */
	int refuse;	 /* a status judged from the headers, or 0 */
	const char *refuse_message;
	size_t reserved; /* body bytes counted against the budget */
	size_t out;	 /* bytes queued for the client */
	bool rewriting, sndbuf_set;
	struct guard *next;
};

struct conns {
	struct event_base *base;
	struct event *sweep;
	struct conn_limits limits;
	struct conn_ops ops;
	size_t body_total, out_total;
	struct guard *guards;
};

/* evhttp's own error statuses, and what our reply says instead. */
static const struct {
	int status;
	const char *message;
} conn_pages[] = {
    {400, "malformed request"},
    {413, "request body is too large"},
    {414, "request line is too long"},
    {417, "unsupported Expect header"},
    {431, "request headers are too large"},
    {501, "method not supported"},
};

static time_t
conn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
conn_release_body(struct guard *g)
{
	g->conns->body_total -= g->reserved;
	g->reserved = 0;
}

/* The evhttp connection that owns bev: evhttp passes it to every callback. */
static struct evhttp_connection *
conn_evcon(struct bufferevent *bev)
{
	void *arg = NULL;

	bufferevent_getcb(bev, NULL, NULL, NULL, &arg);
	if (arg == NULL || evhttp_connection_get_bufferevent(arg) != bev)
		return NULL;
	return arg;
}

static bool
conn_released(struct bufferevent *bev)
{
	bufferevent_event_cb errorcb = NULL;

	bufferevent_getcb(bev, NULL, NULL, &errorcb, NULL);
	return errorcb == NULL && bufferevent_getfd(bev) >= 0;
}

/* The end of the header block in head[0..len), or 0 if not there yet. */
static size_t
conn_head_end(const char *head, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (head[i] != '\n')
			continue;
		if (head[i + 1] == '\n')
			return i + 1;
		if (i + 2 < len && head[i + 1] == '\r' && head[i + 2] == '\n')
			return i + 1;
	}
	return 0;
}

static void
conn_judge(struct guard *g, size_t end)
{
	struct conns *c = g->conns;
	struct conn_verdict v = {0};
	struct evhttp_connection *evcon;

	c->ops.head(g->head, end, &v, c->ops.arg);
	if (v.status == 0 && v.body > 0) {
		if (c->body_total + v.body > c->limits.body_budget) {
			v.status = 503;
			v.message = "the server is busy; retry shortly";
		} else {
			g->reserved = v.body;
			c->body_total += v.body;
		}
	}
	/* A body of unknown length (chunked) may not outgrow its count. */
	if (v.body > 0 && (evcon = conn_evcon(g->bev)) != NULL)
		evhttp_connection_set_max_body_size(evcon, (ev_ssize_t)v.body);
	if (v.status != 0) {
		g->refuse = v.status;
		g->refuse_message = v.message;
		/* evhttp now refuses any body at once; see conn_out_cb. */
		if ((evcon = conn_evcon(g->bev)) != NULL)
			evhttp_connection_set_max_body_size(evcon, 0);
	}
}

/*
 * Room for `need` bytes of header block, at most `cap`. A head nearly
 * always fits the first size; allocating the most a head may take
 * instead cost glibc a consolidation of its free lists per request.
 */
static void
conn_head_room(struct guard *g, size_t need, size_t cap)
{
	size_t size = g->headcap > 0 ? g->headcap : CONN_HEAD_FIRST;

	if (need <= g->headcap)
		return;
	while (size < need)
		size *= 2;
	g->headcap = size < cap ? size : cap;
	g->head = xrealloc(g->head, g->headcap);
}

static void
conn_head_free(struct guard *g)
{
	free(g->head);
	g->head = NULL;
	g->headcap = 0;
}

static void
conn_in_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct guard *g = arg;
	size_t cap = 2 * g->conns->limits.max_head + 4;
	size_t n = info->n_added, end;
	struct evbuffer_ptr pos;
	const char *nl;

	if (n == 0)
		return;
	/*
	 * Nobody will read these bytes: the request was refused, or evhttp
	 * let go of the connection, which stays open until the sweep.
	 */
	if (g->refuse != 0 || conn_released(g->bev)) {
		evbuffer_drain(buf, evbuffer_get_length(buf));
		if (conn_released(g->bev))
			bufferevent_disable(g->bev, EV_READ);
		return;
	}
	if (g->phase != PHASE_HEAD)
		return;
	if (n > cap - g->headlen)
		n = cap - g->headlen;
	conn_head_room(g, g->headlen + n, cap);
	evbuffer_ptr_set(buf, &pos, evbuffer_get_length(buf) - info->n_added,
			 EVBUFFER_PTR_SET);
	evbuffer_copyout_from(buf, &pos, g->head + g->headlen, n);
	g->headlen += n;
	if (g->line_len == 0 && (nl = memchr(g->head, '\n', g->headlen)))
		g->line_len = (size_t)(nl - g->head);
	if ((end = conn_head_end(g->head, g->headlen)) != 0)
		conn_judge(g, end);
	else if (g->headlen < cap)
		return;
	g->phase = PHASE_BODY;
	conn_head_free(g);
}

/* The status and message that replace one of evhttp's error pages. */
static int
conn_page_status(const struct guard *g, int status, const char **message)
{
	if (g->refuse != 0) {
		*message = g->refuse_message;
		return g->refuse;
	}
	/* evhttp says 400 for a request line or headers over its limit. */
	if (status == 400 && g->phase != PHASE_SKIP) {
		size_t max = g->conns->limits.max_head;

		if (g->line_len > max || (g->line_len == 0 && g->headlen > max))
			status = 414;
		else if (g->headlen - g->line_len > max)
			status = 431;
	}
	*message = "request refused";
	for (size_t i = 0; i < sizeof conn_pages / sizeof *conn_pages; i++)
		if (conn_pages[i].status == status)
			*message = conn_pages[i].message;
	return status;
}

/*
 * If buf holds one whole HTML error page of evhttp's, its length and
 * status. evhttp queues a reply only once the previous one is sent, so
 * the page is alone in the buffer.
 */
static size_t
conn_html_page(struct evbuffer *buf, int *status)
{
	static const char type[] = "\r\nContent-Type: text/html\r\n";
	static const char length[] = "\r\nContent-Length: ";
	size_t len = evbuffer_get_length(buf), body;
	struct evbuffer_ptr hdr_end, p;
	char first[13], num[24] = "";

	if (len < sizeof first ||
	    evbuffer_copyout(buf, first, sizeof first) != sizeof first ||
	    memcmp(first, "HTTP/1.", 7) != 0)
		return 0;
	/* Its pages are errors: every other reply is let through at once. */
	if (first[9] < '4')
		return 0;
	hdr_end = evbuffer_search(buf, "\r\n\r\n", 4, NULL);
	if (hdr_end.pos < 0 || hdr_end.pos > 4096)
		return 0;
	p = evbuffer_search_range(buf, type, sizeof type - 1, NULL, &hdr_end);
	if (p.pos < 0)
		return 0;
	p = evbuffer_search_range(buf, length, sizeof length - 1, NULL,
				  &hdr_end);
	if (p.pos < 0)
		return 0;
	evbuffer_ptr_set(buf, &p, sizeof length - 1, EVBUFFER_PTR_ADD);
	evbuffer_copyout_from(buf, &p, num, sizeof num - 1);
	body = strtoul(num, NULL, 10);
	if (len < (size_t)hdr_end.pos + 4 + body)
		return 0;
	*status = atoi(first + 9);
	return (size_t)hdr_end.pos + 4 + body;
}

static void
conn_out_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info,
	    void *arg)
{
	struct guard *g = arg;
	struct conns *c = g->conns;
	const char *message;
	size_t page;
	int status;

	g->out += info->n_added;
	g->out -= info->n_deleted;
	c->out_total += info->n_added;
	c->out_total -= info->n_deleted;
	if (g->rewriting || info->n_added == 0 ||
	    (page = conn_html_page(buf, &status)) == 0)
		return;
	status = conn_page_status(g, status, &message);
	g->rewriting = true;
	evbuffer_drain(buf, page);
	c->ops.page(buf, status, message, c->ops.arg);
	g->rewriting = false;
}

static struct bufferevent *
conn_bev_cb(struct event_base *base, void *arg)
{
	struct conns *c = arg;
	struct guard *g = xcalloc(1, sizeof *g);

	g->conns = c;
	g->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_incref(g->bev);
	g->in_cb =
	    evbuffer_add_cb(bufferevent_get_input(g->bev), conn_in_cb, g);
	g->out_cb =
	    evbuffer_add_cb(bufferevent_get_output(g->bev), conn_out_cb, g);
	g->since = conn_now();
	g->next = c->guards;
	c->guards = g;
	return g->bev;
}

static void
conn_guard_free(struct guard *g)
{
	conn_release_body(g);
	g->conns->out_total -= g->out;
	evbuffer_remove_cb_entry(bufferevent_get_input(g->bev), g->in_cb);
	evbuffer_remove_cb_entry(bufferevent_get_output(g->bev), g->out_cb);
	bufferevent_decref(g->bev);
	free(g->head);
	free(g);
}

static void
conn_sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conns *c = arg;
	struct guard **gp = &c->guards;
	time_t now = conn_now();

	(void)fd;
	(void)what;
	while (*gp != NULL) {
		struct guard *g = *gp;

		if (conn_released(g->bev)) {
			*gp = g->next;
			conn_guard_free(g);
			continue;
		}
		if (!g->cut && g->since != 0 &&
		    now - g->since > c->limits.seconds &&
		    bufferevent_getfd(g->bev) >= 0) {
			shutdown(bufferevent_getfd(g->bev), SHUT_RDWR);
			g->cut = true;
		}
		gp = &g->next;
	}
}

struct conns *
conns_new(struct event_base *base, struct evhttp *http,
	  const struct conn_limits *limits, const struct conn_ops *ops)
{
	struct conns *c = xcalloc(1, sizeof *c);
	struct timeval tv = {1, 0};

	c->base = base;
	c->limits = *limits;
	c->ops = *ops;
	c->sweep = event_new(base, -1, EV_PERSIST, conn_sweep_cb, c);
	event_add(c->sweep, &tv);
	evhttp_set_bevcb(http, conn_bev_cb, c);
	return c;
}

void
conns_free(struct conns *c)
{
	struct guard *g, *next;

	if (c == NULL)
		return;
	for (g = c->guards; g != NULL; g = next) {
		next = g->next;
		conn_guard_free(g);
	}
	event_free(c->sweep);
	free(c);
}

static struct guard *
conn_find(struct conns *c, struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev;

	if (evcon == NULL)
		return NULL;
	bev = evhttp_connection_get_bufferevent(evcon);
	for (struct guard *g = c->guards; g != NULL; g = g->next)
		if (g->bev == bev)
			return g;
	return NULL;
}

void
conn_serving(struct conns *c, struct evhttp_request *req)
{
	struct guard *g = conn_find(c, req);
	int fd, sndbuf = (int)c->limits.socket_sndbuf;

	if (g == NULL)
		return;
	g->since = 0;
	/*
	 * The kernel would take up to megabytes of a reply nobody reads; a
	 * fixed send buffer keeps the rest in our buffer, where it counts.
	 */
	if (!g->sndbuf_set && (fd = bufferevent_getfd(g->bev)) >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
		g->sndbuf_set = true;
	}
}

void
conn_waiting(struct conns *c, struct evhttp_request *req)
{
	struct guard *g = conn_find(c, req);
	struct evhttp_connection *evcon;

	if (g == NULL)
		return;
	g->since = conn_now();
	if (g->reserved > 0 && (evcon = conn_evcon(g->bev)) != NULL)
		evhttp_connection_set_max_body_size(
		    evcon, (ev_ssize_t)g->conns->limits.max_body);
	conn_release_body(g);
	g->refuse = 0;
	g->line_len = 0;
	g->headlen = 0;
	conn_head_free(g);
	/* Bytes already read belong to a request we saw only in part. */
	g->phase = evbuffer_get_length(bufferevent_get_input(g->bev)) == 0
		       ? PHASE_HEAD
		       : PHASE_SKIP;
}

int
conn_refusal(struct conns *c, struct evhttp_request *req, const char **message)
{
	struct guard *g = conn_find(c, req);

	if (g == NULL || g->refuse == 0)
		return 0;
	*message = g->refuse_message;
	return g->refuse;
}

bool
conn_output_room(struct conns *c, struct evhttp_request *req, size_t more)
{
	struct guard *g = conn_find(c, req);

	if (c->out_total + more > c->limits.output_budget)
		return false;
	return g == NULL || g->out + more <= c->limits.output_per_conn;
}

/*
 * libevent writes a bufferevent's output only once epoll says the socket
 * is writable: a round of the loop and, for each reply, an epoll_ctl()
 * to watch for writing and another to stop, though a socket nearly
 * always is writable. Running the write event now makes the attempt in
 * this round (after the callbacks already queued, so after the access
 * lines' flush); a full socket leaves the event waiting as before, and a
 * write event that is not pending (writing off, or nothing queued) is
 * let be. The event is the bufferevent's own (bufferevent_struct.h).
 */
void
conn_write_soon(struct evhttp_connection *evcon)
{
	struct bufferevent *bev;

	if (evcon == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL)
		return;
	if (event_pending(&bev->ev_write, EV_WRITE, NULL))
		event_active(&bev->ev_write, EV_WRITE, 1);
}
