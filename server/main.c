/*
 * jobfaird: the job-fair server. `jobfaird [serve]` runs the API,
 * `jobfaird migrate` applies migrations, `jobfaird user …` manages
 * users. All settings are in the one table below.
 */
#include "app.h"
#include "auth.h"
#include "checkin.h"
#include "config.h"
#include "http.h"
#include "log.h"
#include "mail.h"
#include "metrics.h"
#include "migrate.h"
#include "pool.h"
#include "proxy.h"
#include "public.h"
#include "pwhash.h"
#include "render.h"
#include "replica.h"
#include "sdnotify.h"
#include "session.h"
#include "stats.h"
#include "usercmd.h"
#include "web.h"
#include "worker.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *opt_listen, *opt_database, *opt_pool_size, *opt_queue,
    *opt_migrations, *opt_no_migrate, *opt_log_format, *opt_shutdown, *opt_role,
    *opt_help, *opt_user_max, *opt_pool_eventday, *opt_pool_reads,
    *opt_read_timeout, *opt_stream_lifetime, *opt_web_dir, *opt_session_idle,
    *opt_trusted_proxies, *opt_secure_cookies, *opt_password_stdin,
    *opt_lookup_rate, *opt_public_listen, *opt_public_url, *opt_apply_rate;
/* The mail's relay (see mail.h). */
static const char *opt_smtp_url, *opt_smtp_user, *opt_smtp_password_file,
    *opt_mail_from, *opt_mail_retry, *opt_mail_attempts, *opt_mail_timeout;
static long mail_retry, mail_attempts, mail_timeout;
/* Production settings: a separate owner role for migrations, a replica. */
static const char *opt_migrate_database, *opt_replica, *opt_replica_lag;
static long replica_max_lag;
/* -1: not set, so derived from the pool's size in serve(). */
static long pool_size = -1, queue_max, shutdown_seconds, user_max,
	    pool_eventday = -1, pool_reads = -1, read_timeout, stream_lifetime,
	    session_idle, lookup_rate, apply_rate;

static const char *const log_formats[] = {"text", "json", NULL};

/* Checked whole at start: a bad value stops jobfaird, naming it. */
static const struct config_entry settings[] = {
    {.flag = "listen",
     .env = "JOBFAIR_LISTEN",
     .def = "127.0.0.1:8080",
     .help = "address to listen on",
     .value = &opt_listen},
    {.flag = "database-url",
     .env = "JOBFAIR_DATABASE_URL",
     .help = "PostgreSQL URI or conninfo (required)",
     .value = &opt_database},
    {.flag = "migrate-database-url",
     .env = "JOBFAIR_MIGRATE_DATABASE_URL",
     .help = "the owner role's URL for migrations, when the application's "
	     "role may not change the schema (default: --database-url)",
     .value = &opt_migrate_database},
    {.flag = "replica-database-url",
     .env = "JOBFAIR_REPLICA_DATABASE_URL",
     .help = "a streaming replica for reports and lists (default: none)",
     .value = &opt_replica},
    {.flag = "replica-max-lag",
     .env = "JOBFAIR_REPLICA_MAX_LAG",
     .def = "5",
     .help = "seconds the replica may lag before reads go to the primary",
     .value = &opt_replica_lag,
     .type = CONFIG_INT,
     .min = 0,
     .max = 3600,
     .number = &replica_max_lag},
    {.flag = "pool-size",
     .env = "JOBFAIR_POOL_SIZE",
     .help = "database connections; default two per online CPU, 2 to 16",
     .value = &opt_pool_size,
     .type = CONFIG_INT,
     .min = 1,
     .max = 512,
     .number = &pool_size},
    {.flag = "queue-max",
     .env = "JOBFAIR_QUEUE_MAX",
     .def = "1024",
     .help = "queries waiting for a connection before answering 503",
     .value = &opt_queue,
     .type = CONFIG_INT,
     .min = 1,
     .max = 1000000,
     .number = &queue_max},
    {.flag = "migrations",
     .env = "JOBFAIR_MIGRATIONS",
     .help = "migrations directory (default: source tree, else installed)",
     .value = &opt_migrations},
    {.flag = "no-migrate",
     .help = "do not apply migrations at start",
     .is_switch = true,
     .value = &opt_no_migrate},
    {.flag = "log-format",
     .env = "JOBFAIR_LOG_FORMAT",
     .def = "text",
     .help = "text or json",
     .value = &opt_log_format,
     .type = CONFIG_CHOICE,
     .choices = log_formats},
    {.flag = "shutdown-timeout",
     .env = "JOBFAIR_SHUTDOWN_TIMEOUT",
     .def = "10",
     .help = "seconds to finish in-flight requests on SIGTERM",
     .value = &opt_shutdown,
     .type = CONFIG_INT,
     .min = 0,
     .max = 3600,
     .number = &shutdown_seconds},
    {.flag = "user-max-requests",
     .env = "JOBFAIR_USER_MAX_REQUESTS",
     .def = "32",
     .help = "requests one user may have in flight before answering 429",
     .value = &opt_user_max,
     .type = CONFIG_INT,
     .min = 1,
     .max = 1000000,
     .number = &user_max},
    {.flag = "pool-eventday",
     .env = "JOBFAIR_POOL_EVENTDAY",
     .help = "connections kept for event-day writes (check-ins, walk-ins, "
	     "interviews); default a quarter of the pool, at least one",
     .value = &opt_pool_eventday,
     .type = CONFIG_INT,
     .min = 0,
     .max = 511,
     .number = &pool_eventday},
    {.flag = "pool-reads",
     .env = "JOBFAIR_POOL_READS",
     .help = "reads (reports, lists, rosters) run at once; default a "
	     "quarter of the pool, at least one",
     .value = &opt_pool_reads,
     .type = CONFIG_INT,
     .min = 1,
     .max = 512,
     .number = &pool_reads},
    {.flag = "read-timeout",
     .env = "JOBFAIR_READ_TIMEOUT",
     .def = "30",
     .help = "seconds a read (report, list, roster) may run; 0: no limit",
     .value = &opt_read_timeout,
     .type = CONFIG_INT,
     .min = 0,
     .max = 86400,
     .number = &read_timeout},
    {.flag = "stream-lifetime",
     .env = "JOBFAIR_STREAM_LIFETIME",
     .def = "3600",
     .help = "seconds a live stream lasts before the client reconnects",
     .value = &opt_stream_lifetime,
     .type = CONFIG_INT,
     .min = 1,
     .max = 86400,
     .number = &stream_lifetime},
    {.flag = "lookup-rate",
     .env = "JOBFAIR_LOOKUP_RATE",
     .def = "30",
     .help = "lookups and check-ins by id per user and minute (429 beyond)",
     .value = &opt_lookup_rate,
     .type = CONFIG_INT,
     .min = 1,
     .max = 100000,
     .number = &lookup_rate},
    {.flag = "public-listen",
     .env = "JOBFAIR_PUBLIC_LISTEN",
     .help = "a second address serving only the public application "
	     "forms (/apply/), e.g. for the internet (default: none; the "
	     "forms are on --listen under /apply/)",
     .value = &opt_public_listen},
    {.flag = "public-url",
     .env = "JOBFAIR_PUBLIC_URL",
     .help = "the forms' address as the public reaches it, for the links "
	     "in mails (default: http:// and the public or main address)",
     .value = &opt_public_url},
    {.flag = "apply-rate",
     .env = "JOBFAIR_APPLY_RATE",
     .def = "30",
     .help = "applications per client address and minute (429 beyond)",
     .value = &opt_apply_rate,
     .type = CONFIG_INT,
     .min = 1,
     .max = 100000,
     .number = &apply_rate},
    {.flag = "web-dir",
     .env = "JOBFAIR_WEB_DIR",
     .help = "back office files (default: source tree, else installed)",
     .value = &opt_web_dir},
    {.flag = "session-idle",
     .env = "JOBFAIR_SESSION_IDLE",
     .def = "43200",
     .help = "seconds a browser session lasts unused (a whole event day)",
     .value = &opt_session_idle,
     .type = CONFIG_INT,
     .min = 60,
     .max = 30L * 24 * 3600,
     .number = &session_idle},
    {.flag = "trusted-proxies",
     .env = "JOBFAIR_TRUSTED_PROXIES",
     .help = "reverse proxies whose X-Forwarded-For/-Proto are believed: "
	     "addresses or address/prefix, comma separated",
     .value = &opt_trusted_proxies},
    {.flag = "secure-cookies",
     .env = "JOBFAIR_SECURE_COOKIES",
     .help = "mark session cookies Secure (served over TLS)",
     .is_switch = true,
     .value = &opt_secure_cookies},
    {.flag = "smtp-url",
     .env = "JOBFAIR_SMTP_URL",
     .help = "the mail relay, smtp://host:port or smtps://host:port "
	     "(default: none, mail stays queued)",
     .value = &opt_smtp_url},
    {.flag = "smtp-user",
     .env = "JOBFAIR_SMTP_USER",
     .help = "user name for the relay's AUTH (default: none)",
     .value = &opt_smtp_user},
    {.flag = "smtp-password-file",
     .env = "JOBFAIR_SMTP_PASSWORD_FILE",
     .help = "file whose first line is the relay's password (read at start)",
     .value = &opt_smtp_password_file},
    {.flag = "mail-from",
     .env = "JOBFAIR_MAIL_FROM",
     .help = "the sender, \"Name <address>\" or an address",
     .value = &opt_mail_from},
    {.flag = "mail-retry",
     .env = "JOBFAIR_MAIL_RETRY",
     .def = "60",
     .help = "seconds before a mail the relay did not take is tried again "
	     "(doubled each time, at most 6 hours)",
     .value = &opt_mail_retry,
     .type = CONFIG_INT,
     .min = 1,
     .max = 21600,
     .number = &mail_retry},
    {.flag = "mail-attempts",
     .env = "JOBFAIR_MAIL_ATTEMPTS",
     .def = "10",
     .help = "attempts before a mail is given up",
     .value = &opt_mail_attempts,
     .type = CONFIG_INT,
     .min = 1,
     .max = 100,
     .number = &mail_attempts},
    {.flag = "mail-timeout",
     .env = "JOBFAIR_MAIL_TIMEOUT",
     .def = "60",
     .help = "seconds one mail may take at the relay",
     .value = &opt_mail_timeout,
     .type = CONFIG_INT,
     .min = 5,
     .max = 600,
     .number = &mail_timeout},
    {.flag = "role", .help = "role for `user add`", .value = &opt_role},
    {.flag = "password-stdin",
     .help = "`user add`/`user passwd`: read the password from standard input",
     .is_switch = true,
     .value = &opt_password_stdin},
    {.flag = "help",
     .help = "show this help",
     .is_switch = true,
     .value = &opt_help},
};
#define NSETTINGS (sizeof settings / sizeof *settings)

struct shutdown {
	struct app *app;
	struct http_server *public_http; /* --public-listen, or NULL */
	struct event *tick;
	struct timespec deadline;
	bool draining;
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: jobfaird [serve|migrate] [options]\n"
		     "       jobfaird user add NAME --role ROLE "
		     "[--password-stdin] | passwd NAME [--password-stdin] |\n"
		     "                     list | revoke NAME\n\noptions:\n");
	config_usage(out, settings, NSETTINGS);
}

static void
shutdown_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shutdown *sd = arg;
	struct timespec now;
	/* Mails handed to the relay are recorded before we go. */
	int left =
	    http_server_inflight(sd->app->http) +
	    (sd->public_http ? http_server_inflight(sd->public_http) : 0) +
	    mail_busy(sd->app->mail);

	(void)fd;
	(void)what;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (left == 0 || now.tv_sec >= sd->deadline.tv_sec) {
		if (left > 0)
			log_warn(
			    "stopping with %d requests or mails unfinished",
			    left);
		event_base_loopbreak(sd->app->base);
	}
}

static void
shutdown_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct shutdown *sd = arg;
	struct timeval tv = {0, 50 * 1000};

	(void)what;
	if (sd->draining)
		return;
	sd->draining = true;
	sdnotify_stopping();
	log_info("signal %d: no new connections, finishing in-flight "
		 "requests",
		 (int)sig);
	http_server_stop_accepting(sd->app->http);
	if (sd->public_http != NULL)
		http_server_stop_accepting(sd->public_http);
	mail_stop(sd->app->mail);
	clock_gettime(CLOCK_MONOTONIC, &sd->deadline);
	sd->deadline.tv_sec += shutdown_seconds;
	sd->tick =
	    event_new(sd->app->base, -1, EV_PERSIST, shutdown_tick_cb, sd);
	event_add(sd->tick, &tv);
}

/* Held log lines go out once the loop has run a round's callbacks. */
static void
serve_log_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	log_flush();
}

static void
serve_log_wake(void *arg)
{
	event_active(arg, EV_TIMEOUT, 0);
}

/*
 * The loop's base. evhttp turns a connection's reading off and on again
 * within each request; with libevent's change list epoll hears only the
 * net change at the end of a round, two epoll_ctl() per keep-alive
 * request instead of four. libevent's caveat, descriptors shared through
 * dup(), does not apply: this process dup()s none.
 */
static struct event_base *
serve_base_new(void)
{
	struct event_config *cfg = event_config_new();
	struct event_base *base;

	event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (base == NULL)
		fatalx("cannot create the event loop");
	return base;
}

/*
 * Two connections per CPU keep a database on this machine busy without
 * thrashing: 16 backends on 2 cores spent their time switching (p99
 * ~58 ms against ~20 ms with 4). Capped at 16 so a large host does not
 * open more than a small PostgreSQL's max_connections allows.
 */
static long
default_pool_size(void)
{
	long size = sysconf(_SC_NPROCESSORS_ONLN) * 2;

	if (size < 2)
		return 2;
	return size > 16 ? 16 : size;
}

static int
serve(void)
{
	struct app app = {0};
	struct shutdown sd = {.app = &app};
	struct session_settings session_settings = {0};
	struct public_settings public_settings = {0};
	char *public_url;
	struct event *sigint, *sigterm, *log_flusher;
	struct sdnotify *notify;
	long quarter, reserved, reads;
	char *cause = NULL;

	if (pool_size < 1)
		pool_size = default_pool_size();
	quarter = pool_size / 4 > 0 ? pool_size / 4 : 1;
	/* A pool of one has nothing to keep: its one connection serves all. */
	reserved = pool_eventday >= 0 ? pool_eventday
		   : pool_size > 1    ? quarter
				      : 0;
	reads = pool_reads >= 0 ? pool_reads : quarter;

	/* The two that depend on --pool-size are checked against it here. */
	if (reserved > pool_size - 1)
		fatalx(
		    "--pool-eventday must be from 0 to --pool-size - 1 (%ld)",
		    pool_size - 1);
	if (reads > pool_size)
		fatalx("--pool-reads must be from 1 to --pool-size (%ld)",
		       pool_size);
	checkin_configure(lookup_rate);
	app.base = serve_base_new();
	/* Access lines are written together, once a round (see log.c). */
	log_flusher = event_new(app.base, -1, 0, serve_log_flush_cb, NULL);
	log_hold(serve_log_wake, log_flusher);
	app.metrics = metrics_new();
	app.pool =
	    pool_new(app.base, opt_database, (int)pool_size, (int)queue_max);
	pool_set_lanes(app.pool, (int)reserved, (int)reads,
		       (int)read_timeout * 1000);
	pool_set_group(app.pool, CHECKIN_SQL, CHECKIN_MANY_SQL,
		       CHECKIN_GROUP_MAX);
	if (opt_replica != NULL) {
		/* Only reads go there: as many connections as reads may run. */
		app.replica = replica_new(
		    app.base, opt_replica, (int)reads, (int)queue_max,
		    (int)read_timeout * 1000, (double)replica_max_lag);
	}
	app.auth = auth_cache_new((int)user_max);
	app.streams = stats_hub_new(&app, (int)stream_lifetime);
	session_settings.idle_seconds = session_idle;
	session_settings.secure_cookies = opt_secure_cookies != NULL;
	app.sessions = session_new(&session_settings);
	app.proxies = proxies_new(opt_trusted_proxies, &cause);
	if (app.proxies == NULL)
		fatalx("%s", cause);
	/* Two workers: sign-ins hash in parallel and leave the loop a core. */
	app.pwhash = pwhash_new(app.base, 2);
	/*
	 * One renderer: a thousand 受付票 take about a second of a core, and
	 * the loop and the sign-ins keep the other.
	 */
	app.render = worker_new(app.base, 1, RENDER_QUEUE_MAX);
	app.web =
	    web_new(opt_web_dir ? opt_web_dir : web_default_dir(), &cause);
	if (app.web == NULL)
		fatalx("%s", cause);
	app.mail = mail_new(&app, &(struct mail_settings){
				      .url = opt_smtp_url,
				      .user = opt_smtp_user,
				      .password_file = opt_smtp_password_file,
				      .from = opt_mail_from,
				      .retry = mail_retry,
				      .attempts = mail_attempts,
				      .timeout = mail_timeout});
	app.http = http_server_new(&app, opt_listen, false, &cause);
	if (app.http == NULL)
		fatalx("%s", cause);
	if (opt_public_listen != NULL &&
	    (sd.public_http = http_server_new(&app, opt_public_listen, true,
					      &cause)) == NULL)
		fatalx("%s", cause);
	xasprintf(&public_url, "http://%s",
		  opt_public_listen ? opt_public_listen : opt_listen);
	public_settings.base_url = opt_public_url ? opt_public_url : public_url;
	public_settings.rate = apply_rate;
	public_configure(&public_settings);
	free(public_url);
	sigint = evsignal_new(app.base, SIGINT, shutdown_signal_cb, &sd);
	sigterm = evsignal_new(app.base, SIGTERM, shutdown_signal_cb, &sd);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	log_info("jobfaird listening on http://%s (pid %d); stop with "
		 "Ctrl-C or kill -TERM %d",
		 opt_listen, (int)getpid(), (int)getpid());
	log_info("pool of %ld connections to the database (%ld kept for "
		 "event-day writes, %ld reads at once)",
		 pool_size, reserved, reads);
	log_info("the back office: http://%s/ (%d files)", opt_listen,
		 web_count(app.web));
	log_info("the public application forms: http://%s/apply",
		 opt_public_listen ? opt_public_listen : opt_listen);
	notify = sdnotify_new(&app);
	event_base_dispatch(app.base);
	log_unhold();
	pool_abandon(app.pool, "the server is stopping");
	if (app.replica != NULL)
		pool_abandon(replica_reads(app.replica, app.pool),
			     "the server is stopping");
	http_server_free(app.http);
	http_server_free(sd.public_http);
	mail_free(app.mail);
	pool_free(app.pool);
	replica_free(app.replica);
	sdnotify_free(notify);
	stats_hub_free(app.streams);
	pwhash_free(app.pwhash);
	worker_free(app.render);
	session_free(app.sessions);
	web_free(app.web);
	proxies_free(app.proxies);
	metrics_free(app.metrics);
	auth_cache_free(app.auth);
	event_free(sigint);
	event_free(sigterm);
	event_free(log_flusher);
	if (sd.tick != NULL)
		event_free(sd.tick);
	event_base_free(app.base);
	log_info("jobfaird stopped");
	return 0;
}

static int
migrate(void)
{
	const char *dir =
	    opt_migrations ? opt_migrations : migrate_default_dir();
	char *cause = NULL;
	int n = migrate_run(opt_migrate_database ? opt_migrate_database
						 : opt_database,
			    dir, &cause);

	if (n < 0) {
		log_error("%s", cause);
		free(cause);
		return -1;
	}
	log_info("migrations up to date (%d applied now, from %s)", n, dir);
	return 0;
}

int
main(int argc, char **argv)
{
	char *cause = NULL;
	const char *command;
	int rest;

	signal(SIGPIPE, SIG_IGN);
	if (config_load(settings, NSETTINGS, argc - 1, argv + 1, &rest,
			&cause) != 0) {
		fprintf(stderr, "jobfaird: %s\n", cause);
		usage(stderr);
		return 1;
	}
	if (opt_help != NULL) {
		usage(stdout);
		return 0;
	}
	log_set_json(strcmp(opt_log_format, "json") == 0);
	command = rest > 0 ? argv[1] : "serve";
	if (opt_database == NULL) {
		fprintf(stderr, "jobfaird: set JOBFAIR_DATABASE_URL or "
				"--database-url\n");
		return 1;
	}
	if (strcmp(command, "user") == 0)
		return usercmd_run(opt_database, opt_role,
				   opt_password_stdin != NULL, rest - 1,
				   argv + 2);
	if (strcmp(command, "migrate") == 0)
		return migrate() == 0 ? 0 : 1;
	if (strcmp(command, "serve") != 0) {
		fprintf(stderr, "jobfaird: unknown command %s\n", command);
		usage(stderr);
		return 1;
	}
	if (opt_no_migrate == NULL && migrate() != 0)
		return 1;
	return serve();
}
