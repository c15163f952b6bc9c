#!/usr/bin/env bash
# PostgreSQL restarted in the middle of the check-in load: while it is
# down both jobfaird instances answer 503 with the JSON error shape at
# once (no hang: every request is answered within scanload's timeout; no
# crash: the same processes throughout), they serve again within seconds
# of its return without a restart, and afterwards every valid token is
# checked in exactly once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checkin_load.sh"

jf_cluster_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
url_a=$JF_URL pid_a=$JF_PID log_a=$JF_LOG
jf_server_start "$db" --no-migrate || exit 1
url_b=$JF_URL pid_b=$JF_PID log_b=$JF_LOG
TOKEN=$(jf_user "$db" desk frontdesk)
check "3,000 registrations with tokens" load_event "$db" 3000

# ready_within SECONDS: until /readyz answers 200 on both instances.
ready_within() {
	local i
	for i in $(seq 1 $(($1 * 20))); do
		JF_URL=$url_a req GET /readyz
		if [ "$STATUS" = 200 ]; then
			JF_URL=$url_b req GET /readyz
			[ "$STATUS" = 200 ] && return 0
		fi
		sleep 0.05
	done
	echo "last /readyz: $STATUS $BODY" >&2
	return 1
}

# scan_while_down URL: one check-in sent while the database is away gets
# a JSON 503 within two seconds.
scan_while_down() {
	local ms t0
	t0=$(date +%s%N)
	JF_URL=$1 req POST "/api/v1/events/$LOAD_EVENT/checkins" \
		"{\"token\": \"$(head -n 1 "$LOAD_TOKENS")\", \"nonce\": \"down-$RANDOM-$1\"}"
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$STATUS" = 503 ] && [ "$(jbody .error.code)" = unavailable ] &&
		[ "$ms" -lt 2000 ] && return 0
	echo "got $STATUS in $ms ms: $BODY" >&2
	return 1
}

load_start "$url_a,$url_b" --timeout 5
check "load under way (2,500 scans answered)" load_wait_answered 2500 60
"$JF_SOURCE/deploy/pg.sh" stop "$JF_OWN_PGDIR"
check "A: a check-in while the database is down gets a JSON 503 at once" \
	scan_while_down "$url_a"
check "B: a check-in while the database is down gets a JSON 503 at once" \
	scan_while_down "$url_b"
sleep 2
"$JF_SOURCE/deploy/pg.sh" start "$JF_OWN_PGDIR" >/dev/null
t0=$(date +%s%N)
check "both instances ready within 10 s of the database's return" \
	ready_within 10
back_ms=$((($(date +%s%N) - t0) / 1000000))
check "scanload ran" load_wait
load_check_once "$db"
check "the outage was felt: 503s answered" test "$(load_fig status_503)" -gt 0
check "no 5xx but 503" eq "$(load_fig status_5xx)" "$(load_fig status_503)"
check "no request hung past its timeout" eq "$(load_fig timeouts)" 0
check "A is the same process" kill -0 "$pid_a"
check "B is the same process" kill -0 "$pid_b"
stored=$(load_live "$db")
for JF_URL in "$url_a" "$url_b"; do
	req GET "/api/v1/events/$LOAD_EVENT/stats"
	check "stats on $JF_URL equal the database" \
		eq "$(jbody .checked_in)" "$stored"
done
load_figures "$db" "db_restarts=1 ready_again_ms=$back_ms"

check "A stops cleanly" jf_server_stop "$pid_a" "$log_a"
check "B stops cleanly" jf_server_stop "$pid_b" "$log_b"
done_testing
