/*
 * Unit tests for server/mail_message.c: every header line is ASCII and
 * short, the Japanese subject and sender's name come back from their
 * encoded-words, the body and the PNG from their base64, and a CR or LF
 * in an address, the subject or the sender's name is refused (no header
 * injection). The integration test sends such messages to a real sink.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "mail_message.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char subject[] =
    "【令和8年度 山口市就職面接会】お申し込みを受け付けました（受付票の"
    "QRコードを添付しています）";
static const char body[] = "山口 太郎 様\n\nお申し込みありがとうございます。"
			   "\n受付番号：12\n";
static const unsigned char png[] = {0x89, 'P',	'N', 'G', '\r', '\n',
				    0x1a, '\n', 0,   1,	  2,	3};

static struct mail_message
message(void)
{
	return (struct mail_message){.from_name = "山口市 就職面接会",
				     .from_addr = "noreply@city.example.jp",
				     .to = "taro@example.jp",
				     .subject = subject,
				     .body = body,
				     .message_id = "<jobfair.12.1700000000@"
						   "city.example.jp>",
				     .date = 1700000000};
}

static char *
build(const struct mail_message *m)
{
	const char *why = NULL;
	size_t len;
	char *out = mail_message_new(m, &len, &why);

	assert_non_null(out);
	assert_null(why);
	assert_int_equal(strlen(out), len);
	return out;
}

/* The header's (unfolded) value of `name`, or NULL. */
static char *
header(const char *msg, const char *name)
{
	size_t n = strlen(name), len = 0;
	const char *end = strstr(msg, "\r\n\r\n");
	char *out = calloc(1, strlen(msg) + 1);

	for (const char *p = msg; p < end; p = strstr(p, "\r\n") + 2) {
		if (strncmp(p, name, n) != 0 || p[n] != ':')
			continue;
		p += n + 2;
		for (;;) {
			const char *eol = strstr(p, "\r\n");

			memcpy(out + len, p, eol - p);
			len += eol - p;
			if (eol[2] != ' ')
				return out;
			p = eol + 2; /* unfolding removes the CRLF only */
		}
	}
	free(out);
	return NULL;
}

/* Decodes every "=?UTF-8?B?…?=" of v and keeps the rest. */
static char *
decode_words(const char *v)
{
	char *out = calloc(1, strlen(v) + 1);
	size_t len = 0;

	while (*v != '\0') {
		const char *end;
		size_t bin_len;

		if (strncmp(v, "=?UTF-8?B?", 10) != 0) {
			out[len++] = *v++;
			continue;
		}
		/* Space between two encoded-words is not text (RFC 2047 6.2).
		 */
		if (len > 0 && out[len - 1] == ' ' && v[-1] == ' ' &&
		    v[-2] == '=' && v[-3] == '?')
			len--;
		end = strstr(v + 10, "?=");
		assert_non_null(end);
		assert_true(end - v + 2 <= 75);
		assert_int_equal(
		    sodium_base642bin((unsigned char *)out + len, strlen(v),
				      v + 10, end - (v + 10), NULL, &bin_len,
				      NULL, sodium_base64_VARIANT_ORIGINAL),
		    0);
		len += bin_len;
		v = end + 2;
	}
	return out;
}

/* Every line of msg at most 78 characters, as RFC 5322 asks. */
static void
assert_lines_short(const char *msg)
{
	for (const char *p = msg; p != NULL && *p; p = strstr(p, "\r\n")) {
		const char *eol;

		if (p != msg)
			p += 2;
		eol = strstr(p, "\r\n");
		if (eol == NULL)
			break;
		assert_true(eol - p <= 78);
	}
}

static void
test_headers_ascii_and_short(void **state)
{
	struct mail_message m = message();
	char *msg = build(&m);
	const char *end = strstr(msg, "\r\n\r\n");

	(void)state;
	for (const char *p = msg; p < end; p++)
		assert_true((unsigned char)*p < 0x80);
	for (const char *p = msg; p != NULL && *p; p = strstr(p, "\r\n")) {
		const char *eol;

		if (p != msg)
			p += 2;
		eol = strstr(p, "\r\n");
		if (eol == NULL)
			break;
		assert_true(eol - p <= 78);
	}
	/* No bare LF anywhere: every line ends with CRLF. */
	for (const char *p = msg; *p; p++)
		if (*p == '\n')
			assert_int_equal(p[-1], '\r');
	free(msg);
}

static void
test_subject_and_from_decode(void **state)
{
	struct mail_message m = message();
	char *msg = build(&m), *v, *d;

	(void)state;
	v = header(msg, "Subject");
	d = decode_words(v);
	assert_string_equal(d, subject);
	free(v);
	free(d);
	v = header(msg, "From");
	d = decode_words(v);
	assert_string_equal(d, "山口市 就職面接会 <noreply@city.example.jp>");
	free(v);
	free(d);
	v = header(msg, "Date");
	assert_string_equal(v, "Wed, 15 Nov 2023 07:13:20 +0900");
	free(v);
	v = header(msg, "Message-ID");
	assert_string_equal(v, "<jobfair.12.1700000000@city.example.jp>");
	free(v);
	v = header(msg, "Content-Type");
	assert_string_equal(v, "text/plain; charset=UTF-8");
	free(v);
	free(msg);
}

static void
test_ascii_name_quoted(void **state)
{
	struct mail_message m = message();
	char *msg, *v;

	(void)state;
	m.from_name = "Jobfair \"Yamaguchi\"";
	m.subject = "Hello";
	msg = build(&m);
	v = header(msg, "From");
	assert_string_equal(
	    v, "\"Jobfair \\\"Yamaguchi\\\"\" <noreply@city.example.jp>");
	free(v);
	v = header(msg, "Subject");
	assert_string_equal(v, "Hello");
	free(v);
	free(msg);
}

/*
 * A long ASCII sender's name or subject (fuzz_mail found a From line of
 * 1,100 characters) is folded as encoded-words, and reads back the same.
 */
static void
test_long_ascii_folded(void **state)
{
	struct mail_message m = message();
	char name[1201], subj[201], *msg, *v, *d, *want;

	(void)state;
	for (size_t i = 0; i < sizeof name - 1; i++)
		name[i] = i % 10 == 9 ? ' ' : 'a' + i % 26;
	name[sizeof name - 1] = '\0';
	for (size_t i = 0; i < sizeof subj - 1; i++)
		subj[i] = i % 7 == 6 ? ' ' : 'A' + i % 26;
	subj[sizeof subj - 1] = '\0';
	m.from_name = name;
	m.subject = subj;
	msg = build(&m);
	assert_lines_short(msg);
	v = header(msg, "Subject");
	d = decode_words(v);
	assert_string_equal(d, subj);
	free(v);
	free(d);
	v = header(msg, "From");
	d = decode_words(v);
	want = calloc(1, sizeof name + 64);
	snprintf(want, sizeof name + 64, "%s <noreply@city.example.jp>", name);
	assert_string_equal(d, want);
	free(want);
	free(v);
	free(d);
	free(msg);
}

/* The base64 between `after` and the next blank line or boundary. */
static unsigned char *
part(const char *msg, const char *after, size_t *len)
{
	const char *p = strstr(strstr(msg, after), "\r\n\r\n") + 4;
	const char *end = strstr(p, "\r\n\r\n");
	unsigned char *out = calloc(1, strlen(p) + 1);

	if (end == NULL)
		end = p + strlen(p);
	assert_int_equal(sodium_base642bin(out, strlen(p), p, end - p, "\r\n",
					   len, NULL,
					   sodium_base64_VARIANT_ORIGINAL),
			 0);
	return out;
}

static void
test_body_crlf_base64(void **state)
{
	struct mail_message m = message();
	char *msg = build(&m);
	size_t len;
	unsigned char *text = part(msg, "Content-Transfer-Encoding", &len);

	(void)state;
	assert_int_equal(
	    len, strlen("山口 太郎 様\r\n\r\nお申し込みありがとうございます。"
			"\r\n受付番号：12\r\n"));
	assert_memory_equal(
	    text,
	    "山口 太郎 様\r\n\r\nお申し込みありがとうございます。"
	    "\r\n受付番号：12\r\n",
	    len);
	free(text);
	free(msg);
}

static void
test_png_attachment(void **state)
{
	struct mail_message m = message();
	char *msg, *v;
	size_t len;
	unsigned char *got;

	(void)state;
	m.png = png;
	m.png_len = sizeof png;
	msg = build(&m);
	v = header(msg, "Content-Type");
	assert_non_null(strstr(v, "multipart/mixed; boundary="));
	free(v);
	assert_non_null(strstr(msg, "Content-Type: image/png"));
	got = part(msg, "Content-Type: image/png", &len);
	assert_int_equal(len, sizeof png);
	assert_memory_equal(got, png, sizeof png);
	free(got);
	assert_non_null(strstr(msg, "\r\n--=_jobfair_part--\r\n"));
	free(msg);
}

static void
refused(struct mail_message m)
{
	const char *why = NULL;
	size_t len;

	assert_null(mail_message_new(&m, &len, &why));
	assert_non_null(why);
}

static void
test_injection_refused(void **state)
{
	struct mail_message m = message();

	(void)state;
	m.to = "taro@example.jp\r\nBcc: all@example.jp";
	refused(m);
	m = message();
	m.to = "taro@example.jp\nBcc: all@example.jp";
	refused(m);
	m = message();
	m.to = "Taro <taro@example.jp>";
	refused(m);
	m = message();
	m.to = "taro@example.jp,all@example.jp";
	refused(m);
	m = message();
	m.to = "太郎@example.jp";
	refused(m);
	m = message();
	m.subject = "受付\r\nBcc: all@example.jp";
	refused(m);
	m = message();
	m.subject = "受付\nX: y";
	refused(m);
	m = message();
	m.from_name = "市\r\nBcc: all@example.jp";
	refused(m);
	m = message();
	m.subject = "\xff\xfe";
	refused(m);
}

static void
test_from_parse(void **state)
{
	char *name = NULL, *addr = NULL;
	const char *why = NULL;

	(void)state;
	assert_int_equal(
	    mail_from_parse("山口市 就職面接会 <noreply@city.example.jp>",
			    &name, &addr, &why),
	    0);
	assert_string_equal(name, "山口市 就職面接会");
	assert_string_equal(addr, "noreply@city.example.jp");
	free(name);
	free(addr);
	assert_int_equal(
	    mail_from_parse("noreply@city.example.jp", &name, &addr, &why), 0);
	assert_string_equal(name, "");
	free(name);
	free(addr);
	assert_int_equal(
	    mail_from_parse("a <b@c.jp>\r\nBcc: d@e.jp", &name, &addr, &why),
	    -1);
	assert_int_equal(mail_from_parse("x\r\ny <b@c.jp>", &name, &addr, &why),
			 -1);
	assert_int_equal(mail_from_parse("nobody", &name, &addr, &why), -1);
	assert_non_null(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_headers_ascii_and_short),
	    cmocka_unit_test(test_subject_and_from_decode),
	    cmocka_unit_test(test_ascii_name_quoted),
	    cmocka_unit_test(test_long_ascii_folded),
	    cmocka_unit_test(test_body_crlf_base64),
	    cmocka_unit_test(test_png_attachment),
	    cmocka_unit_test(test_injection_refused),
	    cmocka_unit_test(test_from_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
