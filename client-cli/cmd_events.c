/* jobfair events list|show|create|update and jobfair event-types. */
#include "cmd.h"

#include "client.h"
#include "xmalloc.h"

#include <stdlib.h>

static const struct table_column event_list_columns[] = {
    {"ID", "id", true, NULL},
    {"年度", "fiscal_year_label", false, NULL},
    {"種別", "type_name", false, NULL},
    {"名称", "title", false, NULL},
    {"開始", "starts_at", false, table_time_new},
    {"会場", "venue", false, NULL},
    {"企業数", "company_count", true, NULL},
    {"企業目標", "target_companies", true, NULL},
    {"求職者数", "registered_count", true, NULL},
    {"求職者目標", "target_seekers", true, NULL},
    {"定員", "capacity", true, NULL},
    {"主催", "organizer", false, NULL},
    {"状態", "status", false, NULL},
};

static const struct table_column event_columns[] = {
    {"ID", "id", false, NULL},
    {"種別", "type", false, NULL},
    {"種別名", "type_name", false, NULL},
    {"名称", "title", false, NULL},
    {"開始", "starts_at", false, table_time_new},
    {"終了", "ends_at", false, table_time_new},
    {"会場", "venue", false, NULL},
    {"定員", "capacity", false, NULL},
    {"目標企業数", "target_companies", false, NULL},
    {"目標求職者数", "target_seekers", false, NULL},
    {"参加企業数", "company_count", false, NULL},
    {"登録求職者数", "registered_count", false, NULL},
    {"主催", "organizer", false, NULL},
    {"状態", "status", false, NULL},
    {"年度", "fiscal_year", false, NULL},
    {"年度(和暦)", "fiscal_year_label", false, NULL},
};

static const struct table_column event_type_columns[] = {
    {"コード", "code", false, NULL},
    {"名称", "name_ja", false, NULL},
    {"英語名", "name_en", false, NULL},
    {"企業参加", "has_companies", false, NULL},
};

int
cmd_events_list(struct cli *cli, int argc, char **argv)
{
	static const char *opt_fy, *opt_type, *opt_status;
	static const struct config_entry options[] = {
	    CONFIG_FLAG("fiscal-year", "fiscal year (2024)", &opt_fy),
	    CONFIG_FLAG("type", "event type", &opt_type),
	    CONFIG_FLAG("status", "draft, open or closed", &opt_status),
	};
	char *cause = NULL, *path;
	int rest, rc;

	if (cli_parse(cli, options, NELEM(options), argc, argv, &rest,
		      &cause) != 0)
		return cli_usage_error(cli, cause);
	if (rest != 0)
		return cli_usage_error(cli, xstrdup("unexpected argument"));
	path = xstrdup(CMD_API "/events");
	if (opt_fy != NULL)
		client_query_add(&path, "fiscal_year", opt_fy);
	if (opt_type != NULL)
		client_query_add(&path, "type", opt_type);
	if (opt_status != NULL)
		client_query_add(&path, "status", opt_status);
	rc = cmd_list(cli, path, event_list_columns, NELEM(event_list_columns));
	free(path);
	return rc;
}

int
cmd_events_show(struct cli *cli, int argc, char **argv)
{
	return cmd_by_id(cli, argc, argv, "GET", CMD_API "/events/", "",
			 event_columns, NELEM(event_columns));
}

int
cmd_events_create(struct cli *cli, int argc, char **argv)
{
	return cmd_form_send(cli, &form_event, argc, argv, false,
			     CMD_API "/events", event_columns,
			     NELEM(event_columns));
}

int
cmd_events_update(struct cli *cli, int argc, char **argv)
{
	return cmd_form_send(cli, &form_event, argc, argv, true,
			     CMD_API "/events", event_columns,
			     NELEM(event_columns));
}

int
cmd_event_types(struct cli *cli, int argc, char **argv)
{
	char *cause = NULL;
	int rest;

	if (cli_parse(cli, NULL, 0, argc, argv, &rest, &cause) != 0)
		return cli_usage_error(cli, cause);
	if (rest != 0)
		return cli_usage_error(cli, xstrdup("unexpected argument"));
	return cmd_list(cli, CMD_API "/event-types", event_type_columns,
			NELEM(event_type_columns));
}
