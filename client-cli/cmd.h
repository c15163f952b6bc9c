/*
 * The commands of `jobfair`, one file per group (cmd_events.c, …), and
 * the steps they share: validate a form, send it, print the answer as a
 * table or as the server's JSON.
 */
#ifndef JF_CMD_H
#define JF_CMD_H

#include "cli.h"
#include "csv.h"
#include "form.h"
#include "table.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define CMD_API	 "/api/v1"
#define NELEM(a) (sizeof(a) / sizeof *(a))

int cmd_events_list(struct cli *, int, char **);
int cmd_events_show(struct cli *, int, char **);
int cmd_events_create(struct cli *, int, char **);
int cmd_events_update(struct cli *, int, char **);
int cmd_event_types(struct cli *, int, char **);
int cmd_companies_add(struct cli *, int, char **);
int cmd_companies_list(struct cli *, int, char **);
int cmd_companies_show(struct cli *, int, char **);
int cmd_companies_update(struct cli *, int, char **);
int cmd_companies_import(struct cli *, int, char **);
int cmd_booths_add(struct cli *, int, char **);
int cmd_booths_list(struct cli *, int, char **);
int cmd_booths_update(struct cli *, int, char **);
int cmd_register(struct cli *, int, char **);
int cmd_registrations_list(struct cli *, int, char **);
int cmd_registrations_show(struct cli *, int, char **);
int cmd_registrations_import(struct cli *, int, char **);
int cmd_registrations_cancel(struct cli *, int, char **);
int cmd_login(struct cli *, int, char **);

/*
 * The positional arguments must be exactly `want` ids (decimal numbers);
 * otherwise prints the usage and returns CLI_USAGE. Returns 0.
 */
int cmd_want_ids(const struct cli *cli, int argc, char **argv, int want);

/*
 * Validates body against the form (partial for PATCH). Returns 0 with
 * *clean set (the caller frees it), or prints every field's problem and
 * returns CLI_USAGE.
 */
int cmd_validate(const struct form *form, const cJSON *body, bool partial,
		 cJSON **clean);

/*
 * Sends one request (body borrowed, may be NULL) and prints the object
 * answered: the server's JSON with --json, else one line per column.
 * Returns the exit code.
 */
int cmd_send(struct cli *cli, const char *method, const char *path,
	     const cJSON *body, const struct table_column *cols, size_t n);

/*
 * A command whose one argument is an id: sends method to
 * before + ID + after without a body and prints the object answered.
 */
int cmd_by_id(struct cli *cli, int argc, char **argv, const char *method,
	      const char *before, const char *after,
	      const struct table_column *cols, size_t n);

/*
 * `create` (POST collection) or `update ID` (PATCH collection/ID): the
 * form's fields as options, validated, sent, the answer printed.
 */
int cmd_form_send(struct cli *cli, const struct form *form, int argc,
		  char **argv, bool update, const char *collection,
		  const struct table_column *cols, size_t n);

/* Fetches every page of a list and prints it. Returns the exit code. */
int cmd_list(struct cli *cli, const char *path, const struct table_column *cols,
	     size_t n);

/* cmd_list() of before + ID + after, the one argument being the id. */
int cmd_list_by_id(struct cli *cli, int argc, char **argv, const char *before,
		   const char *after, const struct table_column *cols,
		   size_t n);

/* The server's JSON as it was, one document per line, for scripts. */
void cmd_print_json(const cJSON *json);

/* Sets obj[key] to item (owned), replacing what was there. */
void cmd_set(cJSON *obj, const char *key, cJSON *item);

/*
 * The options of an import: --encoding auto|utf8|cp932 and
 * --skip-invalid. The other arguments are left at argv[0..*rest).
 * Returns 0, or CLI_USAGE after printing why.
 */
int cmd_import_options(struct cli *cli, int argc, char **argv, int *rest,
		       enum csv_encoding *enc, bool *skip_invalid);

#endif
