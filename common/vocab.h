/*
 * The vocabulary: every closed list of codes the system knows (categories,
 * accommodations, statuses, outcomes, units …) with its Japanese and
 * English labels, defined once. The database holds the same lists as
 * lookup tables (migrations/0012_vocabulary.sql) and enforces them with
 * foreign keys; tests/db/test_vocab.c checks the two agree. Adding a code
 * is one edit in vocab.c plus a migration that inserts its row. The mail
 * kinds are the exception: the SQL functions that queue mail write them
 * as text, and tests/integration/test_web_vocabulary.sh checks that every
 * kind they write is here.
 */
#ifndef JF_VOCAB_H
#define JF_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

enum vocab_kind {
	VOCAB_CATEGORY,	     /* a job seeker's categories (区分) */
	VOCAB_ACCOMMODATION, /* accommodations asked for (合理的配慮) */
	VOCAB_HANDBOOK,	     /* disability handbook (障害者手帳) */
	VOCAB_AGE_BAND,	     /* age band fixed at registration */
	VOCAB_EVENT_STATUS,  /* events.status */
	VOCAB_ORGANIZER,     /* events.organizer */
	VOCAB_BOOTH_STATUS,  /* participations.status */
	VOCAB_REGISTRATION_STATUS, /* registrations.status */
	VOCAB_OUTCOME,		   /* interviews.outcome */
	VOCAB_EMPLOYMENT_TYPE,	   /* openings.employment_type */
	VOCAB_SCAN_RESULT,	   /* scans.result */
	VOCAB_QUEUE_STATE,	   /* queue_entries.state (面談の待ち) */
	VOCAB_METRIC_KIND,	   /* plan_metrics.kind */
	VOCAB_FIGURE,	 /* a plan figure and its unit (社, 人, 件) */
	VOCAB_LINK_KIND, /* access_links.kind */
	VOCAB_MAIL_KIND, /* mail_outbox.kind (no lookup table) */
	VOCAB_NKINDS
};

/* The most codes in one list, aliases included. */
#define VOCAB_MAX_TERMS 12

struct vocab_term {
	const char *code;
	const char *label_ja;
	const char *label_en;
};

/*
 * What input accepts for a kind, NULL-terminated, for input.h's
 * INPUT_ENUM tables: the codes, then aliases staff write (契約 for
 * 契約社員). A 2-D array so that vocab_accepted[VOCAB_X] is a constant
 * address a static table can hold.
 */
extern const char *const vocab_accepted[VOCAB_NKINDS][VOCAB_MAX_TERMS + 1];

/* The number of codes of a kind (aliases not counted). */
size_t vocab_count(enum vocab_kind kind);

/* The i-th term of a kind in the lists' order, i < vocab_count(kind). */
const struct vocab_term *vocab_term(enum vocab_kind kind, size_t i);

/*
 * The lookup table that holds the kind in the database, and the kind's
 * name in GET /api/v1/vocabulary.
 */
const char *vocab_table(enum vocab_kind kind);

/* Whether the database holds the kind as a lookup table (mail kinds not). */
bool vocab_in_database(enum vocab_kind kind);

/* A code's labels; the code itself when it is not in the list. */
const char *vocab_label_ja(enum vocab_kind kind, const char *code);
const char *vocab_label_en(enum vocab_kind kind, const char *code);

/*
 * The Japanese label without its parenthesised note, for narrow columns
 * ("若年者(35歳未満)" gives "若年者"). Written to buf of size bytes.
 */
const char *vocab_label_short_ja(enum vocab_kind kind, const char *code,
				 char *buf, size_t size);

#endif
