# What the benchmark scripts share (sourced; not part of the test suite).
#
#   bench_setup NAME [COMMAND:PACKAGE ...]
#       installs the project's dependencies and any COMMAND missing (from
#       Debian's PACKAGE), builds Release in build-bench/, and makes
#       $work, a temporary folder removed on exit together with every
#       process in $pids and every cluster started in it
#   bench_pg_start DIR      starts a throw-away PostgreSQL in $work/DIR,
#                           prints its URL
#   bench_wait_http URL     until URL answers (5 s at most)
#   bench_median, bench_pct P     of numbers on standard input
#   bench_runs_of V...      every run in order and the spread: "a / b / c (lo-hi)"
#   bench_json_runs V...    the same as a JSON array
#   bench_all_ok T ge|le V...     "yes" when every run meets the target
#   bench_cpu_s PID         CPU seconds (user + system) the process used: on
#                           a loaded machine the wall time says more about
#                           the neighbours than about the work
#
# The check-in's figures on bench/load.sql's data set (bench/run.sh,
# bench/pool.sh, bench/checkin_cost.sh, bench/checkin_cpu.sh):
#   bench_checkin_data      a cluster in $work/pg loaded with it: sets $url,
#                           $token (the desk's), $user_id, $first_event and
#                           $work/tokens.txt; makes the tables below
#   bench_wrk_checkins BASE N SECONDS   wrk's check-ins (bench/checkin.lua)
#                           on N connections; its output, with a BENCH line
#   bench_reset             this year's check-ins removed, then a checkpoint
#   bench_pgbench FILE N SECONDS    tps of pgbench running FILE on N
#                           connections, prepared, after bench_reset
#   bench_min_setup         the tables bench/checkin_min.pgbench uses
# (the last three with $url, $first_event and $user_id set)

bench_setup() {
	local name=$1 need cmd
	shift
	deploy/deps.sh
	for need in "$@"; do
		cmd=${need%%:*}
		command -v "$cmd" >/dev/null ||
			${SUDO:-} apt-get install -y -qq "${need#*:}" >/dev/null
	done
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-bench -j"$(nproc)" >/dev/null
	work=$(mktemp -d "/tmp/jobfair-bench-$name.XXXXXX")
	chmod 755 "$work"
	pids=()
	trap bench_cleanup EXIT
}

bench_cleanup() {
	local p d
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	# Every cluster bench_pg_start made (it runs in a command
	# substitution, so it cannot note them in a variable here); a
	# standby before its primary.
	for d in $(ls -d "$work"/*/data 2>/dev/null | sort -r); do
		deploy/pg.sh stop "${d%/data}" >/dev/null 2>&1 || true
	done
	rm -rf "$work"
}

bench_pg_start() { deploy/pg.sh start "$work/$1"; }

bench_wait_http() {
	for _ in $(seq 1 50); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done
	return 1
}

bench_median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bench_pct() { sort -g | awk -v p="$1" '{a[NR]=$1} END {i=int(NR*p/100+0.999); if (i<1) i=1; print a[i]}'; }

bench_runs_of() {
	printf '%s\n' "$@" | awk '{r = r (NR > 1 ? " / " : "") $1
		if (NR == 1 || $1 < lo) lo = $1; if (NR == 1 || $1 > hi) hi = $1}
		END {printf "%s (%s-%s)\n", r, lo, hi}'
}

bench_json_runs() {
	local IFS=,
	printf '[%s]' "$*"
}

bench_all_ok() {
	local t=$1 d=$2
	shift 2
	printf '%s\n' "$@" | awk -v t="$t" -v d="$d" '
		!((d == "ge" && $1 >= t) || (d == "le" && $1 <= t)) {bad = 1}
		END {print bad ? "NO" : "yes"}'
}

bench_cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$1/stat"; }

bench_reset() {
	psql "$url" -qAt -v first_event="$first_event" -f bench/reset.sql >/dev/null
}

bench_pgbench() {
	bench_reset
	pgbench -n -M prepared -c "$2" -j 2 -T "$3" \
		-D user_id="$user_id" -D first_event="$first_event" \
		-f "$1" "$url" 2>/dev/null | awk '/^tps/ {print $3; exit}'
}

bench_min_setup() {
	PGOPTIONS=-cclient_min_messages=warning psql "$url" -qAt >/dev/null <<'SQL'
CREATE TABLE IF NOT EXISTS bench_min_subject (id int PRIMARY KEY, seen int NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS bench_min_log (id bigserial PRIMARY KEY, subject int NOT NULL,
    nonce text NOT NULL UNIQUE, at timestamptz NOT NULL DEFAULT now());
INSERT INTO bench_min_subject (id) SELECT generate_series(1, 50000) ON CONFLICT DO NOTHING;
SQL
}

bench_checkin_data() {
	echo "bench: PostgreSQL in $work/pg" >&2
	url=$(bench_pg_start pg)
	psql "$url" -qAtc "ALTER SYSTEM SET max_connections = 100" >/dev/null
	JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird migrate 2>/dev/null
	token=$(JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird user add bench --role frontdesk | tail -n 1)
	user_id=$(psql "$url" -qAtc "SELECT id FROM users WHERE name = 'bench'")
	echo "bench: loading 50,000 registrations" >&2
	psql "$url" -q -f bench/load.sql >/dev/null
	first_event=$(psql "$url" -qAtc "SELECT min(id) FROM events WHERE title LIKE '%(bench %'")
	psql "$url" -qAtc "SELECT event_id || ' ' || checkin_token FROM registrations
		WHERE event_id BETWEEN $first_event AND $first_event + 9" >"$work/tokens.txt"
	bench_min_setup
}

bench_wrk_checkins() {
	BENCH_TOKENS=$work/tokens.txt BENCH_TOKEN=$token \
		wrk -t2 -c"$2" -d"${3}s" -s bench/checkin.lua "$1"
}
