#!/usr/bin/env bash
# Many desks: two jobfaird instances on one database, 32 scanners, 3,000
# valid tokens each scanned three times in random order across both, mixed
# with garbage. Exactly one check-in and one checked_in answer per token,
# every answer well-formed, no 5xx, and both instances' live counts equal
# the database. Then the first third of the scans again with their
# nonces (desks re-uploading): the same answers, nothing new stored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checkin_load.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
url_a=$JF_URL pid_a=$JF_PID log_a=$JF_LOG
jf_server_start "$db" --no-migrate || exit 1
url_b=$JF_URL pid_b=$JF_PID log_b=$JF_LOG
TOKEN=$(jf_user "$db" desk frontdesk)
check "3,000 registrations with tokens" load_event "$db" 3000

load_start "$url_a,$url_b"
check "scanload ran" load_wait
load_check_once "$db"
check "no 5xx" eq "$(load_fig status_5xx)" 0
check "no connection failed" eq "$(load_fig transport_errors)" 0
check "nothing needed a retry" eq "$(load_fig retried)" 0
check "every garbage scan answered unknown_token or 4xx" \
	eq "$(($(load_fig unknown_token) + $(load_fig status_4xx)))" 300
stored=$(load_live "$db")
for JF_URL in "$url_a" "$url_b"; do
	req GET "/api/v1/events/$LOAD_EVENT/stats"
	check "stats on $JF_URL: 200" eq "$STATUS" 200
	check "stats on $JF_URL equal the database" \
		eq "$(jbody .checked_in)" "$stored"
	check "stats on $JF_URL: registered" eq "$(jbody .registered)" 3000
done
load_figures "$db"

# The replay: same seed, so the same scans in the same order with the
# same nonces, from other desks at another time.
scans_before=$(load_sql "$db" "SELECT count(*) FROM scans")
cp "$LOAD_OUT" "$JF_TMP/first.jsonl"
load_start "$url_b,$url_a" --seed "$(load_fig seed)" --limit 3100
check "replay ran" load_wait
check "replay: 3,100 scans" eq "$(load_fig sent)" 3100
check "replay: every scan got its first answer again" jq -n -e \
	--slurpfile first "$JF_TMP/first.jsonl" --slurpfile replay "$LOAD_OUT" '
	($first | map({(.nonce): [.status, .result]}) | add) as $answer
	| $replay | all($answer[.nonce] == [.status, .result])'
check "replay: nothing malformed" eq "$(load_fig malformed)" 0
check "replay: no new check-in" eq "$(load_live "$db")" "$stored"
check "replay: no new scan-log row" \
	eq "$(load_sql "$db" "SELECT count(*) FROM scans")" "$scans_before"
load_figures "$db" "(replay)"

check "A stops cleanly" jf_server_stop "$pid_a" "$log_a"
check "B stops cleanly" jf_server_stop "$pid_b" "$log_b"
done_testing
