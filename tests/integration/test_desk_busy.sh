#!/usr/bin/env bash
# The front desk when the server asks it to slow down (issue 18 item 1):
# a 429 is not a refusal. The desk's user has one request in flight (a
# roster held by a table lock) with --user-max-requests 1, so its next
# check-in answers 429 with Retry-After; `jobfair checkin` answers from its
# roster as offline, journals the scan with its nonce and uploads it once
# when the server answers again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" --user-max-requests 1 || exit 1
DESK=$(jf_user "$db" dora frontdesk)
sql() { psql "$db" -qAtc "$1"; }
EVENT=$(ed_event "$db" 'Busy fair' 300 100 30)
read -r _ t1 <<<"$(ed_registration "$db" "$EVENT" '混雑 一郎' 'コンザツ イチロウ')"
read -r _ t2 <<<"$(ed_registration "$db" "$EVENT" '混雑 二郎' 'コンザツ ジロウ')"
checkins() { sql "SELECT count(*) FROM checkins WHERE event_id = $EVENT AND undone_at IS NULL"; }

unset XDG_CONFIG_HOME XDG_DATA_HOME
export JOBFAIR_SERVER=$JF_URL JOBFAIR_TOKEN=$DESK JOBFAIR_DATA_DIR=$JF_TMP/data
"$JF_CLI" roster pull "$EVENT" >/dev/null 2>"$JF_TMP/pull.err"
check "roster pulled" test -f "$JF_TMP/data/event-$EVENT/roster.json"

# Hold the desk user's one place: a roster waiting on a lock.
psql "$db" -qAtc "BEGIN; LOCK TABLE registrations IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(4); COMMIT" >/dev/null &
lock_pid=$!
sleep 0.5
curl -s -o /dev/null -H "Authorization: Bearer $DESK" "$JF_URL/api/v1/events/$EVENT/roster" &
held_pid=$!
sleep 0.5
headers=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $DESK" \
	"$JF_URL/api/v1/events/$EVENT/stats" | tr -d '\r')
check "the user's second request: 429" grep -q '^HTTP/1.1 429' <<<"$headers"
check "with Retry-After" grep -qi '^Retry-After: [0-9]' <<<"$headers"

rm -f "$JF_TMP/fifo"
mkfifo "$JF_TMP/fifo"
"$JF_CLI" checkin "$EVENT" --desk busy <"$JF_TMP/fifo" >"$JF_TMP/desk.out" 2>"$JF_TMP/desk.err" &
desk_pid=$!
exec 3>"$JF_TMP/fifo"
printf '%s\n' "$t1" >&3
check "the scan is answered" wait_lines "$JF_TMP/desk.out" 1
check "as offline, from the roster, not as an error" grep -q '^OFFLINE OK  混雑 一郎' "$JF_TMP/desk.out"
check "journaled, not yet uploaded" test "$(grep -c . "$JF_TMP/data/event-$EVENT/busy.journal")" -ge 1
wait "$lock_pid" "$held_pid"
check "nothing counted while refused" eq "$(checkins)" 0
sleep 5 # the desk asks the server again after 5 seconds
printf '%s\n' "$t2" >&3
check "the next scan, once the server takes requests again" wait_lines "$JF_TMP/desk.out" 3
check "the backlog uploaded first" eq "$(sed -n 2p "$JF_TMP/desk.out")" "UPLOADED  1 scan made offline sent to the server"
check "then the scan, online" grep -q '^OK  混雑 二郎' <<<"$(sed -n 3p "$JF_TMP/desk.out")"
exec 3>&-
wait "$desk_pid"
check "the desk exits 0" eq "$?" 0
check "two check-ins, each once" eq "$(checkins)" 2
check "the offline scan counted as offline, once" eq "$(sql "SELECT count(*) FROM scans s JOIN registrations r ON r.checkin_token = s.token WHERE r.name = '混雑 一郎'"):$(sql "SELECT count(*) FROM checkins WHERE event_id = $EVENT AND offline")" 1:1
check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
