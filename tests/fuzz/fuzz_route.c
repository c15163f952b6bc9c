/*
 * Request paths and query strings: the route matcher and evhttp's query
 * parser, which every request meets before any handler.
 */
#include "routes.h"

#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int methods[] = {EVHTTP_REQ_GET, EVHTTP_REQ_POST,
				      EVHTTP_REQ_PATCH, EVHTTP_REQ_DELETE};
	char *s = malloc(size + 1), *q;
	const char *args[HTTP_MAX_ARGS];
	struct evkeyvalq params;
	bool known;

	memcpy(s, data, size);
	s[size] = '\0';
	q = strchr(s, '?');
	if (q != NULL) {
		*q++ = '\0';
		TAILQ_INIT(&params);
		if (evhttp_parse_query_str(q, &params) == 0)
			evhttp_clear_headers(&params);
	}
	routes_match(methods[size % 4], s, args, &known);
	free(s);
	return 0;
}
