/*
 * Settings from one declarative table: each entry has a default, an
 * environment variable, a command-line flag and a type. Flags win over
 * the environment, the environment wins over the default. A typed value
 * that does not parse or is out of range is an error naming the setting,
 * never a silent fall back to the default.
 */
#ifndef JF_CONFIG_H
#define JF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum config_type {
	CONFIG_TEXT,   /* any string; the default for tables that say nothing */
	CONFIG_INT,    /* a decimal integer in [min, max], stored in *number */
	CONFIG_CHOICE, /* one of choices */
};

struct config_entry {
	const char *flag; /* "listen" for --listen VALUE */
	const char *env;  /* "JOBFAIR_LISTEN", or NULL */
	const char *def;  /* default, or NULL for unset */
	const char *help;
	bool is_switch;	    /* --flag without a value sets "1" */
	const char **value; /* where the result goes (borrowed from argv/env) */
	enum config_type type;
	long min, max;		    /* CONFIG_INT */
	long *number;		    /* CONFIG_INT: the parsed value, if set */
	const char *const *choices; /* CONFIG_CHOICE: NULL-terminated */
};

/* An option with neither environment variable nor default, and a switch. */
#define CONFIG_FLAG(f, h, v)                                                   \
	{                                                                      \
		.flag = (f), .help = (h), .value = (v)                         \
	}
#define CONFIG_SWITCH(f, h, v)                                                 \
	{                                                                      \
		.flag = (f), .help = (h), .is_switch = true, .value = (v)      \
	}

/*
 * Applies defaults and the environment, then consumes the flags in argv
 * that the table knows. Other arguments are moved to the front of argv
 * in order and their count is returned through *rest. Returns -1 with a
 * cause for an unknown flag, a flag missing its value, or a typed value
 * that is wrong; the cause names the flag or variable it came from.
 */
int config_load(const struct config_entry *table, size_t n, int argc,
		char **argv, int *rest, char **cause);
void config_usage(FILE *out, const struct config_entry *table, size_t n);

/* Parses a whole number (validate_whole_number) within [min, max]. */
int config_int(const char *s, long min, long max, long *out);

#endif
