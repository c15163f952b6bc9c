/*
 * Unit tests for client-cli/report_view.c: the post-event report and the
 * 目標値一覧 as terminal tables, labels in Japanese, figures as the plan
 * writes them, columns aligned by display width.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report_view.h"
#include "text.h"

/* What view prints for the JSON text. */
static char *
render(void (*view)(FILE *, const cJSON *), const char *text)
{
	cJSON *report = cJSON_Parse(text);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (report == NULL)
		fail_msg("bad test JSON");
	view(out, report);
	fclose(out);
	cJSON_Delete(report);
	return buf;
}

/* Line n (from 1) of text, without its newline; the caller frees it. */
static char *
line_of(const char *text, int n)
{
	const char *p = text, *end;

	for (int i = 1; i < n && p != NULL; i++)
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	if (p == NULL)
		fail_msg("no line %d in:\n%s", n, text);
	end = strchr(p, '\n');
	return strndup(p, end ? (size_t)(end - p) : strlen(p));
}

/* The line that starts with prefix; the caller frees it. */
static char *
line_starting(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p != NULL && *p != '\0';) {
		const char *end = strchr(p, '\n');

		if (strncmp(p, prefix, n) == 0)
			return strndup(p, end ? (size_t)(end - p) : strlen(p));
		p = end ? end + 1 : NULL;
	}
	fail_msg("no line starting with [%s] in:\n%s", prefix, text);
	return NULL;
}

/* The display column where needle starts in line. */
static size_t
column_of(const char *line, const char *needle)
{
	const char *at = strstr(line, needle);
	char *before;
	size_t w;

	if (at == NULL)
		fail_msg("[%s] not in [%s]", needle, line);
	before = strndup(line, (size_t)(at - line));
	w = text_display_width(before);
	free(before);
	return w;
}

static const char fiscal_year[] =
    "{\"fiscal_year\":2024,\"fiscal_year_label\":\"令和6年度\","
    "\"previous_years\":["
    "{\"fiscal_year\":2019,\"label\":\"平成31年度(令和元年度)\"},"
    "{\"fiscal_year\":2020,\"label\":\"令和2年度\"},"
    "{\"fiscal_year\":2021,\"label\":\"令和3年度\"},"
    "{\"fiscal_year\":2022,\"label\":\"令和4年度\"},"
    "{\"fiscal_year\":2023,\"label\":\"令和5年度\"}],"
    "\"rows\":["
    "{\"code\":\"mothers_corner_placements\",\"programme\":\"2 "
    "女性に関する取組\",\"metric\":\"☆マザーズコーナー\",\"unit\":\"件\","
    "\"figures\":[\"cases\"],\"kind\":\"entered\","
    "\"actuals\":{\"2019\":286,\"2020\":254,\"2021\":264,\"2022\":279,"
    "\"2023\":289},\"sessions\":{},\"target\":289,\"previous_target\":279,"
    "\"actual\":120,\"actual_sessions\":null,\"achievement\":41.5},"
    "{\"code\":\"reemployment_seminar_seekers\",\"programme\":\"2 "
    "女性に関する取組\",\"metric\":\"☆再就職準備セミナー\",\"unit\":\"人\","
    "\"figures\":[\"persons\"],\"kind\":\"counted\","
    "\"actuals\":{\"2019\":34,\"2020\":0,\"2021\":11,\"2022\":22,"
    "\"2023\":28},\"sessions\":{\"2020\":0,\"2021\":1},\"target\":40,"
    "\"previous_target\":40,\"actual\":0,\"actual_sessions\":0,"
    "\"achievement\":0},"
    "{\"code\":\"joint_interview_fair\",\"programme\":\"7 "
    "企業の人材確保に関する取組\",\"metric\":\"☆合同就職面接会\","
    "\"unit\":\"社・人\",\"figures\":[\"companies\",\"persons\"],"
    "\"kind\":\"counted\",\"actuals\":{\"2019\":null,\"2020\":null,"
    "\"2021\":null,\"2022\":null,\"2023\":null},\"sessions\":{},"
    "\"target\":{\"companies\":30,\"persons\":100},\"previous_target\":null,"
    "\"actual\":{\"companies\":4,\"persons\":9},\"actual_sessions\":1,"
    "\"achievement\":{\"companies\":13.3,\"persons\":9.0}}]}";

static void
test_fiscal_year_layout(void **state)
{
	char *out = render(report_view_fiscal_year, fiscal_year);
	char *title = line_of(out, 1), *header = line_of(out, 3);
	char *mothers = line_starting(out, "2 女性に関する取組");
	char *seminar = line_of(out, 5);
	char *joint = line_starting(out, "7 企業の人材確保に関する取組");

	(void)state;
	assert_string_equal(title, "目標値一覧 令和6年度 (2024年度)");
	assert_non_null(strstr(header, "連携項目"));
	/* The plan's column heads, in its order. */
	assert_true(column_of(header, "項目") <
		    column_of(header, "平成31年度(令和元年度)"));
	assert_true(column_of(header, "平成31年度(令和元年度)") <
		    column_of(header, "令和2年度"));
	assert_true(column_of(header, "令和5年度") <
		    column_of(header, "目標値 令和6年度"));
	assert_true(column_of(header, "目標値 令和6年度") <
		    column_of(header, "実績"));
	assert_true(column_of(header, "実績") < column_of(header, "達成率"));
	/* 目標値 with the previous target in parentheses; 実績; 達成率. */
	assert_non_null(strstr(mothers, "286件"));
	assert_non_null(strstr(mothers, "289件 (279件)"));
	assert_non_null(strstr(mothers, "120件"));
	assert_non_null(strstr(mothers, "41.5%"));
	/* A programme's name once, as the plan merges its cells. */
	assert_true(strncmp(seminar, "  ", 2) == 0);
	assert_non_null(strstr(seminar, "☆再就職準備セミナー"));
	assert_non_null(strstr(seminar, "(0回)0人"));
	assert_non_null(strstr(seminar, "(1回)11人"));
	assert_non_null(strstr(seminar, "40人 (40人)"));
	/* Counted in companies and people, in its one session. */
	assert_non_null(strstr(joint, "30社・100人"));
	assert_non_null(strstr(joint, "(1回)4社 9人"));
	assert_non_null(strstr(joint, "社 13.3%・人 9.0%"));
	/* Right-aligned figures end in the same column, Japanese or not. */
	assert_int_equal(column_of(mothers, "289件 (279件)") +
			     text_display_width("289件 (279件)"),
			 column_of(joint, "30社・100人") +
			     text_display_width("30社・100人"));
	assert_int_equal(column_of(mothers, "41.5%") +
			     text_display_width("41.5%"),
			 text_display_width(joint));
	assert_int_equal(column_of(seminar, "☆再就職準備セミナー"),
			 column_of(mothers, "☆マザーズコーナー"));
	free(title);
	free(header);
	free(mothers);
	free(seminar);
	free(joint);
	free(out);
}

static const char event[] =
    "{\"event\":{\"id\":5,\"title\":\"令和6年度 "
    "合同就職面接会\",\"type_name\":\"合同就職面接会\","
    "\"starts_at\":\"2024-10-15T10:00:00+09:00\",\"fiscal_year\":2024,"
    "\"fiscal_year_label\":\"令和6年度\"},"
    "\"companies\":{\"registered\":5,\"confirmed\":4,\"cancelled\":0,"
    "\"present\":4,\"target\":30,\"achievement\":13.3},"
    "\"seekers\":{\"preregistered\":9,\"walk_ins\":1,\"cancelled\":1,"
    "\"present\":9,\"no_shows\":1,\"target\":100,\"achievement\":9.0,"
    "\"by_category\":{\"youth\":{\"registered\":4,\"present\":3},"
    "\"disability\":{\"registered\":1,\"present\":1}},"
    "\"by_age_band\":{\"under_35\":{\"registered\":5,\"present\":4},"
    "\"35_54\":{\"registered\":3,\"present\":3},"
    "\"unknown\":{\"registered\":0,\"present\":0}}},"
    "\"supporters\":2,"
    "\"interviews\":{\"total\":10,\"seekers_interviewed\":8,"
    "\"per_seeker\":1.11,\"by_company\":[{\"company_id\":1,\"name\":"
    "\"山口精機株式会社\",\"count\":4},{\"company_id\":5,\"name\":"
    "\"㈱髙橋\",\"count\":0}]},"
    "\"outcomes\":{\"pending\":4,\"offers\":4,\"hires\":2,\"declined\":1,"
    "\"withdrawn\":1}}";

static void
test_event_layout(void **state)
{
	char *out = render(report_view_event, event);
	char *l;

	(void)state;
	l = line_of(out, 1);
	assert_string_equal(l, "令和6年度 合同就職面接会");
	free(l);
	l = line_of(out, 2);
	assert_string_equal(
	    l, "合同就職面接会  2024-10-15 10:00  2024年度 (令和6年度)");
	free(l);
	/* Companies and job seekers side by side, right-aligned. */
	l = line_starting(out, "来場(当日受付を含む)");
	assert_string_equal(l, "来場(当日受付を含む)      4       9");
	free(l);
	l = line_starting(out, "達成率");
	assert_string_equal(l, "達成率                13.3%    9.0%");
	free(l);
	l = line_starting(out, "当日受付");
	assert_string_equal(l, "当日受付                          1");
	free(l);
	l = line_starting(out, "同行支援者");
	assert_string_equal(l, "同行支援者(求職者とは別)  2");
	free(l);
	l = line_starting(out, "若年者(35歳未満)");
	assert_string_equal(l, "若年者(35歳未満)     4     3");
	free(l);
	l = line_starting(out, "35～54歳");
	assert_string_equal(l, "35～54歳     3     3");
	free(l);
	l = line_starting(out, "年齢不明");
	assert_string_equal(l, "年齢不明     0     0");
	free(l);
	l = line_starting(out, "来場者1人当たり");
	assert_string_equal(l, "来場者1人当たり     1.11");
	free(l);
	l = line_starting(out, "山口精機株式会社");
	assert_string_equal(l, "山口精機株式会社         4");
	free(l);
	l = line_starting(out, "㈱髙橋");
	assert_string_equal(l, "㈱髙橋                   0");
	free(l);
	l = line_starting(out, "内定(採用を含む)");
	assert_string_equal(l, "内定(採用を含む)     4");
	free(l);
	l = line_starting(out, "取下げ");
	assert_string_equal(l, "取下げ               1");
	free(l);
	free(out);
}

/* A report without figures: blank cells, no crash, the labels still. */
static void
test_event_blanks(void **state)
{
	char *out = render(report_view_event,
			   "{\"event\":{\"title\":\"x\"},\"companies\":{"
			   "\"target\":null,\"achievement\":null}}");
	char *l = line_starting(out, "達成率");

	(void)state;
	assert_int_equal(strspn(l + strlen("達成率"), " "),
			 strlen(l + strlen("達成率")));
	free(l);
	free(out);
}

static void
test_metric_years(void **state)
{
	char *out = render(
	    report_view_metric,
	    "{\"metric\":{\"code\":\"mothers_corner_placements\",\"metric\":"
	    "\"☆マザーズコーナー\",\"unit\":\"件\",\"figures\":[\"cases\"],"
	    "\"kind\":\"entered\"},\"years\":[{\"fiscal_year\":2024,"
	    "\"label\":\"令和6年度\",\"target\":289,\"actual\":45,"
	    "\"sessions\":null,\"note\":\"速報値\",\"months\":{\"4\":20,"
	    "\"5\":25}}]}");
	char *l = line_of(out, 1);

	(void)state;
	assert_string_equal(
	    l, "mothers_corner_placements  ☆マザーズコーナー (件, 入力)");
	free(l);
	l = line_starting(out, "2024");
	assert_string_equal(
	    l, "2024 令和6年度   289件  45件  4月 20件  5月 25件  速報値");
	free(l);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fiscal_year_layout),
	    cmocka_unit_test(test_event_layout),
	    cmocka_unit_test(test_event_blanks),
	    cmocka_unit_test(test_metric_years),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
