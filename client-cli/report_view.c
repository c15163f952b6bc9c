/*
 * The reports as terminal tables. Each section is a grid of text cells
 * handed to table_print(), which aligns Japanese text by display width;
 * the labels and their order are common/report_layout.h's, which the
 * server's CSV renders too, so a report reads the same on screen and in
 * Excel.
 */
#include "report_view.h"

#include "plan.h"
#include "report_layout.h"
#include "table.h"
#include "vocab.h"
#include "xmalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Two labels, five previous years, three figures: room to spare. */
#define REPORT_VIEW_MAX_COLUMNS 16

#define REPORT_VIEW_N(a) (sizeof(a) / sizeof *(a))

/* Rows of text cells under headers, printed by table_print(). */
struct report_view_grid {
	struct table_column cols[REPORT_VIEW_MAX_COLUMNS];
	size_t ncols;
	cJSON *rows; /* objects keyed by column number */
};

static const char *const report_view_keys[REPORT_VIEW_MAX_COLUMNS] = {
    "0", "1", "2",  "3",  "4",	"5",  "6",  "7",
    "8", "9", "10", "11", "12", "13", "14", "15"};

/* A new grid; headers after the first are right-aligned figures. */
static void
report_view_grid_init(struct report_view_grid *g, const char *const *headers,
		      size_t n)
{
	if (n > REPORT_VIEW_MAX_COLUMNS)
		n = REPORT_VIEW_MAX_COLUMNS;
	memset(g, 0, sizeof *g);
	g->ncols = n;
	for (size_t i = 0; i < n; i++) {
		g->cols[i].header = headers[i] != NULL ? headers[i] : "";
		g->cols[i].key = report_view_keys[i];
		g->cols[i].right = i > 0;
	}
	g->rows = cJSON_CreateArray();
}

static cJSON *
report_view_row(struct report_view_grid *g)
{
	cJSON *row = cJSON_CreateObject();

	cJSON_AddItemToArray(g->rows, row);
	return row;
}

/* Sets a cell to text, which it takes. */
static void
report_view_put(cJSON *row, size_t col, char *text)
{
	if (col < REPORT_VIEW_MAX_COLUMNS)
		cJSON_AddStringToObject(row, report_view_keys[col], text);
	free(text);
}

/* Prints the grid after a blank line and frees it. */
static void
report_view_grid_print(FILE *out, struct report_view_grid *g)
{
	fputc('\n', out);
	table_print(out, g->cols, g->ncols, g->rows);
	cJSON_Delete(g->rows);
	g->rows = NULL;
}

static const cJSON *
report_view_get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* A value as text, "" when the report has none. */
static char *
report_view_text_new(const cJSON *o, const char *key)
{
	return table_cell_new(report_view_get(o, key));
}

/* One line of a grid: a label and figures of objects[i][keys[i]]. */
static void
report_view_line(struct report_view_grid *g, const char *label,
		 const cJSON *const *objects, const char *const *keys, size_t n,
		 bool percent)
{
	cJSON *row = report_view_row(g);

	report_view_put(row, 0, xstrdup(label));
	for (size_t i = 0; i < n; i++) {
		const cJSON *v = keys[i] != NULL
				     ? report_view_get(objects[i], keys[i])
				     : NULL;

		report_view_put(row, i + 1,
				percent ? report_layout_achievement_new(v, NULL)
					: table_cell_new(v));
	}
}

/*
 * Companies and job seekers side by side, a line of the layout per row;
 * a figure one side lacks is left blank.
 */
static void
report_view_attendance(FILE *out, const cJSON *report)
{
	const struct report_group *g = &report_layout_attendance;
	const char *headers[3] = {"", g->items[0].section, NULL};
	const char *objects_keys[2] = {g->items[0].object, NULL};
	const cJSON *objects[2];
	struct report_view_grid grid;

	for (size_t i = 0; i < g->n && objects_keys[1] == NULL; i++)
		if (g->items[i].object != NULL &&
		    strcmp(g->items[i].object, objects_keys[0]) != 0) {
			headers[2] = g->items[i].section;
			objects_keys[1] = g->items[i].object;
		}
	for (int c = 0; c < 2; c++)
		objects[c] = report_view_get(report, objects_keys[c]);
	report_view_grid_init(&grid, headers, 3);
	for (int line = 0; line < REPORT_LAYOUT_NLINES; line++) {
		const char *keys[2] = {NULL, NULL};
		bool percent = false;

		for (size_t i = 0; i < g->n; i++) {
			const struct report_item *it = &g->items[i];

			if (it->line != line)
				continue;
			keys[strcmp(it->object, objects_keys[0]) == 0 ? 0 : 1] =
			    it->key;
			percent = it->figure == REPORT_PERCENT;
		}
		report_view_line(&grid, report_layout_attendance_lines[line],
				 objects, keys, 2, percent);
	}
	report_view_grid_print(out, &grid);
}

/* {"youth": {"registered": 3, "present": 2}, …} under its labels. */
static void
report_view_breakdown(FILE *out, const cJSON *seekers,
		      const struct report_breakdown *b)
{
	const char *headers[] = {b->title, report_layout_measures[0].label,
				 report_layout_measures[1].label};
	const char *keys[] = {report_layout_measures[0].key,
			      report_layout_measures[1].key};
	struct report_view_grid g;
	const cJSON *k;

	report_view_grid_init(&g, headers, 3);
	cJSON_ArrayForEach(k, report_view_get(seekers, b->key))
	{
		const cJSON *objects[2] = {k, k};

		report_view_line(&g,
				 report_layout_breakdown_label(b, k->string),
				 objects, keys, 2, false);
	}
	report_view_grid_print(out, &g);
}

/* Label and one figure per line: interviews, outcomes. */
static void
report_view_figures(FILE *out, const cJSON *report,
		    const struct report_group *group)
{
	const char *headers[] = {group->items[0].section, "件数"};
	struct report_view_grid g;

	report_view_grid_init(&g, headers, 2);
	for (size_t i = 0; i < group->n; i++) {
		const struct report_item *it = &group->items[i];
		const cJSON *objects[1] = {report_view_get(report, it->object)};
		const char *keys[1] = {it->key};

		report_view_line(&g, it->screen ? it->screen : it->label,
				 objects, keys, 1, false);
	}
	report_view_grid_print(out, &g);
}

static void
report_view_interviews(FILE *out, const cJSON *report)
{
	struct report_view_grid g;
	const cJSON *b;

	report_view_figures(out, report, &report_layout_interviews);
	report_view_grid_init(&g, report_layout_by_company + 1, 2);
	cJSON_ArrayForEach(
	    b, report_view_get(report_view_get(report, "interviews"),
			       "by_company"))
	{
		cJSON *row = report_view_row(&g);

		report_view_put(row, 0, report_view_text_new(b, "name"));
		report_view_put(row, 1, report_view_text_new(b, "count"));
	}
	report_view_grid_print(out, &g);
}

void
report_view_event(FILE *out, const cJSON *report)
{
	const struct report_item *sup =
	    &report_layout_attendance.items[report_layout_attendance.n - 1];
	const cJSON *event = report_view_get(report, "event");
	const cJSON *seekers = report_view_get(report, "seekers");
	char *title = report_view_text_new(event, "title");
	char *type = report_view_text_new(event, "type_name");
	char *when = table_time_new(report_view_get(event, "starts_at"));
	char *fy = report_view_text_new(event, "fiscal_year");
	char *label = report_view_text_new(event, "fiscal_year_label");
	char *supporters = report_view_text_new(report, sup->key);

	fprintf(out, "%s\n%s  %s  %s年度 (%s)\n", title, type, when, fy, label);
	report_view_attendance(out, report);
	fprintf(out, "%s  %s\n", sup->screen, supporters);
	for (size_t i = 0; i < REPORT_LAYOUT_NBREAKDOWNS; i++)
		report_view_breakdown(out, seekers,
				      &report_layout_breakdowns[i]);
	report_view_interviews(out, report);
	report_view_figures(out, report, &report_layout_outcomes);
	free(title);
	free(type);
	free(when);
	free(fy);
	free(label);
	free(supporters);
}

static char *
report_view_actual_new(const cJSON *row, const cJSON *figures)
{
	return report_layout_value_new(report_view_get(row, "actual"), figures,
				       " ",
				       report_view_get(row, "actual_sessions"));
}

void
report_view_fiscal_year(FILE *out, const cJSON *report)
{
	const cJSON *years = report_view_get(report, "previous_years");
	const char *headers[REPORT_VIEW_MAX_COLUMNS];
	char *fy = report_view_text_new(report, "fiscal_year");
	char *label = report_view_text_new(report, "fiscal_year_label");
	char *target_header, *programme = NULL;
	struct report_view_grid g;
	size_t n = 0, nyears = 0;
	const cJSON *y, *r;

	xasprintf(&target_header, "%s %s", report_layout_fy_tail[0], label);
	headers[n++] = report_layout_fy_lead[0];
	headers[n++] = report_layout_fy_lead[1];
	cJSON_ArrayForEach(y, years)
	{
		if (n + 3 < REPORT_VIEW_MAX_COLUMNS) {
			headers[n++] =
			    cJSON_GetStringValue(report_view_get(y, "label"));
			nyears++;
		}
	}
	headers[n++] = target_header;
	headers[n++] = report_layout_fy_tail[1];
	headers[n++] = report_layout_fy_tail[2];
	report_view_grid_init(&g, headers, n);
	g.cols[1].right = false;
	cJSON_ArrayForEach(r, report_view_get(report, "rows"))
	{
		const cJSON *figures = report_view_get(r, "figures");
		char *p = report_view_text_new(r, "programme");
		cJSON *row = report_view_row(&g);
		size_t c = 0;

		/* The plan merges a programme's cells: name it once. */
		if (programme != NULL && strcmp(programme, p) == 0)
			report_view_put(row, c++, xstrdup(""));
		else
			report_view_put(row, c++, xstrdup(p));
		free(programme);
		programme = p;
		report_view_put(row, c++, report_view_text_new(r, "metric"));
		for (size_t i = 0; i < nyears; i++) {
			const cJSON *year = cJSON_GetArrayItem(years, (int)i);
			char *key = report_view_text_new(year, "fiscal_year");

			report_view_put(
			    row, c++,
			    report_layout_value_new(
				report_view_get(report_view_get(r, "actuals"),
						key),
				figures, " ",
				report_view_get(report_view_get(r, "sessions"),
						key)));
			free(key);
		}
		report_view_put(row, c++, report_layout_target_new(r, figures));
		report_view_put(row, c++, report_view_actual_new(r, figures));
		report_view_put(
		    row, c++,
		    report_layout_achievement_new(
			report_view_get(r, "achievement"), figures));
	}
	fprintf(out, "目標値一覧 %s (%s年度)\n", label, fy);
	report_view_grid_print(out, &g);
	free(programme);
	free(target_header);
	free(fy);
	free(label);
}

void
report_view_metrics(FILE *out, const cJSON *report)
{
	static const char *const headers[] = {"コード", "項目", "単位",	 "集計",
					      "目標値", "実績", "達成率"};
	char *label = report_view_text_new(report, "fiscal_year_label");
	struct report_view_grid g;
	const cJSON *r;

	report_view_grid_init(&g, headers, REPORT_VIEW_N(headers));
	for (size_t i = 1; i < 4; i++)
		g.cols[i].right = false;
	cJSON_ArrayForEach(r, report_view_get(report, "rows"))
	{
		const cJSON *figures = report_view_get(r, "figures");
		const char *kind =
		    cJSON_GetStringValue(report_view_get(r, "kind"));
		cJSON *row = report_view_row(&g);

		report_view_put(row, 0, report_view_text_new(r, "code"));
		report_view_put(row, 1, report_view_text_new(r, "metric"));
		report_view_put(row, 2, report_view_text_new(r, "unit"));
		report_view_put(row, 3, xstrdup(report_view_kind(kind)));
		report_view_put(row, 4, report_layout_target_new(r, figures));
		report_view_put(row, 5, report_view_actual_new(r, figures));
		report_view_put(
		    row, 6,
		    report_layout_achievement_new(
			report_view_get(r, "achievement"), figures));
	}
	fprintf(out, "%s\n", label);
	report_view_grid_print(out, &g);
	free(label);
}

/* A year's months in fiscal order: "4月 20件  5月 25件". */
static char *
report_view_months_new(const cJSON *months, const cJSON *figures)
{
	char *cell = xstrdup(""), *value, *joined;
	const cJSON *m;

	cJSON_ArrayForEach(m, months)
	{
		value = report_layout_value_new(m, figures, " ", NULL);
		xasprintf(&joined, "%s%s%s月 %s", cell, *cell ? "  " : "",
			  m->string, value);
		free(value);
		free(cell);
		cell = joined;
	}
	return cell;
}

void
report_view_metric(FILE *out, const cJSON *metric)
{
	static const char *const headers[] = {"年度", "目標値", "実績", "月別",
					      "備考"};
	const cJSON *m = report_view_get(metric, "metric");
	const cJSON *figures = report_view_get(m, "figures");
	const char *kind = cJSON_GetStringValue(report_view_get(m, "kind"));
	char *code = report_view_text_new(m, "code");
	char *name = report_view_text_new(m, "metric");
	char *unit = report_view_text_new(m, "unit");
	struct report_view_grid g;
	const cJSON *y;

	report_view_grid_init(&g, headers, REPORT_VIEW_N(headers));
	g.cols[3].right = false;
	g.cols[4].right = false;
	cJSON_ArrayForEach(y, report_view_get(metric, "years"))
	{
		char *fy = report_view_text_new(y, "fiscal_year");
		char *label = report_view_text_new(y, "label");
		cJSON *row = report_view_row(&g);
		char *year;

		xasprintf(&year, "%s %s", fy, label);
		report_view_put(row, 0, year);
		report_view_put(
		    row, 1,
		    report_layout_value_new(report_view_get(y, "target"),
					    figures, "・", NULL));
		report_view_put(row, 2,
				report_layout_value_new(
				    report_view_get(y, "actual"), figures, " ",
				    report_view_get(y, "sessions")));
		report_view_put(row, 3,
				report_view_months_new(
				    report_view_get(y, "months"), figures));
		report_view_put(row, 4, report_view_text_new(y, "note"));
		free(fy);
		free(label);
	}
	fprintf(out, "%s  %s (%s, %s)\n", code, name, unit,
		report_view_kind(kind));
	report_view_grid_print(out, &g);
	free(code);
	free(name);
	free(unit);
}

const char *
report_view_kind(const char *kind)
{
	if (kind == NULL)
		return "";
	return vocab_label_ja(VOCAB_METRIC_KIND, kind);
}
