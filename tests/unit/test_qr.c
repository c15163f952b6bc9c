/*
 * Unit tests for server/qr.c: the PNG and the SVG show exactly the
 * modules of the token's symbol at level M, with a quiet zone of four
 * modules, at every scale; bad scales are refused. (The integration test
 * decodes the served PNG with zbarimg.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "qr.h"

#include <png.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

static const char token[] = "JF1-R45ADRD3ELPJAVNKB4J6PRVZ2Q";

/* The reference symbol; dark(x, y) counts the quiet zone in. */
static QRcode *
symbol(QRecLevel level)
{
	QRcode *code = QRcode_encodeString(token, 0, level, QR_MODE_8, 1);

	assert_non_null(code);
	return code;
}

static bool
dark(const QRcode *code, int x, int y)
{
	x -= QR_QUIET_ZONE;
	y -= QR_QUIET_ZONE;
	return x >= 0 && y >= 0 && x < code->width && y < code->width &&
	       (code->data[y * code->width + x] & 1);
}

/* A token is all alphanumeric-mode characters: version 2 is enough. */
static void
test_symbol_is_small(void **state)
{
	QRcode *code = symbol(QR_ECLEVEL_M);

	(void)state;
	assert_int_equal(code->version, 2);
	assert_int_equal(code->width, 25);
	QRcode_free(code);
}

/* Fills grid[modules²] from the PNG, checking each module is one colour. */
static void
png_modules(const unsigned char *png, size_t len, int scale, int modules,
	    bool *grid)
{
	png_image image;
	unsigned char *pixels;

	memset(&image, 0, sizeof image);
	image.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_memory(&image, png, len));
	assert_int_equal(image.width, modules * scale);
	assert_int_equal(image.height, modules * scale);
	image.format = PNG_FORMAT_GRAY;
	pixels = malloc(PNG_IMAGE_SIZE(image));
	assert_true(png_image_finish_read(&image, NULL, pixels, 0, NULL));
	for (int y = 0; y < modules * scale; y++)
		for (int x = 0; x < modules * scale; x++) {
			unsigned char v = pixels[y * modules * scale + x];
			bool *g = &grid[(y / scale) * modules + x / scale];

			assert_true(v == 0 || v == 255);
			if (x % scale == 0 && y % scale == 0)
				*g = v == 0;
			else
				assert_int_equal(*g, v == 0);
		}
	free(pixels);
}

/* Fills grid from the SVG's path of "Mx yhNv1h-Nz" runs. */
static void
svg_modules(const char *svg, int scale, int modules, bool *grid)
{
	char head[256];
	const char *d;
	int x, y, n, m, used;

	snprintf(head, sizeof head,
		 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		 "height=\"%d\" viewBox=\"0 0 %d %d\"",
		 modules * scale, modules * scale, modules, modules);
	assert_memory_equal(svg, head, strlen(head));
	assert_string_equal(svg + strlen(svg) - 7, "</svg>\n");
	assert_non_null(strstr(svg, "fill=\"#fff\""));
	d = strstr(svg, " d=\"");
	assert_non_null(d);
	for (d += 4; *d == 'M'; d += used) {
		assert_int_equal(
		    sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &m, &used), 4);
		assert_int_equal(n, m);
		assert_true(n > 0 && x >= 0 && x + n <= modules && y >= 0 &&
			    y < modules);
		for (int i = 0; i < n; i++) {
			assert_false(grid[y * modules + x + i]);
			grid[y * modules + x + i] = true;
		}
	}
	assert_int_equal(*d, '"');
}

static int
differences(const QRcode *code, const bool *grid, int modules)
{
	int n = 0;

	for (int y = 0; y < modules; y++)
		for (int x = 0; x < modules; x++)
			n += dark(code, x, y) != grid[y * modules + x];
	return n;
}

static void
test_png(void **state)
{
	static const int scales[] = {1, 3, QR_SCALE_DEFAULT, QR_SCALE_MAX};
	QRcode *m = symbol(QR_ECLEVEL_M), *l = symbol(QR_ECLEVEL_L);
	int modules = m->width + 2 * QR_QUIET_ZONE;
	bool *grid = calloc(modules * modules, sizeof *grid);

	(void)state;
	for (size_t i = 0; i < sizeof scales / sizeof *scales; i++) {
		unsigned char *png = NULL;
		size_t len = 0;
		char *cause = NULL;

		assert_int_equal(
		    qr_png_new(token, scales[i], &png, &len, &cause), 0);
		assert_null(cause);
		assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
		png_modules(png, len, scales[i], modules, grid);
		assert_int_equal(differences(m, grid, modules), 0);
		/* The comparison tells level M from level L. */
		assert_true(differences(l, grid, modules) > 0);
		for (int k = 0; k < modules; k++) {
			/* Quiet zone: the first and last four rows, columns. */
			for (int q = 0; q < QR_QUIET_ZONE; q++) {
				assert_false(grid[q * modules + k]);
				assert_false(grid[k * modules + q]);
				assert_false(
				    grid[(modules - 1 - q) * modules + k]);
				assert_false(
				    grid[k * modules + modules - 1 - q]);
			}
		}
		free(png);
	}
	free(grid);
	QRcode_free(m);
	QRcode_free(l);
}

static void
test_svg(void **state)
{
	QRcode *m = symbol(QR_ECLEVEL_M);
	int modules = m->width + 2 * QR_QUIET_ZONE;

	(void)state;
	for (int scale = 1; scale <= QR_SCALE_MAX; scale += 7) {
		bool *grid = calloc(modules * modules, sizeof *grid);
		char *cause = NULL;
		char *svg = qr_svg_new(token, scale, &cause);

		assert_non_null(svg);
		svg_modules(svg, scale, modules, grid);
		assert_int_equal(differences(m, grid, modules), 0);
		free(svg);
		free(grid);
	}
	QRcode_free(m);
}

static void
test_bad_scale(void **state)
{
	static const int bad[] = {0, -1, QR_SCALE_MAX + 1};
	unsigned char *png = NULL;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *cause = NULL;

		assert_int_equal(qr_png_new(token, bad[i], &png, &len, &cause),
				 -1);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
		assert_null(qr_svg_new(token, bad[i], &cause));
		assert_non_null(cause);
		free(cause);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_symbol_is_small),
	    cmocka_unit_test(test_png),
	    cmocka_unit_test(test_svg),
	    cmocka_unit_test(test_bad_scale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
