/* The steps the commands share: arguments, validation, send, print. */
#include "cmd.h"

#include "client.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
cmd_want_ids(const struct cli *cli, int argc, char **argv, int want)
{
	char *cause;

	if (argc != want) {
		xasprintf(&cause, "expected %d argument%s, got %d", want,
			  want == 1 ? "" : "s", argc);
		return cli_usage_error(cli, cause);
	}
	for (int i = 0; i < argc; i++)
		if (*argv[i] == '\0' ||
		    strspn(argv[i], "0123456789") != strlen(argv[i]) ||
		    strlen(argv[i]) > 15) {
			xasprintf(&cause, "%s is not an id", argv[i]);
			return cli_usage_error(cli, cause);
		}
	return 0;
}

int
cmd_validate(const struct form *form, const cJSON *body, bool partial,
	     cJSON **clean)
{
	cJSON *errors = NULL;
	const cJSON *e;

	if (partial && cJSON_GetArraySize(body) == 0) {
		fprintf(stderr, "jobfair: nothing to change\n");
		return CLI_USAGE;
	}
	*clean = form_validate_new(form, body, partial, &errors);
	if (*clean != NULL)
		return 0;
	fprintf(stderr, "jobfair: invalid %s; nothing was sent\n", form->what);
	cJSON_ArrayForEach(e, errors)
	{
		fprintf(stderr, "  %s: %s\n", e->string, e->valuestring);
	}
	cJSON_Delete(errors);
	return CLI_USAGE;
}

void
cmd_print_json(const cJSON *json)
{
	char *text = cJSON_PrintUnformatted(json);

	printf("%s\n", text);
	free(text);
}

int
cmd_send(struct cli *cli, const char *method, const char *path,
	 const cJSON *body, const struct table_column *cols, size_t n)
{
	cJSON *reply = NULL;
	int status, rc;

	status = client_request(cli, method, path, body, &reply);
	rc = client_exit_code(status);
	if (rc != CLI_OK)
		client_fail(status, reply);
	else if (cli->json)
		cmd_print_json(reply);
	else
		table_print_object(stdout, cols, n, reply);
	cJSON_Delete(reply);
	return rc;
}

int
cmd_list(struct cli *cli, const char *path, const struct table_column *cols,
	 size_t n)
{
	cJSON *items = NULL, *reply = NULL, *doc;
	int status;

	status = client_list(cli, path, cli->limit, &items, &reply);
	if (status != 200) {
		int rc = client_fail(status, reply);

		cJSON_Delete(reply);
		return rc == CLI_OK ? CLI_REFUSED : rc;
	}
	if (cli->json) {
		doc = cJSON_CreateObject();
		cJSON_AddItemToObject(doc, "items", items);
		cJSON_AddNullToObject(doc, "next");
		cmd_print_json(doc);
		cJSON_Delete(doc);
	} else {
		table_print(stdout, cols, n, items);
		cJSON_Delete(items);
	}
	return CLI_OK;
}

int
cmd_import_options(struct cli *cli, int argc, char **argv, int *rest,
		   enum csv_encoding *enc, bool *skip_invalid)
{
	static const char *opt_encoding, *opt_skip;
	static const struct config_entry options[] = {
	    {.flag = "encoding",
	     .def = "auto",
	     .help = "auto, utf8 or cp932",
	     .value = &opt_encoding},
	    CONFIG_SWITCH(
		"skip-invalid",
		"import the valid rows, write the others to FILE.rejected.csv",
		&opt_skip),
	};
	char *cause = NULL;

	if (cli_parse(cli, options, 2, argc, argv, rest, &cause) != 0)
		return cli_usage_error(cli, cause);
	if (strcmp(opt_encoding, "auto") == 0)
		*enc = CSV_ENC_AUTO;
	else if (strcmp(opt_encoding, "utf8") == 0 ||
		 strcmp(opt_encoding, "utf-8") == 0)
		*enc = CSV_ENC_UTF8;
	else if (strcasecmp(opt_encoding, "cp932") == 0 ||
		 strcasecmp(opt_encoding, "sjis") == 0 ||
		 strcasecmp(opt_encoding, "shift_jis") == 0)
		*enc = CSV_ENC_CP932;
	else
		return cli_usage_error(
		    cli, xstrdup("--encoding must be auto, utf8 or cp932"));
	*skip_invalid = opt_skip != NULL;
	return 0;
}

int
cmd_by_id(struct cli *cli, int argc, char **argv, const char *method,
	  const char *before, const char *after,
	  const struct table_column *cols, size_t n)
{
	char *cause = NULL, *path;
	int rest, rc;

	if (cli_parse(cli, NULL, 0, argc, argv, &rest, &cause) != 0)
		return cli_usage_error(cli, cause);
	if ((rc = cmd_want_ids(cli, rest, argv, 1)) != 0)
		return rc;
	xasprintf(&path, "%s%s%s", before, argv[0], after);
	rc = cmd_send(cli, method, path, NULL, cols, n);
	free(path);
	return rc;
}

int
cmd_form_send(struct cli *cli, const struct form *form, int argc, char **argv,
	      bool update, const char *collection,
	      const struct table_column *cols, size_t n)
{
	cJSON *body = NULL, *clean = NULL;
	char *cause = NULL, *path;
	int rest, rc;

	if (cli_parse_form(cli, form, NULL, 0, argc, argv, &rest, &body,
			   &cause) != 0)
		return cli_usage_error(cli, cause);
	if ((rc = cmd_want_ids(cli, rest, argv, update ? 1 : 0)) != 0 ||
	    (rc = cmd_validate(form, body, update, &clean)) != 0) {
		cJSON_Delete(body);
		return rc;
	}
	if (update)
		xasprintf(&path, "%s/%s", collection, argv[0]);
	else
		path = xstrdup(collection);
	rc = cmd_send(cli, update ? "PATCH" : "POST", path, clean, cols, n);
	free(path);
	cJSON_Delete(body);
	cJSON_Delete(clean);
	return rc;
}

int
cmd_list_by_id(struct cli *cli, int argc, char **argv, const char *before,
	       const char *after, const struct table_column *cols, size_t n)
{
	char *cause = NULL, *path;
	int rest, rc;

	if (cli_parse(cli, NULL, 0, argc, argv, &rest, &cause) != 0)
		return cli_usage_error(cli, cause);
	if ((rc = cmd_want_ids(cli, rest, argv, 1)) != 0)
		return rc;
	xasprintf(&path, "%s%s%s", before, argv[0], after);
	rc = cmd_list(cli, path, cols, n);
	free(path);
	return rc;
}

void
cmd_set(cJSON *obj, const char *key, cJSON *item)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	cJSON_AddItemToObject(obj, key, item);
}
