/*
 * The print endpoints: the options and the statement here, the drawing
 * in pdf.c, run off the loop through render.h.
 */
#include "print.h"

#include "api.h"
#include "pdf.h"
#include "render.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ids in one ?ids= list: a thousand 受付票 is a large event. */
#define PRINT_IDS_MAX 2000

void
print_ids_check(cJSON *input, cJSON *errors)
{
	const char *ids =
	    cJSON_GetStringValue(cJSON_GetObjectItem(input, "ids"));
	char *array, *out;
	int n = 0;

	if (ids == NULL)
		return;
	/* "{1,2,3}": at most as long as the list and its braces. */
	array = out = xmalloc(strlen(ids) + 3);
	*out++ = '{';
	for (const char *s = ids; *s != '\0';) {
		char *end;
		long long id;

		/* A digit first: strtoll would skip " " and take "+". */
		errno = 0;
		id = strtoll(s, &end, 10);
		if (*s < '0' || *s > '9' || errno != 0 || id < 1 ||
		    (*end != ',' && *end) || ++n > PRINT_IDS_MAX) {
			cJSON_AddStringToObject(
			    errors, "ids",
			    "must be registration ids separated by commas "
			    "(at most 2000)");
			free(array);
			return;
		}
		out += sprintf(out, "%s%lld", n > 1 ? "," : "", id);
		s = *end == ',' ? end + 1 : end;
	}
	strcpy(out, "}");
	cJSON_ReplaceItemInObject(input, "ids", cJSON_CreateString(array));
	free(array);
}

struct print_req {
	enum pdf_kind kind;
	struct pdf_options opt;
};

static const char *const print_names[] = {
    [PDF_SLIPS] = "slips",
    [PDF_BADGES_SEEKERS] = "badges",
    [PDF_BADGES_COMPANIES] = "badges-companies",
    [PDF_BOOTHS] = "booths",
    [PDF_COMPANIES] = "companies",
};

static int
print_render_pdf(const char *text, size_t len, const void *arg,
		 struct render_out *out, char **cause)
{
	const struct print_req *r = arg;
	struct pdf_result res;

	if (pdf_render(r->kind, &r->opt, text, len, &res, cause) != 0)
		return -1;
	out->data = res.data;
	out->len = res.len;
	if (res.missing > 0)
		xasprintf(&out->warning,
			  "%d character(s) no font has, printed as a box "
			  "with the code point: %s",
			  res.missing, res.missing_codes);
	return 0;
}

static void
print_done(struct http_ctx *ctx, const PGresult *res)
{
	const struct print_req *r = ctx->data;
	char filename[64];

	snprintf(filename, sizeof filename, "event-%s-%s.pdf", ctx->args[0],
		 print_names[r->kind]);
	render_reply(ctx, res, print_render_pdf, r, sizeof *r,
		     "application/pdf", filename);
}

void
print_slip_reply(struct http_ctx *ctx, const PGresult *res)
{
	static const struct print_req one = {
	    .kind = PDF_SLIPS,
	    .opt = {.per_page = 1},
	};

	render_reply(ctx, res, print_render_pdf, &one, sizeof one,
		     "application/pdf", "uketsukehyo.pdf");
}

static void
print_begin(struct http_ctx *ctx, const cJSON *query, enum pdf_kind kind)
{
	struct print_req *r = xcalloc(1, sizeof *r);
	const char *layout =
	    cJSON_GetStringValue(cJSON_GetObjectItem(query, "layout"));
	const char *ids =
	    cJSON_GetStringValue(cJSON_GetObjectItem(query, "ids"));

	r->kind = kind;
	r->opt.per_page = layout != NULL && strcmp(layout, "page") == 0
			      ? 1
			      : PDF_SLIPS_PER_SHEET;
	r->opt.names = cJSON_IsTrue(cJSON_GetObjectItem(query, "names"));
	ctx->data = r;
	ctx->data_free = free;
	if (kind == PDF_SLIPS || kind == PDF_BADGES_SEEKERS) {
		const char *params[3] = {ctx->user_id, ctx->args[0], ids};

		api_query(ctx, "SELECT print_seekers($1, $2, $3::bigint[])", 3,
			  params, print_done);
	} else
		api_query(ctx, "SELECT print_companies($1)", 1, ctx->args,
			  print_done);
}

void
print_slips(struct http_ctx *ctx, const cJSON *query)
{
	print_begin(ctx, query, PDF_SLIPS);
}

void
print_badges(struct http_ctx *ctx, const cJSON *query)
{
	const char *kind =
	    cJSON_GetStringValue(cJSON_GetObjectItem(query, "kind"));
	bool companies = kind != NULL && strcmp(kind, "companies") == 0;

	if (companies && (cJSON_HasObjectItem(query, "ids") ||
			  cJSON_HasObjectItem(query, "names"))) {
		cJSON *fields = cJSON_CreateObject();

		cJSON_AddStringToObject(fields, "kind",
					"ids and names apply to seekers only");
		http_reply_fields(ctx, 422, "invalid query parameters", fields);
		return;
	}
	print_begin(ctx, query,
		    companies ? PDF_BADGES_COMPANIES : PDF_BADGES_SEEKERS);
}

void
print_booths(struct http_ctx *ctx, const cJSON *query)
{
	print_begin(ctx, query, PDF_BOOTHS);
}

void
print_companies(struct http_ctx *ctx, const cJSON *query)
{
	print_begin(ctx, query, PDF_COMPANIES);
}
