#!/usr/bin/env bash
# The benchmark harness (not part of the test suite). Builds Release,
# starts a throw-away PostgreSQL the way the tests do, loads a realistic
# data set and measures, side by side:
#   1. check-in through jobfaird (wrk) vs the same SQL straight into
#      PostgreSQL (pgbench) with as many connections as jobfaird's pool,
#      same time; pgbench with as many connections as wrk for reference;
#      and a minimal check-in-shaped transaction (bench/checkin_min.pgbench)
#      at the pool's size, the physical limit the check-in's SQL is
#      measured against
#   2. GET /healthz vs nginx serving a file of the same size
#   3. jobfaird's peak RSS during 1
#   4. QR PNG codes rendered per second on one core
#   5. the fiscal-year and a post-event report over ten years of data
#   6. a 10,000-row CP932 registrations import through the CLI
#   7. the desk page in Chromium: scan-to-answer at 10 scans/s and the
#      camera's QR decode time per frame (bench/desk.sh)
#   8. dashboard fan-out: 1,000 stats streams (bench/fanout.sh)
# Prints a table and one JSON line. BENCH_RUNS (default 3) runs each
# throughput figure; the table gives the median and every run (a target is
# met only when every run meets it), the JSON line the median and the
# runs; BENCH_SECONDS (default 10)
# is the length of one run; BENCH_CONNECTIONS (default 16) are wrk's
# connections; BENCH_POOL (default: jobfaird's own default) is its pool;
# BENCH_PERF=1 adds a perf profile of the first check-in run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runs=${BENCH_RUNS:-3}
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-16}
pool=${BENCH_POOL:-}

. bench/lib.sh
perf_tool=
[ "${BENCH_PERF:-0}" != 1 ] || perf_tool=perf:linux-perf
bench_setup run wrk:wrk nginx:nginx-light $perf_tool
bench_checkin_data

port=18080
JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird --listen 127.0.0.1:$port \
	${pool:+--pool-size "$pool"} --no-migrate 2>"$work/jobfaird.log" &
jpid=$!
pids+=("$jpid")
bench_wait_http "http://127.0.0.1:$port/healthz"
# The pool jobfaird chose, from its start-up line, when not set here.
[ -n "$pool" ] || pool=$(sed -n 's/.*pool of \([0-9]*\) connections.*/\1/p' "$work/jobfaird.log" | head -n 1)

# 1. Check-in: pgbench (the database's ceiling) and jobfaird, alternating.
# The minimal check-in-shaped transaction (bench/checkin_min.pgbench) at
# the pool's size is the physical limit the check-in statement is
# measured against.
pg_tps=() pg16_tps=() min_tps=() jf_rps=() jf_p50=() jf_p99=() jf_bad=()
for r in $(seq 1 "$runs"); do
	pg_tps+=("$(bench_pgbench bench/checkin.pgbench "$pool" "$secs")")
	pg16_tps+=("$(bench_pgbench bench/checkin.pgbench "$conns" "$secs")")
	min_tps+=("$(bench_pgbench bench/checkin_min.pgbench "$pool" "$secs")")
	bench_reset
	# BENCH_PERF=1: a system-wide profile of the first jobfaird run,
	# summarised per program and per function in build-bench/checkin-perf.txt.
	if [ "${BENCH_PERF:-0}" = 1 ] && [ "$r" = 1 ]; then
		perf record -a -g -o "$work/perf.data" -- sleep "$((secs - 2))" 2>/dev/null &
		perf_pid=$!
	fi
	out=$(bench_wrk_checkins "http://127.0.0.1:$port" "$conns" "$secs")
	if [ -n "${perf_pid:-}" ]; then
		wait "$perf_pid"
		perf_pid=
		{
			perf report -i "$work/perf.data" --no-children --sort comm --stdio -g none
			perf report -i "$work/perf.data" --children --comm postgres --sort sym --stdio -g none
			perf report -i "$work/perf.data" --no-children --comm jobfaird --sort dso,sym --stdio -g none
		} 2>/dev/null | grep -v '^$' >build-bench/checkin-perf.txt
	fi
	jf_rps+=("$(awk '/^Requests\/sec/ {print $2}' <<<"$out")")
	jf_p50+=("$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$out")")
	jf_p99+=("$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$out")")
	jf_bad+=("$(sed -n 's/.*non2xx=\([0-9]*\) errors=\([0-9]*\).*/\1+\2/p' <<<"$out")")
	echo "bench: run $r check-in pgbench ${pg_tps[-1]} tps (c=$pool), ${pg16_tps[-1]} tps (c=$conns), minimal ${min_tps[-1]} tps, jobfaird ${jf_rps[-1]} req/s p99 ${jf_p99[-1]} ms" >&2
done
pg_med=$(printf '%s\n' "${pg_tps[@]}" | bench_median)
pg16_med=$(printf '%s\n' "${pg16_tps[@]}" | bench_median)
min_med=$(printf '%s\n' "${min_tps[@]}" | bench_median)
jf_med=$(printf '%s\n' "${jf_rps[@]}" | bench_median)
p50_med=$(printf '%s\n' "${jf_p50[@]}" | bench_median)
p99_med=$(printf '%s\n' "${jf_p99[@]}" | bench_median)
ratio=$(awk -v a="$jf_med" -v b="$pg_med" 'BEGIN {printf "%.2f", a / b}')
cost_ratio=$(awk -v a="$pg_med" -v b="$min_med" 'BEGIN {printf "%.2f", a / b}')
# per_run_ratio A[@] B[@]: run i of A over run i of B, one per line.
per_run_ratio() {
	paste <(printf '%s\n' "${!1}") <(printf '%s\n' "${!2}") |
		awk '{printf "%.2f\n", $1 / $2}'
}
mapfile -t ratios < <(per_run_ratio 'jf_rps[@]' 'pg_tps[@]')
mapfile -t cost_ratios < <(per_run_ratio 'pg_tps[@]' 'min_tps[@]')
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$jpid/status")
rss_mb=$(awk -v k="$rss_kb" 'BEGIN {printf "%.1f", k / 1024}')

# 2. HTTP overhead: /healthz against nginx (one worker) serving a file of
# the same size.
mkdir -p "$work/nginx/html"
curl -s "http://127.0.0.1:$port/healthz" >"$work/nginx/html/healthz"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	server {
		listen 127.0.0.1:18081;
		root $work/nginx/html;
		location = /healthz { default_type application/json; }
	}
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=("$!")
sleep 0.5
ng=() jh=()
for r in $(seq 1 "$runs"); do
	ng+=("$(wrk -t2 -c"$conns" -d"${secs}s" http://127.0.0.1:18081/healthz | awk '/^Requests\/sec/ {print $2}')")
	jh+=("$(wrk -t2 -c"$conns" -d"${secs}s" "http://127.0.0.1:$port/healthz" | awk '/^Requests\/sec/ {print $2}')")
	echo "bench: run $r healthz nginx ${ng[-1]} req/s, jobfaird ${jh[-1]} req/s" >&2
done
ng_med=$(printf '%s\n' "${ng[@]}" | bench_median)
jh_med=$(printf '%s\n' "${jh[@]}" | bench_median)
http_ratio=$(awk -v a="$jh_med" -v b="$ng_med" 'BEGIN {printf "%.2f", a / b}')
mapfile -t http_ratios < <(per_run_ratio 'jh[@]' 'ng[@]')

# 4. QR codes on one core.
qr=$(taskset -c 0 build-bench/bench/bench_qr 5 | sed -n 's/qr_png_per_second=\([0-9]*\).*/\1/p')

# 5. Reports over ten fiscal years, in a database of their own; the plans
# PostgreSQL chose are kept in build-bench/report-plans.txt.
echo "bench: loading ten fiscal years (about a minute)" >&2
psql "$url" -qAtc "CREATE DATABASE years" >/dev/null
yurl=${url/\/jobfair\?/\/years?}
JOBFAIR_DATABASE_URL=$yurl build-bench/server/jobfaird migrate 2>/dev/null
JOBFAIR_DATABASE_URL=$yurl build-bench/server/jobfaird user add viewer --role viewer | tail -n 1 >"$work/viewer"
psql "$yurl" -q -f bench/load_years.sql >/dev/null
yport=18082
JOBFAIR_DATABASE_URL=$yurl build-bench/server/jobfaird --listen 127.0.0.1:$yport --no-migrate 2>/dev/null &
pids+=("$!")
bench_wait_http "http://127.0.0.1:$yport/healthz"
ev=$(psql "$yurl" -qAtc "SELECT id FROM events WHERE fiscal_year = 2024 AND type = 'joint_interview_fair' LIMIT 1")
time_ms() {
	curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $(cat "$work/viewer")" \
		"http://127.0.0.1:$yport$1" | awk '{printf "%.1f\n", $1 * 1000}'
}
time_ms /api/v1/reports/fiscal-year/2024 >/dev/null # warm the cache once
fy_ms=$(for _ in $(seq 1 5); do time_ms /api/v1/reports/fiscal-year/2024; done | bench_median)
ev_ms=$(for _ in $(seq 1 5); do time_ms "/api/v1/events/$ev/report"; done | bench_median)
psql "$yurl" -q >build-bench/report-plans.txt 2>&1 <<SQL
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_analyze = on;
SET client_min_messages = log;
SELECT length(report_fiscal_year(2024)::text);
SELECT length(report_event($ev)::text);
SQL

# 6. Import: 10,000 CP932 rows through the CLI.
import_s=$(bench/import.sh "http://127.0.0.1:$port" \
	"$(JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird user add importer --role organizer | tail -n 1)" \
	"$(psql "$url" -qAtc "INSERT INTO events (type, title, starts_at, ends_at, target_seekers, organizer, status)
		VALUES ('joint_interview_fair', 'import bench', '2024-11-01 10:00+09', '2024-11-01 16:00+09', 100, 'city', 'open')
		RETURNING id" | head -n 1)" | sed -n 's/import_seconds=//p')

# 7. The desk page in headless Chromium (its own database and jobfaird).
# Without Chromium the other figures still count: these read null.
desk=$(BENCH_BUILD=build-bench bench/desk.sh | tail -n 1) || desk=
desk_val() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$desk" | grep . || echo null; }
desk_p50=$(desk_val desk_scan_p50_ms)
desk_p99=$(desk_val desk_scan_p99_ms)
desk_rate=$(desk_val rate_achieved)
cam_ms=$(desk_val camera_decode_ms)

# 8. Dashboard fan-out: 1,000 streams on the same jobfaird.
fanout=$(bench/fanout.sh "http://127.0.0.1:$port" "$jpid" "$url" 2>/dev/null) || fanout=
fan() { sed -n "s/^fanout_$1=//p" <<<"$fanout" | grep . || echo null; }
fanout_json=$(tail -n 1 <<<"$fanout" | grep '^{' || echo null)

cores=$(nproc)
printf '\n%-44s %10s %10s %-4s %s\n' "figure ($cores cores, $runs runs)" median target met "every run"
row() { printf '%-44s %10s %10s %-4s %s\n' "$1" "$2" "$3" "$4" "${5:-}"; }
ok() { awk -v v="$1" -v t="$2" -v d="$3" 'BEGIN {print ((d == "ge" && v >= t) || (d == "le" && v <= t)) ? "yes" : "NO"}'; }
row "pgbench api_checkin, tps (c=$pool, the pool)" "$pg_med" "" "" "$(bench_runs_of "${pg_tps[@]}")"
row "pgbench api_checkin, tps (c=$conns)" "$pg16_med" "" "" "$(bench_runs_of "${pg16_tps[@]}")"
row "pgbench minimal check-in-shaped txn (c=$pool)" "$min_med" "" "" "$(bench_runs_of "${min_tps[@]}")"
row "  ratio api_checkin / minimal" "$cost_ratio" "" "" "$(bench_runs_of "${cost_ratios[@]}")"
row "jobfaird POST checkins, req/s (c=$conns)" "$jf_med" "" "" "$(bench_runs_of "${jf_rps[@]}")"
row "  (jobfaird's pool: $pool connections)" "" "" ""
row "  ratio jobfaird / pgbench" "$ratio" ">= 1.0" "$(bench_all_ok 1.0 ge "${ratios[@]}")" "$(bench_runs_of "${ratios[@]}")"
row "  p50 latency, ms" "$p50_med" "" "" "$(bench_runs_of "${jf_p50[@]}")"
row "  p99 latency, ms" "$p99_med" "<= 20" "$(bench_all_ok 20 le "${jf_p99[@]}")" "$(bench_runs_of "${jf_p99[@]}")"
row "  non-2xx + socket errors" "" "" "" "$(bench_runs_of "${jf_bad[@]}")"
row "nginx static /healthz, req/s" "$ng_med" "" "" "$(bench_runs_of "${ng[@]}")"
row "jobfaird /healthz, req/s" "$jh_med" "" "" "$(bench_runs_of "${jh[@]}")"
row "  ratio jobfaird / nginx" "$http_ratio" ">= 0.7" "$(bench_all_ok 0.7 ge "${http_ratios[@]}")" "$(bench_runs_of "${http_ratios[@]}")"
row "jobfaird peak RSS during check-in, MB" "$rss_mb" "<= 50" "$(ok "$rss_mb" 50 le)"
row "QR PNG codes per second, one core" "$qr" ">= 3000" "$(ok "$qr" 3000 ge)"
row "fiscal-year report, 10 years of data, ms" "$fy_ms" "<= 200" "$(ok "$fy_ms" 200 le)"
row "post-event report, ms" "$ev_ms" "<= 200" "$(ok "$ev_ms" 200 le)"
row "import 10,000 CP932 rows, s" "$import_s" "<= 3" "$(ok "$import_s" 3 le)"
row "desk page scan-to-answer p50, ms" "$desk_p50" "" "" "(${desk_rate}/s typed, target 10/s)"
row "desk page scan-to-answer p99, ms" "$desk_p99" "" ""
row "camera QR decode per frame (jsQR), ms" "$cam_ms" "" ""
row "fan-out: streams open (of 1,000)" "$(fan streams_open)" "1000" "$(ok "$(fan streams_open)" 1000 ge)"
row "  memory they added, MB" "$(fan rss_added_mb)" "<= 50" "$(ok "$(fan rss_added_mb)" 50 le)"
row "  check-in to the last stream, ms (slowest)" "$(fan last_update_ms_max)" "<= 1000" "$(ok "$(fan last_update_ms_max)" 1000 le)" "$(fan last_update_ms_runs)"
row "  /healthz meanwhile, ms (median, slowest)" "$(fan healthz_median_ms)" "" "" "$(fan healthz_max_ms)"
echo "(every run in order, then its min-max; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "(query plans of the reports: build-bench/report-plans.txt)"
[ "${BENCH_PERF:-0}" = 1 ] && echo "(check-in profile: build-bench/checkin-perf.txt)"
printf '{"cores":%s,"runs":%s,"seconds":%s,"connections":%s,"pool":%s,"pgbench_tps":%s,"pgbench_tps_runs":%s,"pgbench_tps_c16":%s,"pgbench_tps_c16_runs":%s,"minimal_tps":%s,"minimal_tps_runs":%s,"checkin_cost_ratio":%s,"checkin_cost_ratio_runs":%s,"checkin_rps":%s,"checkin_rps_runs":%s,"checkin_ratio":%s,"checkin_ratio_runs":%s,"checkin_p50_ms":%s,"checkin_p50_ms_runs":%s,"checkin_p99_ms":%s,"checkin_p99_ms_runs":%s,"nginx_rps":%s,"nginx_rps_runs":%s,"healthz_rps":%s,"healthz_rps_runs":%s,"http_ratio":%s,"http_ratio_runs":%s,"peak_rss_mb":%s,"qr_per_second":%s,"fy_report_ms":%s,"event_report_ms":%s,"import_10k_seconds":%s,"desk_scan_p50_ms":%s,"desk_scan_p99_ms":%s,"desk_scan_rate":%s,"camera_decode_ms":%s,"fanout":%s}\n' \
	"$cores" "$runs" "$secs" "$conns" "$pool" "$pg_med" "$(bench_json_runs "${pg_tps[@]}")" \
	"$pg16_med" "$(bench_json_runs "${pg16_tps[@]}")" "$min_med" "$(bench_json_runs "${min_tps[@]}")" \
	"$cost_ratio" "$(bench_json_runs "${cost_ratios[@]}")" "$jf_med" "$(bench_json_runs "${jf_rps[@]}")" \
	"$ratio" "$(bench_json_runs "${ratios[@]}")" "$p50_med" "$(bench_json_runs "${jf_p50[@]}")" \
	"$p99_med" "$(bench_json_runs "${jf_p99[@]}")" "$ng_med" "$(bench_json_runs "${ng[@]}")" \
	"$jh_med" "$(bench_json_runs "${jh[@]}")" "$http_ratio" "$(bench_json_runs "${http_ratios[@]}")" \
	"$rss_mb" "$qr" "$fy_ms" "$ev_ms" "$import_s" "$desk_p50" "$desk_p99" "$desk_rate" "$cam_ms" \
	"$fanout_json"
