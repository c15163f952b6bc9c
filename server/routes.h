/* The table of every API route, in one place. */
#ifndef JF_ROUTES_H
#define JF_ROUTES_H

#include "http.h"

/*
 * Finds the route for a method and path and fills ctx->args. Returns
 * NULL and sets *path_known when the path exists for other methods only
 * (405 rather than 404).
 */
const struct route *routes_match(int method, char *path, const char **args,
				 bool *path_known);

/* The largest body the route takes. */
size_t routes_body_limit(const struct route *route);
/* The largest body any route takes: evhttp's own limit. */
size_t routes_max_body(void);

#endif
