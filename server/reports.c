/*
 * /api/v1/events/{id}/report and /api/v1/reports/fiscal-year/{fy}. Each
 * is one call of an SQL function that aggregates and answers JSON
 * (migrations/0006_reports.sql); for CSV the reply is rendered from that
 * JSON in the database callback.
 */
#include "reports.h"

#include "api.h"
#include "report_csv.h"
#include "report_xlsx.h"
#include "request.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct csv_writer *(*reports_render)(const cJSON *report,
					     enum csv_encoding enc,
					     char **cause);

static const char reports_event_sql[] = "SELECT report_event($1)";
static const char reports_fiscal_year_sql[] = "SELECT report_fiscal_year($1)";

/* The JSON in res as CSV, with a file name for the browser or curl -J. */
static void
reports_reply_csv(struct http_ctx *ctx, const PGresult *res,
		  reports_render render, const char *filename)
{
	const char *encoding = http_query_param(ctx, "encoding");
	bool cp932 = encoding != NULL && strcmp(encoding, "cp932") == 0;
	struct csv_writer *w;
	char *cause = NULL, disposition[128];
	const char *data;
	cJSON *report;
	size_t len;

	if (PQntuples(res) < 1 || PQgetisnull(res, 0, 0)) {
		http_reply_error(ctx, 404, "no such resource");
		return;
	}
	report = cJSON_ParseWithLength(PQgetvalue(res, 0, 0),
				       PQgetlength(res, 0, 0));
	if (report == NULL) {
		http_reply_error(ctx, 500, "internal error");
		return;
	}
	w = render(report, cp932 ? CSV_ENC_CP932 : CSV_ENC_UTF8, &cause);
	cJSON_Delete(report);
	if (w == NULL) {
		cJSON *fields = cJSON_CreateObject();

		cJSON_AddStringToObject(fields, "encoding", cause);
		free(cause);
		http_reply_fields(ctx, 422,
				  "the report holds characters this encoding "
				  "cannot represent",
				  fields);
		return;
	}
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"",
		 filename);
	evhttp_add_header(evhttp_request_get_output_headers(ctx->req),
			  "Content-Disposition", disposition);
	data = csv_writer_data(w, &len);
	http_reply_body(ctx, 200,
			cp932 ? "text/csv; charset=Shift_JIS"
			      : "text/csv; charset=utf-8",
			data, len);
	csv_writer_free(w);
}

static void
reports_event_csv_done(struct http_ctx *ctx, const PGresult *res)
{
	char filename[64];

	snprintf(filename, sizeof filename, "event-%s-report.csv",
		 ctx->args[0]);
	reports_reply_csv(ctx, res, report_csv_event_new, filename);
}

static void
reports_fiscal_year_csv_done(struct http_ctx *ctx, const PGresult *res)
{
	char filename[64];

	snprintf(filename, sizeof filename, "fiscal-year-%s-report.csv",
		 ctx->args[0]);
	reports_reply_csv(ctx, res, report_csv_fiscal_year_new, filename);
}

/* The workbook is written on a render worker (render.h). */
static void
reports_reply_xlsx(struct http_ctx *ctx, const PGresult *res,
		   enum report_xlsx_kind kind, const char *filename)
{
	render_reply(ctx, res, report_xlsx_render, &kind, sizeof kind,
		     REPORT_XLSX_TYPE, filename);
}

static void
reports_event_xlsx_done(struct http_ctx *ctx, const PGresult *res)
{
	char filename[64];

	snprintf(filename, sizeof filename, "event-%s-report.xlsx",
		 ctx->args[0]);
	reports_reply_xlsx(ctx, res, REPORT_XLSX_EVENT, filename);
}

static void
reports_fiscal_year_xlsx_done(struct http_ctx *ctx, const PGresult *res)
{
	char filename[64];

	snprintf(filename, sizeof filename, "fiscal-year-%s-report.xlsx",
		 ctx->args[0]);
	reports_reply_xlsx(ctx, res, REPORT_XLSX_FISCAL_YEAR, filename);
}

/*
 * Runs sql($1 arg) and answers JSON or, with ?format=csv or xlsx, the
 * file.
 */
static void
reports_run(struct http_ctx *ctx, const cJSON *q, const char *sql,
	    api_done_cb csv_done, api_done_cb xlsx_done)
{
	const char *format;

	format = cJSON_GetStringValue(cJSON_GetObjectItem(q, "format"));
	if (format != NULL && strcmp(format, "csv") == 0)
		api_query(ctx, sql, 1, ctx->args, csv_done);
	else if (cJSON_HasObjectItem(q, "encoding")) {
		cJSON *fields = cJSON_CreateObject();

		cJSON_AddStringToObject(fields, "encoding",
					"applies to format=csv only");
		http_reply_fields(ctx, 422, "invalid query parameters", fields);
	} else if (format != NULL && strcmp(format, "xlsx") == 0)
		api_query(ctx, sql, 1, ctx->args, xlsx_done);
	else
		request_run(ctx, sql, 1, ctx->args, NULL);
}

void
reports_event(struct http_ctx *ctx, const cJSON *query)
{
	reports_run(ctx, query, reports_event_sql, reports_event_csv_done,
		    reports_event_xlsx_done);
}

void
reports_fiscal_year(struct http_ctx *ctx, const cJSON *query)
{
	reports_run(ctx, query, reports_fiscal_year_sql,
		    reports_fiscal_year_csv_done,
		    reports_fiscal_year_xlsx_done);
}
