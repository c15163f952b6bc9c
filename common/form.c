/*
 * What the client sends, checked with the server's own field tables
 * (common/bodies.c) and the rules across fields the SQL functions of
 * migrations/ apply: a CSV file is checked whole before its first row is
 * sent, so "nothing is imported unless every row is valid" holds without
 * a round trip per row.
 */
#include "form.h"

#include "bodies.h"
#include "text.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NELEM(a) (sizeof(a) / sizeof *(a))

const struct form form_event = {
    "event", bodies_event, NELEM(bodies_event), NULL, 0, NULL,
};

static const struct csv_column company_columns[] = {
    {"corporate_number", "法人番号"},
    {"name", "企業名"},
    {"name_kana", "フリガナ"},
    {"industry", "業種"},
    {"postal_code", "郵便番号"},
    {"address", "住所"},
    {"phone", "電話番号"},
    {"contact_name", "担当者"},
    {"email", "メール"},
    {"establishment_number", "事業所番号"},
};

const struct form form_company = {
    "company",	     bodies_company,	     NELEM(bodies_company),
    company_columns, NELEM(company_columns), NULL,
};

const struct form form_booth = {
    "booth", bodies_booth, NELEM(bodies_booth), NULL, 0, NULL,
};

static const struct csv_column registration_columns[] = {
    {"name", "氏名"},
    {"name_kana", "フリガナ"},
    {"birth_date", "生年月日"},
    {"age", "年齢"},
    {"phone", "電話番号"},
    {"email", "メール"},
    {"categories", "区分"},
    {"disability", "手帳"},
    {"accommodations", "配慮事項"},
    {"accommodation_note", "配慮内容"},
    {"supporters", "同行支援者数"},
    {"consent", "同意"},
};

/* Consent to the purpose of use is what makes a registration lawful. */
static void
form_registration_check(const cJSON *clean, cJSON *errors)
{
	const cJSON *consent =
	    cJSON_GetObjectItemCaseSensitive(clean, "consent");

	if (cJSON_IsFalse(consent))
		cJSON_AddStringToObject(errors, "consent", "must be true");
	if (cJSON_IsString(
		cJSON_GetObjectItemCaseSensitive(clean, "birth_date")) &&
	    cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(clean, "age")))
		cJSON_AddStringToObject(
		    errors, "age", "give a birth date or an age, not both");
}

const struct form form_registration = {
    "registration",
    bodies_registration,
    NELEM(bodies_registration),
    registration_columns,
    NELEM(registration_columns),
    form_registration_check,
};

cJSON *
form_validate_new(const struct form *f, const cJSON *in, bool partial,
		  cJSON **errors)
{
	cJSON *clean, *errs;

	clean = input_validate_new(in, f->fields, f->nfields, partial, errors);
	if (clean == NULL || f->check == NULL)
		return clean;
	errs = cJSON_CreateObject();
	f->check(clean, errs);
	if (cJSON_GetArraySize(errs) == 0) {
		cJSON_Delete(errs);
		return clean;
	}
	cJSON_Delete(clean);
	*errors = errs;
	return NULL;
}

const struct input_field *
form_field(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}

/* 1 for a yes, 0 for a no, -1 for anything else, as staff write them. */
static int
form_yes_no(const char *cell)
{
	static const char *const yes[] = {"true", "1", "はい", "同意"};
	static const char *const no[] = {"false", "0", "いいえ"};

	for (size_t i = 0; i < NELEM(yes); i++)
		if (strcasecmp(cell, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < NELEM(no); i++)
		if (strcasecmp(cell, no[i]) == 0)
			return 0;
	return -1;
}

cJSON *
form_cell_new(const struct form *f, const char *name, const char *cell)
{
	const struct input_field *field = form_field(f, name);
	cJSON *obj;
	char *nfkc;
	int yes;

	if (field == NULL)
		return cJSON_CreateString(cell);
	switch (field->kind) {
	case INPUT_OBJECT:
		obj = cJSON_CreateObject();
		cJSON_AddStringToObject(obj, field->sub[0].name, cell);
		return obj;
	case INPUT_INT:
		/* Excel users type full-width digits; the server wants 120. */
		nfkc = text_nfkc_new(cell);
		obj = cJSON_CreateString(nfkc != NULL ? nfkc : cell);
		free(nfkc);
		return obj;
	case INPUT_BOOL:
		yes = form_yes_no(cell);
		if (yes >= 0)
			return cJSON_CreateBool(yes);
		return cJSON_CreateString(cell);
	default:
		return cJSON_CreateString(cell);
	}
}

char *
form_flag_new(const char *field)
{
	char *flag = xstrdup(field);

	for (char *p = flag; *p != '\0'; p++)
		if (*p == '_')
			*p = '-';
	return flag;
}

/* What a field's value looks like in a usage line; NULL for a switch. */
static char *
form_placeholder_new(const struct input_field *field)
{
	static const char *const kinds[] = {
	    [INPUT_TEXT] = "TEXT",
	    [INPUT_KANA] = "KANA",
	    [INPUT_INT] = "N",
	    [INPUT_DATE] = "YYYY-MM-DD",
	    [INPUT_TIMESTAMP] = "TIME",
	    [INPUT_CORPORATE_NUMBER] = "N",
	    [INPUT_POSTAL_CODE] = "N",
	    [INPUT_PHONE] = "N",
	    [INPUT_EMAIL] = "ADDRESS",
	    [INPUT_JOB_NUMBER] = "N",
	    [INPUT_ESTABLISHMENT_NUMBER] = "N",
	};
	const char *const *values = field->values;
	char *text, *longer;

	if (field->kind == INPUT_BOOL)
		return NULL;
	if (field->kind == INPUT_OBJECT)
		values = field->sub[0].values;
	if (values == NULL)
		return xstrdup(kinds[field->kind] ? kinds[field->kind]
						  : "VALUE");
	text = xstrdup(values[0]);
	for (size_t i = 1; values[i] != NULL; i++) {
		xasprintf(&longer, "%s|%s", text, values[i]);
		free(text);
		text = longer;
	}
	if (field->kind == INPUT_ENUM_LIST) {
		xasprintf(&longer, "%s;...", text);
		free(text);
		text = longer;
	}
	return text;
}

char *
form_usage_new(const struct form *f, size_t first)
{
	char *usage = xstrdup(""), *longer, *flag, *value;

	for (size_t i = first; i < f->nfields; i++) {
		const struct input_field *field = &f->fields[i];

		if (field->kind == INPUT_OBJECT_LIST)
			continue;
		flag = form_flag_new(field->name);
		value = form_placeholder_new(field);
		xasprintf(&longer, "%s%s%s--%s%s%s%s", usage,
			  *usage != '\0' ? " " : "", field->required ? "" : "[",
			  flag, value != NULL ? " " : "",
			  value != NULL ? value : "",
			  field->required ? "" : "]");
		free(usage);
		free(flag);
		free(value);
		usage = longer;
	}
	return usage;
}
