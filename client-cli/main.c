/*
 * jobfair: the command-line client for organizers and the front desk.
 * The commands are one const table; each entry's function lives in the
 * file of its group (cmd_events.c, cmd_companies.c, …).
 */
#include "cli.h"
#include "cmd.h"
#include "cmd_after.h"
#include "cmd_desk.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const struct cmd_entry cmd_table[] = {
    {"login", NULL, "--server URL --token TOKEN", cmd_login},
    {"event-types", NULL, "", cmd_event_types},
    {"events", "list", "[--fiscal-year N] [--type TYPE] [--status STATUS]",
     cmd_events_list},
    {"events", "show", "ID", cmd_events_show},
    {"events", "create",
     "--type TYPE --title TEXT --starts-at TIME --ends-at TIME "
     "--organizer city|hellowork|joint [--venue TEXT] [--capacity N] "
     "[--target-companies N] [--target-seekers N] "
     "[--status draft|open|closed]",
     cmd_events_create},
    {"events", "update", "ID --FIELD VALUE...", cmd_events_update},
    {"companies", "add",
     "--name TEXT [--corporate-number N] [--name-kana KANA] "
     "[--industry TEXT] [--postal-code N] [--address TEXT] [--phone N] "
     "[--contact-name TEXT] [--email ADDRESS] [--establishment-number N]",
     cmd_companies_add},
    {"companies", "list", "[--q TEXT]", cmd_companies_list},
    {"companies", "show", "ID", cmd_companies_show},
    {"companies", "update", "ID --FIELD VALUE...", cmd_companies_update},
    {"companies", "import",
     "FILE.csv [--encoding auto|utf8|cp932] [--skip-invalid]",
     cmd_companies_import},
    {"booths", "add",
     "EVENT COMPANY [--booth LABEL] [--representatives N] "
     "[--status applied|confirmed|cancelled] "
     "[--opening TITLE,EMPLOYMENT_TYPE[,COUNT[,JOB_NUMBER]]]...",
     cmd_booths_add},
    {"booths", "list", "EVENT", cmd_booths_list},
    {"booths", "update", "EVENT COMPANY --FIELD VALUE...", cmd_booths_update},
    {"register", NULL,
     "EVENT --name TEXT --kana KANA [--birth-date YYYY-MM-DD | --age N] "
     "[--phone N] [--email ADDRESS] [--categories A;B] "
     "[--disability physical|intellectual|mental|none] "
     "[--accommodations A;B] [--accommodation-note TEXT] "
     "[--supporters N] --consent",
     cmd_register},
    {"registrations", "list", "EVENT", cmd_registrations_list},
    {"registrations", "show", "ID", cmd_registrations_show},
    {"registrations", "import",
     "EVENT FILE.csv [--encoding auto|utf8|cp932] [--skip-invalid]",
     cmd_registrations_import},
    {"registrations", "cancel", "ID", cmd_registrations_cancel},
    {"checkin", NULL, "EVENT [--desk NAME] [--data-dir DIR] [--id ID]",
     cmd_checkin},
    {"roster", "pull", "EVENT [--data-dir DIR]", cmd_roster_pull},
    {"sync", NULL, "EVENT [--desk NAME] [--data-dir DIR]", cmd_sync},
    {"qr", NULL, "EVENT --out DIR [--scale N]", cmd_qr},
    {"lookup", NULL, "EVENT QUERY", cmd_lookup},
    {"walkin", NULL,
     "EVENT --name TEXT --kana KANA [--categories A;B] [--age N] "
     "[--phone N] [--supporters N] [--desk NAME] --consent",
     cmd_walkin},
    {"undo", NULL, "EVENT CHECKIN_ID", cmd_undo},
    {"stats", NULL, "EVENT [--watch]", cmd_stats},
    {"interview", NULL, "EVENT COMPANY", cmd_interview},
    {"outcomes", "import", "EVENT FILE.csv [--encoding auto|utf8|cp932]",
     cmd_outcomes_import},
    {"metrics", "list", "[FY]", cmd_metrics_list},
    {"metrics", "show", "CODE", cmd_metrics_show},
    {"metrics", "set",
     "CODE FY VALUE... [--month M] [--sessions N] [--note TEXT]",
     cmd_metrics_set},
    {"metrics", "target", "CODE FY VALUE...", cmd_metrics_target},
    {"report", "event",
     "EVENT [--format table|csv|json] [--encoding utf8|cp932] [--out FILE]",
     cmd_report_event},
    {"report", "fy",
     "FY [--format table|csv|json] [--encoding utf8|cp932] [--out FILE]",
     cmd_report_fy},
    {"seekers", "purge", "--before FY [--yes]", cmd_seekers_purge},
};
#define NCMDS (sizeof cmd_table / sizeof *cmd_table)

static void
usage(FILE *out)
{
	fprintf(out, "usage: jobfair COMMAND [ARGS] [--server URL] "
		     "[--token TOKEN] [--json] [--limit N]\n\ncommands:\n");
	for (size_t i = 0; i < NCMDS; i++)
		cli_print_usage(out, "  ", &cmd_table[i]);
	fprintf(out, "\nServer and token: --server/--token, else "
		     "JOBFAIR_SERVER/JOBFAIR_TOKEN, else the file `jobfair "
		     "login` writes.\nExit status: 0 ok, 1 usage or invalid "
		     "input, 2 refused by the server, 3 server unreachable.\n");
}

/* Index of the first command word at or after `from`, or argc. */
static int
next_word(int argc, char **argv, int from)
{
	for (int i = from; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0 ||
		    strcmp(argv[i], "--") == 0)
			return i;
		if (cli_option_takes_value(argv[i]))
			i++;
	}
	return argc;
}

/* The entry named by name and sub (sub NULL for one-word commands). */
static const struct cmd_entry *
find_entry(const char *name, const char *sub, bool *name_known)
{
	*name_known = false;
	for (size_t i = 0; i < NCMDS; i++) {
		if (strcmp(cmd_table[i].name, name) != 0)
			continue;
		*name_known = true;
		if (cmd_table[i].sub == NULL ||
		    (sub != NULL && strcmp(cmd_table[i].sub, sub) == 0))
			return &cmd_table[i];
	}
	return NULL;
}

/* Removes argv[i], keeping the order of the rest. */
static void
drop_arg(int *argc, char **argv, int i)
{
	memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof *argv);
	(*argc)--;
}

static bool
is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* Says what is wrong with the command words name [sub]. */
static void
no_such_command(const char *name, bool known)
{
	if (!known) {
		fprintf(stderr, "jobfair: unknown command %s\n", name);
		usage(stderr);
		return;
	}
	fprintf(stderr, "jobfair: %s needs one of:", name);
	for (size_t i = 0; i < NCMDS; i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			fprintf(stderr, " %s", cmd_table[i].sub);
	fputc('\n', stderr);
}

int
main(int argc, char **argv)
{
	struct cli cli = {0};
	const struct cmd_entry *e;
	int w, s, rc;
	bool known;

	signal(SIGPIPE, SIG_IGN);
	if (argc == 2 && (is_help(argv[1]) || strcmp(argv[1], "help") == 0)) {
		usage(stdout);
		return CLI_OK;
	}
	w = next_word(argc, argv, 1);
	if (w == argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	s = next_word(argc, argv, w + 1);
	e = find_entry(argv[w], s < argc ? argv[s] : NULL, &known);
	if (e == NULL) {
		no_such_command(argv[w], known);
		return CLI_USAGE;
	}
	if (e->sub != NULL)
		drop_arg(&argc, argv, s);
	drop_arg(&argc, argv, w);
	for (int i = 1; i < argc; i++)
		if (is_help(argv[i])) {
			cli_print_usage(stdout, "usage: ", e);
			return CLI_OK;
		}
	cli.entry = e;
	rc = e->exec(&cli, argc - 1, argv + 1);
	cli_free(&cli);
	return rc;
}
