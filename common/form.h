/*
 * What the client sends for each kind of object: the field table that
 * mirrors the server's rules (so bad input is caught before anything is
 * sent), the CSV header labels an import accepts, and how a CSV cell
 * becomes a JSON value.
 */
#ifndef JF_FORM_H
#define JF_FORM_H

#include "csv.h"
#include "input.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct form {
	const char *what; /* "company", for messages */
	const struct input_field *fields;
	size_t nfields;
	/* CSV columns by JSON name and Japanese label; NULL if not imported */
	const struct csv_column *columns;
	size_t ncolumns;
	/* Rules across fields, run on valid input; adds {"field": "why"}. */
	void (*check)(const cJSON *clean, cJSON *errors);
};

extern const struct form form_event;
extern const struct form form_company;
extern const struct form form_booth;
extern const struct form form_registration;

/*
 * Validates `in` as the server will: the field table, then the form's
 * rules across fields. Returns a new object of normalised values, or NULL
 * with *errors set to a new {"field": "why"} object (nested fields named
 * "disability.handbook"). The caller owns both.
 */
cJSON *form_validate_new(const struct form *f, const cJSON *in, bool partial,
			 cJSON **errors);

/* The field called name; NULL if the form has none. */
const struct input_field *form_field(const struct form *f, const char *name);

/*
 * The JSON value of a CSV cell for field `name`: for an object field the
 * cell fills the object's first sub-field ({"handbook": cell}); a boolean
 * field reads true/1/はい/同意 as true and false/0/いいえ as false; an
 * integer field's full-width digits become ASCII (NFKC); anything else
 * stays a string for validation to judge. The caller owns
 * the result.
 */
cJSON *form_cell_new(const struct form *f, const char *name, const char *cell);

/* A field's option name: "name_kana" gives "name-kana". The caller frees it. */
char *form_flag_new(const char *field);

/*
 * The form's options for a usage line, from its field table starting at
 * field `first`: "--name TEXT [--age N] [--status draft|open|closed]"; a
 * list of objects is left to the command. The caller frees it.
 */
char *form_usage_new(const struct form *f, size_t first);

#endif
