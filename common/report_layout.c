/* The reports' labels and order, in one place (see report_layout.h). */
#include "report_layout.h"

#include "xmalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof *(a))

/* The screen's attendance rows, by index into report_layout_attendance_lines.
 */
enum {
	LINE_REGISTERED,
	LINE_CONFIRMED,
	LINE_WALK_INS,
	LINE_CANCELLED,
	LINE_PRESENT,
	LINE_NO_SHOWS,
	LINE_TARGET,
	LINE_ACHIEVEMENT,
	LINE_NONE = -1,
};

const char *const report_layout_header[3] = {"区分", "項目", "値"};

const char *const report_layout_attendance_lines[REPORT_LAYOUT_NLINES] = {
    [LINE_REGISTERED] = "申込・事前登録",
    [LINE_CONFIRMED] = "参加確定",
    [LINE_WALK_INS] = "当日受付",
    [LINE_CANCELLED] = "キャンセル",
    [LINE_PRESENT] = "来場(当日受付を含む)",
    [LINE_NO_SHOWS] = "欠席",
    [LINE_TARGET] = "目標",
    [LINE_ACHIEVEMENT] = "達成率",
};

#define ITEM(sec, lab, obj, k, fig, l)                                         \
	{                                                                      \
		.section = sec, .label = lab, .object = obj, .key = k,         \
		.figure = fig, .line = l                                       \
	}

static const struct report_item attendance[] = {
    ITEM("企業", "申込", "companies", "registered", REPORT_COUNT,
	 LINE_REGISTERED),
    ITEM("企業", "参加確定", "companies", "confirmed", REPORT_COUNT,
	 LINE_CONFIRMED),
    ITEM("企業", "キャンセル", "companies", "cancelled", REPORT_COUNT,
	 LINE_CANCELLED),
    ITEM("企業", "当日参加", "companies", "present", REPORT_COUNT,
	 LINE_PRESENT),
    ITEM("企業", "目標", "companies", "target", REPORT_COUNT, LINE_TARGET),
    ITEM("企業", "達成率", "companies", "achievement", REPORT_PERCENT,
	 LINE_ACHIEVEMENT),
    ITEM("求職者", "事前登録", "seekers", "preregistered", REPORT_COUNT,
	 LINE_REGISTERED),
    ITEM("求職者", "当日受付", "seekers", "walk_ins", REPORT_COUNT,
	 LINE_WALK_INS),
    ITEM("求職者", "キャンセル", "seekers", "cancelled", REPORT_COUNT,
	 LINE_CANCELLED),
    ITEM("求職者", "来場(当日受付を含む)", "seekers", "present", REPORT_COUNT,
	 LINE_PRESENT),
    ITEM("求職者", "欠席", "seekers", "no_shows", REPORT_COUNT, LINE_NO_SHOWS),
    ITEM("求職者", "目標", "seekers", "target", REPORT_COUNT, LINE_TARGET),
    ITEM("求職者", "達成率", "seekers", "achievement", REPORT_PERCENT,
	 LINE_ACHIEVEMENT),
    {.section = "同行支援者",
     .label = "来場",
     .screen = "同行支援者(求職者とは別)",
     .key = "supporters",
     .figure = REPORT_COUNT,
     .line = LINE_NONE},
};

const struct report_group report_layout_attendance = {attendance,
						      NELEM(attendance)};

const struct report_breakdown
    report_layout_breakdowns[REPORT_LAYOUT_NBREAKDOWNS] = {
	{.title = "区分", .key = "by_category", .kind = VOCAB_CATEGORY},
	{.title = "年齢",
	 .key = "by_age_band",
	 .kind = VOCAB_AGE_BAND,
	 .unknown = "年齢不明"},
};

const struct report_item report_layout_measures[2] = {
    {.label = "登録", .key = "registered", .figure = REPORT_COUNT},
    {.label = "来場", .key = "present", .figure = REPORT_COUNT},
};

static const struct report_item interviews[] = {
    ITEM("面接", "延べ面接件数", "interviews", "total", REPORT_COUNT,
	 LINE_NONE),
    ITEM("面接", "面接を受けた求職者", "interviews", "seekers_interviewed",
	 REPORT_COUNT, LINE_NONE),
    {.section = "面接",
     .label = "来場者1人当たり面接件数",
     .screen = "来場者1人当たり",
     .object = "interviews",
     .key = "per_seeker",
     .figure = REPORT_AVERAGE,
     .line = LINE_NONE},
};

const struct report_group report_layout_interviews = {interviews,
						      NELEM(interviews)};

const char *const report_layout_by_company[3] = {"面接(企業別)", "企業",
						 "面接件数"};

static const struct report_item outcomes[] = {
    ITEM("採否", "内定(採用を含む)", "outcomes", "offers", REPORT_COUNT,
	 LINE_NONE),
    ITEM("採否", "採用", "outcomes", "hires", REPORT_COUNT, LINE_NONE),
    ITEM("採否", "結果待ち", "outcomes", "pending", REPORT_COUNT, LINE_NONE),
    ITEM("採否", "辞退", "outcomes", "declined", REPORT_COUNT, LINE_NONE),
    ITEM("採否", "取下げ", "outcomes", "withdrawn", REPORT_COUNT, LINE_NONE),
};

const struct report_group report_layout_outcomes = {outcomes, NELEM(outcomes)};

const char *const report_layout_fy_lead[3] = {"連携項目", "項目", "説明"};
const char *const report_layout_fy_tail[3] = {"目標値", "実績", "達成率"};

const char *
report_layout_breakdown_label(const struct report_breakdown *b, const char *key)
{
	if (b->unknown != NULL && strcmp(key, "unknown") == 0)
		return b->unknown;
	return vocab_label_ja(b->kind, key);
}

/* A figure's unit: "社" for "companies"; "" if figure is no string. */
static const char *
report_layout_unit(const cJSON *figure)
{
	if (!cJSON_IsString(figure))
		return "";
	return vocab_label_ja(VOCAB_FIGURE, figure->valuestring);
}

/* Appends "<sep>text" to *acc (no sep before the first). */
static void
report_layout_append(char **acc, const char *sep, const char *text)
{
	char *joined;

	xasprintf(&joined, "%s%s%s", *acc, **acc != '\0' ? sep : "", text);
	free(*acc);
	*acc = joined;
}

/* The value of one figure of a cell: "19社"; NULL if v is no number. */
static char *
report_layout_figure_new(const cJSON *v, const cJSON *figure)
{
	char *text;

	if (!cJSON_IsNumber(v))
		return NULL;
	xasprintf(&text, "%.0f%s", v->valuedouble, report_layout_unit(figure));
	return text;
}

/*
 * The figures of an object, joined by sep: counts with their unit after
 * ("19社"), percentages with it before ("社 80.0%").
 */
static char *
report_layout_figures_new(const cJSON *value, const cJSON *figures,
			  const char *sep, bool percent)
{
	char *cell = xstrdup(""), *part;
	const cJSON *f;

	cJSON_ArrayForEach(f, figures)
	{
		const cJSON *v = cJSON_IsString(f)
				     ? cJSON_GetObjectItemCaseSensitive(
					   value, f->valuestring)
				     : NULL;

		if (!percent)
			part = report_layout_figure_new(v, f);
		else if (cJSON_IsNumber(v))
			xasprintf(&part, "%s %.1f%%", report_layout_unit(f),
				  v->valuedouble);
		else
			part = NULL;
		if (part != NULL)
			report_layout_append(&cell, sep, part);
		free(part);
	}
	return cell;
}

char *
report_layout_value_new(const cJSON *value, const cJSON *figures,
			const char *sep, const cJSON *sessions)
{
	char *text, *cell;

	if (cJSON_IsNumber(value))
		text = report_layout_figure_new(value,
						cJSON_GetArrayItem(figures, 0));
	else if (cJSON_IsObject(value))
		text = report_layout_figures_new(value, figures, sep, false);
	else
		return xstrdup("");
	if (!cJSON_IsNumber(sessions))
		return text;
	xasprintf(&cell, "(%.0f回)%s", sessions->valuedouble, text);
	free(text);
	return cell;
}

bool
report_layout_value_plain(const cJSON *value, const cJSON *figures,
			  const cJSON *sessions, double *number,
			  const char **unit)
{
	if (!cJSON_IsNumber(value) || cJSON_IsNumber(sessions))
		return false;
	*number = value->valuedouble;
	*unit = report_layout_unit(cJSON_GetArrayItem(figures, 0));
	return true;
}

char *
report_layout_achievement_new(const cJSON *achievement, const cJSON *figures)
{
	char *cell;

	if (cJSON_IsNumber(achievement)) {
		xasprintf(&cell, "%.1f%%", achievement->valuedouble);
		return cell;
	}
	if (cJSON_IsObject(achievement))
		return report_layout_figures_new(achievement, figures, "・",
						 true);
	return xstrdup("");
}

char *
report_layout_target_new(const cJSON *row, const cJSON *figures)
{
	const cJSON *previous =
	    cJSON_GetObjectItemCaseSensitive(row, "previous_target");
	char *target, *prev, *cell;

	target = report_layout_value_new(
	    cJSON_GetObjectItemCaseSensitive(row, "target"), figures, "・",
	    NULL);
	if (!cJSON_IsNumber(previous) && !cJSON_IsObject(previous))
		return target;
	prev = report_layout_value_new(previous, figures, "・", NULL);
	xasprintf(&cell, "%s%s(%s)", target, *target != '\0' ? " " : "", prev);
	free(target);
	free(prev);
	return cell;
}
