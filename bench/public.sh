#!/usr/bin/env bash
# The public door's benchmark (not part of the test suite): builds
# Release in build-bench/, starts a throw-away PostgreSQL and one
# jobfaird with --public-listen, and measures for BENCH_SECONDS (default
# 10) each:
#   1. check-ins alone on the staff address (wrk, 8 connections): req/s, p99
#   2. applications alone on the public door (wrk, 8 connections, every
#      one a new person, 303 to the receipt): applications/s, p99
#   3. both at once: applications/s and the check-ins' p99 beside them
# A 303 counts as an answer here (wrk counts it as non-2xx: subtracted).
# Prints a table and one JSON line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=${BENCH_SECONDS:-10}

. bench/lib.sh
bench_setup public wrk:wrk

echo "bench: PostgreSQL in $work/pg" >&2
url=$(bench_pg_start pg)
JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird migrate 2>/dev/null
desk=$(JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird user add desk --role frontdesk | tail -n 1)
# Event 1: today, 20,000 registered to check in. Event 2: in a month,
# open to the public, no capacity.
psql "$url" -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO events (id, type, title, starts_at, ends_at, venue, organizer, status) VALUES
  (1, 'joint_interview_fair', '合同就職面接会', now() - interval '1 hour', now() + interval '5 hours',
   '市民会館', 'joint', 'open');
INSERT INTO events (id, type, title, starts_at, ends_at, venue, organizer, status, public_open) VALUES
  (2, 'senior_company_meeting', 'アクティブシニアのための企業面談会', now() + interval '30 days',
   now() + interval '30 days 3 hours', '山口市民会館', 'city', 'open', true);
SELECT setval(pg_get_serial_sequence('events', 'id'), 2);
ALTER TABLE registrations DISABLE TRIGGER registrations_count;
INSERT INTO registrations (event_id, name, name_kana, consent_at, checkin_token)
SELECT 1, '山田 太郎' || i, 'ヤマダ タロウ', now(), 'JF1-' || upper(substr(md5('1-' || i), 1, 26))
FROM generate_series(1, 20000) AS i;
ALTER TABLE registrations ENABLE TRIGGER registrations_count;
UPDATE registrations SET checkin_token = translate(checkin_token, '0189', 'QRST');
SQL
psql "$url" -qAtc "SELECT '1 ' || checkin_token FROM registrations WHERE event_id = 1 ORDER BY random()" >"$work/tokens"

port=18095 pport=18096
JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird --listen 127.0.0.1:$port \
	--public-listen 127.0.0.1:$pport --apply-rate 100000 --no-migrate 2>"$work/jobfaird.log" &
pids+=("$!")
bench_wait_http "http://127.0.0.1:$port/healthz"
curl -s -c "$work/cookies" -o "$work/form.html" "http://127.0.0.1:$pport/apply/events/2"
export BENCH_EVENT=2
BENCH_NONCE=$(awk '$6 == "jf_form" {print $7}' "$work/cookies")
BENCH_CSRF=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$work/form.html" | sed 's/.*value="//; s/"//')
BENCH_PURPOSE=$(grep -o 'name="purpose_id" value="[0-9]*"' "$work/form.html" | sed 's/.*value="//; s/"//')
export BENCH_NONCE BENCH_CSRF BENCH_PURPOSE

checkins() {
	BENCH_TOKENS=$work/tokens BENCH_TOKEN=$desk \
		wrk -t1 -c8 -d"${secs}s" -s bench/checkin.lua "http://127.0.0.1:$port"
}
applications() { BENCH_RUN=$1 wrk -t1 -c8 -d"${secs}s" -s bench/public.lua "http://127.0.0.1:$pport"; }
rps() { awk '/^Requests\/sec/ {print $2}' <<<"$1"; }
p99() { sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$1"; }

echo "bench: check-ins alone" >&2
c1=$(checkins)
echo "bench: applications alone" >&2
a1=$(applications 1)
echo "bench: both at once" >&2
applications 2 >"$work/a2" &
apid=$!
c2=$(checkins)
wait "$apid"
a2=$(cat "$work/a2")
rows=$(psql "$url" -qAtc "SELECT count(*) FROM registrations WHERE event_id = 2")
bad=$(psql "$url" -qAtc "SELECT count(*) FROM public_receipts WHERE registration_id IS NULL")

printf '%-48s %12s %10s\n' "" "per second" "p99 ms"
printf '%-48s %12s %10s\n' "check-ins alone (staff address)" "$(rps "$c1")" "$(p99 "$c1")"
printf '%-48s %12s %10s\n' "applications alone (public door)" "$(rps "$a1")" "$(p99 "$a1")"
printf '%-48s %12s %10s\n' "check-ins during applications" "$(rps "$c2")" "$(p99 "$c2")"
printf '%-48s %12s %10s\n' "applications during check-ins" "$(rps "$a2")" "$(p99 "$a2")"
echo "registrations made by the public form: $rows (refused as twins: $bad)"
printf '{"checkin_rps":%s,"checkin_p99_ms":%s,"apply_rps":%s,"apply_p99_ms":%s,"checkin_rps_during":%s,"checkin_p99_ms_during":%s,"apply_rps_during":%s,"apply_p99_ms_during":%s}\n' \
	"$(rps "$c1")" "$(p99 "$c1")" "$(rps "$a1")" "$(p99 "$a1")" \
	"$(rps "$c2")" "$(p99 "$c2")" "$(rps "$a2")" "$(p99 "$a2")"
