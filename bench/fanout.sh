#!/usr/bin/env bash
# Figure 7 of the benchmarks (not part of the test suite): dashboard
# fan-out. 1,000 projectors' stats streams on one jobfaird, opened with a
# dashboard access link; the memory they add, /healthz meanwhile, and the
# time from a check-in to the last stream's new numbers (bench/fanout.py).
#
#   bench/fanout.sh                      # on its own: builds Release in
#                                        # build-bench/, its own PostgreSQL
#   bench/fanout.sh URL PID DATABASE_URL # a running jobfaird (bench/run.sh)
#
# BENCH_STREAMS (default 1000; jobfaird takes at most 1,000), BENCH_PUSHES
# (check-ins timed, default 5). Prints fanout_*=… lines and a JSON line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
work=$(mktemp -d /tmp/jobfair-fanout.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -d "$work/pg" ] && deploy/pg.sh stop "$work/pg" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

if [ $# -ge 3 ]; then
	base=$1 jpid=$2 db=$3
	bin=${JOBFAIR_BIN:-build-bench/server/jobfaird}
else
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-bench -j"$(nproc)" >/dev/null
	bin=build-bench/server/jobfaird
	db=$(deploy/pg.sh start "$work/pg")
	JOBFAIR_DATABASE_URL=$db $bin migrate 2>/dev/null
	base=http://127.0.0.1:18090
	JOBFAIR_DATABASE_URL=$db $bin --listen 127.0.0.1:18090 --no-migrate 2>"$work/jobfaird.log" &
	jpid=$!
	pids+=("$jpid")
	for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
fi

day=$(TZ=Asia/Tokyo date +%F)
org=$(JOBFAIR_DATABASE_URL=$db $bin user add "fanout-org-$$" --role organizer | tail -n 1)
desk=$(JOBFAIR_DATABASE_URL=$db $bin user add "fanout-desk-$$" --role frontdesk | tail -n 1)
event=$(psql "$db" -qAtc "INSERT INTO events (type, title, starts_at, ends_at, target_seekers,
        target_companies, organizer, status)
    VALUES ('joint_interview_fair', 'fan-out bench', '$day 00:00+09', '$day 23:59+09', 100, 30, 'city', 'open')
    RETURNING id" | head -n 1)
psql "$db" -qAtc "INSERT INTO registrations (event_id, name, name_kana, status, consent_at, checkin_token)
    SELECT $event, 'fan ' || i, 'ファン', 'registered', now(),
           'JF1-' || translate(upper(substr(md5(random()::text || i), 1, 26)), '0189', 'WXYZ')
    FROM generate_series(1, 100) AS i" >/dev/null
psql "$db" -qAtc "SELECT checkin_token FROM registrations WHERE event_id = $event" >"$work/tokens"
link=$(curl -sf -X POST -H "Authorization: Bearer $org" -H 'Content-Type: application/json' \
	-d '{"kind":"dashboard","label":"fan-out bench"}' "$base/api/v1/events/$event/links" | jq -r .secret)
python3 bench/fanout.py "$base" "$jpid" "$event" "$link" "$desk" "$work/tokens" \
	"${BENCH_STREAMS:-1000}" "${BENCH_PUSHES:-5}"
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
