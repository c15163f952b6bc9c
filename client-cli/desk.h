/*
 * What a front desk keeps on its own disk and how it is named: the data
 * directory (--data-dir, else JOBFAIR_DATA_DIR, else
 * $XDG_DATA_HOME/jobfair, else ~/.local/share/jobfair), and under it per
 * event the roster and one scan journal per desk:
 *
 *   <data>/event-12/roster.json
 *   <data>/event-12/desk-1.journal
 *
 * Also the few things every front-desk command prints the same way.
 */
#ifndef JF_DESK_H
#define JF_DESK_H

#include "cli.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which of the desk's options a command takes, besides the EVENT id. */
#define DESK_NAME 0x1 /* --desk NAME */
#define DESK_DATA 0x2 /* --data-dir DIR */

struct desk {
	int64_t event_id;
	const char *event; /* the id as given (argv), for request paths */
	char *name;	   /* --desk, else the host name */
	bool named;	   /* --desk was given */
	char *data_dir;	   /* only with DESK_DATA */
	char *event_dir;   /* <data>/event-<id>, only with DESK_DATA */
};

/*
 * cli_parse() with the options `want` names plus the command's `extra`;
 * the first positional argument must be the event's id. The positional
 * arguments, EVENT first, are left at argv[0..*rest). Returns 0, or
 * CLI_USAGE after printing why.
 */
int desk_parse(struct cli *cli, struct desk *d, int want,
	       const struct config_entry *extra, size_t nextra, int argc,
	       char **argv, int *rest);
void desk_free(struct desk *d);

/* <event_dir>/roster.json; the caller frees it. */
char *desk_roster_path_new(const struct desk *d);

/* <event_dir>/<desk name as a file name>.journal; the caller frees it. */
char *desk_journal_path_new(const struct desk *d, const char *desk_name);

/*
 * s made safe as one file name: letters, digits, "-", "_", "." and
 * non-ASCII UTF-8 kept, anything else (and a leading dot) as "_", at most
 * 120 bytes, never empty. "ヤマグチ タロウ" → "ヤマグチ_タロウ".
 */
char *desk_file_name_new(const char *s);

/*
 * A check-in answer's running count for kind ("seeker" or "company";
 * anything else counts seekers) from its counts member: "seekers 12/100",
 * or "seekers 12" without a target; NULL without counts.
 */
char *desk_count_new(const cJSON *counts, const char *kind);

/* The time part of an RFC 3339 time in Japan: "10:02"; "" if none. */
char *desk_clock_new(const cJSON *time);

enum desk_tone {
	DESK_GOOD, /* come in */
	DESK_WARN, /* look: already here, or not checked */
	DESK_STOP  /* do not let in: send to the registration desk */
};

/*
 * One answer line on stdout, "LABEL  text" (with "OFFLINE " before the
 * label when the server was not asked): coloured on a terminal, with a
 * terminal bell unless the tone is good. Flushed at once.
 */
void desk_say(enum desk_tone tone, bool offline, const char *label,
	      const char *text);

/* The JSON on one line, for --json output. */
void desk_print_json(const cJSON *json);

#endif
