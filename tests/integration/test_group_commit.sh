#!/usr/bin/env bash
# Group commit: two jobfaird instances with pools of two connections take
# a burst of 200 scans from 32 desks (50 tokens three times each, 50
# garbage), so check-ins wait for the pool together and go to the
# database in groups (api_checkin_many). Every promise of the one-by-one
# check-in holds, and the answers and rows equal those of the same scans
# (same seed: same order, nonces and garbage) sent one by one to a third
# instance with a database of its own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checkin_load.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" --pool-size 2 || exit 1
url_a=$JF_URL pid_a=$JF_PID log_a=$JF_LOG
jf_server_start "$db" --pool-size 2 --no-migrate || exit 1
url_b=$JF_URL pid_b=$JF_PID log_b=$JF_LOG
TOKEN=$(jf_user "$db" desk frontdesk)
token_a=$TOKEN
LOAD_GARBAGE=50

# The burst, across both servers.
check "50 registrations with tokens" load_event "$db" 50
burst_event=$LOAD_EVENT
load_start "$url_a,$url_b"
check "burst ran" load_wait
load_check_once "$db"
check "burst: no 5xx" eq "$(load_fig status_5xx)" 0
# now() is the transaction's start: check-ins that share it were
# committed together.
grouped() {
	load_sql "$1" "SELECT count(*) FROM (SELECT checked_in_at FROM checkins
		WHERE event_id = $2 GROUP BY 1 HAVING count(*) > 1) g"
}
check "burst: check-ins went to the database in groups" \
	test "$(grouped "$db" "$burst_event")" -gt 0
cp "$LOAD_SUMMARY" "$JF_TMP/burst.json"
cp "$LOAD_OUT" "$JF_TMP/burst.jsonl"

# The same scans one by one.
jf_db_new || exit 1
db1=$JF_DB
jf_server_start "$db1" || exit 1
url_c=$JF_URL pid_c=$JF_PID log_c=$JF_LOG
TOKEN=$(jf_user "$db1" desk frontdesk)
check "one by one: 50 registrations with tokens" load_event "$db1" 50
load_start "$url_c" --concurrency 1 --seed "$(jq -r .seed "$JF_TMP/burst.json")"
check "one by one ran" load_wait
load_check_once "$db1"
check "one by one: each check-in its own transaction" \
	eq "$(grouped "$db1" "$LOAD_EVENT")" 0
# Which of two concurrent scans of one token comes first is the race's,
# not the group's: per scan, checked_in and already_checked_in are one
# answer here (their counts are compared below), every other is itself.
check "the same answer to every scan as one by one" jq -n -e \
	--slurpfile burst "$JF_TMP/burst.jsonl" --slurpfile alone "$LOAD_OUT" '
	def answer: [.status, (.result | if . == "already_checked_in" then "checked_in" else . end)];
	($alone | map({(.nonce): answer}) | add) as $one
	| ($burst | length) == ($alone | length)
	  and ($burst | all($one[.nonce] == answer))'
for fig in acked_checked_in already_checked_in unknown_token distinct_checked_in \
	status_4xx valid_refused garbage_accepted; do
	check "the same $fig as one by one" \
		eq "$(jq -r ".$fig" "$JF_TMP/burst.json")" "$(load_fig "$fig")"
done
rows() {
	load_sql "$2" "SELECT (SELECT count(*) FROM checkins WHERE event_id = $1) || ' '
		|| (SELECT count(*) FROM scans WHERE event_id = $1) || ' '
		|| (SELECT count(*) FROM scans WHERE event_id = $1 AND result = 'checked_in') || ' '
		|| (SELECT count(*)
		    FROM jsonb_array_elements(api_audit_list('{\"kind\": \"checkin\", \"limit\": 100000}')->'items') a
		    JOIN checkins c ON (a->'detail'->>'checkin_id')::bigint = c.id
		    WHERE c.event_id = $1) || ' '
		|| (checkin_counts($1)->'seekers'->>'checked_in')"
}
check "the same rows as one by one (check-ins, scans, audit, tallies)" \
	eq "$(rows "$burst_event" "$db")" "$(rows "$LOAD_EVENT" "$db1")"

# A poisoned scan in a group: its nonce was used at the burst's event.
# A lock held on the check-ins for a second keeps the pool's two
# connections waiting, so the 24 scans behind them go in groups; the
# poisoned one is sent last, into a group, and fails alone.
TOKEN=$token_a JF_URL=$url_a
check "poison: 24 registrations" load_event "$db" 24
poison_nonce=$(jq -r 'select(.status == 200) | .nonce' "$JF_TMP/burst.jsonl" | head -n 1)
psql "$db" -qAt -c "BEGIN; LOCK TABLE checkins IN SHARE ROW EXCLUSIVE MODE;
	SELECT pg_sleep(1.5); COMMIT" >/dev/null &
sleep 0.3
i=0 curls=()
while read -r tok; do
	i=$((i + 1))
	nonce=poison-test-$i
	[ "$i" -eq 24 ] && { sleep 0.3; nonce=$poison_nonce; }
	curl -s -o "$JF_TMP/poison-$i.json" -w '%{http_code}' --max-time 30 \
		-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		--data-binary "{\"token\":\"$tok\",\"desk\":\"p\",\"nonce\":\"$nonce\"}" \
		"$url_a/api/v1/events/$LOAD_EVENT/checkins" >"$JF_TMP/poison-$i.status" &
	curls+=("$!")
done <"$LOAD_TOKENS"
wait "${curls[@]}"
check "poison: the poisoned scan is refused alone (409)" \
	eq "$(cat "$JF_TMP/poison-24.status")" 409
check "poison: in the error shape, naming the nonce" jq -e \
	'.error.code == "conflict" and (.error.message | test("another event"))' \
	"$JF_TMP/poison-24.json"
check "poison: the 23 others checked in" eq "$(for i in $(seq 1 23); do
	printf '%s %s\n' "$(cat "$JF_TMP/poison-$i.status")" \
		"$(jq -r .result "$JF_TMP/poison-$i.json")"; done | sort | uniq -c | xargs)" \
	"23 200 checked_in"
check "poison: 23 check-ins and 23 scan rows" eq "$(load_sql "$db" "
	SELECT (SELECT count(*) FROM checkins WHERE event_id = $LOAD_EVENT) || ' ' ||
	       (SELECT count(*) FROM scans WHERE event_id = $LOAD_EVENT)")" "23 23"
check "poison: they went in groups" test "$(grouped "$db" "$LOAD_EVENT")" -gt 0

check "A stops cleanly" jf_server_stop "$pid_a" "$log_a"
check "B stops cleanly" jf_server_stop "$pid_b" "$log_b"
check "C stops cleanly" jf_server_stop "$pid_c" "$log_c"
done_testing
