#!/usr/bin/env bash
# The database's cost per check-in (issue 17): pgbench on the check-in
# statement alone, as jobfaird calls it (bench/checkin.pgbench), against
# a minimal check-in-shaped transaction (bench/checkin_min.pgbench: an
# UPDATE … RETURNING and one INSERT) on the same cluster, alternating,
# BENCH_RUNS runs each (default 3) of BENCH_SECONDS (default 12) with
# BENCH_CLIENTS connections (default 4), prepared statements.
#
#   bench/checkin_cost.sh URL    a database loaded with bench/load.sql
#                                (bench/run.sh's, or see below)
#
# Each check-in run starts with this year's check-ins removed and after a
# checkpoint, as in bench/run.sh. Prints every run and the ratio.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
url=${1:?usage: checkin_cost.sh DATABASE_URL}
runs=${BENCH_RUNS:-3}
secs=${BENCH_SECONDS:-12}
clients=${BENCH_CLIENTS:-4}
first_event=$(psql "$url" -qAtc "SELECT min(id) FROM events WHERE title LIKE '%(bench %'")
user_id=$(psql "$url" -qAtc "SELECT id FROM users WHERE name = 'bench'")
PGOPTIONS=-cclient_min_messages=warning psql "$url" -qAt <<'SQL' >/dev/null
CREATE TABLE IF NOT EXISTS bench_min_subject (id int PRIMARY KEY, seen int NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS bench_min_log (id bigserial PRIMARY KEY, subject int NOT NULL,
    nonce text NOT NULL UNIQUE, at timestamptz NOT NULL DEFAULT now());
INSERT INTO bench_min_subject (id) SELECT generate_series(1, 50000) ON CONFLICT DO NOTHING;
SQL
reset() {
	psql "$url" -qAt -v first_event="$first_event" -f "$top/bench/reset.sql" \
		-c "TRUNCATE bench_min_log" -c "VACUUM ANALYZE bench_min_subject, bench_min_log" >/dev/null
}
tps() {
	reset
	pgbench -n -M prepared -c "$clients" -j 2 -T "$secs" \
		-D user_id="$user_id" -D first_event="$first_event" \
		-f "$1" "$url" 2>/dev/null | awk '/^tps/ {print $3; exit}'
}
ck=() mn=()
for r in $(seq 1 "$runs"); do
	ck+=("$(tps "$top/bench/checkin.pgbench")")
	mn+=("$(tps "$top/bench/checkin_min.pgbench")")
	echo "run $r: check-in $(printf %.0f "${ck[-1]}") tps, minimal $(printf %.0f "${mn[-1]}") tps," \
		"ratio $(awk -v a="${ck[-1]}" -v b="${mn[-1]}" 'BEGIN {printf "%.2f", a / b}')," \
		"load $(cut -d' ' -f1-3 /proc/loadavg)"
done
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cm=$(printf '%s\n' "${ck[@]}" | median)
mm=$(printf '%s\n' "${mn[@]}" | median)
echo "median: check-in $(printf %.0f "$cm") tps, minimal $(printf %.0f "$mm") tps," \
	"ratio $(awk -v a="$cm" -v b="$mm" 'BEGIN {printf "%.2f", a / b}')"
