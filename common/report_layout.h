/*
 * The reports' layout: which figures, under which labels, in which
 * order. The server's CSV (server/report_csv.c) and the CLI's tables
 * (client-cli/report_view.c) both render from these tables, so a report
 * reads the same in Excel and on screen; the figures themselves come
 * from the database (report_event(), report_fiscal_year()).
 */
#ifndef JF_REPORT_LAYOUT_H
#define JF_REPORT_LAYOUT_H

#include "vocab.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>

enum report_figure {
	REPORT_COUNT,	/* 12 */
	REPORT_PERCENT, /* 66.7% */
	REPORT_AVERAGE, /* 1.25 */
};

/* One figure of the event report, at report[object][key]. */
struct report_item {
	const char *section; /* the CSV's first column */
	const char *label;   /* the CSV's second column */
	const char *screen;  /* the screen's label if shorter, else NULL */
	const char *object;  /* NULL: a top-level key */
	const char *key;
	enum report_figure figure;
	/* Attendance: the row of report_layout_attendance_lines it takes
	 * on screen, where companies and job seekers stand side by side. */
	int line;
};

/* A run of items under one section (the screen's table title). */
struct report_group {
	const struct report_item *items;
	size_t n;
};

/* A breakdown {"youth": {"registered": 3, "present": 2}, …}. */
struct report_breakdown {
	const char *title; /* "区分": the CSV's sections are "区分別(登録)" … */
	const char *key; /* under report.seekers */
	enum vocab_kind kind;
	const char *unknown; /* the label of the key "unknown", if any */
};

/* The CSV's header row. */
extern const char *const report_layout_header[3];

/* Companies, then job seekers, then supporters (the last item). */
extern const struct report_group report_layout_attendance;
#define REPORT_LAYOUT_NLINES 8
extern const char *const report_layout_attendance_lines[REPORT_LAYOUT_NLINES];

#define REPORT_LAYOUT_NBREAKDOWNS 2
extern const struct report_breakdown
    report_layout_breakdowns[REPORT_LAYOUT_NBREAKDOWNS];
/* The breakdowns' two measures and their labels. */
extern const struct report_item report_layout_measures[2];

extern const struct report_group report_layout_interviews;
/* Interviews per company: the CSV's section, the screen's headers. */
extern const char *const report_layout_by_company[3];
extern const struct report_group report_layout_outcomes;

/*
 * The fiscal year's columns around the years': 連携項目, 項目, 説明
 * before; 目標値 (followed by the year's label), 実績, 達成率 after.
 */
extern const char *const report_layout_fy_lead[3];
extern const char *const report_layout_fy_tail[3];

/* A breakdown key's label: the vocabulary's, or the unknown label. */
const char *report_layout_breakdown_label(const struct report_breakdown *b,
					  const char *key);

/*
 * A plan cell: value is a number (one figure) or an object of figures;
 * each figure carries its unit ("552件", "19社 40人"), two are joined by
 * sep; sessions, if a number, comes first as "(N回)". "" for null. The
 * caller frees it.
 */
char *report_layout_value_new(const cJSON *value, const cJSON *figures,
			      const char *sep, const cJSON *sessions);

/*
 * A row's 目標値 as the plan writes it: "626件 (666件)", last year's
 * target (previous_target) in parentheses when there is one. The caller
 * frees it.
 */
char *report_layout_target_new(const cJSON *row, const cJSON *figures);

/*
 * Whether a plan cell is one plain figure, "552件": a number with the
 * first figure's unit and no sessions. Then *number and *unit (borrowed)
 * say what a spreadsheet holds as a number formatted 0"件".
 */
bool report_layout_value_plain(const cJSON *value, const cJSON *figures,
			       const cJSON *sessions, double *number,
			       const char **unit);

/*
 * An achievement: "80.0%", or per figure "社 80.0%・人 50.0%"; "" when
 * unknown. The caller frees it.
 */
char *report_layout_achievement_new(const cJSON *achievement,
				    const cJSON *figures);

#endif
