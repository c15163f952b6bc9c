/*
 * Validators for every field that arrives from a form, the API or the
 * CLI. Each returns 0 and stores a normalised value in *out (malloc'd,
 * freed by the caller with free()), or returns -1 and points *why at a
 * short static English reason fit to show as the field's error, such as
 * "must be 7 digits". A NULL input is rejected as "is required".
 */
#ifndef JF_VALIDATE_H
#define JF_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* 法人番号: 13 digits whose first digit checks the other 12. */
int validate_corporate_number(const char *in, char **out, const char **why);

/* Postal code: 7 digits, stored as "NNNNNNN". */
int validate_postal_code(const char *in, char **out, const char **why);

/* A postal code as shown, "NNN-NNNN"; NULL if in is not a postal code. */
char *validate_postal_display_new(const char *in);

/* Phone: 10 or 11 digits starting with 0, stored as digits only. */
int validate_phone(const char *in, char **out, const char **why);

/* E-mail: NFKC, trimmed, one @, a dotted domain (lowercased). */
int validate_email(const char *in, char **out, const char **why);

/* Furigana per text_kana_new(), stored in katakana. */
int validate_kana(const char *in, char **out, const char **why);

/* 求人番号: 5 digits, a hyphen, 1 to 8 digits, stored "NNNNN-NNNNNNNN". */
int validate_job_number(const char *in, char **out, const char **why);

/* 事業所番号: 11 digits, stored "NNNN-NNNNNN-N". */
int validate_establishment_number(const char *in, char **out, const char **why);

/* A calendar date "YYYY-MM-DD"; *out is the trimmed input. */
int validate_date(const char *in, char **out, const char **why);

/* RFC 3339 date-time with Z or an offset; *out is the trimmed input. */
int validate_timestamp(const char *in, char **out, const char **why);

/*
 * Required free text, such as a name, stored as entered: valid UTF-8, no
 * control characters but tab and newlines, no invisible format
 * characters (zero-width spaces, bidi controls), trimmed, non-empty and
 * at most max code points.
 */
int validate_text(const char *in, size_t max, char **out, const char **why);

/*
 * Reads the calendar date "YYYY-MM-DD" from the first 10 bytes of s
 * (what follows is not examined). Returns 0, or -1 if it is not a real
 * date.
 */
int validate_date_parts(const char *s, int *year, int *month, int *day);

/*
 * A whole number as a clerk types it: ASCII decimal digits, perhaps after
 * one minus. Not "+5", " 12", "0x10", "3e1", "1.0" nor "inf", which
 * strtod and strtol would take.
 */
bool validate_whole_number(const char *s);

#endif
