/* Shared by the database tests: see fixture.h. */
#include "fixture.h"

#include "migrate.h"
#include "xmalloc.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The env file is shell-quoted with %q: undo the backslashes. */
char *
fixture_url_new(void)
{
	char path[512], line[1024];
	const char *build = getenv("JF_BUILD");
	char *url = NULL;
	FILE *f;

	if (build == NULL)
		return NULL;
	snprintf(path, sizeof path, "%s/test-pg.env", build);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "JF_PGURL=", 9) == 0) {
			char *out = line;

			line[strcspn(line, "\n")] = '\0';
			for (char *in = line + 9; *in != '\0'; in++) {
				if (*in == '\\' && in[1] != '\0')
					in++;
				*out++ = *in;
			}
			*out = '\0';
			free(url);
			url = xstrdup(line);
		}
	fclose(f);
	return url;
}

/* Runs sql on the fixture's cluster; 0 if it succeeded. */
static int
fixture_admin(const char *sql, char **conninfo)
{
	char *url = fixture_url_new();
	PGconn *conn;
	PGresult *res;
	int rc = -1;

	if (url == NULL)
		return -1;
	conn = PQconnectdb(url);
	if (PQstatus(conn) == CONNECTION_OK) {
		res = PQexec(conn, sql);
		rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
		if (rc != 0)
			fprintf(stderr, "%s", PQerrorMessage(conn));
		PQclear(res);
		if (conninfo != NULL)
			xasprintf(conninfo, "host=%s port=%s user=%s",
				  PQhost(conn), PQport(conn), PQuser(conn));
	}
	PQfinish(conn);
	free(url);
	return rc;
}

char *
fixture_db_new(const char *name)
{
	char *sql, *server = NULL, *conninfo = NULL, *cause = NULL;

	xasprintf(&sql, "CREATE DATABASE \"%s\"", name);
	if (fixture_admin(sql, &server) == 0) {
		xasprintf(&conninfo, "%s dbname=%s", server, name);
		if (migrate_run(conninfo, migrate_default_dir(), &cause) < 0) {
			fprintf(stderr, "migrate: %s\n", cause);
			free(cause);
			free(conninfo);
			conninfo = NULL;
		}
	}
	free(server);
	free(sql);
	return conninfo;
}

void
fixture_db_drop(const char *name)
{
	char *sql;

	xasprintf(&sql, "DROP DATABASE IF EXISTS \"%s\"", name);
	fixture_admin(sql, NULL);
	free(sql);
}
