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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest cell built here: a count, a header "目標値 令和…年度". */
#define REPORT_CSV_CELL	     192
#define REPORT_CSV_MAX_YEARS 10

/* The CSV sink: the document, and every row the encoding refused. */
struct report_csv {
	struct csv_writer *w;
	char *errors; /* "; "-separated */
};

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

/* A figure as the report shows it, and as a spreadsheet holds it. */
static void
report_csv_number(struct report_cell *cell, char *buf, size_t size,
		  const cJSON *v, enum report_figure kind)
{
	buf[0] = '\0';
	*cell = (struct report_cell){.text = buf};
	if (!cJSON_IsNumber(v))
		return;
	cell->number = v->valuedouble;
	switch (kind) {
	case REPORT_COUNT:
		snprintf(buf, size, "%.0f", v->valuedouble);
		cell->format = "0";
		break;
	case REPORT_PERCENT:
		snprintf(buf, size, "%.1f%%", v->valuedouble);
		cell->format = "0.0%";
		cell->number = v->valuedouble / 100;
		break;
	case REPORT_AVERAGE:
		snprintf(buf, size, "%.2f", v->valuedouble);
		cell->format = "0.00";
		break;
	}
}

static void
report_csv_row3(const struct report_sink *sink, const char *a, const char *b,
		const struct report_cell *value)
{
	struct report_cell cells[3] = {{.text = a}, {.text = b}, *value};

	sink->row(sink->arg, cells, 3);
}

static void
report_csv_text3(const struct report_sink *sink, const char *a, const char *b,
		 const char *value)
{
	report_csv_row3(sink, a, b, &(struct report_cell){.text = value});
}

static void
report_csv_items(const struct report_sink *sink, const cJSON *report,
		 const struct report_group *g)
{
	char buf[REPORT_CSV_CELL];
	struct report_cell cell;

	for (size_t i = 0; i < g->n; i++) {
		const struct report_item *it = &g->items[i];
		const cJSON *o =
		    it->object ? report_csv_get(report, it->object) : report;

		report_csv_number(&cell, buf, sizeof buf,
				  report_csv_get(o, it->key), it->figure);
		report_csv_row3(sink, it->section, it->label, &cell);
	}
}

/*
 * A breakdown {"youth": {"registered": 3, "present": 2}, …} as one
 * section per measure ("区分別(登録)"), in the database's order of keys.
 */
static void
report_csv_breakdown(const struct report_sink *sink, const cJSON *seekers,
		     const struct report_breakdown *b)
{
	const cJSON *breakdown = report_csv_get(seekers, b->key);
	char buf[REPORT_CSV_CELL], section[64];
	struct report_cell cell;
	const cJSON *k;

	for (int m = 0; m < 2; m++) {
		const struct report_item *measure = &report_layout_measures[m];

		snprintf(section, sizeof section, "%s別(%s)", b->title,
			 measure->label);
		cJSON_ArrayForEach(k, breakdown)
		{
			report_csv_number(&cell, buf, sizeof buf,
					  report_csv_get(k, measure->key),
					  measure->figure);
			report_csv_row3(
			    sink, section,
			    report_layout_breakdown_label(b, k->string), &cell);
		}
	}
}

void
report_rows_event(const cJSON *report, const struct report_sink *sink)
{
	const cJSON *event = report_csv_get(report, "event");
	const cJSON *seekers = report_csv_get(report, "seekers");
	const cJSON *interviews = report_csv_get(report, "interviews");
	const char *starts = report_csv_string(event, "starts_at");
	char when[17] = "", buf[REPORT_CSV_CELL];
	struct report_cell cell;
	const cJSON *b;

	/* "2024-06-15T10:00:00+09:00" shown as "2024-06-15 10:00". */
	if (starts != NULL && strlen(starts) >= 16) {
		memcpy(when, starts, 16);
		when[10] = ' ';
	}
	report_csv_text3(sink, report_layout_header[0], report_layout_header[1],
			 report_layout_header[2]);
	report_csv_text3(sink, "イベント", "名称",
			 report_csv_string(event, "title"));
	report_csv_text3(sink, "イベント", "種別",
			 report_csv_string(event, "type_name"));
	report_csv_text3(sink, "イベント", "開催日時", when);
	report_csv_text3(sink, "イベント", "年度",
			 report_csv_string(event, "fiscal_year_label"));
	report_csv_items(sink, report, &report_layout_attendance);
	for (size_t i = 0; i < REPORT_LAYOUT_NBREAKDOWNS; i++)
		report_csv_breakdown(sink, seekers,
				     &report_layout_breakdowns[i]);
	report_csv_items(sink, report, &report_layout_interviews);
	cJSON_ArrayForEach(b, report_csv_get(interviews, "by_company"))
	{
		report_csv_number(&cell, buf, sizeof buf,
				  report_csv_get(b, "count"), REPORT_COUNT);
		report_csv_row3(sink, report_layout_by_company[0],
				report_csv_string(b, "name"), &cell);
	}
	report_csv_items(sink, report, &report_layout_outcomes);
}

/* The fiscal year's header: 連携項目, 項目, 説明, the years, 目標値 …. */
static void
report_csv_fy_header(const struct report_sink *sink, const cJSON *report,
		     const cJSON *years, size_t nyears)
{
	struct report_cell cells[6 + REPORT_CSV_MAX_YEARS];
	char target[REPORT_CSV_CELL];
	size_t n = 0;

	snprintf(target, sizeof target, "%s %s", report_layout_fy_tail[0],
		 report_csv_string(report, "fiscal_year_label")
		     ? report_csv_string(report, "fiscal_year_label")
		     : "");
	for (size_t i = 0; i < 3; i++)
		cells[n++].text = report_layout_fy_lead[i];
	for (size_t y = 0; y < nyears; y++)
		cells[n++].text =
		    report_csv_string(cJSON_GetArrayItem(years, y), "label");
	cells[n++].text = target;
	cells[n++].text = report_layout_fy_tail[1];
	cells[n++].text = report_layout_fy_tail[2];
	sink->row(sink->arg, cells, n);
}

/*
 * A plan cell: its text, and the number a spreadsheet holds when it is
 * one plain figure ("552件" is 552 formatted 0"件").
 */
static void
report_csv_plan_cell(struct report_cell *cell, char *text, char *format,
		     size_t size, const cJSON *value, const cJSON *figures,
		     const cJSON *sessions)
{
	const char *unit;
	double number;

	*cell = (struct report_cell){.text = text};
	if (!report_layout_value_plain(value, figures, sessions, &number,
				       &unit))
		return;
	snprintf(format, size, "0\"%s\"", unit);
	cell->format = format;
	cell->number = number;
}

static void
report_csv_fy_row(const struct report_sink *sink, const cJSON *row,
		  const cJSON *years, size_t nyears)
{
	struct report_cell cells[6 + REPORT_CSV_MAX_YEARS] = {{0}};
	char *texts[3 + REPORT_CSV_MAX_YEARS];
	char formats[3 + REPORT_CSV_MAX_YEARS][32];
	const cJSON *figures = report_csv_get(row, "figures");
	const cJSON *actual = report_csv_get(row, "actual");
	const cJSON *achievement = report_csv_get(row, "achievement");
	const cJSON *previous = report_csv_get(row, "previous_target");
	size_t n = 0, nt = 0;

	cells[n++].text = report_csv_string(row, "programme");
	cells[n++].text = report_csv_string(row, "metric");
	cells[n++].text = report_csv_string(row, "description");
	for (size_t y = 0; y < nyears; y++) {
		const cJSON *fy =
		    report_csv_get(cJSON_GetArrayItem(years, y), "fiscal_year");
		const cJSON *value, *sessions;
		char key[16];

		snprintf(key, sizeof key, "%.0f",
			 cJSON_IsNumber(fy) ? fy->valuedouble : 0.0);
		value = report_csv_get(report_csv_get(row, "actuals"), key);
		sessions = report_csv_get(report_csv_get(row, "sessions"), key);
		texts[nt] =
		    report_layout_value_new(value, figures, " ", sessions);
		report_csv_plan_cell(&cells[n++], texts[nt], formats[nt],
				     sizeof formats[nt], value, figures,
				     sessions);
		nt++;
	}
	texts[nt] = report_layout_target_new(row, figures);
	/* "626件 (666件)" is text; a target alone is a number. */
	report_csv_plan_cell(
	    &cells[n++], texts[nt], formats[nt], sizeof formats[nt],
	    cJSON_IsNumber(previous) || cJSON_IsObject(previous)
		? NULL
		: report_csv_get(row, "target"),
	    figures, NULL);
	nt++;
	texts[nt] = report_layout_value_new(
	    actual, figures, " ", report_csv_get(row, "actual_sessions"));
	report_csv_plan_cell(&cells[n++], texts[nt], formats[nt],
			     sizeof formats[nt], actual, figures,
			     report_csv_get(row, "actual_sessions"));
	nt++;
	texts[nt] = report_layout_achievement_new(achievement, figures);
	cells[n] = (struct report_cell){.text = texts[nt++]};
	if (cJSON_IsNumber(achievement)) {
		cells[n].format = "0.0%";
		cells[n].number = achievement->valuedouble / 100;
	}
	n++;
	sink->row(sink->arg, cells, n);
	for (size_t i = 0; i < nt; i++)
		free(texts[i]);
}

void
report_rows_fiscal_year(const cJSON *report, const struct report_sink *sink)
{
	const cJSON *years = report_csv_get(report, "previous_years");
	size_t nyears = (size_t)cJSON_GetArraySize(years);
	const cJSON *row;

	if (nyears > REPORT_CSV_MAX_YEARS)
		nyears = REPORT_CSV_MAX_YEARS;
	report_csv_fy_header(sink, report, years, nyears);
	cJSON_ArrayForEach(row, report_csv_get(report, "rows"))
	    report_csv_fy_row(sink, row, years, nyears);
}

/* The CSV sink: writes a record; a refused one is noted, the rest go on. */
static void
report_csv_sink_row(void *arg, const struct report_cell *cells, size_t n)
{
	struct report_csv *c = arg;
	const char *fields[6 + REPORT_CSV_MAX_YEARS];
	char *cause = NULL, *joined;

	for (size_t i = 0; i < n; i++)
		fields[i] = cells[i].text;
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

static struct csv_writer *
report_csv_new(const cJSON *report, enum csv_encoding enc,
	       void (*rows)(const cJSON *, const struct report_sink *),
	       char **cause)
{
	struct report_csv c = {csv_writer_new(enc), NULL};
	struct report_sink sink = {report_csv_sink_row, &c};

	rows(report, &sink);
	if (c.errors == NULL)
		return c.w;
	csv_writer_free(c.w);
	*cause = c.errors;
	return NULL;
}

struct csv_writer *
report_csv_event_new(const cJSON *report, enum csv_encoding enc, char **cause)
{
	return report_csv_new(report, enc, report_rows_event, cause);
}

struct csv_writer *
report_csv_fiscal_year_new(const cJSON *report, enum csv_encoding enc,
			   char **cause)
{
	return report_csv_new(report, enc, report_rows_fiscal_year, cause);
}
