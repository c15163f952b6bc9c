/*
 * GETs the JSON client (client.h) does not do: an answer that is not
 * JSON (a QR code's PNG) and an answer that never ends (the live counts'
 * Server-Sent Events), handed over as it arrives, on the client's one
 * libcurl handle (client_transfer()).
 */
#ifndef JF_FETCH_H
#define JF_FETCH_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct cli;
struct fetch;

/*
 * Takes bytes of the answer's body as they arrive; returns false to stop
 * the transfer.
 */
typedef bool (*fetch_cb)(const char *data, size_t len, void *arg);

struct fetch *fetch_new(struct cli *cli);
void fetch_free(struct fetch *f);

/*
 * GET path (relative to the server) with the bearer token. With a 2xx
 * answer the body goes to cb; otherwise *error gets the answer parsed as
 * JSON (may be NULL; the caller frees it). A stream (`stream` true) has
 * no overall time limit, only a limit on silence. Returns the HTTP
 * status, or -1 after printing why the server could not be reached (a
 * transfer stopped by cb returns its status).
 */
int fetch_get(struct fetch *f, const char *path, bool stream, fetch_cb cb,
	      void *arg, cJSON **error);

/*
 * fetch_get() of a whole answer into memory, kept as it came: *data (the
 * caller frees it, even after an error) and *len.
 */
int fetch_bytes(struct cli *cli, const char *path, char **data, size_t *len,
		cJSON **error);

#endif
