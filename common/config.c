/* Settings from one declarative table: defaults, environment, flags. */
#include "config.h"

#include "xmalloc.h"

#include <errno.h>
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

int
config_load(const struct config_entry *table, size_t n, int argc, char **argv,
	    int *rest, char **cause)
{
	int out = 0;

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
			return -1;
		}
		if (eq != NULL)
			*e->value = argv[i] + 2 + (eq - name) + 1;
		else if (e->is_switch)
			*e->value = "1";
		else if (i + 1 < argc)
			*e->value = argv[++i];
		else {
			xasprintf(cause, "option --%s needs a value", name);
			free(name);
			return -1;
		}
		free(name);
	}
	*rest = out;
	return 0;
}

void
config_usage(FILE *out, const struct config_entry *table, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char left[64];

		snprintf(left, sizeof left, "--%s%s", table[i].flag,
			 table[i].is_switch ? "" : " VALUE");
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
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
