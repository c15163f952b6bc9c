/* Table-driven validation and normalisation of JSON input. */
#include "input.h"

#include "validate.h"
#include "xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef int (*input_validator)(const char *in, char **out, const char **why);

static input_validator
input_string_validator(enum input_kind kind)
{
	switch (kind) {
	case INPUT_KANA:
		return validate_kana;
	case INPUT_DATE:
		return validate_date;
	case INPUT_TIMESTAMP:
		return validate_timestamp;
	case INPUT_CORPORATE_NUMBER:
		return validate_corporate_number;
	case INPUT_POSTAL_CODE:
		return validate_postal_code;
	case INPUT_PHONE:
		return validate_phone;
	case INPUT_EMAIL:
		return validate_email;
	case INPUT_JOB_NUMBER:
		return validate_job_number;
	case INPUT_ESTABLISHMENT_NUMBER:
		return validate_establishment_number;
	default:
		return NULL;
	}
}

static bool
input_in_values(const char *s, const char *const *values)
{
	for (; *values != NULL; values++)
		if (strcmp(s, *values) == 0)
			return true;
	return false;
}

static cJSON *input_check(const cJSON *v, const struct input_field *f,
			  const char **why, cJSON *errors);

static cJSON *
input_int(const cJSON *v, const struct input_field *f, const char **why)
{
	double d;

	/* A string of digits so long it makes HUGE_VAL is out of range. */
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	    v->valuedouble == floor(v->valuedouble))
		d = v->valuedouble;
	else if (cJSON_IsString(v) && validate_whole_number(v->valuestring))
		d = strtod(v->valuestring, NULL);
	else {
		*why = "must be a whole number";
		return NULL;
	}
	if (d < f->min || d > f->max) {
		*why = "is out of range";
		return NULL;
	}
	return cJSON_CreateNumber(d);
}

static cJSON *
input_bool(const cJSON *v, const char **why)
{
	if (cJSON_IsBool(v))
		return cJSON_CreateBool(cJSON_IsTrue(v));
	if (cJSON_IsString(v)) {
		const char *s = v->valuestring;

		if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
			return cJSON_CreateTrue();
		if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
			return cJSON_CreateFalse();
	}
	*why = "must be true or false";
	return NULL;
}

/*
 * Adds one chosen value to a list. A value not allowed fails the list
 * through *why; one already chosen is named by its place in errors
 * ("categories[2]": "is listed twice"), so the clerk sees which to drop.
 * Each value is new or fails, so the list never outgrows the vocabulary.
 */
static bool
input_enum_add(cJSON *out, const char *s, const struct input_field *f,
	       const char **why, cJSON *errors)
{
	const cJSON *seen;
	char *key;

	if (!input_in_values(s, f->values)) {
		*why = "contains a value that is not allowed";
		return false;
	}
	cJSON_ArrayForEach(seen, out)
	{
		if (strcmp(seen->valuestring, s) != 0)
			continue;
		xasprintf(&key, "%s[%d]", f->name, cJSON_GetArraySize(out));
		cJSON_AddStringToObject(errors, key, "is listed twice");
		free(key);
		*why = NULL;
		return false;
	}
	cJSON_AddItemToArray(out, cJSON_CreateString(s));
	return true;
}

static cJSON *
input_enum_list(const cJSON *v, const struct input_field *f, const char **why,
		cJSON *errors)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *item;

	if (cJSON_IsString(v)) {
		/* CSV cells carry lists as "youth;senior". */
		char *copy = xstrdup(v->valuestring), *save = NULL, *tok;
		bool ok = true;

		for (tok = strtok_r(copy, ";", &save); ok && tok != NULL;
		     tok = strtok_r(NULL, ";", &save)) {
			while (*tok == ' ')
				tok++;
			for (char *e = tok + strlen(tok);
			     e > tok && e[-1] == ' ';)
				*--e = '\0';
			if (*tok != '\0')
				ok = input_enum_add(out, tok, f, why, errors);
		}
		free(copy);
		if (ok)
			return out;
		cJSON_Delete(out);
		return NULL;
	}
	if (!cJSON_IsArray(v)) {
		*why = "must be a list";
		cJSON_Delete(out);
		return NULL;
	}
	cJSON_ArrayForEach(item, v)
	{
		if (!cJSON_IsString(item)) {
			*why = "contains a value that is not allowed";
			cJSON_Delete(out);
			return NULL;
		}
		if (!input_enum_add(out, item->valuestring, f, why, errors)) {
			cJSON_Delete(out);
			return NULL;
		}
	}
	return out;
}

/*
 * One nested object checked against f->sub. Its problems go straight into
 * errors, named "<prefix>.<field>" ("openings[2].title"), so the caller
 * learns nothing through *why.
 */
static cJSON *
input_nested(const cJSON *v, const struct input_field *f, const char *prefix,
	     cJSON *errors)
{
	cJSON *sub_errors = NULL, *clean, *e;

	clean = input_validate_new(v, f->sub, f->nsub, false, &sub_errors);
	if (clean != NULL)
		return clean;
	cJSON_ArrayForEach(e, sub_errors)
	{
		char *key;

		xasprintf(&key, "%s.%s", prefix, e->string);
		cJSON_AddStringToObject(errors, key, e->valuestring);
		free(key);
	}
	cJSON_Delete(sub_errors);
	return NULL;
}

static cJSON *
input_object(const cJSON *v, const struct input_field *f, const char **why,
	     cJSON *errors)
{
	if (!cJSON_IsObject(v)) {
		*why = "must be an object";
		return NULL;
	}
	*why = NULL;
	return input_nested(v, f, f->name, errors);
}

/* One row of an INPUT_OBJECT_ROWS list: checked, or why it is refused. */
static cJSON *
input_row(const cJSON *v, const struct input_field *f)
{
	cJSON *errs = NULL, *refused;
	cJSON *clean = input_validate_new(v, f->sub, f->nsub, false, &errs);

	if (clean != NULL)
		return clean;
	refused = cJSON_CreateObject();
	cJSON_AddItemToObject(refused, "_refused", errs);
	return refused;
}

static cJSON *
input_object_list(const cJSON *v, const struct input_field *f, const char **why,
		  cJSON *errors)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *item;
	int i = 0;
	bool bad = false;

	if (!cJSON_IsArray(v)) {
		*why = "must be a list of objects";
		cJSON_Delete(out);
		return NULL;
	}
	cJSON_ArrayForEach(item, v)
	{
		char *prefix;
		cJSON *clean;

		if (f->kind == INPUT_OBJECT_ROWS) {
			cJSON_AddItemToArray(out, input_row(item, f));
			continue;
		}
		xasprintf(&prefix, "%s[%d]", f->name, i++);
		clean = input_nested(item, f, prefix, errors);
		free(prefix);
		if (clean != NULL)
			cJSON_AddItemToArray(out, clean);
		else
			bad = true;
	}
	if (bad) {
		*why = NULL;
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

/* Code points of valid UTF-8: the bytes that start one. */
static size_t
input_code_points(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static cJSON *
input_string(const cJSON *v, const struct input_field *f, const char **why)
{
	input_validator fn = input_string_validator(f->kind);
	char *out = NULL;
	cJSON *res;
	int rc;

	if (!cJSON_IsString(v)) {
		*why = "must be a string";
		return NULL;
	}
	if (f->kind == INPUT_TEXT)
		rc = validate_text(v->valuestring,
				   f->max ? (size_t)f->max : INPUT_TEXT_MAX,
				   &out, why);
	else if (f->kind == INPUT_ENUM) {
		if (!input_in_values(v->valuestring, f->values)) {
			*why = "is not one of the allowed values";
			return NULL;
		}
		return cJSON_CreateString(v->valuestring);
	} else
		rc = fn(v->valuestring, &out, why);
	if (rc != 0)
		return NULL;
	/*
	 * Kana is unbounded by its own rule; a name's key is indexed and
	 * the index has a row limit, which must never be the first to say.
	 */
	if (f->kind == INPUT_KANA &&
	    input_code_points(out) >
		(size_t)(f->max ? f->max : INPUT_KANA_MAX)) {
		free(out);
		*why = "is too long";
		return NULL;
	}
	res = cJSON_CreateString(out);
	free(out);
	return res;
}

static cJSON *
input_check(const cJSON *v, const struct input_field *f, const char **why,
	    cJSON *errors)
{
	switch (f->kind) {
	case INPUT_INT:
		return input_int(v, f, why);
	case INPUT_BOOL:
		return input_bool(v, why);
	case INPUT_ENUM_LIST:
		return input_enum_list(v, f, why, errors);
	case INPUT_OBJECT_LIST:
	case INPUT_OBJECT_ROWS:
		return input_object_list(v, f, why, errors);
	case INPUT_OBJECT:
		return input_object(v, f, why, errors);
	default:
		return input_string(v, f, why);
	}
}

static const struct input_field *
input_find(const struct input_field *spec, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(spec[i].name, name) == 0)
			return &spec[i];
	return NULL;
}

cJSON *
input_validate_new(const cJSON *in, const struct input_field *spec, size_t n,
		   bool partial, cJSON **errors)
{
	cJSON *out = cJSON_CreateObject();
	cJSON *errs = cJSON_CreateObject();
	const cJSON *item;

	if (!cJSON_IsObject(in)) {
		cJSON_AddStringToObject(errs, "_", "must be a JSON object");
		goto fail;
	}
	cJSON_ArrayForEach(item, in)
	{
		if (item->string == NULL ||
		    input_find(spec, n, item->string) == NULL)
			cJSON_AddStringToObject(
			    errs, item->string ? item->string : "_",
			    "is not a known field");
	}
	for (size_t i = 0; i < n; i++) {
		const struct input_field *f = &spec[i];
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, f->name);
		const char *why = NULL;
		cJSON *clean;

		if (v == NULL || cJSON_IsNull(v) ||
		    (cJSON_IsString(v) && *v->valuestring == '\0' &&
		     f->kind != INPUT_ENUM_LIST)) {
			if (f->required && (!partial || v != NULL))
				cJSON_AddStringToObject(errs, f->name,
							"is required");
			else if (v != NULL)
				cJSON_AddNullToObject(out, f->name);
			continue;
		}
		clean = input_check(v, f, &why, errs);
		if (clean != NULL)
			cJSON_AddItemToObject(out, f->name, clean);
		else if (why != NULL)
			cJSON_AddStringToObject(errs, f->name, why);
	}
	if (cJSON_GetArraySize(errs) == 0) {
		cJSON_Delete(errs);
		*errors = NULL;
		return out;
	}
fail:
	cJSON_Delete(out);
	*errors = errs;
	return NULL;
}
