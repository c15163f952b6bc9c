/*
 * The offline journal reader: whatever a crash or a damaged disk leaves
 * in the file. Every line is counted exactly once, and whatever the
 * reader accepts the writer can write again and read back unchanged.
 */
#include "journal.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
same_text(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void
same_cb(const struct journal_record *rec, void *arg)
{
	const struct journal_record *want = arg;

	if (rec->kind != want->kind || rec->event_id != want->event_id ||
	    !same_text(rec->token, want->token) ||
	    !same_text(rec->desk, want->desk) ||
	    !same_text(rec->scanned_at, want->scanned_at) ||
	    !same_text(rec->nonce, want->nonce) ||
	    !same_text(rec->result, want->result))
		abort();
}

static void
record_cb(const struct journal_record *rec, void *arg)
{
	size_t *records = arg;
	char *cause = NULL, *line = journal_line_new(rec, &cause);
	struct journal_stats st;

	if (line == NULL)
		abort();
	journal_parse(line, strlen(line), same_cb, (void *)rec, &st);
	if (st.scans + st.uploaded != 1 || st.torn != 0 || st.corrupt != 0)
		abort();
	free(line);
	(*records)++;
}

/* CRC-32 as zlib computes it: a reference apart from the one under test. */
static uint32_t
crc32_of(uint32_t crc, const char *p, size_t len)
{
	crc = ~crc;
	while (len-- > 0) {
		crc ^= (unsigned char)*p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ ((crc & 1) ? 0xedb88320u : 0);
	}
	return ~crc;
}

/*
 * Gives every line shaped like a record the crc it claims to have, so that
 * mutations reach the JSON and field checks behind the CRC.
 */
static void
fix_crcs(char *text, size_t size)
{
	static const char tail[] = ",\"crc\":\"";
	char *line = text, *end = text + size, *nl;

	for (; line < end && (nl = memchr(line, '\n', end - line)) != NULL;
	     line = nl + 1) {
		size_t len = (size_t)(nl - line);
		char *crc = nl - 10, hex[9];

		if (len < 20 || memcmp(crc - 8, tail, 8) != 0 ||
		    memcmp(nl - 2, "\"}", 2) != 0)
			continue;
		snprintf(hex, sizeof hex, "%08x",
			 crc32_of(crc32_of(0, line, len - 18), "}", 1));
		memcpy(crc, hex, 8);
	}
}

static void
check(const char *text, size_t size)
{
	struct journal_stats st;
	size_t records = 0, lines = 0;

	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	if (size > 0 && text[size - 1] != '\n')
		lines++;
	journal_parse(text, size, record_cb, &records, &st);
	if (records != st.scans + st.uploaded ||
	    st.scans + st.uploaded + st.torn + st.corrupt != lines)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);

	check((const char *)data, size);
	memcpy(copy, data, size);
	fix_crcs(copy, size);
	check(copy, size);
	free(copy);
	return 0;
}
