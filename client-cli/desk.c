/*
 * The front desk's own disk and the output its commands share. The desk
 * name goes into the server's scan log and the journal's file name; the
 * host name is a default that differs between desks without anyone
 * having to think of one.
 */
#include "desk.h"

#include "cmd.h"
#include "table.h"
#include "xmalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DESK_NAME_MAX 50 /* as the server's scan log keeps it */
#define DESK_FILE_MAX 120

static const char *opt_desk, *opt_data_dir;

/* In the order of their bits: DESK_NAME, DESK_DATA. */
static const struct config_entry desk_options[] = {
    CONFIG_FLAG("desk", "this desk's name (default: the host name)", &opt_desk),
    {.flag = "data-dir",
     .env = "JOBFAIR_DATA_DIR",
     .help = "where rosters and journals are kept",
     .value = &opt_data_dir},
};

/* The data directory by the XDG rules; NULL if HOME is not set either. */
static char *
desk_data_dir_new(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *dir;

	if (opt_data_dir != NULL && *opt_data_dir != '\0')
		return xstrdup(opt_data_dir);
	if (xdg != NULL && *xdg != '\0')
		xasprintf(&dir, "%s/jobfair", xdg);
	else if (home != NULL && *home != '\0')
		xasprintf(&dir, "%s/.local/share/jobfair", home);
	else
		return NULL;
	return dir;
}

static char *
desk_default_name_new(void)
{
	char host[HOST_NAME_MAX + 1];

	if (gethostname(host, sizeof host) != 0 || *host == '\0')
		return xstrdup("desk");
	host[sizeof host - 1] = '\0';
	host[strcspn(host, ".")] = '\0';
	if (strlen(host) > DESK_NAME_MAX)
		host[DESK_NAME_MAX] = '\0';
	return xstrdup(host);
}

int
desk_parse(struct cli *cli, struct desk *d, int want,
	   const struct config_entry *extra, size_t nextra, int argc,
	   char **argv, int *rest)
{
	size_t n = NELEM(desk_options) + nextra;
	struct config_entry *table = xcalloc(n, sizeof *table);
	size_t have = 0;
	char *cause = NULL;
	int rc;

	memset(d, 0, sizeof *d);
	for (size_t i = 0; i < NELEM(desk_options); i++)
		if (want & (1 << i))
			table[have++] = desk_options[i];
	if (nextra > 0)
		memcpy(table + have, extra, nextra * sizeof *extra);
	rc = cli_parse(cli, table, have + nextra, argc, argv, rest, &cause);
	free(table);
	if (rc != 0)
		return cli_usage_error(cli, cause);
	if (*rest < 1)
		return cli_usage_error(cli, xstrdup("EVENT is required"));
	if ((rc = cmd_want_ids(cli, 1, argv, 1)) != 0)
		return rc;
	d->event = argv[0];
	d->event_id = strtoll(argv[0], NULL, 10);
	if (want & DESK_NAME) {
		if (opt_desk != NULL &&
		    (*opt_desk == '\0' || strlen(opt_desk) > DESK_NAME_MAX))
			return cli_usage_error(
			    cli, xstrdup("--desk must be 1 to 50 characters"));
		d->named = opt_desk != NULL;
		d->name = opt_desk != NULL ? xstrdup(opt_desk)
					   : desk_default_name_new();
	}
	if (want & DESK_DATA) {
		if ((d->data_dir = desk_data_dir_new()) == NULL)
			return cli_usage_error(
			    cli, xstrdup("set --data-dir, JOBFAIR_DATA_DIR, "
					 "XDG_DATA_HOME or HOME"));
		xasprintf(&d->event_dir, "%s/event-%s", d->data_dir, d->event);
	}
	return 0;
}

void
desk_free(struct desk *d)
{
	free(d->name);
	free(d->data_dir);
	free(d->event_dir);
}

char *
desk_roster_path_new(const struct desk *d)
{
	char *path;

	xasprintf(&path, "%s/roster.json", d->event_dir);
	return path;
}

char *
desk_journal_path_new(const struct desk *d, const char *desk_name)
{
	char *file = desk_file_name_new(desk_name), *path;

	xasprintf(&path, "%s/%s.journal", d->event_dir, file);
	free(file);
	return path;
}

/* Bytes of the well-formed UTF-8 sequence at p (lead byte >= 0x80), or 0. */
static size_t
desk_utf8_len(const unsigned char *p)
{
	size_t len = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;

	if (*p < 0xc2 || *p > 0xf4)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

char *
desk_file_name_new(const char *s)
{
	char *out = xmalloc(DESK_FILE_MAX + 1), *w = out;
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		size_t len = *p < 0x80 ? 1 : desk_utf8_len(p);

		if ((size_t)(w - out) + (len > 0 ? len : 1) > DESK_FILE_MAX)
			break;
		if (len > 1) {
			memcpy(w, p, len);
			w += len;
			p += len;
			continue;
		}
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z') || *p == '-' || *p == '_' ||
		    (*p == '.' && w != out))
			*w++ = (char)*p;
		else
			*w++ = '_';
		p++;
	}
	if (w == out)
		*w++ = '_';
	*w = '\0';
	return out;
}

char *
desk_count_new(const cJSON *counts, const char *kind)
{
	bool company = kind != NULL && strcmp(kind, "company") == 0;
	const char *label = company ? "companies" : "seekers";
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(counts, label);
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(c, "checked_in");
	const cJSON *target = cJSON_GetObjectItemCaseSensitive(c, "target");
	char *s;

	if (!cJSON_IsNumber(in))
		return NULL;
	if (cJSON_IsNumber(target))
		xasprintf(&s, "%s %.0f/%.0f", label, in->valuedouble,
			  target->valuedouble);
	else
		xasprintf(&s, "%s %.0f", label, in->valuedouble);
	return s;
}

char *
desk_clock_new(const cJSON *time)
{
	char *when = table_time_new(time), *space = strchr(when, ' '), *s;

	if (!cJSON_IsString(time) || space == NULL) {
		free(when);
		return xstrdup("");
	}
	s = xstrdup(space + 1);
	free(when);
	return s;
}

void
desk_say(enum desk_tone tone, bool offline, const char *label, const char *text)
{
	/* Green, yellow, red: readable from a step back from the screen. */
	static const char *const colour[] = {"1;97;42", "1;30;43", "1;97;41"};

	if (isatty(STDOUT_FILENO)) {
		if (offline)
			printf("\033[1;97;44m OFFLINE \033[0m ");
		printf("\033[%sm %s \033[0m  \033[1m%s\033[0m", colour[tone],
		       label, text);
	} else
		printf("%s%s  %s", offline ? "OFFLINE " : "", label, text);
	printf("%s\n", tone == DESK_GOOD ? "" : "\a");
	fflush(stdout);
}

void
desk_print_json(const cJSON *json)
{
	char *text = cJSON_PrintUnformatted(json);

	printf("%s\n", text);
	free(text);
	fflush(stdout);
}
