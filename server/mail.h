/*
 * The sender of the mail outbox (table mail_outbox, queued by SQL's
 * mail_enqueue). The loop claims due rows through the pool, a worker
 * thread hands each to the SMTP relay with libcurl, and the loop records
 * the answer: sent, or the error and the next attempt (backing off), or
 * given up. Woken by NOTIFY jobfair_mail and by a timer for retries.
 */
#ifndef JF_MAIL_H
#define JF_MAIL_H

struct app;
struct mailer;

struct mail_settings {
	const char *url;  /* smtp://host:port or smtps://…; NULL: none */
	const char *user; /* NULL: no AUTH */
	const char *password_file; /* read once, here */
	const char *from;	   /* "Name <addr>" or "addr" */
	long retry;		   /* seconds before the first retry */
	long attempts;		   /* attempts before giving up */
	long timeout;		   /* seconds one message may take */
};

/* Exits with a message naming the setting when one is wrong. */
struct mailer *mail_new(struct app *app, const struct mail_settings *s);
/* At shutdown: claim nothing more; sends under way still finish. */
void mail_stop(struct mailer *m);
/* Mails claimed and not yet recorded: the drain waits for them. */
int mail_busy(const struct mailer *m);
void mail_free(struct mailer *m);

/* For /metrics: counted by this process, `queued` from the last count. */
struct mail_stats {
	long queued; /* waiting in the outbox, all senders; -1: not known */
	unsigned long sent, failed, errors;
};
void mail_get_stats(const struct mailer *m, struct mail_stats *out);

#endif
