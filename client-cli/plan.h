/*
 * The plan's figures (目標値一覧) on the client: fiscal years and figures
 * typed on the command line, and cells written the way the plan writes
 * them ("552件", "(1回)11人", "19社 40人", "30社・100人", "社 13.3%・人 7.0%").
 * A metric has one figure (件 or 人) or two (社・人, 人・件); the JSON
 * names them in "figures": ["companies", "persons"].
 */
#ifndef JF_PLAN_H
#define JF_PLAN_H

#include <cjson/cJSON.h>

/*
 * A fiscal year as typed ("2024", full-width digits too), 1989..2100.
 * Returns 0, or -1 with *cause.
 */
int plan_fiscal_year_parse(const char *s, int *fy, char **cause);

/*
 * The body that sets a metric's figures from n values as typed: for a
 * metric of one figure {single: N} (single is "actual" or "target"),
 * else {figures[0]: N, figures[1]: M}. Values are whole numbers
 * 0..10000000, full-width digits accepted. Returns a new object, or NULL
 * with *cause naming what the metric takes.
 */
cJSON *plan_figures_body_new(const cJSON *figures, const char *single,
			     char *const *values, int n, char **cause);

#endif
