/*
 * Applies pending migrations. An applied file that has changed since is
 * refused by name: the database would no longer match the code that
 * describes it. pg_advisory_lock serialises servers started together.
 */
#include "migrate.h"

#include "digest.h"
#include "log.h"
#include "xmalloc.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Any constant works as long as every jobfaird uses the same one. */
#define MIGRATE_LOCK_KEY "7426351001"

static int
migrate_exec(PGconn *pg, const char *sql, char **cause)
{
	PGresult *res = PQexec(pg, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		 PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		xasprintf(cause, "%s", PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

static int
migrate_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
migrate_valid_name(const char *name)
{
	size_t len = strlen(name);

	for (int i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return len > 9 && name[4] == '_' && strcmp(name + len - 4, ".sql") == 0;
}

/* The sorted migration file names in dir; NULL-terminated, caller frees. */
static char **
migrate_list(const char *dir, char **cause)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (d == NULL) {
		xasprintf(cause, "cannot open migrations directory %s", dir);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (!migrate_valid_name(de->d_name))
			continue;
		names = xrealloc(names, (n + 2) * sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	names = xrealloc(names, (n + 1) * sizeof *names);
	names[n] = NULL;
	qsort(names, n, sizeof *names, migrate_name_cmp);
	return names;
}

static char *
migrate_read(const char *path, char hex[65], char **cause)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long len;

	if (f == NULL) {
		xasprintf(cause, "cannot read %s", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	data = xmalloc(len + 1);
	if (fread(data, 1, len, f) != (size_t)len) {
		xasprintf(cause, "cannot read %s", path);
		fclose(f);
		free(data);
		return NULL;
	}
	fclose(f);
	data[len] = '\0';
	digest_sha256_hex(data, (size_t)len, hex);
	return data;
}

/* 1 applied now, 0 already applied unchanged, -1 error. */
static int
migrate_one(PGconn *pg, const char *dir, const char *name, char **cause)
{
	const char *params[2];
	char hex[65], *path, *sql, *why = NULL;
	PGresult *res;
	int rc = -1;

	xasprintf(&path, "%s/%s", dir, name);
	sql = migrate_read(path, hex, cause);
	free(path);
	if (sql == NULL)
		return -1;
	params[0] = name;
	params[1] = hex;
	res = PQexecParams(pg,
			   "SELECT sha256 FROM schema_migrations"
			   " WHERE name = $1",
			   1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		xasprintf(cause, "%s", PQresultErrorMessage(res));
		goto out;
	}
	if (PQntuples(res) == 1) {
		if (strcmp(PQgetvalue(res, 0, 0), hex) == 0)
			rc = 0;
		else
			xasprintf(cause,
				  "migration %s has changed since it was "
				  "applied; add a new migration instead",
				  name);
		goto out;
	}
	if (migrate_exec(pg, "BEGIN", cause) != 0)
		goto out;
	if (migrate_exec(pg, sql, &why) != 0) {
		xasprintf(cause, "migration %s failed: %s", name, why);
		free(why);
		why = NULL;
		migrate_exec(pg, "ROLLBACK", &why);
		free(why);
		goto out;
	}
	PQclear(res);
	res = PQexecParams(pg,
			   "INSERT INTO schema_migrations (name, sha256)"
			   " VALUES ($1, $2)",
			   2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		xasprintf(cause, "%s", PQresultErrorMessage(res));
		migrate_exec(pg, "ROLLBACK", &why);
		free(why);
		goto out;
	}
	if (migrate_exec(pg, "COMMIT", cause) == 0) {
		log_info("applied migration %s", name);
		rc = 1;
	}
out:
	PQclear(res);
	free(sql);
	return rc;
}

int
migrate_run(const char *conninfo, const char *dir, char **cause)
{
	PGconn *pg = PQconnectdb(conninfo);
	char **names = NULL;
	int applied = 0, rc;

	if (PQstatus(pg) != CONNECTION_OK) {
		xasprintf(cause, "cannot connect to the database: %s",
			  PQerrorMessage(pg));
		PQfinish(pg);
		return -1;
	}
	if (migrate_exec(pg, "SET client_min_messages = warning", cause) ||
	    migrate_exec(pg, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")",
			 cause) ||
	    migrate_exec(pg,
			 "CREATE TABLE IF NOT EXISTS schema_migrations ("
			 " name text PRIMARY KEY,"
			 " sha256 text NOT NULL,"
			 " applied_at timestamptz NOT NULL DEFAULT now())",
			 cause)) {
		applied = -1;
		goto out;
	}
	if ((names = migrate_list(dir, cause)) == NULL) {
		applied = -1;
		goto out;
	}
	for (char **n = names; *n != NULL; n++) {
		if ((rc = migrate_one(pg, dir, *n, cause)) < 0) {
			applied = -1;
			goto out;
		}
		applied += rc;
	}
out:
	for (char **n = names; n != NULL && *n != NULL; n++)
		free(*n);
	free(names);
	PQfinish(pg); /* ends the session, and with it the advisory lock */
	return applied;
}

const char *
migrate_default_dir(void)
{
	struct stat st;

	if (stat(JOBFAIR_SOURCE_MIGRATIONS, &st) == 0 && S_ISDIR(st.st_mode))
		return JOBFAIR_SOURCE_MIGRATIONS;
	return JOBFAIR_INSTALLED_MIGRATIONS;
}
