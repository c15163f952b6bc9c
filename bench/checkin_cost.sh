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
# BENCH_GROUP=G also measures G check-ins per transaction, the two ways
# of saving round trips and commits the issue weighed: the set-based
# api_checkin_many over arrays of G (what jobfaird's group commit sends),
# and G single api_checkin statements in one transaction sent in libpq's
# pipeline mode (pgbench \startpipeline), bare and with a savepoint around
# each (so that one failing scan fails alone, as api_checkin_many
# promises). All in check-ins per second.
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
group=${BENCH_GROUP:-}
if [ -n "$group" ]; then
	work=$(mktemp -d /tmp/jobfair-bench-cost.XXXXXX)
	trap 'rm -rf "$work"' EXIT
	# The token of random(1, 50000) as bench/checkin.pgbench makes it.
	tok() { echo "'JF1-' || translate(upper(substr(md5('bench' || :n$1), 1, 26)), '0189', 'WXYZ')"; }
	{
		for i in $(seq 1 "$group"); do echo "\\set n$i random(1, 50000)"; done
		echo '\set nonce random(1, 999999999999)'
		printf 'SELECT count(*) FROM api_checkin_many(array_fill(:user_id::bigint, ARRAY[%s]),\n    ARRAY[' "$group"
		for i in $(seq 1 "$group"); do
			printf ':first_event + :n%s %% 10' "$i"
			[ "$i" -lt "$group" ] && printf ', '
		done
		printf ']::bigint[],\n    ARRAY['
		for i in $(seq 1 "$group"); do
			printf "jsonb_build_object('token', %s, 'desk', 'bench', 'nonce', 'many-' || :nonce || '-%s')" "$(tok "$i")" "$i"
			[ "$i" -lt "$group" ] && printf ',\n          '
		done
		printf ']);\n'
	} >"$work/many.pgbench"
	{
		for i in $(seq 1 "$group"); do echo "\\set n$i random(1, 50000)"; done
		echo '\set nonce random(1, 999999999999)'
		echo '\startpipeline'
		echo 'BEGIN;'
		for i in $(seq 1 "$group"); do
			echo "SELECT api_checkin(:user_id, :first_event + :n$i % 10, jsonb_build_object('token', $(tok "$i"), 'desk', 'bench', 'nonce', 'pipe-' || :nonce || '-$i'));"
		done
		echo 'COMMIT;'
		echo '\endpipeline'
	} >"$work/pipeline.pgbench"
	# The same with the promise api_checkin_many keeps: a scan that fails
	# is rolled back alone (a savepoint around each).
	sed 's/^SELECT api_checkin(\(.*\));$/SAVEPOINT s; SELECT api_checkin(\1); RELEASE s;/' \
		"$work/pipeline.pgbench" >"$work/pipeline_sp.pgbench"
fi
ck=() mn=() many=() pipe=() pipe_sp=()
for r in $(seq 1 "$runs"); do
	ck+=("$(bench_pgbench bench/checkin.pgbench "$clients" "$secs")")
	mn+=("$(bench_pgbench bench/checkin_min.pgbench "$clients" "$secs")")
	line="run $r: check-in $(printf %.0f "${ck[-1]}") tps, minimal $(printf %.0f "${mn[-1]}") tps,"
	line+=" ratio $(awk -v a="${ck[-1]}" -v b="${mn[-1]}" 'BEGIN {printf "%.2f", a / b}'),"
	if [ -n "$group" ]; then
		many+=("$(awk -v t="$(bench_pgbench "$work/many.pgbench" "$clients" "$secs")" -v g="$group" 'BEGIN {printf "%.0f", t * g}')")
		pipe+=("$(awk -v t="$(bench_pgbench "$work/pipeline.pgbench" "$clients" "$secs")" -v g="$group" 'BEGIN {printf "%.0f", t * g}')")
		pipe_sp+=("$(awk -v t="$(bench_pgbench "$work/pipeline_sp.pgbench" "$clients" "$secs")" -v g="$group" 'BEGIN {printf "%.0f", t * g}')")
		line+=" $group a transaction: api_checkin_many ${many[-1]}, pipeline ${pipe[-1]},"
		line+=" pipeline with savepoints ${pipe_sp[-1]} check-ins/s,"
	fi
	echo "$line load $(cut -d' ' -f1-3 /proc/loadavg)"
done
cm=$(printf '%s\n' "${ck[@]}" | bench_median)
mm=$(printf '%s\n' "${mn[@]}" | bench_median)
echo "median: check-in $(printf %.0f "$cm") tps, minimal $(printf %.0f "$mm") tps," \
	"ratio $(awk -v a="$cm" -v b="$mm" 'BEGIN {printf "%.2f", a / b}')"
[ -z "$group" ] || echo "median: $group a transaction: api_checkin_many" \
	"$(printf '%s\n' "${many[@]}" | bench_median), pipeline $(printf '%s\n' "${pipe[@]}" | bench_median)," \
	"pipeline with savepoints $(printf '%s\n' "${pipe_sp[@]}" | bench_median) check-ins/s"
