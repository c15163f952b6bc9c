/*
 * Every header we write is ASCII: non-ASCII text goes as RFC 2047
 * encoded-words (UTF-8, base64), addresses are refused unless plain ASCII
 * without specials, and the subject is refused with any control
 * character. So no value can end a header line or start another.
 */
#include "mail_message.h"

#include "text.h"
#include "validate.h"
#include "xmalloc.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Header lines stay within 78 characters: "=?UTF-8?B?" + base64 + "?=". */
#define MAIL_HEADER_LINE 76
#define MAIL_LINE_BYTES	 57 /* 76 base64 characters a line */

const char *
mail_address_check(const char *addr)
{
	const char *why = NULL;
	char *norm = NULL;
	bool same;

	if (addr == NULL)
		return "is required";
	for (const char *p = addr; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\r' || c == '\n')
			return "must not contain a line break";
		if (c <= ' ' || c >= 0x7f)
			return "must be ASCII without spaces";
		if (strchr("<>()[],;:\"\\", c) != NULL)
			return "must not contain <>()[],;:\"\\";
	}
	if (validate_email(addr, &norm, &why) != 0)
		return why;
	/* validate_email lower-cases the domain; anything else it changed
	 * (trimming) means the text was not an address as it stands. */
	same = strcasecmp(norm, addr) == 0;
	free(norm);
	return same ? NULL : "is not an address as written";
}

int
mail_from_parse(const char *from, char **name, char **addr, const char **why)
{
	const char *lt = strrchr(from, '<');
	size_t n;

	if (lt == NULL) {
		if ((*why = mail_address_check(from)) != NULL)
			return -1;
		*name = xstrdup("");
		*addr = xstrdup(from);
		return 0;
	}
	n = strlen(lt);
	if (n < 3 || lt[n - 1] != '>') {
		*why = "must be an address or Name <address>";
		return -1;
	}
	*addr = xstrndup(lt + 1, n - 2);
	if ((*why = mail_address_check(*addr)) != NULL) {
		free(*addr);
		return -1;
	}
	n = (size_t)(lt - from);
	while (n > 0 && from[n - 1] == ' ')
		n--;
	*name = xstrndup(from, n);
	for (const char *p = *name; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f) {
			*why = "must not contain control characters";
			free(*name);
			free(*addr);
			return -1;
		}
	if (!text_valid_utf8(*name, strlen(*name))) {
		*why = "must be valid UTF-8";
		free(*name);
		free(*addr);
		return -1;
	}
	return 0;
}

static void
mail_base64(FILE *out, const unsigned char *in, size_t len)
{
	char buf[sodium_base64_ENCODED_LEN(MAIL_LINE_BYTES,
					   sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(buf, sizeof buf, in, len,
			  sodium_base64_VARIANT_ORIGINAL);
	fputs(buf, out);
}

/* Base64 in lines of 76 characters, each ended by CRLF. */
static void
mail_base64_lines(FILE *out, const unsigned char *in, size_t len)
{
	for (size_t i = 0; i < len; i += MAIL_LINE_BYTES) {
		mail_base64(out, in + i,
			    len - i < MAIL_LINE_BYTES ? len - i
						      : MAIL_LINE_BYTES);
		fputs("\r\n", out);
	}
}

static bool
mail_plain_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x7f || (unsigned char)*s < ' ')
			return false;
	return true;
}

/*
 * s as encoded-words folded onto continuation lines, the first after
 * `used` characters of its line; words end on a character boundary, as
 * RFC 2047 asks (a word must decode alone).
 */
static void
mail_encoded_words(FILE *out, const char *s, size_t used)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		size_t room = (MAIL_HEADER_LINE - used - 12) / 4 * 3;
		size_t n = len - i < room ? len - i : room;

		used = 1; /* the next line starts with a space */

		/* Back off to the start of a UTF-8 sequence. */
		while (i + n < len && n > 0 &&
		       ((unsigned char)s[i + n] & 0xc0) == 0x80)
			n--;
		if (i > 0)
			fputs("\r\n ", out);
		fputs("=?UTF-8?B?", out);
		mail_base64(out, (const unsigned char *)s + i, n);
		fputs("?=", out);
		i += n;
	}
}

/*
 * A display name: a quoted-string when plain ASCII and short enough for
 * its line, else encoded-words, which fold (a quoted-string cannot: a
 * long name would make a line past RFC 5322's 998 characters).
 */
static void
mail_phrase(FILE *out, const char *name)
{
	if (!mail_plain_ascii(name) ||
	    strlen(name) > MAIL_HEADER_LINE - strlen("From: "
						     "")) {
		mail_encoded_words(out, name, strlen("From: "));
		return;
	}
	fputc('"', out);
	for (; *name != '\0'; name++) {
		if (*name == '"' || *name == '\\')
			fputc('\\', out);
		fputc(*name, out);
	}
	fputc('"', out);
}

/* The body with every line end as CRLF, as text/plain's canonical form. */
static char *
mail_crlf_new(const char *body, size_t *len)
{
	size_t n = 0;
	char *out = xmalloc(strlen(body) * 2 + 1);

	for (const char *p = body; *p != '\0'; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		if (*p == '\n' || *p == '\r') {
			out[n++] = '\r';
			out[n++] = '\n';
		} else
			out[n++] = *p;
	}
	out[n] = '\0';
	*len = n;
	return out;
}

static const char *
mail_message_check(const struct mail_message *m)
{
	const char *why;

	if ((why = mail_address_check(m->from_addr)) != NULL ||
	    (why = mail_address_check(m->to)) != NULL)
		return why;
	if (m->subject == NULL || m->body == NULL)
		return "subject and body are required";
	for (const char *p = m->subject; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return "the subject must not contain control "
			       "characters";
	for (const char *p = m->from_name ? m->from_name : ""; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return "the sender's name must not contain control "
			       "characters";
	if (!text_valid_utf8(m->subject, strlen(m->subject)) ||
	    !text_valid_utf8(m->body, strlen(m->body)) ||
	    (m->from_name &&
	     !text_valid_utf8(m->from_name, strlen(m->from_name))))
		return "texts must be valid UTF-8";
	if (m->message_id == NULL || m->message_id[0] != '<' ||
	    !mail_plain_ascii(m->message_id) ||
	    strchr(m->message_id, ' ') != NULL)
		return "the Message-ID must be <…>";
	return NULL;
}

char *
mail_message_new(const struct mail_message *m, size_t *len, const char **why)
{
	/* base64 never holds "=_", so no part can contain the boundary. */
	static const char boundary[] = "=_jobfair_part";
	char *out = NULL, *text, date[64];
	size_t out_len = 0, text_len;
	struct tm tm;
	time_t jst = m->date + 9 * 3600;
	FILE *f;

	if ((*why = mail_message_check(m)) != NULL)
		return NULL;
	/* Japan's time, whatever the server's zone: what the reader lives in.
	 */
	gmtime_r(&jst, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0900", &tm);
	f = open_memstream(&out, &out_len);
	if (f == NULL)
		abort();
	fprintf(f, "Date: %s\r\nFrom: ", date);
	if (m->from_name != NULL && m->from_name[0] != '\0') {
		mail_phrase(f, m->from_name);
		/* The address on a line of its own keeps each line short. */
		fputs("\r\n ", f);
	}
	fprintf(f, "<%s>\r\nTo: <%s>\r\nSubject: ", m->from_addr, m->to);
	if (mail_plain_ascii(m->subject) && strstr(m->subject, "=?") == NULL &&
	    strlen(m->subject) <= MAIL_HEADER_LINE - strlen("Subject: "))
		fputs(m->subject, f);
	else
		mail_encoded_words(f, m->subject, strlen("Subject: "));
	fprintf(f, "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n",
		m->message_id);
	if (m->png != NULL)
		fprintf(f,
			"Content-Type: multipart/mixed; boundary=\"%s\"\r\n"
			"\r\nThis is a message in MIME format.\r\n"
			"\r\n--%s\r\n",
			boundary, boundary);
	fputs("Content-Type: text/plain; charset=UTF-8\r\n"
	      "Content-Transfer-Encoding: base64\r\n\r\n",
	      f);
	text = mail_crlf_new(m->body, &text_len);
	mail_base64_lines(f, (const unsigned char *)text, text_len);
	free(text);
	if (m->png != NULL) {
		fprintf(f,
			"\r\n--%s\r\n"
			"Content-Type: image/png; name=\"checkin-qr.png\"\r\n"
			"Content-Disposition: attachment; "
			"filename=\"checkin-qr.png\"\r\n"
			"Content-Transfer-Encoding: base64\r\n\r\n",
			boundary);
		mail_base64_lines(f, m->png, m->png_len);
		fprintf(f, "\r\n--%s--\r\n", boundary);
	}
	if (fclose(f) != 0)
		abort();
	*len = out_len;
	return out;
}
