#!/usr/bin/env bash
# Reads on a streaming replica: a primary and a hot standby made by
# pg_basebackup -R. Lists and reports come from the standby while it
# keeps up (shown by pausing its replay: a new row is not listed); past
# --replica-max-lag, or with the standby stopped, they come from the
# primary, and /readyz and /metrics say which.
. "$(dirname "$0")/lib.sh"

bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

jf_cluster_new || exit 1
primary=$JF_DB
primary_dir=$JF_OWN_PGDIR
standby_dir=$JF_TMP/standby
mkdir -p "$standby_dir"
[ "$(id -u)" -ne 0 ] || chown postgres: "$standby_dir"
check "pg_basebackup -R" as_pg "$bindir/pg_basebackup" -h "$primary_dir" -U jobfair \
	-D "$standby_dir/data" -R -X stream
echo "unix_socket_directories = '$standby_dir'" >>"$standby_dir/data/postgresql.conf"
JF_CLUSTERS+=("$standby_dir")
standby=$("$JF_SOURCE/deploy/pg.sh" start "$standby_dir")
check "the standby is in recovery" eq "$(psql "$standby" -qAtc 'SELECT pg_is_in_recovery()')" t

jf_server_start "$primary" --replica-database-url "$standby" --replica-max-lag 2 --log-format json || exit 1
TOKEN=$(jf_user "$primary" r-admin admin)
ready_reads() { curl -s "$JF_URL/readyz" | jq -r .reads; }
wait_reads() { # EXPECTED: until /readyz says it (10 s)
	for _ in $(seq 100); do [ "$(ready_reads)" = "$1" ] && return 0; sleep 0.1; done
	echo "     /readyz reads: $(ready_reads)" >&2
	return 1
}
titles() { req GET /api/v1/events; jbody '[.items // . | .[] | .title] | join(",")'; }
event() { req POST /api/v1/events "{\"type\":\"joint_interview_fair\",\"title\":\"$1\",\"starts_at\":\"2024-10-15T10:00:00+09:00\",\"ends_at\":\"2024-10-15T16:00:00+09:00\",\"organizer\":\"joint\"}"; }

check "reads on the replica" wait_reads replica
event 一つ目
check "a write goes to the primary" eq "$STATUS" 201
for _ in $(seq 50); do [ "$(titles)" = 一つ目 ] && break; sleep 0.1; done
check "the list, from the replica, shows it once replayed" eq "$(titles)" 一つ目

psql "$standby" -qAtc 'SELECT pg_wal_replay_pause()' >/dev/null
event 二つ目
sleep 0.3
check "replay paused: the list comes from the replica" eq "$(titles)" 一つ目
check "the primary has both" eq "$(psql "$primary" -qAtc 'SELECT count(*) FROM events')" 2
check "past the lag bound, reads go to the primary" wait_reads "primary: the replica lags"
check "  and the list shows the new row" eq "$(titles)" 一つ目,二つ目
check "/metrics shows the lag" bash -c "curl -s '$JF_URL/metrics' | awk '\$1 == \"jobfair_replica_lag_seconds\" { exit !(\$2 > 2) }'"
psql "$standby" -qAtc 'SELECT pg_wal_replay_resume()' >/dev/null
check "caught up: back on the replica" wait_reads replica

"$JF_SOURCE/deploy/pg.sh" stop "$standby_dir"
ok=0
for _ in $(seq 10); do
	req GET /api/v1/events
	[ "$STATUS" = 200 ] && ok=$((ok + 1))
	sleep 0.1
done
check "the replica stopped: reads still answered" test "$ok" -ge 9
check "  by the primary" wait_reads "primary: the replica does not answer"
req GET /api/v1/events
check "  every one" eq "$STATUS" 200
check "stopped cleanly" jf_server_stop "$JF_PID"
done_testing
