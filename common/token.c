/* Check-in tokens: 128 random bits as prefixed base32. */
#include "token.h"

#include <ctype.h>
#include <string.h>
#include <sys/random.h>

static const char token_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int
token_generate(char out[TOKEN_LEN + 1])
{
	unsigned char raw[17] = {0}; /* 16 random bytes, one of padding */
	size_t prefix = strlen(TOKEN_PREFIX);

	if (getrandom(raw, 16, 0) != 16)
		return -1;
	memcpy(out, TOKEN_PREFIX, prefix);
	/* 26 groups of 5 bits cover the 128 bits (the last group has 3). */
	for (int i = 0; i < 26; i++) {
		int bit = i * 5, byte = bit / 8, shift = bit % 8;
		unsigned v =
		    ((unsigned)raw[byte] << 8 | raw[byte + 1]) >> (11 - shift);

		out[prefix + i] = token_alphabet[v & 31];
	}
	out[TOKEN_LEN] = '\0';
	return 0;
}

bool
token_parse(const char *in, char out[TOKEN_LEN + 1])
{
	size_t len, prefix = strlen(TOKEN_PREFIX);

	if (in == NULL)
		return false;
	while (isspace((unsigned char)*in))
		in++;
	len = strlen(in);
	while (len > 0 && isspace((unsigned char)in[len - 1]))
		len--;
	if (len != TOKEN_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		out[i] = (char)toupper((unsigned char)in[i]);
	out[len] = '\0';
	if (strncmp(out, TOKEN_PREFIX, prefix) != 0)
		return false;
	for (size_t i = prefix; i < len; i++)
		if (strchr(token_alphabet, out[i]) == NULL || out[i] == '\0')
			return false;
	return true;
}
