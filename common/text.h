/*
 * Unicode text rules applied to every input at the edge: NFKC, the kana
 * and digit rules of DOMAIN.md, search keys and terminal width. Every
 * _new result is allocated with malloc and freed by the caller with free().
 */
#ifndef JF_TEXT_H
#define JF_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if s[0..len) is well-formed UTF-8 without NUL bytes. */
bool text_valid_utf8(const char *s, size_t len);

/* NFKC of s; NULL if s is NULL or not valid UTF-8. */
char *text_nfkc_new(const char *s);

/*
 * Kana for furigana fields: NFKC, hiragana to katakana, whitespace runs
 * collapsed to one ASCII space, trimmed. NULL unless the result is
 * non-empty and holds only katakana (U+30A0..U+30FF) and spaces.
 */
char *text_kana_new(const char *s);

/*
 * The digits of a phone number, postal code or corporate number: NFKC,
 * then hyphen-like characters, whitespace and brackets dropped. NULL if
 * anything other than ASCII digits remains; may be empty.
 */
char *text_digits_new(const char *s);

/* True for the characters people type as a hyphen in numbers. */
bool text_is_hyphen(int32_t c);

/*
 * Terminal columns of s: East Asian wide characters take two, combining
 * marks none. An invalid byte counts as one column (shown as U+FFFD).
 */
size_t text_display_width(const char *s);

/*
 * Key for fuzzy lookups by name, kana or phone: NFKC, hiragana to
 * katakana, all whitespace removed. NULL if s is not valid UTF-8.
 */
char *text_search_key_new(const char *s);

#endif
