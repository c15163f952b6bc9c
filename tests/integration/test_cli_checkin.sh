#!/usr/bin/env bash
# The front desk through `jobfair` (issue 4, "The front desk (CLI)"): a
# scanner's lines piped into `jobfair checkin` answer OK / ALREADY /
# UNKNOWN / WRONG EVENT / CANCELLED, with a bell on all but OK and the
# running count; --json; check-in by id after `jobfair lookup`; walk-in;
# undo; stats once and live; `jobfair qr` writes PNGs that zbarimg decodes
# back to the token and an index.csv with a BOM; roles and exit codes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ORG=$(jf_user "$db" olivia organizer)
DESK=$(jf_user "$db" fiona frontdesk)
VIEW=$(jf_user "$db" victor viewer)
sql() { psql "$db" -qAtc "$1"; }

EVENT=$(ed_event "$db" 'Joint fair' 300 100 30)
OTHER=$(ed_event "$db" 'Another fair')
read -r r1 t1 <<<"$(ed_registration "$db" "$EVENT" '山口 太郎' 'ヤマグチ タロウ' registered 0839221111)"
read -r r2 t2 <<<"$(ed_registration "$db" "$EVENT" '川上 花子' 'カワカミ ハナコ' cancelled)"
read -r r3 t3 <<<"$(ed_registration "$db" "$EVENT" '佐藤 一郎' 'サトウ イチロウ' registered 09012345678)"
read -r r4 _ <<<"$(ed_registration "$db" "$EVENT" '鈴木 三郎' 'スズキ サブロウ')"
read -r _ tb <<<"$(ed_registration "$db" "$OTHER" '鈴木 次郎' 'スズキ ジロウ')"
read -r _ tc <<<"$(ed_booth "$db" "$EVENT" '株式会社 山口')"

unset XDG_CONFIG_HOME XDG_DATA_HOME
export JOBFAIR_SERVER=$JF_URL JOBFAIR_TOKEN=$DESK JOBFAIR_DATA_DIR=$JF_TMP/data

# jf ARGS...: runs the CLI (stdin from $JF_IN if set); sets RC, OUT, ERR.
jf() {
	"$JF_CLI" "$@" <"${JF_IN:-/dev/null}" >"$JF_TMP/out" 2>"$JF_TMP/err"
	RC=$?
	OUT=$(cat "$JF_TMP/out")
	ERR=$(cat "$JF_TMP/err")
	cat "$JF_TMP/err" >>"$JF_TMP/all-stderr"
}
has() { grep -qF -- "$2" <<<"$1" || { echo "     [$2] not in: $1" >&2; return 1; }; }
line() { sed -n "${2}p" <<<"$1"; }
bell() { [[ $1 == *$'\a' ]]; }

# --- the roster on this desk (for kana and offline use) -------------------
jf roster pull "$EVENT"
check "roster pull by the front desk: 0" eq "$RC" 0
check "roster saved where --data-dir says" test -f "$JF_TMP/data/event-$EVENT/roster.json"
check "roster file 0600" eq "$(stat -c %a "$JF_TMP/data/event-$EVENT/roster.json")" 600
check "roster holds no token" bash -c "! grep -qF '$t1' '$JF_TMP/data/event-$EVENT/roster.json'"
check "roster holds the token's hash" grep -qF "$(printf %s "$t1" | sha256sum | cut -c1-64)" "$JF_TMP/data/event-$EVENT/roster.json"
check "roster: no phone numbers" bash -c "! grep -qF 0839221111 '$JF_TMP/data/event-$EVENT/roster.json'"
check "roster pull reports 5 entries" has "$OUT" "5 seekers and companies"
JOBFAIR_TOKEN=$VIEW jf roster pull "$EVENT"
check "roster pull by a viewer: refused 2" eq "$RC" 2

# --- a scanner's lines -----------------------------------------------------
lower=$(tr '[:upper:]' '[:lower:]' <<<"$t1")
printf '%s\n' "$t1" "  $lower  "$'\r' "" "$(ed_token)" "$tb" "$t2" \
	"https://example.com/?q=not-ours" "$tc" >"$JF_TMP/scans"
JF_IN=$JF_TMP/scans jf checkin "$EVENT" --desk desk-1
check "checkin exits 0 at EOF" eq "$RC" 0
check "one answer per non-blank line" eq "$(wc -l <<<"$OUT")" 7
l1=$(line "$OUT" 1)
check "OK with name, kana and count" has "$l1" "OK  山口 太郎 (ヤマグチ タロウ)  seekers 1/100"
check "OK rings no bell" bash -c '[[ $1 != *$'"'\a'"'* ]]' _ "$l1"
l2=$(line "$OUT" 2)
check "ALREADY with the first time and desk" grep -qE '^ALREADY  山口 太郎 \(ヤマグチ タロウ\)  first at [0-9]{2}:[0-9]{2} desk-1  seekers 1/100' <<<"$l2"
check "ALREADY rings the bell" bell "$l2"
l3=$(line "$OUT" 3)
check "UNKNOWN says what to do" eq "$l3" $'UNKNOWN  — not one of ours: send to the registration desk\a'
l4=$(line "$OUT" 4)
check "WRONG EVENT names the right one" eq "$l4" "WRONG EVENT  — registered for Another fair ($ED_DAY 13:00): send to the registration desk"$'\a'
l5=$(line "$OUT" 5)
check "CANCELLED names the person" has "$l5" "CANCELLED  — registration cancelled: 川上 花子 (カワカミ ハナコ)"
check "CANCELLED rings the bell" bell "$l5"
check "garbage: UNKNOWN with a bell" eq "$(line "$OUT" 6)" "$l3"
l7=$(line "$OUT" 7)
check "a company's code: OK with the companies' count" has "$l7" "OK  株式会社 山口 (カブシキガイシャ)  companies 1/30"
check "nothing said on stderr" eq "$ERR" ""
check "two check-ins stored" eq "$(sql "SELECT count(*) FROM checkins WHERE event_id = $EVENT AND undone_at IS NULL")" 2
check "every scan in the scan log, with its desk" eq "$(sql "SELECT count(*) FROM scans WHERE event_id = $EVENT AND desk = 'desk-1'")" 7
check "scans carry the time in Japan" eq "$(sql "SELECT count(*) FROM scans WHERE event_id = $EVENT AND abs(extract(epoch FROM received_at - scanned_at)) < 60")" 7
check "the journal has the scans" eq "$(grep -c '"nonce"' "$JF_TMP/data/event-$EVENT/desk-1.journal")" 7
jf sync "$EVENT" --desk desk-1
check "every answered scan marked uploaded" has "$OUT" "nothing to upload"

# --json: one line per scan, the server's answer with token, nonce, offline.
printf '%s\n' "$t3" "$t3" >"$JF_TMP/scans"
JF_IN=$JF_TMP/scans jf checkin "$EVENT" --desk desk-2 --json
check "--json exits 0" eq "$RC" 0
check "--json: two lines" eq "$(wc -l <<<"$OUT")" 2
j1=$(line "$OUT" 1)
check "--json: result" eq "$(jq -r .result <<<"$j1")" checked_in
check "--json: token" eq "$(jq -r .token <<<"$j1")" "$t3"
check "--json: nonce of 128 bits" grep -qE '^[0-9a-f]{32}$' <<<"$(jq -r .nonce <<<"$j1")"
check "--json: online" eq "$(jq -r .offline <<<"$j1")" false
check "--json: counts" eq "$(jq -r '.counts.seekers | "\(.checked_in)/\(.target)"' <<<"$j1")" 2/100
check "--json: the nonce is the scan log's" eq "$(sql "SELECT registration_id FROM scans JOIN checkins c ON c.id = checkin_id WHERE nonce = '$(jq -r .nonce <<<"$j1")'")" "$r3"
check "--json: second is already" eq "$(line "$OUT" 2 | jq -r '"\(.result) \(.desk)"')" "already_checked_in desk-2"
check "--json: fresh nonce per scan" test "$(line "$OUT" 2 | jq -r .nonce)" != "$(jq -r .nonce <<<"$j1")"

# --- lookup and check-in by id ---------------------------------------------
jf lookup "$EVENT" すずき
check "lookup by hiragana kana: 0" eq "$RC" 0
check "lookup finds the person" has "$OUT" "鈴木 三郎"
check "lookup shows the id" grep -qE "^ *$r4 " <<<"$OUT"
jf lookup "$EVENT" '０９０－１２３４－５６７８'
check "lookup by full-width phone" has "$OUT" "佐藤 一郎"
jf lookup "$EVENT" ゼンゼンチガウ
check "lookup without a match says so" has "$OUT" "no one registered"
ed_sql "$db" "UPDATE registrations SET accommodations = '{sign_language,wheelchair}', supporters = 1, disability_handbook = 'physical' WHERE id = $r4" >/dev/null
jf checkin "$EVENT" --id "$r4" --desk desk-2
check "checkin --id: 0" eq "$RC" 0
check "checkin --id: OK line with kana and what the desk acts on" has "$OUT" \
	"OK  鈴木 三郎 (スズキ サブロウ)  needs: 手話通訳, 車いす, 支援者 1人  seekers 3/100"
check "checkin --id: never the handbook" test "$(grep -c 身体 <<<"$OUT")" -eq 0
cid=$(sql "SELECT id FROM checkins WHERE registration_id = $r4")
check "checkin --id: stored with the desk" eq "$(sql "SELECT desk FROM checkins WHERE id = $cid")" desk-2
check "checkin --id: the check-in's number shown" has "$OUT" "#$cid"
jf checkin "$EVENT" --id "$r4"
check "checkin --id twice: ALREADY" has "$OUT" "ALREADY  鈴木 三郎"
jf checkin "$EVENT" --id abc
check "checkin --id abc: usage 1" eq "$RC" 1

# --- undo --------------------------------------------------------------------
jf undo "$EVENT" "$cid"
check "undo: 0" eq "$RC" 0
check "undo: says so with the new count" has "$OUT" "UNDONE  check-in #$cid of registration $r4 taken back  seekers 2/100"
check "undo: marked in the database" eq "$(sql "SELECT undone_at IS NOT NULL FROM checkins WHERE id = $cid")" t
check "undo: audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'checkin_undo' AND object_id = $r4")" 1
jf undo "$EVENT" "$cid"
check "undo twice: refused 2" eq "$RC" 2
check "undo twice: the server's reason" has "$ERR" "already undone"

# --- walk-in -------------------------------------------------------------------
jf walkin "$EVENT" --name '飛込 花子' --kana 'とびこみ はなこ' --categories 'youth;parenting' --consent --desk desk-3
check "walk-in: 0" eq "$RC" 0
wid=$(sql "SELECT id FROM registrations WHERE name = '飛込 花子'")
check "walk-in: OK line with the registration" has "$OUT" "OK  walk-in 飛込 花子 (トビコミ ハナコ) registered as $wid  seekers 3/100"
check "walk-in: registered as a walk-in" eq "$(sql "SELECT walk_in || ' ' || array_to_string(categories, ';') FROM registrations WHERE id = $wid")" "true youth;parenting"
check "walk-in: checked in at the desk" eq "$(sql "SELECT desk FROM checkins WHERE registration_id = $wid AND undone_at IS NULL")" desk-3
jf walkin "$EVENT" --name '無同意 太郎' --kana 'ムドウイ'
check "walk-in without consent: 1, nothing sent" eq "$RC:$(sql "SELECT count(*) FROM registrations WHERE name = '無同意 太郎'")" 1:0
check "walk-in without consent: says why" has "$ERR" "consent"
jf walkin "$EVENT" --name '無分類 次郎' --kana 'ムブンルイ ジロウ' --consent --json
check "walk-in without categories, --json: 0" eq "$RC" 0
check "walk-in --json: the registration and its check-in" eq "$(jq -r '"\(.name_kana) \(.checkin.id != null)"' <<<"$OUT")" "ムブンルイ ジロウ true"
check "walk-in --json: the desk sees no sensitive fields" eq "$(jq -r 'has("phone") or has("disability")' <<<"$OUT")" false

# --- stats, once and live --------------------------------------------------------
jf stats "$EVENT"
check "stats: 0" eq "$RC" 0
check "stats: seekers registered, came, target, rate" grep -qE '^求職者 +5 +4 +100 +4%$' <<<"$OUT"
check "stats: walk-ins" grep -qE '^  うち当日参加 +2' <<<"$OUT"
check "stats: companies" grep -qE '^企業 +1 +1 +30 +3%$' <<<"$OUT"
check "stats: no category for the front desk" eq "$(grep -cE '若年者|同行支援者' <<<"$OUT")" 0
JOBFAIR_TOKEN=$ORG jf stats "$EVENT"
check "stats: by category for the organizer" grep -qE '^  若年者 +1 +1' <<<"$OUT"
jf stats "$EVENT" --json
check "stats --json: the server's numbers" eq "$(jq -r .checked_in <<<"$OUT")" "$(sql "SELECT count(*) FROM checkins c JOIN registrations r ON r.id = c.registration_id WHERE r.event_id = $EVENT AND c.undone_at IS NULL")"
# Arrivals per half hour, as the dashboard shows them: a line a slot.
arrivals=$OUT
slot=$(jq -r '.arrivals | max_by(.checked_in) | .slot' <<<"$arrivals")
came=$(jq -r '.arrivals | max_by(.checked_in) | .checked_in' <<<"$arrivals")
jf stats "$EVENT"
check "stats: someone arrived in some half hour" test "$came" -gt 0
check "stats: arrivals, the busiest half hour" grep -qE "^$slot–$(date -d "2000-01-01 $slot 30 minutes" +%H:%M) +$came\$" <<<"$OUT"
check "stats: arrivals, a line per half hour" eq "$(grep -cE '^[0-9]{2}:[0-9]{2}–[0-9]{2}:[0-9]{2} +[0-9]+$' <<<"$OUT")" "$(jq '.arrivals | length' <<<"$arrivals")"
check "stats: arrivals under their header" grep -qE '^時間帯 +来場$' <<<"$OUT"
"$JF_CLI" stats "$EVENT" --watch --json >"$JF_TMP/watch" 2>>"$JF_TMP/all-stderr" &
watcher=$!
for _ in $(seq 300); do [ -s "$JF_TMP/watch" ] && break; sleep 0.1; done
check "stats --watch: the current numbers first" eq "$(head -n 1 "$JF_TMP/watch" | jq -r .checked_in)" 4
jf checkin "$EVENT" --id "$r4"
for _ in $(seq 300); do [ "$(wc -l <"$JF_TMP/watch")" -ge 2 ] && break; sleep 0.1; done
check "stats --watch: pushed after a check-in" eq "$(sed -n 2p "$JF_TMP/watch" | jq -r .checked_in)" 5
kill "$watcher"
wait "$watcher" 2>/dev/null

# --- QR codes ----------------------------------------------------------------------
JOBFAIR_TOKEN=$ORG jf qr "$EVENT" --out "$JF_TMP/qr" --scale 4
check "qr: 0" eq "$RC" 0
nreg=$(sql "SELECT count(*) FROM registrations WHERE event_id = $EVENT AND status = 'registered'")
check "qr: one PNG per registered seeker" eq "$(find "$JF_TMP/qr" -name '*.png' | wc -l)" "$nreg"
check "qr: named by id and kana" test -f "$JF_TMP/qr/$r1-ヤマグチ_タロウ.png"
check "qr: the PNG decodes to the token" eq "$(zbarimg --raw -q "$JF_TMP/qr/$r1-ヤマグチ_タロウ.png" 2>/dev/null)" "$t1"
check "qr: a cancelled registration gets none" bash -c "! ls '$JF_TMP/qr' | grep -q '^$r2-'"
check "qr: index.csv starts with a BOM" eq "$(head -c 3 "$JF_TMP/qr/index.csv" | od -An -tx1 | tr -d ' ')" efbbbf
check "qr: index header" eq "$(head -n 1 "$JF_TMP/qr/index.csv" | tail -c +4 | tr -d '\r')" "id,name,kana,token,file"
check "qr: index row" grep -qF "$r1,山口 太郎,ヤマグチ タロウ,$t1,$r1-ヤマグチ_タロウ.png" "$JF_TMP/qr/index.csv"
check "qr: index has a row per PNG" eq "$(($(wc -l <"$JF_TMP/qr/index.csv") - 1))" "$nreg"
check "qr: files private" eq "$(stat -c %a "$JF_TMP/qr/index.csv")" 600
check "qr: progress bar only on a terminal" eq "$ERR" ""
for f in "$JF_TMP"/qr/*.png; do
	id=${f##*/}
	id=${id%%-*}
	[ "$(zbarimg --raw -q "$f" 2>/dev/null)" = "$(sql "SELECT checkin_token FROM registrations WHERE id = $id")" ] || echo "$f" >>"$JF_TMP/qr-bad"
done
check "qr: every PNG decodes to its registration's token" test ! -e "$JF_TMP/qr-bad"

# --- errors and exit codes --------------------------------------------------------
printf '%s\n' "$t1" >"$JF_TMP/scans"
JF_IN=$JF_TMP/scans jf checkin 999999 --desk desk-1
check "checkin at an unknown event: refused 2" eq "$RC" 2
check "checkin at an unknown event: ERROR line with the reason" has "$OUT" "ERROR  — the server refused the scan (HTTP 404: no such event)"
JF_IN=$JF_TMP/scans JOBFAIR_TOKEN=$VIEW jf checkin "$EVENT" --desk desk-1
check "checkin as a viewer: refused 2" eq "$RC" 2
jf checkin
check "checkin without EVENT: usage 1" eq "$RC" 1
jf qr "$EVENT"
check "qr without --out: usage 1" eq "$RC" 1

check "no sanitizer report from the CLI" bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$JF_TMP/all-stderr'"
check "server stops cleanly" jf_server_stop "$JF_PID"
done_testing
