/*
 * A journal's upload, batch by batch. A batch is one transaction on the
 * server: either every scan in it was answered or none was, so a failure
 * leaves the journal exactly as pending as the server left it.
 */
#include "sync.h"

#include "cli.h"
#include "client.h"
#include "cmd.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Well under the server's 500: a batch stays a short transaction. */
#define SYNC_BATCH 100

bool
sync_unreachable(int status)
{
	/* 429: the server asks this desk to slow down, not a refusal. */
	return status < 0 || status == 429 || status == 502 || status == 503 ||
	       status == 504;
}

static cJSON *
sync_scan_json(const struct journal_record *scan)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "token", scan->token);
	cJSON_AddStringToObject(o, "desk", scan->desk);
	cJSON_AddStringToObject(o, "scanned_at", scan->scanned_at);
	cJSON_AddStringToObject(o, "nonce", scan->nonce);
	/* Its arrival is when it was scanned, not when it is uploaded. */
	cJSON_AddTrueToObject(o, "offline");
	return o;
}

/* Marks and reports each answer of a batch; false if they do not fit. */
static bool
sync_answers(struct journal_pending *p, const size_t *idx, int n,
	     const cJSON *reply, struct journal *j, sync_cb cb, void *arg,
	     struct sync_summary *summary)
{
	const cJSON *results =
	    cJSON_GetObjectItemCaseSensitive(reply, "results");

	if (!cJSON_IsArray(results) || cJSON_GetArraySize(results) != n)
		return false;
	for (int k = 0; k < n; k++) {
		const struct journal_record *scan = &p->scans[idx[k]];
		const cJSON *answer = cJSON_GetArrayItem(results, k);
		const char *result = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(answer, "result"));
		char *cause = NULL;

		if (result == NULL)
			return false;
		/* Unmarked, it is sent again later and answered as now. */
		if (journal_mark_uploaded(j, scan->nonce, result, &cause) !=
		    0) {
			fprintf(stderr, "jobfair: %s\n", cause);
			free(cause);
		}
		summary->answered++;
		if (cb != NULL)
			cb(scan, answer, arg);
	}
	return true;
}

int
sync_journal(struct cli *cli, int64_t event_id, const char *path,
	     struct journal *j, const char *skip_nonce, sync_cb cb, void *arg,
	     struct sync_summary *summary)
{
	struct journal_pending *p;
	size_t *idx, next = 0;
	char *cause = NULL, *api;
	int rc = CLI_OK;

	memset(summary, 0, sizeof *summary);
	if ((p = journal_pending_new(path, &cause)) == NULL) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		return CLI_USAGE;
	}
	summary->stats = p->stats;
	idx = xcalloc(p->n + 1, sizeof *idx);
	for (size_t i = 0; i < p->n; i++)
		if (p->scans[i].event_id == event_id &&
		    (skip_nonce == NULL ||
		     strcmp(p->scans[i].nonce, skip_nonce) != 0))
			idx[summary->pending++] = i;
	xasprintf(&api, CMD_API "/events/%lld/checkins/batch",
		  (long long)event_id);
	while (rc == CLI_OK && next < summary->pending) {
		cJSON *body = cJSON_CreateObject(), *reply = NULL;
		cJSON *scans = cJSON_AddArrayToObject(body, "scans");
		int n = 0, status;

		for (; n < SYNC_BATCH && next + n < summary->pending; n++)
			cJSON_AddItemToArray(
			    scans, sync_scan_json(&p->scans[idx[next + n]]));
		status = client_request(cli, "POST", api, body, &reply);
		if (sync_unreachable(status)) {
			if (status >= 0)
				client_print_error(stderr, "jobfair", status,
						   reply);
			rc = CLI_UNREACHABLE;
		} else if (status != 200) {
			client_fail(status, reply);
			rc = CLI_REFUSED;
		} else if (!sync_answers(p, idx + next, n, reply, j, cb, arg,
					 summary)) {
			fprintf(stderr, "jobfair: the server's answer to an "
					"upload is not understood\n");
			rc = CLI_REFUSED;
		}
		next += n;
		cJSON_Delete(body);
		cJSON_Delete(reply);
	}
	free(api);
	free(idx);
	journal_pending_free(p);
	return rc;
}
