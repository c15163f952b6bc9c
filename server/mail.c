/*
 * A mail's way: claimed (mail_claim counts the attempt and leases the row
 * so no other jobfaird takes it), handed to a worker thread that writes
 * the message and talks SMTP with libcurl's easy interface (which blocks,
 * so never on the loop), then recorded on the loop (mail_sent, or
 * mail_failed with the backoff). The relay's acceptance is recorded at
 * once; only a crash between the two sends a mail twice (after the
 * lease), and its Message-ID is the same, so mail clients drop the copy.
 */
#include "mail.h"

#include "app.h"
#include "log.h"
#include "mail_message.h"
#include "pool.h"
#include "qr.h"
#include "worker.h"
#include "xmalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <event2/event.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#define MAIL_BATCH	     4	/* claimed at once; the thread sends in turn */
#define MAIL_CONNECT_TIMEOUT 10 /* seconds */
#define MAIL_LEASE_MARGIN    30 /* seconds beyond the sends' timeouts */
#define MAIL_QR_SCALE	     6	/* pixels a module: about 200 px square */
#define MAIL_RECORD_RETRY    2	/* seconds before recording again */
#define MAIL_PASSWORD_MAX    1024

static const char mail_claim_sql[] =
    "SELECT id, to_addr, subject, body, qr_token, created_epoch "
    "FROM mail_claim($1::int, $2::int)";
static const char mail_sent_sql[] = "SELECT mail_sent($1::bigint)";
static const char mail_failed_sql[] =
    "SELECT mail_failed($1::bigint, $2, $3::int, $4::int, $5::boolean)";
static const char mail_count_sql[] =
    "SELECT count(*) FROM mail_outbox "
    "WHERE sent_at IS NULL AND failed_at IS NULL";

struct mail_job {
	struct mailer *m;
	char *id, *to, *subject, *body, *qr_token;
	long long created;
	/* Written by the worker thread, read by the loop after. */
	bool ok, permanent;
	char error[CURL_ERROR_SIZE + 64];
	struct event *retry; /* recording again after a database error */
	TAILQ_ENTRY(mail_job) entry;
};

struct mailer {
	struct app *app;
	struct worker *worker; /* NULL: no relay, mail stays queued */
	/* Set at start, then only read (also by the worker thread). */
	char *url, *user, *password, *from_name, *from_addr, *domain;
	long use_ssl;
	long retry, attempts, timeout;
	struct event *tick;
	bool claiming, more, stopping, counting;
	atomic_bool abort; /* mail_free: the thread gives up its send */
	TAILQ_HEAD(, mail_job) jobs; /* claimed, not yet recorded */
	int njobs;
	struct mail_stats stats;
};

static void mail_wake(struct mailer *m);

static void
mail_job_free(struct mail_job *j)
{
	if (j->retry != NULL)
		event_free(j->retry);
	free(j->id);
	free(j->to);
	free(j->subject);
	free(j->body);
	free(j->qr_token);
	free(j);
}

static void
mail_job_forget(struct mail_job *j)
{
	struct mailer *m = j->m;

	TAILQ_REMOVE(&m->jobs, j, entry);
	m->njobs--;
	mail_job_free(j);
	if (m->more)
		mail_wake(m);
}

/* libcurl reads the message from here as the DATA. */
struct mail_cursor {
	const char *p;
	size_t left;
};

static size_t
mail_read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct mail_cursor *c = arg;
	size_t n = size * nitems < c->left ? size * nitems : c->left;

	memcpy(buf, c->p, n);
	c->p += n;
	c->left -= n;
	return n;
}

/* libcurl asks about once a second: a send under way stops at exit. */
static int
mail_progress_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
		 curl_off_t ultotal, curl_off_t ulnow)
{
	struct mailer *m = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(&m->abort) ? 1 : 0;
}

static void
mail_send(struct mail_job *j, const char *msg, size_t len)
{
	struct mailer *m = j->m;
	struct mail_cursor cursor = {msg, len};
	struct curl_slist *rcpt = NULL;
	char errbuf[CURL_ERROR_SIZE] = "", *addr;
	long code = 0;
	CURLcode rc;
	CURL *curl = curl_easy_init();

	if (curl == NULL) {
		snprintf(j->error, sizeof j->error, "cannot start libcurl");
		return;
	}
	xasprintf(&addr, "<%s>", j->to);
	rcpt = curl_slist_append(rcpt, addr);
	free(addr);
	xasprintf(&addr, "<%s>", m->from_addr);
	curl_easy_setopt(curl, CURLOPT_URL, m->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, mail_read_cb);
	curl_easy_setopt(curl, CURLOPT_READDATA, &cursor);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_USE_SSL, m->use_ssl);
	if (m->user != NULL) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, m->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, m->password);
	}
	/* A thread must not take signals for libcurl's timeouts. */
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, MAIL_CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, m->timeout);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, mail_progress_cb);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, m);
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK)
		j->ok = true;
	else {
		snprintf(j->error, sizeof j->error, "%s (SMTP %ld)",
			 errbuf[0] ? errbuf : curl_easy_strerror(rc), code);
		/* The relay refused the address itself: retrying won't help. */
		j->permanent = code >= 550 && code <= 553;
	}
	curl_slist_free_all(rcpt);
	free(addr);
	curl_easy_cleanup(curl);
}

/* On the worker thread: the message, then SMTP. */
static void
mail_run(void *arg)
{
	struct mail_job *j = arg;
	struct mailer *m = j->m;
	unsigned char *png = NULL;
	size_t png_len = 0, len;
	char *msg, *cause = NULL, *message_id;
	const char *why;

	if (j->qr_token != NULL && qr_png_new(j->qr_token, MAIL_QR_SCALE, &png,
					      &png_len, &cause) != 0) {
		snprintf(j->error, sizeof j->error, "QR code: %s", cause);
		j->permanent = true;
		free(cause);
		return;
	}
	/* The same for every attempt: a copy sent twice is known as one. */
	xasprintf(&message_id, "<jobfair.%s.%lld@%s>", j->id, j->created,
		  m->domain);
	msg = mail_message_new(&(struct mail_message){.from_name = m->from_name,
						      .from_addr = m->from_addr,
						      .to = j->to,
						      .subject = j->subject,
						      .body = j->body,
						      .png = png,
						      .png_len = png_len,
						      .message_id = message_id,
						      .date = time(NULL)},
			       &len, &why);
	free(message_id);
	free(png);
	if (msg == NULL) {
		snprintf(j->error, sizeof j->error, "cannot write: %s", why);
		j->permanent = true;
		return;
	}
	mail_send(j, msg, len);
	free(msg);
}

static void mail_record(struct mail_job *j);

static void
mail_record_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	mail_record(arg);
}

static void
mail_recorded_cb(const PGresult *res, const char *error, void *arg)
{
	struct mail_job *j = arg;
	struct mailer *m = j->m;
	struct timeval tv = {MAIL_RECORD_RETRY, 0};

	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *why = res ? PQresultErrorMessage(res) : error;

		if (m->stopping || res != NULL) {
			log_warn("mail %s: the result was not recorded (%s); "
				 "it is sent again after its lease",
				 j->id, why);
			mail_job_forget(j);
			return;
		}
		/* The database is away: keep the answer and say it later. */
		if (j->retry == NULL)
			j->retry =
			    evtimer_new(m->app->base, mail_record_retry_cb, j);
		evtimer_add(j->retry, &tv);
		return;
	}
	if (j->ok) {
		m->stats.sent++;
		log_info("mail %s sent", j->id);
	} else if (PQntuples(res) == 1 &&
		   strcmp(PQgetvalue(res, 0, 0), "failed") == 0) {
		m->stats.failed++;
		log_warn("mail %s: given up: %s", j->id, j->error);
	} else
		log_warn("mail %s: %s; tried again later", j->id, j->error);
	mail_job_forget(j);
}

static void
mail_record(struct mail_job *j)
{
	struct mailer *m = j->m;
	char retry[24], attempts[24];
	const char *params[5] = {j->id, j->error, retry, attempts,
				 j->permanent ? "true" : "false"};

	snprintf(retry, sizeof retry, "%ld", m->retry);
	snprintf(attempts, sizeof attempts, "%ld", m->attempts);
	if (pool_query(m->app->pool, POOL_LANE_DEFAULT,
		       j->ok ? mail_sent_sql : mail_failed_sql, j->ok ? 1 : 5,
		       params, mail_recorded_cb, j) != POOL_QUEUED)
		mail_recorded_cb(NULL, "the database is away", j);
}

/* On the loop: the worker's answer. */
static void
mail_done(void *arg)
{
	struct mail_job *j = arg;

	if (!j->ok)
		j->m->stats.errors++;
	mail_record(j);
}

/* Never run (worker_free at exit): its row is due again after the lease. */
static void
mail_drop(void *arg)
{
	struct mail_job *j = arg;

	TAILQ_REMOVE(&j->m->jobs, j, entry);
	j->m->njobs--;
	mail_job_free(j);
}

static char *
mail_value_new(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL
					  : xstrdup(PQgetvalue(res, row, col));
}

static void
mail_claimed_cb(const PGresult *res, const char *error, void *arg)
{
	struct mailer *m = arg;
	int n;

	m->claiming = false;
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_warn("mail: cannot claim the due mail: %s",
			 res ? PQresultErrorMessage(res) : error);
		return;
	}
	n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		struct mail_job *j = xcalloc(1, sizeof *j);

		j->m = m;
		j->id = mail_value_new(res, i, 0);
		j->to = mail_value_new(res, i, 1);
		j->subject = mail_value_new(res, i, 2);
		j->body = mail_value_new(res, i, 3);
		j->qr_token = mail_value_new(res, i, 4);
		j->created = strtoll(PQgetvalue(res, i, 5), NULL, 10);
		TAILQ_INSERT_TAIL(&m->jobs, j, entry);
		m->njobs++;
		/* Never refused: at most MAIL_BATCH are claimed at a time. */
		if (worker_submit(m->worker, j, mail_run, mail_done,
				  mail_drop) != 0) {
			snprintf(j->error, sizeof j->error, "sender busy");
			mail_done(j);
		}
	}
	/* Rows came (there may be more due) or a NOTIFY came meanwhile. */
	if (n > 0 || m->more)
		mail_wake(m);
}

/* Claims what is due, as many as the sender has room for. */
static void
mail_wake(struct mailer *m)
{
	char limit[16], lease[24];
	const char *params[2] = {limit, lease};

	if (m->worker == NULL || m->stopping)
		return;
	if (m->claiming || m->njobs >= MAIL_BATCH) {
		m->more = true;
		return;
	}
	m->more = false;
	snprintf(limit, sizeof limit, "%d", MAIL_BATCH - m->njobs);
	/* The last of a batch waits for the others: the lease covers all. */
	snprintf(lease, sizeof lease, "%ld",
		 MAIL_BATCH * m->timeout + MAIL_LEASE_MARGIN);
	if (pool_query(m->app->pool, POOL_LANE_DEFAULT, mail_claim_sql, 2,
		       params, mail_claimed_cb, m) == POOL_QUEUED)
		m->claiming = true;
}

static void
mail_counted_cb(const PGresult *res, const char *error, void *arg)
{
	struct mailer *m = arg;

	(void)error;
	m->counting = false;
	m->stats.queued = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK
			      ? strtol(PQgetvalue(res, 0, 0), NULL, 10)
			      : -1;
}

static void
mail_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mailer *m = arg;

	(void)fd;
	(void)what;
	mail_wake(m);
	if (!m->counting &&
	    pool_query(m->app->pool, POOL_LANE_DEFAULT, mail_count_sql, 0, NULL,
		       mail_counted_cb, m) == POOL_QUEUED)
		m->counting = true;
}

static void
mail_notify_cb(const char *channel, const char *payload, void *arg)
{
	(void)channel;
	(void)payload;
	mail_wake(arg);
}

/* The password file's first line; its text is never logged. */
static char *
mail_password_read(const char *path)
{
	char buf[MAIL_PASSWORD_MAX + 2];
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		fatalx("--smtp-password-file %s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (n > MAIL_PASSWORD_MAX || buf[0] == '\0')
		fatalx("--smtp-password-file %s: must hold one line of 1 to "
		       "%d bytes",
		       path, MAIL_PASSWORD_MAX);
	return xstrdup(buf);
}

/* The host of smtp[s]://host[:port][/…], to tell loopback from afar. */
static bool
mail_url_loopback(const char *url)
{
	const char *host = strstr(url, "://") + 3;

	return strncmp(host, "127.", 4) == 0 ||
	       strncmp(host, "localhost", 9) == 0 ||
	       strncmp(host, "[::1]", 5) == 0;
}

static void
mail_configure(struct mailer *m, const struct mail_settings *s)
{
	const char *why, *host;

	if (strncmp(s->url, "smtp://", 7) != 0 &&
	    strncmp(s->url, "smtps://", 8) != 0)
		fatalx("--smtp-url must start with smtp:// or smtps://");
	host = strstr(s->url, "://") + 3;
	/* Credentials in a URL end up in logs and ps: only the settings. */
	if (memchr(host, '@', strcspn(host, "/")) != NULL)
		fatalx("--smtp-url must not hold a user or password: use "
		       "--smtp-user and --smtp-password-file");
	if (s->from == NULL)
		fatalx("--mail-from is required with --smtp-url");
	if (mail_from_parse(s->from, &m->from_name, &m->from_addr, &why) != 0)
		fatalx("--mail-from %s", why);
	m->domain = xstrdup(strchr(m->from_addr, '@') + 1);
	m->url = xstrdup(s->url);
	if (s->user != NULL) {
		if (s->password_file == NULL)
			fatalx("--smtp-user needs --smtp-password-file");
		m->user = xstrdup(s->user);
		m->password = mail_password_read(s->password_file);
	}
	/*
	 * smtps:// is TLS from the start. On smtp:// STARTTLS is used when
	 * offered, and required when a password would otherwise cross the
	 * network in the clear (a relay on this machine may go without).
	 */
	m->use_ssl = m->user != NULL && !mail_url_loopback(s->url)
			 ? CURLUSESSL_ALL
			 : CURLUSESSL_TRY;
}

struct mailer *
mail_new(struct app *app, const struct mail_settings *s)
{
	struct mailer *m = xcalloc(1, sizeof *m);
	long every = s->retry / 2;
	struct timeval tv = {every < 1 ? 1 : every > 30 ? 30 : every, 0};

	m->app = app;
	m->retry = s->retry;
	m->attempts = s->attempts;
	m->timeout = s->timeout;
	m->stats.queued = -1;
	TAILQ_INIT(&m->jobs);
	m->tick = event_new(app->base, -1, EV_PERSIST, mail_tick_cb, m);
	event_add(m->tick, &tv);
	if (s->url == NULL) {
		if (s->user != NULL || s->password_file != NULL)
			fatalx("--smtp-user and --smtp-password-file need "
			       "--smtp-url");
		log_warn("no --smtp-url: mail stays queued, unsent");
		return m;
	}
	mail_configure(m, s);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatalx("cannot start libcurl");
	/* One thread: a relay takes mail in turn, and a slow one waits. */
	m->worker = worker_new(app->base, 1, MAIL_BATCH);
	pool_listen(app->pool, "jobfair_mail", mail_notify_cb, m);
	log_info("mail through %s, from %s (first retry after %ld s, %ld "
		 "attempts)",
		 m->url, m->from_addr, m->retry, m->attempts);
	mail_wake(m);
	return m;
}

void
mail_stop(struct mailer *m)
{
	m->stopping = true;
}

int
mail_busy(const struct mailer *m)
{
	return m->njobs;
}

void
mail_get_stats(const struct mailer *m, struct mail_stats *out)
{
	*out = m->stats;
}

void
mail_free(struct mailer *m)
{
	struct mail_job *j;

	if (m == NULL)
		return;
	m->stopping = true;
	/* The drain is over: a send still under way is abandoned (the relay
	 * drops a message whose DATA did not end; it is due after its lease).
	 */
	atomic_store(&m->abort, true);
	if (m->worker != NULL) {
		worker_free(m->worker);
		curl_global_cleanup();
	}
	/* Answers that never reached the database: due after the lease. */
	while ((j = TAILQ_FIRST(&m->jobs)) != NULL) {
		TAILQ_REMOVE(&m->jobs, j, entry);
		mail_job_free(j);
	}
	event_free(m->tick);
	if (m->password != NULL)
		explicit_bzero(m->password, strlen(m->password));
	free(m->password);
	free(m->url);
	free(m->user);
	free(m->from_name);
	free(m->from_addr);
	free(m->domain);
	free(m);
}
