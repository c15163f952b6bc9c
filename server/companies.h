/* Companies: what their rows (routes.c) need in C. */
#ifndef JF_COMPANIES_H
#define JF_COMPANIES_H

#include <cjson/cJSON.h>

/* Route check of GET /companies: ?q= also as its search key, "key". */
void companies_search_key(cJSON *query, cJSON *errors);

#endif
