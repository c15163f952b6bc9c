#!/usr/bin/env bash
# Issue 18's data-side attacks, each as an attacker would perform it:
# an over-long field in a registration batch (refused alone), the same
# person registered twice with spacing, invisible characters or case,
# phone numbers recovered digit by digit through the lookup, sensitive
# categories inferred from live counts, check-ins at closed events.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
TOKEN=$(jf_user "$db" olga organizer)
sql() { psql "$db" -qAtc "$1"; }
today=$(TZ=Asia/Tokyo date +%F)

req POST /api/v1/events "{\"type\":\"joint_interview_fair\",\"title\":\"合同就職面接会\",\"starts_at\":\"${today}T00:00:00+09:00\",\"ends_at\":\"${today}T23:59:00+09:00\",\"organizer\":\"joint\",\"status\":\"open\"}"
fair=$(jbody .id)
R=/api/v1/events/$fair/registrations

# 9. A 3,000-character name_kana in a batch of 10: that row alone is
# refused, at the edge, with its reason; the other nine are created.
long=$(printf 'ア%.0s' $(seq 1 3000))
rows=$(for i in $(seq 1 10); do
	kana="イッカツ $(printf 'ア%.0s' $(seq 1 "$i"))"
	[ "$i" = 4 ] && kana=$long
	printf '{"name":"一括 %d","name_kana":"%s","age":30,"consent":true}\n' "$i" "$kana"
done | jq -s -c '{registrations: .}')
req POST "$R/batch" "$rows"
check "batch with one over-long kana: 200" eq "$STATUS" 200
check "nine created, one refused" eq "$(jbody '[.created, .refused] | join(" ")')" "9 1"
check "the refused row is the fourth, 422 on name_kana" eq "$(jbody '.results[3] | [.index, .status, .error.fields.name_kana] | join(" ")')" "3 422 is too long"
req POST "$R" "{\"name\":\"長い\",\"name_kana\":\"$long\",\"age\":30,\"consent\":true}"
check "single over-long kana: 422 on name_kana" eq "$STATUS:$(jbody .error.fields.name_kana)" "422:is too long"
check "the database never spoke first" bash -c "! grep -q 'database error' '$JF_LOG'"

# 10. The same person twice, written differently.
reg() { req POST "$R" "$1"; echo "$STATUS"; }
check "重複花子 registers" eq "$(reg '{"name":"重複花子","name_kana":"ジュウフク ハナコ","age":40,"consent":true}')" 201
check "重複　花子 (full-width space) is the same person" eq "$(reg '{"name":"重複　花子","name_kana":"ジュウフク ハナコ","age":40,"consent":true}')" 409
check "重複 花子 (ASCII space) is the same person" eq "$(reg '{"name":"重複 花子","name_kana":"ジュウフクハナコ","age":40,"consent":true}')" 409
check "ｼﾞｭｳﾌｸ half-width kana is the same person" eq "$(reg '{"name":"重複花子","name_kana":"ｼﾞｭｳﾌｸ ﾊﾅｺ","age":40,"consent":true}')" 409
req POST "$R" '{"name":"重複\u200b花子","name_kana":"ジュウフク ハナコ","age":40,"consent":true}'
check "zero-width space refused on name" eq "$STATUS:$(jbody .error.fields.name)" "422:must not contain invisible or direction-changing characters"
req POST "$R" '{"name":"\u202e子花複重","name_kana":"ジュウフク ハナコ","age":40,"consent":true}'
check "RTL override refused on name" eq "$STATUS:$(jbody .error.fields.name)" "422:must not contain invisible or direction-changing characters"
req POST "$R" '{"name":"次郎","name_kana":"ジロウ","email":"Jiro@Example.jp","consent":true,"age":30}'
check "Jiro@ registers, kept as typed" eq "$STATUS $(jbody .email)" "201 Jiro@example.jp"
check "jiro@ is the same person" eq "$(reg '{"name":"次郎","name_kana":"ジロウ","email":"jiro@example.jp","consent":true,"age":30}')" 409
check "ＪＩＲＯ＠ (full-width) is the same person" eq "$(reg '{"name":"次郎","name_kana":"ジロウ","email":"ＪＩＲＯ＠example.jp","consent":true,"age":30}')" 409
check "a different person still registers" eq "$(reg '{"name":"重複花江","name_kana":"ジュウフク ハナエ","age":40,"consent":true}')" 201
check "name stored as typed" eq "$(sql "SELECT count(*) FROM registrations WHERE name = '重複花子'")" 1

# An existing database upgrades: rows keyed the old way (name as typed,
# e-mail case kept) get the new key; two already registered as one
# person keep keys of their own, the later one marked.
sql "INSERT INTO registrations (event_id, name, name_kana, email, consent_at, person_key) VALUES
	($fair, '旧形式', 'キュウ', NULL, now(), 'キュウ|旧形式'),
	($fair, '旧　形式', 'キュウ', NULL, now(), 'キュウ|旧　形式'),
	($fair, '三郎', 'サブロウ', 'Saburo@example.jp', now(), 'サブロウ|Saburo@example.jp')" >/dev/null
check "the 0014 backfill applies" psql "$db" -qAt -v ON_ERROR_STOP=1 -f "$JF_SOURCE/migrations/0014_person_identity.sql"
check "old keys rewritten, the twin marked" eq "$(sql "SELECT string_agg(person_key, ',' ORDER BY id) FROM registrations WHERE name_kana IN ('キュウ', 'サブロウ')")" "キュウ|旧形式,キュウ|旧形式|#$(sql "SELECT max(id) - 1 FROM registrations"),サブロウ|saburo@example.jp"

# 5. Phone numbers recovered digit by digit through the lookup: grow a
# prefix one digit at a time, keeping the digit that still finds the
# target. Today's rule finds nothing from a part of a number.
DESK=$(jf_user "$db" fumi frontdesk)
req POST "$R" '{"name":"電話 秘密","name_kana":"デンワ ヒミツ","phone":"09087654321","age":30,"consent":true}'
secret=$(jbody .id)
lookup() { req GET "/api/v1/events/$fair/lookup?q=$(jq -rn --arg q "$1" '$q | @uri')" "" "${2:-$DESK}"; }
known=090 tries=0 refused=0
while [ ${#known} -lt 11 ] && [ $tries -lt 45 ]; do
	found=
	for d in 0 1 2 3 4 5 6 7 8 9; do
		tries=$((tries + 1))
		lookup "$known$d"
		[ "$STATUS" = 422 ] && refused=$((refused + 1))
		if [ "$STATUS" = 200 ] && [ "$(jbody "[.items[].id] | index($secret)")" != null ]; then
			found=$d
			break
		fi
	done
	[ -z "$found" ] && break
	known=$known$found
done
check "digit by digit recovers nothing ($known after $tries lookups)" eq "$known" 090
check "each partial number refused 422" eq "$refused" "$tries"
lookup '090-8765-4321'
check "the whole number finds the person" eq "$STATUS:$(jbody '[.items[].id] | join(",")')" "200:$secret"
check "the answer never shows the phone" eq "$(grep -c 4321 <<<"$BODY")" 0
lookup 'デンワ 4321'
check "kana and the last four find the person" eq "$(jbody '[.items[].id] | join(",")')" "$secret"
lookup 'デンワ 4322'
check "kana and a wrong last four find no one" eq "$(jbody '.items | length')" 0
check "the audit log keeps the search text and the ids shown" eq "$(sql "SELECT detail->>'q' || ' ' || (detail->'ids')::text FROM audit_log WHERE action = 'lookup' ORDER BY id DESC OFFSET 1 LIMIT 1")" "デンワ 4321 [$secret]"

# The limit per user: 30 a minute by default, then 429 with Retry-After.
jf_server_stop "$JF_PID" >/dev/null
jf_server_start "$db" --lookup-rate 5 || exit 1
LIM=$(jf_user "$db" gen frontdesk)
codes=$(for i in 1 2 3 4 5 6; do lookup "デンワ" "$LIM"; echo -n "$STATUS "; done)
check "the sixth lookup in a minute: 429" eq "$codes" "200 200 200 200 200 429 "
curl -s -D "$JF_TMP/h" -o /dev/null -H "Authorization: Bearer $LIM" "$JF_URL/api/v1/events/$fair/lookup?q=x"
check "429 carries Retry-After in seconds" grep -qiE '^Retry-After: [0-9]+' "$JF_TMP/h"
lookup "デンワ" "$DESK"
check "another user is not limited" eq "$STATUS" 200
req POST "/api/v1/events/$fair/checkins" "{\"registration_id\":$secret,\"nonce\":\"by-id-over-limit\"}" "$LIM"
check "a check-in by id counts as a lookup: 429" eq "$STATUS" 429

# 11. A closed event's figures are final: check-ins, undos, journals and
# walk-ins are refused until an organizer reopens it; every change after
# the reopening is audited.
DESK11=$(jf_user "$db" hana frontdesk)
req POST "$R" '{"name":"締切 後","name_kana":"シメキリ アト","age":30,"consent":true}'
late=$(jbody .id)
req POST "$R" '{"name":"締切 前","name_kana":"シメキリ マエ","age":30,"consent":true}'
early=$(jbody .id)
req POST "/api/v1/events/$fair/checkins" "{\"registration_id\":$early,\"nonce\":\"before-close-1\"}" "$DESK11"
check "check-in while open" eq "$(jbody .result)" checked_in
done_id=$(jbody .checkin_id)
req PATCH "/api/v1/events/$fair" '{"status":"closed"}'
check "organizer closes the event" eq "$STATUS" 200
req POST "/api/v1/events/$fair/checkins" "{\"registration_id\":$late,\"nonce\":\"after-close-1\"}" "$DESK11"
check "check-in at a closed event: 409" eq "$STATUS:$(jbody .error.message)" "409:the event is closed: its figures are final; an organizer can reopen it"
req POST "/api/v1/events/$fair/checkins/batch" "{\"scans\":[{\"registration_id\":$late,\"nonce\":\"after-close-2\",\"offline\":true,\"scanned_at\":\"${today}T10:00:00+09:00\"}]}" "$DESK11"
check "a journal at a closed event: 409" eq "$STATUS" 409
req POST "/api/v1/events/$fair/checkins/$done_id/undo" "" "$DESK11"
check "undo at a closed event: 409" eq "$STATUS" 409
req POST "/api/v1/events/$fair/walkins" '{"name":"飛込","name_kana":"トビコミ","categories":[],"consent":true,"nonce":"after-close-3"}' "$DESK11"
check "walk-in at a closed event: 409" eq "$STATUS" 409
check "the figures did not move" eq "$(sql "SELECT count(*) FROM checkins WHERE event_id = $fair AND undone_at IS NULL")" 1
check "no later change audited yet" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'reopened_change'")" 0
req PATCH "/api/v1/events/$fair" '{"status":"open"}'
check "organizer reopens it" eq "$STATUS" 200
check "the reopening audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'reopen' AND object_id = $fair")" 1
req POST "/api/v1/events/$fair/checkins/batch" "{\"scans\":[{\"registration_id\":$late,\"nonce\":\"after-close-2\",\"offline\":true,\"scanned_at\":\"${today}T10:00:00+09:00\"}]}" "$DESK11"
check "the late journal is taken after the reopening" eq "$STATUS:$(jbody '.results[0].result')" "200:checked_in"
req POST "/api/v1/events/$fair/checkins/$done_id/undo" "" "$DESK11"
check "undo after the reopening" eq "$STATUS" 200
check "each later change audited" eq "$(sql "SELECT string_agg(detail->>'op' || ':' || (detail->>'undone'), ',' ORDER BY id) FROM audit_log WHERE action = 'reopened_change' AND object_id = $fair")" "insert:false,update:true"

# Outside the event's days: a check-in now is refused; an offline desk's
# journal uploaded later is taken when its scans were made on the day.
yesterday=$(TZ=Asia/Tokyo date -d '-1 day' +%F)
req POST /api/v1/events "{\"type\":\"joint_interview_fair\",\"title\":\"昨日の面接会\",\"starts_at\":\"${yesterday}T10:00:00+09:00\",\"ends_at\":\"${yesterday}T16:00:00+09:00\",\"organizer\":\"joint\",\"status\":\"open\"}"
past=$(jbody .id)
P=/api/v1/events/$past/registrations
req POST "$P" '{"name":"昨日 一","name_kana":"キノウ イチ","age":30,"consent":true}'
y1=$(jbody .checkin_token)
req POST "$P" '{"name":"昨日 二","name_kana":"キノウ ニ","age":30,"consent":true}'
y2=$(jbody .checkin_token)
req POST "/api/v1/events/$past/checkins" "{\"token\":\"$y1\",\"nonce\":\"day-after-online\"}" "$DESK11"
check "a check-in the day after: not_event_day, nothing counted" eq "$STATUS:$(jbody .result):$(jbody .checkin_id)" "200:not_event_day:null"
req POST "/api/v1/events/$past/checkins/batch" "{\"scans\":[{\"token\":\"$y1\",\"nonce\":\"day-after-journal-1\",\"offline\":true,\"scanned_at\":\"${yesterday}T10:30:00+09:00\"},{\"token\":\"$y2\",\"nonce\":\"day-after-journal-2\",\"offline\":true,\"scanned_at\":\"${today}T09:00:00+09:00\"}]}" "$DESK11"
check "journal: the scan made on the day is taken, the one made today is not" eq "$(jbody '[.results[].result] | join(",")')" "checked_in,not_event_day"
req POST "/api/v1/events/$past/walkins" '{"name":"翌日","name_kana":"ヨクジツ","categories":[],"consent":true,"nonce":"day-after-walkin"}' "$DESK11"
check "a walk-in the day after: 409" eq "$STATUS" 409
req POST "/api/v1/events/$past/checkins/$(sql "SELECT max(id) FROM checkins WHERE event_id = $past")/undo" "" "$DESK11"
check "an undo the day after: 409" eq "$STATUS" 409
req PATCH "/api/v1/events/$past" '{"status":"closed"}'
req PATCH "/api/v1/events/$past" '{"status":"open"}'
req POST "/api/v1/events/$past/checkins" "{\"token\":\"$y2\",\"nonce\":\"day-after-reopened\"}" "$DESK11"
check "after an organizer's reopening: taken, and audited" eq "$(jbody .result):$(sql "SELECT count(*) FROM audit_log WHERE action = 'reopened_change' AND object_id = $past")" "checked_in:1"

done_testing
