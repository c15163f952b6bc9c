/* The check-in token parser: anything a scanner may type. */
#include "token.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char out[TOKEN_LEN + 1], again[TOKEN_LEN + 1];

	memcpy(s, data, size);
	s[size] = '\0';
	/* A parsed token is canonical: parsing it again changes nothing. */
	if (token_parse(s, out) &&
	    (!token_parse(out, again) || strcmp(out, again) != 0))
		abort();
	free(s);
	return 0;
}
