/*
 * The public application pages (申込フォーム) as plain HTML, drawn by the
 * server: they work without JavaScript (a form that posts and gets a
 * page back). Japanese first, English on request; every word the public
 * sees is in the one table of public_page.c. Pure functions of the
 * database's JSON (migrations/sql/public_forms.sql), so tests can call them.
 */
#ifndef JF_PUBLIC_PAGE_H
#define JF_PUBLIC_PAGE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

enum public_lang { PUBLIC_JA, PUBLIC_EN };

/*
 * The companies' openings (求人): rows drawn without script, and the most
 * a form may send (apply.js adds rows up to it). A row's fields are named
 * "o2_title" and so on, after bodies_opening's fields.
 */
#define PUBLIC_OPENING_ROWS	3
#define PUBLIC_OPENING_ROWS_MAX 10

/* The page-level messages (an error summary's head, a whole page). */
enum public_notice {
	PUBLIC_NOTICE_NONE,
	PUBLIC_NOTICE_FIELDS,  /* 入力内容を確認してください */
	PUBLIC_NOTICE_EXPIRED, /* the form's token: send again */
	PUBLIC_NOTICE_FULL,    /* 定員に達しました */
	PUBLIC_NOTICE_CLOSED,  /* 受付を終了しました */
	PUBLIC_NOTICE_PURPOSE, /* the purpose statement changed */
	PUBLIC_NOTICE_NOT_FOUND,
	PUBLIC_NOTICE_BUSY,	 /* 503 */
	PUBLIC_NOTICE_RATE,	 /* 429: %d seconds */
	PUBLIC_NOTICE_FORBIDDEN, /* another site's form */
	PUBLIC_NOTICE_TOO_LARGE,
};

/* What the form holds when it is drawn again: as typed, and why not. */
struct public_form {
	const cJSON *values; /* {"name": "…", "categories": ["…"], …} */
	const cJSON *errors; /* {"name": true, …}: the fields to fix */
	enum public_notice notice;
	const char *csrf;
};

/* GET /apply: `events` is public_events()'s array. */
char *public_page_index_new(enum public_lang lang, const cJSON *events);
/* The event, its form unless it is closed or full. */
char *public_page_event_new(enum public_lang lang, const cJSON *event,
			    const struct public_form *form);
/* The companies' form for the event (public_event()'s object). */
char *public_page_company_new(enum public_lang lang, const cJSON *event,
			      const struct public_form *form);
/* A company's application was received: the city will answer by mail. */
char *public_page_company_received_new(enum public_lang lang,
				       const cJSON *event);
/* The confirmation: public_receipt()'s object and the receipt's secret. */
char *public_page_receipt_new(enum public_lang lang, const cJSON *receipt,
			      const char *secret);
/*
 * The cancellation: public_cancel_state() or public_cancel()'s object
 * ("ready" asks, with the form; "cancelled", "used", "expired" say so).
 */
char *public_page_cancel_new(enum public_lang lang, const cJSON *state,
			     const char *secret, const char *csrf);
/* A page that only says something (errors, the rate limit). */
char *public_page_notice_new(enum public_lang lang, enum public_notice notice,
			     int seconds);

#endif
