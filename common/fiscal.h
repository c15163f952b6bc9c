/*
 * Japanese fiscal years (1 April - 31 March), named by their start year,
 * and their era labels as the plan writes them.
 */
#ifndef JF_FISCAL_H
#define JF_FISCAL_H

/* Fiscal year of a month (1..12) of a year: April on is that year's. */
int fiscal_year_of(int year, int month);

/*
 * Fiscal year of the date in the first 10 bytes of "YYYY-MM-DD..." as
 * written (a timestamp's offset is not applied); -1 if that is not a
 * real date.
 */
int fiscal_year_of_date(const char *iso);

/*
 * Era label of fiscal year fy in 1989..2100, e.g. "令和6年度"; year one is
 * 元, and FY2019, in which 令和 began, is "平成31年度(令和元年度)". NULL
 * outside that range. The result lives in a per-thread buffer that the
 * calling thread's next call overwrites.
 */
const char *fiscal_label(int fy);

#endif
