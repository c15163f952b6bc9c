/*
 * QR codes of check-in tokens. A token is "JF1-" and upper-case base32,
 * all characters of QR's alphanumeric mode, which libqrencode's mode
 * split picks by itself: a token fits version 2 (25 modules) at level M.
 */
#include "qr.h"

#include "api.h"
#include "log.h"
#include "request.h"
#include "xmalloc.h"

#include <errno.h>
#include <png.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

QRcode *
qr_code_new(const char *text, char **cause)
{
	QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);

	if (code == NULL)
		xasprintf(cause, "cannot encode a QR code: %s",
			  strerror(errno));
	return code;
}

static QRcode *
qr_encode(const char *text, int scale, char **cause)
{
	if (scale < 1 || scale > QR_SCALE_MAX) {
		xasprintf(cause, "scale must be 1 to %d", QR_SCALE_MAX);
		return NULL;
	}
	return qr_code_new(text, cause);
}

bool
qr_dark(const QRcode *code, int x, int y)
{
	x -= QR_QUIET_ZONE;
	y -= QR_QUIET_ZONE;
	return x >= 0 && y >= 0 && x < code->width && y < code->width &&
	       (code->data[y * code->width + x] & 1);
}

/* libpng's output, appended to a growing buffer. */
struct qr_buf {
	unsigned char *data;
	size_t len, cap;
};

static void
qr_png_write_cb(png_structp png, png_bytep data, size_t n)
{
	struct qr_buf *buf = png_get_io_ptr(png);

	if (buf->len + n > buf->cap) {
		buf->cap = (buf->len + n) * 2;
		buf->data = xrealloc(buf->data, buf->cap);
	}
	memcpy(buf->data + buf->len, data, n);
	buf->len += n;
}

static void
qr_png_flush_cb(png_structp png)
{
	(void)png;
}

/*
 * A 1-bit grayscale PNG, unfiltered, compressed for speed: a QR code is
 * two colours in long runs, so this is both the smallest and the fastest
 * encoding (an 8-bit image took ten times as long).
 */
int
qr_png_new(const char *text, int scale, unsigned char **png, size_t *len,
	   char **cause)
{
	QRcode *code = qr_encode(text, scale, cause);
	struct qr_buf *buf;
	png_structp w;
	png_infop info;
	unsigned char *volatile row = NULL;
	size_t side, modules, stride;

	if (code == NULL)
		return -1;
	/* On the heap: locals changed after setjmp are lost by a longjmp. */
	buf = xcalloc(1, sizeof *buf);
	modules = code->width + 2 * QR_QUIET_ZONE;
	side = modules * scale;
	stride = (side + 7) / 8;
	w = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = w ? png_create_info_struct(w) : NULL;
	if (info == NULL || setjmp(png_jmpbuf(w))) {
		xasprintf(cause, "cannot write a PNG");
		png_destroy_write_struct(&w, &info);
		free(row);
		free(buf->data);
		free(buf);
		QRcode_free(code);
		return -1;
	}
	png_set_write_fn(w, buf, qr_png_write_cb, qr_png_flush_cb);
	png_set_IHDR(w, info, side, side, 1, PNG_COLOR_TYPE_GRAY,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_set_filter(w, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_compression_level(w, 1);
	png_write_info(w, info);
	row = xmalloc(stride);
	/* Draw each row of modules once, then write it `scale` times. */
	for (size_t my = 0; my < modules; my++) {
		memset(row, 0, stride);
		for (size_t px = 0; px < side; px++)
			if (!qr_dark(code, px / scale, my))
				row[px / 8] |= 0x80 >> (px % 8);
		for (int copy = 0; copy < scale; copy++)
			png_write_row(w, row);
	}
	png_write_end(w, NULL);
	png_destroy_write_struct(&w, &info);
	free(row);
	QRcode_free(code);
	*png = buf->data;
	*len = buf->len;
	free(buf);
	return 0;
}

char *
qr_svg_new(const char *text, int scale, char **cause)
{
	QRcode *code = qr_encode(text, scale, cause);
	char *doc = NULL;
	size_t size = 0;
	FILE *f;
	int modules;

	if (code == NULL)
		return NULL;
	if ((f = open_memstream(&doc, &size)) == NULL)
		fatal("open_memstream");
	modules = code->width + 2 * QR_QUIET_ZONE;
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" "
		"shape-rendering=\"crispEdges\">\n"
		"<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
		"<path fill=\"#000\" d=\"",
		modules * scale, modules * scale, modules, modules, modules,
		modules);
	/* One rectangle per horizontal run of dark modules. */
	for (int y = 0; y < modules; y++) {
		for (int x = 0; x < modules;) {
			int run = 0;

			while (x + run < modules && qr_dark(code, x + run, y))
				run++;
			if (run > 0)
				fprintf(f, "M%d %dh%dv1h-%dz", x, y, run, run);
			x += run > 0 ? run : 1;
		}
	}
	fputs("\"/>\n</svg>\n", f);
	fclose(f);
	QRcode_free(code);
	return doc;
}

/* The first column is the token, the second the validated scale. */
static void
qr_reply(struct http_ctx *ctx, const PGresult *res, bool svg)
{
	const char *token = PQgetvalue(res, 0, 0);
	int scale = atoi(PQgetvalue(res, 0, 1));
	char *cause = NULL;

	if (svg) {
		char *doc = qr_svg_new(token, scale, &cause);

		if (doc != NULL) {
			http_reply_body(ctx, 200, "image/svg+xml", doc,
					strlen(doc));
			free(doc);
			return;
		}
	} else {
		unsigned char *png;
		size_t len;

		if (qr_png_new(token, scale, &png, &len, &cause) == 0) {
			http_reply_body(ctx, 200, "image/png", png, len);
			free(png);
			return;
		}
	}
	log_error("%s: %s", ctx->path, cause);
	free(cause);
	http_reply_error(ctx, 500, "cannot render the QR code");
}

void
qr_png_reply(struct http_ctx *ctx, const PGresult *res)
{
	qr_reply(ctx, res, false);
}

static void
qr_svg_done(struct http_ctx *ctx, const PGresult *res)
{
	qr_reply(ctx, res, true);
}

/*
 * Runs sql with the path's `nids` ids and ?scale=: the SQL hands the
 * scale back beside the token, for the reply.
 */
static void
qr_begin(struct http_ctx *ctx, const cJSON *query, const char *sql, int nids,
	 api_done_cb done)
{
	const char *params[3];
	char scale_text[16];
	const cJSON *scale;

	for (int i = 0; i < nids; i++)
		params[i] = ctx->args[i];
	scale = cJSON_GetObjectItemCaseSensitive(query, "scale");
	snprintf(scale_text, sizeof scale_text, "%d",
		 cJSON_IsNumber(scale) ? scale->valueint : QR_SCALE_DEFAULT);
	params[nids] = scale_text;
	api_query(ctx, sql, nids + 1, params, done);
}

static const char qr_registration_sql[] =
    "SELECT registration_qr_token($1), $2::int";
static const char qr_booth_sql[] = "SELECT booth_qr_token($1, $2), $3::int";

void
qr_registration_png(struct http_ctx *ctx, const cJSON *query)
{
	qr_begin(ctx, query, qr_registration_sql, 1, qr_png_reply);
}

void
qr_registration_svg(struct http_ctx *ctx, const cJSON *query)
{
	qr_begin(ctx, query, qr_registration_sql, 1, qr_svg_done);
}

void
qr_booth_png(struct http_ctx *ctx, const cJSON *query)
{
	qr_begin(ctx, query, qr_booth_sql, 2, qr_png_reply);
}

void
qr_booth_svg(struct http_ctx *ctx, const cJSON *query)
{
	qr_begin(ctx, query, qr_booth_sql, 2, qr_svg_done);
}
