/*
 * Uploading a desk's journal: the scans not yet marked uploaded go to
 * POST /events/{id}/checkins/batch in journal order, and each one the
 * server answered is marked in the journal with its result. The server
 * keys a scan by its nonce, so a batch sent again after a crash or a
 * lost answer is answered as before and counts once.
 */
#ifndef JF_SYNC_H
#define JF_SYNC_H

#include "journal.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cli;

/* Called for each scan the server answered; both borrowed for the call. */
typedef void (*sync_cb)(const struct journal_record *scan, const cJSON *answer,
			void *arg);

struct sync_summary {
	size_t pending;		    /* scans waiting when the upload began */
	size_t answered;	    /* of which the server answered */
	struct journal_stats stats; /* what reading the journal found */
};

/*
 * Uploads the pending scans for event_id of the journal at path (opened
 * for appending as j), leaving out the scan whose nonce is skip_nonce
 * (NULL: none). Returns CLI_OK when every one was answered; else prints
 * why and returns CLI_UNREACHABLE (no answer, or 429/502/503/504:
 * retry later), CLI_REFUSED (the server refused a batch) or CLI_USAGE (the
 * journal cannot be read). Scans answered before a failure stay
 * answered.
 */
int sync_journal(struct cli *cli, int64_t event_id, const char *path,
		 struct journal *j, const char *skip_nonce, sync_cb cb,
		 void *arg, struct sync_summary *summary);

/*
 * True for a status that means "the server is not there or too busy, try
 * later": the desk journals the scan and goes on as offline.
 */
bool sync_unreachable(int status);

#endif
