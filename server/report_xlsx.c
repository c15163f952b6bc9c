/*
 * libxlsxwriter writes to a file only: each workbook goes to a private
 * temporary file, is read back and unlinked, all on the worker thread.
 */
#include "report_xlsx.h"

#include "api.h"
#include "report_csv.h"
#include "report_layout.h"
#include "text.h"
#include "xmalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define XLSX_MAX_COLS	 16
#define XLSX_MAX_FORMATS 16
/* Widths in Excel's characters: a wide (Japanese) character counts two. */
#define XLSX_MIN_WIDTH 6
#define XLSX_MAX_WIDTH 44

struct xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *header, *text;
	struct {
		const char *code;
		lxw_format *format;
	} numbers[XLSX_MAX_FORMATS];
	int nnumbers;
	bool fiscal_year; /* the 目標値一覧: two header rows, merged */
	lxw_row_t row;
	size_t widths[XLSX_MAX_COLS];
	lxw_error error;
};

/* The format of a number code, made once per workbook. */
static lxw_format *
xlsx_number_format(struct xlsx *x, const char *code)
{
	lxw_format *f;

	for (int i = 0; i < x->nnumbers; i++)
		if (strcmp(x->numbers[i].code, code) == 0)
			return x->numbers[i].format;
	f = workbook_add_format(x->wb);
	format_set_num_format(f, code);
	format_set_border(f, LXW_BORDER_THIN);
	if (x->nnumbers < XLSX_MAX_FORMATS) {
		/* The code lives as long as the workbook: the format keeps it.
		 */
		x->numbers[x->nnumbers].code = f->num_format;
		x->numbers[x->nnumbers++].format = f;
	}
	return f;
}

static void
xlsx_fit(struct xlsx *x, size_t col, const char *text)
{
	size_t w = text != NULL ? text_display_width(text) + 2 : 0;

	if (col < XLSX_MAX_COLS && w > x->widths[col])
		x->widths[col] = w;
}

static void
xlsx_check(struct xlsx *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->error == LXW_NO_ERROR)
		x->error = e;
}

/*
 * The 目標値一覧's header as the plan draws it: 連携項目 over two rows,
 * 目標 over 項目 and 説明, 実績 over the years, then 目標値 令和N年度,
 * 実績 and 達成率 over two rows each.
 */
static void
xlsx_fy_header(struct xlsx *x, const struct report_cell *cells, size_t n)
{
	size_t nyears = n - 6;
	lxw_col_t col = 0;

	xlsx_check(x, worksheet_merge_range(x->ws, 0, 0, 1, 0, cells[0].text,
					    x->header));
	xlsx_check(x,
		   worksheet_merge_range(x->ws, 0, 1, 0, 2, "目標", x->header));
	xlsx_check(
	    x, worksheet_write_string(x->ws, 1, 1, cells[1].text, x->header));
	xlsx_check(
	    x, worksheet_write_string(x->ws, 1, 2, cells[2].text, x->header));
	col = 3;
	if (nyears > 1)
		xlsx_check(x,
			   worksheet_merge_range(x->ws, 0, 3, 0, 3 + nyears - 1,
						 "実績", x->header));
	else if (nyears == 1)
		xlsx_check(
		    x, worksheet_write_string(x->ws, 0, 3, "実績", x->header));
	for (size_t y = 0; y < nyears; y++, col++)
		xlsx_check(x, worksheet_write_string(
				  x->ws, 1, col, cells[col].text, x->header));
	for (; col < n; col++)
		xlsx_check(x,
			   worksheet_merge_range(x->ws, 0, col, 1, col,
						 cells[col].text, x->header));
	for (size_t i = 0; i < n; i++)
		xlsx_fit(x, i, cells[i].text);
	x->row = 2;
	worksheet_freeze_panes(x->ws, 2, 0);
}

static void
xlsx_row(void *arg, const struct report_cell *cells, size_t n)
{
	struct xlsx *x = arg;

	if (x->row == 0 && x->fiscal_year) {
		xlsx_fy_header(x, cells, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		lxw_format *f = x->row == 0 ? x->header : x->text;

		if (cells[i].format != NULL && x->row > 0)
			xlsx_check(x,
				   worksheet_write_number(
				       x->ws, x->row, i, cells[i].number,
				       xlsx_number_format(x, cells[i].format)));
		else if (cells[i].text != NULL && *cells[i].text != '\0')
			xlsx_check(x, worksheet_write_string(x->ws, x->row, i,
							     cells[i].text, f));
		else
			xlsx_check(x,
				   worksheet_write_blank(x->ws, x->row, i, f));
		xlsx_fit(x, i, cells[i].text);
	}
	if (x->row == 0)
		worksheet_freeze_panes(x->ws, 1, 0);
	x->row++;
}

/* The whole file into out; the temporary file is gone either way. */
static int
xlsx_read_back(const char *path, struct render_out *out, char **cause)
{
	FILE *f = fopen(path, "rb");
	long size;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		xasprintf(cause, "cannot read %s back: %s", path,
			  strerror(errno));
		if (f != NULL)
			fclose(f);
		unlink(path);
		return -1;
	}
	out->data = xmalloc(size > 0 ? (size_t)size : 1);
	out->len = fread(out->data, 1, (size_t)size, f);
	fclose(f);
	unlink(path);
	if (out->len != (size_t)size) {
		xasprintf(cause, "short read of %s", path);
		return -1;
	}
	return 0;
}

/* A workbook of one sheet: its name and its rows. */
struct xlsx_doc {
	const char *sheet;
	void (*rows)(const cJSON *json, const struct report_sink *sink);
	bool fiscal_year;
};

/* A column of a list: its header and the item's key (a number if fmt). */
struct xlsx_column {
	const char *title;
	const char *key;
	const char *format;
};

static const struct xlsx_column xlsx_registration_cols[] = {
    {.title = "受付番号", .key = "id", .format = "0"},
    {.title = "氏名", .key = "name"},
    {.title = "フリガナ", .key = "kana"},
    {.title = "年齢", .key = "age", .format = "0"},
    {.title = "年齢区分", .key = "age_band"},
    {.title = "電話番号", .key = "phone"},
    {.title = "メール", .key = "email"},
    {.title = "区分", .key = "categories"},
    {.title = "合理的配慮", .key = "accommodations"},
    {.title = "支援者", .key = "supporters", .format = "0"},
    {.title = "状態", .key = "status"},
    {.title = "申込", .key = "walk_in"},
    {.title = "来場", .key = "checked_in"},
    {.title = "申込日時", .key = "registered_at"},
};

/* A company's columns, then its openings' (one row per opening). */
static const struct xlsx_column xlsx_company_cols[] = {
    {.title = "ブース", .key = "booth"},
    {.title = "企業名", .key = "name"},
    {.title = "フリガナ", .key = "kana"},
    {.title = "業種", .key = "industry"},
    {.title = "職種", .key = "title"},
    {.title = "雇用形態", .key = "employment_type"},
    {.title = "人数", .key = "count", .format = "0\"人\""},
    {.title = "求人番号", .key = "job_number"},
};
#define XLSX_COMPANY_OWN 4 /* the first four are the company's */

static void
xlsx_header(const struct report_sink *sink, const struct xlsx_column *cols,
	    size_t n)
{
	struct report_cell cells[XLSX_MAX_COLS];

	for (size_t i = 0; i < n; i++)
		cells[i] = (struct report_cell){.text = cols[i].title};
	sink->row(sink->arg, cells, n);
}

/* Cells i0.. of a row from o's keys; buf holds the numbers' text. */
static void
xlsx_cells(struct report_cell *cells, char (*buf)[32],
	   const struct xlsx_column *cols, size_t i0, size_t n, const cJSON *o)
{
	for (size_t i = i0; i < n; i++) {
		const cJSON *v =
		    cJSON_GetObjectItemCaseSensitive(o, cols[i].key);

		cells[i] =
		    (struct report_cell){.text = cJSON_GetStringValue(v)};
		if (cols[i].format != NULL && cJSON_IsNumber(v)) {
			snprintf(buf[i], sizeof buf[i], "%.0f", v->valuedouble);
			cells[i] =
			    (struct report_cell){.text = buf[i],
						 .format = cols[i].format,
						 .number = v->valuedouble};
		}
	}
}

static void
xlsx_registrations_rows(const cJSON *json, const struct report_sink *sink)
{
	const size_t n =
	    sizeof xlsx_registration_cols / sizeof *xlsx_registration_cols;
	struct report_cell cells[XLSX_MAX_COLS];
	char buf[XLSX_MAX_COLS][32];
	const cJSON *r;

	xlsx_header(sink, xlsx_registration_cols, n);
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(json, "items"))
	{
		xlsx_cells(cells, buf, xlsx_registration_cols, 0, n, r);
		sink->row(sink->arg, cells, n);
	}
}

static void
xlsx_companies_rows(const cJSON *json, const struct report_sink *sink)
{
	const size_t n = sizeof xlsx_company_cols / sizeof *xlsx_company_cols;
	struct report_cell cells[XLSX_MAX_COLS];
	char buf[XLSX_MAX_COLS][32];
	const cJSON *c, *o;

	xlsx_header(sink, xlsx_company_cols, n);
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(json, "items"))
	{
		const cJSON *openings = cJSON_GetObjectItem(c, "openings");

		xlsx_cells(cells, buf, xlsx_company_cols, 0, XLSX_COMPANY_OWN,
			   c);
		if (cJSON_GetArraySize(openings) == 0) {
			xlsx_cells(cells, buf, xlsx_company_cols,
				   XLSX_COMPANY_OWN, n, NULL);
			sink->row(sink->arg, cells, n);
		}
		cJSON_ArrayForEach(o, openings)
		{
			xlsx_cells(cells, buf, xlsx_company_cols,
				   XLSX_COMPANY_OWN, n, o);
			sink->row(sink->arg, cells, n);
		}
	}
}

static int
xlsx_render(const char *text, size_t len, const struct xlsx_doc *doc,
	    struct render_out *out, char **cause)
{
	cJSON *report = cJSON_ParseWithLength(text, len);
	struct xlsx x = {.fiscal_year = doc->fiscal_year};
	struct report_sink sink = {xlsx_row, &x};
	const char *tmpdir = getenv("TMPDIR");
	char path[4096];
	lxw_error closed;
	int fd;

	if (report == NULL) {
		xasprintf(cause, "the report is not JSON");
		return -1;
	}
	snprintf(path, sizeof path, "%s/jobfair-report-XXXXXX",
		 tmpdir != NULL && *tmpdir != '\0' ? tmpdir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		xasprintf(cause, "cannot make a temporary file: %s",
			  strerror(errno));
		cJSON_Delete(report);
		return -1;
	}
	close(fd);
	x.wb = workbook_new(path);
	if (x.wb == NULL) {
		xasprintf(cause, "cannot start a workbook in %s", path);
		unlink(path);
		cJSON_Delete(report);
		return -1;
	}
	x.ws = workbook_add_worksheet(x.wb, doc->sheet);
	x.header = workbook_add_format(x.wb);
	format_set_bold(x.header);
	format_set_align(x.header, LXW_ALIGN_CENTER);
	format_set_align(x.header, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bg_color(x.header, 0xDDEBF7);
	format_set_border(x.header, LXW_BORDER_THIN);
	format_set_text_wrap(x.header);
	x.text = workbook_add_format(x.wb);
	format_set_border(x.text, LXW_BORDER_THIN);
	format_set_text_wrap(x.text);
	format_set_align(x.text, LXW_ALIGN_VERTICAL_TOP);
	doc->rows(report, &sink);
	cJSON_Delete(report);
	for (lxw_col_t c = 0; c < XLSX_MAX_COLS && x.widths[c] > 0; c++) {
		size_t w = x.widths[c];

		w = w < XLSX_MIN_WIDTH	 ? XLSX_MIN_WIDTH
		    : w > XLSX_MAX_WIDTH ? XLSX_MAX_WIDTH
					 : w;
		worksheet_set_column(x.ws, c, c, (double)w, NULL);
	}
	closed = workbook_close(x.wb);
	if (x.error != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
		xasprintf(
		    cause, "cannot write the workbook: %s",
		    lxw_strerror(x.error != LXW_NO_ERROR ? x.error : closed));
		unlink(path);
		return -1;
	}
	return xlsx_read_back(path, out, cause);
}

/* The render_cb's argument: which workbook. */
static const struct xlsx_doc xlsx_docs[] = {
    [REPORT_XLSX_EVENT] = {.sheet = "イベント報告", .rows = report_rows_event},
    [REPORT_XLSX_FISCAL_YEAR] = {.sheet = "目標値一覧",
				 .rows = report_rows_fiscal_year,
				 .fiscal_year = true},
    [REPORT_XLSX_REGISTRATIONS] = {.sheet = "申込者一覧",
				   .rows = xlsx_registrations_rows},
    [REPORT_XLSX_COMPANIES] = {.sheet = "参加企業・求人一覧",
			       .rows = xlsx_companies_rows},
};

int
report_xlsx_render(const char *text, size_t len, const void *arg,
		   struct render_out *out, char **cause)
{
	const enum report_xlsx_kind *kind = arg;

	return xlsx_render(text, len, &xlsx_docs[*kind], out, cause);
}

static void
xlsx_list_done(struct http_ctx *ctx, const PGresult *res,
	       enum report_xlsx_kind kind, const char *name)
{
	char filename[64];

	snprintf(filename, sizeof filename, "event-%s-%s.xlsx", ctx->args[0],
		 name);
	render_reply(ctx, res, report_xlsx_render, &kind, sizeof kind,
		     REPORT_XLSX_TYPE, filename);
}

static void
xlsx_registrations_done(struct http_ctx *ctx, const PGresult *res)
{
	xlsx_list_done(ctx, res, REPORT_XLSX_REGISTRATIONS, "registrations");
}

static void
xlsx_companies_done(struct http_ctx *ctx, const PGresult *res)
{
	xlsx_list_done(ctx, res, REPORT_XLSX_COMPANIES, "companies");
}

void
report_xlsx_registrations(struct http_ctx *ctx, const cJSON *query)
{
	const char *params[2] = {ctx->user_id, ctx->args[0]};

	(void)query;
	api_query(ctx, "SELECT list_registrations($1, $2)", 2, params,
		  xlsx_registrations_done);
}

void
report_xlsx_companies(struct http_ctx *ctx, const cJSON *query)
{
	(void)query;
	api_query(ctx, "SELECT print_companies($1)", 1, ctx->args,
		  xlsx_companies_done);
}
