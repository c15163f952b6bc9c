/*
 * The front desk's offline journal: every scan made while the server is
 * unreachable, on the desk's disk before the desk shows its answer, and
 * uploaded exactly once later by `jobfair sync` (the server keys a scan by
 * its nonce, so an upload repeated after a crash counts once).
 *
 * One record per line, compact JSON, appended and never rewritten:
 *
 *   {"v":1,"event":12,"token":"JF1-…","desk":"desk-1",
 *    "scanned_at":"2024-10-15T10:02:03+09:00","nonce":"…","crc":"8c2b7d1e"}
 *   {"v":1,"uploaded":"<nonce>","result":"checked_in","crc":"…"}
 *
 * The second kind marks the scan with that nonce as uploaded, with the
 * server's answer. crc is the CRC-32 (IEEE, as zlib's crc32) in eight
 * lower-case hex digits of the line without its crc member: every byte
 * before ,"crc": followed by }. Members come in the order shown.
 *
 * A write cut short by a crash leaves a last line without its newline:
 * it is "torn", dropped by readers (it was never acknowledged). The next
 * journal_open() seals it by writing "#torn" and a newline before the next
 * record, so it stays dropped and never glues onto a new record. A
 * complete line that fails the CRC or the format is "corrupt", skipped.
 * Neither is ever fatal, and every other record is kept.
 */
#ifndef JF_JOURNAL_H
#define JF_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#define JOURNAL_NONCE_LEN 32 /* journal_nonce(): 128 bits as hex */

enum journal_kind {
	JOURNAL_SCAN,	 /* a scan at the desk */
	JOURNAL_UPLOADED /* the scan with this nonce reached the server */
};

/*
 * One record. Fields a kind does not have are 0 or NULL. Field rules
 * (checked on write and on read, as the server's scan log stores them):
 * event_id 1..10^15-1; token 1..200 and desk 1..50 characters of UTF-8
 * without control characters; scanned_at RFC 3339 with an offset or Z;
 * nonce 8..100 of [A-Za-z0-9_-]; result 1..32 of [a-z_].
 */
struct journal_record {
	enum journal_kind kind;
	size_t line; /* 1-based line in the file */
	int64_t event_id;
	char *token;
	char *desk;
	char *scanned_at;
	char *
	    nonce; /* the scan's, or for JOURNAL_UPLOADED the scan's it marks */
	char *result;
};

struct journal_stats {
	size_t scans;	 /* scan records read */
	size_t uploaded; /* upload markers read */
	size_t torn;	 /* lines cut short by a crash, dropped */
	size_t corrupt;	 /* complete lines failing the CRC or format, skipped */
};

/* Called for each valid record in file order; rec is borrowed for the call. */
typedef void (*journal_cb)(const struct journal_record *rec, void *arg);

/*
 * Reads data[0..len) as a journal: cb for every valid record, *stats
 * counts what was read and dropped. Every line is exactly one of scan,
 * marker, torn or corrupt. Never fails.
 */
void journal_parse(const char *data, size_t len, journal_cb cb, void *arg,
		   struct journal_stats *stats);

/*
 * journal_parse() over the file at path. -1 with *cause if it cannot be
 * read, errno ENOENT when there is no journal yet.
 */
int journal_read(const char *path, journal_cb cb, void *arg,
		 struct journal_stats *stats, char **cause);

/*
 * rec as one journal line, newline and crc included, freed by the caller;
 * NULL with *cause if a field breaks the rules above (line is ignored).
 */
char *journal_line_new(const struct journal_record *rec, char **cause);

/* The scans not yet marked uploaded, in journal order, each nonce once. */
struct journal_pending {
	struct journal_record *scans; /* owned: journal_pending_free() */
	size_t n;
	struct journal_stats stats;
};

/*
 * The pending scans of the journal at path; none if there is no journal
 * yet. NULL with *cause if it cannot be read.
 */
struct journal_pending *journal_pending_new(const char *path, char **cause);
void journal_pending_free(struct journal_pending *p);

struct journal;

/*
 * Opens the journal at path for appending, creating it (mode 0600) and
 * its missing directories (0700); a wider mode on an existing journal is
 * narrowed to 0600. NULL with *cause on failure.
 */
struct journal *journal_open(const char *path, char **cause);
void journal_close(struct journal *j);

/*
 * Appends a scan with one write() and fsync()s it: only after 0 may the
 * desk show its answer. -1 with *cause if a field breaks the rules
 * (nothing written) or the disk fails (the scan must then count as not
 * taken).
 */
int journal_append_scan(struct journal *j, int64_t event_id, const char *token,
			const char *desk, const char *scanned_at,
			const char *nonce, char **cause);

/* Appends, likewise, that the scan with nonce was uploaded. */
int journal_mark_uploaded(struct journal *j, const char *nonce,
			  const char *result, char **cause);

/* A fresh nonce, 128 bits from getrandom(), as lower-case hex. */
int journal_nonce(char out[JOURNAL_NONCE_LEN + 1]);

#endif
