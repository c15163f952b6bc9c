#!/usr/bin/env bash
# A server crash in the middle of the check-in load: two jobfaird
# instances share the desks; each in turn is killed with SIGKILL and
# restarted on its port while 32 scanners keep going, retrying failed
# scans with the same nonce. Every scan answered checked_in is stored,
# nobody is counted twice, and the database holds exactly one check-in per
# valid token.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checkin_load.sh"

# server_restart PORT DB [ARGS...]: jf_server_start on the port a killed
# instance had, as the desks' configuration names it.
server_restart() {
	local keep rc
	keep=$(declare -f jf_free_port)
	eval "jf_free_port() { echo $1; }"
	shift
	jf_server_start "$@"
	rc=$?
	eval "$keep"
	return $rc
}

# crash NAME PID PORT SCANS: once SCANS scans are answered, SIGKILL
# and, a second later (the other instance takes the desks meanwhile), a
# new instance on the same port. Sets NEW_PID and NEW_LOG, and KILLED_AT
# to the moment just before the kill.
crash() {
	local name=$1 pid=$2 port=$3 scans=$4
	check "load under way ($scans scans answered) before killing $name" \
		load_wait_answered "$scans" 60
	# Read before the kill, so that "stored before it" errs on the low
	# side when the machine is slow.
	KILLED_AT=$(date -u +%FT%T.%NZ)
	kill -KILL "$pid"
	{ wait "$pid"; } 2>/dev/null # no "Killed" notice
	KILLS=$((KILLS + 1))
	sleep 1
	check "$name restarted on port $port" \
		server_restart "$port" "$db" --no-migrate
	NEW_PID=$JF_PID NEW_LOG=$JF_LOG
}

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
url_a=$JF_URL pid_a=$JF_PID
jf_server_start "$db" --no-migrate || exit 1
url_b=$JF_URL pid_b=$JF_PID
TOKEN=$(jf_user "$db" desk frontdesk)
check "3,000 registrations with tokens" load_event "$db" 3000
KILLS=0

load_start "$url_a,$url_b"
crash A "$pid_a" "${url_a##*:}" 2500
pid_a=$NEW_PID log_a=$NEW_LOG killed_a=$KILLED_AT
crash B "$pid_b" "${url_b##*:}" 5500
pid_b=$NEW_PID log_b=$NEW_LOG killed_b=$KILLED_AT
check "scanload ran" load_wait
load_check_once "$db"
check "the crashes were felt: scans retried" test "$(load_fig retried)" -gt 0
check "the crashes were felt: connections failed" \
	test "$(load_fig transport_errors)" -gt 0
# B's successor may come too late for the load on a fast machine; A's
# has two thirds of it left.
served_a=$(grep -cE 'POST /api/v1/events/[0-9]+/checkins 200' "$log_a")
served_b=$(grep -cE 'POST /api/v1/events/[0-9]+/checkins 200' "$log_b")
check "the restarted A took check-ins ($served_a)" test "$served_a" -gt 0
# Scans stored before a kill whose desk still had to retry elsewhere: the
# crash took their answer, and the nonce gave it back. (A's victims
# finish on B, B's on A; the first kill's retries all land after it.)
lost=$(load_answers "$db" "SELECT count(*) FROM answers a
	JOIN scans s USING (nonce) WHERE a.attempts > 1 AND (
	    s.received_at < '$killed_a' AND a.server = '$url_b' OR
	    s.received_at >= '$killed_a' AND s.received_at < '$killed_b'
	    AND a.server = '$url_a')")
stored=$(load_live "$db")
for JF_URL in "$url_a" "$url_b"; do
	req GET "/api/v1/events/$LOAD_EVENT/stats"
	check "stats on $JF_URL equal the database" \
		eq "$(jbody .checked_in)" "$stored"
done
load_figures "$db" "kill9=$KILLS answers_lost_and_replayed=$lost" \
	"served_after_restart: A=$served_a B=$served_b"

check "restarted A stops cleanly" jf_server_stop "$pid_a" "$log_a"
check "restarted B stops cleanly" jf_server_stop "$pid_b" "$log_b"
done_testing
