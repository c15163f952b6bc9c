/* The plan's figures on the client: parsed from arguments, shown as cells. */
#include "plan.h"

#include "config.h"
#include "text.h"
#include "vocab.h"
#include "xmalloc.h"

#include <stdlib.h>

/* The server's limit on one figure (server/metrics.c). */
#define PLAN_FIGURE_MAX 10000000L

static const char *
plan_unit(const cJSON *figure)
{
	if (!cJSON_IsString(figure))
		return "";
	return vocab_label_ja(VOCAB_FIGURE, figure->valuestring);
}

/* A whole number in [min, max] as typed, full-width digits too. */
static int
plan_number(const char *s, long min, long max, long *out)
{
	char *nfkc = text_nfkc_new(s);
	int rc;

	rc = config_int(nfkc != NULL ? nfkc : s, min, max, out);
	free(nfkc);
	return rc;
}

int
plan_fiscal_year_parse(const char *s, int *fy, char **cause)
{
	long v;

	if (plan_number(s, 1989, 2100, &v) != 0) {
		xasprintf(cause, "%s is not a fiscal year such as 2024", s);
		return -1;
	}
	*fy = (int)v;
	return 0;
}

cJSON *
plan_figures_body_new(const cJSON *figures, const char *single,
		      char *const *values, int n, char **cause)
{
	int nfigures = cJSON_GetArraySize(figures);
	cJSON *body;
	long v;

	if (nfigures < 1 || n != nfigures) {
		if (nfigures == 2)
			xasprintf(cause,
				  "this metric takes two figures: %s (%s) "
				  "and %s (%s)",
				  cJSON_GetArrayItem(figures, 0)->valuestring,
				  plan_unit(cJSON_GetArrayItem(figures, 0)),
				  cJSON_GetArrayItem(figures, 1)->valuestring,
				  plan_unit(cJSON_GetArrayItem(figures, 1)));
		else
			xasprintf(cause, "this metric takes one figure (%s)",
				  plan_unit(cJSON_GetArrayItem(figures, 0)));
		return NULL;
	}
	body = cJSON_CreateObject();
	for (int i = 0; i < n; i++) {
		const cJSON *f = cJSON_GetArrayItem(figures, i);

		if (!cJSON_IsString(f) ||
		    plan_number(values[i], 0, PLAN_FIGURE_MAX, &v) != 0) {
			xasprintf(cause,
				  "%s is not a whole number from 0 to %ld",
				  values[i], PLAN_FIGURE_MAX);
			cJSON_Delete(body);
			return NULL;
		}
		cJSON_AddNumberToObject(body, n == 1 ? single : f->valuestring,
					(double)v);
	}
	return body;
}
