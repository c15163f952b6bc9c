/*
 * What every handler can reach: the event loop, the database pool, the
 * HTTP server and the authentication cache. One per process.
 */
#ifndef JF_APP_H
#define JF_APP_H

struct event_base;
struct pool;
struct http_server;
struct auth_cache;
struct stream_hub;
struct pwhash;
struct sessions;
struct web;
struct proxies;
struct metrics;
struct replica;
struct worker;
struct mailer;

struct app {
	struct event_base *base;
	struct pool *pool;
	struct http_server *http;
	struct auth_cache *auth;
	struct stream_hub *streams;
	struct pwhash *pwhash;	   /* Argon2id off the loop */
	struct sessions *sessions; /* cookie sign-in and its limits */
	struct web *web;	   /* the back office's files */
	struct proxies *proxies;   /* who may say X-Forwarded-For */
	struct metrics *metrics;   /* GET /metrics */
	struct replica *replica;   /* reads' replica, or NULL */
	struct worker *render;	   /* PDFs and spreadsheets off the loop */
	struct mailer *mail;	   /* the mail outbox's sender */
};

#endif
