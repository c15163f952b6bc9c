/*
 * jobfair register and jobfair registrations list|show|import|cancel:
 * job seekers signing up for an event.
 */
#include "cmd.h"

#include "importer.h"
#include "xmalloc.h"

#include <stdlib.h>

static const struct table_column registration_list_columns[] = {
    {"ID", "id", true, NULL},
    {"氏名", "name", false, NULL},
    {"フリガナ", "name_kana", false, NULL},
    {"生年月日", "birth_date", false, NULL},
    {"年齢", "age", true, NULL},
    {"区分", "categories", false, NULL},
    {"手帳", "disability", false, NULL},
    {"配慮事項", "accommodations", false, NULL},
    {"状態", "status", false, NULL},
};

static const struct table_column registration_columns[] = {
    {"ID", "id", false, NULL},
    {"イベントID", "event_id", false, NULL},
    {"氏名", "name", false, NULL},
    {"フリガナ", "name_kana", false, NULL},
    {"生年月日", "birth_date", false, NULL},
    {"年齢", "age", false, NULL},
    {"電話番号", "phone", false, NULL},
    {"メール", "email", false, NULL},
    {"区分", "categories", false, NULL},
    {"手帳", "disability", false, NULL},
    {"配慮事項", "accommodations", false, NULL},
    {"配慮内容", "accommodation_note", false, NULL},
    {"同行支援者数", "supporters", false, NULL},
    {"同意日時", "consent_at", false, table_time_new},
    {"状態", "status", false, NULL},
    {"取消日時", "cancelled_at", false, table_time_new},
};

int
cmd_register(struct cli *cli, int argc, char **argv)
{
	static const char *opt_kana;
	static const struct config_entry options[] = {
	    CONFIG_FLAG("kana", "the name in katakana (--name-kana)",
			&opt_kana),
	};
	cJSON *body = NULL, *clean = NULL;
	char *cause = NULL, *path;
	int rest, rc;

	if (cli_parse_form(cli, &form_registration, options, NELEM(options),
			   argc, argv, &rest, &body, &cause) != 0)
		return cli_usage_error(cli, cause);
	if (opt_kana != NULL)
		cmd_set(body, "name_kana", cJSON_CreateString(opt_kana));
	if ((rc = cmd_want_ids(cli, rest, argv, 1)) == 0 &&
	    (rc = cmd_validate(&form_registration, body, false, &clean)) == 0) {
		xasprintf(&path, CMD_API "/events/%s/registrations", argv[0]);
		rc = cmd_send(cli, "POST", path, clean, registration_columns,
			      NELEM(registration_columns));
		free(path);
	}
	cJSON_Delete(body);
	cJSON_Delete(clean);
	return rc;
}

int
cmd_registrations_list(struct cli *cli, int argc, char **argv)
{
	return cmd_list_by_id(cli, argc, argv, CMD_API "/events/",
			      "/registrations", registration_list_columns,
			      NELEM(registration_list_columns));
}

int
cmd_registrations_show(struct cli *cli, int argc, char **argv)
{
	return cmd_by_id(cli, argc, argv, "GET", CMD_API "/registrations/", "",
			 registration_columns, NELEM(registration_columns));
}

int
cmd_registrations_cancel(struct cli *cli, int argc, char **argv)
{
	return cmd_by_id(cli, argc, argv, "POST", CMD_API "/registrations/",
			 "/cancel", registration_columns,
			 NELEM(registration_columns));
}

int
cmd_registrations_import(struct cli *cli, int argc, char **argv)
{
	struct importer_endpoint to = {NULL, "registrations", "registration"};
	enum csv_encoding enc;
	char *path;
	bool skip;
	int rest, rc;

	if ((rc = cmd_import_options(cli, argc, argv, &rest, &enc, &skip)) != 0)
		return rc;
	if (rest != 2)
		return cli_usage_error(cli, xstrdup("expected EVENT FILE.csv"));
	if ((rc = cmd_want_ids(cli, 1, argv, 1)) != 0)
		return rc;
	xasprintf(&path, CMD_API "/events/%s/registrations/batch", argv[0]);
	to.path = path;
	rc = importer_run(cli, &form_registration, &to, argv[1], enc, skip);
	free(path);
	return rc;
}
