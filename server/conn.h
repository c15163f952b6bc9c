/*
 * What the server keeps per client connection, below evhttp.
 *
 * Deadlines for clients that are slow on purpose: evhttp's timeout
 * measures inactivity, so a client sending a header byte a second would
 * hold its connection for hours. Each connection here must deliver a
 * whole request within a fixed time of connecting or of its previous
 * reply; while a request is being served there is no deadline.
 *
 * Headers before the body: libevent 2.1 offers no hook between an
 * incoming request's headers and its body, so the bytes are watched as
 * they arrive. Once a request's header block is whole, `head` judges it;
 * a refused request gets a body limit of zero, which makes evhttp answer
 * at once without reading the body, and that answer is rewritten.
 *
 * evhttp's own error pages (bad request line, headers too long, body too
 * large) are HTML; each is replaced, before it is sent, by the reply that
 * `page` writes.
 *
 * Memory: bodies of requests whose sender is not yet known are counted
 * against one budget; bytes waiting to be sent are counted per
 * connection and in total.
 */
#ifndef JF_CONN_H
#define JF_CONN_H

#include <stdbool.h>
#include <stddef.h>

struct bufferevent;
struct event_base;
struct evbuffer;
struct evhttp;
struct evhttp_connection;
struct evhttp_request;
struct conns;

/* A judgement of a request from its header block. */
struct conn_verdict {
	int status;	     /* 0: let it through */
	const char *message; /* static text for the error reply */
	size_t body; /* body bytes to count against the budget and allow */
};

struct conn_ops {
	/* head[0..len) is a request line and headers up to the blank line. */
	void (*head)(const char *head, size_t len, struct conn_verdict *v,
		     void *arg);
	/* Writes a whole error response to out; the connection then closes. */
	void (*page)(struct evbuffer *out, int status, const char *message,
		     void *arg);
	void *arg;
};

struct conn_limits {
	int seconds;		/* to deliver a whole request */
	size_t max_head;	/* request line and headers */
	size_t max_body;	/* evhttp's limit for any body */
	size_t body_budget;	/* bodies of unknown senders, in total */
	size_t output_budget;	/* replies waiting to be sent, in total */
	size_t output_per_conn; /* … and on one connection */
	size_t socket_sndbuf;	/* the kernel's share of a reply */
};

/* Installs itself as evhttp's bufferevent factory. */
struct conns *conns_new(struct event_base *base, struct evhttp *http,
			const struct conn_limits *limits,
			const struct conn_ops *ops);
void conns_free(struct conns *c);

/* The request arrived whole: no deadline while it is served. */
void conn_serving(struct conns *c, struct evhttp_request *req);
/*
 * Its reply is about to go: the next request must come in time, and the
 * body counted for this one is released.
 */
void conn_waiting(struct conns *c, struct evhttp_request *req);
/*
 * The refusal judged from this request's headers, if its body was not
 * enough to make evhttp answer by itself (0 otherwise).
 */
int conn_refusal(struct conns *c, struct evhttp_request *req,
		 const char **message);
/* Whether `more` bytes may be queued for req's connection. */
bool conn_output_room(struct conns *c, struct evhttp_request *req, size_t more);
/*
 * A reply was just queued on evcon (taken before queueing it: evhttp may
 * free the request): it is written in this round of the loop rather than
 * the next. NULL is let be.
 */
void conn_write_soon(struct evhttp_connection *evcon);

#endif
