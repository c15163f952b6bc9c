/*
 * SHA-256 as lowercase hex: what the database stores for tokens
 * (users.token_hash), migrations and the roster's token hashes.
 */
#ifndef JF_DIGEST_H
#define JF_DIGEST_H

#include <stddef.h>

#define DIGEST_SHA256_LEN     32
#define DIGEST_SHA256_HEX_LEN (2 * DIGEST_SHA256_LEN)

/* The SHA-256 of len bytes at data, as 64 hex digits and a NUL. */
void digest_sha256_hex(const void *data, size_t len,
		       char out[DIGEST_SHA256_HEX_LEN + 1]);

/* A digest already computed (the roster keeps them raw), as hex. */
void digest_hex(const unsigned char md[DIGEST_SHA256_LEN],
		char out[DIGEST_SHA256_HEX_LEN + 1]);

#endif
