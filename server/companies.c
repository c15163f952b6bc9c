/*
 * Companies. Numbers arrive in whatever width an IME produced and are
 * stored normalised (NFKC digits, katakana kana); names are stored as
 * entered, with an NFKC search key kept by the database. Their rows are
 * in routes.c.
 */
#include "companies.h"

#include "text.h"

#include <stdlib.h>

void
companies_search_key(cJSON *query, cJSON *errors)
{
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(query, "q");

	(void)errors;
	/* The same key the kana were stored under: hiragana finds katakana. */
	if (cJSON_IsString(text)) {
		char *key = text_search_key_new(text->valuestring);

		cJSON_AddStringToObject(query, "key", key);
		free(key);
	}
}
