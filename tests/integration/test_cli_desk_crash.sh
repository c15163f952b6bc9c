#!/usr/bin/env bash
# Front desk crash (issue 7): `jobfair checkin` is killed with SIGKILL
# while it answers offline scans and writes its journal. Every scan it
# had answered is in the journal; a record torn by the crash (the tail of
# a write that never finished, as a power cut leaves it) is dropped and
# the scans before it are kept; the desk carries on with that journal;
# `jobfair sync` uploads each scan once, also when the upload is repeated
# because the desk died before it could note that the server had them.
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
for i in $(seq 1 40); do
	valid+=("$(ed_token)")
	values+=("($EVENT, '受付 $i', 'ウケツケ', now(), '${valid[-1]}')")
done
sql "INSERT INTO registrations (event_id, name, name_kana, consent_at, checkin_token)
     VALUES $(IFS=,; echo "${values[*]}")"
v() { echo "${valid[$(($1 - 1))]}"; }

unset XDG_CONFIG_HOME XDG_DATA_HOME
export JOBFAIR_SERVER=$JF_URL JOBFAIR_TOKEN=$DESK JOBFAIR_DATA_DIR=$JF_TMP/data
journal=$JF_TMP/data/event-$EVENT/desk-1.journal
out=$JF_TMP/desk.out

"$JF_CLI" roster pull "$EVENT" >/dev/null 2>>"$JF_TMP/all-stderr"
check "roster pulled" test -f "$JF_TMP/data/event-$EVENT/roster.json"
kill -9 "$JF_PID"
wait "$JF_PID" 2>/dev/null

mkfifo "$JF_TMP/fifo"
"$JF_CLI" checkin "$EVENT" --desk desk-1 <"$JF_TMP/fifo" >"$out" 2>>"$JF_TMP/all-stderr" &
desk=$!
exec 3>"$JF_TMP/fifo"
wait_lines() {
	for _ in $(seq 300); do
		[ "$(wc -l <"$out")" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
# journal_tokens: the tokens of the journal's intact scan records.
journal_tokens() { jq -rR 'fromjson? | select(has("token")) | .token' "$journal"; }

for i in $(seq 1 10); do
	printf '%s\n' "$(v "$i")" >&3
	wait_lines "$i"
done
check "ten offline answers, one at a time" eq "$(grep -c '^OFFLINE OK  ' "$out")" 10
# A queue of 2,000 scans of the first 25 at once (a stuck scanner
# repeats); the desk is killed in the middle of them.
for _ in $(seq 80); do
	for i in $(seq 1 25); do v "$i"; done
done >"$JF_TMP/queue"
cat "$JF_TMP/queue" >&3 &
feeder=$!
wait_lines 40
kill -9 "$desk"
wait "$desk" 2>/dev/null
kill "$feeder" 2>/dev/null
wait "$feeder" 2>/dev/null
exec 3>&-
answered=$(wc -l <"$out")
journaled=$(journal_tokens | wc -l)
echo "     killed after $answered answers, $journaled scans journaled"
check "killed mid-way" test "$answered" -lt 2010
check "every answered scan is in the journal" test "$journaled" -ge "$answered"
journal_tokens >"$JF_TMP/journaled"
missing=0
while read -r n; do
	grep -qxF "$(v "$n")" "$JF_TMP/journaled" || missing=$((missing + 1))
done < <(sed -nE 's/^OFFLINE (OK|ALREADY)  受付 ([0-9]+) .*/\2/p' "$out")
check "each person answered is journaled by token" eq "$missing" 0

# The crash tore the record being written: its first half, no newline.
printf '{"v":1,"event":%s,"token":"%s","desk":"desk-1","scanned_at":"2024-06' "$EVENT" "$(v 40)" >>"$journal"
check "the journal ends torn" test "$(tail -c 1 "$journal" | od -An -c | tr -d ' ')" != '\n'

# The desk starts again on that journal, still offline.
printf '%s\n' "$(v 26)" "$(v 3)" "$(v 27)" |
	"$JF_CLI" checkin "$EVENT" --desk desk-1 >"$out" 2>>"$JF_TMP/all-stderr"
check "restarted desk: exits 0" eq "$?" 0
check "restarted desk: new people OK" eq "$(grep -c '^OFFLINE OK  ' "$out")" 2
check "restarted desk: scans before the crash remembered" grep -q '^OFFLINE ALREADY  受付 3 ' "$out"
check "the torn record is not read as a scan" bash -c "! grep -qF '$(v 40)' <(jq -rR 'fromjson? | .token // empty' '$journal')"
intact=$((journaled + 3))
distinct=$(journal_tokens | sort -u | wc -l)
check "the new scans follow the torn line intact" eq "$(journal_tokens | wc -l)" "$intact"

JOBFAIR_DATABASE_URL=$db JOBFAIR_LISTEN=127.0.0.1:$port "$JF_BIN" >"$JF_TMP/server-again.log" 2>&1 &
JF_PID=$!
JF_PIDS+=("$JF_PID")
for _ in $(seq 300); do
	curl -sf "$JF_URL/readyz" >/dev/null 2>&1 && break
	kill -0 "$JF_PID" 2>/dev/null || break
	sleep 0.1
done
curl -sf "$JF_URL/readyz" -o /dev/null || tail -5 "$JF_TMP/server-again.log" >&2
check "server back on its address" curl -sf "$JF_URL/readyz" -o /dev/null
cp "$journal" "$JF_TMP/journal-before-sync"

"$JF_CLI" sync "$EVENT" >"$out" 2>>"$JF_TMP/all-stderr"
check "sync: 0" eq "$?" 0
check "sync: the torn line reported" grep -qF "desk-1.journal: 1 line cut short by a crash dropped" "$out"
check "sync: every intact scan uploaded" grep -qF "desk-1.journal: $intact of $intact scans uploaded" "$out"
check "each scan once in the scan log" eq "$(sql "SELECT count(*) || '/' || count(DISTINCT nonce) FROM scans WHERE event_id = $EVENT")" "$intact/$intact"
check "check-ins = distinct people scanned ($distinct)" eq "$(sql "SELECT count(*) FROM checkins WHERE event_id = $EVENT AND undone_at IS NULL")" "$distinct"
check "the torn scan never reached the server" eq "$(sql "SELECT count(*) FROM scans WHERE token = '$(v 40)'")" 0

# The desk died before noting the answers: the same journal again.
cp "$JF_TMP/journal-before-sync" "$journal"
"$JF_CLI" sync "$EVENT" --json >"$out" 2>>"$JF_TMP/all-stderr"
check "repeated upload: 0" eq "$?" 0
check "repeated upload: every scan answered again" eq "$(wc -l <"$out")" "$intact"
check "repeated upload: the first answers, not re-judged" eq "$(jq -r 'select(.result == "checked_in") | .token' "$out" | sort -u | wc -l)" "$distinct"
check "repeated upload: no new scan rows" eq "$(sql "SELECT count(*) FROM scans WHERE event_id = $EVENT")" "$intact"
check "repeated upload: no new check-ins" eq "$(sql "SELECT count(*) FROM checkins WHERE event_id = $EVENT")" "$distinct"
"$JF_CLI" sync "$EVENT" >"$out" 2>>"$JF_TMP/all-stderr"
check "then nothing to upload" grep -qF "desk-1.journal: nothing to upload" "$out"

check "no sanitizer report from the CLI" bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$JF_TMP/all-stderr'"
check "server stops cleanly" jf_server_stop "$JF_PID" "$JF_TMP/server-again.log"
done_testing
