#!/usr/bin/env bash
# The front desk when the venue's network drops (issue 4, "Done when"),
# end to end as the desk would do it: pull the roster, pipe 100 scans
# (duplicates and garbage among them) into `jobfair checkin` through a
# FIFO, kill the server halfway, keep scanning (the lines say OFFLINE and
# answer from the roster), start the server again, `jobfair sync`: the
# check-ins equal the distinct valid tokens. Then `checkin` uploading its
# own backlog once the server is back, and two offline desks letting the
# same person in: one check-in and a reported conflict. And a server that
# hangs instead of refusing: the desk goes offline within seconds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
port=${JF_URL##*:}
DESK=$(jf_user "$db" fiona frontdesk)
sql() { psql "$db" -qAtc "$1"; }

EVENT=$(ed_event "$db" 'Joint fair' 300 100 30)
valid=()
values=()
for i in $(seq 1 50); do
	valid+=("$(ed_token)")
	values+=("($EVENT, '受付 $i', 'ウケツケ', now(), '${valid[-1]}')")
done
sql "INSERT INTO registrations (event_id, name, name_kana, consent_at, checkin_token)
     VALUES $(IFS=,; echo "${values[*]}")"
read -r _ cancelled <<<"$(ed_registration "$db" "$EVENT" '取消 花子' 'トリケシ ハナコ' cancelled)"
# v N: the Nth valid token (1-based).
v() { echo "${valid[$(($1 - 1))]}"; }
long=$(printf 'x%.0s' $(seq 300))
garbage=(hello 'https://example.com/?q=not-ours' JF1-SHORT 1234567890 "$long")

unset XDG_CONFIG_HOME XDG_DATA_HOME
export JOBFAIR_SERVER=$JF_URL JOBFAIR_TOKEN=$DESK JOBFAIR_DATA_DIR=$JF_TMP/data
journal=$JF_TMP/data/event-$EVENT

server_down() {
	kill -9 "$JF_PID"
	wait "$JF_PID" 2>/dev/null
}
# The server again on the same address, as after a restart at the venue
# (without the FIFO's write end, or the desk would never see its end).
server_up() {
	JOBFAIR_DATABASE_URL=$db JOBFAIR_LISTEN=127.0.0.1:$port \
		"$JF_BIN" >>"$JF_TMP/server-again.log" 2>&1 3>&- &
	JF_PID=$!
	JF_PIDS+=("$JF_PID")
	for _ in $(seq 300); do
		curl -sf "$JF_URL/readyz" >/dev/null 2>&1 && return 0
		kill -0 "$JF_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "jobfaird did not come back:" >&2
	tail -5 "$JF_TMP/server-again.log" >&2
	return 1
}
# desk_start NAME: `jobfair checkin` reading the FIFO fd 3 writes to.
desk_start() {
	rm -f "$JF_TMP/fifo"
	mkfifo "$JF_TMP/fifo"
	"$JF_CLI" checkin "$EVENT" --desk "$1" <"$JF_TMP/fifo" >"$JF_TMP/$1.out" 2>"$JF_TMP/$1.err" &
	DESK_PID=$!
	exec 3>"$JF_TMP/fifo"
}
feed() { printf '%s\n' "$@" >&3; }
# desk_stop: end of input; the desk's exit status in DESK_RC.
desk_stop() {
	exec 3>&-
	wait "$DESK_PID"
	DESK_RC=$?
	cat "$JF_TMP"/*.err >>"$JF_TMP/all-stderr"
}
# n_lines FILE PATTERN: lines of FILE matching the extended regex.
n_lines() { grep -cE -- "$2" "$1"; }
sync_run() {
	"$JF_CLI" sync "$EVENT" "$@" >"$JF_TMP/sync.out" 2>"$JF_TMP/sync.err"
	SYNC_RC=$?
	SYNC=$(cat "$JF_TMP/sync.out")
	cat "$JF_TMP/sync.err" >>"$JF_TMP/all-stderr"
}
checkins() { sql "SELECT count(*) FROM checkins WHERE event_id = $EVENT AND undone_at IS NULL"; }

"$JF_CLI" roster pull "$EVENT" >/dev/null 2>>"$JF_TMP/all-stderr"
check "roster pulled" test -f "$journal/roster.json"

# --- 100 scans, the server killed after 50 --------------------------------
# 45 distinct valid tokens in all, each may come again (also in lower case
# with spaces, as some scanners type), 10 garbage lines (2 too long to be
# a scan at all), 6 unknown codes of our format, a cancelled code 4 times.
{
	for i in $(seq 1 35); do v "$i"; done
	for i in $(seq 1 5); do v "$i"; done
	printf '%s\n' "${garbage[@]}"
	for _ in 1 2 3; do ed_token; done
	printf '%s\n' "$cancelled" "$cancelled"
} | shuf --random-source=<(yes) >"$JF_TMP/first-half"
{
	for i in $(seq 36 45); do v "$i"; done
	for i in $(seq 6 25); do v "$i"; done
	for i in $(seq 36 40); do v "$i"; done
	for i in $(seq 41 45); do echo "  $(v "$i" | tr '[:upper:]' '[:lower:]') "; done
	printf '%s\n' "${garbage[@]}"
	for _ in 1 2 3; do ed_token; done
	printf '%s\n' "$cancelled" "$cancelled"
} | shuf --random-source=<(yes) >"$JF_TMP/second-half"
check "100 scans prepared" eq "$(cat "$JF_TMP/first-half" "$JF_TMP/second-half" | wc -l)" 100

desk_start desk-1
feed "$(cat "$JF_TMP/first-half")"
check "first 50 answered" wait_lines "$JF_TMP/desk-1.out" 50
out=$JF_TMP/desk-1.out
check "online: 35 OK" eq "$(n_lines "$out" '^OK  ')" 35
check "online: 5 ALREADY" eq "$(n_lines "$out" '^ALREADY  ')" 5
check "online: 8 UNKNOWN" eq "$(n_lines "$out" '^UNKNOWN  ')" 8
check "online: 2 CANCELLED" eq "$(n_lines "$out" '^CANCELLED  ')" 2
check "online: 35 check-ins stored" eq "$(checkins)" 35
server_down
feed "$(cat "$JF_TMP/second-half")"
check "second 50 answered with the server gone" wait_lines "$out" 100
tail -n 50 "$out" >"$JF_TMP/offline.out"
check "offline: every line says OFFLINE" eq "$(n_lines "$JF_TMP/offline.out" '^OFFLINE ')" 50
check "offline: 10 new people OK from the roster" eq "$(n_lines "$JF_TMP/offline.out" '^OFFLINE OK  受付 [0-9]+ \(ウケツケ\)  seekers [0-9]+/100')" 10
check "offline: the count goes on from the server's" grep -qE '^OFFLINE OK  .*seekers 45/100' "$JF_TMP/offline.out"
check "offline: 30 ALREADY (scanned before, online or offline)" eq "$(n_lines "$JF_TMP/offline.out" '^OFFLINE ALREADY  ')" 30
check "offline: 8 UNKNOWN" eq "$(n_lines "$JF_TMP/offline.out" '^OFFLINE UNKNOWN  ')" 8
check "offline: 2 CANCELLED" eq "$(n_lines "$JF_TMP/offline.out" '^OFFLINE CANCELLED  ')" 2
check "offline: a bell on the 40 that are not OK" eq "$(grep -c $'\a$' "$JF_TMP/offline.out")" 40
desk_stop
check "checkin exits 0 at EOF" eq "$DESK_RC" 0
check "checkin says what waits for sync" grep -q "49 scans wait in .*desk-1.journal" "$JF_TMP/desk-1.err"
check "journal private" eq "$(stat -c %a "$journal/desk-1.journal")" 600

server_up || exit 1
check "nothing uploaded before sync" eq "$(checkins)" 35
sync_run
check "sync: 0" eq "$SYNC_RC" 0
check "sync: reports the results" grep -qF "desk-1.journal: 49 of 49 scans uploaded: 10 checked in, 30 already checked in, 7 unknown, 2 cancelled" <<<"$SYNC"
check "final check-ins = distinct valid tokens (45)" eq "$(checkins)" 45
check "stats agree" eq "$("$JF_CLI" stats "$EVENT" --json | jq .checked_in)" 45
check "the 10 offline ones marked offline" eq "$(sql "SELECT count(*) FROM checkins WHERE event_id = $EVENT AND offline")" 10
check "offline arrival is the scan's time" eq "$(sql "SELECT count(*) FROM checkins WHERE event_id = $EVENT AND offline AND checked_in_at = scanned_at")" 10
check "scan log: the 98 scans that were scans" eq "$(sql "SELECT count(*) FROM scans WHERE event_id = $EVENT")" 98
check "no scan twice" eq "$(sql "SELECT count(DISTINCT nonce) FROM scans WHERE event_id = $EVENT")" 98
check "one desk: no conflicts" eq "$(sql "SELECT count(*) FROM scans WHERE event_id = $EVENT AND (response->>'conflict')::boolean")" 0
sync_run
check "sync again: nothing to upload" grep -qF "desk-1.journal: nothing to upload" <<<"$SYNC"
check "sync again: no new rows" eq "$(sql "SELECT count(*) FROM scans WHERE event_id = $EVENT"):$(checkins)" 98:45

# --- checkin uploads its own backlog once the server answers again -------
desk_start desk-1
feed "$(v 46)"
check "online again" wait_lines "$JF_TMP/desk-1.out" 1
server_down
feed "$(v 47)" "$(v 48)" "$(v 46)"
check "three offline answers" wait_lines "$JF_TMP/desk-1.out" 4
check "offline: OK, OK, ALREADY" eq "$(tail -n 3 "$JF_TMP/desk-1.out" | cut -d' ' -f1-2 | tr '\n' ,)" "OFFLINE OK,OFFLINE OK,OFFLINE ALREADY,"
server_up || exit 1
sleep 5.5 # the desk asks again at most every 5 seconds
feed "$(v 49)"
check "the next scan after the return" wait_lines "$JF_TMP/desk-1.out" 6
check "backlog uploaded first" eq "$(sed -n 5p "$JF_TMP/desk-1.out")" "UPLOADED  3 scans made offline sent to the server"
check "then the scan itself, online" grep -qE '^OK  受付 49 \(ウケツケ\)  seekers 49/100' <<<"$(sed -n 6p "$JF_TMP/desk-1.out")"
check "all four in the database before the desk stops" eq "$(checkins)" 49
desk_stop
check "exits 0, nothing left waiting" eq "$DESK_RC:$(grep -c wait "$JF_TMP/desk-1.err")" 0:0
sync_run --desk desk-1
check "sync after the desk uploaded: nothing" grep -qF "nothing to upload" <<<"$SYNC"

# --- two offline desks, one person ------------------------------------------
server_down
"$JF_CLI" checkin "$EVENT" --desk desk-a <<<"$(v 50)" >"$JF_TMP/desk-a.out" 2>>"$JF_TMP/all-stderr"
check "desk-a lets number 50 in offline" grep -q "^OFFLINE OK  受付 50 " "$JF_TMP/desk-a.out"
"$JF_CLI" checkin "$EVENT" --desk desk-b --json <<<"$(v 50)" >"$JF_TMP/desk-b.out" 2>>"$JF_TMP/all-stderr"
# Its count: the roster's (pulled before the doors opened) plus its own.
check "desk-b lets number 50 in offline (--json)" eq "$(jq -r '"\(.result) \(.offline) \(.name) \(.counts.seekers.checked_in)"' "$JF_TMP/desk-b.out")" "checked_in true 受付 50 1"
nonce_b=$(jq -r .nonce "$JF_TMP/desk-b.out")
"$JF_CLI" checkin "$EVENT" --id 1 >"$JF_TMP/by-id.out" 2>>"$JF_TMP/all-stderr"
check "check-in by id offline: 3, says it needs the server" eq "$?:$(cut -c1-9 "$JF_TMP/by-id.out")" "3:OFFLINE  "
"$JF_CLI" walkin "$EVENT" --name '飛込 太郎' --kana 'トビコミ' --consent >/dev/null 2>>"$JF_TMP/all-stderr"
check "walk-in offline: 3" eq "$?" 3
server_up || exit 1
sync_run
check "two desks: sync 0" eq "$SYNC_RC" 0
check "two desks: the conflict reported" grep -qE "conflict: 受付 50 scanned at desk-b [0-9:]+, but first checked in at [0-9:]+ desk-a: counted once" <<<"$SYNC"
check "two desks: summary counts it" grep -qF "desk-b.journal: 1 of 1 scan uploaded: 1 already checked in (1 conflict)" <<<"$SYNC"
check "two desks: one check-in" eq "$(sql "SELECT count(*) FROM checkins c JOIN registrations r ON r.id = c.registration_id WHERE r.checkin_token = '$(v 50)'")" 1
check "two desks: both scans logged" eq "$(sql "SELECT string_agg(desk || ':' || result, ',' ORDER BY desk) FROM scans WHERE token = '$(v 50)'")" "desk-a:checked_in,desk-b:already_checked_in"
check "two desks: desk-b's scan logged under the nonce it showed" eq "$(sql "SELECT desk FROM scans WHERE nonce = '$nonce_b'")" desk-b
check "final check-ins: 50 distinct valid tokens" eq "$(checkins)" 50
check "the walk-in tried offline registered no one" eq "$(sql "SELECT count(*) FROM registrations WHERE name = '飛込 太郎'")" 0

# --- a network that hangs instead of refusing ------------------------------
# A stopped server still accepts connections and never answers, like a
# dropped Wi-Fi: the desk goes offline after its 5-s check-in timeout, not
# after the client's usual minute. The roster was pulled before 10 came.
kill -STOP "$JF_PID"
start=$(date +%s)
"$JF_CLI" checkin "$EVENT" --desk desk-h <<<"$(v 10)" >"$JF_TMP/desk-h.out" 2>>"$JF_TMP/all-stderr"
took=$(($(date +%s) - start))
kill -CONT "$JF_PID"
check "hung server: answered from the roster" grep -qE "^OFFLINE OK  受付 10 " "$JF_TMP/desk-h.out"
# The scan's try and the last upload try at the end: 5 s each.
check "hung server: scanned and done within 15 s (took ${took} s)" test "$took" -le 15
sync_run --desk desk-h
check "hung server: the scan uploaded afterwards, counted once" grep -qF "desk-h.journal: 1 of 1 scan uploaded: 1 already checked in" <<<"$SYNC"

check "no sanitizer report from the CLI" bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$JF_TMP/all-stderr'"
check "server stops cleanly" jf_server_stop "$JF_PID" "$JF_TMP/server-again.log"
done_testing
