/*
 * The migration runner: applies migrations/NNNN_*.sql in order, each in
 * its own transaction, under an advisory lock, recording name and
 * SHA-256; then re-applies the SQL source files in migrations/sql/ whose
 * SHA-256 changed, all in one transaction, dropping functions they no
 * longer define. Runs before the event loop starts, so it may block.
 */
#ifndef JF_MIGRATE_H
#define JF_MIGRATE_H

/* Returns the number of files applied, or -1 with a cause. */
int migrate_run(const char *conninfo, const char *dir, char **cause);

/* The migrations directory: the source tree's, else the installed one. */
const char *migrate_default_dir(void);

#endif
