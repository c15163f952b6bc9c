/*
 * jobfair qr EVENT --out DIR: every registered job seeker's QR code as
 * DIR/<id>-<kana>.png, for printing or mailing, and DIR/index.csv (UTF-8
 * with BOM, for Excel) saying whose code is in which file. The PNGs are
 * the server's own, so what is printed is what the desks scan. Both hold
 * check-in tokens: written 0600.
 */
#include "cmd_desk.h"

#include "client.h"
#include "cmd.h"
#include "csv.h"
#include "desk.h"
#include "durable.h"
#include "fetch.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QR_BAR_WIDTH 30

struct qr_png {
	char *data;
	size_t len;
};

static bool
qr_collect_cb(const char *data, size_t len, void *arg)
{
	struct qr_png *png = arg;

	png->data = xrealloc(png->data, png->len + len);
	memcpy(png->data + png->len, data, len);
	png->len += len;
	return true;
}

/* "[#########-----]  40/100" on a terminal's stderr, redrawn in place. */
static void
qr_progress(size_t done, size_t total)
{
	size_t fill = total > 0 ? done * QR_BAR_WIDTH / total : QR_BAR_WIDTH;

	if (!isatty(STDERR_FILENO))
		return;
	fputs("\r[", stderr);
	for (size_t i = 0; i < QR_BAR_WIDTH; i++)
		fputc(i < fill ? '#' : '-', stderr);
	fprintf(stderr, "] %zu/%zu", done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Fetches one registration's PNG into dir; *file gets its name. */
static int
qr_write_one(struct fetch *f, const cJSON *reg, const char *dir,
	     const char *scale, char **file)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(reg, "id");
	const char *kana = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(reg, "name_kana"));
	struct qr_png png = {NULL, 0};
	char *api, *safe, *path, *cause = NULL;
	cJSON *error = NULL;
	int status, rc = CLI_OK;

	xasprintf(&api, CMD_API "/registrations/%.0f/qr.png", id->valuedouble);
	if (scale != NULL)
		client_query_add(&api, "scale", scale);
	safe = desk_file_name_new(kana != NULL ? kana : "");
	xasprintf(file, "%.0f-%s.png", id->valuedouble, safe);
	xasprintf(&path, "%s/%s", dir, *file);
	status = fetch_get(f, api, false, qr_collect_cb, &png, &error);
	if (status != 200 || png.len == 0) {
		if (isatty(STDERR_FILENO))
			fputc('\n', stderr);
		rc = client_fail(status, error);
		rc = rc == CLI_OK ? CLI_REFUSED : rc;
	} else if (durable_replace(path, png.data, png.len, &cause) != 0) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		rc = CLI_USAGE;
	}
	cJSON_Delete(error);
	free(png.data);
	free(path);
	free(safe);
	free(api);
	return rc;
}

/* One index row; the cells are the registration's own strings. */
static void
qr_index_row(struct csv_writer *w, const cJSON *reg, const char *file)
{
	char *id, *cause = NULL;
	const char *row[5];

	xasprintf(&id, "%.0f",
		  cJSON_GetObjectItemCaseSensitive(reg, "id")->valuedouble);
	row[0] = id;
	row[1] =
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(reg, "name"));
	row[2] = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(reg, "name_kana"));
	row[3] = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(reg, "checkin_token"));
	row[4] = file;
	if (csv_write_row(w, row, 5, &cause) != 0) {
		fprintf(stderr, "jobfair: index.csv: %s\n", cause);
		free(cause);
	}
	free(id);
}

/* Who gets a code: registered, with a token the server can draw. */
static bool
qr_wanted(const cJSON *reg)
{
	const char *status = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(reg, "status"));

	return cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(reg, "id")) &&
	       status != NULL && strcmp(status, "registered") == 0 &&
	       cJSON_IsString(
		   cJSON_GetObjectItemCaseSensitive(reg, "checkin_token"));
}

static int
qr_export(struct cli *cli, const cJSON *items, const char *dir,
	  const char *scale)
{
	static const char *const header[] = {"id", "name", "kana", "token",
					     "file"};
	struct csv_writer *w = csv_writer_new(CSV_ENC_UTF8);
	struct fetch *f = fetch_new(cli);
	size_t total = 0, done = 0, len;
	const cJSON *reg;
	char *index, *cause = NULL, *file;
	const char *data;
	int rc = CLI_OK;

	cJSON_ArrayForEach(reg, items)
	{
		total += qr_wanted(reg);
	}
	csv_write_row(w, header, NELEM(header), &cause);
	qr_progress(0, total);
	cJSON_ArrayForEach(reg, items)
	{
		if (!qr_wanted(reg))
			continue;
		if ((rc = qr_write_one(f, reg, dir, scale, &file)) == CLI_OK)
			qr_index_row(w, reg, file);
		free(file);
		if (rc != CLI_OK)
			break;
		qr_progress(++done, total);
	}
	xasprintf(&index, "%s/index.csv", dir);
	data = csv_writer_data(w, &len);
	if (durable_replace(index, data, len, &cause) != 0) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		rc = rc == CLI_OK ? CLI_USAGE : rc;
	} else if (cli->json) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "written", (double)done);
		cJSON_AddNumberToObject(
		    o, "skipped", (double)cJSON_GetArraySize(items) - total);
		cJSON_AddStringToObject(o, "index", index);
		desk_print_json(o);
		cJSON_Delete(o);
	} else
		printf("%zu QR codes written to %s (index.csv lists them); %zu "
		       "cancelled or without a code skipped\n",
		       done, dir, (size_t)cJSON_GetArraySize(items) - total);
	free(index);
	fetch_free(f);
	csv_writer_free(w);
	return rc;
}

int
cmd_qr(struct cli *cli, int argc, char **argv)
{
	static const char *opt_out, *opt_scale;
	static const struct config_entry options[] = {
	    CONFIG_FLAG("out", "directory for the PNGs and index.csv",
			&opt_out),
	    CONFIG_FLAG("scale", "pixels per module, 1 to 20", &opt_scale),
	};
	struct desk d;
	cJSON *items = NULL, *reply = NULL;
	char *api = NULL, *probe, *cause = NULL;
	long scale;
	int rest, rc, status;

	if ((rc = desk_parse(cli, &d, 0, options, NELEM(options), argc, argv,
			     &rest)) != 0)
		goto out;
	if (rest != 1 || opt_out == NULL || *opt_out == '\0') {
		rc = cli_usage_error(cli, xstrdup("expected EVENT --out DIR"));
		goto out;
	}
	if (opt_scale != NULL && config_int(opt_scale, 1, 20, &scale) != 0) {
		rc = cli_usage_error(cli, xstrdup("--scale must be 1 to 20"));
		goto out;
	}
	xasprintf(&probe, "%s/index.csv", opt_out);
	rc = durable_mkdirs(probe, &cause);
	free(probe);
	if (rc != 0) {
		fprintf(stderr, "jobfair: %s\n", cause);
		free(cause);
		rc = CLI_USAGE;
		goto out;
	}
	xasprintf(&api, CMD_API "/events/%s/registrations", d.event);
	status = client_list(cli, api, cli->limit, &items, &reply);
	if (status != 200) {
		rc = client_fail(status, reply);
		rc = rc == CLI_OK ? CLI_REFUSED : rc;
		goto out;
	}
	rc = qr_export(cli, items, opt_out, opt_scale);
out:
	free(api);
	cJSON_Delete(items);
	cJSON_Delete(reply);
	desk_free(&d);
	return rc;
}
