/*
 * An event's roster on the front desk's disk, for answering scans while
 * the server is unreachable. It holds only what the desk shows: who may
 * check in, found by the SHA-256 of their token (never the token), with
 * name, kana, status and whether they had checked in when it was
 * pulled. The file is the server's roster JSON
 * (GET /api/v1/events/{id}/roster) reduced to exactly these members:
 *
 *   {"event_id":12,"title":"…","generated_at":"2024-10-15T09:58:00+09:00",
 *    "counts":{"seekers":{"checked_in":3,"target":120},
 *              "companies":{"checked_in":1,"target":null}},
 *    "items":[{"kind":"seeker"|"company","id":34,
 *              "token_sha256":"<64 hex>","name":"…","name_kana":"…",
 *              "status":"registered"|"cancelled","checked_in":false}, …]}
 *
 * token_sha256 is the hex SHA-256 (either case; saved in lower case) of
 * the canonical token, as token_parse() writes it. title, generated_at,
 * counts, name_kana and checked_in may be missing; strings may be null
 * (read as ""). Of counts only the targets are read: the numbers checked
 * in are counted from the items' checked_in when saved.
 */
#ifndef JF_ROSTER_H
#define JF_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum roster_kind { ROSTER_SEEKER, ROSTER_COMPANY };
enum roster_status { ROSTER_REGISTERED, ROSTER_CANCELLED };

/* One person or company; borrowed from the roster, valid until it is freed. */
struct roster_entry {
	enum roster_kind kind;
	int64_t id; /* the registration's, or the company's */
	const char *name;
	const char *name_kana;
	enum roster_status status;
	bool checked_in; /* already, when the roster was pulled */
};

struct roster;

/*
 * Checks json_text as a roster and replaces the file at path with it
 * atomically (mode 0600, missing directories 0700), keeping only the
 * members above: whatever else the server sends never reaches the disk.
 * -1 with *cause if the text is not a valid roster (the old file stays)
 * or the disk fails.
 */
int roster_save(const char *path, const char *json_text, char **cause);

/* The roster saved at path; NULL with *cause (errno ENOENT if none). */
struct roster *roster_load_new(const char *path, char **cause);
void roster_free(struct roster *r);

int64_t roster_event_id(const struct roster *r);
const char *roster_title(const struct roster *r);
const char *roster_generated_at(const struct roster *r);
size_t roster_count(const struct roster *r);

/* Entries of kind checked in when the roster was pulled. */
size_t roster_checked_in(const struct roster *r, enum roster_kind kind);

/* The event's target for kind, or -1 if it has none. */
int64_t roster_target(const struct roster *r, enum roster_kind kind);

/*
 * The entry of the token a scanner typed (normalised by token_parse()
 * first), or NULL if it is not on the roster.
 */
const struct roster_entry *roster_lookup(const struct roster *r,
					 const char *token);

/*
 * The tokens already checked in at this desk while offline. The CLI fills
 * it from the journal at start (roster_seen_add_journal) and adds a token
 * with roster_seen_add() once its scan is in the journal, never before:
 * a scan the disk refused was not taken.
 */
struct roster_seen;

struct roster_seen *roster_seen_new(void);
void roster_seen_free(struct roster_seen *s);
void roster_seen_add(struct roster_seen *s, const char *token);

/*
 * Adds every token scanned for event_id in the journal at path; a missing
 * journal adds nothing. -1 with *cause if it cannot be read.
 */
int roster_seen_add_journal(struct roster_seen *s, int64_t event_id,
			    const char *path, char **cause);

/* The offline answers, named as the server names its results. */
enum roster_result {
	ROSTER_RESULT_CHECKED_IN,
	ROSTER_RESULT_ALREADY_CHECKED_IN,
	ROSTER_RESULT_UNKNOWN_TOKEN, /* also another event's token */
	ROSTER_RESULT_CANCELLED
};

/*
 * What the desk answers offline for token: unknown, cancelled, already
 * (checked in when the roster was pulled, or seen here since), or checked
 * in. *entry gets the roster entry (NULL when unknown). Does not add
 * token to seen.
 */
enum roster_result roster_offline_result(const struct roster *r,
					 const struct roster_seen *seen,
					 const char *token,
					 const struct roster_entry **entry);

/* "checked_in", "already_checked_in", "unknown_token" or "cancelled". */
const char *roster_result_name(enum roster_result result);

#endif
