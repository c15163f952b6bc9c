/*
 * The back office's static files (HTML, CSS, JavaScript), read once at
 * start from the web directory into memory with a gzip copy and a strong
 * ETag each, so serving one never touches the disk or blocks the loop.
 * Every answer carries the pages' security headers (a CSP without inline
 * scripts, nosniff, same-origin referrers, no framing).
 */
#ifndef JF_WEB_H
#define JF_WEB_H

#include "http.h"

#include <stdbool.h>

struct web;

/*
 * Loads every regular file under dir (at most WEB_MAX_FILES, each under
 * WEB_MAX_FILE bytes). A missing directory serves nothing and is no
 * error; an unreadable file is (with a cause).
 */
struct web *web_new(const char *dir, char **cause);
void web_free(struct web *w);
int web_count(const struct web *w);

/* The source tree's server/web in a build, else the installed one. */
const char *web_default_dir(void);

/*
 * Serves a GET or HEAD for a file's path ("/" is /index.html); false,
 * having replied nothing, when no file has that path.
 */
bool web_serve(struct http_ctx *ctx);

#endif
