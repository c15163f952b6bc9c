#!/usr/bin/env bash
# Reports on a read replica while the primary takes check-ins (not part
# of the test suite). Builds Release in build-bench/, starts a primary
# (deploy/pg.sh) and a hot standby made from it with pg_basebackup -R, as
# tests/integration/test_replica.sh does, loads ten fiscal years
# (bench/load_years.sql) and today's event with 20,000 seekers, and
# starts two jobfaird on the primary: one with --replica-database-url,
# one without. Then, BENCH_RUNS times (default 3), wrk sends check-ins
# (BENCH_CONNECTIONS, default 16, for BENCH_SECONDS, default 10):
#   idle      nothing else
#   replica   while wrk asks for reports (bench/reports.lua: 目標値一覧 and
#             post-event reports, JSON/CSV/.xlsx) on BENCH_REPORTERS
#             (default 4) connections as fast as they are answered; the
#             jobfaird with the replica reads them there
#   primary   the same report load on the jobfaird without a replica,
#             which reads them on the primary, for comparison
# Prints every run's check-in req/s, p50 and p99, the reports answered per
# second, the transactions the standby served, and one JSON line. All of
# it shares this machine's cores: the standby is not another machine.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runs=${BENCH_RUNS:-3}
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-16}
reporters=${BENCH_REPORTERS:-4}

. bench/lib.sh
bench_setup replica wrk:wrk
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

echo "bench: primary in $work/pg; loading ten fiscal years and today's event" >&2
url=$(bench_pg_start pg)
JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird migrate 2>/dev/null
desk=$(JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird user add desk --role frontdesk | tail -n 1)
viewer=$(JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird user add viewer --role viewer | tail -n 1)
psql "$url" -q -f bench/load_years.sql >/dev/null
events=$(psql "$url" -qAtc "SELECT max(id) FROM events")
event=$(psql "$url" -qAt -v ON_ERROR_STOP=1 <<'SQL'
-- Check-ins are taken only on an event's days: today in Japan.
INSERT INTO events (type, title, starts_at, ends_at, venue, organizer, status)
VALUES ('joint_interview_fair', '合同就職面接会（当日）',
        ((now() AT TIME ZONE 'Asia/Tokyo')::date + time '00:00') AT TIME ZONE 'Asia/Tokyo',
        ((now() AT TIME ZONE 'Asia/Tokyo')::date + time '23:59') AT TIME ZONE 'Asia/Tokyo',
        '市民会館', 'joint', 'open') RETURNING id;
SQL
)
psql "$url" -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
ALTER TABLE registrations DISABLE TRIGGER registrations_count;
INSERT INTO registrations (event_id, name, name_kana, consent_at, checkin_token, person_key)
SELECT $event, '求職者 ' || i, 'キュウショクシャ', now(),
       'JF1-' || translate(upper(substr(md5('replica-' || i), 1, 26)), '0189', 'QRST'), 'replica|' || i
FROM generate_series(1, 20000) AS i;
ALTER TABLE registrations ENABLE TRIGGER registrations_count;
ANALYZE registrations;
SQL
psql "$url" -qAtc "SELECT event_id || ' ' || checkin_token FROM registrations WHERE event_id = $event" \
	>"$work/tokens.txt"

echo "bench: standby by pg_basebackup -R" >&2
mkdir -p "$work/standby"
[ "$(id -u)" -ne 0 ] || chown postgres: "$work/standby"
as_pg "$bindir/pg_basebackup" -h "$work/pg" -U jobfair -D "$work/standby/data" -R -X stream -c fast
echo "unix_socket_directories = '$work/standby'" >>"$work/standby/data/postgresql.conf"
standby=$(bench_pg_start standby)
[ "$(psql "$standby" -qAtc 'SELECT pg_is_in_recovery()')" = t ]

start() { # start PORT [ARGS...]: a jobfaird on the primary
	local port=$1
	shift
	JOBFAIR_DATABASE_URL=$url build-bench/server/jobfaird --listen 127.0.0.1:"$port" --no-migrate \
		"$@" 2>"$work/jobfaird-$port.log" &
	pids+=("$!")
	for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
}
with=18094 without=18095
start $with --replica-database-url "$standby"
start $without
for _ in $(seq 1 100); do
	[ "$(curl -s "http://127.0.0.1:$with/readyz" | jq -r .reads)" = replica ] && break
	sleep 0.1
done
echo "bench: reads of :$with go to: $(curl -s "http://127.0.0.1:$with/readyz" | jq -r .reads)" >&2

# Each check-in run starts from no check-ins, after a checkpoint. The scan
# log refuses deletes (it is the check-ins' audit record) but with
# replication role "replica", as in bench/reset.sql.
reset_checkins() {
	psql "$url" -qAt -c "SET session_replication_role = replica" \
		-c "DELETE FROM scans WHERE event_id = $event" -c "RESET session_replication_role" \
		-c "DELETE FROM checkins WHERE event_id = $event" \
		-c "VACUUM ANALYZE checkins, scans, checkin_tallies" -c "CHECKPOINT" >/dev/null
}
standby_xacts() { psql "$standby" -qAtc "SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
declare -A fig
add() { fig[$1]="${fig[$1]:+${fig[$1]} / }$2"; } # add NAME VALUE: one run's figure
# checkin NAME PORT [REPORTS_PORT]: one check-in run, with the report load
# on REPORTS_PORT when given.
checkin() {
	local name=$1 port=$2 rport=${3:-} out rout rpid x0
	reset_checkins
	x0=$(standby_xacts)
	if [ -n "$rport" ]; then
		BENCH_TOKEN=$viewer BENCH_EVENTS=$events wrk -t1 -c"$reporters" -d"$((secs + 2))s" \
			-s bench/reports.lua "http://127.0.0.1:$rport" >"$work/reports.out" &
		rpid=$!
		sleep 1
	fi
	out=$(BENCH_TOKENS=$work/tokens.txt BENCH_TOKEN=$desk \
		wrk -t2 -c"$conns" -d"${secs}s" -s bench/checkin.lua "http://127.0.0.1:$port")
	add "${name}_rps" "$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
	add "${name}_p50" "$(field p50_ms "$out")"
	add "${name}_p99" "$(field p99_ms "$out")"
	add "${name}_bad" "$(($(field non2xx "$out") + $(field errors "$out")))"
	if [ -n "$rport" ]; then
		wait "$rpid"
		rout=$(cat "$work/reports.out")
		add "${name}_reports_rps" "$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$rout")"
		add "${name}_reports_p99" "$(field p99_ms "$rout")"
		add "${name}_reports_bad" "$(($(field non2xx "$rout") + $(field errors "$rout")))"
	fi
	add "${name}_standby_xacts" "$(($(standby_xacts) - x0))"
	echo "bench: $name: $(awk '/^Requests\/sec/ {print $2}' <<<"$out") check-ins/s, p99 $(field p99_ms "$out") ms${rport:+, reports $(awk '/^Requests\/sec/ {print $2}' <<<"$rout")/s}" >&2
}

for run in $(seq 1 "$runs"); do
	checkin idle $with
	checkin replica $with $with
	checkin primary $without $without
	echo "bench: run $run done (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done

row() { printf '%-52s %s\n' "$1" "$2"; }
for c in idle replica primary; do
	case $c in
	idle) what="check-ins alone" ;;
	replica) what="check-ins + reports read on the replica" ;;
	primary) what="check-ins + reports read on the primary" ;;
	esac
	row "$what: check-ins/s" "${fig[${c}_rps]}"
	row "  check-in p50, ms" "${fig[${c}_p50]}"
	row "  check-in p99, ms" "${fig[${c}_p99]}"
	row "  non-2xx or failed check-ins" "${fig[${c}_bad]}"
	[ "$c" = idle ] || {
		row "  reports/s ($reporters connections)" "${fig[${c}_reports_rps]}"
		row "  report p99, ms" "${fig[${c}_reports_p99]}"
		row "  non-2xx or failed reports" "${fig[${c}_reports_bad]}"
	}
	row "  transactions on the standby" "${fig[${c}_standby_xacts]}"
done
row "load average at the end" "$(cut -d' ' -f1-3 /proc/loadavg)"
json='{'
for k in "${!fig[@]}"; do json+="\"$k\":[${fig[$k]// \/ /,}],"; done
echo "${json%,}}"
