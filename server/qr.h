/*
 * QR codes of check-in tokens, rendered in-process with libqrencode
 * (error correction M, a quiet zone of four modules) as PNG or SVG, and
 * the endpoints that serve a registration's or a booth's code.
 */
#ifndef JF_QR_H
#define JF_QR_H

#include "http.h"

#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <qrencode.h>

#include <stddef.h>

#define QR_QUIET_ZONE	 4
#define QR_SCALE_DEFAULT 8
#define QR_SCALE_MAX	 20

/* The code of `text` (free with QRcode_free), or NULL and *cause. */
QRcode *qr_code_new(const char *text, char **cause);
/* Module (x, y) counted with the quiet zone: dark or light. */
bool qr_dark(const QRcode *code, int x, int y);

/*
 * The code of `text` as an 8-bit grayscale PNG of `scale` (1 to
 * QR_SCALE_MAX) pixels per module, quiet zone included. The caller frees
 * *png.
 */
int qr_png_new(const char *text, int scale, unsigned char **png, size_t *len,
	       char **cause);

/* The same code as an SVG document, one unit per module; caller frees. */
char *qr_svg_new(const char *text, int scale, char **cause);

/* Replies with the PNG of a result's token (column 1) at its scale (2). */
void qr_png_reply(struct http_ctx *ctx, const PGresult *res);

/* GET /registrations/{id}/qr.png and qr.svg, `query` holding ?scale=. */
void qr_registration_png(struct http_ctx *ctx, const cJSON *query);
void qr_registration_svg(struct http_ctx *ctx, const cJSON *query);
/* GET /events/{id}/companies/{company_id}/qr.png and qr.svg. */
void qr_booth_png(struct http_ctx *ctx, const cJSON *query);
void qr_booth_svg(struct http_ctx *ctx, const cJSON *query);

#endif
