#!/usr/bin/env bash
# The database's cost per check-in (issue 17): pgbench on the check-in
# statement alone, as jobfaird calls it (bench/checkin.pgbench), against
# a minimal check-in-shaped transaction (bench/checkin_min.pgbench: an
# UPDATE … RETURNING and one INSERT) on the same cluster, alternating,
# BENCH_RUNS runs each (default 3) of BENCH_SECONDS (default 12) with
# BENCH_CLIENTS connections (default 4), prepared statements. bench/run.sh
# measures the same ratio among its figures; this is the quick way while
# changing the check-in's SQL.
#
#   bench/checkin_cost.sh URL    a database loaded with bench/load.sql
#                                (as bench/run.sh loads it)
#
# Each run starts with this year's check-ins removed and after a
# checkpoint (bench/reset.sql). Prints every run and the ratio.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. bench/lib.sh
url=${1:?usage: checkin_cost.sh DATABASE_URL}
runs=${BENCH_RUNS:-3}
secs=${BENCH_SECONDS:-12}
clients=${BENCH_CLIENTS:-4}
first_event=$(psql "$url" -qAtc "SELECT min(id) FROM events WHERE title LIKE '%(bench %'")
user_id=$(psql "$url" -qAtc "SELECT id FROM users WHERE name = 'bench'")
bench_min_setup
ck=() mn=()
for r in $(seq 1 "$runs"); do
	ck+=("$(bench_pgbench bench/checkin.pgbench "$clients" "$secs")")
	mn+=("$(bench_pgbench bench/checkin_min.pgbench "$clients" "$secs")")
	echo "run $r: check-in $(printf %.0f "${ck[-1]}") tps, minimal $(printf %.0f "${mn[-1]}") tps," \
		"ratio $(awk -v a="${ck[-1]}" -v b="${mn[-1]}" 'BEGIN {printf "%.2f", a / b}')," \
		"load $(cut -d' ' -f1-3 /proc/loadavg)"
done
cm=$(printf '%s\n' "${ck[@]}" | bench_median)
mm=$(printf '%s\n' "${mn[@]}" | bench_median)
echo "median: check-in $(printf %.0f "$cm") tps, minimal $(printf %.0f "$mm") tps," \
	"ratio $(awk -v a="$cm" -v b="$mm" 'BEGIN {printf "%.2f", a / b}')"
