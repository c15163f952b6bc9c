/*
 * User administration from the shell. This runs outside the event loop
 * and may block. A new token is printed once, alone on the last line of
 * standard output, so that scripts can take it with `tail -n 1`.
 */
#include "usercmd.h"

#include "auth.h"
#include "log.h"
#include "stats.h"
#include "xmalloc.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static PGresult *
usercmd_exec(PGconn *pg, const char *sql, int n, const char *const *params)
{
	PGresult *res = PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "jobfaird: %s", PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	return res;
}

static int
usercmd_add(PGconn *pg, const char *name, const char *role)
{
	char hash[65];
	char *token;
	const char *params[3];
	PGresult *res;

	if (auth_role_parse(role) == 0) {
		fprintf(stderr, "jobfaird: --role must be admin, organizer, "
				"frontdesk or viewer\n");
		return 1;
	}
	token = auth_token_new();
	auth_token_hash(token, hash);
	params[0] = name;
	params[1] = role;
	params[2] = hash;
	/* A revoked name may be reused: the new row replaces the old token. */
	res = usercmd_exec(pg,
			   "INSERT INTO users (name, role, token_hash)"
			   " VALUES ($1, $2, $3)"
			   " ON CONFLICT (name) DO UPDATE SET role = $2,"
			   " token_hash = $3, revoked_at = NULL,"
			   " created_at = now()"
			   " WHERE users.revoked_at IS NOT NULL"
			   " RETURNING id",
			   3, params);
	if (res == NULL) {
		free(token);
		return 2;
	}
	if (PQntuples(res) != 1) {
		fprintf(stderr, "jobfaird: user %s already exists\n", name);
		PQclear(res);
		free(token);
		return 2;
	}
	printf("created user %s (id %s, role %s); the token is shown once:\n",
	       name, PQgetvalue(res, 0, 0), role);
	printf("%s\n", token);
	PQclear(res);
	free(token);
	return 0;
}

static int
usercmd_list(PGconn *pg)
{
	PGresult *res = usercmd_exec(
	    pg,
	    "SELECT id, name, role, to_char(created_at AT TIME ZONE"
	    " 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI'),"
	    " CASE WHEN revoked_at IS NULL THEN 'active' ELSE 'revoked' END"
	    " FROM users ORDER BY id",
	    0, NULL);

	if (res == NULL)
		return 2;
	printf("%-6s %-24s %-10s %-17s %s\n", "ID", "NAME", "ROLE", "CREATED",
	       "STATUS");
	for (int i = 0; i < PQntuples(res); i++)
		printf("%-6s %-24s %-10s %-17s %s\n", PQgetvalue(res, i, 0),
		       PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		       PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
	PQclear(res);
	return 0;
}

static int
usercmd_revoke(PGconn *pg, const char *name)
{
	const char *params[1] = {name};
	PGresult *res = usercmd_exec(pg,
				     "UPDATE users SET revoked_at = now()"
				     " WHERE name = $1 AND revoked_at IS NULL",
				     1, params);
	int changed;

	if (res == NULL)
		return 2;
	changed = atoi(PQcmdTuples(res));
	PQclear(res);
	if (changed == 0) {
		fprintf(stderr, "jobfaird: no active user %s\n", name);
		return 2;
	}
	/* Running servers end the user's live streams at once. */
	res = usercmd_exec(pg,
			   "SELECT pg_notify('" STATS_CHANNEL
			   "', '" STATS_USERS_CHANGED "')",
			   0, NULL);
	if (res == NULL)
		fprintf(stderr, "jobfaird: the user's open live streams end "
				"at the servers' next keepalive instead\n");
	PQclear(res);
	printf("revoked %s\n", name);
	return 0;
}

int
usercmd_run(const char *conninfo, const char *role, int argc, char **argv)
{
	PGconn *pg;
	int rc;

	if (argc < 1 || (strcmp(argv[0], "list") != 0 && argc < 2)) {
		fprintf(stderr, "usage: jobfaird user add NAME --role ROLE | "
				"list | revoke NAME\n");
		return 1;
	}
	pg = PQconnectdb(conninfo);
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "jobfaird: cannot connect: %s",
			PQerrorMessage(pg));
		PQfinish(pg);
		return 3;
	}
	if (strcmp(argv[0], "add") == 0)
		rc = usercmd_add(pg, argv[1], role ? role : "");
	else if (strcmp(argv[0], "list") == 0)
		rc = usercmd_list(pg);
	else if (strcmp(argv[0], "revoke") == 0)
		rc = usercmd_revoke(pg, argv[1]);
	else {
		fprintf(stderr, "jobfaird: unknown user command %s\n", argv[0]);
		rc = 1;
	}
	PQfinish(pg);
	return rc;
}
