/*
 * Drawing the printed documents. Coordinates are millimetres (the cairo
 * context is scaled once per page) and type sizes points. Every piece of
 * text goes through pdf_text(), which wraps within its box and shrinks the
 * type until the text fits, so a long company name never runs over its
 * neighbour; it also counts the characters no font has (pango draws them
 * as a box holding the code point, which is what we want on paper).
 */
#include "pdf.h"

#include "qr.h"
#include "xmalloc.h"

#include <cairo-pdf.h>
#include <cjson/cJSON.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SANITIZE_ADDRESS__
/*
 * cairo 1.16 (Debian 12) leaks 768 bytes of its own per PDF inside
 * cairo_surface_finish, after every object we made is freed, and
 * fontconfig keeps its first configuration for good. LeakSanitizer is told
 * about those two libraries alone, in every program that draws PDFs
 * (jobfaird, test_pdf), so that our own leaks still fail the tests.
 */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libcairo.so\nleak:libfontconfig.so\n";
}
#endif

#define PDF_FONT "Noto Sans CJK JP"
#define PDF_MM	 (72.0 / 25.4) /* points per millimetre */
#define PDF_PT	 (25.4 / 72.0) /* millimetres per point */
#define A4_W	 210.0
#define A4_H	 297.0
/* The smallest type a shrinking text may reach before it wraps/cuts. */
#define PDF_MIN_PT 6.0

/*
 * Name badges: A4 10-up labels of 91 × 55 mm, two columns of five,
 * 14 mm side and 11 mm top margins (A-one 51002 and its equivalents).
 */
#define BADGE_W	   91.0
#define BADGE_H	   55.0
#define BADGE_COLS 2
#define BADGE_ROWS 5
#define BADGE_LEFT 14.0
#define BADGE_TOP  11.0

enum pdf_align { LEFT, CENTER, RIGHT };

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoFontMap *fonts; /* the document's own: freed with it */
	PangoContext *pango;
	unsigned char *data;
	size_t len, cap;
	int pages;
	bool landscape;
	int missing;
	char missing_codes[PDF_MISSING_CODES];
};

struct pdf_box {
	double x, y, w, h;
	double pt; /* the wanted size; shrinks to fit */
	bool bold;
	enum pdf_align align;
	int max_lines; /* wrapping allowed up to this many lines */
};

static cairo_status_t
pdf_write_cb(void *arg, const unsigned char *data, unsigned int len)
{
	struct pdf *p = arg;

	if (p->len + len > p->cap) {
		p->cap = (p->len + len) * 2;
		p->data = xrealloc(p->data, p->cap);
	}
	memcpy(p->data + p->len, data, len);
	p->len += len;
	return CAIRO_STATUS_SUCCESS;
}

static void
pdf_page_begin(struct pdf *p)
{
	p->pages++;
	cairo_save(p->cr);
	cairo_scale(p->cr, PDF_MM, PDF_MM);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void
pdf_page_end(struct pdf *p)
{
	cairo_restore(p->cr);
	cairo_show_page(p->cr);
}

static void
pdf_open(struct pdf *p, bool landscape, const char *title)
{
	cairo_font_options_t *fo;

	memset(p, 0, sizeof *p);
	p->landscape = landscape;
	p->surface = cairo_pdf_surface_create_for_stream(
	    pdf_write_cb, p, (landscape ? A4_H : A4_W) * PDF_MM,
	    (landscape ? A4_W : A4_H) * PDF_MM);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE,
				       title);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR,
				       "jobfair");
	p->cr = cairo_create(p->surface);
	p->fonts = pango_cairo_font_map_new();
	p->pango = pango_font_map_create_context(p->fonts);
	pango_cairo_update_context(p->cr, p->pango);
	/* Positions in millimetres: hinting or rounding would move glyphs. */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(p->pango, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(p->pango, FALSE);
}

static int
pdf_close(struct pdf *p, struct pdf_result *out, char **cause)
{
	cairo_status_t st;

	g_object_unref(p->pango);
	g_object_unref(p->fonts);
	cairo_destroy(p->cr);
	cairo_surface_finish(p->surface);
	st = cairo_surface_status(p->surface);
	cairo_surface_destroy(p->surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		xasprintf(cause, "cannot write the PDF: %s",
			  cairo_status_to_string(st));
		free(p->data);
		return -1;
	}
	*out = (struct pdf_result){.data = p->data,
				   .len = p->len,
				   .pages = p->pages,
				   .missing = p->missing};
	memcpy(out->missing_codes, p->missing_codes, sizeof p->missing_codes);
	return 0;
}

static PangoLayout *
pdf_layout(struct pdf *p, const char *text, double pt, bool bold, double w,
	   enum pdf_align align)
{
	PangoLayout *l = pango_layout_new(p->pango);
	PangoFontDescription *fd = pango_font_description_from_string(PDF_FONT);

	pango_font_description_set_absolute_size(fd, pt * PDF_PT * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD
						   : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align == CENTER  ? PANGO_ALIGN_CENTER
				      : align == RIGHT ? PANGO_ALIGN_RIGHT
						       : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text, -1);
	return l;
}

static double
pdf_layout_height(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/*
 * Counts the glyphs of l that no font has (pango marks them with
 * PANGO_GLYPH_UNKNOWN_FLAG and the code point) and notes the first few
 * code points as "U+20BB7" for the report.
 */
static void
pdf_note_missing(struct pdf *p, PangoLayout *l)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);

	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);

		for (int i = 0; run != NULL && i < run->glyphs->num_glyphs;
		     i++) {
			PangoGlyph g = run->glyphs->glyphs[i].glyph;
			char code[16];
			size_t have;

			if (!(g & PANGO_GLYPH_UNKNOWN_FLAG))
				continue;
			p->missing++;
			snprintf(code, sizeof code, "U+%04X",
				 (unsigned)(g & ~PANGO_GLYPH_UNKNOWN_FLAG));
			have = strlen(p->missing_codes);
			if (strstr(p->missing_codes, code) == NULL &&
			    have + strlen(code) + 2 < sizeof p->missing_codes)
				snprintf(p->missing_codes + have,
					 sizeof p->missing_codes - have, "%s%s",
					 have > 0 ? " " : "", code);
		}
	} while (pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
}

/*
 * Draws text in the box, vertically centred: the largest size up to
 * b->pt at which it fits within max_lines and the box's height; at the
 * smallest size what still does not fit is cut with an ellipsis. Returns
 * the height drawn.
 */
static double
pdf_text(struct pdf *p, const struct pdf_box *b, const char *text)
{
	double pt = b->pt, h;
	PangoLayout *l;
	int lines = b->max_lines > 0 ? b->max_lines : 1;

	for (;;) {
		l = pdf_layout(p, text, pt, b->bold, b->w, b->align);
		h = pdf_layout_height(l);
		if ((pango_layout_get_line_count(l) <= lines &&
		     (b->h <= 0 || h <= b->h)) ||
		    pt <= PDF_MIN_PT)
			break;
		g_object_unref(l);
		pt = pt * 0.92 < PDF_MIN_PT ? PDF_MIN_PT : pt * 0.92;
	}
	if (pango_layout_get_line_count(l) > lines) {
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_height(l, -lines);
		h = pdf_layout_height(l);
	}
	if (pango_layout_get_unknown_glyphs_count(l) > 0)
		pdf_note_missing(p, l);
	cairo_move_to(p->cr, b->x, b->y + (b->h > 0 ? (b->h - h) / 2 : 0));
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	return h;
}

/* A one-line label at (x, y), top-left, of the given size. */
static double
pdf_label(struct pdf *p, double x, double y, double w, double pt, bool bold,
	  const char *text)
{
	struct pdf_box b = {.x = x, .y = y, .w = w, .pt = pt, .bold = bold};

	return pdf_text(p, &b, text);
}

/*
 * The QR code of text with its quiet zone, `module` mm per module, its
 * top-left corner at (x, y); returns its side. Dark modules are drawn as
 * one rectangle per horizontal run, a vector the printer renders sharp.
 */
static double
pdf_qr(struct pdf *p, const char *text, double x, double y, double module)
{
	char *cause = NULL;
	QRcode *code = qr_code_new(text, &cause);
	int modules;

	if (code == NULL) {
		free(cause);
		return 0;
	}
	modules = code->width + 2 * QR_QUIET_ZONE;
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 1, 1, 1);
	cairo_rectangle(p->cr, x, y, modules * module, modules * module);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	for (int my = 0; my < modules; my++)
		for (int mx = 0; mx < modules;) {
			int run = 0;

			while (mx + run < modules &&
			       qr_dark(code, mx + run, my))
				run++;
			if (run > 0)
				cairo_rectangle(p->cr, x + mx * module,
						y + my * module, run * module,
						module);
			mx += run > 0 ? run : 1;
		}
	cairo_fill(p->cr);
	cairo_restore(p->cr);
	QRcode_free(code);
	return modules * module;
}

static void
pdf_line(struct pdf *p, double x0, double y0, double x1, double y1,
	 double width, double gray, bool dashed)
{
	static const double dash[] = {2.0, 1.5};

	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, gray, gray, gray);
	cairo_set_line_width(p->cr, width);
	if (dashed)
		cairo_set_dash(p->cr, dash, 2, 0);
	cairo_move_to(p->cr, x0, y0);
	cairo_line_to(p->cr, x1, y1);
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
}

static const char *
pdf_str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s != NULL ? s : "";
}

static int
pdf_int(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* One 受付票 in a 210 × 99 mm slot whose top is y. */
static void
pdf_slip(struct pdf *p, const cJSON *event, const cJSON *s, double y)
{
	const double left = 14, qr_module = 1.2;
	char number[32];
	double qx = A4_W - 14 - 33 * qr_module, side;

	snprintf(number, sizeof number, "%06d", pdf_int(s, "id"));
	pdf_label(p, left, y + 8, 60, 16, true, "受付票");
	pdf_text(p,
		 &(struct pdf_box){.x = left + 30,
				   .y = y + 8.5,
				   .w = 136,
				   .pt = 9,
				   .align = RIGHT},
		 pdf_str(event, "type"));
	pdf_line(p, left, y + 17, A4_W - left, y + 17, 0.4, 0, false);
	pdf_text(p,
		 &(struct pdf_box){.x = left,
				   .y = y + 19,
				   .w = 130,
				   .h = 12,
				   .pt = 13,
				   .bold = true,
				   .max_lines = 2},
		 pdf_str(event, "title"));
	pdf_text(p,
		 &(struct pdf_box){.x = left, .y = y + 32, .w = 130, .pt = 10},
		 pdf_str(event, "when"));
	pdf_text(p,
		 &(struct pdf_box){.x = left,
				   .y = y + 37.5,
				   .w = 130,
				   .h = 9,
				   .pt = 10,
				   .max_lines = 2},
		 pdf_str(event, "venue"));
	pdf_label(p, left, y + 48, 20, 8, false, "フリガナ");
	pdf_text(p,
		 &(struct pdf_box){
		     .x = left + 18, .y = y + 47.5, .w = 112, .h = 5, .pt = 10},
		 pdf_str(s, "kana"));
	pdf_label(p, left, y + 57, 20, 8, false, "お名前");
	pdf_text(p,
		 &(struct pdf_box){.x = left + 18,
				   .y = y + 53,
				   .w = 112,
				   .h = 12,
				   .pt = 22,
				   .bold = true,
				   .max_lines = 2},
		 pdf_str(s, "name"));
	pdf_line(p, left, y + 66, left + 130, y + 66, 0.2, 0.4, false);
	pdf_label(p, left, y + 70, 20, 8, false, "受付番号");
	pdf_label(p, left + 18, y + 67.5, 60, 16, true, number);
	side = pdf_qr(p, pdf_str(s, "token"), qx, y + 21, qr_module);
	pdf_text(p,
		 &(struct pdf_box){.x = qx - 4,
				   .y = y + 22 + side,
				   .w = side + 8,
				   .pt = 8,
				   .align = CENTER,
				   .max_lines = 2},
		 "受付でこのコードをお見せください");
	pdf_text(p,
		 &(struct pdf_box){.x = left,
				   .y = y + 80,
				   .w = A4_W - 2 * left,
				   .h = 10,
				   .pt = 9,
				   .max_lines = 2},
		 "お持ちいただくもの：この受付票、筆記用具、履歴書（応募書類"
		 "をお持ちの方）。受付票をなくされた場合は受付でお名前をお伝え"
		 "ください。");
}

static void
pdf_slips(struct pdf *p, const cJSON *data, const struct pdf_options *opt)
{
	const cJSON *event = cJSON_GetObjectItem(data, "event");
	const cJSON *s;
	int per = opt->per_page == 1 ? 1 : PDF_SLIPS_PER_SHEET, i = 0;
	double slot = A4_H / PDF_SLIPS_PER_SHEET;

	cJSON_ArrayForEach(s, cJSON_GetObjectItem(data, "items"))
	{
		if (i % per == 0) {
			if (i > 0)
				pdf_page_end(p);
			pdf_page_begin(p);
		} else /* a cut line above each slip but a sheet's first */
			pdf_line(p, 5, (i % per) * slot, A4_W - 5,
				 (i % per) * slot, 0.25, 0.5, true);
		pdf_slip(p, event, s, (i % per) * slot);
		i++;
	}
	if (i > 0)
		pdf_page_end(p);
}

/*
 * The top-left corner of label n on its sheet, starting a page at 0,
 * with the event's title drawn across its top.
 */
static void
pdf_badge_at(struct pdf *p, int n, const cJSON *event, double *x, double *y)
{
	int slot = n % (BADGE_COLS * BADGE_ROWS);

	if (slot == 0) {
		if (n > 0)
			pdf_page_end(p);
		pdf_page_begin(p);
	}
	*x = BADGE_LEFT + (slot % BADGE_COLS) * BADGE_W;
	*y = BADGE_TOP + (slot / BADGE_COLS) * BADGE_H;
	pdf_text(p,
		 &(struct pdf_box){.x = *x + 6,
				   .y = *y + 5,
				   .w = 79,
				   .h = 4,
				   .pt = 7,
				   .align = CENTER},
		 pdf_str(event, "title"));
}

static void
pdf_badges_seekers(struct pdf *p, const cJSON *data,
		   const struct pdf_options *opt)
{
	const cJSON *event = cJSON_GetObjectItem(data, "event");
	const cJSON *s;
	int n = 0;
	double x, y;
	char number[32];

	cJSON_ArrayForEach(s, cJSON_GetObjectItem(data, "items"))
	{
		pdf_badge_at(p, n++, event, &x, &y);
		snprintf(number, sizeof number, "%06d", pdf_int(s, "id"));
		if (!opt->names) {
			pdf_label(p, x + 6, y + 14, 79, 9, false, "受付番号");
			pdf_text(p,
				 &(struct pdf_box){.x = x + 6,
						   .y = y + 20,
						   .w = 79,
						   .h = 22,
						   .pt = 44,
						   .bold = true,
						   .align = CENTER},
				 number);
			continue;
		}
		pdf_label(p, x + 6, y + 12, 79, 10, true, number);
		pdf_text(p,
			 &(struct pdf_box){.x = x + 6,
					   .y = y + 20,
					   .w = 79,
					   .h = 5,
					   .pt = 9,
					   .align = CENTER},
			 pdf_str(s, "kana"));
		pdf_text(p,
			 &(struct pdf_box){.x = x + 6,
					   .y = y + 26,
					   .w = 79,
					   .h = 20,
					   .pt = 28,
					   .bold = true,
					   .align = CENTER,
					   .max_lines = 2},
			 pdf_str(s, "name"));
	}
	if (n > 0)
		pdf_page_end(p);
}

/* One badge per representative (at least one), the name left to write. */
static void
pdf_badges_companies(struct pdf *p, const cJSON *data)
{
	const cJSON *event = cJSON_GetObjectItem(data, "event");
	const cJSON *c;
	int n = 0;
	double x, y;
	char booth[80];

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(data, "items"))
	{
		int reps = pdf_int(c, "representatives");

		snprintf(booth, sizeof booth, "ブース %s", pdf_str(c, "booth"));
		for (int r = 0; r < (reps > 0 ? reps : 1); r++) {
			pdf_badge_at(p, n++, event, &x, &y);
			pdf_label(p, x + 6, y + 11, 79, 10, true, booth);
			pdf_text(p,
				 &(struct pdf_box){.x = x + 6,
						   .y = y + 17,
						   .w = 79,
						   .h = 16,
						   .pt = 18,
						   .bold = true,
						   .align = CENTER,
						   .max_lines = 2},
				 pdf_str(c, "name"));
			pdf_label(p, x + 6, y + 41, 20, 8, false, "氏名");
			pdf_line(p, x + 16, y + 46, x + 85, y + 46, 0.2, 0.4,
				 false);
		}
	}
	if (n > 0)
		pdf_page_end(p);
}

/* A4 landscape, one per booth: what a seeker reads from across a hall. */
static void
pdf_booths(struct pdf *p, const cJSON *data)
{
	const cJSON *event = cJSON_GetObjectItem(data, "event");
	const cJSON *c;
	const double W = A4_H, qr_module = 1.8;

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(data, "items"))
	{
		double side;

		pdf_page_begin(p);
		pdf_text(p,
			 &(struct pdf_box){
			     .x = 15, .y = 10, .w = W - 30, .h = 8, .pt = 12},
			 pdf_str(event, "title"));
		pdf_line(p, 15, 20, W - 15, 20, 0.5, 0, false);
		pdf_label(p, 15, 26, 80, 20, false, "ブース");
		pdf_text(p,
			 &(struct pdf_box){.x = 15,
					   .y = 36,
					   .w = 90,
					   .h = 55,
					   .pt = 150,
					   .bold = true},
			 pdf_str(c, "booth"));
		pdf_text(p,
			 &(struct pdf_box){
			     .x = 15, .y = 100, .w = W - 30, .h = 8, .pt = 16},
			 pdf_str(c, "kana"));
		pdf_text(p,
			 &(struct pdf_box){.x = 15,
					   .y = 110,
					   .w = W - 30,
					   .h = 44,
					   .pt = 60,
					   .bold = true,
					   .max_lines = 2},
			 pdf_str(c, "name"));
		pdf_text(p,
			 &(struct pdf_box){
			     .x = 15, .y = 158, .w = 150, .h = 8, .pt = 14},
			 pdf_str(c, "industry"));
		side = 33 * qr_module;
		if (*pdf_str(c, "token") != '\0') {
			pdf_qr(p, pdf_str(c, "token"), W - 15 - side, 24,
			       qr_module);
			pdf_text(p,
				 &(struct pdf_box){.x = W - 15 - side - 20,
						   .y = 25 + side,
						   .w = side + 20,
						   .pt = 9,
						   .align = CENTER,
						   .max_lines = 2},
				 "企業受付・面接の順番待ち用コード");
			pdf_text(p,
				 &(struct pdf_box){.x = W - 15 - side - 20,
						   .y = 34 + side,
						   .w = side + 20,
						   .pt = 8,
						   .align = CENTER},
				 pdf_str(c, "token"));
		}
		pdf_page_end(p);
	}
}

/* The booklet's columns: 職種, 雇用形態, 人数, 求人番号 (x and width). */
static const struct {
	const char *title;
	double x, w;
	enum pdf_align align;
} pdf_opening_cols[] = {
    {.title = "職種", .x = 22, .w = 88, .align = LEFT},
    {.title = "雇用形態", .x = 112, .w = 24, .align = LEFT},
    {.title = "人数", .x = 138, .w = 12, .align = RIGHT},
    {.title = "求人番号", .x = 154, .w = 40, .align = LEFT},
};
#define PDF_NCOLS (sizeof pdf_opening_cols / sizeof *pdf_opening_cols)
#define PDF_ROW_H 6.0

static void
pdf_booklet_page(struct pdf *p, const cJSON *event, int page, double *y)
{
	char foot[32];

	if (page > 1)
		pdf_page_end(p);
	pdf_page_begin(p);
	snprintf(foot, sizeof foot, "- %d -", page);
	pdf_text(p,
		 &(struct pdf_box){.x = 15,
				   .y = A4_H - 12,
				   .w = A4_W - 30,
				   .pt = 8,
				   .align = CENTER},
		 foot);
	if (page > 1) {
		pdf_text(p,
			 &(struct pdf_box){.x = 15,
					   .y = 10,
					   .w = A4_W - 30,
					   .h = 5,
					   .pt = 8,
					   .align = RIGHT},
			 pdf_str(event, "title"));
		*y = 18;
		return;
	}
	pdf_label(p, 15, 12, 180, 18, true, "参加企業・求人一覧");
	pdf_text(p,
		 &(struct pdf_box){.x = 15,
				   .y = 22,
				   .w = A4_W - 30,
				   .h = 11,
				   .pt = 12,
				   .max_lines = 2},
		 pdf_str(event, "title"));
	pdf_label(p, 15, 34, A4_W - 30, 10, false, pdf_str(event, "when"));
	pdf_label(p, 15, 39.5, A4_W - 30, 10, false, pdf_str(event, "venue"));
	pdf_line(p, 15, 46, A4_W - 15, 46, 0.5, 0, false);
	*y = 50;
}

static void
pdf_companies(struct pdf *p, const cJSON *data)
{
	const cJSON *event = cJSON_GetObjectItem(data, "event");
	const cJSON *c, *o;
	int page = 1;
	double y;

	pdf_booklet_page(p, event, page, &y);
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(data, "items"))
	{
		const cJSON *openings = cJSON_GetObjectItem(c, "openings");
		int rows = cJSON_GetArraySize(openings);
		/* The company's heading and its first rows stay together. */
		double need = 16 + PDF_ROW_H * (rows < 3 ? rows + 1 : 4);

		if (y + need > A4_H - 18)
			pdf_booklet_page(p, event, ++page, &y);
		cairo_set_source_rgb(p->cr, 0.9, 0.9, 0.9);
		cairo_rectangle(p->cr, 15, y, A4_W - 30, 11);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		pdf_text(p,
			 &(struct pdf_box){.x = 16,
					   .y = y + 0.5,
					   .w = 16,
					   .h = 10,
					   .pt = 16,
					   .bold = true,
					   .align = CENTER},
			 pdf_str(c, "booth"));
		pdf_text(
		    p,
		    &(struct pdf_box){
			.x = 34, .y = y + 0.3, .w = 120, .h = 3.8, .pt = 7},
		    pdf_str(c, "kana"));
		pdf_text(p,
			 &(struct pdf_box){.x = 34,
					   .y = y + 4,
					   .w = 120,
					   .h = 6.5,
					   .pt = 12,
					   .bold = true},
			 pdf_str(c, "name"));
		pdf_text(p,
			 &(struct pdf_box){.x = 155,
					   .y = y + 0.5,
					   .w = 39,
					   .h = 10,
					   .pt = 8,
					   .align = RIGHT,
					   .max_lines = 2},
			 pdf_str(c, "industry"));
		y += 12;
		for (size_t i = 0; i < PDF_NCOLS; i++)
			pdf_text(p,
				 &(struct pdf_box){
				     .x = pdf_opening_cols[i].x,
				     .y = y,
				     .w = pdf_opening_cols[i].w,
				     .h = 4,
				     .pt = 7,
				     .align = pdf_opening_cols[i].align},
				 pdf_opening_cols[i].title);
		y += 4.5;
		pdf_line(p, 22, y, A4_W - 15, y, 0.2, 0.3, false);
		if (rows == 0) {
			pdf_label(p, 22, y + 1, 100, 9, false,
				  "（求人の登録はありません）");
			y += PDF_ROW_H;
		}
		cJSON_ArrayForEach(o, openings)
		{
			char count[16];
			const char *cells[PDF_NCOLS] = {
			    pdf_str(o, "title"), pdf_str(o, "employment_type"),
			    count, pdf_str(o, "job_number")};

			if (y + PDF_ROW_H > A4_H - 18)
				pdf_booklet_page(p, event, ++page, &y);
			snprintf(count, sizeof count, "%d人",
				 pdf_int(o, "count"));
			for (size_t i = 0; i < PDF_NCOLS; i++)
				pdf_text(
				    p,
				    &(struct pdf_box){
					.x = pdf_opening_cols[i].x,
					.y = y + 0.5,
					.w = pdf_opening_cols[i].w,
					.h = PDF_ROW_H - 1,
					.pt = 10,
					.align = pdf_opening_cols[i].align},
				    cells[i]);
			y += PDF_ROW_H;
			pdf_line(p, 22, y, A4_W - 15, y, 0.1, 0.6, false);
		}
		y += 4;
	}
	pdf_page_end(p);
}

int
pdf_render(enum pdf_kind kind, const struct pdf_options *opt, const char *json,
	   size_t len, struct pdf_result *out, char **cause)
{
	static const char *const titles[] = {
	    [PDF_SLIPS] = "受付票",
	    [PDF_BADGES_SEEKERS] = "名札",
	    [PDF_BADGES_COMPANIES] = "名札",
	    [PDF_BOOTHS] = "ブース掲示",
	    [PDF_COMPANIES] = "参加企業・求人一覧",
	};
	cJSON *data = cJSON_ParseWithLength(json, len);
	struct pdf p;

	if (data == NULL) {
		xasprintf(cause, "the data to print is not JSON");
		return -1;
	}
	pdf_open(&p, kind == PDF_BOOTHS, titles[kind]);
	switch (kind) {
	case PDF_SLIPS:
		pdf_slips(&p, data, opt);
		break;
	case PDF_BADGES_SEEKERS:
		pdf_badges_seekers(&p, data, opt);
		break;
	case PDF_BADGES_COMPANIES:
		pdf_badges_companies(&p, data);
		break;
	case PDF_BOOTHS:
		pdf_booths(&p, data);
		break;
	case PDF_COMPANIES:
		pdf_companies(&p, data);
		break;
	}
	/* A PDF needs a page: nothing to print is one blank page. */
	if (p.pages == 0) {
		pdf_page_begin(&p);
		pdf_label(&p, 15, 15, 180, 12, false,
			  "印刷するものはありません");
		pdf_page_end(&p);
	}
	cJSON_Delete(data);
	return pdf_close(&p, out, cause);
}
