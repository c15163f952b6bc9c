#!/usr/bin/env bash
# Sizing the pool (not part of the test suite): check-ins through
# jobfaird on bench/load.sql's data set with each pool size in
# BENCH_POOLS (default "2 4 8 16"), wrk on BENCH_CONNECTIONS (default 16)
# for BENCH_SECONDS (default 10), BENCH_RUNS rounds (default 3); the pool
# sizes take turns within a round, so a change in the machine's other
# load falls on all of them. Prints req/s, p50 and p99 of every run, the
# load average, and one JSON line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runs=${BENCH_RUNS:-3}
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-16}
read -ra pools <<<"${BENCH_POOLS:-2 4 8 16}"

. bench/lib.sh
bench_setup pool wrk:wrk
bench_checkin_data

declare -A rps p50 p99
for r in $(seq 1 "$runs"); do
	for n in "${pools[@]}"; do
		bench_reset
		JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird --listen 127.0.0.1:18085 \
			--pool-size "$n" --no-migrate 2>/dev/null &
		jpid=$!
		pids+=("$jpid")
		bench_wait_http http://127.0.0.1:18085/healthz
		out=$(bench_wrk_checkins http://127.0.0.1:18085 "$conns" "$secs")
		kill -TERM "$jpid"
		wait "$jpid" || true
		this_rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
		this_p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$out")
		rps[$n]+=" $this_rps"
		p50[$n]+=" $(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$out")"
		p99[$n]+=" $this_p99"
		echo "bench: round $r pool $n: $this_rps req/s, p99 $this_p99 ms, load $(cut -d' ' -f1 /proc/loadavg)" >&2
	done
done

printf '\n%-6s %-34s %-28s %s\n' pool "req/s (runs)" "p50 ms (runs)" "p99 ms (runs)"
json=
for n in "${pools[@]}"; do
	# shellcheck disable=SC2086 # the runs, one word each
	printf '%-6s %-34s %-28s %s\n' "$n" "$(bench_runs_of ${rps[$n]})" \
		"$(bench_runs_of ${p50[$n]})" "$(bench_runs_of ${p99[$n]})"
	# shellcheck disable=SC2086
	json+="${json:+,}\"$n\":{\"rps\":$(bench_json_runs ${rps[$n]}),\"p50_ms\":$(bench_json_runs ${p50[$n]}),\"p99_ms\":$(bench_json_runs ${p99[$n]})}"
done
echo "(wrk $conns connections, $secs s; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '{"cores":%s,"connections":%s,"seconds":%s,"pools":{%s}}\n' "$(nproc)" "$conns" "$secs" "$json"
