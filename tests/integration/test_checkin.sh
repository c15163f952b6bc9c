#!/usr/bin/env bash
# Check-in at the desk: first scan, double scan (first time and desk),
# nonce replay (same answer, one row), refused tokens (unknown, cancelled,
# wrong event), check-in by id, exactly once under 40 concurrent scans,
# undo (audited, counts go down), the offline journal's batch upload with
# conflicts, the roster, input errors and roles.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
# 40 scans below come from one desk account at once: above the default
# --user-max-requests (32), which would answer some of them 429.
jf_server_start "$db" --user-max-requests 64 || exit 1
ORG=$(jf_user "$db" olivia organizer)
ADMIN=$(jf_user "$db" ada admin)
DESK=$(jf_user "$db" fiona frontdesk)
VIEW=$(jf_user "$db" victor viewer)
TOKEN=$DESK

EVENT=$(ed_event "$db" 'Joint fair' 300 100 30)
OTHER=$(ed_event "$db" 'Another fair')
read -r r1 t1 <<<"$(ed_registration "$db" "$EVENT" '山田 太郎' 'ヤマダ タロウ')"
read -r r2 t2 <<<"$(ed_registration "$db" "$EVENT" '川上 花子' 'カワカミ ハナコ' cancelled)"
read -r r3 _ <<<"$(ed_registration "$db" "$EVENT" '佐藤 一郎' 'サトウ イチロウ')"
read -r _ tb <<<"$(ed_registration "$db" "$OTHER" '鈴木 次郎' 'スズキ ジロウ')"
read -r company tc <<<"$(ed_booth "$db" "$EVENT" '株式会社 山口')"

ed_sql "$db" "UPDATE registrations SET accommodations = '{sign_language,wheelchair}', supporters = 1, disability_handbook = 'physical' WHERE id = $r1" >/dev/null

# First scan.
scan "$t1" "nonce-first-0001" desk-1 '"scanned_at":"'"$ED_DAY"'T00:00:01+09:00"'
first=$BODY
check "check-in 200" eq "$STATUS" 200
check "checked_in" eq "$(jbody .result)" checked_in
check "kind seeker" eq "$(jbody .kind)" seeker
check "registration id" eq "$(jbody .registration_id)" "$r1"
check "name" eq "$(jbody .name)" '山田 太郎'
check "desk" eq "$(jbody .desk)" desk-1
check "kana for calling the person" eq "$(jbody .name_kana)" 'ヤマダ タロウ'
check "accommodations the desk acts on" eq "$(jbody '.accommodations | join(",")'):$(jbody .supporters)" sign_language,wheelchair:1
check "never the handbook" eq "$(grep -c physical <<<"$BODY")" 0
check "time in Japan" grep -qE '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\+09:00$' <<<"$(jbody .first_checked_in_at)"
check "counts: 1 of 100 seekers" eq "$(jbody '.counts.seekers | "\(.checked_in)/\(.target)"')" 1/100
check "counts: 0 of 30 companies" eq "$(jbody '.counts.companies | "\(.checked_in)/\(.target)"')" 0/30
checkin1=$(jbody .checkin_id)
check "one checkins row" eq "$(ed_sql "$db" "SELECT count(*) FROM checkins WHERE registration_id = $r1")" 1
# Audited by its scan row (0029): the admin's audit list shows it as the
# audit_log row it once had.
trail() { # the check-in entries of check-in $1 on the admin's audit page, jq filter $2
	TOKEN=$ADMIN req GET "/api/v1/audit?kind=checkin&limit=500"
	jbody "[.items[] | select(.detail.checkin_id == $1) | $2] | join(\",\")"
}
check "check-in audited, on the admin's audit page" eq \
	"$(trail "$checkin1" '"\(.user) \(.action) \(.entity) \(.entity_id) \(.detail | keys | join("+")) \(.detail.desk) \(.detail.offline)"')" \
	"fiona checkin registration $r1 checkin_id+desk+offline desk-1 false"
check "  and no audit_log row beside its scan" eq "$(ed_sql "$db" "SELECT count(*) FROM audit_log WHERE action = 'checkin'")" 0

# The same person again at another desk: refused with the first time.
TOKEN=$ORG scan "$t1" "nonce-second-001" desk-2
check "double scan 200" eq "$STATUS" 200
check "already_checked_in" eq "$(jbody .result)" already_checked_in
check "first time kept" eq "$(jbody .first_checked_in_at)" "$(jq -r .first_checked_in_at <<<"$first")"
check "first desk kept" eq "$(jbody .desk)" desk-1
check "same check-in" eq "$(jbody .checkin_id)" "$checkin1"
check "online: no conflict" eq "$(jbody .conflict)" false
check "still 1 seeker" eq "$(jbody .counts.seekers.checked_in)" 1
# What a scanner may type around a token.
TOKEN=$ADMIN scan "  $(tr 'A-Z' 'a-z' <<<"$t1")  " "nonce-lowercase1"
check "token normalised" eq "$(jbody .result)" already_checked_in
scan "$t1" "nonce-null-id-01" desk-1 '"registration_id":null'
check "a null registration_id is no id" eq "$(jbody .result):$(jbody .registration_id)" "already_checked_in:$r1"
check "still one checkins row" eq "$(ed_sql "$db" "SELECT count(*) FROM checkins WHERE registration_id = $r1")" 1

# A retry with the first nonce: byte for byte the first answer, no new row.
scan "$t1" "nonce-first-0001" desk-1 '"scanned_at":"'"$ED_DAY"'T00:00:01+09:00"'
check "replay 200" eq "$STATUS" 200
check "replay identical" eq "$BODY" "$first"
check "one scan row for the nonce" eq "$(ed_sql "$db" "SELECT count(*) FROM scans WHERE nonce = 'nonce-first-0001'")" 1
check "scan log: 4 scans of the token" eq "$(ed_sql "$db" "SELECT count(*) FROM scans WHERE token = '$t1'")" 4
scan "$t1" "nonce-first-0001" desk-9
check "replay with other fields: still the stored answer" eq "$BODY" "$first"
req POST "/api/v1/events/$OTHER/checkins" "{\"token\":\"$tb\",\"nonce\":\"nonce-first-0001\"}"
check "nonce reused at another event 409" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 409:nonce

# Refused tokens are answered and logged with their reason.
scan "$t2" "nonce-cancelled1"
check "cancelled" eq "$(jbody .result):$(jbody .name)" 'cancelled:川上 花子'
scan "$tb" "nonce-wrongevt1"
check "wrong event" eq "$(jbody .result)" wrong_event
check "wrong event names the right one" eq "$(jbody .event.title)" 'Another fair'
check "wrong event hides the name" eq "$(jbody .name)" null
scan "$(ed_token)" "nonce-unknown01"
check "unknown token" eq "$(jbody .result)" unknown_token
scan "https://example.com/?q=not-ours" "nonce-garbage01"
check "garbage is a scan too" eq "$STATUS:$(jbody .result)" 200:unknown_token
check "scan log keeps every reason" eq "$(ed_sql "$db" "SELECT string_agg(result, ',' ORDER BY id) FROM scans WHERE nonce IN ('nonce-cancelled1', 'nonce-wrongevt1', 'nonce-unknown01', 'nonce-garbage01')")" \
	cancelled,wrong_event,unknown_token,unknown_token
check "garbage stored as typed" eq "$(ed_sql "$db" "SELECT token FROM scans WHERE nonce = 'nonce-garbage01'")" 'https://example.com/?q=not-ours'
check "refused scans wrote no check-in" eq "$(ed_sql "$db" "SELECT count(*) FROM checkins WHERE registration_id = $r2")" 0

# A company's booth.
scan "$tc" "nonce-company01"
check "company checked in" eq "$(jbody .result):$(jbody .kind):$(jbody .company_id)" "checked_in:company:$company"
check "company name" eq "$(jbody .name)" '株式会社 山口'
check "companies 1 of 30" eq "$(jbody .counts.companies.checked_in)" 1

# By id, after a lookup at the desk.
req POST "/api/v1/events/$EVENT/checkins" "{\"registration_id\":$r3,\"nonce\":\"nonce-by-id-001\",\"desk\":\"desk-2\"}"
check "check-in by id" eq "$(jbody .result):$(jbody .registration_id)" "checked_in:$r3"
check "  audited by id" eq "$(trail "$(jbody .checkin_id)" '"\(.entity_id) \(.detail.desk) \(.detail.by_id)"')" "$r3 desk-2 true"
req POST "/api/v1/events/$EVENT/checkins" "{\"registration_id\":999999,\"nonce\":\"nonce-by-id-002\"}"
check "unknown id" eq "$(jbody .result)" unknown_token

# Malformed requests.
req POST "/api/v1/events/$EVENT/checkins" '{"token":'
check "bad JSON 400" eq "$STATUS" 400
req POST "/api/v1/events/$EVENT/checkins" "{\"token\":\"$t1\"}"
check "missing nonce 422" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:nonce
req POST "/api/v1/events/$EVENT/checkins" "{\"token\":\"$t1\",\"nonce\":\"short\"}"
check "short nonce 422" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:nonce
req POST "/api/v1/events/$EVENT/checkins" "{\"token\":\"$t1\",\"nonce\":\"$(printf 'n%.0s' {1..101})\"}"
check "long nonce 422" eq "$STATUS" 422
req POST "/api/v1/events/$EVENT/checkins" '{"nonce":"nonce-no-token1"}'
check "missing token 422" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:token
req POST "/api/v1/events/$EVENT/checkins" "{\"token\":\"$t1\",\"registration_id\":$r1,\"nonce\":\"nonce-both-0001\"}"
check "token and id 422" eq "$STATUS" 422
req POST "/api/v1/events/$EVENT/checkins" "{\"token\":\"$t1\",\"nonce\":\"nonce-extra-001\",\"color\":\"red\"}"
check "unknown field 422" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:color
req POST "/api/v1/events/$EVENT/checkins" "{\"token\":\"$t1\",\"nonce\":\"nonce-time-0001\",\"scanned_at\":\"yesterday\"}"
check "bad scanned_at 422" eq "$STATUS" 422
check "malformed requests left no scans" eq "$(ed_sql "$db" "SELECT count(*) FROM scans WHERE nonce LIKE 'nonce-%' AND nonce NOT IN ('nonce-first-0001','nonce-second-001','nonce-lowercase1','nonce-null-id-01','nonce-cancelled1','nonce-wrongevt1','nonce-unknown01','nonce-garbage01','nonce-company01','nonce-by-id-001','nonce-by-id-002')")" 0
req POST "/api/v1/events/999999/checkins" "{\"token\":\"$t1\",\"nonce\":\"nonce-no-event1\"}"
check "unknown event 404" eq "$STATUS" 404
TOKEN=$VIEW scan "$t1" "nonce-viewer-001"
check "viewer 403" eq "$STATUS" 403

# Exactly once: 40 connections scan one new token at the same moment.
read -r r4 t4 <<<"$(ed_registration "$db" "$EVENT" '高橋 三郎' 'タカハシ サブロウ')"
# post_bg FILE BODY: a check-in in the background; its pid joins PIDS.
PIDS=()
post_bg() {
	curl -s -o "$1" --max-time 30 -H "Authorization: Bearer $DESK" \
		-H 'Content-Type: application/json' --data-binary "$2" \
		"$JF_URL/api/v1/events/$EVENT/checkins" &
	PIDS+=($!)
}
for i in $(seq 1 40); do
	post_bg "$JF_TMP/race.$i" "{\"token\":\"$t4\",\"nonce\":\"race-nonce-$i\",\"desk\":\"desk-$((i % 3))\"}"
done
wait "${PIDS[@]}"
results=$(cat "$JF_TMP"/race.* | jq -r .result | sort | uniq -c | xargs)
check "40 scans: one checked_in, 39 already ($results)" eq "$results" "39 already_checked_in 1 checked_in"
check "one checkins row" eq "$(ed_sql "$db" "SELECT count(*) FROM checkins WHERE registration_id = $r4")" 1
check "40 scan rows" eq "$(ed_sql "$db" "SELECT count(*) FROM scans WHERE token = '$t4'")" 40
check "all name the same check-in" eq "$(cat "$JF_TMP"/race.* | jq -r .checkin_id | sort -u | wc -l)" 1

# And one nonce retried by 10 connections at once: one answer, one row.
read -r _ t5 <<<"$(ed_registration "$db" "$EVENT" '伊藤 四郎' 'イトウ シロウ')"
PIDS=()
for i in $(seq 1 10); do
	post_bg "$JF_TMP/same.$i" "{\"token\":\"$t5\",\"nonce\":\"same-nonce-race\",\"desk\":\"desk-1\"}"
done
wait "${PIDS[@]}"
check "10 retries: one answer" eq "$(cat "$JF_TMP"/same.* | sort -u | wc -l)" 1
check "10 retries: checked_in" eq "$(jq -r .result "$JF_TMP/same.1")" checked_in
check "10 retries: one scan row" eq "$(ed_sql "$db" "SELECT count(*) FROM scans WHERE nonce = 'same-nonce-race'")" 1

# A nonce reused for another person while its first scan is still in
# flight: the second scan checks the person in, then meets the first scan's
# nonce and is refused as a whole, leaving no check-in behind.
read -r r7 t7 <<<"$(ed_registration "$db" "$EVENT" '山本 七海' 'ヤマモト ナナミ')"
psql "$db" -qAt -c "BEGIN" -c "INSERT INTO scans (event_id, nonce, token, result, response)
	VALUES ($EVENT, 'in-flight-nonce', 'x', 'unknown_token', '{\"result\":\"unknown_token\"}')" \
	-c "SELECT pg_sleep(2)" -c "COMMIT" >/dev/null &
holder=$!
sleep 0.5
scan "$t7" "in-flight-nonce"
wait "$holder"
check "nonce reused for another person in flight: 409" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 409:nonce
check "and no check-in left behind" eq "$(ed_sql "$db" "SELECT count(*) FROM checkins WHERE registration_id = $r7")" 0
scan "$t7" "in-flight-nonce"
check "after it committed: the first scan's answer" eq "$STATUS:$(jbody .result)" 200:unknown_token

# Undo a desk's mistake.
before=$(ed_sql "$db" "SELECT count(*) FROM checkins WHERE event_id = $EVENT AND registration_id IS NOT NULL AND undone_at IS NULL")
TOKEN=$VIEW req POST "/api/v1/events/$EVENT/checkins/$checkin1/undo"
check "viewer may not undo" eq "$STATUS" 403
req POST "/api/v1/events/$EVENT/checkins/$checkin1/undo"
check "undo 200" eq "$STATUS" 200
check "undo names the person" eq "$(jbody .registration_id)" "$r1"
check "counts go down" eq "$(jbody .counts.seekers.checked_in)" $((before - 1))
check "row kept, marked" eq "$(ed_sql "$db" "SELECT undone_at IS NOT NULL AND undone_by = (SELECT id FROM users WHERE name = 'fiona') FROM checkins WHERE id = $checkin1")" t
check "undo audited" eq "$(ed_sql "$db" "SELECT count(*) FROM audit_log WHERE action = 'checkin_undo' AND object_id = $r1 AND user_id = (SELECT id FROM users WHERE name = 'fiona')")" 1
req POST "/api/v1/events/$EVENT/checkins/$checkin1/undo"
check "second undo 409" eq "$STATUS" 409
req POST "/api/v1/events/$OTHER/checkins/$checkin1/undo"
check "undo at another event 404" eq "$STATUS" 404
req DELETE "/api/v1/events/$EVENT/checkins/999999"
check "undo unknown 404" eq "$STATUS" 404
scan "$t1" "nonce-after-undo"
check "after undo the person can check in again" eq "$(jbody .result)" checked_in
again=$(jbody .checkin_id)
check "a new check-in" test "$again" != "$checkin1"
req DELETE "/api/v1/events/$EVENT/checkins/$again"
check "DELETE undoes too" eq "$STATUS:$(jbody .checkin_id)" "200:$again"

# The offline journal: scans made while the server was away.
read -r r6 t6 <<<"$(ed_registration "$db" "$EVENT" '渡辺 五郎' 'ワタナベ ゴロウ')"
batch="{\"scans\":[
 {\"token\":\"$t6\",\"desk\":\"desk-A\",\"scanned_at\":\"${ED_DAY}T00:00:05+09:00\",\"nonce\":\"offline-a-00001\",\"offline\":true},
 {\"token\":\"$t6\",\"desk\":\"desk-B\",\"scanned_at\":\"${ED_DAY}T00:00:06+09:00\",\"nonce\":\"offline-b-00001\",\"offline\":true},
 {\"token\":\"$t6\",\"desk\":\"desk-A\",\"scanned_at\":\"${ED_DAY}T00:00:07+09:00\",\"nonce\":\"offline-a-00002\",\"offline\":true},
 {\"token\":\"NOT-A-TOKEN\",\"desk\":\"desk-A\",\"nonce\":\"offline-a-00003\",\"offline\":true},
 {\"token\":\"$t4\",\"desk\":\"desk-A\",\"scanned_at\":\"${ED_DAY}T00:00:08+09:00\",\"nonce\":\"offline-a-00004\",\"offline\":true},
 {\"token\":\"$t2\",\"desk\":\"desk-A\",\"nonce\":\"offline-a-00005\",\"offline\":true}]}"
req POST "/api/v1/events/$EVENT/checkins/batch" "$batch"
check "batch 200" eq "$STATUS" 200
check "one answer per scan, in order" eq "$(jbody '[.results[].result] | join(",")')" \
	checked_in,already_checked_in,already_checked_in,unknown_token,already_checked_in,cancelled
check "same person at two offline desks: conflict" eq "$(jbody '[.results[].conflict] | join(",")')" \
	false,true,false,false,true,false
check "offline arrival time is the scan's" eq "$(jbody '.results[0].first_checked_in_at')" "${ED_DAY}T00:00:05+09:00"
batch1=$BODY
req POST "/api/v1/events/$EVENT/checkins/batch" "$batch"
check "re-upload: same answers" eq "$BODY" "$batch1"
check "re-upload: one check-in" eq "$(ed_sql "$db" "SELECT count(*) FROM checkins WHERE registration_id = $r6")" 1
check "re-upload: no new scan rows" eq "$(ed_sql "$db" "SELECT count(*) FROM scans WHERE nonce LIKE 'offline-%'")" 6
check "offline flag kept" eq "$(ed_sql "$db" "SELECT offline FROM checkins WHERE registration_id = $r6")" t
check "  and audited" eq "$(trail "$(jq -r '.results[0].checkin_id' <<<"$batch1")" '"\(.detail.desk) \(.detail.offline)"')" "desk-A true"
req POST "/api/v1/events/$EVENT/checkins/batch" '{"scans":[{"token":"x","nonce":"ok-nonce-0001"},{"token":"y","nonce":"bad"}]}'
check "a bad scan refuses the batch" eq "$STATUS:$(jbody '.error.fields | keys | join(",")')" '422:scans[1].nonce'
check "nothing of it taken" eq "$(ed_sql "$db" "SELECT count(*) FROM scans WHERE nonce = 'ok-nonce-0001'")" 0
req POST "/api/v1/events/$EVENT/checkins/batch" '{"scans":[]}'
check "empty batch 422" eq "$STATUS" 422
big=$(jq -nc '{scans: [range(501) | {token: "x", nonce: "big-nonce-\(.)"}]}')
req POST "/api/v1/events/$EVENT/checkins/batch" "$big"
check "501 scans 422" eq "$STATUS:$(jbody '.error.fields.scans')" '422:must hold 1 to 500 scans'
full=$(jq -nc --arg at "${ED_DAY}T00:00:00+09:00" '{scans: [range(500) | {token: "JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA", desk: "desk-1", scanned_at: $at, nonce: "full-batch-nonce-\(.)", offline: true}]}')
req POST "/api/v1/events/$EVENT/checkins/batch" "$full"
check "500 scans taken" eq "$STATUS:$(jbody '.results | length')" 200:500
TOKEN=$VIEW req POST "/api/v1/events/$EVENT/checkins/batch" "$batch"
check "viewer may not upload" eq "$STATUS" 403

# The roster for offline desks: hashes, names, kana, status and the
# accommodations the desk acts on (as in a scan's answer) only. A row
# made outside the API without a token cannot be scanned: left out.
tokenless=$(ed_sql "$db" "INSERT INTO registrations (event_id, name, name_kana, consent_at, person_key) VALUES ($EVENT, 'No Token', 'ノートークン', now(), 'tokenless') RETURNING id")
req GET "/api/v1/events/$EVENT/roster"
check "row without a token left out" eq "$(jbody "[.items[] | select(.kind == \"seeker\" and .id == $tokenless)] | length")" 0
check "every hash is 64 hex digits" eq "$(jbody '[.items[] | select(.token_sha256 | test("^[0-9a-f]{64}$") | not)] | length')" 0
check "roster 200" eq "$STATUS" 200
check "roster title" eq "$(jbody .title)" 'Joint fair'
hash=$(printf '%s' "$t1" | sha256sum | cut -d' ' -f1)
check "token as its SHA-256" eq "$(jbody ".items[] | select(.kind == \"seeker\" and .id == $r1) | .token_sha256")" "$hash"
check "no token in the roster" test "$(grep -c "$t1" <<<"$BODY")" -eq 0
check "only these fields" eq "$(jbody '[.items[] | keys] | add | unique | join(",")')" \
	accommodations,checked_in,id,kind,name,name_kana,status,supporters,token_sha256
check "accommodations on the roster, never the handbook" eq \
	"$(jbody ".items[] | select(.kind == \"seeker\" and .id == $r1) | \"\(.accommodations | join(\",\")):\(.supporters)\"")" \
	sign_language,wheelchair:1
check "cancelled shown as such" eq "$(jbody ".items[] | select(.id == $r2 and .kind == \"seeker\") | .status")" cancelled
check "company on the roster" eq "$(jbody ".items[] | select(.kind == \"company\") | \"\(.id) \(.status)\"")" "$company registered"
check "roster read audited" eq "$(ed_sql "$db" "SELECT count(*) FROM audit_log WHERE action = 'roster' AND object_id = $EVENT")" 1
TOKEN=$VIEW req GET "/api/v1/events/$EVENT/roster"
check "viewer may not pull the roster" eq "$STATUS" 403

check "running tallies equal the rows after scans, undos, batches" eq \
	"$(ed_sql "$db" "SELECT (checkin_counts($EVENT)->'seekers'->>'checked_in')::int = count(registration_id)
		AND (checkin_counts($EVENT)->'companies'->>'checked_in')::int = count(participation_id)
		FROM checkins WHERE event_id = $EVENT AND undone_at IS NULL")" t

# Every check-in on the admin's audit page and in its CSV, none twice.
TOKEN=$ADMIN req GET "/api/v1/audit?kind=checkin&limit=500"
check "every check-in audited exactly once" eq "$(jbody '[.items[].detail.checkin_id] | sort | join(",")')" \
	"$(ed_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM checkins")"
TOKEN=$ADMIN req GET "/api/v1/audit.csv?kind=checkin"
check "  and a CSV row each" eq "$(($(wc -l <<<"$BODY") - 1))" "$(ed_sql "$db" "SELECT count(*) FROM checkins")"

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
