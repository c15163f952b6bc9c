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

done_testing
