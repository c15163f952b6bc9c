/*
 * The database tests' access to the ctest `pg` fixture: its cluster's URL
 * and a fresh migrated database in it.
 */
#ifndef JF_TEST_FIXTURE_H
#define JF_TEST_FIXTURE_H

/* JF_PGURL from $JF_BUILD/test-pg.env, or NULL. The caller frees it. */
char *fixture_url_new(void);

/*
 * A new database named name in the fixture's cluster, migrated to the
 * latest migration: its conninfo, or NULL. The caller frees it.
 */
char *fixture_db_new(const char *name);

/* Drops the database fixture_db_new made. */
void fixture_db_drop(const char *name);

#endif
