/*
 * Validation of JSON input at the edge, from a declarative field table.
 * Each field is checked and normalised (NFKC digits, katakana, trimmed
 * text); every problem is reported under its field name, so a client
 * learns all that is wrong with one request. The server validates
 * request bodies with it and the CLI validates CSV rows before sending.
 */
#ifndef JF_INPUT_H
#define JF_INPUT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

enum input_kind {
	INPUT_TEXT,	 /* trimmed, 1..max characters */
	INPUT_KANA,	 /* katakana (hiragana converted) and spaces, 1..max */
	INPUT_INT,	 /* integer in [min, max]; "-12" as a string too */
	INPUT_BOOL,	 /* true/false; "true"/"false"/"1"/"0" accepted */
	INPUT_DATE,	 /* YYYY-MM-DD */
	INPUT_TIMESTAMP, /* RFC 3339 with offset */
	INPUT_ENUM,	 /* one of values */
	INPUT_ENUM_LIST, /* array (or "a;b" string) of distinct values */
	INPUT_CORPORATE_NUMBER,
	INPUT_POSTAL_CODE,
	INPUT_PHONE,
	INPUT_EMAIL,
	INPUT_JOB_NUMBER,
	INPUT_ESTABLISHMENT_NUMBER,
	INPUT_OBJECT_LIST, /* array of objects, each checked against sub */
	/*
	 * Array of objects each checked against sub, where a bad one does
	 * not fail the list: it becomes {"_refused": {"field": "why"}}, for
	 * a batch that refuses a row alone.
	 */
	INPUT_OBJECT_ROWS,
	INPUT_OBJECT, /* one object checked against sub */
};

/* Code points of INPUT_TEXT and INPUT_KANA when a table gives no max. */
#define INPUT_TEXT_MAX 1000
#define INPUT_KANA_MAX 100

struct input_field {
	const char *name;
	enum input_kind kind;
	bool required;
	long min, max; /* INPUT_INT range; INPUT_TEXT, _KANA maximum length */
	const char *const *values;     /* INPUT_ENUM(_LIST): NULL-terminated */
	const struct input_field *sub; /* INPUT_OBJECT(_LIST) */
	size_t nsub;
};

/*
 * Checks `in` against the table. Unknown fields are errors; JSON null
 * clears an optional field. With `partial` (PATCH) required fields may be
 * absent. Returns a new object of normalised values, or NULL with
 * *errors set to a new {"field": "why"} object. The caller owns both.
 */
cJSON *input_validate_new(const cJSON *in, const struct input_field *spec,
			  size_t n, bool partial, cJSON **errors);

#endif
