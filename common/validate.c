/*
 * Field validators: normalise through text.c, then check the shape and,
 * where one is published, the check digit.
 */
#include "validate.h"

#include "text.h"
#include "xmalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int
validate_fail(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

static bool
validate_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the ASCII whitespace or U+3000 at s, or 0. */
static size_t
validate_space_len(const char *s, size_t left)
{
	if (left >= 1 && (*s == ' ' || (*s >= '\t' && *s <= '\r')))
		return 1;
	if (left >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

/* Copy of s without surrounding whitespace, ideographic space included. */
static char *
validate_trim_new(const char *s)
{
	size_t len = strlen(s), n;

	while ((n = validate_space_len(s, len)) > 0) {
		s += n;
		len -= n;
	}
	for (;;) {
		if (len >= 1 && validate_space_len(s + len - 1, 1) == 1)
			len--;
		else if (len >= 3 && validate_space_len(s + len - 3, 3) == 3)
			len -= 3;
		else
			break;
	}
	return xstrndup(s, len);
}

/* The digits of in per text_digits_new(), if there are min..max of them. */
static int
validate_digits(const char *in, size_t min, size_t max, char **digits,
		const char **why, const char *reason)
{
	char *d;
	size_t len;

	if (in == NULL)
		return validate_fail(why, "is required");
	if ((d = text_digits_new(in)) == NULL)
		return validate_fail(why, reason);
	len = strlen(d);
	if (len < min || len > max) {
		free(d);
		return validate_fail(why, reason);
	}
	*digits = d;
	return 0;
}

/*
 * The check digit leads: 9 - (sum of Pn * Qn mod 9), Pn the n-th digit of
 * the 12-digit base from the right, Qn 1 for odd n and 2 for even n.
 */
static bool
validate_corporate_check(const char *d)
{
	int n, sum = 0;

	for (n = 1; n <= 12; n++)
		sum += (d[13 - n] - '0') * (n % 2 == 1 ? 1 : 2);
	return d[0] - '0' == 9 - sum % 9;
}

int
validate_corporate_number(const char *in, char **out, const char **why)
{
	char *d;

	if (validate_digits(in, 13, 13, &d, why, "must be 13 digits") != 0)
		return -1;
	if (!validate_corporate_check(d)) {
		free(d);
		return validate_fail(why, "check digit does not match");
	}
	*out = d;
	return 0;
}

int
validate_postal_code(const char *in, char **out, const char **why)
{
	return validate_digits(in, 7, 7, out, why, "must be 7 digits");
}

char *
validate_postal_display_new(const char *in)
{
	const char *why;
	char *d, *shown;

	if (validate_postal_code(in, &d, &why) != 0)
		return NULL;
	xasprintf(&shown, "%.3s-%s", d, d + 3);
	free(d);
	return shown;
}

int
validate_phone(const char *in, char **out, const char **why)
{
	static const char reason[] = "must be 10 or 11 digits starting with 0";
	char *d;

	if (validate_digits(in, 10, 11, &d, why, reason) != 0)
		return -1;
	if (d[0] != '0') {
		free(d);
		return validate_fail(why, reason);
	}
	*out = d;
	return 0;
}

/* Why the trimmed, normalised address s is not one, or NULL if it is. */
static const char *
validate_email_reason(char *s)
{
	char *at, *domain, *p;

	if (*s == '\0')
		return "is required";
	if (strlen(s) > 254)
		return "must be at most 254 bytes";
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return "must not contain spaces";
	}
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return "must contain exactly one @";
	if (at == s)
		return "must have a name before the @";
	domain = at + 1;
	if (strchr(domain, '.') == NULL || *domain == '.' ||
	    domain[strlen(domain) - 1] == '.' || strstr(domain, "..") != NULL)
		return "must have a domain such as example.jp after the @";
	/* Domains ignore case; one spelling makes duplicates visible. */
	for (p = domain; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	}
	return NULL;
}

int
validate_email(const char *in, char **out, const char **why)
{
	const char *reason;
	char *nfkc, *s;

	if (in == NULL)
		return validate_fail(why, "is required");
	/* NFKC turns an IME's full-width ＠ and letters into ASCII. */
	if ((nfkc = text_nfkc_new(in)) == NULL)
		return validate_fail(why, "must be valid UTF-8");
	s = validate_trim_new(nfkc);
	free(nfkc);
	if ((reason = validate_email_reason(s)) != NULL) {
		free(s);
		return validate_fail(why, reason);
	}
	*out = s;
	return 0;
}

int
validate_kana(const char *in, char **out, const char **why)
{
	char *kana;

	if (in == NULL)
		return validate_fail(why, "is required");
	if ((kana = text_kana_new(in)) == NULL)
		return validate_fail(why, "must be katakana or hiragana");
	*out = kana;
	return 0;
}

/* Number of ASCII digits at the start of s. */
static size_t
validate_digit_run(const char *s)
{
	size_t n = 0;

	while (validate_is_digit(s[n]))
		n++;
	return n;
}

int
validate_job_number(const char *in, char **out, const char **why)
{
	static const char reason[] =
	    "must be 5 digits, a hyphen and up to 8 digits "
	    "(e.g. 35010-12345678)";
	utf8proc_int32_t c;
	utf8proc_ssize_t n;
	char *nfkc, *s;
	const char *rest;
	size_t tail;
	int rc = -1;

	if (in == NULL)
		return validate_fail(why, "is required");
	if ((nfkc = text_nfkc_new(in)) == NULL)
		return validate_fail(why, reason);
	s = validate_trim_new(nfkc);
	free(nfkc);
	if (validate_digit_run(s) != 5)
		goto out;
	/* The hyphen may be any of the dashes an IME produces. */
	n = utf8proc_iterate((const utf8proc_uint8_t *)s + 5, -1, &c);
	if (n < 1 || !text_is_hyphen(c))
		goto out;
	rest = s + 5 + n;
	tail = validate_digit_run(rest);
	if (tail < 1 || tail > 8 || rest[tail] != '\0')
		goto out;
	xasprintf(out, "%.5s-%s", s, rest);
	rc = 0;
out:
	free(s);
	if (rc != 0)
		*why = reason;
	return rc;
}

int
validate_establishment_number(const char *in, char **out, const char **why)
{
	char *d;

	if (validate_digits(in, 11, 11, &d, why,
			    "must be 11 digits (NNNN-NNNNNN-N)") != 0)
		return -1;
	xasprintf(out, "%.4s-%.6s-%s", d, d + 4, d + 10);
	free(d);
	return 0;
}

/* The n-digit number at s, or -1 if any of those bytes is not a digit. */
static int
validate_number(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!validate_is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int
validate_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

	return month == 2 && leap ? 29 : days[month - 1];
}

int
validate_date_parts(const char *s, int *year, int *month, int *day)
{
	int y, m, d;

	/* Checked left to right so a short string stops at its NUL. */
	if ((y = validate_number(s, 4)) < 1 || s[4] != '-' ||
	    (m = validate_number(s + 5, 2)) < 1 || m > 12 || s[7] != '-' ||
	    (d = validate_number(s + 8, 2)) < 1 ||
	    d > validate_days_in_month(y, m))
		return -1;
	*year = y;
	*month = m;
	*day = d;
	return 0;
}

/* True if s starts with two digits making a number no greater than max. */
static bool
validate_two(const char *s, int max)
{
	int v = validate_number(s, 2);

	return v >= 0 && v <= max;
}

/* True if p is exactly the RFC 3339 "THH:MM:SS[.frac](Z|+HH:MM)" tail. */
static bool
validate_time_tail(const char *p)
{
	if ((*p != 'T' && *p != 't') || !validate_two(p + 1, 23) ||
	    p[3] != ':' || !validate_two(p + 4, 59) || p[6] != ':' ||
	    !validate_two(p + 7, 59))
		return false;
	p += 9;
	if (*p == '.' && validate_is_digit(p[1]))
		p += 1 + validate_digit_run(p + 1);
	if (*p == 'Z' || *p == 'z')
		return p[1] == '\0';
	return (*p == '+' || *p == '-') && validate_two(p + 1, 23) &&
	       p[3] == ':' && validate_two(p + 4, 59) && p[6] == '\0';
}

/* A date, followed by an RFC 3339 time if with_time. */
static int
validate_datetime(const char *in, bool with_time, char **out, const char **why,
		  const char *reason)
{
	int y, m, d;
	char *s;

	if (in == NULL)
		return validate_fail(why, "is required");
	s = validate_trim_new(in);
	if (validate_date_parts(s, &y, &m, &d) != 0 ||
	    (with_time ? !validate_time_tail(s + 10) : s[10] != '\0')) {
		free(s);
		return validate_fail(why, reason);
	}
	*out = s;
	return 0;
}

int
validate_date(const char *in, char **out, const char **why)
{
	return validate_datetime(in, false, out, why,
				 "must be a date as YYYY-MM-DD");
}

int
validate_timestamp(const char *in, char **out, const char **why)
{
	return validate_datetime(in, true, out, why,
				 "must be a date and time as "
				 "YYYY-MM-DDTHH:MM:SS+09:00");
}

int
validate_text(const char *in, size_t max, char **out, const char **why)
{
	const utf8proc_uint8_t *p;
	utf8proc_int32_t c;
	size_t count = 0;
	char *s;

	if (in == NULL)
		return validate_fail(why, "is required");
	if (!text_valid_utf8(in, strlen(in)))
		return validate_fail(why, "must be valid UTF-8");
	s = validate_trim_new(in);
	if (*s == '\0') {
		free(s);
		return validate_fail(why, "is required");
	}
	for (p = (const utf8proc_uint8_t *)s; *p != '\0'; count++) {
		p += utf8proc_iterate(p, -1, &c);
		/* Controls break CSV and terminals; keep line breaks. */
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    (c >= 0x7f && c <= 0x9f)) {
			free(s);
			return validate_fail(
			    why, "must not contain control characters");
		}
		/*
		 * Format characters (Unicode Cf) are invisible: zero-width
		 * spaces, bidi overrides, the BOM. They make one name look
		 * like another, or a line read backwards in a report.
		 */
		if (utf8proc_category(c) == UTF8PROC_CATEGORY_CF) {
			free(s);
			return validate_fail(why,
					     "must not contain invisible or "
					     "direction-changing characters");
		}
	}
	if (count > max) {
		free(s);
		return validate_fail(why, "is too long");
	}
	*out = s;
	return 0;
}

bool
validate_whole_number(const char *s)
{
	size_t n;

	if (*s == '-')
		s++;
	n = strspn(s, "0123456789");
	return n > 0 && s[n] == '\0';
}
