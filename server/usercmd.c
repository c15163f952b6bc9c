/*
 * User administration from the shell. This runs outside the event loop
 * and may block. A new token is printed once, alone on the last line of
 * standard output, so that scripts can take it with `tail -n 1`. A
 * password is asked for on a terminal (not echoed) or read as the first
 * line of standard input with --password-stdin; only its Argon2id hash
 * is stored.
 */
#include "usercmd.h"

#include "auth.h"
#include "log.h"
#include "pwhash.h"
#include "stats.h"
#include "xmalloc.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

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

/* One line from fp without its newline; NULL at end of file. */
static char *
usercmd_line(FILE *fp, char *buf, size_t size)
{
	if (fgets(buf, (int)size, fp) == NULL)
		return NULL;
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf;
}

static char *
usercmd_prompt(const char *question, char *buf, size_t size)
{
	struct termios old, quiet;
	char *line;

	fputs(question, stderr);
	tcgetattr(STDIN_FILENO, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	line = usercmd_line(stdin, buf, size);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputs("\n", stderr);
	return line;
}

/*
 * The password's hash into hash: read from standard input, or asked for
 * twice on a terminal. An empty answer on a terminal, or no terminal and
 * no --password-stdin, leaves hash empty when `optional` (API token
 * only). Returns 0, or 1 after saying why.
 */
static int
usercmd_password(bool from_stdin, bool optional, char hash[PWHASH_LEN])
{
	char pw[PWHASH_MAX_PASSWORD + 2], again[PWHASH_MAX_PASSWORD + 2];
	const char *why;
	int rc = 1;

	hash[0] = '\0';
	if (from_stdin) {
		if (usercmd_line(stdin, pw, sizeof pw) == NULL) {
			fprintf(stderr, "jobfaird: no password on standard "
					"input\n");
			return 1;
		}
	} else if (!isatty(STDIN_FILENO)) {
		if (optional)
			return 0;
		fprintf(stderr, "jobfaird: no terminal to ask for the "
				"password: use --password-stdin\n");
		return 1;
	} else {
		if (usercmd_prompt(optional ? "password (empty: API token "
					      "only): "
					    : "new password: ",
				   pw, sizeof pw) == NULL)
			return 1;
		if (optional && pw[0] == '\0')
			return 0;
		if (usercmd_prompt("again: ", again, sizeof again) == NULL ||
		    strcmp(pw, again) != 0) {
			fprintf(stderr, "jobfaird: the passwords differ\n");
			goto out;
		}
	}
	if ((why = pwhash_password_problem(pw)) != NULL)
		fprintf(stderr, "jobfaird: the password %s\n", why);
	else if (pwhash_str(pw, hash) != 0)
		fprintf(stderr, "jobfaird: cannot hash the password (out of "
				"memory?)\n");
	else
		rc = 0;
out:
	explicit_bzero(pw, sizeof pw);
	explicit_bzero(again, sizeof again);
	return rc;
}

static int usercmd_set_password(PGconn *pg, const char *name,
				const char *pwhash);

static int
usercmd_add(PGconn *pg, const char *name, const char *role, bool pw_stdin)
{
	char hash[65], pwhash[PWHASH_LEN];
	char *token;
	const char *params[3];
	PGresult *res;

	if (auth_role_parse(role) == 0) {
		fprintf(stderr, "jobfaird: --role must be admin, organizer, "
				"frontdesk or viewer\n");
		return 1;
	}
	if (usercmd_password(pw_stdin, true, pwhash) != 0)
		return 1;
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
	/* Apart, so that a database older than passwords takes tokens. */
	if (pwhash[0] != '\0' && usercmd_set_password(pg, name, pwhash) != 1) {
		PQclear(res);
		free(token);
		return 2;
	}
	printf("created user %s (id %s, role %s, %s); the API token is "
	       "shown once:\n",
	       name, PQgetvalue(res, 0, 0), role,
	       pwhash[0] != '\0'
		   ? "signs in with a password"
		   : "no password: `jobfaird user passwd` sets one");
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

/*
 * Stores a password's hash and ends the user's browser sessions. Returns
 * how many users it changed (0 or 1), or -1 after saying why.
 */
static int
usercmd_set_password(PGconn *pg, const char *name, const char *pwhash)
{
	const char *params[2] = {name, pwhash};
	PGresult *res;
	int changed;

	res = usercmd_exec(pg,
			   "WITH u AS (UPDATE users SET password_hash = $2"
			   " WHERE name = $1 AND revoked_at IS NULL"
			   " RETURNING id), s AS (DELETE FROM sessions"
			   " WHERE user_id IN (SELECT id FROM u))"
			   " SELECT count(*) FROM u",
			   2, params);
	if (res == NULL)
		return -1;
	changed = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return changed;
}

/* A new password; the user's browser sessions end. */
static int
usercmd_passwd(PGconn *pg, const char *name, bool pw_stdin)
{
	char pwhash[PWHASH_LEN];
	int changed;

	if (usercmd_password(pw_stdin, false, pwhash) != 0)
		return 1;
	changed = usercmd_set_password(pg, name, pwhash);
	if (changed < 0)
		return 2;
	if (changed == 0) {
		fprintf(stderr, "jobfaird: no active user %s\n", name);
		return 2;
	}
	printf("password set for %s\n", name);
	return 0;
}

static int
usercmd_revoke(PGconn *pg, const char *name)
{
	const char *params[1] = {name};
	PGresult *res = usercmd_exec(pg,
				     "WITH u AS (UPDATE users SET revoked_at ="
				     " now() WHERE name = $1 AND revoked_at"
				     " IS NULL RETURNING id),"
				     " s AS (DELETE FROM sessions WHERE"
				     " user_id IN (SELECT id FROM u))"
				     " SELECT count(*) FROM u",
				     1, params);
	int changed;

	if (res == NULL)
		return 2;
	changed = atoi(PQgetvalue(res, 0, 0));
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
usercmd_run(const char *conninfo, const char *role, bool pw_stdin, int argc,
	    char **argv)
{
	PGconn *pg;
	int rc;

	if (argc < 1 || (strcmp(argv[0], "list") != 0 && argc < 2)) {
		fprintf(stderr, "usage: jobfaird user add NAME --role ROLE "
				"[--password-stdin] | passwd NAME "
				"[--password-stdin] | list | revoke NAME\n");
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
		rc = usercmd_add(pg, argv[1], role ? role : "", pw_stdin);
	else if (strcmp(argv[0], "passwd") == 0)
		rc = usercmd_passwd(pg, argv[1], pw_stdin);
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
