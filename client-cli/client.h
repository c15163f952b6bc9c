/*
 * The client's HTTP: one libcurl handle per run (kept alive across the
 * rows of an import), JSON in and out, bearer token, timeouts, and the
 * project's error shape turned into messages.
 */
#ifndef JF_CLIENT_H
#define JF_CLIENT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cli;
struct client;

/* How client_transfer() sends a request and where the answer goes. */
struct client_transfer {
	bool json;   /* Accept: application/json; a body is JSON */
	bool stream; /* no overall time limit, only a limit on silence */
	/* libcurl's write callback and its argument: the body as it comes */
	size_t (*write_cb)(char *ptr, size_t size, size_t nmemb, void *arg);
	void *arg;
	bool stopped; /* set by write_cb when it stopped on purpose */
	void *handle; /* set by client_transfer, for client_status() */
};

/*
 * One request on the run's libcurl handle, with the bearer token and the
 * timeouts; body (JSON text) may be NULL. Returns the HTTP status (also
 * of a transfer write_cb stopped, t->stopped set), or -1 after printing
 * why the server could not be reached.
 */
int client_transfer(struct cli *cli, const char *method, const char *path,
		    const char *body, struct client_transfer *t);

/* The status of the transfer under way, from inside its write_cb. */
long client_status(const struct client_transfer *t);

/*
 * Sends method path (relative to the server, "/api/v1/events?…") with
 * `body` (borrowed; NULL for none). Returns the HTTP status with *reply
 * set to the parsed JSON answer (NULL if it was empty or not JSON; the
 * caller frees it), or -1 after printing why the server could not be
 * reached.
 */
int client_request(struct cli *cli, const char *method, const char *path,
		   const cJSON *body, cJSON **reply);

/*
 * Every item of a list, following "next" page by page; at most `limit`
 * items if limit > 0. Returns 200 with *items set to a new array, or the
 * failing request's status (or -1) with *reply set as client_request()
 * sets it.
 */
int client_list(struct cli *cli, const char *path, long limit, cJSON **items,
		cJSON **reply);

/*
 * Appends "?key=value" or "&key=value" to *path, the value
 * percent-encoded by curl_easy_escape().
 */
void client_query_add(char **path, const char *key, const char *value);

/*
 * Prints "<prefix>: message" and one "  field: why" line per field of
 * the server's error answer, to out.
 */
void client_print_error(FILE *out, const char *prefix, int status,
			const cJSON *reply);

/* The exit code for a request's outcome: 0, 2 (refused) or 3. */
int client_exit_code(int status);

/* After client_print_error(stderr, "jobfair", …): client_exit_code(). */
int client_fail(int status, const cJSON *reply);

void client_free(struct client *c);

#endif
