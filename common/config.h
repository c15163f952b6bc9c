/*
 * Settings from one declarative table: each entry has a default, an
 * environment variable and a command-line flag. Flags win over the
 * environment, the environment wins over the default.
 */
#ifndef JF_CONFIG_H
#define JF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct config_entry {
	const char *flag; /* "listen" for --listen VALUE */
	const char *env;  /* "JOBFAIR_LISTEN", or NULL */
	const char *def;  /* default, or NULL for unset */
	const char *help;
	bool is_switch;	    /* --flag without a value sets "1" */
	const char **value; /* where the result goes (borrowed from argv/env) */
};

/*
 * Applies defaults and the environment, then consumes the flags in argv
 * that the table knows. Other arguments are moved to the front of argv
 * in order and their count is returned through *rest. Returns -1 with a
 * cause for an unknown flag or a flag missing its value.
 */
int config_load(const struct config_entry *table, size_t n, int argc,
		char **argv, int *rest, char **cause);
void config_usage(FILE *out, const struct config_entry *table, size_t n);

/* Parses a decimal integer within [min, max]. */
int config_int(const char *s, long min, long max, long *out);

#endif
