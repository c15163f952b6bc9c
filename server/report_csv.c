/*
 * Rendering the reports' JSON as CSV. The database has done the counting;
 * this only lays the figures out with their Japanese labels and units.
 * A key the JSON lacks leaves its cell empty rather than failing: the
 * JSON comes from our own SQL, and an empty cell is what a blank means.
 */
#include "report_csv.h"

#include "report_layout.h"
#include "vocab.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest cell built here: "(12回)1234567社・1234567人 (…)" and the like. */
#define REPORT_CSV_CELL	     192
#define REPORT_CSV_MAX_YEARS 10

struct report_csv {
	struct csv_writer *w;
	char *errors; /* every row the encoding refused, "; "-separated */
};

static const char *
report_csv_unit(const cJSON *figure)
{
	if (!cJSON_IsString(figure))
		return "";
	return vocab_label_ja(VOCAB_FIGURE, figure->valuestring);
}

/* Appends to a cell buffer; a cell never outgrows it (see the size). */
static void __attribute__((format(printf, 3, 4)))
report_csv_cat(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

static const cJSON *
report_csv_get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *
report_csv_string(const cJSON *o, const char *key)
{
	const cJSON *v = report_csv_get(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A figure as the report shows it; empty for null. */
static void
report_csv_number(char *buf, size_t size, const cJSON *v,
		  enum report_figure kind)
{
	buf[0] = '\0';
	if (!cJSON_IsNumber(v))
		return;
	switch (kind) {
	case REPORT_COUNT:
		snprintf(buf, size, "%.0f", v->valuedouble);
		break;
	case REPORT_PERCENT:
		snprintf(buf, size, "%.1f%%", v->valuedouble);
		break;
	case REPORT_AVERAGE:
		snprintf(buf, size, "%.2f", v->valuedouble);
		break;
	}
}

/*
 * A plan cell: "552件", "(1回)11人", or both figures of a two-figure
 * metric joined by sep ("19社 40人", "15社・50人"); empty when blank.
 */
static void
report_csv_value(char *buf, size_t size, const cJSON *value,
		 const cJSON *figures, const char *sep, const cJSON *sessions)
{
	const cJSON *f;
	bool first = true;

	buf[0] = '\0';
	if (cJSON_IsNumber(sessions) &&
	    (cJSON_IsNumber(value) || cJSON_IsObject(value)))
		report_csv_cat(buf, size, "(%.0f回)", sessions->valuedouble);
	if (cJSON_IsNumber(value)) {
		report_csv_cat(buf, size, "%.0f%s", value->valuedouble,
			       report_csv_unit(cJSON_GetArrayItem(figures, 0)));
		return;
	}
	if (!cJSON_IsObject(value))
		return;
	cJSON_ArrayForEach(f, figures)
	{
		const cJSON *v;

		if (!cJSON_IsString(f))
			continue;
		v = report_csv_get(value, f->valuestring);
		if (!cJSON_IsNumber(v))
			continue;
		report_csv_cat(buf, size, "%s%.0f%s", first ? "" : sep,
			       v->valuedouble, report_csv_unit(f));
		first = false;
	}
}

/* "80.0%", or per figure "社 80.0%・人 50.0%"; empty when unknown. */
static void
report_csv_achievement(char *buf, size_t size, const cJSON *value,
		       const cJSON *figures)
{
	const cJSON *f;
	bool first = true;

	buf[0] = '\0';
	if (cJSON_IsNumber(value)) {
		report_csv_number(buf, size, value, REPORT_PERCENT);
		return;
	}
	if (!cJSON_IsObject(value))
		return;
	cJSON_ArrayForEach(f, figures)
	{
		const cJSON *v;

		if (!cJSON_IsString(f))
			continue;
		v = report_csv_get(value, f->valuestring);
		if (!cJSON_IsNumber(v))
			continue;
		report_csv_cat(buf, size, "%s%s %.1f%%", first ? "" : "・",
			       report_csv_unit(f), v->valuedouble);
		first = false;
	}
}

/* Writes a record; a refused one is noted and the document carries on. */
static void
report_csv_row(struct report_csv *c, const char *const *fields, size_t n)
{
	char *cause = NULL, *joined;

	if (csv_write_row(c->w, fields, n, &cause) == 0)
		return;
	if (c->errors == NULL)
		c->errors = cause;
	else {
		xasprintf(&joined, "%s; %s", c->errors, cause);
		free(c->errors);
		free(cause);
		c->errors = joined;
	}
}

/* The finished document, or NULL and the collected causes. */
static struct csv_writer *
report_csv_finish(struct report_csv *c, char **cause)
{
	if (c->errors == NULL)
		return c->w;
	csv_writer_free(c->w);
	*cause = c->errors;
	return NULL;
}

static void
report_csv_row3(struct report_csv *c, const char *a, const char *b,
		const char *value)
{
	const char *fields[3] = {a, b, value};

	report_csv_row(c, fields, 3);
}

static void
report_csv_items(struct report_csv *c, const cJSON *report,
		 const struct report_group *g)
{
	char cell[REPORT_CSV_CELL];

	for (size_t i = 0; i < g->n; i++) {
		const struct report_item *it = &g->items[i];
		const cJSON *o =
		    it->object ? report_csv_get(report, it->object) : report;

		report_csv_number(cell, sizeof cell, report_csv_get(o, it->key),
				  it->figure);
		report_csv_row3(c, it->section, it->label, cell);
	}
}

/*
 * A breakdown {"youth": {"registered": 3, "present": 2}, …} as one
 * section per measure ("区分別(登録)"), in the database's order of keys.
 */
static void
report_csv_breakdown(struct report_csv *c, const cJSON *seekers,
		     const struct report_breakdown *b)
{
	const cJSON *breakdown = report_csv_get(seekers, b->key);
	char cell[REPORT_CSV_CELL], section[64];
	const cJSON *k;

	for (int m = 0; m < 2; m++) {
		const struct report_item *measure = &report_layout_measures[m];

		snprintf(section, sizeof section, "%s別(%s)", b->title,
			 measure->label);
		cJSON_ArrayForEach(k, breakdown)
		{
			report_csv_number(cell, sizeof cell,
					  report_csv_get(k, measure->key),
					  measure->figure);
			report_csv_row3(
			    c, section,
			    report_layout_breakdown_label(b, k->string), cell);
		}
	}
}

struct csv_writer *
report_csv_event_new(const cJSON *report, enum csv_encoding enc, char **cause)
{
	struct report_csv c = {csv_writer_new(enc), NULL};
	const cJSON *event = report_csv_get(report, "event");
	const cJSON *seekers = report_csv_get(report, "seekers");
	const cJSON *interviews = report_csv_get(report, "interviews");
	const char *starts = report_csv_string(event, "starts_at");
	char when[17] = "", cell[REPORT_CSV_CELL];
	const cJSON *b;

	/* "2024-06-15T10:00:00+09:00" shown as "2024-06-15 10:00". */
	if (starts != NULL && strlen(starts) >= 16) {
		memcpy(when, starts, 16);
		when[10] = ' ';
	}
	report_csv_row(&c, report_layout_header, 3);
	report_csv_row3(&c, "イベント", "名称",
			report_csv_string(event, "title"));
	report_csv_row3(&c, "イベント", "種別",
			report_csv_string(event, "type_name"));
	report_csv_row3(&c, "イベント", "開催日時", when);
	report_csv_row3(&c, "イベント", "年度",
			report_csv_string(event, "fiscal_year_label"));
	report_csv_items(&c, report, &report_layout_attendance);
	for (size_t i = 0; i < REPORT_LAYOUT_NBREAKDOWNS; i++)
		report_csv_breakdown(&c, seekers, &report_layout_breakdowns[i]);
	report_csv_items(&c, report, &report_layout_interviews);
	cJSON_ArrayForEach(b, report_csv_get(interviews, "by_company"))
	{
		report_csv_number(cell, sizeof cell, report_csv_get(b, "count"),
				  REPORT_COUNT);
		report_csv_row3(&c, report_layout_by_company[0],
				report_csv_string(b, "name"), cell);
	}
	report_csv_items(&c, report, &report_layout_outcomes);
	return report_csv_finish(&c, cause);
}

/* The fiscal year's header: 連携項目, 項目, 説明, the years, 目標値 …. */
static void
report_csv_fy_header(struct report_csv *c, const cJSON *report,
		     const cJSON *years, size_t nyears)
{
	const char *fields[6 + REPORT_CSV_MAX_YEARS];
	char target[REPORT_CSV_CELL];
	size_t n = 0;

	snprintf(target, sizeof target, "%s %s", report_layout_fy_tail[0],
		 report_csv_string(report, "fiscal_year_label")
		     ? report_csv_string(report, "fiscal_year_label")
		     : "");
	for (size_t i = 0; i < 3; i++)
		fields[n++] = report_layout_fy_lead[i];
	for (size_t y = 0; y < nyears; y++)
		fields[n++] =
		    report_csv_string(cJSON_GetArrayItem(years, y), "label");
	fields[n++] = target;
	fields[n++] = report_layout_fy_tail[1];
	fields[n++] = report_layout_fy_tail[2];
	report_csv_row(c, fields, n);
}

static void
report_csv_fy_row(struct report_csv *c, const cJSON *row, const cJSON *years,
		  size_t nyears)
{
	const char *fields[6 + REPORT_CSV_MAX_YEARS];
	char cells[3 + REPORT_CSV_MAX_YEARS][REPORT_CSV_CELL];
	const cJSON *figures = report_csv_get(row, "figures");
	const cJSON *previous = report_csv_get(row, "previous_target");
	size_t n = 0, len;
	char *t;

	fields[n++] = report_csv_string(row, "programme");
	fields[n++] = report_csv_string(row, "metric");
	fields[n++] = report_csv_string(row, "description");
	for (size_t y = 0; y < nyears; y++) {
		const cJSON *fy =
		    report_csv_get(cJSON_GetArrayItem(years, y), "fiscal_year");
		char key[16];

		snprintf(key, sizeof key, "%.0f",
			 cJSON_IsNumber(fy) ? fy->valuedouble : 0.0);
		report_csv_value(
		    cells[y], REPORT_CSV_CELL,
		    report_csv_get(report_csv_get(row, "actuals"), key),
		    figures, " ",
		    report_csv_get(report_csv_get(row, "sessions"), key));
		fields[n++] = cells[y];
	}
	/* 目標値 as the plan writes it: "626件 (666件)". */
	t = cells[nyears];
	report_csv_value(t, REPORT_CSV_CELL, report_csv_get(row, "target"),
			 figures, "・", NULL);
	if (cJSON_IsNumber(previous) || cJSON_IsObject(previous)) {
		report_csv_cat(t, REPORT_CSV_CELL, " (");
		len = strlen(t);
		report_csv_value(t + len, REPORT_CSV_CELL - len, previous,
				 figures, "・", NULL);
		report_csv_cat(t, REPORT_CSV_CELL, ")");
	}
	fields[n++] = t;
	report_csv_value(cells[nyears + 1], REPORT_CSV_CELL,
			 report_csv_get(row, "actual"), figures, " ",
			 report_csv_get(row, "actual_sessions"));
	fields[n++] = cells[nyears + 1];
	report_csv_achievement(cells[nyears + 2], REPORT_CSV_CELL,
			       report_csv_get(row, "achievement"), figures);
	fields[n++] = cells[nyears + 2];
	report_csv_row(c, fields, n);
}

struct csv_writer *
report_csv_fiscal_year_new(const cJSON *report, enum csv_encoding enc,
			   char **cause)
{
	struct report_csv c = {csv_writer_new(enc), NULL};
	const cJSON *years = report_csv_get(report, "previous_years");
	size_t nyears = (size_t)cJSON_GetArraySize(years);
	const cJSON *row;

	if (nyears > REPORT_CSV_MAX_YEARS)
		nyears = REPORT_CSV_MAX_YEARS;
	report_csv_fy_header(&c, report, years, nyears);
	cJSON_ArrayForEach(row, report_csv_get(report, "rows"))
	    report_csv_fy_row(&c, row, years, nyears);
	return report_csv_finish(&c, cause);
}
