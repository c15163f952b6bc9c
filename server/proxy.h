/*
 * Reverse proxies jobfaird believes (--trusted-proxies): only a request
 * whose peer is one of them may name the client (X-Forwarded-For) and the
 * scheme (X-Forwarded-Proto). Anyone else's headers are the client's own
 * and ignored, so a client cannot pick its address for the sign-in limit
 * or the access log.
 */
#ifndef JF_PROXY_H
#define JF_PROXY_H

#include "http.h"

#include <stdbool.h>

struct proxies;

/*
 * "127.0.0.1,::1,10.0.0.0/8": addresses and CIDR prefixes, comma
 * separated. NULL or "" trusts nobody. NULL with *cause on a bad entry.
 */
struct proxies *proxies_new(const char *list, char **cause);
void proxies_free(struct proxies *p);

/* The address is one of the proxies. */
bool proxies_trusted(const struct proxies *p, const char *address);

/*
 * The client's address: the peer's, or behind trusted proxies the right-
 * most X-Forwarded-For entry that is not itself a trusted proxy.
 */
void proxies_client_address(const struct http_ctx *ctx, char out[64]);

/* The client (as proxies_client_address finds it) is this machine. */
bool proxies_client_local(const struct http_ctx *ctx);

/* A trusted proxy says the client came over https. */
bool proxies_forwarded_https(const struct http_ctx *ctx);

#endif
