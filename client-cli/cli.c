/*
 * Options every command shares and where the server and token come
 * from: flags, then the environment, then the file `jobfair login`
 * writes, then the default server.
 */
#include "cli.h"

#include "client.h"
#include "form.h"
#include "xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *opt_server, *opt_token, *opt_json, *opt_limit;

static const struct config_entry cli_globals[] = {
    {.flag = "server",
     .env = "JOBFAIR_SERVER",
     .help = "server URL (default " CLI_DEFAULT_SERVER ")",
     .value = &opt_server},
    {.flag = "token",
     .env = "JOBFAIR_TOKEN",
     .help = "bearer token",
     .value = &opt_token},
    CONFIG_SWITCH("json", "print the server's JSON instead of a table",
		  &opt_json),
    CONFIG_FLAG("limit", "list at most N items (default: all)", &opt_limit),
};
#define NGLOBALS (sizeof cli_globals / sizeof *cli_globals)

bool
cli_option_takes_value(const char *arg)
{
	if (strncmp(arg, "--", 2) != 0 || strchr(arg, '=') != NULL)
		return false;
	for (size_t i = 0; i < NGLOBALS; i++)
		if (strcmp(arg + 2, cli_globals[i].flag) == 0)
			return !cli_globals[i].is_switch;
	return false;
}

char *
cli_config_path_new(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *path;

	if (xdg != NULL && *xdg != '\0')
		xasprintf(&path, "%s/jobfair/config", xdg);
	else if (home != NULL && *home != '\0')
		xasprintf(&path, "%s/.config/jobfair/config", home);
	else
		return NULL;
	return path;
}

/* Reads "key=value" lines of the config file; a missing file is no error. */
static void
cli_config_read(char **server, char **token)
{
	char *path = cli_config_path_new(), *line = NULL;
	size_t size = 0;
	ssize_t len;
	FILE *f;

	if (path == NULL || (f = fopen(path, "r")) == NULL) {
		free(path);
		return;
	}
	while ((len = getline(&line, &size, f)) > 0) {
		char *eq = strchr(line, '='), **to = NULL;

		while (len > 0 &&
		       (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (eq == NULL || line[0] == '#')
			continue;
		*eq = '\0';
		if (strcmp(line, "server") == 0)
			to = server;
		else if (strcmp(line, "token") == 0)
			to = token;
		if (to != NULL) {
			free(*to);
			*to = xstrdup(eq + 1);
		}
	}
	free(line);
	fclose(f);
	free(path);
}

/* A server URL without trailing slashes, as it is compared and joined. */
static char *
cli_server_new(const char *url)
{
	char *server = xstrdup(url);
	size_t len = strlen(server);

	while (len > 0 && server[len - 1] == '/')
		server[--len] = '\0';
	return server;
}

/*
 * Flags, then the environment, then the config file. The file's token
 * goes only to the file's server: a --server pointing elsewhere must not
 * receive it.
 */
static void
cli_resolve(struct cli *cli)
{
	char *file_server = NULL, *file_token = NULL;

	free(cli->server);
	free(cli->token);
	cli->token = NULL;
	cli_config_read(&file_server, &file_token);
	if (file_server != NULL) {
		char *normal = cli_server_new(file_server);

		free(file_server);
		file_server = normal;
	}
	cli->server = cli_server_new(opt_server	   ? opt_server
				     : file_server ? file_server
						   : CLI_DEFAULT_SERVER);
	if (opt_token != NULL)
		cli->token = xstrdup(opt_token);
	else if (file_token != NULL && file_server != NULL &&
		 strcmp(cli->server, file_server) == 0) {
		cli->token = file_token;
		file_token = NULL;
	}
	free(file_server);
	free(file_token);
}

/* mkdir -p for the config directory, private to the user. */
static int
cli_mkdirs(char *dir, char **cause)
{
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			xasprintf(cause, "%s: %s", dir, strerror(errno));
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		xasprintf(cause, "%s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int
cli_config_write(const char *server, const char *token, char **cause)
{
	char *path = cli_config_path_new(), *dir, *text;
	int fd, rc = -1;
	size_t len;

	if (path == NULL) {
		*cause = xstrdup("neither XDG_CONFIG_HOME nor HOME is set");
		return -1;
	}
	dir = xstrndup(path, strrchr(path, '/') - path);
	if (cli_mkdirs(dir, cause) != 0)
		goto out;
	/* The token is a password: never readable by others, even briefly. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	len = xasprintf(&text, "server=%s\ntoken=%s\n", server, token);
	if (fchmod(fd, 0600) != 0 || write(fd, text, len) != (ssize_t)len) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
	} else if (close(fd) != 0)
		xasprintf(cause, "%s: %s", path, strerror(errno));
	else
		rc = 0;
	free(text);
out:
	free(dir);
	free(path);
	return rc;
}

int
cli_parse(struct cli *cli, const struct config_entry *extra, size_t nextra,
	  int argc, char **argv, int *rest, char **cause)
{
	struct config_entry *table = xcalloc(NGLOBALS + nextra, sizeof *table);
	int rc;

	memcpy(table, cli_globals, sizeof cli_globals);
	if (nextra > 0)
		memcpy(table + NGLOBALS, extra, nextra * sizeof *extra);
	rc = config_load(table, NGLOBALS + nextra, argc, argv, rest, cause);
	free(table);
	if (rc != 0)
		return -1;
	cli->limit = 0;
	if (opt_limit != NULL &&
	    config_int(opt_limit, 1, 1000000, &cli->limit) != 0) {
		xasprintf(cause, "--limit must be a positive number");
		return -1;
	}
	cli_resolve(cli);
	/* It becomes a header line: a CR or LF would add headers. */
	for (const char *t = cli->token; t != NULL && *t != '\0'; t++)
		if ((unsigned char)*t <= ' ' || *t == 0x7f) {
			*cause = xstrdup("the token holds a space or control "
					 "character");
			return -1;
		}
	cli->json = opt_json != NULL;
	return 0;
}

int
cli_parse_form(struct cli *cli, const struct form *form,
	       const struct config_entry *extra, size_t nextra, int argc,
	       char **argv, int *rest, cJSON **body, char **cause)
{
	size_t n = form->nfields + nextra;
	struct config_entry *table = xcalloc(n, sizeof *table);
	const char **values = xcalloc(form->nfields, sizeof *values);
	int rc;

	for (size_t i = 0; i < form->nfields; i++) {
		table[i].flag = form_flag_new(form->fields[i].name);
		table[i].is_switch = form->fields[i].kind == INPUT_BOOL;
		table[i].value = &values[i];
	}
	if (nextra > 0)
		memcpy(table + form->nfields, extra, nextra * sizeof *extra);
	rc = cli_parse(cli, table, n, argc, argv, rest, cause);
	if (rc == 0) {
		*body = cJSON_CreateObject();
		for (size_t i = 0; i < form->nfields; i++)
			if (values[i] != NULL)
				cJSON_AddItemToObject(
				    *body, form->fields[i].name,
				    form_cell_new(form, form->fields[i].name,
						  values[i]));
	}
	for (size_t i = 0; i < form->nfields; i++)
		free((char *)table[i].flag);
	free(table);
	free(values);
	return rc;
}

void
cli_print_usage(FILE *out, const char *prefix, const struct cmd_entry *e)
{
	char *options = e->form != NULL ? form_usage_new(e->form, e->form_first)
					: xstrdup("");

	fprintf(out, "%sjobfair %s%s%s%s%s%s%s\n", prefix, e->name,
		e->sub ? " " : "", e->sub ? e->sub : "", *e->usage ? " " : "",
		e->usage, *options ? " " : "", options);
	free(options);
}

int
cli_usage_error(const struct cli *cli, char *cause)
{
	fprintf(stderr, "jobfair: %s\n", cause);
	if (cli->entry != NULL)
		cli_print_usage(stderr, "usage: ", cli->entry);
	free(cause);
	return CLI_USAGE;
}

void
cli_free(struct cli *cli)
{
	client_free(cli->client);
	free(cli->server);
	free(cli->token);
}
