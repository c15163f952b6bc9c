#!/usr/bin/env bash
# Companies and their booths at events: 法人番号 check digits with real
# numbers, NFKC of full-width input, kana, postal codes and the other
# identifiers; search by name or kana; duplicates refused; booths with
# openings, their tokens, replacement on PATCH; nothing half-written.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
TOKEN=$(jf_user "$db" carol organizer)
sql() { psql "$db" -qAtc "$1"; }
carol=$(sql "SELECT id FROM users WHERE name = 'carol'")

# Real corporate numbers pass the check digit (DOMAIN.md).
for n in 4000012090001 4011001098993 1180301018771 2120901007402; do
	req POST /api/v1/companies "{\"name\":\"法人 $n\",\"corporate_number\":\"$n\"}"
	check "法人番号 $n accepted" eq "$STATUS:$(jbody .corporate_number)" "201:$n"
done
for n in 5000012090001 4011001098939 1180301018772; do
	req POST /api/v1/companies "{\"name\":\"誤り\",\"corporate_number\":\"$n\"}"
	check "法人番号 $n refused: check digit" eq "$STATUS:$(jbody .error.fields.corporate_number)" "422:check digit does not match"
done
req POST /api/v1/companies '{"name":"短い","corporate_number":"401100109899"}'
check "12 digits refused" eq "$STATUS:$(jbody .error.fields.corporate_number)" "422:must be 13 digits"
check "refused companies not stored" eq "$(sql 'SELECT count(*) FROM companies')" 4

# Full-width digits, hyphens and spaces are normalised before the check,
# so a full-width copy of a stored number is a duplicate.
req POST /api/v1/companies '{"name":"全角","corporate_number":"４０００－０１２０－９０００１"}'
check "full-width duplicate 409" eq "$STATUS" 409
check "duplicate names corporate_number" test -n "$(jbody '.error.fields.corporate_number // empty')"
check "error code conflict" eq "$(jbody .error.code)" conflict
sql "DELETE FROM companies WHERE corporate_number = '4000012090001'"
req POST /api/v1/companies '{"name":"株式会社　全角","corporate_number":"４０００　０１２０　９０００１","name_kana":"ぜんかく","postal_code":"７５３－００７１","phone":"０８３（９２２）１１１１","email":"Info＠Example.JP","establishment_number":"３５０１－１２３４５６－７"}'
check "full-width input accepted" eq "$STATUS" 201
zen=$(jbody .id)
check "corporate number stored as ASCII digits" eq "$(jbody .corporate_number)" 4000012090001
check "hiragana kana stored as katakana" eq "$(jbody .name_kana)" ゼンカク
check "postal code stored as 7 digits" eq "$(jbody .postal_code)" 7530071
check "postal code shown NNN-NNNN" eq "$(jbody .postal_code_display)" 753-0071
check "phone stored as digits" eq "$(jbody .phone)" 0839221111
check "e-mail domain lowercased" eq "$(jbody .email)" Info@example.jp
check "establishment number 4-6-1" eq "$(jbody .establishment_number)" 3501-123456-7
check "name stored as entered" eq "$(jbody .name)" "株式会社　全角"
check "create audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'create' AND object_type = 'company' AND object_id = $zen AND user_id = $carol")" 1

# Sole proprietors have no corporate number; half-width kana is widened.
req POST /api/v1/companies '{"name":"やまぐち保育園","name_kana":"ﾔﾏｸﾞﾁ ﾎｲｸｴﾝ","industry":"保育"}'
check "no corporate number is fine" eq "$STATUS:$(jbody .corporate_number)" 201:null
check "half-width kana widened" eq "$(jbody .name_kana)" "ヤマグチ ホイクエン"
hoiku=$(jbody .id)
req POST /api/v1/companies '{"name":"ABC","name_kana":"ABC Shoji"}'
check "latin kana refused" eq "$STATUS:$(jbody .error.fields.name_kana)" "422:must be katakana or hiragana"
req POST /api/v1/companies '{"name":"郵便","postal_code":"753-001"}'
check "6-digit postal code refused" eq "$STATUS:$(jbody .error.fields.postal_code)" "422:must be 7 digits"
req POST /api/v1/companies '{"name":"電話","phone":"1234567890","email":"no-at-sign","establishment_number":"3501-123456"}'
check "bad phone refused" test -n "$(jbody '.error.fields.phone // empty')"
check "bad e-mail refused" test -n "$(jbody '.error.fields.email // empty')"
check "bad establishment number refused" test -n "$(jbody '.error.fields.establishment_number // empty')"
req POST /api/v1/companies '{"corporate_number":"4011001098993"}'
check "name required" eq "$STATUS:$(jbody .error.fields.name)" "422:is required"

# Search by name or kana, whatever the width or script typed.
req POST /api/v1/companies '{"name":"ＡＢＣ商事株式会社","name_kana":"エービーシーショウジ"}'
abc=$(jbody .id)
search() {
	req GET "/api/v1/companies?q=$(jq -rn --arg q "$1" '$q | @uri')"
	jbody '[.items[].id] | join(",")'
}
check "search by kana in hiragana" eq "$(search 'やまぐち')" "$hoiku"
check "search by name" eq "$(search '保育園')" "$hoiku"
check "search by hiragana name" eq "$(search 'やまぐち保育')" "$hoiku"
check "search by full-width latin name with ASCII" eq "$(search 'abc')" "$abc"
check "search by half-width kana" eq "$(search 'ｼｮｳｼﾞ')" "$abc"
check "search ignores spaces" eq "$(search 'ゼン カク')" "$zen"
check "search with no match" eq "$(search 'ない会社')" ""
req GET '/api/v1/companies?limit=2'
check "company list paged" eq "$(jbody '.items | length'):$(jbody '.next != null')" 2:true
req GET "/api/v1/companies?limit=2&after=$(jbody .next)"
check "second page continues" test "$(jbody '.items[0].id')" -gt "$(sql 'SELECT min(id) FROM companies')"
req GET "/api/v1/companies/$zen"
check "show company" eq "$STATUS:$(jbody .name_kana)" 200:ゼンカク
req GET /api/v1/companies/0
check "company id 0 is 404" eq "$STATUS" 404

# PATCH: partial; a duplicate number changes nothing at all.
req PATCH "/api/v1/companies/$hoiku" '{"contact_name":"山口 花子","postal_code":"7538501"}'
check "PATCH company" eq "$STATUS:$(jbody .contact_name):$(jbody .industry)" "200:山口 花子:保育"
req PATCH "/api/v1/companies/$hoiku" '{"name":"改名","corporate_number":"4011001098993"}'
check "PATCH to a taken number 409" eq "$STATUS:$(jbody '.error.fields.corporate_number != null')" 409:true
check "name unchanged after the 409" eq "$(sql "SELECT name FROM companies WHERE id = $hoiku")" やまぐち保育園
req PATCH "/api/v1/companies/$hoiku" '{"corporate_number":"1180301018772"}'
check "PATCH checks the check digit" eq "$STATUS" 422

# Booths: a company at an event, with its openings.
req POST /api/v1/events '{"type":"joint_interview_fair","title":"合同就職面接会","starts_at":"2024-06-10T13:00:00+09:00","ends_at":"2024-06-10T16:00:00+09:00","organizer":"joint"}'
fair=$(jbody .id)
req POST /api/v1/events '{"type":"reemployment_seminar","title":"再就職準備セミナー","starts_at":"2024-09-10T13:00:00+09:00","ends_at":"2024-09-10T16:00:00+09:00","organizer":"city"}'
seminar=$(jbody .id)
req POST "/api/v1/events/$fair/companies" "{\"company_id\":$zen,\"booth\":\"A-1\",\"representatives\":2,\"openings\":[{\"title\":\"一般事務\",\"employment_type\":\"契約\",\"job_number\":\"３５０１０－１２３４５６７８\",\"count\":2},{\"title\":\"営業\",\"employment_type\":\"正社員\"}]}"
check "booth created 201" eq "$STATUS" 201
booth=$(jbody .id)
check "booth shows the company name" eq "$(jbody .company_name)" "株式会社　全角"
check "booth has a check-in token" bash -c "[[ '$(jbody .checkin_token)' =~ ^JF1-[A-Z2-7]{26}$ ]]"
check "契約 stored as 契約社員" eq "$(jbody '.openings[0].employment_type')" 契約社員
check "job number normalised" eq "$(jbody '.openings[0].job_number')" 35010-12345678
check "opening count defaults to 1" eq "$(jbody '.openings[1].count')" 1
check "status defaults to applied" eq "$(jbody .status)" applied
check "booth audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE object_type = 'booth' AND object_id = $booth AND user_id = $carol")" 1
req POST "/api/v1/events/$fair/companies" "{\"company_id\":$zen}"
check "same company twice 409 on company_id" eq "$STATUS:$(jbody '.error.fields.company_id != null')" 409:true
req POST "/api/v1/events/$fair/companies" '{"company_id":999999}'
check "unknown company 422" eq "$STATUS:$(jbody '.error.fields.company_id != null')" 422:true
req POST "/api/v1/events/$seminar/companies" "{\"company_id\":$zen}"
check "seminar refuses companies (422)" eq "$STATUS" 422
req POST /api/v1/events/999999/companies "{\"company_id\":$zen}"
check "booth at a missing event 404" eq "$STATUS" 404
req POST "/api/v1/events/$fair/companies" "{\"company_id\":$hoiku,\"representatives\":99,\"openings\":[{\"title\":\"保育士\",\"employment_type\":\"臨時\",\"job_number\":\"123\"},{\"count\":0}]}"
check "bad booth 422" eq "$STATUS" 422
check "representatives range" eq "$(jbody .error.fields.representatives)" "is out of range"
check "opening employment type named by index" test -n "$(jbody '.error.fields["openings[0].employment_type"] // empty')"
check "opening job number named by index" test -n "$(jbody '.error.fields["openings[0].job_number"] // empty')"
check "opening title required" eq "$(jbody '.error.fields["openings[1].title"]')" "is required"
check "no booth or openings half-written" eq "$(sql "SELECT count(*) FROM participations WHERE company_id = $hoiku"):$(sql 'SELECT count(*) FROM openings')" 0:2
req POST "/api/v1/events/$fair/companies" "{\"company_id\":$hoiku,\"status\":\"confirmed\"}"
second_token=$(jbody .checkin_token)
check "tokens differ per booth" test "$second_token" != "$(sql "SELECT checkin_token FROM participations WHERE id = $booth")"

req PATCH "/api/v1/events/$fair/companies/$zen" '{"status":"confirmed","openings":[{"title":"看護師","employment_type":"パート","count":3}]}'
check "PATCH booth 200" eq "$STATUS:$(jbody .status)" 200:confirmed
check "PATCH replaced the openings" eq "$(jbody '[.openings[].title] | join(",")')" 看護師
check "old openings gone" eq "$(sql "SELECT count(*) FROM openings WHERE participation_id = $booth")" 1
req PATCH "/api/v1/events/$fair/companies/$zen" '{"booth":"B-2"}'
check "PATCH without openings keeps them" eq "$(jbody '.openings | length'):$(jbody .booth)" 1:B-2
req PATCH "/api/v1/events/$fair/companies/$zen" '{"company_id":5}'
check "company_id is in the path, not the body" eq "$STATUS:$(jbody .error.fields.company_id)" "422:is not a known field"
req PATCH "/api/v1/events/$fair/companies/$abc" '{"booth":"C"}'
check "PATCH of a company not at the event 404" eq "$STATUS" 404
req PATCH "/api/v1/events/$fair/companies/x" '{"booth":"C"}'
check "PATCH with a bad company id 404" eq "$STATUS" 404

req GET "/api/v1/events/$fair/companies"
check "booth list" eq "$STATUS:$(jbody '.items | length')" 200:2
check "booth list in id order" eq "$(jbody '.items[0].id')" "$booth"
req GET "/api/v1/events/$fair/companies?status=applied"
check "booth list filtered by status" eq "$(jbody '.items | length')" 0
req GET "/api/v1/events/$fair/companies?limit=1"
check "booth list paged" eq "$(jbody '.items | length'):$(jbody .next)" "1:$booth"
req GET "/api/v1/events/$fair"
check "event counts its companies" eq "$(jbody .company_count)" 2

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
