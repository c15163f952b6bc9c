/* jobfair companies add|list|show|update|import. */
#include "cmd.h"

#include "client.h"
#include "importer.h"
#include "xmalloc.h"

#include <stdlib.h>

static const struct table_column company_list_columns[] = {
    {"ID", "id", true, NULL},
    {"法人番号", "corporate_number", false, NULL},
    {"企業名", "name", false, NULL},
    {"フリガナ", "name_kana", false, NULL},
    {"業種", "industry", false, NULL},
    {"電話番号", "phone", false, NULL},
    {"担当者", "contact_name", false, NULL},
};

static const struct table_column company_columns[] = {
    {"ID", "id", false, NULL},
    {"法人番号", "corporate_number", false, NULL},
    {"企業名", "name", false, NULL},
    {"フリガナ", "name_kana", false, NULL},
    {"業種", "industry", false, NULL},
    {"郵便番号", "postal_code_display", false, NULL},
    {"住所", "address", false, NULL},
    {"電話番号", "phone", false, NULL},
    {"担当者", "contact_name", false, NULL},
    {"メール", "email", false, NULL},
    {"事業所番号", "establishment_number", false, NULL},
};

int
cmd_companies_add(struct cli *cli, int argc, char **argv)
{
	return cmd_form_send(cli, &form_company, argc, argv, false,
			     CMD_API "/companies", company_columns,
			     NELEM(company_columns));
}

int
cmd_companies_update(struct cli *cli, int argc, char **argv)
{
	return cmd_form_send(cli, &form_company, argc, argv, true,
			     CMD_API "/companies", company_columns,
			     NELEM(company_columns));
}

int
cmd_companies_list(struct cli *cli, int argc, char **argv)
{
	static const char *opt_q;
	static const struct config_entry options[] = {
	    CONFIG_FLAG("q", "search by name or kana", &opt_q),
	};
	char *cause = NULL, *path;
	int rest, rc;

	if (cli_parse(cli, options, NELEM(options), argc, argv, &rest,
		      &cause) != 0)
		return cli_usage_error(cli, cause);
	if (rest != 0)
		return cli_usage_error(cli, xstrdup("unexpected argument"));
	path = xstrdup(CMD_API "/companies");
	if (opt_q != NULL)
		client_query_add(&path, "q", opt_q);
	rc = cmd_list(cli, path, company_list_columns,
		      NELEM(company_list_columns));
	free(path);
	return rc;
}

int
cmd_companies_show(struct cli *cli, int argc, char **argv)
{
	return cmd_by_id(cli, argc, argv, "GET", CMD_API "/companies/", "",
			 company_columns, NELEM(company_columns));
}

int
cmd_companies_import(struct cli *cli, int argc, char **argv)
{
	static const struct importer_endpoint to = {CMD_API "/companies", NULL,
						    NULL};
	enum csv_encoding enc;
	bool skip;
	int rest, rc;

	if ((rc = cmd_import_options(cli, argc, argv, &rest, &enc, &skip)) != 0)
		return rc;
	if (rest != 1)
		return cli_usage_error(cli, xstrdup("expected one FILE.csv"));
	return importer_run(cli, &form_company, &to, argv[0], enc, skip);
}
