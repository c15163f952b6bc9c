#!/usr/bin/env bash
# Walk-ins register and check in a person in one transaction, within the
# event's capacity (also under concurrent walk-ins), idempotent by nonce,
# showing the front desk no more than name and kana. The desk's lookup
# finds registrations by kana or phone however they are typed, and a
# found person checks in by id.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ORG=$(jf_user "$db" olivia organizer)
DESK=$(jf_user "$db" fiona frontdesk)
VIEW=$(jf_user "$db" victor viewer)
TOKEN=$DESK

# Capacity 4, with two registered already (the counter is the trigger's).
EVENT=$(ed_event "$db" 'Small fair' 4 10)
read -r r1 _ <<<"$(ed_registration "$db" "$EVENT" '山田 太郎' 'ヤマダ タロウ' registered 09012345678 youth)"
read -r r2 _ <<<"$(ed_registration "$db" "$EVENT" '山本 花子' 'ヤマモト ハナコ' registered 0839221111 senior)"
read -r r3 _ <<<"$(ed_registration "$db" "$EVENT" '山口 次郎' 'ヤマグチ ジロウ' cancelled 09099998888)"

walkin() {
	req POST "/api/v1/events/$EVENT/walkins" "$1"
}

body='{"name":"木村 良子","name_kana":"きむら よしこ","categories":["parenting","disability"],"consent":true,"age":41,"phone":"０９０−５５５５−６６６６","supporters":1,"desk":"desk-1","nonce":"walkin-nonce-0001"}'
walkin "$body"
first=$BODY
check "walk-in 201" eq "$STATUS" 201
id=$(jbody .id)
check "kana normalised" eq "$(jbody .name_kana)" 'キムラ ヨシコ'
check "walk_in" eq "$(jbody .walk_in)" true
check "status registered" eq "$(jbody .status)" registered
check "has a check-in token" grep -qE '^JF1-[A-Z2-7]{26}$' <<<"$(jbody .checkin_token)"
check "checked in at desk-1" eq "$(jbody .checkin.desk)" desk-1
check "counts include them" eq "$(jbody .counts.seekers.checked_in)" 1
check "front desk sees no categories" eq "$(jbody 'has("categories") or has("phone") or has("age")')" false
check "one registration row" eq "$(ed_sql "$db" "SELECT count(*) FROM registrations WHERE walk_in")" 1
check "stored as checked in" eq "$(ed_sql "$db" "SELECT count(*) FROM checkins WHERE registration_id = $id AND undone_at IS NULL")" 1
check "phone stored as digits" eq "$(ed_sql "$db" "SELECT phone FROM registrations WHERE id = $id")" 09055556666
check "walk-in audited" eq "$(ed_sql "$db" "SELECT count(*) FROM audit_log WHERE action = 'walkin' AND object_id = $id")" 1
check "3 of 4 places taken" eq "$(ed_sql "$db" "SELECT registered_count FROM events WHERE id = $EVENT")" 3

# The desk's retry: the same registration, nothing new.
walkin "$body"
check "retry 201" eq "$STATUS" 201
check "retry: same registration" eq "$(jbody .id):$(jbody .checkin_token)" "$(jq -r '"\(.id):\(.checkin_token)"' <<<"$first")"
check "retry: still one row" eq "$(ed_sql "$db" "SELECT count(*) FROM registrations WHERE walk_in")" 1

# Organizers see the whole registration.
TOKEN=$ORG walkin '{"name":"林 健","name_kana":"ハヤシ ケン","categories":[],"consent":true,"nonce":"walkin-nonce-0002"}'
check "organizer walk-in 201" eq "$STATUS" 201
check "organizer sees categories" eq "$(jbody '.categories | length')" 0
check "now full" eq "$(ed_sql "$db" "SELECT registered_count FROM events WHERE id = $EVENT")" 4

walkin '{"name":"森 和夫","name_kana":"モリ カズオ","categories":[],"consent":true,"nonce":"walkin-nonce-0003"}'
check "full event 409" eq "$STATUS" 409
check "field capacity" eq "$(jbody '.error.fields | keys[0]')" capacity
check "nothing written" eq "$(ed_sql "$db" "SELECT count(*) FROM registrations WHERE name = '森 和夫'")" 0
walkin "$body"
check "a retry still answers when full" eq "$STATUS:$(jbody .id)" "201:$id"

# Validation.
walkin '{"name":"森 和夫","name_kana":"モリ カズオ","categories":[],"consent":false,"nonce":"walkin-nonce-0004"}'
check "consent false 422" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:consent
walkin '{"name":"森 和夫","name_kana":"Mori","categories":[],"consent":true,"nonce":"walkin-nonce-0005"}'
check "kana required as kana 422" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:name_kana
walkin '{"name":"森 和夫","name_kana":"モリ","categories":["vip"],"consent":true,"nonce":"walkin-nonce-0006"}'
check "unknown category 422" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:categories
walkin '{"name":"森 和夫","name_kana":"モリ","categories":[],"consent":true}'
check "missing nonce 422" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:nonce
walkin '{"name_kana":"モリ","categories":[],"consent":true,"nonce":"walkin-nonce-0007"}'
check "missing name 422" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:name
TOKEN=$VIEW walkin "$body"
check "viewer 403" eq "$STATUS" 403

# Capacity under concurrent walk-ins: one place, ten people at once.
BIG=$(ed_event "$db" 'One place left' 1)
pids=()
for i in $(seq 1 10); do
	curl -s -o "$JF_TMP/w.$i" -w '%{http_code}\n' --max-time 30 -H "Authorization: Bearer $DESK" \
		-H 'Content-Type: application/json' \
		--data-binary "{\"name\":\"来場 $i\",\"name_kana\":\"ライジョウ\",\"categories\":[],\"consent\":true,\"phone\":\"090000000$((10 + i))\",\"nonce\":\"walkin-race-$i\"}" \
		"$JF_URL/api/v1/events/$BIG/walkins" >"$JF_TMP/w.$i.status" &
	pids+=($!)
done
wait "${pids[@]}"
statuses=$(cat "$JF_TMP"/w.*.status | sort | uniq -c | xargs)
check "ten at once: one 201, nine 409 ($statuses)" eq "$statuses" "1 201 9 409"
check "one registered" eq "$(ed_sql "$db" "SELECT count(*) FROM registrations WHERE event_id = $BIG")" 1
check "one checked in" eq "$(ed_sql "$db" "SELECT count(*) FROM checkins WHERE event_id = $BIG")" 1

# Lookup at the desk, however the kana or phone is typed.
lookup() {
	req GET "/api/v1/events/$EVENT/lookup?q=$(jq -rn --arg q "$1" '$q | @uri')"
}
ids() { jbody '[.items[].id] | join(",")'; }
lookup 'ヤマダ'
check "lookup 200" eq "$STATUS" 200
check "by katakana" eq "$(ids)" "$r1"
check "only name, kana, status, checked_in" eq "$(jbody '.items[0] | keys | join(",")')" checked_in,id,name,name_kana,status
check "not checked in yet" eq "$(jbody '.items[0].checked_in')" false
lookup 'やまだ'
check "by hiragana" eq "$(ids)" "$r1"
lookup 'ﾔﾏﾀﾞ ﾀﾛｳ'
check "by half-width kana with a space" eq "$(ids)" "$r1"
lookup 'ヤマ'
check "prefix finds all three, kana order" eq "$(ids)" "$r3,$r1,$r2"
check "cancelled shown as such" eq "$(jbody '.items[0].status')" cancelled
lookup '０９０−１２３４−５６７８'
check "by full-width phone, whole" eq "$(ids)" "$r1"
lookup 'やまだ 5678'
check "by kana and the phone's last four digits" eq "$(ids)" "$r1"
lookup 'ヤマ 1111'
check "kana and last four: only the one whose phone ends so" eq "$(ids)" "$r2"
lookup '083-922-1111'
check "by hyphenated phone" eq "$(ids)" "$r2"
lookup '5678'
check "the last four alone: refused" eq "$STATUS:$(jbody .error.fields.q)" "422:give a whole phone number, or kana and the phone's last four digits"
lookup '083-922'
check "part of a phone: refused" eq "$STATUS" 422
lookup '山本'
check "by name" eq "$(ids)" "$r2"
lookup 'きむら'
check "walk-ins are found" eq "$(ids):$(jbody '.items[0].checked_in')" "$id:true"
lookup 'ナカムラ'
check "no match: empty list" eq "$(jbody '.items | length')" 0
check "lookups audited by id" eq "$(ed_sql "$db" "SELECT detail->'ids' FROM audit_log WHERE action = 'lookup' ORDER BY id LIMIT 1")" "[$r1]"
req GET "/api/v1/events/$EVENT/lookup"
check "missing q 422" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:q
req GET "/api/v1/events/$EVENT/lookup?q=%20%20"
check "blank q 422" eq "$STATUS" 422
TOKEN=$VIEW lookup 'ヤマダ'
check "viewer 403" eq "$STATUS" 403

# Found without a QR code, checked in by id.
req POST "/api/v1/events/$EVENT/checkins" "{\"registration_id\":$r1,\"nonce\":\"lookup-then-checkin\",\"desk\":\"desk-2\"}"
check "checked in by id" eq "$(jbody .result):$(jbody .name)" 'checked_in:山田 太郎'
lookup 'ヤマダ'
check "lookup now says checked in" eq "$(jbody '.items[0].checked_in')" true

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
