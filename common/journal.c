/*
 * The offline journal: CRC-checked JSON lines, appended with one write()
 * and an fsync() each. Readers trust nothing: a line counts only if it is
 * complete, its CRC matches and every field passes the rules the writer
 * applied, so a crash or a damaged disk costs at most the damaged lines.
 */
#include "journal.h"

#include "durable.h"
#include "log.h"
#include "text.h"
#include "xmalloc.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <search.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define JOURNAL_CRC_TAIL     ",\"crc\":\""
#define JOURNAL_CRC_TAIL_LEN 18 /* ,"crc":"xxxxxxxx"} */
#define JOURNAL_SEAL	     "#torn"
#define JOURNAL_LINE_MAX     4096 /* far above any valid record */
/* Ids of up to 15 digits, which cJSON prints exactly. */
#define JOURNAL_ID_MAX 999999999999999.0

struct journal {
	int fd;
	char *path;
	bool torn; /* the file may not end in a newline: seal before writing */
};

/* zlib's CRC-32 of len bytes, continuing from crc. A line is short. */
static uint32_t
journal_crc32(uint32_t crc, const char *p, size_t len)
{
	return (uint32_t)crc32(crc, (const Bytef *)p, (uInt)len);
}

/* Of a line without its newline: the CRC of everything but the crc member. */
static uint32_t
journal_line_crc(const char *line, size_t len)
{
	return journal_crc32(journal_crc32(0, line, len - JOURNAL_CRC_TAIL_LEN),
			     "}", 1);
}

/* UTF-8 text of 1..max characters without control characters. */
static bool
journal_text_ok(const char *s, size_t max)
{
	size_t chars = 0;

	if (s == NULL || *s == '\0' || !text_valid_utf8(s, strlen(s)))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	return chars <= max;
}

/* min..max bytes, all from set. */
static bool
journal_word_ok(const char *s, size_t min, size_t max, const char *set)
{
	size_t len;

	if (s == NULL)
		return false;
	len = strlen(s);
	return len >= min && len <= max && strspn(s, set) == len;
}

/*
 * Length of the prefix of s that has shape ('d' a digit, anything else
 * itself), or 0 if s does not start with it.
 */
static size_t
journal_shape(const char *s, const char *shape)
{
	size_t i;

	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i])
				    : s[i] != shape[i])
			return 0;
	return i;
}

/* RFC 3339 with an explicit offset: 2024-10-15T10:02:03.5+09:00 or …Z. */
static bool
journal_time_ok(const char *s)
{
	size_t n;

	if (s == NULL || (n = journal_shape(s, "dddd-dd-ddTdd:dd:dd")) == 0)
		return false;
	s += n;
	if (*s == '.') {
		n = strspn(++s, "0123456789");
		if (n == 0 || n > 9)
			return false;
		s += n;
	}
	if (strcmp(s, "Z") == 0)
		return true;
	return (*s == '+' || *s == '-') && journal_shape(s + 1, "dd:dd") &&
	       s[6] == '\0';
}

/* Checks rec against the field rules of journal.h. */
static int
journal_check(const struct journal_record *rec, char **cause)
{
	static const char nonce_set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					"abcdefghijklmnopqrstuvwxyz"
					"0123456789_-";
	const char *bad = NULL;

	if (!journal_word_ok(rec->nonce, 8, 100, nonce_set))
		bad = "nonce must be 8 to 100 of A-Z a-z 0-9 _ -";
	else if (rec->kind == JOURNAL_UPLOADED) {
		if (!journal_word_ok(rec->result, 1, 32,
				     "abcdefghijklmnopqrstuvwxyz_"))
			bad = "result must be 1 to 32 of a-z _";
	} else if (rec->kind != JOURNAL_SCAN)
		bad = "unknown record kind";
	else if (rec->event_id < 1 || rec->event_id > (int64_t)JOURNAL_ID_MAX)
		bad = "event id out of range";
	else if (!journal_text_ok(rec->token, 200))
		bad = "token must be 1 to 200 characters of text";
	else if (!journal_text_ok(rec->desk, 50))
		bad = "desk must be 1 to 50 characters of text";
	else if (!journal_time_ok(rec->scanned_at))
		bad = "scanned_at must be like 2024-10-15T10:02:03+09:00";
	if (bad == NULL)
		return 0;
	xasprintf(cause, "journal: %s", bad);
	return -1;
}

char *
journal_line_new(const struct journal_record *rec, char **cause)
{
	cJSON *o;
	char *body, *line;
	size_t len;

	if (journal_check(rec, cause) != 0)
		return NULL;
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "v", 1);
	if (rec->kind == JOURNAL_SCAN) {
		cJSON_AddNumberToObject(o, "event", (double)rec->event_id);
		cJSON_AddStringToObject(o, "token", rec->token);
		cJSON_AddStringToObject(o, "desk", rec->desk);
		cJSON_AddStringToObject(o, "scanned_at", rec->scanned_at);
		cJSON_AddStringToObject(o, "nonce", rec->nonce);
	} else {
		cJSON_AddStringToObject(o, "uploaded", rec->nonce);
		cJSON_AddStringToObject(o, "result", rec->result);
	}
	body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (body == NULL)
		fatalx("out of memory printing a journal record");
	/* body ends in '}': the crc member goes in front of it. */
	len = strlen(body);
	xasprintf(&line, "%.*s" JOURNAL_CRC_TAIL "%08" PRIx32 "\"}\n",
		  (int)(len - 1), body, journal_crc32(0, body, len));
	cJSON_free(body);
	return line;
}

/* The string member name of o, or NULL. */
static char *
journal_member(const cJSON *o, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
}

/*
 * Decodes one complete line (without its newline) into *rec, borrowing
 * strings from *json, which the caller deletes. -1 if it is not a valid
 * record.
 */
static int
journal_decode(const char *s, size_t len, struct journal_record *rec,
	       cJSON **json)
{
	const char *tail, *end;
	const cJSON *v, *event;
	char hex[9], *cause = NULL;
	int members;

	*json = NULL;
	if (len < 2 + JOURNAL_CRC_TAIL_LEN || len > JOURNAL_LINE_MAX ||
	    memchr(s, '\0', len) != NULL)
		return -1;
	tail = s + len - JOURNAL_CRC_TAIL_LEN;
	if (memcmp(tail, JOURNAL_CRC_TAIL, strlen(JOURNAL_CRC_TAIL)) != 0 ||
	    memcmp(tail + 16, "\"}", 2) != 0)
		return -1;
	memcpy(hex, tail + 8, 8);
	hex[8] = '\0';
	if (strspn(hex, "0123456789abcdef") != 8 ||
	    strtoul(hex, NULL, 16) != journal_line_crc(s, len))
		return -1;

	*json = cJSON_ParseWithLengthOpts(s, len, &end, 0);
	if (*json == NULL || end != s + len || !cJSON_IsObject(*json))
		return -1;
	v = cJSON_GetObjectItemCaseSensitive(*json, "v");
	if (!cJSON_IsNumber(v) || v->valuedouble != 1)
		return -1;
	members = cJSON_GetArraySize(*json);
	memset(rec, 0, sizeof *rec);
	if (cJSON_GetObjectItemCaseSensitive(*json, "uploaded") != NULL) {
		rec->kind = JOURNAL_UPLOADED;
		rec->nonce = journal_member(*json, "uploaded");
		rec->result = journal_member(*json, "result");
		if (members != 4)
			return -1;
	} else {
		event = cJSON_GetObjectItemCaseSensitive(*json, "event");
		if (!cJSON_IsNumber(event) || members != 7 ||
		    event->valuedouble < 1 ||
		    event->valuedouble > JOURNAL_ID_MAX ||
		    event->valuedouble != (double)(int64_t)event->valuedouble)
			return -1;
		rec->kind = JOURNAL_SCAN;
		rec->event_id = (int64_t)event->valuedouble;
		rec->token = journal_member(*json, "token");
		rec->desk = journal_member(*json, "desk");
		rec->scanned_at = journal_member(*json, "scanned_at");
		rec->nonce = journal_member(*json, "nonce");
	}
	if (journal_check(rec, &cause) != 0) {
		free(cause);
		return -1;
	}
	return 0;
}

/* True if a complete line ends in the seal a later open wrote after it. */
static bool
journal_sealed(const char *s, size_t len)
{
	size_t n = strlen(JOURNAL_SEAL);

	return len >= n && memcmp(s + len - n, JOURNAL_SEAL, n) == 0;
}

void
journal_parse(const char *data, size_t len, journal_cb cb, void *arg,
	      struct journal_stats *stats)
{
	size_t pos = 0, line = 0;

	memset(stats, 0, sizeof *stats);
	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - s) : len - pos;
		struct journal_record rec;
		cJSON *json;

		line++;
		pos += n + 1;
		if (nl == NULL || journal_sealed(s, n)) {
			stats->torn++;
			continue;
		}
		if (journal_decode(s, n, &rec, &json) == 0) {
			rec.line = line;
			if (rec.kind == JOURNAL_SCAN)
				stats->scans++;
			else
				stats->uploaded++;
			cb(&rec, arg);
		} else
			stats->corrupt++;
		cJSON_Delete(json);
	}
}

int
journal_read(const char *path, journal_cb cb, void *arg,
	     struct journal_stats *stats, char **cause)
{
	size_t len;
	char *data = durable_read_new(path, &len, cause);

	if (data == NULL)
		return -1;
	journal_parse(data, len, cb, arg, stats);
	free(data);
	return 0;
}

/* Collects scans and upload markers for journal_pending_new(). */
struct journal_pending_ctx {
	struct journal_pending *p;
	size_t cap;
	void *scanned;	/* nonces of p->scans, borrowed */
	void *uploaded; /* nonces marked uploaded, owned */
};

static int
journal_nonce_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* For tdestroy() of a tree whose keys belong to someone else. */
static void
journal_keep_key(void *key)
{
	(void)key;
}

static void
journal_record_clear(struct journal_record *rec)
{
	free(rec->token);
	free(rec->desk);
	free(rec->scanned_at);
	free(rec->nonce);
	free(rec->result);
}

static void
journal_pending_cb(const struct journal_record *rec, void *arg)
{
	struct journal_pending_ctx *ctx = arg;
	struct journal_pending *p = ctx->p;
	struct journal_record *copy;
	char *key, **node;

	if (rec->kind == JOURNAL_UPLOADED) {
		key = xstrdup(rec->nonce);
		node = tsearch(key, &ctx->uploaded, journal_nonce_cmp);
		if (node == NULL)
			fatalx("out of memory");
		if (*node != key)
			free(key);
		return;
	}
	/* A scan is uploaded under its nonce once: later copies add nothing. */
	if (tfind(rec->nonce, &ctx->scanned, journal_nonce_cmp) != NULL)
		return;
	if (p->n == ctx->cap) {
		ctx->cap = ctx->cap ? ctx->cap * 2 : 64;
		p->scans = xrealloc(p->scans, ctx->cap * sizeof *p->scans);
	}
	copy = &p->scans[p->n++];
	*copy = *rec;
	copy->token = xstrdup(rec->token);
	copy->desk = xstrdup(rec->desk);
	copy->scanned_at = xstrdup(rec->scanned_at);
	copy->nonce = xstrdup(rec->nonce);
	if (tsearch(copy->nonce, &ctx->scanned, journal_nonce_cmp) == NULL)
		fatalx("out of memory");
}

struct journal_pending *
journal_pending_new(const char *path, char **cause)
{
	struct journal_pending *p = xcalloc(1, sizeof *p);
	struct journal_pending_ctx ctx = {.p = p};
	size_t kept = 0;

	if (journal_read(path, journal_pending_cb, &ctx, &p->stats, cause) !=
	    0) {
		if (errno != ENOENT) {
			free(p);
			return NULL;
		}
		free(*cause);
		*cause = NULL;
	}
	/* Markers may come in any order relative to their scans. */
	for (size_t i = 0; i < p->n; i++) {
		if (tfind(p->scans[i].nonce, &ctx.uploaded,
			  journal_nonce_cmp) != NULL)
			journal_record_clear(&p->scans[i]);
		else
			p->scans[kept++] = p->scans[i];
	}
	p->n = kept;
	tdestroy(ctx.scanned, journal_keep_key);
	tdestroy(ctx.uploaded, free);
	return p;
}

void
journal_pending_free(struct journal_pending *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++)
		journal_record_clear(&p->scans[i]);
	free(p->scans);
	free(p);
}

struct journal *
journal_open(const char *path, char **cause)
{
	struct journal *j;
	struct stat st;
	char last = '\n';
	int fd;

	if (durable_mkdirs(path, cause) != 0)
		return NULL;
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "%s: open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 ||
	    ((st.st_mode & 077) != 0 && fchmod(fd, 0600) != 0) ||
	    (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1)) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		xasprintf(cause, "%s: not a regular file", path);
		goto fail;
	}
	/* The file may be new: its name must outlive a power cut too. */
	if (durable_sync_dir(path, cause) != 0)
		goto fail;
	j = xcalloc(1, sizeof *j);
	j->fd = fd;
	j->path = xstrdup(path);
	j->torn = last != '\n';
	return j;
fail:
	close(fd);
	return NULL;
}

void
journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	close(j->fd);
	free(j->path);
	free(j);
}

/*
 * Writes rec as one line with a single write() and flushes it. After a
 * torn tail the seal goes in the same write, so no record ever follows
 * garbage on its line.
 */
static int
journal_write(struct journal *j, const struct journal_record *rec, char **cause)
{
	char *line = journal_line_new(rec, cause), *buf;
	size_t len;
	ssize_t n;
	int ret = -1;

	if (line == NULL)
		return -1;
	if (j->torn) {
		xasprintf(&buf, JOURNAL_SEAL "\n%s", line);
		free(line);
	} else
		buf = line;
	len = strlen(buf);
	do
		n = write(j->fd, buf, len);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		xasprintf(cause, "%s: write: %s", j->path, strerror(errno));
		goto out;
	}
	if ((size_t)n != len) {
		j->torn = true;
		xasprintf(cause, "%s: wrote %zd of %zu bytes (disk full?)",
			  j->path, n, len);
		goto out;
	}
	j->torn = false;
	if (fsync(j->fd) != 0) {
		xasprintf(cause, "%s: fsync: %s", j->path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

int
journal_append_scan(struct journal *j, int64_t event_id, const char *token,
		    const char *desk, const char *scanned_at, const char *nonce,
		    char **cause)
{
	struct journal_record rec = {
	    .kind = JOURNAL_SCAN,
	    .event_id = event_id,
	    .token = (char *)token,
	    .desk = (char *)desk,
	    .scanned_at = (char *)scanned_at,
	    .nonce = (char *)nonce,
	};

	return journal_write(j, &rec, cause);
}

int
journal_mark_uploaded(struct journal *j, const char *nonce, const char *result,
		      char **cause)
{
	struct journal_record rec = {
	    .kind = JOURNAL_UPLOADED,
	    .nonce = (char *)nonce,
	    .result = (char *)result,
	};

	return journal_write(j, &rec, cause);
}

int
journal_nonce(char out[JOURNAL_NONCE_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[JOURNAL_NONCE_LEN / 2];

	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		return -1;
	for (size_t i = 0; i < sizeof raw; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[JOURNAL_NONCE_LEN] = '\0';
	return 0;
}
