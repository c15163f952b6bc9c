/*
 * The state one `jobfair` run shares between its commands: where the
 * server is, the token, output mode, and the option parsing every
 * command goes through. Server and token come from --server/--token,
 * else JOBFAIR_SERVER/JOBFAIR_TOKEN, else the file `jobfair login`
 * writes, else the default server.
 */
#ifndef JF_CLI_H
#define JF_CLI_H

#include "config.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CLI_DEFAULT_SERVER "http://127.0.0.1:8080"

/* Exit codes, the contract with scripts. */
enum cli_exit {
	CLI_OK = 0,
	CLI_USAGE = 1,	     /* bad arguments or input: nothing was sent */
	CLI_REFUSED = 2,     /* the server answered 4xx or 5xx */
	CLI_UNREACHABLE = 3, /* no answer from the server */
};

struct client;
struct form;
struct cli;

struct cmd_entry {
	const char *name;  /* "events" */
	const char *sub;   /* "list", or NULL for a one-word command */
	const char *usage; /* arguments after the command words */
	int (*exec)(struct cli *, int argc, char **argv);
	/* A command that sends a form: its options, shown in the usage
	 * from the field table that validates them, from field form_first */
	const struct form *form;
	size_t form_first;
};

struct cli {
	const struct cmd_entry *entry; /* the command running, for usage */
	char *server;		       /* base URL, no trailing slash */
	char *token;		       /* NULL when none is configured */
	bool json;		       /* --json: the server's JSON as is */
	long limit;		       /* --limit: list at most this many */
	struct client *client;	       /* the HTTP connection, made lazily */
	long timeout;		       /* seconds per request; 0: the default */
};

/*
 * Consumes the global options (--server, --token, --json, --limit) and the
 * command's own `extra` options from argv; the other arguments are left
 * in order at argv[0..*rest). Resolves the server and token. Returns 0,
 * or -1 with *cause for an unknown option or a missing value.
 */
int cli_parse(struct cli *cli, const struct config_entry *extra, size_t nextra,
	      int argc, char **argv, int *rest, char **cause);

/*
 * cli_parse() plus one option per field of `form`, named after the field
 * (--name-kana for name_kana; a boolean field is a switch). *body becomes
 * a new object of the given fields as strings, unvalidated; the caller
 * frees it.
 */
int cli_parse_form(struct cli *cli, const struct form *form,
		   const struct config_entry *extra, size_t nextra, int argc,
		   char **argv, int *rest, cJSON **body, char **cause);

/* True if arg is a global option that takes the next argument as value. */
bool cli_option_takes_value(const char *arg);

/* One line: prefix, then "jobfair events list [--fiscal-year N] …". */
void cli_print_usage(FILE *out, const char *prefix, const struct cmd_entry *e);

/*
 * Prints "jobfair: cause" and the running command's usage to stderr,
 * frees cause and returns CLI_USAGE.
 */
int cli_usage_error(const struct cli *cli, char *cause);

/*
 * The config file: $XDG_CONFIG_HOME/jobfair/config, else
 * ~/.config/jobfair/config. NULL if neither variable is set.
 */
char *cli_config_path_new(void);

/*
 * Writes server and token to the config file (mode 0600, its directory
 * made 0700 if missing). Returns 0, or -1 with *cause.
 */
int cli_config_write(const char *server, const char *token, char **cause);

void cli_free(struct cli *cli);

#endif
