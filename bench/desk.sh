#!/usr/bin/env bash
# The desk page in headless Chromium (bench/desk_page.py): scan-to-answer
# time at a USB scanner's pace, and the camera's decode time per frame.
# Its own PostgreSQL and jobfaird (build-bench, Release; built when
# missing). BENCH_SCANS (default 200) codes at BENCH_RATE (default 10)
# per second: each registration twice, so half the answers are 受付OK
# and half 受付済み. Prints one line "desk_scan_p50_ms=… …".
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${BENCH_BUILD:-build-bench}
scans=${BENCH_SCANS:-200}
[ -x "$build/server/jobfaird" ] || {
	cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$build" -j"$(nproc)" --target jobfaird >/dev/null
}

work=$(mktemp -d /tmp/jobfair-deskbench.XXXXXX)
chmod 755 "$work"
jpid=
cleanup() {
	[ -z "$jpid" ] || { kill -TERM "$jpid" 2>/dev/null || true; wait "$jpid" 2>/dev/null || true; }
	deploy/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

url=$(deploy/pg.sh start "$work/pg")
JOBFAIR_DATABASE_URL=$url "$build/server/jobfaird" migrate 2>/dev/null
printf 'bench-password-1\n' | JOBFAIR_DATABASE_URL=$url "$build/server/jobfaird" user add desk \
	--role frontdesk --password-stdin >/dev/null
organizer=$(JOBFAIR_DATABASE_URL=$url "$build/server/jobfaird" user add org --role organizer | tail -n 1)
# Check-ins are taken on the event's day only: today in Japan.
day=$(TZ=Asia/Tokyo date +%F)
event=$(psql "$url" -qAtc "INSERT INTO events (type, title, starts_at, ends_at, target_seekers, organizer, status)
    VALUES ('joint_interview_fair', 'desk bench', '$day 00:00+09', '$day 23:59+09', 500, 'joint', 'open')
    RETURNING id" | head -n 1)
psql "$url" -qAtc "INSERT INTO registrations (event_id, name, name_kana, status, categories, consent_at, checkin_token)
    SELECT $event, '求職者 ' || i, 'キュウショクシャ', 'registered', '{youth}', now(),
           'JF1-' || translate(upper(substr(md5(i::text), 1, 26)), '0189', 'WXYZ')
    FROM generate_series(1, $((scans / 2))) i" >/dev/null
psql "$url" -qAtc "SELECT checkin_token FROM registrations WHERE event_id = $event ORDER BY id" >"$work/tokens.txt"
first=$(psql "$url" -qAtc "SELECT min(id) FROM registrations WHERE event_id = $event")

# A free port: other benchmarks may hold the usual ones.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
JOBFAIR_DATABASE_URL=$url "$build/server/jobfaird" --listen 127.0.0.1:$port --no-migrate 2>"$work/jobfaird.log" &
jpid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
curl -sSf -H "Authorization: Bearer $organizer" \
	"http://127.0.0.1:$port/api/v1/registrations/$first/qr.png?scale=8" >"$work/qr.png"

/usr/bin/python3 bench/desk_page.py "http://127.0.0.1:$port" desk bench-password-1 "$event" \
	"$work/tokens.txt" "$work/qr.png" "${BENCH_RATE:-10}" "$work"
