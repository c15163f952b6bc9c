/*
 * Unicode text rules on top of libutf8proc. The rules after NFKC rewrite
 * the normalised string in place: each one either drops a code point or
 * replaces it by one no longer in UTF-8 (hiragana and katakana are both
 * three bytes, a collapsed space is one byte standing for at least one
 * dropped byte), so the write position never passes the read position.
 */
#include "text.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Decodes the code point at *p of a valid NUL-terminated string. */
static int32_t
text_next(const char **p)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;

	n = utf8proc_iterate((const utf8proc_uint8_t *)*p, -1, &c);
	if (n < 1)
		fatalx("text_next: invalid UTF-8 after validation");
	*p += n;
	return c;
}

/* Encodes c at w and returns the position after it. */
static char *
text_put(char *w, int32_t c)
{
	return w + utf8proc_encode_char(c, (utf8proc_uint8_t *)w);
}

static bool
text_is_space(int32_t c)
{
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return true;
	return c > 0x7f && utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

/* Hiragana to the katakana at the same place in the block. */
static int32_t
text_katakana(int32_t c)
{
	if ((c >= 0x3041 && c <= 0x3096) || c == 0x309d || c == 0x309e)
		return c + 0x60;
	return c;
}

bool
text_valid_utf8(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	utf8proc_ssize_t n;
	size_t i = 0;

	while (i < len) {
		if (p[i] == '\0')
			return false;
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
		if (n < 1)
			return false;
		i += (size_t)n;
	}
	return true;
}

char *
text_nfkc_new(const char *s)
{
	utf8proc_uint8_t *dst;
	utf8proc_ssize_t n;

	if (s == NULL || !text_valid_utf8(s, strlen(s)))
		return NULL;
	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &dst,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE |
			     UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
	/* Valid input leaves only exhaustion: abort, as xmalloc does. */
	if (n < 0)
		fatalx("utf8proc_map: %s", utf8proc_errmsg(n));
	return (char *)dst;
}

char *
text_kana_new(const char *s)
{
	char *buf, *w;
	const char *r;
	bool space = false;
	int32_t c;

	if ((buf = text_nfkc_new(s)) == NULL)
		return NULL;
	for (r = w = buf; *r != '\0';) {
		c = text_katakana(text_next(&r));
		if (text_is_space(c)) {
			space = true;
			continue;
		}
		if (c < 0x30a0 || c > 0x30ff)
			goto fail;
		if (space && w != buf)
			*w++ = ' ';
		space = false;
		w = text_put(w, c);
	}
	*w = '\0';
	if (w == buf)
		goto fail;
	return buf;
fail:
	free(buf);
	return NULL;
}

bool
text_is_hyphen(int32_t c)
{
	switch (c) {
	case '-':
	case 0x2212: /* minus sign */
	case 0x30fc: /* katakana prolonged sound mark, an IME's "-" */
	case 0xff0d: /* fullwidth hyphen-minus */
	case 0xff70: /* halfwidth prolonged sound mark */
		return true;
	default:
		return c >= 0x2010 && c <= 0x2015;
	}
}

char *
text_digits_new(const char *s)
{
	char *buf, *w;
	const char *r;
	int32_t c;

	if ((buf = text_nfkc_new(s)) == NULL)
		return NULL;
	for (r = w = buf; *r != '\0';) {
		c = text_next(&r);
		if (c >= '0' && c <= '9')
			*w++ = (char)c;
		else if (!text_is_hyphen(c) && !text_is_space(c) && c != '(' &&
			 c != ')') {
			free(buf);
			return NULL;
		}
	}
	*w = '\0';
	return buf;
}

size_t
text_display_width(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t left = strlen(s), width = 0;
	utf8proc_int32_t c;
	utf8proc_ssize_t n;

	while (left > 0) {
		n = utf8proc_iterate(p, (utf8proc_ssize_t)left, &c);
		if (n < 1) {
			width++;
			n = 1;
		} else
			width += (size_t)utf8proc_charwidth(c);
		p += n;
		left -= (size_t)n;
	}
	return width;
}

char *
text_search_key_new(const char *s)
{
	char *buf, *w;
	const char *r;
	int32_t c;

	if ((buf = text_nfkc_new(s)) == NULL)
		return NULL;
	for (r = w = buf; *r != '\0';) {
		c = text_next(&r);
		if (!text_is_space(c))
			w = text_put(w, text_katakana(c));
	}
	*w = '\0';
	return buf;
}
