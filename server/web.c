/*
 * Static files from memory. Each file is kept as it is and gzip-compressed
 * (zlib, best compression, once at start); the ETag is the SHA-256 of the
 * bytes, with "-gz" for the compressed form so that the two
 * representations never share a strong validator.
 */
#include "web.h"

#include "app.h"
#include "digest.h"
#include "log.h"
#include "xmalloc.h"

#include <dirent.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

#define WEB_MAX_FILES 512
#define WEB_MAX_FILE  (8 * 1024 * 1024)
#define WEB_MAX_DEPTH 8

struct web_file {
	char *path; /* "/events.html" */
	const char *type;
	unsigned char *data, *gz;
	size_t len, gzlen;
	char etag[24], gzetag[27];
};

struct web {
	struct web_file files[WEB_MAX_FILES];
	int n;
};

static const struct {
	const char *ext;
	const char *type;
} web_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".woff2", "font/woff2"},
};

/* The pages hold no inline script or style; everything is same-origin. */
static const struct {
	const char *name, *value;
} web_headers[] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src "
     "'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action "
     "'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
    {"Cache-Control", "no-cache"},
    {"Vary", "Accept-Encoding"},
};

const char *
web_default_dir(void)
{
	struct stat st;

	if (stat(JOBFAIR_SOURCE_WEB, &st) == 0 && S_ISDIR(st.st_mode))
		return JOBFAIR_SOURCE_WEB;
	return JOBFAIR_INSTALLED_WEB;
}

static const char *
web_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof web_types / sizeof *web_types; i++)
		if (strcmp(dot, web_types[i].ext) == 0)
			return web_types[i].type;
	return "application/octet-stream";
}

/* A strong ETag: the first 80 bits of the file's SHA-256, quoted. */
static void
web_etag(const unsigned char *data, size_t len, char out[24])
{
	char hex[DIGEST_SHA256_HEX_LEN + 1];

	digest_sha256_hex(data, len, hex);
	snprintf(out, 24, "\"%.20s\"", hex);
}

static int
web_gzip(struct web_file *f, char **cause)
{
	z_stream z = {0};
	uLong bound;
	int rc;

	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		xasprintf(cause, "zlib cannot start");
		return -1;
	}
	bound = deflateBound(&z, f->len) + 32;
	f->gz = xmalloc(bound);
	z.next_in = f->data;
	z.avail_in = f->len;
	z.next_out = f->gz;
	z.avail_out = bound;
	rc = deflate(&z, Z_FINISH);
	f->gzlen = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		xasprintf(cause, "cannot compress %s", f->path);
		return -1;
	}
	return 0;
}

static int
web_load_file(struct web *w, const char *file, const char *path, char **cause)
{
	struct web_file *f;
	FILE *fp;
	struct stat st;

	if (w->n == WEB_MAX_FILES) {
		xasprintf(cause, "more than %d web files", WEB_MAX_FILES);
		return -1;
	}
	if ((fp = fopen(file, "rb")) == NULL || fstat(fileno(fp), &st) != 0) {
		xasprintf(cause, "cannot read %s", file);
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	if (st.st_size > WEB_MAX_FILE) {
		xasprintf(cause, "%s is larger than %d bytes", file,
			  WEB_MAX_FILE);
		fclose(fp);
		return -1;
	}
	f = &w->files[w->n++];
	f->path = xstrdup(path);
	f->type = web_type(path);
	f->len = st.st_size;
	f->data = xmalloc(f->len + 1);
	if (fread(f->data, 1, f->len, fp) != f->len) {
		xasprintf(cause, "cannot read %s", file);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	web_etag(f->data, f->len, f->etag);
	memcpy(f->gzetag, f->etag, 21);
	memcpy(f->gzetag + 21, "-gz\"", 5);
	return web_gzip(f, cause);
}

/* Hidden files (.git, editor swap files) are not served. */
static int
web_load_dir(struct web *w, const char *dir, const char *prefix, int depth,
	     char **cause)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (d == NULL) {
		xasprintf(cause, "cannot open %s", dir);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *file, *path;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		xasprintf(&file, "%s/%s", dir, de->d_name);
		xasprintf(&path, "%s/%s", prefix, de->d_name);
		if (stat(file, &st) != 0)
			rc = 0; /* a dangling link: nothing to serve */
		else if (S_ISDIR(st.st_mode) && depth < WEB_MAX_DEPTH)
			rc = web_load_dir(w, file, path, depth + 1, cause);
		else if (S_ISREG(st.st_mode))
			rc = web_load_file(w, file, path, cause);
		free(file);
		free(path);
	}
	closedir(d);
	return rc;
}

struct web *
web_new(const char *dir, char **cause)
{
	struct web *w = xcalloc(1, sizeof *w);
	struct stat st;

	if (stat(dir, &st) != 0) {
		log_warn("no web directory %s: the back office pages are not "
			 "served",
			 dir);
		return w;
	}
	if (web_load_dir(w, dir, "", 0, cause) != 0) {
		web_free(w);
		return NULL;
	}
	return w;
}

void
web_free(struct web *w)
{
	if (w == NULL)
		return;
	for (int i = 0; i < w->n; i++) {
		free(w->files[i].path);
		free(w->files[i].data);
		free(w->files[i].gz);
	}
	free(w);
}

int
web_count(const struct web *w)
{
	return w->n;
}

/* Whether the Accept-Encoding list names gzip with a non-zero q. */
static bool
web_accepts_gzip(const char *accept)
{
	const char *p = accept;

	while (p != NULL && *p != '\0') {
		size_t n, name;
		const char *q;

		p += strspn(p, " \t,");
		n = strcspn(p, ",");
		name = strcspn(p, " \t;,");
		if (name == 4 && strncasecmp(p, "gzip", 4) == 0) {
			q = memmem(p, n, "q=", 2);
			return q == NULL || strtod(q + 2, NULL) > 0;
		}
		p += n;
	}
	return false;
}

/* If-None-Match names this ETag (or is "*"). */
static bool
web_not_modified(const char *inm, const char *etag)
{
	if (inm == NULL)
		return false;
	return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
}

bool
web_serve(struct http_ctx *ctx)
{
	const struct web *w = ctx->app->web;
	const char *path =
	    strcmp(ctx->path, "/") == 0 ? "/index.html" : ctx->path;
	const struct web_file *f = NULL;
	bool gz;
	const char *etag;

	for (int i = 0; w != NULL && i < w->n && f == NULL; i++)
		if (strcmp(w->files[i].path, path) == 0)
			f = &w->files[i];
	if (f == NULL)
		return false;
	if (evhttp_request_get_command(ctx->req) != EVHTTP_REQ_GET &&
	    evhttp_request_get_command(ctx->req) != EVHTTP_REQ_HEAD) {
		http_add_header(ctx, "Allow", "GET, HEAD");
		http_reply_error(ctx, 405, "method not allowed");
		return true;
	}
	gz = web_accepts_gzip(http_header(ctx, "Accept-Encoding"));
	etag = gz ? f->gzetag : f->etag;
	for (size_t i = 0; i < sizeof web_headers / sizeof *web_headers; i++)
		http_add_header(ctx, web_headers[i].name, web_headers[i].value);
	http_add_header(ctx, "ETag", etag);
	if (web_not_modified(http_header(ctx, "If-None-Match"), etag)) {
		http_reply_raw(ctx, 304, NULL, 0);
		return true;
	}
	http_add_header(ctx, "Content-Type", f->type);
	if (gz) {
		http_add_header(ctx, "Content-Encoding", "gzip");
		http_reply_raw(ctx, 200, f->gz, f->gzlen);
	} else
		http_reply_raw(ctx, 200, f->data, f->len);
	return true;
}
