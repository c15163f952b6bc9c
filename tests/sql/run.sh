#!/usr/bin/env bash
# Runs one pgTAP file (tests/sql/test_*.sql) in a fresh database migrated
# by jobfaird, with pgtap and dblink (for a second session) installed.
# Fails on any "not ok", a plan not met, or an SQL error.
#   run.sh FILE
. "$JF_SOURCE/tests/integration/lib.sh"

file=$1
jf_db_new || exit 1
JOBFAIR_DATABASE_URL=$JF_DB "$JF_BIN" migrate 2>"$JF_TMP/migrate" ||
	{ cat "$JF_TMP/migrate"; exit 1; }
psql "$JF_DB" -qc "SET client_min_messages = warning;
	CREATE EXTENSION pgtap; CREATE EXTENSION dblink" || exit 1
(cd "$(dirname "$file")" && psql "$JF_DB" -X -qAt -v ON_ERROR_STOP=1 \
	-v db_url="$JF_DB" -f "$file") >"$JF_TMP/out" 2>&1
rc=$?
cat "$JF_TMP/out"
[ $rc -eq 0 ] || { echo "psql exited $rc"; exit 1; }
grep -q '^ok ' "$JF_TMP/out" || { echo "no test ran"; exit 1; }
! grep -qE '^not ok|^# Looks like' "$JF_TMP/out"
