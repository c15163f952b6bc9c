/* jobfair booths add|list|update: companies taking part in an event. */
#include "cmd.h"

#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* Openings as "営業 正社員×2; 事務 パート×1". */
static char *
booth_openings_new(const cJSON *openings)
{
	const cJSON *o;
	char *text = xstrdup(""), *next;

	cJSON_ArrayForEach(o, openings)
	{
		const cJSON *count = cJSON_GetObjectItem(o, "count");
		char *title = table_cell_new(cJSON_GetObjectItem(o, "title"));
		char *type =
		    table_cell_new(cJSON_GetObjectItem(o, "employment_type"));

		xasprintf(&next, "%s%s%s %s×%d", text, *text ? "; " : "", title,
			  type, cJSON_IsNumber(count) ? count->valueint : 1);
		free(title);
		free(type);
		free(text);
		text = next;
	}
	return text;
}

static const struct table_column booth_columns[] = {
    {"企業ID", "company_id", true, NULL},
    {"企業名", "company_name", false, NULL},
    {"ブース", "booth", false, NULL},
    {"人数", "representatives", true, NULL},
    {"状態", "status", false, NULL},
    {"求人", "openings", false, booth_openings_new},
};

/*
 * Takes every --opening TITLE,TYPE[,COUNT[,JOB_NUMBER]] out of argv
 * (config_load keeps only the last of a repeated option) into a list of
 * opening objects, unvalidated. NULL if there was none.
 */
static cJSON *
booth_take_openings(int *argc, char **argv, char **cause)
{
	static const char *const keys[] = {"title", "employment_type", "count",
					   "job_number"};
	cJSON *list = NULL;
	int out = 0;

	for (int i = 0; i < *argc; i++) {
		const char *value;
		char *copy, *tok, *save = NULL;
		cJSON *o;

		if (strncmp(argv[i], "--opening=", 10) == 0)
			value = argv[i] + 10;
		else if (strcmp(argv[i], "--opening") == 0 && i + 1 < *argc)
			value = argv[++i];
		else if (strcmp(argv[i], "--opening") == 0) {
			*cause = xstrdup("option --opening needs a value");
			cJSON_Delete(list);
			return NULL;
		} else {
			argv[out++] = argv[i];
			continue;
		}
		if (list == NULL)
			list = cJSON_CreateArray();
		o = cJSON_CreateObject();
		copy = xstrdup(value);
		tok = strtok_r(copy, ",", &save);
		for (size_t k = 0; k < NELEM(keys) && tok != NULL; k++) {
			cJSON_AddStringToObject(o, keys[k], tok);
			tok = strtok_r(NULL, ",", &save);
		}
		free(copy);
		cJSON_AddItemToArray(list, o);
	}
	*argc = out;
	return list;
}

/* add (POST) and update (PATCH): the booth's options, validated, sent. */
static int
booth_write(struct cli *cli, int argc, char **argv, bool update)
{
	cJSON *body = NULL, *clean = NULL, *openings;
	char *cause = NULL, *path;
	int rest, rc;

	openings = booth_take_openings(&argc, argv, &cause);
	if (cause != NULL)
		return cli_usage_error(cli, cause);
	if (cli_parse_form(cli, &form_booth, NULL, 0, argc, argv, &rest, &body,
			   &cause) != 0) {
		cJSON_Delete(openings);
		return cli_usage_error(cli, cause);
	}
	if (openings != NULL)
		cmd_set(body, "openings", openings);
	if ((rc = cmd_want_ids(cli, rest, argv, 2)) != 0)
		goto out;
	if (cJSON_HasObjectItem(body, "company_id")) {
		rc = cli_usage_error(
		    cli, xstrdup("the company is COMPANY, not --company-id"));
		goto out;
	}
	/* PATCH names the company in its path, POST in its body. */
	if (!update)
		cmd_set(body, "company_id", cJSON_CreateString(argv[1]));
	if ((rc = cmd_validate(&form_booth, body, update, &clean)) != 0)
		goto out;
	if (update)
		xasprintf(&path, CMD_API "/events/%s/companies/%s", argv[0],
			  argv[1]);
	else
		xasprintf(&path, CMD_API "/events/%s/companies", argv[0]);
	rc = cmd_send(cli, update ? "PATCH" : "POST", path, clean,
		      booth_columns, NELEM(booth_columns));
	free(path);
out:
	cJSON_Delete(body);
	cJSON_Delete(clean);
	return rc;
}

int
cmd_booths_add(struct cli *cli, int argc, char **argv)
{
	return booth_write(cli, argc, argv, false);
}

int
cmd_booths_update(struct cli *cli, int argc, char **argv)
{
	return booth_write(cli, argc, argv, true);
}

int
cmd_booths_list(struct cli *cli, int argc, char **argv)
{
	return cmd_list_by_id(cli, argc, argv, CMD_API "/events/", "/companies",
			      booth_columns, NELEM(booth_columns));
}
