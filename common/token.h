/*
 * Check-in tokens: what a registration's QR code carries. "JF1-" and 26
 * characters of RFC 4648 base32 (128 bits from the OS's CSPRNG): only
 * QR alphanumeric-mode characters, so the code stays small, and a prefix
 * that tells our codes from any other a scanner might read.
 */
#ifndef JF_TOKEN_H
#define JF_TOKEN_H

#include <stdbool.h>

#define TOKEN_PREFIX "JF1-"
#define TOKEN_LEN    30 /* prefix + 26 */

/* A new token in out[TOKEN_LEN + 1]; -1 if the CSPRNG fails. */
int token_generate(char out[TOKEN_LEN + 1]);

/*
 * Normalises what a scanner typed (surrounding spaces, lower case) into
 * out[TOKEN_LEN + 1]; false if it is not one of our tokens.
 */
bool token_parse(const char *in, char out[TOKEN_LEN + 1]);

#endif
