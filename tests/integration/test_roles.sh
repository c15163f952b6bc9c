#!/usr/bin/env bash
# Every organizers' endpoint × every role, as one table: allowed or 403,
# and 401 without a token or with a bad one. Then what each role sees of
# a job seeker: organizers everything, the front desk name, kana and
# token only, viewers nothing but aggregates; and the audit rows left by
# reads, writes and refusals.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
roles=(admin organizer frontdesk viewer)
declare -A tok uid
for r in "${roles[@]}"; do
	tok[$r]=$(jf_user "$db" "u_$r" "$r")
done
sql() { psql "$db" -qAtc "$1"; }
for r in "${roles[@]}"; do
	uid[$r]=$(sql "SELECT id FROM users WHERE name = 'u_$r'")
done
TOKEN=${tok[organizer]}

# Fixtures made by an organizer: an event, a company per role (so each
# role's booth is its own), a registration per role to cancel.
req POST /api/v1/events '{"type":"joint_interview_fair","title":"合同就職面接会","starts_at":"2024-06-10T13:00:00+09:00","ends_at":"2024-06-10T16:00:00+09:00","organizer":"joint","capacity":100,"status":"open"}'
E=$(jbody .id)
declare -A company reg kana=([admin]=アドミン [organizer]=オーガナイザー [frontdesk]=フロント [viewer]=ビューア)
for r in "${roles[@]}"; do
	req POST /api/v1/companies "{\"name\":\"$r 株式会社\"}"
	company[$r]=$(jbody .id)
	req POST "/api/v1/events/$E/registrations" "{\"name\":\"取消 $r\",\"name_kana\":\"トリケシ ${kana[$r]}\",\"age\":40,\"consent\":true}"
	reg[$r]=$(jbody .id)
done
req POST /api/v1/companies '{"name":"共通 株式会社"}'
C=$(jbody .id)
req POST "/api/v1/events/$E/companies" "{\"company_id\":$C,\"openings\":[{\"title\":\"事務\",\"employment_type\":\"正社員\"}]}"
req POST "/api/v1/events/$E/registrations" '{"name":"山田 花子","name_kana":"ヤマダ ハナコ","birth_date":"1980-04-01","phone":"09011112222","email":"hanako@example.jp","categories":["disability","single_parent"],"disability":{"handbook":"mental"},"accommodations":["written","rest_breaks"],"accommodation_note":"筆談を希望","supporters":1,"consent":true}'
R=$(jbody .id)
check "fixtures made" test -n "$E" -a -n "$C" -a -n "$R"

# METHOD PATH | BODY | admin organizer frontdesk viewer. In a body or
# path @COMPANY, @KANA and @REG stand for the calling role's own company,
# kana and registration, so each allowed write succeeds on its own.
table=$(
	cat <<EOF
GET /api/v1/event-types | | 200 200 200 200
POST /api/v1/events | {"type":"senior_seminar","title":"セミナー","starts_at":"2024-10-01T10:00:00+09:00","ends_at":"2024-10-01T12:00:00+09:00","organizer":"city"} | 201 201 403 403
GET /api/v1/events?fiscal_year=2024 | | 200 200 200 200
GET /api/v1/events/$E | | 200 200 200 200
PATCH /api/v1/events/$E | {"venue":"山口市民会館"} | 200 200 403 403
POST /api/v1/companies | {"name":"新規 @KANA"} | 201 201 403 403
GET /api/v1/companies?q=株式会社 | | 200 200 200 200
GET /api/v1/companies/$C | | 200 200 200 200
PATCH /api/v1/companies/$C | {"industry":"製造業"} | 200 200 403 403
POST /api/v1/events/$E/companies | {"company_id":@COMPANY} | 201 201 403 403
GET /api/v1/events/$E/companies | | 200 200 200 403
PATCH /api/v1/events/$E/companies/$C | {"booth":"A-1"} | 200 200 403 403
POST /api/v1/events/$E/registrations | {"name":"新規","name_kana":"シンキ @KANA","age":30,"consent":true} | 201 201 403 403
GET /api/v1/events/$E/registrations | | 200 200 200 403
GET /api/v1/registrations/$R | | 200 200 200 403
POST /api/v1/registrations/@REG/cancel | | 200 200 403 403
EOF
)

# Failed sign-ins are limited per client address; each endpoint's 401
# probes come from an address of their own.
probe=2
while IFS='|' read -r route body codes; do
	read -r method path <<<"$route"
	read -r -a want <<<"$codes"
	body=${body# }
	body=${body% }
	for i in 0 1 2 3; do
		r=${roles[$i]}
		b=${body//@COMPANY/${company[$r]}}
		b=${b//@KANA/${kana[$r]}}
		req "$method" "${path//@REG/${reg[$r]}}" "$b" "${tok[$r]}"
		# A refusal must be the 403 shape, not any 403.
		[ "$STATUS" != 403 ] || STATUS="$STATUS $(jbody .error.code)"
		expect=${want[$i]}
		[ "$expect" != 403 ] || expect="403 forbidden"
		check "$method ${path%%\?*} as $r: ${want[$i]}" eq "$STATUS" "$expect"
	done
	addr=127.0.0.$((probe++))
	for auth in none "Bearer jf_not-a-real-token"; do
		args=(-s -o "$JF_TMP/body" -w '%{http_code}' -X "$method" --interface "$addr")
		[ "$auth" = none ] || args+=(-H "Authorization: $auth")
		[ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
		STATUS=$(curl "${args[@]}" "$JF_URL${path//@REG/$R}")
		check "$method ${path%%\?*} with auth '$auth': 401" eq "$STATUS" 401
	done
done <<<"$table"
check "401 answers in the error shape" eq "$(jq -r .error.code "$JF_TMP/body")" unauthorized

# What each role sees of a job seeker.
pii='["phone","email","birth_date","age","age_band","categories","disability","accommodations","accommodation_note","supporters","consent_at"]'
desk_keys='checkin_token,id,name,name_kana,status,walk_in'
secrets='mental|written|rest_breaks|09011112222|hanako@|1980-04-01|single_parent|筆談'
lacks() { ! grep -qE "$1" <<<"$2"; }
req GET "/api/v1/registrations/$R" "" "${tok[organizer]}"
check "organizer sees the disability handbook" eq "$(jbody .disability.handbook)" mental
check "organizer sees accommodations" eq "$(jbody '.accommodations | join(",")')" written,rest_breaks
check "organizer sees the phone" eq "$(jbody .phone)" 09011112222
req GET "/api/v1/registrations/$R" "" "${tok[admin]}"
check "admin sees categories" eq "$(jbody '.categories | join(",")')" disability,single_parent
req GET "/api/v1/registrations/$R" "" "${tok[frontdesk]}"
check "frontdesk: one registration has only desk keys" eq "$(jbody 'keys | join(",")')" "$desk_keys"
check "frontdesk: name and kana shown" eq "$(jbody .name_kana)" "ヤマダ ハナコ"
check "frontdesk: no personal keys" eq "$(jq -r --argjson pii "$pii" '[keys[] | select(IN($pii[]))] | length' <<<"$BODY")" 0
check "frontdesk: no personal values anywhere" lacks "$secrets" "$BODY"
req GET "/api/v1/events/$E/registrations?limit=500" "" "${tok[frontdesk]}"
check "frontdesk: every listed item has only desk keys" eq "$(jbody '[.items[] | keys | join(",")] | unique | join(";")')" "$desk_keys"
check "frontdesk: the list leaks no personal values" lacks "$secrets" "$BODY"
req GET "/api/v1/events/$E/companies" "" "${tok[frontdesk]}"
check "frontdesk sees booth tokens" test -n "$(jbody '.items[0].checkin_token // empty')"
req GET "/api/v1/events/$E/registrations" "" "${tok[viewer]}"
check "viewer: registrations 403" eq "$STATUS" 403
check "viewer: 403 carries no personal data" lacks "ハナコ|$secrets" "$BODY"
req GET "/api/v1/events/$E" "" "${tok[viewer]}"
check "viewer sees the aggregate count" test "$(jbody .registered_count)" -ge 5
check "viewer's event has no personal data" lacks "ハナコ|$secrets" "$BODY"

# The audit trail: reads of registrations carry the reader; refusals and
# the viewer leave nothing.
check "frontdesk reads audited" test "$(sql "SELECT count(*) FROM audit_log WHERE user_id = ${uid[frontdesk]} AND action IN ('read', 'list') AND detail->>'view' = 'desk'")" -ge 4
check "frontdesk wrote nothing" eq "$(sql "SELECT count(*) FROM audit_log WHERE user_id = ${uid[frontdesk]} AND action NOT IN ('read', 'list')")" 0
check "viewer left no audit rows" eq "$(sql "SELECT count(*) FROM audit_log WHERE user_id = ${uid[viewer]}")" 0
check "organizer's single read audited with the id" test "$(sql "SELECT count(*) FROM audit_log WHERE user_id = ${uid[organizer]} AND action = 'read' AND object_type = 'registration' AND object_id = $R")" -ge 1
check "admin's list read audited" test "$(sql "SELECT count(*) FROM audit_log WHERE user_id = ${uid[admin]} AND action = 'list' AND object_id = $E")" -ge 1
for r in admin organizer; do
	check "$r's writes audited (all 8 kinds)" eq "$(sql "SELECT count(DISTINCT object_type || action) FROM audit_log WHERE user_id = ${uid[$r]} AND action IN ('create', 'update', 'cancel')")" 8
done
check "forbidden writes stored nothing" eq "$(sql "SELECT count(*) FROM companies WHERE name LIKE '新規%'"):$(sql "SELECT count(*) FROM registrations WHERE name = '新規'"):$(sql "SELECT count(*) FROM events WHERE type = 'senior_seminar'")" 2:2:2
check "forbidden cancels changed nothing" eq "$(sql "SELECT string_agg(status, ',' ORDER BY id) FROM registrations WHERE id IN (${reg[frontdesk]}, ${reg[viewer]})")" registered,registered

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
