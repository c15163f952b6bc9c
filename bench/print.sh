#!/usr/bin/env bash
# The paper-and-Excel benchmark (not part of the test suite): builds
# Release in build-bench/, starts a throw-away PostgreSQL and measures,
# BENCH_RUNS times (default 3), printing every run:
#   1. 1,000 受付票 as one PDF (GET …/print/slips.pdf): wall time,
#      jobfaird's CPU time, and its RSS before, at its peak (the peak is
#      reset before each run) and a second after the reply
#   2. GET /healthz and a check-in (POST …/checkins, each a first scan
#      on the event's day), one request at a time, BENCH_REQUESTS
#      (default 200) of each, idle and while 1,000 受付票 render again
#      and again: p50/p99
#   3. the fiscal year's 目標値一覧 as .xlsx over ten years of data
#      (bench/load_years.sql), median of 5, next to its JSON
# Prints a table and one JSON line, with the load average at the end.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runs=${BENCH_RUNS:-3}

. bench/lib.sh
bench_setup print
rss_peak_mb() { awk '/^VmHWM/ {printf "%.1f\n", $2 / 1024}' "/proc/$1/status"; }
rss_now_mb() { awk '/^VmRSS/ {printf "%.1f\n", $2 / 1024}' "/proc/$1/status"; }
# rss_kind_mb PID Anon|File: of the RSS, the memory jobfaird allocated
# or the files it maps (the fonts FreeType maps count there, shared with
# the page cache).
rss_kind_mb() { awk -v k="Rss$2:" '$1 == k {printf "%.1f\n", $2 / 1024}' "/proc/$1/status"; }

echo "bench: PostgreSQL in $work/pg" >&2
url=$(bench_pg_start pg)
JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird migrate 2>/dev/null
org=$(JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird user add org --role organizer | tail -n 1)
desk=$(JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird user add desk --role frontdesk | tail -n 1)
# Event 1: 1,000 registered seekers to print. Event 2: 20,000 to check in.
psql "$url" -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO events (id, type, title, starts_at, ends_at, venue, organizer, status) VALUES
  (1, 'senior_company_meeting', '令和6年度 アクティブシニアのための企業面談会', '2024-10-05 13:00+09',
   '2024-10-05 16:00+09', '山口市産業交流拠点施設 1階 展示ホール', 'city', 'open'),
  -- Check-ins are taken only on an event's days: today in Japan.
  (2, 'joint_interview_fair', '合同就職面接会', ((now() AT TIME ZONE 'Asia/Tokyo')::date + time '00:00') AT TIME ZONE 'Asia/Tokyo',
   ((now() AT TIME ZONE 'Asia/Tokyo')::date + time '23:59') AT TIME ZONE 'Asia/Tokyo', '市民会館', 'joint', 'open');
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
bench_wait_http "http://127.0.0.1:$port/healthz"
base=http://127.0.0.1:$port
slips() { curl -s -o "$work/slips.pdf" -w '%{time_total}\n' -H "Authorization: Bearer $org" \
	"$base/api/v1/events/1/print/slips.pdf"; }

# 3's data first, so that every run measures all three.
echo "bench: loading ten fiscal years" >&2
psql "$url" -qAtc "CREATE DATABASE years" >/dev/null
yurl=${url/\/jobfair\?/\/years?}
JOBFAIR_DATABASE_URL=$yurl build-bench/server/jobfaird migrate 2>/dev/null
viewer=$(JOBFAIR_DATABASE_URL=$yurl build-bench/server/jobfaird user add viewer --role viewer | tail -n 1)
psql "$yurl" -q -f bench/load_years.sql >/dev/null
yport=18092
JOBFAIR_DATABASE_URL=$yurl build-bench/server/jobfaird --listen 127.0.0.1:$yport --no-migrate 2>/dev/null &
pids+=("$!")
bench_wait_http "http://127.0.0.1:$yport/healthz"
time_ms() {
	curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $viewer" \
		"http://127.0.0.1:$yport$1" | awk '{printf "%.1f\n", $1 * 1000}'
}
time_ms '/api/v1/reports/fiscal-year/2024?format=xlsx' >/dev/null # warm

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
ms() { awk '{printf "%.1f\n", $1 * 1000}' "$1" | bench_pct "$2"; }
declare -A fig
add() { fig[$1]="${fig[$1]:+${fig[$1]} / }$2"; } # add NAME VALUE: one run's figure
for run in $(seq 1 "$runs"); do
	# 1. Time and memory of one document; the peak RSS counts from here.
	echo 5 >"/proc/$jpid/clear_refs"
	add rss_before "$(rss_now_mb "$jpid")"
	cpu_before=$(bench_cpu_s "$jpid")
	add slips_s "$(slips)"
	add slips_cpu "$(awk -v a="$cpu_before" -v b="$(bench_cpu_s "$jpid")" 'BEGIN {printf "%.2f", b - a}')"
	add rss_peak "$(rss_peak_mb "$jpid")"
	sleep 1
	add rss_after_anon "$(rss_kind_mb "$jpid" Anon)"
	add rss_after_file "$(rss_kind_mb "$jpid" File)"
	# 2. Latency one request at a time, idle and while rendering.
	latencies "$work/h_idle" "$work/c_idle"
	(while :; do slips >/dev/null; done) &
	render_pid=$!
	sleep 0.3
	latencies "$work/h_busy" "$work/c_busy"
	kill "$render_pid" 2>/dev/null || true
	wait "$render_pid" 2>/dev/null || true
	# The render curl left still runs in the server: the next run's
	# "before" waits for jobfaird to stop using CPU.
	a=$(bench_cpu_s "$jpid")
	while sleep 0.5 && b=$(bench_cpu_s "$jpid") && [ "$a" != "$b" ]; do a=$b; done
	for f in h_idle h_busy c_idle c_busy; do
		add "${f}_50" "$(ms "$work/$f" 50)"
		add "${f}_99" "$(ms "$work/$f" 99)"
	done
	# 3. The 目標値一覧 as .xlsx over ten fiscal years.
	add xlsx_ms "$(for _ in $(seq 1 5); do time_ms '/api/v1/reports/fiscal-year/2024?format=xlsx'; done | bench_median)"
	add json_ms "$(for _ in $(seq 1 5); do time_ms /api/v1/reports/fiscal-year/2024; done | bench_median)"
	echo "bench: run $run done (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done
pages=$(pdfinfo "$work/slips.pdf" | awk '/^Pages:/ {print $2}')
size_mb=$(du -m "$work/slips.pdf" | cut -f1)
results=$(psql "$url" -qAtc "SELECT string_agg(result || ' ' || n, ', ') FROM
	(SELECT result, count(*) n FROM scans WHERE event_id = 2 GROUP BY 1) s")
echo "bench: check-in answers: $results" >&2
printf '%-50s %s\n' \
	"1,000 受付票 as one PDF ($pages pages, $size_mb MB), s" "${fig[slips_s]}" \
	"  of which jobfaird's CPU (read, render, reply), s" "${fig[slips_cpu]}" \
	"jobfaird RSS before, MB" "${fig[rss_before]}" \
	"jobfaird RSS peak while rendering, MB" "${fig[rss_peak]}" \
	"jobfaird RSS a second after the reply: allocated, MB" "${fig[rss_after_anon]}" \
	"  and mapped files (fonts), MB" "${fig[rss_after_file]}" \
	"/healthz p50 idle, ms" "${fig[h_idle_50]}" \
	"/healthz p99 idle, ms" "${fig[h_idle_99]}" \
	"/healthz p50 while rendering, ms" "${fig[h_busy_50]}" \
	"/healthz p99 while rendering, ms" "${fig[h_busy_99]}" \
	"check-in p50 idle, ms" "${fig[c_idle_50]}" \
	"check-in p99 idle, ms" "${fig[c_idle_99]}" \
	"check-in p50 while rendering, ms" "${fig[c_busy_50]}" \
	"check-in p99 while rendering, ms" "${fig[c_busy_99]}" \
	"目標値一覧 .xlsx over 10 years, ms" "${fig[xlsx_ms]}" \
	"  the same as JSON, ms" "${fig[json_ms]}" \
	"load average at the end" "$(cut -d' ' -f1-3 /proc/loadavg)"
json='{'
for k in "${!fig[@]}"; do json+="\"$k\":[${fig[$k]// \/ /,}],"; done
echo "${json%,}}"
