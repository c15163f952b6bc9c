/*
 * jobfair queue show|next EVENT COMPANY: a booth's waiting queue from a
 * terminal — who waits in what order, and 次へ (call the next). The page
 * /booth.html does the same and more; the promises (once per queue, two
 * callers never call the same person, a nonce acts once) are the
 * server's (migrations/sql/booth_queue.sql).
 */
#include "cmd_desk.h"

#include "client.h"
#include "cmd.h"
#include "desk.h"
#include "journal.h"
#include "table.h"
#include "vocab.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>

/* 待ち, 呼び出し中 (common/vocab.c's labels). */
static char *
queue_state_new(const cJSON *value)
{
	return xstrdup(
	    cJSON_IsString(value)
		? vocab_label_ja(VOCAB_QUEUE_STATE, value->valuestring)
		: "");
}

static const struct table_column queue_columns[] = {
    {"順番", "place", true, NULL},
    {"状態", "state", false, queue_state_new},
    {"氏名", "name", false, NULL},
    {"フリガナ", "name_kana", false, NULL},
    {"ID", "registration_id", true, NULL},
};

/* "A-1 株式会社山口: 3 waiting, 1 called, 5 interviews" on stderr. */
static void
queue_print_booth(const cJSON *booth)
{
	static const char *const keys[] = {"booth", "company_name", "waiting",
					   "called", "interviews"};
	char *v[NELEM(keys)];

	for (size_t i = 0; i < NELEM(keys); i++)
		v[i] = table_cell_new(
		    cJSON_GetObjectItemCaseSensitive(booth, keys[i]));
	fprintf(stderr, "%s %s: %s waiting, %s called, %s interviews\n", v[0],
		v[1], v[2], v[3], v[4]);
	for (size_t i = 0; i < NELEM(keys); i++)
		free(v[i]);
}

/* EVENT COMPANY checked; the queue's path, or NULL after a usage error. */
static char *
queue_path_new(struct cli *cli, int argc, char **argv, int *rc)
{
	int rest;
	char *cause = NULL, *path;

	if (cli_parse(cli, NULL, 0, argc, argv, &rest, &cause) != 0) {
		*rc = cli_usage_error(cli, cause);
		return NULL;
	}
	if ((*rc = cmd_want_ids(cli, rest, argv, 2)) != 0)
		return NULL;
	xasprintf(&path, CMD_API "/events/%s/companies/%s/queue", argv[0],
		  argv[1]);
	return path;
}

static int
queue_failed(int status, const cJSON *reply)
{
	int rc = client_fail(status, reply);

	return rc == CLI_OK ? CLI_REFUSED : rc;
}

int
cmd_queue_show(struct cli *cli, int argc, char **argv)
{
	cJSON *reply = NULL, *items;
	int rc, status;
	char *path = queue_path_new(cli, argc, argv, &rc);

	if (path == NULL)
		return rc;
	status = client_request(cli, "GET", path, NULL, &reply);
	items = cJSON_GetObjectItemCaseSensitive(reply, "items");
	if (status != 200 || !cJSON_IsArray(items))
		rc = queue_failed(status, reply);
	else if (cli->json)
		desk_print_json(reply);
	else {
		queue_print_booth(
		    cJSON_GetObjectItemCaseSensitive(reply, "booth"));
		table_print(stdout, queue_columns, NELEM(queue_columns), items);
	}
	free(path);
	cJSON_Delete(reply);
	return rc;
}

/* 次へ; sent again with the same nonce if the answer was lost. */
int
cmd_queue_next(struct cli *cli, int argc, char **argv)
{
	char nonce[JOURNAL_NONCE_LEN + 1], *api, *name, *kana, *text;
	cJSON *body, *reply = NULL, *entry;
	int rc, status;
	char *path = queue_path_new(cli, argc, argv, &rc);

	if (path == NULL)
		return rc;
	if (journal_nonce(nonce) != 0) {
		fprintf(stderr, "jobfair: no random numbers for a nonce\n");
		free(path);
		return CLI_USAGE;
	}
	xasprintf(&api, "%s/next", path);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "nonce", nonce);
	status = client_request(cli, "POST", api, body, &reply);
	if (status < 0 || status == 503) {
		cJSON_Delete(reply);
		status = client_request(cli, "POST", api, body, &reply);
	}
	entry = cJSON_GetObjectItemCaseSensitive(reply, "entry");
	if (status != 200)
		rc = queue_failed(status, reply);
	else if (cli->json)
		desk_print_json(reply);
	else if (!cJSON_IsObject(entry))
		desk_say(DESK_WARN, false, "EMPTY", "no one is waiting");
	else {
		name = table_cell_new(
		    cJSON_GetObjectItemCaseSensitive(entry, "name"));
		kana = table_cell_new(
		    cJSON_GetObjectItemCaseSensitive(entry, "name_kana"));
		xasprintf(&text, "%s (%s)", name, kana);
		desk_say(DESK_GOOD, false, "CALL", text);
		free(text);
		free(kana);
		free(name);
	}
	cJSON_Delete(body);
	cJSON_Delete(reply);
	free(api);
	free(path);
	return rc;
}
