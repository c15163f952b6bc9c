/* Tables for people: cells from JSON, columns aligned by display width. */
#include "table.h"

#include "text.h"
#include "xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TABLE_GAP  2 /* spaces between columns */
#define JST_OFFSET (9 * 3600)

/* Copy of s with C0, DEL and C1 controls (U+0080..U+009F) as spaces. */
static char *
table_clean_new(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *w = out;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			*w++ = ' ';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			*w++ = ' ';
			p++;
		} else
			*w++ = (char)*p;
	}
	*w = '\0';
	return out;
}

/* Appends cell to *acc, separated by ";". */
static void
table_join(char **acc, char *cell)
{
	char *joined;

	if (*cell == '\0') {
		free(cell);
		return;
	}
	if (*acc == NULL) {
		*acc = cell;
		return;
	}
	xasprintf(&joined, "%s;%s", *acc, cell);
	free(*acc);
	free(cell);
	*acc = joined;
}

char *
table_cell_new(const cJSON *value)
{
	const cJSON *item;
	char *s = NULL;

	if (cJSON_IsString(value))
		return table_clean_new(value->valuestring);
	if (cJSON_IsNumber(value)) {
		double d = value->valuedouble;

		if (d == floor(d) && fabs(d) <= 9007199254740992.0)
			xasprintf(&s, "%.0f", d);
		else
			xasprintf(&s, "%g", d);
		return s;
	}
	if (cJSON_IsBool(value))
		return xstrdup(cJSON_IsTrue(value) ? "yes" : "no");
	if (cJSON_IsArray(value) || cJSON_IsObject(value)) {
		cJSON_ArrayForEach(item, value)
		{
			table_join(&s, table_cell_new(item));
		}
		return s != NULL ? s : xstrdup("");
	}
	return xstrdup("");
}

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM)". */
static int
table_parse_time(const char *s, time_t *out)
{
	struct tm tm = {0};
	int oh = 0, om = 0, n = 0, offset = 0;
	const char *p;
	char t;

	if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &t, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
		   &n) != 7 ||
	    (t != 'T' && t != 't' && t != ' '))
		return -1;
	p = s + n;
	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	if (*p == 'Z' || *p == 'z') {
		if (p[1] != '\0')
			return -1;
	} else if ((*p == '+' || *p == '-') &&
		   sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) == 2 &&
		   p[1 + n] == '\0')
		offset = (*p == '+' ? 1 : -1) * (oh * 3600 + om * 60);
	else
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm) - offset;
	return 0;
}

char *
table_time_new(const cJSON *value)
{
	char buf[32];
	struct tm tm;
	time_t t;

	if (!cJSON_IsString(value) ||
	    table_parse_time(value->valuestring, &t) != 0)
		return table_cell_new(value);
	/* Japan has kept one offset, without summer time, since 1952. */
	t += JST_OFFSET;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm) == 0)
		return table_cell_new(value);
	return xstrdup(buf);
}

static char *
table_column_cell_new(const struct table_column *col, const cJSON *obj)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, col->key);

	if (col->format_new != NULL)
		return col->format_new(v);
	return table_cell_new(v);
}

/* Writes s padded to width columns, on the side the alignment asks. */
static void
table_put(FILE *out, const char *s, size_t width, bool right, bool last)
{
	size_t w = text_display_width(s), pad = width > w ? width - w : 0;

	if (right)
		fprintf(out, "%*s", (int)pad, "");
	fputs(s, out);
	if (!right && !last)
		fprintf(out, "%*s", (int)pad, "");
	if (!last)
		fprintf(out, "%*s", TABLE_GAP, "");
}

void
table_print(FILE *out, const struct table_column *cols, size_t ncols,
	    const cJSON *items)
{
	size_t nrows = 1 + (size_t)cJSON_GetArraySize(items), r = 1;
	char **cells = xcalloc(nrows * ncols, sizeof *cells);
	size_t *width = xcalloc(ncols, sizeof *width);
	const cJSON *item;

	for (size_t c = 0; c < ncols; c++)
		cells[c] = xstrdup(cols[c].header);
	cJSON_ArrayForEach(item, items)
	{
		for (size_t c = 0; c < ncols; c++)
			cells[r * ncols + c] =
			    table_column_cell_new(&cols[c], item);
		r++;
	}
	for (size_t i = 0; i < nrows * ncols; i++) {
		size_t w = text_display_width(cells[i]);

		if (w > width[i % ncols])
			width[i % ncols] = w;
	}
	for (r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncols; c++)
			table_put(out, cells[r * ncols + c], width[c],
				  r > 0 && cols[c].right, c + 1 == ncols);
		fputc('\n', out);
	}
	for (size_t i = 0; i < nrows * ncols; i++)
		free(cells[i]);
	free(cells);
	free(width);
}

void
table_print_object(FILE *out, const struct table_column *cols, size_t ncols,
		   const cJSON *obj)
{
	size_t width = 0;

	for (size_t c = 0; c < ncols; c++) {
		size_t w = text_display_width(cols[c].header);

		if (w > width)
			width = w;
	}
	for (size_t c = 0; c < ncols; c++) {
		char *cell = table_column_cell_new(&cols[c], obj);

		table_put(out, cols[c].header, width, false, false);
		fprintf(out, "%s\n", cell);
		free(cell);
	}
}
