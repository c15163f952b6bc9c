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
#include "migrate.h"
#include "pool.h"
#include "stats.h"
#include "usercmd.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *opt_listen, *opt_database, *opt_pool_size, *opt_queue,
    *opt_migrations, *opt_no_migrate, *opt_log_format, *opt_shutdown, *opt_role,
    *opt_lookup_rate, *opt_help;

static const struct config_entry settings[] = {
    {"listen", "JOBFAIR_LISTEN", "127.0.0.1:8080", "address to listen on",
     false, &opt_listen},
    {"database-url", "JOBFAIR_DATABASE_URL", NULL,
     "PostgreSQL URI or conninfo (required)", false, &opt_database},
    {"pool-size", "JOBFAIR_POOL_SIZE", "16", "database connections", false,
     &opt_pool_size},
    {"queue-max", "JOBFAIR_QUEUE_MAX", "1024",
     "queries waiting for a connection before answering 503", false,
     &opt_queue},
    {"migrations", "JOBFAIR_MIGRATIONS", NULL,
     "migrations directory (default: source tree, else installed)", false,
     &opt_migrations},
    {"no-migrate", NULL, NULL, "do not apply migrations at start", true,
     &opt_no_migrate},
    {"log-format", "JOBFAIR_LOG_FORMAT", "text", "text or json", false,
     &opt_log_format},
    {"shutdown-timeout", "JOBFAIR_SHUTDOWN_TIMEOUT", "10",
     "seconds to finish in-flight requests on SIGTERM", false, &opt_shutdown},
    {"lookup-rate", "JOBFAIR_LOOKUP_RATE", "30",
     "lookups and check-ins by id per user and minute (429 beyond)", false,
     &opt_lookup_rate},
    {"role", NULL, NULL, "role for `user add`", false, &opt_role},
    {"help", NULL, NULL, "show this help", true, &opt_help},
};
#define NSETTINGS (sizeof settings / sizeof *settings)

struct shutdown {
	struct app *app;
	struct event *tick;
	struct timespec deadline;
	bool draining;
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: jobfaird [serve|migrate] [options]\n"
		     "       jobfaird user add NAME --role ROLE | list | "
		     "revoke NAME\n\noptions:\n");
	config_usage(out, settings, NSETTINGS);
}

static void
shutdown_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shutdown *sd = arg;
	struct timespec now;
	int left = http_server_inflight(sd->app->http);

	(void)fd;
	(void)what;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (left == 0 || now.tv_sec >= sd->deadline.tv_sec) {
		if (left > 0)
			log_warn("stopping with %d requests unfinished", left);
		event_base_loopbreak(sd->app->base);
	}
}

static void
shutdown_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct shutdown *sd = arg;
	struct timeval tv = {0, 50 * 1000};
	long seconds = 10;

	(void)what;
	if (sd->draining)
		return;
	sd->draining = true;
	config_int(opt_shutdown, 0, 3600, &seconds);
	log_info("signal %d: no new connections, finishing in-flight "
		 "requests",
		 (int)sig);
	http_server_stop_accepting(sd->app->http);
	clock_gettime(CLOCK_MONOTONIC, &sd->deadline);
	sd->deadline.tv_sec += seconds;
	sd->tick =
	    event_new(sd->app->base, -1, EV_PERSIST, shutdown_tick_cb, sd);
	event_add(sd->tick, &tv);
}

static int
serve(void)
{
	struct app app = {0};
	struct shutdown sd = {.app = &app};
	struct event *sigint, *sigterm;
	long pool_size, queue_max, lookup_rate;
	char *cause = NULL;

	if (config_int(opt_pool_size, 1, 512, &pool_size) != 0 ||
	    config_int(opt_queue, 1, 1000000, &queue_max) != 0)
		fatalx("--pool-size and --queue-max must be positive numbers");
	if (config_int(opt_lookup_rate, 1, 100000, &lookup_rate) != 0)
		fatalx("--lookup-rate must be a positive number");
	checkin_configure(lookup_rate);
	app.base = event_base_new();
	app.pool =
	    pool_new(app.base, opt_database, (int)pool_size, (int)queue_max);
	app.auth = auth_cache_new();
	app.streams = stats_hub_new(&app);
	app.http = http_server_new(&app, opt_listen, &cause);
	if (app.http == NULL)
		fatalx("%s", cause);
	sigint = evsignal_new(app.base, SIGINT, shutdown_signal_cb, &sd);
	sigterm = evsignal_new(app.base, SIGTERM, shutdown_signal_cb, &sd);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	log_info("jobfaird listening on http://%s (pid %d); stop with "
		 "Ctrl-C or kill -TERM %d",
		 opt_listen, (int)getpid(), (int)getpid());
	event_base_dispatch(app.base);
	http_server_free(app.http);
	pool_free(app.pool);
	stats_hub_free(app.streams);
	auth_cache_free(app.auth);
	event_free(sigint);
	event_free(sigterm);
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
	int n = migrate_run(opt_database, dir, &cause);

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
		return usercmd_run(opt_database, opt_role, rest - 1, argv + 2);
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
