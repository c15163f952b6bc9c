/*
 * Fiscal years and era labels. A label is looked up from the fiscal year
 * number in the era table, never by formatting the year's start date:
 * 2019-04-01 is still 平成31年, yet the plan names that year by both eras.
 */
#include "fiscal.h"

#include "validate.h"

#include <stdio.h>

#define FISCAL_FIRST 1989
#define FISCAL_LAST  2100

/* Newest first; a new era needs one more row here. */
static const struct fiscal_era {
	const char *name;
	int year;  /* Western year of the era's year one */
	int month; /* month it began */
} fiscal_eras[] = {
    {"令和", 2019, 5},
    {"平成", 1989, 1},
};

#define FISCAL_NERAS (sizeof fiscal_eras / sizeof fiscal_eras[0])

int
fiscal_year_of(int year, int month)
{
	return month >= 4 ? year : year - 1;
}

int
fiscal_year_of_date(const char *iso)
{
	int year, month, day;

	if (iso == NULL || validate_date_parts(iso, &year, &month, &day) != 0)
		return -1;
	return fiscal_year_of(year, month);
}

/* Months since year 0 of the first day of month in year. */
static int
fiscal_month_index(int year, int month)
{
	return year * 12 + month - 1;
}

/* The year of era in which fiscal year fy starts, as written: 元, 2, 3... */
static const char *
fiscal_era_year(char *buf, size_t size, const struct fiscal_era *era, int fy)
{
	int n = fy - era->year + 1;

	if (n == 1)
		return "元";
	snprintf(buf, size, "%d", n);
	return buf;
}

const char *
fiscal_label(int fy)
{
	static _Thread_local char label[64];
	const struct fiscal_era *era, *current = NULL, *began = NULL;
	int start = fiscal_month_index(fy, 4);
	int next = fiscal_month_index(fy + 1, 4);
	char n1[16], n2[16];
	size_t i;

	if (fy < FISCAL_FIRST || fy > FISCAL_LAST)
		return NULL;
	/* The era on 1 April names the year; one that began later joins it. */
	for (i = FISCAL_NERAS; i-- > 0;) {
		era = &fiscal_eras[i];
		if (fiscal_month_index(era->year, era->month) <= start)
			current = era;
		else if (fiscal_month_index(era->year, era->month) < next)
			began = era;
	}
	if (began == NULL)
		snprintf(label, sizeof label, "%s%s年度", current->name,
			 fiscal_era_year(n1, sizeof n1, current, fy));
	else
		snprintf(
		    label, sizeof label, "%s%s年度(%s%s年度)", current->name,
		    fiscal_era_year(n1, sizeof n1, current, fy), began->name,
		    fiscal_era_year(n2, sizeof n2, began, fy));
	return label;
}
