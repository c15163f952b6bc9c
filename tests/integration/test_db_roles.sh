#!/usr/bin/env bash
# deploy/db-roles.sql: an owner role that migrates and an application
# role that serves. The application role cannot change the schema,
# truncate, or change the audit log, and runs the API end to end
# (registration, check-in) with jobfaird migrating as the owner.
. "$(dirname "$0")/lib.sh"

owner=jf_owner_$$
app=jf_app_$$
roles_cleanup() {
	jf_finish
	psql "$JF_PGURL" -qAtc "DROP ROLE IF EXISTS $app" -c "DROP ROLE IF EXISTS $owner" >/dev/null 2>&1
}
trap roles_cleanup EXIT

jf_db_new || exit 1
super=$JF_DB
as_role() { echo "${super/user=jobfair/user=$1}"; }
owner_url=$(as_role "$owner")
app_url=$(as_role "$app")
roles() { psql "$super" -q -v owner="$owner" -v app="$app" -f "$JF_SOURCE/deploy/db-roles.sql"; }
check "db-roles.sql on a fresh database" roles
check "db-roles.sql again changes nothing and succeeds" roles
check "the owner owns the database" eq "$(psql "$super" -qAtc "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")" "$owner"

# Migrations as the owner, at the server's start; the server serves as the app.
check "the app role cannot migrate" bash -c "! JOBFAIR_DATABASE_URL='$app_url' '$JF_BIN' migrate >/dev/null 2>&1"
jf_server_start "$app_url" --migrate-database-url "$owner_url" || exit 1
check "the migrations ran as the owner" eq "$(psql "$super" -qAtc "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'events'")" "$owner"

denied() { # SQL: true when the app role is refused for want of a privilege
	local out
	out=$(psql "$app_url" -qAt -v ON_ERROR_STOP=1 -c "$1" 2>&1) && return 1
	grep -qE 'permission denied|must be owner' <<<"$out" || { echo "     $out" >&2; return 1; }
}
check "app: no DROP TABLE" denied "DROP TABLE events CASCADE"
check "app: no ALTER TABLE" denied "ALTER TABLE events ADD COLUMN x int"
check "app: no CREATE TABLE" denied "CREATE TABLE mine (x int)"
check "app: no CREATE FUNCTION in public" denied "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'"
check "app: no TRUNCATE" denied "TRUNCATE checkins"
check "app: no UPDATE on audit_log" denied "UPDATE audit_log SET action = 'x'"
check "app: no DELETE on audit_log" denied "DELETE FROM audit_log"
check "app: no TRUNCATE on audit_log" denied "TRUNCATE audit_log"
check "app: may read audit_log" psql "$app_url" -qAt -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM audit_log" -o /dev/null
# The scan log is the check-ins' audit record (0029): the purge may strip
# names from its answers, nothing else changes.
check "app: no DELETE on scans" denied "DELETE FROM scans"
check "app: no TRUNCATE on scans" denied "TRUNCATE scans"
check "app: no UPDATE of a scan's who/when/what" denied "UPDATE scans SET user_id = NULL, result = 'cancelled', received_at = now()"
check "app: may read the audit trail" psql "$app_url" -qAt -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM audit_trail" -o /dev/null

# The API, end to end, as the application role.
TOKEN=$(jf_user "$app_url" roles-admin admin)
check "a user made with the app role" test -n "$TOKEN"
# Today in Japan, so the scan below checks the person in.
day=$(TZ=Asia/Tokyo date +%F)
req POST /api/v1/events '{"type":"joint_interview_fair","title":"権限の面接会","starts_at":"'"$day"'T10:00:00+09:00","ends_at":"'"$day"'T16:00:00+09:00","organizer":"joint","status":"open"}'
check "event 201" eq "$STATUS" 201
fair=$(jbody .id)
req POST "/api/v1/events/$fair/registrations" '{"name":"山田 太郎","name_kana":"やまだ　たろう","birth_date":"1989-06-10","phone":"09012345678","categories":["parenting"],"consent":true}'
check "registration 201" eq "$STATUS" 201
tok=$(jbody .checkin_token)
req POST "/api/v1/events/$fair/checkins" "{\"token\":\"$tok\",\"nonce\":\"n-roles-1\",\"desk\":\"desk-1\"}"
check "check-in 200" eq "$STATUS:$(jbody .result)" 200:checked_in
check "the check-in is on the audit trail" eq "$(psql "$app_url" -qAtc "SELECT count(*) FROM audit_trail WHERE action = 'checkin' AND object_type = 'registration' AND scan_id IS NOT NULL")" 1
check "the app role strips names from a scan's answer (the purge)" psql "$app_url" -qAt -v ON_ERROR_STOP=1 -c "UPDATE scans SET response = response - '{name,name_kana}'::text[]" -o /dev/null
refused() { ! psql "$app_url" -qAt -v ON_ERROR_STOP=1 -c "$1" >/dev/null 2>&1; }
check "  and nothing else: the trigger refuses an answer changed" refused "UPDATE scans SET response = response || jsonb_build_object('result', 'cancelled')"
req GET "/api/v1/events/$fair/report"
check "a report as the app role" eq "$STATUS" 200
check "jobfaird stopped cleanly" jf_server_stop "$JF_PID"

# A restart: the owner finds nothing to apply, the app role still serves.
jf_server_start "$app_url" --migrate-database-url "$owner_url" || exit 1
check "no migration applied again" grep -q '(0 applied now' "$JF_LOG"
check "stopped cleanly again" jf_server_stop "$JF_PID"
done_testing
