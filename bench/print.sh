#!/usr/bin/env bash
# The paper-and-Excel benchmark (not part of the test suite): builds
# Release in build-bench/, starts a throw-away PostgreSQL and measures
#   1. 1,000 受付票 as one PDF (GET …/print/slips.pdf): time, median of
#      BENCH_RUNS (default 3), and jobfaird's peak RSS before and after
#   2. GET /healthz and a check-in (POST …/checkins), one request at a
#      time, idle and while 1,000 受付票 render again and again: p50/p99
#   3. the fiscal year's 目標値一覧 as .xlsx over ten years of data
#      (bench/load_years.sql), median of 5, next to its JSON
# Prints a table and one JSON line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runs=${BENCH_RUNS:-3}

deploy/deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null

work=$(mktemp -d /tmp/jobfair-bench-print.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	deploy/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pct() { sort -g | awk -v p="$1" '{a[NR]=$1} END {i=int(NR*p/100+0.999); if (i<1) i=1; print a[i]}'; }
rss_peak_mb() { awk '/^VmHWM/ {printf "%.1f\n", $2 / 1024}' "/proc/$1/status"; }
rss_now_mb() { awk '/^VmRSS/ {printf "%.1f\n", $2 / 1024}' "/proc/$1/status"; }
# CPU seconds (user + system) the process has used: on a loaded machine
# the wall time says more about the neighbours than about the work.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$1/stat"; }

echo "bench: PostgreSQL in $work/pg" >&2
url=$(deploy/pg.sh start "$work/pg")
JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird migrate 2>/dev/null
org=$(JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird user add org --role organizer | tail -n 1)
desk=$(JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird user add desk --role frontdesk | tail -n 1)
# Event 1: 1,000 registered seekers to print. Event 2: 20,000 to check in.
psql "$url" -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO events (id, type, title, starts_at, ends_at, venue, organizer, status) VALUES
  (1, 'senior_company_meeting', '令和6年度 アクティブシニアのための企業面談会', '2024-10-05 13:00+09',
   '2024-10-05 16:00+09', '山口市産業交流拠点施設 1階 展示ホール', 'city', 'open'),
  (2, 'joint_interview_fair', '合同就職面接会', '2024-10-06 13:00+09', '2024-10-06 16:00+09', '市民会館', 'joint', 'open');
ALTER TABLE registrations DISABLE TRIGGER registrations_count;
INSERT INTO registrations (event_id, name, name_kana, consent_at, checkin_token)
SELECT e, (ARRAY['山田 太郎', '髙橋 花子', '𠮷野 一郎', '佐々木 由美子', '渡邉 健'])[1 + i % 5] || i,
       'ヤマダ タロウ', now(), 'JF1-' || upper(substr(md5(e || '-' || i), 1, 26))
FROM (VALUES (1, 1000), (2, 20000)) AS s(e, n), generate_series(1, n) AS i;
ALTER TABLE registrations ENABLE TRIGGER registrations_count;
UPDATE registrations SET checkin_token = translate(checkin_token, '0189', 'QRST');
SQL
psql "$url" -qAtc "SELECT checkin_token FROM registrations WHERE event_id = 2 ORDER BY random()" >"$work/tokens"

port=18090
JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird --listen 127.0.0.1:$port --no-migrate \
	2>"$work/jobfaird.log" &
jpid=$!
pids+=("$jpid")
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base=http://127.0.0.1:$port
slips() { curl -s -o "$work/slips.pdf" -w '%{time_total}\n' -H "Authorization: Bearer $org" \
	"$base/api/v1/events/1/print/slips.pdf"; }

# 1. Time and memory.
rss_before=$(rss_now_mb "$jpid")
cpu_before=$(cpu_s "$jpid")
slip_s=$(for _ in $(seq 1 "$runs"); do slips; done | median)
slip_cpu=$(awk -v a="$cpu_before" -v b="$(cpu_s "$jpid")" -v n="$runs" 'BEGIN {printf "%.2f", (b - a) / n}')
rss_peak=$(rss_peak_mb "$jpid")
pages=$(pdfinfo "$work/slips.pdf" | awk '/^Pages:/ {print $2}')
size_mb=$(du -m "$work/slips.pdf" | cut -f1)
echo "bench: 1,000 slips in ${slip_s}s (${slip_cpu}s CPU), $pages pages, ${size_mb} MB; RSS ${rss_before} MB before, peak ${rss_peak} MB" >&2

# 2. Latency one request at a time: N of each, idle and while rendering.
n=${BENCH_REQUESTS:-200}
next=0
latencies() { # latencies FILE_HEALTH FILE_CHECKIN
	: >"$1"
	: >"$2"
	for _ in $(seq 1 "$n"); do
		curl -s -o /dev/null -w '%{time_total}\n' "$base/healthz" >>"$1"
		next=$((next + 1))
		tok=$(sed -n "${next}p" "$work/tokens")
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $desk" \
			-H 'Content-Type: application/json' \
			--data "{\"token\":\"$tok\",\"desk\":\"bench\",\"nonce\":\"bench-print-$next\"}" \
			"$base/api/v1/events/2/checkins" >>"$2"
	done
}
ms() { awk '{printf "%.1f\n", $1 * 1000}' "$1" | pct "$2"; }
latencies "$work/h_idle" "$work/c_idle"
(while :; do slips >/dev/null; done) &
render_pid=$!
pids+=("$render_pid")
sleep 0.3
latencies "$work/h_busy" "$work/c_busy"
kill "$render_pid" 2>/dev/null || true
wait "$render_pid" 2>/dev/null || true

# 3. The 目標値一覧 as .xlsx over ten fiscal years.
echo "bench: loading ten fiscal years (about a minute)" >&2
psql "$url" -qAtc "CREATE DATABASE years" >/dev/null
yurl=${url/\/jobfair\?/\/years?}
JOBFAIR_DATABASE_URL=$yurl build-bench/server/jobfaird migrate 2>/dev/null
viewer=$(JOBFAIR_DATABASE_URL=$yurl build-bench/server/jobfaird user add viewer --role viewer | tail -n 1)
psql "$yurl" -q -f bench/load_years.sql >/dev/null
yport=18092
JOBFAIR_DATABASE_URL=$yurl build-bench/server/jobfaird --listen 127.0.0.1:$yport --no-migrate 2>/dev/null &
pids+=("$!")
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$yport/healthz" >/dev/null && break; sleep 0.1; done
time_ms() {
	curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $viewer" \
		"http://127.0.0.1:$yport$1" | awk '{printf "%.1f\n", $1 * 1000}'
}
time_ms '/api/v1/reports/fiscal-year/2024?format=xlsx' >/dev/null # warm
xlsx_ms=$(for _ in $(seq 1 5); do time_ms '/api/v1/reports/fiscal-year/2024?format=xlsx'; done | median)
json_ms=$(for _ in $(seq 1 5); do time_ms /api/v1/reports/fiscal-year/2024; done | median)

h50i=$(ms "$work/h_idle" 50) h99i=$(ms "$work/h_idle" 99) h50b=$(ms "$work/h_busy" 50) h99b=$(ms "$work/h_busy" 99)
c50i=$(ms "$work/c_idle" 50) c99i=$(ms "$work/c_idle" 99) c50b=$(ms "$work/c_busy" 50) c99b=$(ms "$work/c_busy" 99)
printf '%-58s %12s\n' \
	"1,000 受付票 as one PDF ($pages pages, $size_mb MB), s" "$slip_s" \
	"  of which jobfaird's CPU (read, render, reply), s" "$slip_cpu" \
	"jobfaird RSS before / peak after, MB" "$rss_before / $rss_peak" \
	"/healthz p50 / p99 idle, ms" "$h50i / $h99i" \
	"/healthz p50 / p99 while rendering, ms" "$h50b / $h99b" \
	"check-in p50 / p99 idle, ms" "$c50i / $c99i" \
	"check-in p50 / p99 while rendering, ms" "$c50b / $c99b" \
	"目標値一覧 .xlsx over 10 years, ms (JSON: $json_ms)" "$xlsx_ms"
printf '{"slips_1000_s":%s,"slips_1000_cpu_s":%s,"rss_before_mb":%s,"rss_peak_mb":%s,"healthz_p99_idle_ms":%s,"healthz_p99_busy_ms":%s,"checkin_p99_idle_ms":%s,"checkin_p99_busy_ms":%s,"fy_xlsx_ms":%s,"fy_json_ms":%s}\n' \
	"$slip_s" "$slip_cpu" "$rss_before" "$rss_peak" "$h99i" "$h99b" "$c99i" "$c99b" "$xlsx_ms" "$json_ms"
