/*
 * Human output: lists of JSON objects as tables whose columns line up
 * in a terminal even with Japanese text (aligned by display width, not
 * bytes), and single objects as "label  value" lines.
 */
#ifndef JF_TABLE_H
#define JF_TABLE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct table_column {
	const char *header; /* "企業名" */
	const char *key;    /* the item's field: "name" */
	bool right;	    /* right-aligned, for numbers */
	/* Renders the field's value (NULL if absent); NULL: table_cell_new */
	char *(*format_new)(const cJSON *value);
};

/*
 * The text of a value: strings as they are (control characters shown as
 * spaces, so data cannot move the cursor), whole numbers without a
 * decimal point, true/false as yes/no, lists joined by ";", objects by
 * their fields' values; "" for null or absent. The caller frees it.
 */
char *table_cell_new(const cJSON *value);

/* An RFC 3339 time shown in Japan's time: "2024-10-15 10:00". */
char *table_time_new(const cJSON *value);

/* One header line, then one line per item of the array `items`. */
void table_print(FILE *out, const struct table_column *cols, size_t ncols,
		 const cJSON *items);

/* One line per column: its header, then obj's value. */
void table_print_object(FILE *out, const struct table_column *cols,
			size_t ncols, const cJSON *obj);

#endif
