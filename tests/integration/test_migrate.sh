#!/usr/bin/env bash
# The migration runner: fresh database (every function in a SQL source), a
# no-op re-run, a changed applied file refused by name, and two migrators
# at once.
. "$(dirname "$0")/lib.sh"

count() { psql "$1" -qAtc "SELECT count(*) FROM schema_migrations"; }
files=$(ls "$JF_SOURCE"/migrations/[0-9][0-9][0-9][0-9]_*.sql | wc -l)

jf_db_new || exit 1
db=$JF_DB
JOBFAIR_DATABASE_URL=$db "$JF_BIN" migrate 2>"$JF_TMP/m1"
check "fresh migrate exits 0" eq $? 0
check "every file recorded" eq "$(count "$db")" "$files"
sources=$(ls "$JF_SOURCE"/migrations/sql/*.sql | wc -l)
check "every SQL source recorded" eq "$(psql "$db" -qAtc "SELECT count(*) FROM schema_sources")" "$sources"
check "the check-in's functions belong to checkin.sql" eq "$(psql "$db" -qAtc "SELECT source FROM schema_source_functions WHERE signature = 'api_checkin(bigint,bigint,jsonb)'")" checkin.sql
check "every app function belongs to a source" eq "$(psql "$db" -qAtc "SELECT count(*) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1 FROM schema_source_functions f WHERE f.signature = p.oid::regprocedure::text)")" 0
check "sha256 recorded" eq "$(psql "$db" -qAtc "SELECT count(*) FROM schema_migrations WHERE sha256 ~ '^[0-9a-f]{64}$'")" "$files"

JOBFAIR_DATABASE_URL=$db "$JF_BIN" migrate 2>"$JF_TMP/m2"
check "re-run exits 0" eq $? 0
check "re-run applies nothing" grep -q "(0 applied now" "$JF_TMP/m2"
check "re-run applies no source" eq "$(grep -c "applied SQL source" "$JF_TMP/m2")" 0
check "re-run keeps the rows" eq "$(count "$db")" "$files"

cp -r "$JF_SOURCE/migrations" "$JF_TMP/changed"
first=$(ls "$JF_TMP/changed" | head -n 1)
echo "-- edited" >>"$JF_TMP/changed/$first"
JOBFAIR_DATABASE_URL=$db "$JF_BIN" migrate --migrations "$JF_TMP/changed" 2>"$JF_TMP/m3"
check "changed file refused" test $? -ne 0
check "refusal names the file" grep -q "migration $first has changed" "$JF_TMP/m3"
JOBFAIR_DATABASE_URL=$db "$JF_BIN" --migrations "$JF_TMP/changed" 2>"$JF_TMP/m4"
check "server refuses to start on a changed file" test $? -ne 0

# A broken new migration rolls back entirely.
cp -r "$JF_SOURCE/migrations" "$JF_TMP/broken"
printf 'CREATE TABLE half_done (x int);\nSELECT no_such_function();\n' >"$JF_TMP/broken/9999_broken.sql"
JOBFAIR_DATABASE_URL=$db "$JF_BIN" migrate --migrations "$JF_TMP/broken" 2>"$JF_TMP/m5"
check "broken migration fails" test $? -ne 0
check "broken migration left nothing" eq "$(psql "$db" -qAtc "SELECT to_regclass('half_done') IS NULL")" t
check "broken migration not recorded" eq "$(count "$db")" "$files"

jf_db_new || exit 1
db2=$JF_DB
JOBFAIR_DATABASE_URL=$db2 "$JF_BIN" migrate 2>"$JF_TMP/c1" &
a=$!
JOBFAIR_DATABASE_URL=$db2 "$JF_BIN" migrate 2>"$JF_TMP/c2" &
b=$!
wait $a; ra=$?
wait $b; rb=$?
check "concurrent migrator A exits 0" eq $ra 0
check "concurrent migrator B exits 0" eq $rb 0
check "each migration once" eq "$(count "$db2")" "$files"
applied=$(cat "$JF_TMP/c1" "$JF_TMP/c2" | grep -c "applied migration")
check "files applied once in total" eq "$applied" "$files"
done_testing
