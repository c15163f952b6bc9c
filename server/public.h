/*
 * The public application forms (申込フォーム): job seekers apply for an
 * event an organizer has opened, get a confirmation with their QR code
 * and 受付票, and may cancel once with a private link; companies apply
 * for a booth, which an organizer then confirms or declines. Plain HTML pages
 * (public_page.h) under /apply/, reachable on their own listener
 * (--public-listen) and never reaching anything staff-only. Guarded by a
 * per-form CSRF token bound to a cookie, the Origin check, a rate limit
 * per address, a honeypot and size limits; no personal data in URLs or
 * logs (the receipts' secrets are logged as the route's pattern).
 */
#ifndef JF_PUBLIC_H
#define JF_PUBLIC_H

#include "http.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

/* The body of an application: a form is a few kilobytes at most. */
#define PUBLIC_BODY_LIMIT (16 * 1024)

struct public_settings {
	const char *base_url; /* the links in mails: "https://apply.city.jp" */
	long rate;	      /* applications per address and minute */
};

/* Once at start: the settings and a new key for the forms' tokens. */
void public_configure(const struct public_settings *settings);

/* A web file the public door serves too (its stylesheet and script). */
bool public_file(const char *path);

/* GET /apply */
void public_index(struct http_ctx *ctx, const cJSON *input);
/* GET and POST /apply/events/{id} */
void public_event_page(struct http_ctx *ctx, const cJSON *input);
void public_apply(struct http_ctx *ctx, const cJSON *input);
/*
 * GET and POST /apply/events/{id}/company: a company applies for a booth
 * (status 'applied'); GET …/company/received says it was received.
 */
void public_company_page(struct http_ctx *ctx, const cJSON *input);
void public_company_apply(struct http_ctx *ctx, const cJSON *input);
void public_company_received(struct http_ctx *ctx, const cJSON *input);
/* GET /apply/receipt/{secret}, its qr.png and slip.pdf */
void public_receipt_page(struct http_ctx *ctx, const cJSON *input);
void public_receipt_qr(struct http_ctx *ctx, const cJSON *input);
void public_receipt_slip(struct http_ctx *ctx, const cJSON *input);
/* GET and POST /apply/cancel/{secret} */
void public_cancel_page(struct http_ctx *ctx, const cJSON *input);
void public_cancel(struct http_ctx *ctx, const cJSON *input);

#endif
