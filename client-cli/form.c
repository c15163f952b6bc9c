/*
 * The field tables of what the client sends. They repeat the server's
 * (server/events.c, companies.c, booths.c, registrations.c and the SQL
 * functions of migrations/0004 for rules across fields) on purpose: a CSV file
 * is checked whole before its first row is sent, so "nothing is imported unless
 * every row is valid" holds without a round trip per row.
 */
#include "form.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NELEM(a) (sizeof(a) / sizeof *(a))
/* The largest id JSON carries exactly. */
#define FORM_MAX_ID 9007199254740991L

static const char *const event_organizers[] = {"city", "hellowork", "joint",
					       NULL};
static const char *const event_statuses[] = {"draft", "open", "closed", NULL};

static const struct input_field event_fields[] = {
    {"type", INPUT_TEXT, true, 0, 50, NULL, NULL, 0},
    {"title", INPUT_TEXT, true, 0, 200, NULL, NULL, 0},
    {"starts_at", INPUT_TIMESTAMP, true, 0, 0, NULL, NULL, 0},
    {"ends_at", INPUT_TIMESTAMP, true, 0, 0, NULL, NULL, 0},
    {"venue", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    {"capacity", INPUT_INT, false, 0, 100000, NULL, NULL, 0},
    {"target_companies", INPUT_INT, false, 0, 10000, NULL, NULL, 0},
    {"target_seekers", INPUT_INT, false, 0, 100000, NULL, NULL, 0},
    {"organizer", INPUT_ENUM, true, 0, 0, event_organizers, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, event_statuses, NULL, 0},
};

const struct form form_event = {
    "event", event_fields, NELEM(event_fields), NULL, 0, NULL,
};

static const struct input_field company_fields[] = {
    {"corporate_number", INPUT_CORPORATE_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"name", INPUT_TEXT, true, 0, 200, NULL, NULL, 0},
    {"name_kana", INPUT_KANA, false, 0, 0, NULL, NULL, 0},
    {"industry", INPUT_TEXT, false, 0, 100, NULL, NULL, 0},
    {"postal_code", INPUT_POSTAL_CODE, false, 0, 0, NULL, NULL, 0},
    {"address", INPUT_TEXT, false, 0, 300, NULL, NULL, 0},
    {"phone", INPUT_PHONE, false, 0, 0, NULL, NULL, 0},
    {"contact_name", INPUT_TEXT, false, 0, 100, NULL, NULL, 0},
    {"email", INPUT_EMAIL, false, 0, 0, NULL, NULL, 0},
    {"establishment_number", INPUT_ESTABLISHMENT_NUMBER, false, 0, 0, NULL,
     NULL, 0},
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
    "company",	     company_fields,	     NELEM(company_fields),
    company_columns, NELEM(company_columns), NULL,
};

static const char *const booth_statuses[] = {"applied", "confirmed",
					     "cancelled", NULL};
static const char *const employment_types[] = {
    "正社員", "契約社員", "パート", "アルバイト",
    "派遣",   "嘱託",	  "その他", NULL};

static const struct input_field opening_fields[] = {
    {"title", INPUT_TEXT, true, 0, 200, NULL, NULL, 0},
    {"employment_type", INPUT_ENUM, true, 0, 0, employment_types, NULL, 0},
    {"job_number", INPUT_JOB_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"count", INPUT_INT, false, 1, 999, NULL, NULL, 0},
};

static const struct input_field booth_fields[] = {
    {"company_id", INPUT_INT, true, 1, FORM_MAX_ID, NULL, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, booth_statuses, NULL, 0},
    {"booth", INPUT_TEXT, false, 0, 50, NULL, NULL, 0},
    {"representatives", INPUT_INT, false, 0, 50, NULL, NULL, 0},
    {"openings", INPUT_OBJECT_LIST, false, 0, 0, NULL, opening_fields,
     NELEM(opening_fields)},
};

const struct form form_booth = {
    "booth", booth_fields, NELEM(booth_fields), NULL, 0, NULL,
};

static const char *const seeker_categories[] = {
    "youth",   "senior",	"disability", "parenting",
    "welfare", "single_parent", NULL};
static const char *const handbooks[] = {"physical", "intellectual", "mental",
					"none", NULL};
static const char *const accommodations[] = {"sign_language",
					     "captioning",
					     "written",
					     "wheelchair",
					     "braille_large_print",
					     "rest_breaks",
					     "supporter",
					     "other",
					     NULL};

static const char *const registration_statuses[] = {"registered", "cancelled",
						    NULL};

static const struct input_field disability_fields[] = {
    {"handbook", INPUT_ENUM, true, 0, 0, handbooks, NULL, 0},
};

static const struct input_field registration_fields[] = {
    {"name", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
    {"name_kana", INPUT_KANA, true, 0, 0, NULL, NULL, 0},
    {"birth_date", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
    {"age", INPUT_INT, false, 15, 120, NULL, NULL, 0},
    {"phone", INPUT_PHONE, false, 0, 0, NULL, NULL, 0},
    {"email", INPUT_EMAIL, false, 0, 0, NULL, NULL, 0},
    {"categories", INPUT_ENUM_LIST, false, 0, 0, seeker_categories, NULL, 0},
    {"disability", INPUT_OBJECT, false, 0, 0, NULL, disability_fields,
     NELEM(disability_fields)},
    {"accommodations", INPUT_ENUM_LIST, false, 0, 0, accommodations, NULL, 0},
    {"accommodation_note", INPUT_TEXT, false, 0, 1000, NULL, NULL, 0},
    {"supporters", INPUT_INT, false, 0, 10, NULL, NULL, 0},
    {"consent", INPUT_BOOL, true, 0, 0, NULL, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, registration_statuses, NULL, 0},
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
    registration_fields,
    NELEM(registration_fields),
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
