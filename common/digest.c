/* SHA-256 to hex, the one copy (see digest.h). */
#include "digest.h"

#include <openssl/sha.h>

_Static_assert(DIGEST_SHA256_LEN == SHA256_DIGEST_LENGTH,
	       "DIGEST_SHA256_LEN is OpenSSL's SHA-256 length");

void
digest_hex(const unsigned char md[DIGEST_SHA256_LEN],
	   char out[DIGEST_SHA256_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < DIGEST_SHA256_LEN; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 0xf];
	}
	out[DIGEST_SHA256_HEX_LEN] = '\0';
}

void
digest_sha256_hex(const void *data, size_t len,
		  char out[DIGEST_SHA256_HEX_LEN + 1])
{
	unsigned char md[DIGEST_SHA256_LEN];

	SHA256(data, len, md);
	digest_hex(md, out);
}
