#!/usr/bin/env bash
# PostgreSQL's CPU time per check-in (issue 17), the figure other work on
# a shared machine hardly moves: `perf stat -e task-clock` on the cluster's
# postmaster and every process it has or forks (backends, WAL writer,
# checkpointer) while pgbench runs BENCH_TXNS transactions (default 6,000)
# of bench/checkin.pgbench, or of the file given, with BENCH_CLIENTS
# connections (default 4). Run as root or with perf_event_paranoid <= 0.
#
#   bench/checkin_cpu.sh URL [PGBENCH_FILE]   a database loaded with
#                                             bench/load.sql
#
# Starts, like bench/checkin_cost.sh, with this year's check-ins removed
# (bench/reset.sql) and after a checkpoint. Prints ms of CPU and bytes of
# WAL per transaction (the WAL includes the full-page images a first
# change to a page after the checkpoint writes), the tps pgbench saw and
# the load average.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. bench/lib.sh
url=${1:?usage: checkin_cpu.sh DATABASE_URL [PGBENCH_FILE]}
script=${2:-bench/checkin.pgbench}
txns=${BENCH_TXNS:-6000}
clients=${BENCH_CLIENTS:-4}
first_event=$(psql "$url" -qAtc "SELECT min(id) FROM events WHERE title LIKE '%(bench %'")
user_id=$(psql "$url" -qAtc "SELECT id FROM users WHERE name = 'bench'")
data=$(psql "$url" -qAtc "SHOW data_directory")
bench_min_setup
bench_reset
# The postmaster and its lasting children (WAL writer, checkpointer,
# background writer); backends forked later are counted through the
# postmaster (perf stat inherits to new children). Not the backends of
# now: one that is just exiting would make perf stat fail.
pm=$(head -n 1 "$data/postmaster.pid")
pids=$pm
for p in $(pgrep -P "$pm"); do
	grep -qaE 'checkpointer|background writer|walwriter' "/proc/$p/cmdline" 2>/dev/null &&
		pids="$pids,$p"
done
lsn=$(psql "$url" -qAtc "SELECT pg_current_wal_lsn()")
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
perf stat -x, -e task-clock -p "$pids" -o "$out" -- \
	pgbench -n -M prepared -c "$clients" -j 2 -t $((txns / clients)) \
	-D user_id="$user_id" -D first_event="$first_event" -f "$script" "$url" 2>"$err" |
	awk '/^tps/ {printf "%.0f tps, ", $3}' || { tail -n 3 "$err" >&2; exit 1; }
awk -F, -v n="$txns" '$3 == "task-clock" {printf "%.3f ms CPU, ", $1 / n}' "$out"
psql "$url" -qAtc "SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn') / $txns)" | tr -d '\n'
echo " bytes of WAL per transaction, load $(cut -d' ' -f1-3 /proc/loadavg)"
