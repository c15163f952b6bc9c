#!/usr/bin/env bash
# PostgreSQL going away and coming back: /readyz turns 503 within a few
# seconds and 200 again, without restarting jobfaird.
. "$(dirname "$0")/lib.sh"

jf_cluster_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
pid=$JF_PID

# wait_status WANT SECONDS: polls /readyz until it answers WANT.
wait_status() {
	local i
	for i in $(seq 1 $(($2 * 10))); do
		req GET /readyz
		[ "$STATUS" = "$1" ] && return 0
		sleep 0.1
	done
	echo "last /readyz: $STATUS $BODY" >&2
	return 1
}

check "ready with the database up" wait_status 200 5
"$JF_SOURCE/deploy/pg.sh" stop "$JF_OWN_PGDIR"
check "503 within 5 s of the database stopping" wait_status 503 5
check "503 is the JSON error shape" eq "$(jbody .error.code)" unavailable
req GET /healthz
check "healthz still 200 while the database is down" eq "$STATUS" 200
"$JF_SOURCE/deploy/pg.sh" start "$JF_OWN_PGDIR" >/dev/null
check "ready again within 10 s" wait_status 200 10
check "same process throughout" kill -0 "$pid"
check "stops cleanly" jf_server_stop "$pid"
done_testing
