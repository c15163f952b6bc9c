/* Settings from one declarative table: defaults, environment, flags. */
#include "config.h"

#include "validate.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct config_entry *
config_find(const struct config_entry *table, size_t n, const char *flag)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].flag, flag) == 0)
			return &table[i];
	return NULL;
}

/* The flag or the variable a value came from, for the error message. */
static void
config_name(char *buf, size_t size, const struct config_entry *e,
	    bool from_flag)
{
	if (from_flag || e->env == NULL)
		snprintf(buf, size, "--%s", e->flag);
	else
		snprintf(buf, size, "%s", e->env);
}

/* Checks a typed value; -1 with a cause naming where it came from. */
static int
config_check(const struct config_entry *e, bool from_flag, char **cause)
{
	const char *v = *e->value;
	char name[80];
	long number;

	if (v == NULL || e->type == CONFIG_TEXT)
		return 0;
	config_name(name, sizeof name, e, from_flag);
	if (e->type == CONFIG_INT) {
		if (config_int(v, e->min, e->max, &number) != 0) {
			xasprintf(cause,
				  "%s must be a whole number from %ld to %ld, "
				  "not \"%s\"",
				  name, e->min, e->max, v);
			return -1;
		}
		if (e->number != NULL)
			*e->number = number;
		return 0;
	}
	for (const char *const *c = e->choices; *c != NULL; c++)
		if (strcmp(*c, v) == 0)
			return 0;
	xasprintf(cause, "%s must be one of", name);
	for (const char *const *c = e->choices; *c != NULL; c++) {
		char *longer;

		xasprintf(&longer, "%s%s %s", *cause,
			  c == e->choices ? "" : (c[1] == NULL ? " or" : ","),
			  *c);
		free(*cause);
		*cause = longer;
	}
	return -1;
}

int
config_load(const struct config_entry *table, size_t n, int argc, char **argv,
	    int *rest, char **cause)
{
	bool *from_flag = xcalloc(n == 0 ? 1 : n, sizeof *from_flag);
	int out = 0, rc = -1;

	for (size_t i = 0; i < n; i++) {
		const char *env = table[i].env ? getenv(table[i].env) : NULL;

		*table[i].value =
		    (env != NULL && *env != '\0') ? env : table[i].def;
	}
	for (int i = 0; i < argc; i++) {
		const struct config_entry *e;
		char *name, *eq;

		if (strncmp(argv[i], "--", 2) != 0 || argv[i][2] == '\0') {
			argv[out++] = argv[i];
			continue;
		}
		name = xstrdup(argv[i] + 2);
		eq = strchr(name, '=');
		if (eq != NULL)
			*eq = '\0';
		e = config_find(table, n, name);
		if (e == NULL) {
			xasprintf(cause, "unknown option --%s", name);
			free(name);
			goto out;
		}
		from_flag[e - table] = true;
		if (eq != NULL)
			*e->value = argv[i] + 2 + (eq - name) + 1;
		else if (e->is_switch)
			*e->value = "1";
		else if (i + 1 < argc)
			*e->value = argv[++i];
		else {
			xasprintf(cause, "option --%s needs a value", name);
			free(name);
			goto out;
		}
		free(name);
	}
	for (size_t i = 0; i < n; i++)
		if (config_check(&table[i], from_flag[i], cause) != 0)
			goto out;
	*rest = out;
	rc = 0;
out:
	free(from_flag);
	return rc;
}

void
config_usage(FILE *out, const struct config_entry *table, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char left[64];

		snprintf(left, sizeof left, "--%s%s", table[i].flag,
			 table[i].is_switch ? "" : " VALUE");
		if (table[i].type == CONFIG_INT)
			fprintf(out, "  %-26s %s (%ld to %ld)\n", left,
				table[i].help, table[i].min, table[i].max);
		else
			fprintf(out, "  %-26s %s\n", left, table[i].help);
		if (table[i].env != NULL || table[i].def != NULL)
			fprintf(out, "  %-26s %s%s%s%s%s\n", "",
				table[i].env ? "env " : "",
				table[i].env ? table[i].env : "",
				table[i].env && table[i].def ? ", " : "",
				table[i].def ? "default " : "",
				table[i].def ? table[i].def : "");
	}
}

int
config_int(const char *s, long min, long max, long *out)
{
	long v;

	if (s == NULL || !validate_whole_number(s))
		return -1;
	errno = 0;
	v = strtol(s, NULL, 10);
	if (errno != 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
