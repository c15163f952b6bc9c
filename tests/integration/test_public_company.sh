#!/usr/bin/env bash
# The companies' public application form (申込フォーム, 企業): linked from
# the event's public page; a plain form post (as a browser without
# JavaScript) makes the company (by 法人番号) and a booth 'applied' with
# its openings, keeps what was sent for the organizer, and queues an
# acknowledgement; a known 法人番号 reuses the company and changes
# nothing stored about it, with the same answer. Refused without a row:
# a wrong check digit (said next to the field), missing fields, a past
# deadline or closed event, no CSRF token, another site's Origin, the
# honeypot, the rate limit (shared with the seekers' form). The
# organizer confirms in the back office: the booth is confirmed and the
# company's mail is queued.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
start_with_door() {
	local try
	for try in 1 2 3 4 5; do
		pub_port=$(jf_free_port)
		PUB=http://127.0.0.1:$pub_port
		jf_server_start "$db" --public-listen "127.0.0.1:$pub_port" "$@" 2>/dev/null && return 0
	done
	return 1
}
start_with_door --public-url "https://apply.example.jp/" --apply-rate 1000 || exit 1
TOKEN=$(jf_user "$db" olga organizer)
sql() { psql "$db" -qAtc "$1"; }
C=$JF_TMP/cookies
H=$JF_TMP/headers

start=$(date -d '+10 days' +%Y-%m-%dT10:00:00+09:00)
end=$(date -d '+10 days' +%Y-%m-%dT16:00:00+09:00)
req POST /api/v1/events "{\"type\":\"joint_interview_fair\",\"title\":\"合同就職面接会\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"venue\":\"山口市民会館\",\"organizer\":\"joint\",\"status\":\"open\",\"public_open\":true}"
ev=$(jbody .id)
req POST /api/v1/events "{\"type\":\"senior_seminar\",\"title\":\"セミナー\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"organizer\":\"city\",\"status\":\"open\",\"public_open\":true}"
seminar=$(jbody .id)
# A company the city already knows, with its own contact address.
req POST /api/v1/companies '{"corporate_number":"7010001008844","name":"既存工業株式会社","name_kana":"キゾンコウギョウ","email":"office@kizon.example.jp","phone":"0839001111"}'
known=$(jbody .id)

page=$(curl -s "$PUB/apply/events/$ev")
check "the event's page links to the companies' form" grep -q "href=\"/apply/events/$ev/company\"" <<<"$page"
check "a seminar (no booths) does not" bash -c "! curl -s '$PUB/apply/events/$seminar' | grep -q '/company\"'"
check "a seminar's companies' form: 404" eq "$(curl -s -o /dev/null -w '%{http_code}' "$PUB/apply/events/$seminar/company")" 404

curl -s -D "$H" -c "$C" -b "$C" -o "$JF_TMP/form.html" "$PUB/apply/events/$ev/company"
check "form page 200 with strict CSP" bash -c "grep -q '^HTTP/1.1 200' '$H' && grep -qi \"^Content-Security-Policy:.*frame-ancestors 'none'\" '$H'"
check "three empty openings' rows without script" eq "$(grep -c 'class="opening"' "$JF_TMP/form.html")" 3
check "雇用形態 from the vocabulary" grep -q '<option value="正社員">' "$JF_TMP/form.html"
check "English with ?lang=en" bash -c "curl -s '$PUB/apply/events/$ev/company?lang=en' | grep -q 'Booth application'"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$JF_TMP/form.html" | head -1 | sed 's/.*value="//; s/"//')

booths() { sql "SELECT count(*) FROM participations WHERE event_id = $ev"; }
companies() { sql "SELECT count(*) FROM companies"; }
apps() { sql "SELECT count(*) FROM booth_applications"; }
mails() { sql "SELECT count(*) FROM mail_outbox WHERE kind = 'booth_application'"; }
state() { echo "$(booths)/$(companies)/$(apps)/$(mails)"; }
# apply FIELDS...: posts the companies' form (Origin $ORIGIN if set).
apply() {
	local args=(-s -o "$JF_TMP/body" -D "$H" -w '%{http_code}' -b "$C" -c "$C"
		--data-urlencode "csrf=$csrf")
	[ -n "${ORIGIN:-}" ] && args+=(-H "Origin: $ORIGIN")
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	STATUS=$(curl "${args[@]}" "$PUB/apply/events/${EV:-$ev}/company")
	BODY=$(cat "$JF_TMP/body")
	LOCATION=$(grep -i '^Location:' "$H" | tr -d '\r' | cut -d' ' -f2)
}
GOOD=("name=株式会社山口製作所" "name_kana=やまぐちせいさくしょ" "postal_code=７５３-８６５０"
	"address=山口市亀山町2-1" "contact_name=採用 太郎" "phone=083-934-2814"
	"email=saiyo@yamaguchi-ss.example.jp" "representatives=2" "representative_names=採用 太郎、人事 花子"
	"o1_title=製造スタッフ" "o1_employment_type=正社員" "o1_count=2" "o1_job_number=35010-12345678"
	"o2_title=事務" "o2_employment_type=パート" "o2_count=" "o2_job_number="
	"o3_title=" "o3_employment_type=" "o3_count=" "o3_job_number=")
before=$(state)

apply corporate_number=7000012050003 "${GOOD[@]}"
check "wrong check digit: 422" eq "$STATUS" 422
check "…said next to the field" bash -c "grep -q 'id=\"e-corporate_number\"' <<<'$BODY' && grep -q 'aria-describedby=\"h-corporate_number e-corporate_number\"' <<<'$BODY'"
check "…and in the summary, linked" grep -q 'href="#f-corporate_number"' <<<"$BODY"
check "what was typed is kept" grep -q 'value="製造スタッフ"' <<<"$BODY"
apply corporate_number=7000012050002 "name=" "o1_title=" "o1_employment_type=正社員" "o2_job_number=123"
check "missing fields: 422, each linked" bash -c "[ $STATUS = 422 ] && for f in name name_kana postal_code address contact_name phone email representatives o1_title o2_title o2_employment_type o2_job_number; do grep -q \"href=\\\"#f-\$f\\\"\" <<<'$BODY' || exit 1; done"
check "a row's error names its row (求人2)" grep -q '求人2：求人番号は' <<<"$BODY"
apply corporate_number=7000012050002 "name=株式会社山口製作所" "name_kana=ヤマグチ" "postal_code=7538650" "address=山口市" "contact_name=太郎" "phone=0839342814" "email=a@b.jp" "representatives=1"
check "no opening at all: 422, 求人を1件以上" bash -c "[ $STATUS = 422 ] && grep -q 'href=\"#f-openings\"' <<<'$BODY'"
apply corporate_number=7000012050002 "${GOOD[@]}" "website=http://spam.example"
check "honeypot filled: 422" eq "$STATUS" 422
nocsrf=(--data-urlencode corporate_number=7000012050002)
for f in "${GOOD[@]}"; do nocsrf+=(--data-urlencode "$f"); done
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -b "$C" "${nocsrf[@]}" "$PUB/apply/events/$ev/company")
check "no CSRF token: 403" eq "$STATUS" 403
ORIGIN=https://evil.example apply corporate_number=7000012050002 "${GOOD[@]}"
check "another site's Origin: 403" eq "$STATUS" 403
check "refusals left no row (booth, company, application, mail)" eq "$(state)" "$before"

# Applied: 303 to the received page; company, booth, openings, mail.
apply corporate_number=7000012050002 "${GOOD[@]}"
check "applied: 303 to the received page" eq "$STATUS:$LOCATION" "303:/apply/events/$ev/company/received"
curl -s -o "$JF_TMP/received.html" "$PUB$LOCATION"
check "received page says the city will confirm" bash -c "grep -q '出展のお申込みを受け付けました' '$JF_TMP/received.html' && grep -q '山口市から改めてメールでお知らせします' '$JF_TMP/received.html'"
co=$(sql "SELECT id FROM companies WHERE corporate_number = '7000012050002'")
check "a new company from the form (kana in katakana, postal code digits)" eq "$(sql "SELECT name || '|' || name_kana || '|' || postal_code || '|' || email FROM companies WHERE id = $co")" "株式会社山口製作所|ヤマグチセイサクショ|7538650|saiyo@yamaguchi-ss.example.jp"
check "a booth 'applied' with 2 representatives" eq "$(sql "SELECT status || '|' || representatives FROM participations WHERE event_id = $ev AND company_id = $co")" "applied|2"
check "two openings in order (empty row skipped)" eq "$(sql "SELECT string_agg(title || '/' || employment_type || '/' || count || '/' || coalesce(job_number, '-'), ',' ORDER BY o.id) FROM openings o JOIN participations p ON p.id = o.participation_id WHERE p.company_id = $co")" "製造スタッフ/正社員/2/35010-12345678,事務/パート/1/-"
check "the acknowledgement queued to the given address" eq "$(sql "SELECT to_addr FROM mail_outbox WHERE kind = 'booth_application'")" "saiyo@yamaguchi-ss.example.jp"
check "…saying the city will confirm" bash -c "psql '$db' -qAtc \"SELECT body FROM mail_outbox WHERE kind = 'booth_application'\" | grep -q '出展の可否を山口市から改めて'"
check "no personal data in the server log" bash -c "! grep -q -e 'saiyo@' -e '採用 太郎' '$JF_LOG'"

# A known 法人番号: the company is reused, its stored data untouched, the
# answer the same; what was sent is kept beside the booth.
known_before=$(sql "SELECT row_to_json(c)::text FROM companies c WHERE id = $known")
apply corporate_number=7010001008844 "${GOOD[@]/株式会社山口製作所/なりすまし商事}"
check "known 法人番号: the same 303" eq "$STATUS:$LOCATION" "303:/apply/events/$ev/company/received"
check "…the stored company unchanged" eq "$(sql "SELECT row_to_json(c)::text FROM companies c WHERE id = $known")" "$known_before"
check "…a booth 'applied' for it" eq "$(sql "SELECT status FROM participations WHERE event_id = $ev AND company_id = $known")" "applied"
check "…the sent details kept for review" eq "$(sql "SELECT details->>'name' || '|' || created_company FROM booth_applications a JOIN participations p ON p.id = a.participation_id WHERE p.company_id = $known")" "なりすまし商事|false"
# Applying again for a booth it already has: the booth is left alone.
apply corporate_number=7000012050002 "${GOOD[@]/o1_count=2/o1_count=9}"
check "again: the same 303" eq "$STATUS" 303
check "…the booth and its openings unchanged" eq "$(sql "SELECT count(*) || '|' || sum(count) FROM openings o JOIN participations p ON p.id = o.participation_id WHERE p.company_id = $co")" "2|3"
check "…the second application kept beside it" eq "$(sql "SELECT count(*) FROM booth_applications a JOIN participations p ON p.id = a.participation_id WHERE p.company_id = $co")" 2

# The back office: the booth listed as applied, with what was sent.
req GET "/api/v1/events/$ev/companies"
check "booths list shows it applied, with its application" eq "$(jq -r ".items[] | select(.company_id == $co) | .status + \"|\" + (.applications|tostring)" <<<"$BODY")" "applied|2"
req GET "/api/v1/events/$ev/companies/$known/applications"
check "organizer reads what was sent" eq "$STATUS:$(jbody '.items[0].details.contact_name'):$(jbody '.items[0].created_company')" "200:採用 太郎:false"
DESK=$(jf_user "$db" dora frontdesk)
TOKEN=$DESK req GET "/api/v1/events/$ev/companies/$known/applications"
check "the desk may not read it" eq "$STATUS" 403
# Confirm the new one, decline the known one: each company's mail.
req PATCH "/api/v1/events/$ev/companies/$co" '{"status":"confirmed","booth":"A-1"}'
check "organizer confirms" eq "$STATUS:$(jbody .status)" "200:confirmed"
check "…the confirmation mail queued for the company" eq "$(sql "SELECT to_addr || '|' || (body LIKE '%ブース：A-1%') FROM mail_outbox WHERE kind = 'booth_confirmed'")" "saiyo@yamaguchi-ss.example.jp|true"
req PATCH "/api/v1/events/$ev/companies/$known" '{"status":"cancelled"}'
check "declined: mailed to the company's stored address, not the form's" eq "$(sql "SELECT to_addr FROM mail_outbox WHERE kind = 'booth_declined'")" "office@kizon.example.jp"

# Past the deadline, then closed: refused, nothing written.
before=$(state)
req PATCH "/api/v1/events/$ev" '{"public_deadline":"2020-01-01T00:00:00+09:00"}'
apply corporate_number=5010401011111 "${GOOD[@]}"
check "past the deadline: 409, 受付は終了" bash -c "[ $STATUS = 409 ] && grep -q '受付は終了しました' <<<'$BODY'"
req PATCH "/api/v1/events/$ev" '{"public_deadline":null,"status":"closed"}'
apply corporate_number=5010401011111 "${GOOD[@]}"
check "a closed event: 409" eq "$STATUS" 409
req PATCH "/api/v1/events/$ev" '{"status":"open","public_open":false}'
apply corporate_number=5010401011111 "${GOOD[@]}"
check "not open to the public: 404" eq "$STATUS" 404
check "none left a row" eq "$(state)" "$before"
req PATCH "/api/v1/events/$ev" '{"public_open":true}'

# The purge of a past year removes what the companies sent (names of
# contacts and of the people coming); booths and companies stay.
sql "UPDATE events SET starts_at = starts_at - interval '3 years', ends_at = ends_at - interval '3 years' WHERE id = $ev" >/dev/null
ADMIN=$(jf_user "$db" ada admin)
req POST /api/v1/seekers/purge "{\"before_fiscal_year\":$(sql "SELECT fiscal_year(now())")}" "$ADMIN"
check "purge: the applications go, the booths stay" eq "$STATUS:$(apps):$(booths)" "200:0:2"
sql "UPDATE events SET starts_at = starts_at + interval '3 years', ends_at = ends_at + interval '3 years' WHERE id = $ev" >/dev/null
check "server stops cleanly" jf_server_stop "$JF_PID"

# The rate limit (default 30 a minute) is one allowance per address for
# both forms: seekers' applications count against a company's.
start_with_door --no-migrate || exit 1
curl -s -c "$C" -o "$JF_TMP/form.html" "$PUB/apply/events/$ev/company"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$JF_TMP/form.html" | head -1 | sed 's/.*value="//; s/"//')
for i in $(seq 1 15); do
	curl -s -o /dev/null -b "$C" --data-urlencode "csrf=$csrf" --data-urlencode "name=連続" "$PUB/apply/events/$ev"
	apply "name=連続"
done
check "30 in a minute are answered (422)" eq "$STATUS" 422
before=$(state)
apply corporate_number=5010401011111 "${GOOD[@]}"
check "31st in a minute, on the companies' form: 429" bash -c "[ $STATUS = 429 ] && grep -q '秒ほど待って' <<<'$BODY'"
check "429 left no row" eq "$(state)" "$before"
check "server stops cleanly" jf_server_stop "$JF_PID"
done_testing
