/*
 * jobfair interview EVENT COMPANY: a company's booth records interviews
 * by scanning job seekers' QR codes. A USB scanner types one code and
 * Enter per scan; each line is answered at once with one unmistakable
 * line (a bell for anything but OK), and the scanning goes on after a
 * refusal. A scan is sent with its own nonce and resent once with the
 * same nonce if the answer was lost, so it is never recorded twice.
 */
#include "cmd_after.h"

#include "client.h"
#include "cmd.h"
#include "desk.h"
#include "interview.h"
#include "journal.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct interview_tally {
	long scans, recorded, already, refused, lost;
};

/* The name of what path names, to show whom the scans are for. */
static int
interview_name(struct cli *cli, const char *path, const char *key, char **name)
{
	cJSON *reply = NULL;
	int status, rc;

	status = client_request(cli, "GET", path, NULL, &reply);
	rc = client_exit_code(status);
	if (rc != CLI_OK)
		client_fail(status, reply);
	else
		*name = table_cell_new(
		    cJSON_GetObjectItemCaseSensitive(reply, key));
	cJSON_Delete(reply);
	return rc;
}

/* One answer line as the check-in desk shows it, or one JSON line. */
static void
interview_print(const struct cli *cli, long line, int status,
		const cJSON *reply, const struct interview_verdict *v,
		const struct interview_tally *t)
{
	const cJSON *iv = cJSON_GetObjectItemCaseSensitive(reply, "interview");
	cJSON *out;
	char *text;

	if (!cli->json) {
		if (v->kind == INTERVIEW_OK) {
			xasprintf(&text, "%s  [%ld recorded]", v->message,
				  t->recorded);
			desk_say(DESK_GOOD, false, v->word, text);
			free(text);
		} else
			desk_say(v->kind == INTERVIEW_ALREADY ? DESK_WARN
							      : DESK_STOP,
				 false, v->word, v->message);
		return;
	}
	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "line", (double)line);
	cJSON_AddStringToObject(out, "result", v->result);
	cJSON_AddNumberToObject(out, "status", status);
	cJSON_AddStringToObject(out, "message", v->message);
	if (iv != NULL &&
	    (v->kind == INTERVIEW_OK || v->kind == INTERVIEW_ALREADY))
		cJSON_AddItemToObject(out, "interview",
				      cJSON_Duplicate(iv, true));
	desk_print_json(out);
	cJSON_Delete(out);
}

/* Sends one scan; resends once, same nonce, if the answer was lost. */
static int
interview_send(struct cli *cli, const char *path, const cJSON *body,
	       cJSON **reply)
{
	int status = client_request(cli, "POST", path, body, reply);

	if (status < 0 || status == 503) {
		cJSON_Delete(*reply);
		status = client_request(cli, "POST", path, body, reply);
	}
	return status;
}

static void
interview_count(struct interview_tally *t, const struct interview_verdict *v)
{
	t->scans++;
	switch (v->kind) {
	case INTERVIEW_OK:
		t->recorded++;
		break;
	case INTERVIEW_ALREADY:
		t->already++;
		break;
	case INTERVIEW_ERROR:
		t->lost++;
		break;
	default:
		t->refused++;
		break;
	}
}

int
cmd_interview(struct cli *cli, int argc, char **argv)
{
	struct interview_tally t = {0};
	char *cause = NULL, *path, *company = NULL, *event = NULL, *line = NULL;
	int rest, rc, last_status = 0;
	size_t size = 0;
	long company_id, number = 0;

	if (cli_parse(cli, NULL, 0, argc, argv, &rest, &cause) != 0)
		return cli_usage_error(cli, cause);
	if ((rc = cmd_want_ids(cli, rest, argv, 2)) != 0)
		return rc;
	company_id = strtol(argv[1], NULL, 10);
	xasprintf(&path, CMD_API "/events/%s", argv[0]);
	rc = interview_name(cli, path, "title", &event);
	free(path);
	xasprintf(&path, CMD_API "/companies/%s", argv[1]);
	if (rc == CLI_OK)
		rc = interview_name(cli, path, "name", &company);
	free(path);
	if (rc != CLI_OK)
		goto out;
	fprintf(stderr,
		"interviews at the booth of %s, %s: scan QR codes (Ctrl-D "
		"ends)\n",
		company, event);
	xasprintf(&path, CMD_API "/events/%s/interviews", argv[0]);
	while (getline(&line, &size, stdin) > 0) {
		struct interview_verdict v;
		char nonce[JOURNAL_NONCE_LEN + 1];
		cJSON *body, *reply = NULL;
		int status = 0;

		number++;
		if (strspn(line, " \t\r\n") == strlen(line))
			continue;
		if (journal_nonce(nonce) != 0) {
			fprintf(stderr, "jobfair: no random numbers for a "
					"nonce\n");
			rc = CLI_USAGE;
			break;
		}
		body = interview_body_new(line, company_id, nonce);
		if (body == NULL)
			interview_not_a_code(&v);
		else {
			status = interview_send(cli, path, body, &reply);
			interview_judge(status, reply, &v);
		}
		interview_count(&t, &v);
		interview_print(cli, number, status, reply, &v, &t);
		free(v.message);
		cJSON_Delete(reply);
		cJSON_Delete(body);
		if (v.kind == INTERVIEW_ERROR)
			last_status = status;
		if (v.kind == INTERVIEW_STOP) {
			fprintf(stderr, "jobfair: stopped; no scan can be "
					"recorded for this booth\n");
			rc = client_exit_code(status);
			break;
		}
	}
	free(path);
	fprintf(stderr,
		"%ld scans: %ld recorded, %ld already recorded, %ld refused, "
		"%ld NOT recorded\n",
		t.scans, t.recorded, t.already, t.refused, t.lost);
	/* Scans that were lost must show in the exit status. */
	if (rc == CLI_OK && t.lost > 0)
		rc = client_exit_code(last_status);
out:
	free(line);
	free(company);
	free(event);
	return rc;
}
