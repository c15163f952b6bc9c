/*
 * common/vocab.c against the database it mirrors: a migrated database's
 * lookup tables hold exactly the C table's codes, labels and order, and
 * the array CHECKs that a foreign key cannot replace name exactly the
 * same codes. Adding a code on one side only fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "fixture.h"
#include "vocab.h"
#include "xmalloc.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static PGconn *test_conn;
static char test_db[64];

static int
setup(void **state)
{
	char *conninfo;

	(void)state;
	snprintf(test_db, sizeof test_db, "t_vocab_%ld", (long)getpid());
	if ((conninfo = fixture_db_new(test_db)) == NULL)
		return -1;
	test_conn = PQconnectdb(conninfo);
	free(conninfo);
	return PQstatus(test_conn) == CONNECTION_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	PQfinish(test_conn);
	fixture_db_drop(test_db);
	return 0;
}

static void
test_lookup_tables_equal_the_c_table(void **state)
{
	(void)state;
	for (int k = 0; k < VOCAB_NKINDS; k++) {
		char *sql;
		PGresult *res;
		size_t n = vocab_count(k);

		if (!vocab_in_database(k))
			continue;
		xasprintf(&sql,
			  "SELECT code, label_ja, label_en FROM %s "
			  "ORDER BY sort_order",
			  vocab_table(k));
		res = PQexec(test_conn, sql);
		free(sql);
		assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
		if ((size_t)PQntuples(res) != n)
			fail_msg("%s: %d rows, %zu in vocab.c", vocab_table(k),
				 PQntuples(res), n);
		for (size_t i = 0; i < n; i++) {
			const struct vocab_term *t = vocab_term(k, i);

			assert_string_equal(PQgetvalue(res, (int)i, 0),
					    t->code);
			assert_string_equal(PQgetvalue(res, (int)i, 1),
					    t->label_ja);
			assert_string_equal(PQgetvalue(res, (int)i, 2),
					    t->label_en);
		}
		PQclear(res);
	}
}

/*
 * An array column cannot reference a table, so its CHECK keeps a list:
 * the list's literals, as PostgreSQL prints the constraint, must be the
 * lookup table's codes.
 */
static void
test_array_checks_name_the_lookup_codes(void **state)
{
	static const struct {
		const char *constraint;
		enum vocab_kind kind;
	} checks[] = {
	    {.constraint = "registrations_categories_check",
	     .kind = VOCAB_CATEGORY},
	    {.constraint = "registrations_accommodations_check",
	     .kind = VOCAB_ACCOMMODATION},
	};
	const char *sql =
	    "SELECT string_agg(m[1], ',' ORDER BY n) FROM pg_constraint, "
	    "regexp_matches(pg_get_constraintdef(oid), '''([^'']*)''', 'g') "
	    "WITH ORDINALITY AS x(m, n) WHERE conname = $1";

	(void)state;
	for (size_t c = 0; c < sizeof checks / sizeof *checks; c++) {
		const char *params[1] = {checks[c].constraint};
		PGresult *res = PQexecParams(test_conn, sql, 1, NULL, params,
					     NULL, NULL, 0);
		char want[512] = "";

		for (size_t i = 0; i < vocab_count(checks[c].kind); i++) {
			if (i > 0)
				strcat(want, ",");
			strcat(want, vocab_term(checks[c].kind, i)->code);
		}
		assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
		assert_string_equal(PQgetvalue(res, 0, 0), want);
		PQclear(res);
	}
}

/* A code outside the list is refused by the database itself. */
static void
test_foreign_keys_refuse_unknown_codes(void **state)
{
	PGresult *res;

	(void)state;
	res = PQexec(test_conn,
		     "INSERT INTO events (type, title, starts_at, ends_at, "
		     "organizer, status) VALUES ('joint_interview_fair', 'x', "
		     "now(), now() + interval '1h', 'city', 'archived')");
	assert_string_equal(PQresultErrorField(res, PG_DIAG_SQLSTATE), "23503");
	assert_string_equal(PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME),
			    "events_status_fkey");
	PQclear(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lookup_tables_equal_the_c_table),
	    cmocka_unit_test(test_array_checks_name_the_lookup_codes),
	    cmocka_unit_test(test_foreign_keys_refuse_unknown_codes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
