#!/usr/bin/env bash
# The SQL source files (migrations/sql/*.sql) on a database laid out by
# the previous release (versioned migrations 0001-0010 only, functions
# defined there) and holding data: the new migrate moves it over with
# every table's rows and both reports byte-identical. Then: a re-run is a
# no-op; an edited file is re-applied alone; a function removed from a
# file, or whose arguments changed, is dropped; a function defined twice
# or still used by a CHECK constraint stops the migrate with nothing
# changed; two migrators at once; a running server keeps answering after
# another process re-applied its functions, even with a new result type.
. "$(dirname "$0")/lib.sh"

sql() { psql "$db" -qAtc "$1"; }
migrate() { JOBFAIR_DATABASE_URL=$db "$JF_BIN" migrate "$@"; }
src=$JF_SOURCE/migrations

# The previous release's layout, recorded the way its migrate did.
jf_db_new || exit 1
db=$JF_DB
sql "CREATE TABLE schema_migrations (name text PRIMARY KEY, sha256 text NOT NULL,
     applied_at timestamptz NOT NULL DEFAULT now())"
for f in "$src"/00{01..10}_*.sql; do
	psql "$db" -q1 -v ON_ERROR_STOP=1 -f "$f" >/dev/null || exit 1
	sql "INSERT INTO schema_migrations (name, sha256) VALUES ('$(basename "$f")', '$(sha256sum "$f" | cut -c1-64)')"
done
check "old layout: ten migrations, no SQL sources" eq "$(sql "SELECT count(*), to_regclass('schema_sources') IS NULL FROM schema_migrations")" "10|t"

# Data written through the API, i.e. through the old layout's functions.
jf_server_start "$db" --no-migrate || exit 1
ADMIN=$(jf_user "$db" ada admin)
TOKEN=$ADMIN
req POST /api/v1/events '{"type":"joint_interview_fair","title":"令和6年度 合同就職面接会","starts_at":"2024-06-10T13:00:00+09:00","ends_at":"2024-06-10T16:00:00+09:00","capacity":50,"target_companies":3,"target_seekers":20,"organizer":"joint","status":"open"}'
check "old layout: event created" eq "$STATUS" 201
ev=$(jbody .id)
req POST /api/v1/events '{"type":"reemployment_seminar","title":"再就職準備セミナー","starts_at":"2024-09-01T10:00:00+09:00","ends_at":"2024-09-01T12:00:00+09:00","organizer":"hellowork","status":"open"}'
ev2=$(jbody .id)
req POST /api/v1/companies '{"name":"株式会社山口","corporate_number":"7000012050002"}'
check "old layout: company created" eq "$STATUS" 201
company=$(jbody .id)
req POST "/api/v1/events/$ev/companies" "{\"company_id\":$company}"
check "old layout: booth created" eq "$STATUS" 201
booth_token=$(jbody .checkin_token)
rows=$(jq -nc '[range(12) | {name: "参加者\(.)", name_kana: (["ア","イ","ウ","エ","オ","カ","キ","ク","ケ","コ","サ","シ"][.] + "ヤマダ"), age: (20 + . * 4), categories: [["youth","senior","disability","parenting"][. % 4]], consent: true}]')
req POST "/api/v1/events/$ev/registrations/batch" "{\"registrations\":$rows}"
check "old layout: batch of 12 registered" eq "$STATUS:$(jbody .created)" 200:12
tokens=$(jbody '[.results[].registration.checkin_token] | join(" ")')
req POST "/api/v1/events/$ev2/registrations" '{"name":"単独","name_kana":"タンドク","age":61,"consent":true}'
t2=$(jbody .checkin_token)
n=0
for t in $tokens; do
	n=$((n + 1))
	[ $n -gt 8 ] && break
	req POST "/api/v1/events/$ev/checkins" "{\"token\":\"$t\",\"nonce\":\"old-nonce-$n\",\"desk\":\"desk-1\"}"
done
check "old layout: check-ins answered" eq "$STATUS:$(jbody .result)" 200:checked_in
undo=$(jbody .checkin_id)
req POST "/api/v1/events/$ev/checkins/$undo/undo" '{}'
check "old layout: undo" eq "$STATUS" 200
req POST "/api/v1/events/$ev/checkins" "{\"token\":\"$booth_token\",\"nonce\":\"old-booth-1\",\"desk\":\"desk-1\"}"
req POST "/api/v1/events/$ev2/checkins" "{\"token\":\"$t2\",\"nonce\":\"old-nonce-s\",\"desk\":\"desk-1\"}"
req POST "/api/v1/events/$ev/interviews" "{\"company_id\":$company,\"token\":\"${tokens%% *}\",\"nonce\":\"old-interview-1\"}"
check "old layout: interview recorded" eq "$STATUS" 201

reports=(
	"ev.json /api/v1/events/$ev/report"
	"ev.csv /api/v1/events/$ev/report?format=csv"
	"ev.cp932 /api/v1/events/$ev/report?format=csv&encoding=cp932"
	"ev2.json /api/v1/events/$ev2/report"
	"fy.json /api/v1/reports/fiscal-year/2024"
	"fy.csv /api/v1/reports/fiscal-year/2024?format=csv"
)
save_all() { # save_all PREFIX
	local r
	for r in "${reports[@]}"; do
		set -- $r
		curl -s -o "$JF_TMP/$prefix.$1" -H "Authorization: Bearer $ADMIN" "$JF_URL$2"
	done
	# The live numbers from the function itself: the route now shows
	# them by role through a function the old layout does not have.
	# Less what later versions added to them (arrivals per half hour,
	# the booths' queues): new numbers, not a change of the old ones.
	sql "SELECT checkin_stats($ev) - 'arrivals' - 'queues'" >"$JF_TMP/$prefix.stats.json"
	# Only the tables the old layout had: later migrations may add
	# tables (lookup tables, sessions) whose rows are new, not changed;
	# users gained a column (0016: password_hash), so its old columns.
	# One table at a time, in name order: pg_dump orders the tables of
	# one dump by their foreign keys, and 0028 dropped some.
	: >"$JF_TMP/$prefix.dump"
	for t in $old_tables; do
		pg_dump --data-only --no-owner -t "public.$t" "$db" |
			grep -vE '^(-- Dumped|.(un)?restrict )' >>"$JF_TMP/$prefix.dump"
	done
	psql "$db" -qAtc "SELECT id, name, role, token_hash, created_at, revoked_at FROM users ORDER BY id" >>"$JF_TMP/$prefix.dump"
	# Tables that gained columns, less those: events and registrations
	# (0024: the public forms), scans (0029: by_id), events (0028:
	# reopened_at).
	for t in events registrations scans; do
		psql "$db" -qAtc "SELECT to_jsonb(t) - '{public_open,public_deadline,public_bring,purpose_id,by_id,reopened_at}'::text[] FROM $t t ORDER BY id" >>"$JF_TMP/$prefix.dump"
	done
}
old_tables=$(psql -At "$db" -c "SELECT string_agg(quote_ident(tablename), ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'schema\_%' AND tablename NOT IN ('users', 'events', 'registrations', 'scans')")
prefix=before save_all
jf_server_stop "$JF_PID"

migrate 2>"$JF_TMP/m1"
check "upgrade: migrate exits 0" eq $? 0
check "upgrade: 0011 applied" eq "$(sql "SELECT count(*) FROM schema_migrations WHERE name = '0011_sql_sources.sql'")" 1
check "upgrade: every source applied" eq "$(grep -c 'applied SQL source' "$JF_TMP/m1")" "$(ls "$src"/sql/*.sql | wc -l)"
check "upgrade: what no file defines is dropped" eq "$(grep -o "dropped function .*" "$JF_TMP/m1" | sort)" \
	"$(printf 'dropped function %s\n' 'checkin_tally_add(checkins,integer)' 'registration_refuse_full()')"
check "upgrade: every function now belongs to a source" eq "$(sql "SELECT count(*) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1 FROM schema_source_functions f WHERE f.signature = p.oid::regprocedure::text)")" 0
jf_server_start "$db" --no-migrate || exit 1
prefix=after save_all
for r in "${reports[@]}"; do
	set -- $r
	check "upgrade: $1 byte-identical" cmp "$JF_TMP/before.$1" "$JF_TMP/after.$1"
done
check "upgrade: stats.json byte-identical" cmp "$JF_TMP/before.stats.json" "$JF_TMP/after.stats.json"
check "upgrade: every table's rows identical" diff "$JF_TMP/before.dump" "$JF_TMP/after.dump"
check "upgrade: reports not empty" test "$(jq -r .event.id "$JF_TMP/after.ev.json")" = "$ev"

# A re-run changes nothing.
stamp=$(sql "SELECT string_agg(name || applied_at, ',' ORDER BY name) FROM schema_sources")
migrate 2>"$JF_TMP/m2"
check "re-run exits 0" eq $? 0
check "re-run applies no source" eq "$(grep -c 'applied SQL source' "$JF_TMP/m2")" 0
check "re-run leaves the records" eq "$(sql "SELECT string_agg(name || applied_at, ',' ORDER BY name) FROM schema_sources")" "$stamp"

# The server keeps its prepared check-in across a re-applied checkin.sql.
jf_reopen "$ev"
n=0
for t in $tokens; do n=$((n + 1)); [ $n -eq 9 ] && t9=$t; [ $n -eq 10 ] && t10=$t; done
req POST "/api/v1/events/$ev/checkins" "{\"token\":\"$t9\",\"nonce\":\"new-nonce-9\",\"desk\":\"desk-1\"}"
check "check-in before the re-apply" eq "$STATUS:$(jbody .result)" 200:checked_in
cp -r "$src" "$JF_TMP/m"
printf '\nCREATE OR REPLACE FUNCTION checkin_probe() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n' >>"$JF_TMP/m/sql/checkin.sql"
migrate --migrations "$JF_TMP/m" 2>"$JF_TMP/m3"
check "edited file: migrate exits 0" eq $? 0
check "edited file: only it re-applied" eq "$(grep -o 'applied SQL source .*' "$JF_TMP/m3")" "applied SQL source checkin.sql"
check "edited file: new function claimed by it" eq "$(sql "SELECT source FROM schema_source_functions WHERE signature = 'checkin_probe()'")" checkin.sql
check "edited file: its other functions stay" eq "$(sql "SELECT count(*) FROM schema_source_functions WHERE source = 'checkin.sql'")" "$(sql "SELECT count(*) FROM schema_source_functions WHERE source = 'checkin.sql' AND to_regprocedure(signature) IS NOT NULL")"
req POST "/api/v1/events/$ev/checkins" "{\"token\":\"$t10\",\"nonce\":\"new-nonce-10\",\"desk\":\"desk-1\"}"
check "running server: check-in after the re-apply" eq "$STATUS:$(jbody .result)" 200:checked_in
req POST "/api/v1/events/$ev/checkins" "{\"token\":\"$t9\",\"nonce\":\"new-nonce-9\",\"desk\":\"desk-1\"}"
check "running server: nonce replay after the re-apply" eq "$STATUS:$(jbody .result)" 200:checked_in

# A changed signature leaves no old overload; a moved function follows.
sed -i 's/checkin_probe() RETURNS int LANGUAGE sql AS \$\$ SELECT 1/checkin_probe(p int) RETURNS int LANGUAGE sql AS $$ SELECT p/' "$JF_TMP/m/sql/checkin.sql"
migrate --migrations "$JF_TMP/m" 2>"$JF_TMP/m4"
check "new signature: migrate exits 0" eq $? 0
check "new signature: old overload dropped" eq "$(sql "SELECT string_agg(oid::regprocedure::text, ',') FROM pg_proc WHERE proname = 'checkin_probe'")" "checkin_probe(integer)"
grep -v checkin_probe "$JF_TMP/m/sql/checkin.sql" >"$JF_TMP/c" && cp "$JF_TMP/c" "$JF_TMP/m/sql/checkin.sql"
printf '\nCREATE OR REPLACE FUNCTION checkin_probe(p int) RETURNS int LANGUAGE sql AS $$ SELECT p $$;\n' >>"$JF_TMP/m/sql/roster.sql"
migrate --migrations "$JF_TMP/m" 2>"$JF_TMP/m5"
check "moved function: migrate exits 0" eq $? 0
check "moved function: kept, now roster.sql's" eq "$(sql "SELECT source FROM schema_source_functions WHERE signature = 'checkin_probe(integer)'")" roster.sql
grep -v checkin_probe "$JF_TMP/m/sql/roster.sql" >"$JF_TMP/c" && cp "$JF_TMP/c" "$JF_TMP/m/sql/roster.sql"
migrate --migrations "$JF_TMP/m" 2>"$JF_TMP/m6"
check "removed function: migrate exits 0" eq $? 0
check "removed function: dropped" eq "$(sql "SELECT count(*) FROM pg_proc WHERE proname = 'checkin_probe'")" 0
check "removed function: the drop is logged" grep -q "dropped function checkin_probe(integer)" "$JF_TMP/m6"

# Refused, with nothing changed: a function in two files, and dropping
# one a CHECK constraint uses.
state() { sql "SELECT string_agg(name || sha256, ',' ORDER BY name) FROM schema_sources"; }
before=$(state)
sed -n '/^CREATE OR REPLACE FUNCTION api_roster/,/^\$\$;/p' "$src/sql/roster.sql" >>"$JF_TMP/m/sql/checkin.sql"
migrate --migrations "$JF_TMP/m" 2>"$JF_TMP/m7"
check "defined twice: refused" test $? -ne 0
check "defined twice: named" grep -q "function api_roster(bigint,bigint) is defined in both" "$JF_TMP/m7"
check "defined twice: nothing recorded" eq "$(state)" "$before"
rm -r "$JF_TMP/m" && cp -r "$src" "$JF_TMP/m"
rm "$JF_TMP/m/sql/corporate_number.sql"
migrate --migrations "$JF_TMP/m" 2>"$JF_TMP/m8"
check "function a CHECK uses: refused" test $? -ne 0
check "function a CHECK uses: the reason" grep -q "depends on function corporate_number_valid" "$JF_TMP/m8"
check "function a CHECK uses: kept" eq "$(sql "SELECT to_regprocedure('corporate_number_valid(text)') IS NOT NULL")" t
check "function a CHECK uses: nothing recorded" eq "$(state)" "$before"

# A new result type: the running server re-prepares what it prepared.
req GET /api/v1/event-types
check "event types before" eq "$STATUS" 200
types=$BODY
rm -r "$JF_TMP/m" && cp -r "$src" "$JF_TMP/m"
python3 - "$JF_TMP/m/sql/events.sql" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("CREATE OR REPLACE FUNCTION api_event_types() RETURNS json\n",
              "DROP FUNCTION IF EXISTS api_event_types();\nCREATE OR REPLACE FUNCTION api_event_types() RETURNS jsonb\n", 1)
s = s.replace("'[]'::json),\n           'next', NULL)\n    FROM event_types;",
              "'[]'::json),\n           'next', NULL)::jsonb\n    FROM event_types;", 1)
open(p, 'w').write(s)
PY
migrate --migrations "$JF_TMP/m" 2>"$JF_TMP/m9"
check "new result type: migrate exits 0" eq $? 0
check "new result type: in place" eq "$(sql "SELECT pg_get_function_result('api_event_types'::regproc)")" jsonb
req GET /api/v1/event-types
check "new result type: the running server answers 200" eq "$STATUS" 200
check "new result type: the same items" eq "$(jq -cS .items <<<"$BODY")" "$(jq -cS .items <<<"$types")"

# Two migrators at once on a changed file: both succeed, it runs once.
echo "-- touched" >>"$JF_TMP/m/sql/reports.sql"
migrate --migrations "$JF_TMP/m" 2>"$JF_TMP/c1" &
a=$!
migrate --migrations "$JF_TMP/m" 2>"$JF_TMP/c2" &
b=$!
wait $a; ra=$?
wait $b; rb=$?
check "concurrent migrators exit 0" eq "$ra:$rb" 0:0
check "concurrent migrators: reports.sql applied once" eq "$(cat "$JF_TMP/c1" "$JF_TMP/c2" | grep -c 'applied SQL source reports.sql')" 1
jf_server_stop "$JF_PID"
check "server stopped cleanly" eq $? 0
done_testing
