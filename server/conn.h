/*
 * Deadlines for clients that are slow on purpose. evhttp's timeout
 * measures inactivity, so a client sending a header byte a second would
 * hold its connection for hours. Each connection here must deliver a
 * whole request within a fixed time of connecting or of its previous
 * reply; while a request is being served there is no deadline.
 */
#ifndef JF_DEADLINE_H
#define JF_DEADLINE_H

struct bufferevent;
struct event_base;
struct evhttp;
struct evhttp_request;
struct deadline;

/* Installs itself as evhttp's bufferevent factory. */
struct deadline *deadline_new(struct event_base *base, struct evhttp *http,
			      int seconds);
void deadline_free(struct deadline *d);

/* The request arrived whole: no deadline while it is served. */
void deadline_serving(struct deadline *d, struct evhttp_request *req);
/* Its reply is about to go: the next request must come in time. */
void deadline_waiting(struct deadline *d, struct evhttp_request *req);

#endif
