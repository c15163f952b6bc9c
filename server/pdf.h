/*
 * The printed documents as PDF, drawn with cairo and pango in the Noto
 * CJK font (cairo embeds the glyphs used, subsetted): 受付票, name
 * badges, booth cards and the companies' booklet. Pure functions of the
 * JSON that print_seekers() / print_companies() answer, so they run on a
 * worker thread (print.c) and in tests alike.
 */
#ifndef JF_PDF_H
#define JF_PDF_H

#include <stdbool.h>
#include <stddef.h>

enum pdf_kind {
	PDF_SLIPS,	      /* 受付票, print_seekers() */
	PDF_BADGES_SEEKERS,   /* 名札 of job seekers, print_seekers() */
	PDF_BADGES_COMPANIES, /* 名札 of representatives, print_companies() */
	PDF_BOOTHS,	      /* ブース掲示, print_companies() */
	PDF_COMPANIES, /* 参加企業・求人一覧, print_companies() */
};

/* 受付票 per A4 sheet: one, or three with cut lines between. */
#define PDF_SLIPS_PER_SHEET 3

/* Room for the first few missing code points, "U+10FFFD" each. */
#define PDF_MISSING_CODES 80

struct pdf_options {
	int per_page; /* slips: 1 or PDF_SLIPS_PER_SHEET */
	bool names;   /* seekers' badges: the name too, not only the number */
};

struct pdf_result {
	unsigned char *data; /* the PDF; the caller frees it */
	size_t len;
	int pages;
	/* Characters no font has, drawn as a box with their code point. */
	int missing;
	char
	    missing_codes[PDF_MISSING_CODES]; /* "U+E000 U+10FFFD", the first */
};

/* 0, or -1 with *cause (caller frees). `json` is the SQL's answer. */
int pdf_render(enum pdf_kind kind, const struct pdf_options *opt,
	       const char *json, size_t len, struct pdf_result *out,
	       char **cause);

#endif
