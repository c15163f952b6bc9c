/*
 * The offline roster: parsed from the server's JSON, kept as an array
 * sorted by token hash for bsearch (a roster has up to some ten thousand
 * entries, read once and looked up on every scan). Saving goes through the
 * parser and back out, so the file holds exactly the members roster.h
 * names and nothing a future server might add.
 */
#include "roster.h"

#include "digest.h"
#include "durable.h"
#include "journal.h"
#include "log.h"
#include "token.h"
#include "xmalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <openssl/sha.h>
#include <search.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ids of up to 15 digits, which cJSON prints exactly. */
#define ROSTER_ID_MAX 999999999999999.0

/* hash comes first: a bare hash is a valid bsearch key (roster_hash_cmp). */
struct roster_item {
	unsigned char hash[SHA256_DIGEST_LENGTH];
	struct roster_entry entry;
};

struct roster {
	int64_t event_id;
	char *title;
	char *generated_at;
	int64_t target[2];	   /* by enum roster_kind; -1 for none */
	struct roster_item *items; /* sorted by hash */
	size_t n;
};

struct roster_seen {
	void *root; /* tsearch tree of malloc'd token hashes */
};

static const char *const roster_kinds[] = {
    [ROSTER_SEEKER] = "seeker",
    [ROSTER_COMPANY] = "company",
};
static const char *const roster_counts_names[] = {
    [ROSTER_SEEKER] = "seekers",
    [ROSTER_COMPANY] = "companies",
};
static const char *const roster_statuses[] = {
    [ROSTER_REGISTERED] = "registered",
    [ROSTER_CANCELLED] = "cancelled",
};
static const char *const roster_results[] = {
    [ROSTER_RESULT_CHECKED_IN] = "checked_in",
    [ROSTER_RESULT_ALREADY_CHECKED_IN] = "already_checked_in",
    [ROSTER_RESULT_UNKNOWN_TOKEN] = "unknown_token",
    [ROSTER_RESULT_CANCELLED] = "cancelled",
};

static int
roster_hash_cmp(const void *a, const void *b)
{
	return memcmp(a, b, SHA256_DIGEST_LENGTH);
}

/* The SHA-256 of the canonical form of token; false if it is not a token. */
static bool
roster_hash(const char *token, unsigned char hash[SHA256_DIGEST_LENGTH])
{
	char canon[TOKEN_LEN + 1];

	if (!token_parse(token, canon))
		return false;
	SHA256((const unsigned char *)canon, strlen(canon), hash);
	return true;
}

/* An integer of at least min that JSON carries exactly. */
static bool
roster_integer(const cJSON *v, int64_t min, int64_t *out)
{
	if (!cJSON_IsNumber(v) || v->valuedouble < (double)min ||
	    v->valuedouble > ROSTER_ID_MAX ||
	    v->valuedouble != (double)(int64_t)v->valuedouble)
		return false;
	*out = (int64_t)v->valuedouble;
	return true;
}

/*
 * Member name of o, a string, null or missing: a copy in *out ("" unless
 * a string). False, with *out untouched, for any other type.
 */
static bool
roster_optional_string(const cJSON *o, const char *name, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (v != NULL && !cJSON_IsNull(v) && !cJSON_IsString(v))
		return false;
	*out = xstrdup(cJSON_IsString(v) ? v->valuestring : "");
	return true;
}

/* The index of s in names[0..n), or -1. */
static int
roster_name_index(const char *s, const char *const *names, int n)
{
	for (int i = 0; s != NULL && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static bool
roster_hex_decode(const char *s, unsigned char out[SHA256_DIGEST_LENGTH])
{
	if (s == NULL || strlen(s) != 2 * SHA256_DIGEST_LENGTH ||
	    strspn(s, "0123456789abcdefABCDEF") != 2 * SHA256_DIGEST_LENGTH)
		return false;
	for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		char byte[3] = {s[2 * i], s[2 * i + 1], '\0'};

		out[i] = (unsigned char)strtoul(byte, NULL, 16);
	}
	return true;
}

/* Fills *it from one item of the JSON; what is wrong with it, or NULL. */
static const char *
roster_parse_item(const cJSON *o, struct roster_item *it)
{
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(o, "checked_in");
	const char *name;
	char *kana;
	int kind, status;

	kind = roster_name_index(
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "kind")),
	    roster_kinds, 2);
	status = roster_name_index(
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "status")),
	    roster_statuses, 2);
	name =
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "name"));
	if (kind == -1)
		return "kind must be seeker or company";
	if (!roster_integer(cJSON_GetObjectItemCaseSensitive(o, "id"), 1,
			    &it->entry.id))
		return "id must be a positive integer";
	if (!roster_hex_decode(
		cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(o, "token_sha256")),
		it->hash))
		return "token_sha256 must be 64 hex digits";
	if (name == NULL)
		return "name must be a string";
	if (status == -1)
		return "status must be registered or cancelled";
	if (in != NULL && !cJSON_IsBool(in))
		return "checked_in must be true or false";
	if (!roster_optional_string(o, "name_kana", &kana))
		return "name_kana must be a string or null";
	it->entry.kind = (enum roster_kind)kind;
	it->entry.status = (enum roster_status)status;
	it->entry.checked_in = cJSON_IsTrue(in);
	it->entry.name = xstrdup(name);
	it->entry.name_kana = kana;
	return NULL;
}

/* The targets in the server's counts member (optional, as are they). */
static const char *
roster_parse_targets(const cJSON *counts, struct roster *r)
{
	for (int kind = 0; kind < 2; kind++) {
		const cJSON *c, *t;

		c = cJSON_GetObjectItemCaseSensitive(counts,
						     roster_counts_names[kind]);
		t = cJSON_GetObjectItemCaseSensitive(c, "target");
		r->target[kind] = -1;
		if (t != NULL && !cJSON_IsNull(t) &&
		    !roster_integer(t, 0, &r->target[kind]))
			return "a target in counts is not a count";
	}
	return NULL;
}

/* The roster in text; NULL with *cause if it is not one. */
static struct roster *
roster_parse(const char *text, char **cause)
{
	cJSON *root = cJSON_Parse(text);
	const cJSON *items, *item;
	struct roster *r = xcalloc(1, sizeof *r);
	const char *bad = NULL;

	items = cJSON_GetObjectItemCaseSensitive(root, "items");
	if (!cJSON_IsObject(root))
		bad = "not a JSON object";
	else if (!roster_integer(
		     cJSON_GetObjectItemCaseSensitive(root, "event_id"), 1,
		     &r->event_id))
		bad = "event_id must be a positive integer";
	else if (!roster_optional_string(root, "title", &r->title))
		bad = "title must be a string";
	else if (!roster_optional_string(root, "generated_at",
					 &r->generated_at))
		bad = "generated_at must be a string";
	else if (!cJSON_IsArray(items))
		bad = "items must be an array";
	else
		bad = roster_parse_targets(
		    cJSON_GetObjectItemCaseSensitive(root, "counts"), r);
	if (bad != NULL) {
		xasprintf(cause, "roster: %s", bad);
		goto fail;
	}
	/* Never NULL, even when empty: qsort and bsearch want a pointer. */
	r->items =
	    xcalloc((size_t)cJSON_GetArraySize(items) + 1, sizeof *r->items);
	cJSON_ArrayForEach(item, items)
	{
		if ((bad = roster_parse_item(item, &r->items[r->n])) != NULL) {
			xasprintf(cause, "roster: item %zu: %s", r->n + 1, bad);
			goto fail;
		}
		r->n++;
	}
	qsort(r->items, r->n, sizeof *r->items, roster_hash_cmp);
	for (size_t i = 1; i < r->n; i++) {
		if (roster_hash_cmp(&r->items[i - 1], &r->items[i]) == 0) {
			xasprintf(cause, "roster: two items have one "
					 "token_sha256");
			goto fail;
		}
	}
	cJSON_Delete(root);
	return r;
fail:
	cJSON_Delete(root);
	roster_free(r);
	return NULL;
}

/* The roster as its file holds it, freed with cJSON_free(). */
static char *
roster_print(const struct roster *r)
{
	cJSON *o = cJSON_CreateObject(), *counts, *items, *item, *c;
	char hex[2 * SHA256_DIGEST_LENGTH + 1], *text;

	cJSON_AddNumberToObject(o, "event_id", (double)r->event_id);
	cJSON_AddStringToObject(o, "title", r->title);
	cJSON_AddStringToObject(o, "generated_at", r->generated_at);
	counts = cJSON_AddObjectToObject(o, "counts");
	for (int kind = 0; kind < 2; kind++) {
		c = cJSON_AddObjectToObject(counts, roster_counts_names[kind]);
		cJSON_AddNumberToObject(
		    c, "checked_in",
		    (double)roster_checked_in(r, (enum roster_kind)kind));
		if (r->target[kind] >= 0)
			cJSON_AddNumberToObject(c, "target",
						(double)r->target[kind]);
		else
			cJSON_AddNullToObject(c, "target");
	}
	items = cJSON_AddArrayToObject(o, "items");
	for (size_t i = 0; i < r->n; i++) {
		const struct roster_item *it = &r->items[i];

		digest_hex(it->hash, hex);
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "kind",
					roster_kinds[it->entry.kind]);
		cJSON_AddNumberToObject(item, "id", (double)it->entry.id);
		cJSON_AddStringToObject(item, "token_sha256", hex);
		cJSON_AddStringToObject(item, "name", it->entry.name);
		cJSON_AddStringToObject(item, "name_kana", it->entry.name_kana);
		cJSON_AddStringToObject(item, "status",
					roster_statuses[it->entry.status]);
		cJSON_AddBoolToObject(item, "checked_in", it->entry.checked_in);
		cJSON_AddItemToArray(items, item);
	}
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		fatalx("out of memory printing the roster");
	return text;
}

int
roster_save(const char *path, const char *json_text, char **cause)
{
	struct roster *r = roster_parse(json_text, cause);
	char *text;
	int ret;

	if (r == NULL)
		return -1;
	text = roster_print(r);
	ret = durable_replace(path, text, strlen(text), cause);
	cJSON_free(text);
	roster_free(r);
	return ret;
}

struct roster *
roster_load_new(const char *path, char **cause)
{
	size_t len;
	char *text = durable_read_new(path, &len, cause), *why = NULL;
	struct roster *r;

	if (text == NULL)
		return NULL;
	r = roster_parse(text, &why);
	free(text);
	if (r == NULL) {
		xasprintf(cause, "%s: %s", path, why);
		free(why);
	}
	return r;
}

void
roster_free(struct roster *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free((char *)r->items[i].entry.name);
		free((char *)r->items[i].entry.name_kana);
	}
	free(r->items);
	free(r->title);
	free(r->generated_at);
	free(r);
}

int64_t
roster_event_id(const struct roster *r)
{
	return r->event_id;
}

const char *
roster_title(const struct roster *r)
{
	return r->title;
}

const char *
roster_generated_at(const struct roster *r)
{
	return r->generated_at;
}

size_t
roster_count(const struct roster *r)
{
	return r->n;
}

size_t
roster_checked_in(const struct roster *r, enum roster_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += r->items[i].entry.kind == kind &&
		     r->items[i].entry.checked_in;
	return n;
}

int64_t
roster_target(const struct roster *r, enum roster_kind kind)
{
	return r->target[kind];
}

/* The item whose token hashes to hash, or NULL. */
static const struct roster_item *
roster_find(const struct roster *r, const unsigned char *hash)
{
	return bsearch(hash, r->items, r->n, sizeof *r->items, roster_hash_cmp);
}

const struct roster_entry *
roster_lookup(const struct roster *r, const char *token)
{
	unsigned char hash[SHA256_DIGEST_LENGTH];
	const struct roster_item *it;

	if (!roster_hash(token, hash) || (it = roster_find(r, hash)) == NULL)
		return NULL;
	return &it->entry;
}

struct roster_seen *
roster_seen_new(void)
{
	return xcalloc(1, sizeof(struct roster_seen));
}

void
roster_seen_free(struct roster_seen *s)
{
	if (s == NULL)
		return;
	tdestroy(s->root, free);
	free(s);
}

void
roster_seen_add(struct roster_seen *s, const char *token)
{
	unsigned char hash[SHA256_DIGEST_LENGTH], *key, **node;

	/* What is not a token can never be on a roster: nothing to remember. */
	if (!roster_hash(token, hash))
		return;
	key = xmalloc(sizeof hash);
	memcpy(key, hash, sizeof hash);
	node = tsearch(key, &s->root, roster_hash_cmp);
	if (node == NULL)
		fatalx("out of memory");
	if (*node != key)
		free(key);
}

struct roster_seen_ctx {
	struct roster_seen *seen;
	int64_t event_id;
};

static void
roster_seen_journal_cb(const struct journal_record *rec, void *arg)
{
	struct roster_seen_ctx *ctx = arg;

	if (rec->kind == JOURNAL_SCAN && rec->event_id == ctx->event_id)
		roster_seen_add(ctx->seen, rec->token);
}

int
roster_seen_add_journal(struct roster_seen *s, int64_t event_id,
			const char *path, char **cause)
{
	struct roster_seen_ctx ctx = {s, event_id};
	struct journal_stats stats;

	if (journal_read(path, roster_seen_journal_cb, &ctx, &stats, cause) ==
	    0)
		return 0;
	if (errno != ENOENT)
		return -1;
	free(*cause);
	*cause = NULL;
	return 0;
}

enum roster_result
roster_offline_result(const struct roster *r, const struct roster_seen *seen,
		      const char *token, const struct roster_entry **entry)
{
	unsigned char hash[SHA256_DIGEST_LENGTH];
	const struct roster_item *it;

	*entry = NULL;
	if (!roster_hash(token, hash) || (it = roster_find(r, hash)) == NULL)
		return ROSTER_RESULT_UNKNOWN_TOKEN;
	*entry = &it->entry;
	if (it->entry.status == ROSTER_CANCELLED)
		return ROSTER_RESULT_CANCELLED;
	if (it->entry.checked_in ||
	    tfind(hash, &seen->root, roster_hash_cmp) != NULL)
		return ROSTER_RESULT_ALREADY_CHECKED_IN;
	return ROSTER_RESULT_CHECKED_IN;
}

const char *
roster_result_name(enum roster_result result)
{
	return roster_results[result];
}
