/*
 * The outcomes CSV: its form (the server's rules for a row, from
 * server/interviews.c and api_outcomes_import() in
 * migrations/0006_reports.sql), the words staff write for an outcome,
 * and the checks across rows. The server checks everything again in one
 * transaction; checking here first names every bad row of the file
 * before anything is sent.
 */
#include "outcomes.h"

#include "token.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTCOMES_ID_MAX 9007199254740991L

/* The words a company writes, then the API's own, and what they mean. */
static const struct {
	const char *word;
	const char *outcome;
} outcomes_words[] = {
    {"内定", "offer"},	  {"採用", "hired"},	    {"就職", "hired"},
    {"辞退", "declined"}, {"取下げ", "withdrawn"},  {"取り下げ", "withdrawn"},
    {"未定", "pending"},  {"pending", "pending"},   {"offer", "offer"},
    {"hired", "hired"},	  {"declined", "declined"}, {"withdrawn", "withdrawn"},
};

#define OUTCOMES_NWORDS (sizeof outcomes_words / sizeof *outcomes_words)

static const char *const outcomes_values[OUTCOMES_NWORDS + 1] = {
    "内定",    "採用",	"就職",	 "辞退",     "取下げ",	  "取り下げ", "未定",
    "pending", "offer", "hired", "declined", "withdrawn", NULL};

static const char outcomes_unknown_word[] =
    "must be 内定, 採用, 就職, 辞退, 取下げ or 未定 (or offer, hired, "
    "declined, withdrawn, pending)";

static const struct input_field outcomes_fields[] = {
    {"registration_id", INPUT_INT, false, 1, OUTCOMES_ID_MAX, NULL, NULL, 0},
    {"token", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    {"company_id", INPUT_INT, false, 1, OUTCOMES_ID_MAX, NULL, NULL, 0},
    {"corporate_number", INPUT_CORPORATE_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"outcome", INPUT_ENUM, true, 0, 0, outcomes_values, NULL, 0},
    {"outcome_date", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
};

static const struct csv_column outcomes_columns[] = {
    {"registration_id", "登録番号"},
    {"token", "受付コード"},
    {"company_id", "企業ID"},
    {"corporate_number", "法人番号"},
    {"outcome", "結果"},
    {"outcome_date", "結果日"},
};

/* The API's word for what staff wrote; NULL if it is none of them. */
static const char *
outcomes_word(const char *word)
{
	for (size_t i = 0; i < OUTCOMES_NWORDS; i++)
		if (strcmp(outcomes_words[i].word, word) == 0)
			return outcomes_words[i].outcome;
	return NULL;
}

/* Exactly one of two columns that name the same person or company. */
static void
outcomes_one_of(const cJSON *clean, const char *a, const char *b,
		const char *why_none, const char *why_both, cJSON *errors)
{
	bool has_a = cJSON_HasObjectItem(clean, a);

	if (has_a == cJSON_HasObjectItem(clean, b))
		cJSON_AddStringToObject(errors, a, has_a ? why_both : why_none);
}

/* The rules across a row's fields, as the server applies them. */
static void
outcomes_row_check(const cJSON *clean, cJSON *errors)
{
	const char *token = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(clean, "token"));
	const char *outcome = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(clean, "outcome"));
	const char *word = outcome != NULL ? outcomes_word(outcome) : NULL;
	char norm[TOKEN_LEN + 1];

	outcomes_one_of(clean, "registration_id", "token",
			"give 登録番号 or 受付コード",
			"give 登録番号 or 受付コード, not both", errors);
	outcomes_one_of(clean, "corporate_number", "company_id",
			"give 法人番号 or 企業ID",
			"give 法人番号 or 企業ID, not both", errors);
	if (token != NULL && !token_parse(token, norm))
		cJSON_AddStringToObject(errors, "token",
					"is not a check-in token (JF1-…)");
	if (word != NULL && strcmp(word, "pending") == 0 &&
	    cJSON_HasObjectItem(clean, "outcome_date"))
		cJSON_AddStringToObject(errors, "outcome_date",
					"a pending interview has no outcome "
					"date");
}

const struct form outcomes_form = {
    "outcome",
    outcomes_fields,
    sizeof outcomes_fields / sizeof *outcomes_fields,
    outcomes_columns,
    sizeof outcomes_columns / sizeof *outcomes_columns,
    outcomes_row_check,
};

/* Position of a form column by name; the form has every name asked. */
static size_t
outcomes_column(const char *name)
{
	size_t i = 0;

	while (strcmp(outcomes_columns[i].name, name) != 0)
		i++;
	return i;
}

/* The column's label as the file's header writes it. */
static const char *
outcomes_label(const struct import_batch *b, size_t column)
{
	if (b->index[column] >= 0)
		return b->header[b->index[column]];
	return outcomes_columns[column].label;
}

static void
outcomes_row_error(struct import_batch *b, struct import_row *row,
		   const char *label, const char *why)
{
	if (row->errors == NULL)
		row->errors = cJSON_CreateObject();
	if (!cJSON_HasObjectItem(row->errors, label))
		cJSON_AddStringToObject(row->errors, label, why);
	if (row->body != NULL) {
		cJSON_Delete(row->body);
		row->body = NULL;
		b->ninvalid++;
	}
}

/* "who/which" of a valid row: the same job seeker at the same company. */
static char *
outcomes_key_new(const cJSON *body)
{
	const cJSON *token = cJSON_GetObjectItemCaseSensitive(body, "token");
	const cJSON *id =
	    cJSON_GetObjectItemCaseSensitive(body, "registration_id");
	const cJSON *corp =
	    cJSON_GetObjectItemCaseSensitive(body, "corporate_number");
	const cJSON *company =
	    cJSON_GetObjectItemCaseSensitive(body, "company_id");
	char norm[TOKEN_LEN + 1] = "", *key;

	if (cJSON_IsString(token))
		token_parse(token->valuestring, norm);
	xasprintf(&key, "%s%.0f/%s%.0f", norm,
		  cJSON_IsNumber(id) ? id->valuedouble : 0.0,
		  cJSON_IsString(corp) ? corp->valuestring : "",
		  cJSON_IsNumber(company) ? company->valuedouble : 0.0);
	return key;
}

struct outcomes_key {
	char *key;
	size_t row;
};

static int
outcomes_key_cmp(const void *a, const void *b)
{
	const struct outcomes_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* A row that repeats an earlier row's job seeker and company. */
static void
outcomes_check_repeats(struct import_batch *b)
{
	struct outcomes_key *keys = xcalloc(b->nrows + 1, sizeof *keys);
	size_t n = 0;

	for (size_t i = 0; i < b->nrows; i++)
		if (b->rows[i].body != NULL) {
			keys[n].key = outcomes_key_new(b->rows[i].body);
			keys[n++].row = i;
		}
	qsort(keys, n, sizeof *keys, outcomes_key_cmp);
	for (size_t i = 1; i < n; i++) {
		size_t first = i - 1;
		char *why;

		if (strcmp(keys[i].key, keys[first].key) != 0)
			continue;
		while (first > 0 &&
		       strcmp(keys[first - 1].key, keys[i].key) == 0)
			first--;
		xasprintf(&why,
			  "repeats row %zu (the same job seeker and company)",
			  b->rows[keys[first].row].number);
		outcomes_row_error(b, &b->rows[keys[i].row], "", why);
		free(why);
	}
	for (size_t i = 0; i < n; i++)
		free(keys[i].key);
	free(keys);
}

int
outcomes_check(struct import_batch *b, char **cause)
{
	const char *outcome = outcomes_label(b, outcomes_column("outcome"));

	if (b->index[outcomes_column("registration_id")] < 0 &&
	    b->index[outcomes_column("token")] < 0) {
		*cause = xstrdup("the header names no job seeker: add a column "
				 "登録番号 (registration_id) or 受付コード "
				 "(token)");
		return -1;
	}
	if (b->index[outcomes_column("corporate_number")] < 0 &&
	    b->index[outcomes_column("company_id")] < 0) {
		*cause = xstrdup("the header names no company: add a column "
				 "法人番号 (corporate_number) or 企業ID "
				 "(company_id)");
		return -1;
	}
	/* The form's generic word for an unknown value does not help here. */
	for (size_t i = 0; i < b->nrows; i++) {
		cJSON *e = cJSON_GetObjectItemCaseSensitive(b->rows[i].errors,
							    outcome);

		if (cJSON_IsString(e) &&
		    strcmp(e->valuestring,
			   "is not one of the allowed values") == 0)
			cJSON_SetValuestring(e, outcomes_unknown_word);
	}
	outcomes_check_repeats(b);
	return 0;
}

cJSON *
outcomes_body_new(const struct import_batch *b)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *rows = cJSON_AddArrayToObject(body, "rows");

	for (size_t i = 0; i < b->nrows; i++) {
		char norm[TOKEN_LEN + 1];
		const char *word, *token;
		cJSON *row;

		if (b->rows[i].body == NULL)
			continue;
		row = cJSON_Duplicate(b->rows[i].body, true);
		word = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(row, "outcome"));
		cJSON_ReplaceItemInObjectCaseSensitive(
		    row, "outcome", cJSON_CreateString(outcomes_word(word)));
		token = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(row, "token"));
		if (token != NULL && token_parse(token, norm))
			cJSON_ReplaceItemInObjectCaseSensitive(
			    row, "token", cJSON_CreateString(norm));
		cJSON_AddItemToArray(rows, row);
	}
	return body;
}

size_t
outcomes_refused(struct import_batch *b, const cJSON *fields)
{
	struct import_row **rows = xcalloc(b->nrows + 1, sizeof *rows);
	size_t placed = 0, nrows = 0;
	const cJSON *e;

	/* The rows sent, found before errors land and make them invalid. */
	for (size_t i = 0; i < b->nrows; i++)
		if (b->rows[i].body != NULL)
			rows[nrows++] = &b->rows[i];
	cJSON_ArrayForEach(e, fields)
	{
		const char *field, *label = "";
		size_t n, k;
		int end = 0;
		char *why;

		if (!cJSON_IsString(e) ||
		    sscanf(e->string, "rows[%zu].%n", &n, &end) != 1 ||
		    end == 0 || n >= nrows)
			continue;
		field = e->string + end;
		for (size_t i = 0; i < outcomes_form.ncolumns; i++)
			if (strcmp(outcomes_columns[i].name, field) == 0)
				label = outcomes_label(b, i);
		/* The server counts rows from 0 among those sent. */
		if (sscanf(e->valuestring, "repeats row %zu", &k) == 1 &&
		    k < nrows)
			xasprintf(&why, "repeats row %zu", rows[k]->number);
		else
			why = xstrdup(e->valuestring);
		outcomes_row_error(b, rows[n], label, why);
		free(why);
		placed++;
	}
	free(rows);
	return placed;
}
