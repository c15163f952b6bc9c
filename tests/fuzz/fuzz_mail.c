/*
 * The mail sender's message builder (mail_message.h) on texts that come
 * from the public: a person's name and address, an event's title. Input:
 * to, subject, sender's name and body, separated by NUL bytes. A built
 * message must keep its headers to themselves: every line ends in CRLF,
 * the header is ASCII, each of its lines is a header we write or a
 * continuation, none longer than RFC 5322's 998 characters.
 */
#include "mail_message.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_headers[] = {
    "Date: ",	      "From: ",
    "To: ",	      "Subject: ",
    "Message-ID: ",   "MIME-Version: ",
    "Content-Type: ", "Content-Transfer-Encoding: ",
};

static void
fuzz_check(const char *msg, size_t len)
{
	const char *end = strstr(msg, "\r\n\r\n");
	size_t head = end != NULL ? (size_t)(end - msg) + 2 : len;

	if (strlen(msg) != len)
		abort();
	for (size_t i = 0; i < len; i++) {
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			abort();
		if (msg[i] == '\r' && (i + 1 == len || msg[i + 1] != '\n'))
			abort();
	}
	for (size_t i = 0; i < head;) {
		const char *line = msg + i;
		size_t n = strcspn(line, "\r");
		bool known = line[0] == ' ';

		if (n > 998)
			abort();
		for (size_t k = 0; k < n; k++)
			if ((unsigned char)line[k] < ' ' ||
			    (unsigned char)line[k] > '~')
				abort();
		for (size_t h = 0;
		     !known && h < sizeof fuzz_headers / sizeof *fuzz_headers;
		     h++)
			known = strncmp(line, fuzz_headers[h],
					strlen(fuzz_headers[h])) == 0;
		if (!known)
			abort();
		i += n + 2;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 4), *part[4], *msg, *name = NULL, *addr = NULL;
	static const unsigned char png[] = {0x89, 'P', 'N', 'G'};
	const char *why;
	size_t at = 0, len;

	memcpy(s, data, size);
	memset(s + size, 0, 4);
	for (int i = 0; i < 4; i++) {
		part[i] = s + at;
		at += strlen(s + at) + 1;
		if (at > size)
			at = size;
	}
	if (mail_from_parse(part[2], &name, &addr, &why) == 0) {
		free(name);
		free(addr);
	}
	msg = mail_message_new(
	    &(struct mail_message){
		.from_name = part[2],
		.from_addr = "jobfair@city.yamaguchi.example.jp",
		.to = part[0],
		.subject = part[1],
		.body = part[3],
		.png = size % 2 ? png : NULL,
		.png_len = sizeof png,
		.message_id = "<1.fuzz@city.yamaguchi.example.jp>",
		.date = 1764633600,
	    },
	    &len, &why);
	if (msg != NULL)
		fuzz_check(msg, len);
	free(msg);
	free(s);
	return 0;
}
