/*
 * /api/v1/companies. Numbers arrive in whatever width an IME produced and
 * are stored normalised (NFKC digits, katakana kana); names are stored as
 * entered, with an NFKC search key kept by the database.
 */
#include "companies.h"

#include "bodies.h"
#include "request.h"
#include "text.h"

#include <stdlib.h>

static const struct input_field companies_filters[] = {
    {"q", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    REQUEST_PAGE_FIELDS,
};

void
companies_create(struct http_ctx *ctx)
{
	request_create(ctx, bodies_company, REQUEST_NFIELDS(bodies_company),
		       "SELECT api_company_create($1, $2::jsonb)");
}

void
companies_list(struct http_ctx *ctx)
{
	cJSON *q = request_query_new(ctx, companies_filters,
				     REQUEST_NFIELDS(companies_filters));
	const cJSON *text;

	if (q == NULL)
		return;
	/* The same key the kana were stored under: hiragana finds katakana. */
	text = cJSON_GetObjectItemCaseSensitive(q, "q");
	if (cJSON_IsString(text)) {
		char *key = text_search_key_new(text->valuestring);

		cJSON_AddStringToObject(q, "key", key);
		free(key);
	}
	request_api_json(ctx, 200, "SELECT api_companies_list($1::jsonb)", 0,
			 NULL, q);
	cJSON_Delete(q);
}

void
companies_show(struct http_ctx *ctx)
{
	request_show(ctx,
		     "SELECT company_json(c) FROM companies c WHERE c.id = $1");
}

void
companies_update(struct http_ctx *ctx)
{
	request_update(ctx, bodies_company, REQUEST_NFIELDS(bodies_company),
		       "SELECT api_company_update($1, $2, $3::jsonb)");
}
