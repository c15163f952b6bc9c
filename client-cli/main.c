/*
 * jobfair: the command-line client for organizers and the front desk.
 * The commands are one const table; each entry's function lives in the
 * file of its group (cmd_events.c, cmd_companies.c, …).
 */
#include "cli.h"
#include "cmd.h"
#include "cmd_after.h"
#include "cmd_desk.h"
#include "cmd_print.h"
#include "form.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const struct cmd_entry cmd_table[] = {
    {.name = "login", .usage = "--server URL --token TOKEN", .exec = cmd_login},
    {.name = "event-types", .usage = "", .exec = cmd_event_types},
    {.name = "events",
     .sub = "list",
     .usage = "[--fiscal-year N] [--type TYPE] [--status STATUS]",
     .exec = cmd_events_list},
    {.name = "events", .sub = "show", .usage = "ID", .exec = cmd_events_show},
    {.name = "events",
     .sub = "create",
     .usage = "",
     .exec = cmd_events_create,
     .form = &form_event},
    {.name = "events",
     .sub = "update",
     .usage = "ID --FIELD VALUE...",
     .exec = cmd_events_update},
    {.name = "companies",
     .sub = "add",
     .usage = "",
     .exec = cmd_companies_add,
     .form = &form_company},
    {.name = "companies",
     .sub = "list",
     .usage = "[--q TEXT]",
     .exec = cmd_companies_list},
    {.name = "companies",
     .sub = "show",
     .usage = "ID",
     .exec = cmd_companies_show},
    {.name = "companies",
     .sub = "update",
     .usage = "ID --FIELD VALUE...",
     .exec = cmd_companies_update},
    {.name = "companies",
     .sub = "import",
     .usage = "FILE.csv [--encoding auto|utf8|cp932] [--skip-invalid]",
     .exec = cmd_companies_import},
    {.name = "booths",
     .sub = "add",
     .usage = "EVENT COMPANY [--opening "
	      "TITLE,EMPLOYMENT_TYPE[,COUNT[,JOB_NUMBER]]]...",
     .exec = cmd_booths_add,
     .form = &form_booth,
     .form_first = 1},
    {.name = "booths",
     .sub = "list",
     .usage = "EVENT",
     .exec = cmd_booths_list},
    {.name = "booths",
     .sub = "update",
     .usage = "EVENT COMPANY --FIELD VALUE...",
     .exec = cmd_booths_update},
    {.name = "register",
     .usage = "EVENT",
     .exec = cmd_register,
     .form = &form_registration},
    {.name = "registrations",
     .sub = "list",
     .usage = "EVENT",
     .exec = cmd_registrations_list},
    {.name = "registrations",
     .sub = "show",
     .usage = "ID",
     .exec = cmd_registrations_show},
    {.name = "registrations",
     .sub = "import",
     .usage = "EVENT FILE.csv [--encoding auto|utf8|cp932] [--skip-invalid]",
     .exec = cmd_registrations_import},
    {.name = "registrations",
     .sub = "cancel",
     .usage = "ID",
     .exec = cmd_registrations_cancel},
    {.name = "checkin",
     .usage = "EVENT [--desk NAME] [--data-dir DIR] [--id ID]",
     .exec = cmd_checkin},
    {.name = "roster",
     .sub = "pull",
     .usage = "EVENT [--data-dir DIR]",
     .exec = cmd_roster_pull},
    {.name = "sync",
     .usage = "EVENT [--desk NAME] [--data-dir DIR]",
     .exec = cmd_sync},
    {.name = "qr", .usage = "EVENT --out DIR [--scale N]", .exec = cmd_qr},
    {.name = "print",
     .sub = "slips",
     .usage = "EVENT [--id N]... [--one-per-page] --out FILE.pdf",
     .exec = cmd_print_slips},
    {.name = "print",
     .sub = "badges",
     .usage = "EVENT [--id N]... [--names | --companies] --out FILE.pdf",
     .exec = cmd_print_badges},
    {.name = "print",
     .sub = "booths",
     .usage = "EVENT --out FILE.pdf",
     .exec = cmd_print_booths},
    {.name = "print",
     .sub = "companies",
     .usage = "EVENT --out FILE.pdf",
     .exec = cmd_print_companies},
    {.name = "lookup", .usage = "EVENT QUERY", .exec = cmd_lookup},
    {.name = "walkin",
     .usage = "EVENT --name TEXT --kana KANA [--categories A;B] [--age N] "
	      "[--phone N] [--supporters N] [--desk NAME] --consent",
     .exec = cmd_walkin},
    {.name = "undo", .usage = "EVENT CHECKIN_ID", .exec = cmd_undo},
    {.name = "stats", .usage = "EVENT [--watch]", .exec = cmd_stats},
    {.name = "interview", .usage = "EVENT COMPANY", .exec = cmd_interview},
    {.name = "queue",
     .sub = "show",
     .usage = "EVENT COMPANY",
     .exec = cmd_queue_show},
    {.name = "queue",
     .sub = "next",
     .usage = "EVENT COMPANY",
     .exec = cmd_queue_next},
    {.name = "outcomes",
     .sub = "import",
     .usage = "EVENT FILE.csv [--encoding auto|utf8|cp932]",
     .exec = cmd_outcomes_import},
    {.name = "metrics",
     .sub = "list",
     .usage = "[FY]",
     .exec = cmd_metrics_list},
    {.name = "metrics",
     .sub = "show",
     .usage = "CODE",
     .exec = cmd_metrics_show},
    {.name = "metrics",
     .sub = "set",
     .usage = "CODE FY VALUE... [--month M] [--sessions N] [--note TEXT]",
     .exec = cmd_metrics_set},
    {.name = "metrics",
     .sub = "target",
     .usage = "CODE FY VALUE...",
     .exec = cmd_metrics_target},
    {.name = "report",
     .sub = "event",
     .usage = "EVENT [--format table|csv|json|xlsx] [--encoding utf8|cp932] "
	      "[--out FILE]",
     .exec = cmd_report_event},
    {.name = "report",
     .sub = "fy",
     .usage = "FY [--format table|csv|json|xlsx] [--encoding utf8|cp932] "
	      "[--out FILE]",
     .exec = cmd_report_fy},
    {.name = "seekers",
     .sub = "purge",
     .usage = "--before FY [--yes]",
     .exec = cmd_seekers_purge},
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
