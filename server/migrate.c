/*
 * Applies pending migrations. An applied file that has changed since is
 * refused by name: the database would no longer match the code that
 * describes it. pg_advisory_lock serialises servers started together.
 *
 * Then the SQL source files (functions, trigger functions, views) in the
 * sql/ folder beside them: each is re-run when its SHA-256 differs from
 * the recorded one, all in one transaction. A file's functions are those
 * whose pg_proc row it created or rewrote (CREATE OR REPLACE rewrites
 * the row even when nothing changed); a function of the app's schema
 * that no file defines any more is dropped.
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
migrate_valid_source_name(const char *name)
{
	size_t len = strlen(name);

	if (len < 5 || strcmp(name + len - 4, ".sql") != 0)
		return 0;
	for (size_t i = 0; i < len - 4; i++)
		if ((name[i] < 'a' || name[i] > 'z') &&
		    (name[i] < '0' || name[i] > '9') && name[i] != '_')
			return 0;
	return 1;
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

/* The sorted file names in dir that valid accepts; NULL-terminated,
 * caller frees. */
static char **
migrate_list(const char *dir, int (*valid)(const char *), char **cause)
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
		if (!valid(de->d_name))
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

/* The text of dir/name, NUL-terminated, and its SHA-256 in hex. */
static char *
migrate_read(const char *dir, const char *name, char hex[65], char **cause)
{
	char *data, *path;
	long len;
	FILE *f;

	xasprintf(&path, "%s/%s", dir, name);
	f = fopen(path, "rb");
	free(path);
	if (f == NULL) {
		xasprintf(cause, "cannot read %s/%s", dir, name);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	data = xmalloc(len + 1);
	if (fread(data, 1, len, f) != (size_t)len) {
		xasprintf(cause, "cannot read %s/%s", dir, name);
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
	char hex[65], *sql, *why = NULL;
	PGresult *res;
	int rc = -1;

	if ((sql = migrate_read(dir, name, hex, cause)) == NULL)
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

/* Runs sql with text parameters: the result, or NULL with a cause. */
static PGresult *
migrate_query(PGconn *pg, const char *sql, int n, const char *const *params,
	      char **cause)
{
	PGresult *res = PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	xasprintf(cause, "%s", PQresultErrorMessage(res));
	PQclear(res);
	return NULL;
}

/* migrate_query for a statement whose rows do not matter. */
static int
migrate_command(PGconn *pg, const char *sql, int n, const char *const *params,
		char **cause)
{
	PGresult *res = migrate_query(pg, sql, n, params, cause);

	PQclear(res);
	return res == NULL ? -1 : 0;
}

/*
 * The functions in the app's schema whose catalog row the statements run
 * since the last snapshot created or rewrote: compared by row version,
 * since CREATE OR REPLACE writes a new one even for an identical body.
 */
#define MIGRATE_TOUCHED                                                        \
	"SELECT p.oid::regprocedure::text AS signature FROM pg_proc p"         \
	" LEFT JOIN source_before b ON b.fn = p.oid"                           \
	" WHERE p.pronamespace = current_schema()::regnamespace"               \
	" AND (b.fn IS NULL OR b.version <> p.ctid)"

/* 1 re-applied, 0 unchanged, -1 error. Runs inside the transaction. */
static int
migrate_source(PGconn *pg, const char *dir, const char *name, char **cause)
{
	const char *params[2];
	char hex[65], *sql, *why = NULL;
	PGresult *res = NULL;
	int rc = -1;

	if ((sql = migrate_read(dir, name, hex, cause)) == NULL)
		return -1;
	params[0] = name;
	params[1] = hex;
	res = migrate_query(pg,
			    "SELECT 1 FROM schema_sources"
			    " WHERE name = $1 AND sha256 = $2",
			    2, params, cause);
	if (res == NULL)
		goto out;
	if (PQntuples(res) == 1) {
		rc = 0;
		goto out;
	}
	PQclear(res);
	/* What the file defined before and no longer does is dropped at the
	 * end, as not belonging to any file. */
	if (migrate_command(pg,
			    "DELETE FROM schema_source_functions"
			    " WHERE source = $1",
			    1, params, cause) ||
	    migrate_command(pg,
			    "INSERT INTO schema_sources (name, sha256)"
			    " VALUES ($1, $2) ON CONFLICT (name) DO UPDATE"
			    " SET sha256 = EXCLUDED.sha256, applied_at = now()",
			    2, params, cause) ||
	    migrate_exec(pg, "DELETE FROM source_before", cause) ||
	    migrate_exec(pg,
			 "INSERT INTO source_before SELECT oid, ctid"
			 " FROM pg_proc"
			 " WHERE pronamespace = current_schema()::regnamespace",
			 cause)) {
		res = NULL;
		goto out;
	}
	if (migrate_exec(pg, sql, &why) != 0) {
		xasprintf(cause, "SQL source %s failed: %s", name, why);
		free(why);
		res = NULL;
		goto out;
	}
	/* The final SELECT sees the table as it was before the INSERT: a
	 * row there is another file's claim on the same function. */
	res = migrate_query(pg,
			    "WITH touched AS (" MIGRATE_TOUCHED "),"
			    " claimed AS (INSERT INTO schema_source_functions"
			    " SELECT signature, $1 FROM touched"
			    " ON CONFLICT (signature) DO NOTHING)"
			    " SELECT t.signature, f.source FROM touched t"
			    " JOIN schema_source_functions f USING (signature)",
			    1, params, cause);
	if (res == NULL)
		goto out;
	if (PQntuples(res) > 0) {
		xasprintf(cause, "function %s is defined in both %s and %s",
			  PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), name);
		goto out;
	}
	log_info("applied SQL source %s", name);
	rc = 1;
out:
	PQclear(res);
	free(sql);
	return rc;
}

/*
 * Drops the functions of the app's schema that no file defines: what a
 * changed or removed file no longer defines, and what only a versioned
 * migration did (their bodies are history). An extension's own
 * functions are left alone. Plain DROP: a constraint or trigger still
 * using one stops the migrate.
 */
static int
migrate_drop_unclaimed(PGconn *pg, char **cause)
{
	PGresult *res = migrate_query(
	    pg,
	    "SELECT p.oid::regprocedure::text FROM pg_proc p"
	    " WHERE p.pronamespace = current_schema()::regnamespace"
	    " AND NOT EXISTS (SELECT 1 FROM pg_depend d"
	    " WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid"
	    " AND d.deptype = 'e')"
	    " AND NOT EXISTS (SELECT 1 FROM schema_source_functions f"
	    " WHERE f.signature = p.oid::regprocedure::text)"
	    " ORDER BY 1",
	    0, NULL, cause);
	char *sql;
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		/* The signature is the catalog's own regprocedure text. */
		xasprintf(&sql, "DROP FUNCTION %s", PQgetvalue(res, i, 0));
		rc = migrate_exec(pg, sql, cause);
		free(sql);
		if (rc == 0)
			log_info("dropped function %s", PQgetvalue(res, i, 0));
	}
	PQclear(res);
	return rc;
}

/* The names as a text[] literal; source names need no quoting. */
static char *
migrate_name_array(char **names)
{
	char *list = xstrdup("{"), *next;

	for (char **n = names; *n != NULL; n++) {
		xasprintf(&next, "%s%s%s", list, n == names ? "" : ",", *n);
		free(list);
		list = next;
	}
	xasprintf(&next, "%s}", list);
	free(list);
	return next;
}

/* Applies dir's changed SQL source files in one transaction. Returns the
 * number re-applied, or -1 with a cause (and nothing changed). */
static int
migrate_sources(PGconn *pg, const char *dir, char **cause)
{
	char **names, *list = NULL, *why = NULL;
	const char *params[1];
	int applied = 0, rc;

	if ((names = migrate_list(dir, migrate_valid_source_name, cause)) ==
	    NULL)
		return -1;
	if (migrate_exec(pg, "BEGIN", cause) ||
	    migrate_exec(pg,
			 "CREATE TEMP TABLE source_before (fn oid, version tid)"
			 " ON COMMIT DROP",
			 cause)) {
		applied = -1;
		goto out;
	}
	for (char **n = names; *n != NULL; n++) {
		if ((rc = migrate_source(pg, dir, *n, cause)) < 0) {
			applied = -1;
			goto out;
		}
		applied += rc;
	}
	/* A file that is gone no longer claims its functions. */
	params[0] = list = migrate_name_array(names);
	if (migrate_command(pg,
			    "DELETE FROM schema_source_functions"
			    " WHERE source <> ALL ($1::text[])",
			    1, params, cause) ||
	    migrate_command(pg,
			    "DELETE FROM schema_sources"
			    " WHERE name <> ALL ($1::text[])",
			    1, params, cause) ||
	    migrate_drop_unclaimed(pg, cause) ||
	    migrate_exec(pg, "COMMIT", cause))
		applied = -1;
out:
	if (applied < 0) {
		migrate_exec(pg, "ROLLBACK", &why);
		free(why);
	}
	free(list);
	for (char **n = names; *n != NULL; n++)
		free(*n);
	free(names);
	return applied;
}

int
migrate_run(const char *conninfo, const char *dir, char **cause)
{
	PGconn *pg = PQconnectdb(conninfo);
	char **names = NULL, *sources = NULL;
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
	if ((names = migrate_list(dir, migrate_valid_name, cause)) == NULL) {
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
	xasprintf(&sources, "%s/sql", dir);
	if ((rc = migrate_sources(pg, sources, cause)) < 0)
		applied = -1;
	else
		applied += rc;
out:
	free(sources);
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
