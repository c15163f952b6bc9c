/*
 * An outbox row as an RFC 5322 message: UTF-8 headers as RFC 2047
 * encoded-words, the text as base64 text/plain; charset=UTF-8, and, with
 * a check-in code, a multipart/mixed with its QR code as a PNG. Pure
 * functions on their arguments, safe on any thread.
 */
#ifndef JF_MAIL_MESSAGE_H
#define JF_MAIL_MESSAGE_H

#include <stddef.h>
#include <time.h>

struct mail_message {
	const char *from_name;	  /* display name, UTF-8; NULL or "": none */
	const char *from_addr;	  /* checked with mail_address_check */
	const char *to;		  /* checked with mail_address_check */
	const char *subject;	  /* UTF-8, one line */
	const char *body;	  /* UTF-8, lines ending in LF or CRLF */
	const unsigned char *png; /* the QR code; NULL: no attachment */
	size_t png_len;
	const char *message_id; /* "<…@…>": the same for every attempt */
	time_t date;
};

/*
 * NULL when addr may go into an SMTP envelope and a header as it is
 * (validate_email's rule, ASCII only, none of <>()[],;:"\ or space);
 * otherwise why not, in English.
 */
const char *mail_address_check(const char *addr);

/*
 * Splits --mail-from, "addr" or "Display Name <addr>", into a new name
 * ("" when none) and a new address. -1 and *why when it is not one.
 */
int mail_from_parse(const char *from, char **name, char **addr,
		    const char **why);

/*
 * The whole message with CRLF line ends, NUL-terminated, *len its length
 * (caller frees). NULL and *why when an address does not pass
 * mail_address_check, the subject holds a control character (CR and LF:
 * no header injection), or a text is not valid UTF-8.
 */
char *mail_message_new(const struct mail_message *m, size_t *len,
		       const char **why);

#endif
