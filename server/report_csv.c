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

struct report_csv {
	struct csv_writer *w;
	char *errors; /* every row the encoding refused, "; "-separated */
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
	char *cells[3 + REPORT_CSV_MAX_YEARS];
	const cJSON *figures = report_csv_get(row, "figures");
	size_t n = 0, ncells = 0;

	fields[n++] = report_csv_string(row, "programme");
	fields[n++] = report_csv_string(row, "metric");
	fields[n++] = report_csv_string(row, "description");
	for (size_t y = 0; y < nyears; y++) {
		const cJSON *fy =
		    report_csv_get(cJSON_GetArrayItem(years, y), "fiscal_year");
		char key[16];

		snprintf(key, sizeof key, "%.0f",
			 cJSON_IsNumber(fy) ? fy->valuedouble : 0.0);
		cells[ncells] = report_layout_value_new(
		    report_csv_get(report_csv_get(row, "actuals"), key),
		    figures, " ",
		    report_csv_get(report_csv_get(row, "sessions"), key));
		fields[n++] = cells[ncells++];
	}
	cells[ncells] = report_layout_target_new(row, figures);
	fields[n++] = cells[ncells++];
	cells[ncells] =
	    report_layout_value_new(report_csv_get(row, "actual"), figures, " ",
				    report_csv_get(row, "actual_sessions"));
	fields[n++] = cells[ncells++];
	cells[ncells] = report_layout_achievement_new(
	    report_csv_get(row, "achievement"), figures);
	fields[n++] = cells[ncells++];
	report_csv_row(c, fields, n);
	for (size_t i = 0; i < ncells; i++)
		free(cells[i]);
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
