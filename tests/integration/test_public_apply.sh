#!/usr/bin/env bash
# The public application forms (申込フォーム): an organizer opens an event;
# a person applies with a plain form post (curl, as a browser without
# JavaScript would), gets a receipt with a QR code that checks in at the
# desk, a 受付票 PDF and a mail queued; the cancellation link works once.
# Refused: no consent, a closed event, a full one, past the deadline, no
# CSRF token, another site's Origin, the honeypot filled, the 31st
# application in a minute — none leaves a row. The same person applying
# twice gets the same answer as a new one, in wording and about in time.
# The public door (--public-listen) serves the forms and nothing else.
. "$(dirname "$0")/lib.sh"

command -v zbarimg >/dev/null || { echo "zbarimg missing"; exit 77; }
jf_db_new || exit 1
db=$JF_DB
# start_with_door ARGS...: jobfaird with a public door on a free port
# (PUB), trying other ports if another test took one meanwhile.
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
DESK=$(jf_user "$db" dora frontdesk)
sql() { psql "$db" -qAtc "$1"; }
C=$JF_TMP/cookies
H=$JF_TMP/headers

# An event in ten days, opened to the public.
start=$(date -d '+10 days' +%Y-%m-%dT10:00:00+09:00)
end=$(date -d '+10 days' +%Y-%m-%dT16:00:00+09:00)
req POST /api/v1/events "{\"type\":\"joint_interview_fair\",\"title\":\"合同就職面接会\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"venue\":\"山口市民会館\",\"capacity\":3,\"organizer\":\"joint\",\"status\":\"open\",\"public_bring\":\"筆記用具、履歴書\"}"
check "event created, closed to the public by default" eq "$STATUS:$(jbody .public_open)" "201:false"
ev=$(jbody .id)
STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$PUB/apply/events/$ev")
check "an event not opened: 404 on the public page" eq "$STATUS" 404
req PATCH "/api/v1/events/$ev" '{"public_open":true}'
check "organizer opens it (受付中)" eq "$STATUS:$(jbody .public_open)" "200:true"

# The index and the event's page (Japanese first, 和暦).
page=$(curl -s "$PUB/apply")
check "index lists the open event" grep -q "/apply/events/$ev" <<<"$page"
curl -s -D "$H" -c "$C" -b "$C" -o "$JF_TMP/form.html" "$PUB/apply/events/$ev"
check "form page 200" grep -q '^HTTP/1.1 200' "$H"
check "date in 和暦 (令和)" grep -q '令和' "$JF_TMP/form.html"
check "what to bring shown" grep -q '筆記用具' "$JF_TMP/form.html"
check "strict CSP, no framing" grep -qi "^Content-Security-Policy:.*frame-ancestors 'none'" "$H"
check "no referrer leaves for another site" grep -qi '^Referrer-Policy: same-origin' "$H"
check "form cookie HttpOnly SameSite=Strict" grep -qi '^Set-Cookie: jf_form=.*HttpOnly; SameSite=Strict' "$H"
purpose_pos=$(grep -bo 'purpose-title' "$JF_TMP/form.html" | head -1 | cut -d: -f1)
consent_pos=$(grep -bo 'id="f-consent"' "$JF_TMP/form.html" | head -1 | cut -d: -f1)
check "purpose statement before the consent box" test "$purpose_pos" -lt "$consent_pos"
check "categories from the vocabulary" grep -q '若年者(35歳未満)' "$JF_TMP/form.html"
check "accommodations from the vocabulary" grep -q '手話通訳' "$JF_TMP/form.html"
curl -s -o "$JF_TMP/en.html" "$PUB/apply/events/$ev?lang=en"
check "English with ?lang=en" grep -q 'Application form' "$JF_TMP/en.html"
check "English by Accept-Language" bash -c "curl -s -H 'Accept-Language: en-GB,en;q=0.8' '$PUB/apply' | grep -q 'Events open for applications'"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$JF_TMP/form.html" | head -1 | sed 's/.*value="//; s/"//')
purpose=$(grep -o 'name="purpose_id" value="[0-9]*"' "$JF_TMP/form.html" | sed 's/.*value="//; s/"//')
check "purpose id is the type's current version" eq "$purpose" "$(sql "SELECT id FROM purpose_statements WHERE event_type = 'joint_interview_fair' ORDER BY version DESC LIMIT 1")"

rows() { sql "SELECT count(*) FROM registrations WHERE event_id = $ev"; }
# apply FIELDS...: posts the form to event ${EV:-$ev} (with Origin
# $ORIGIN if set); sets STATUS, BODY, LOCATION.
apply() {
	local args=(-s -o "$JF_TMP/body" -D "$H" -w '%{http_code}' -b "$C" -c "$C"
		--data-urlencode "csrf=$csrf" --data-urlencode "purpose_id=$purpose")
	[ -n "${ORIGIN:-}" ] && args+=(-H "Origin: $ORIGIN")
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	STATUS=$(curl "${args[@]}" "$PUB/apply/events/${EV:-$ev}")
	BODY=$(cat "$JF_TMP/body")
	LOCATION=$(grep -i '^Location:' "$H" | tr -d '\r' | cut -d' ' -f2)
}

# Refused before anything is written.
apply "name=山口 花子" "name_kana=やまぐち はなこ" "age=40"
check "missing consent: 422" eq "$STATUS" 422
check "error summary links to the consent box" grep -q 'href="#f-consent"' <<<"$BODY"
check "the field says what to do" grep -q 'id="e-consent"' <<<"$BODY"
check "what was typed is kept" grep -q 'value="山口 花子"' <<<"$BODY"
check "title starts with エラー" grep -q '<title>エラー：' <<<"$BODY"
apply "name=" "name_kana=abc" "phone=12" "email=x@" "consent=yes"
check "bad fields: 422, each linked" bash -c "[ $STATUS = 422 ] && grep -q 'href=\"#f-name_kana\"' <<<'$BODY' && grep -q 'href=\"#f-phone\"' <<<'$BODY' && grep -q 'href=\"#f-email\"' <<<'$BODY'"
apply "name=<script>alert(1)</script>" "name_kana=テスト" "age=30"
check "what was typed is escaped when drawn again" bash -c "grep -q '&lt;script&gt;alert' <<<'$BODY' && ! grep -q '<script>alert' <<<'$BODY'"
apply "name=ボット" "name_kana=ボット" "consent=yes" "website=http://spam.example"
check "honeypot filled: 422" eq "$STATUS" 422
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -b "$C" --data-urlencode "purpose_id=$purpose" --data-urlencode "name=名無し" --data-urlencode "name_kana=ナナシ" --data-urlencode "consent=yes" "$PUB/apply/events/$ev")
check "no CSRF token: 403" eq "$STATUS" 403
STATUS=$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$csrf" --data-urlencode "purpose_id=$purpose" --data-urlencode "name=名無し" --data-urlencode "name_kana=ナナシ" --data-urlencode "consent=yes" "$PUB/apply/events/$ev")
check "token without its cookie: 403" eq "$STATUS" 403
ORIGIN=https://evil.example apply "name=他所" "name_kana=ヨソ" "consent=yes"
check "another site's Origin: 403" eq "$STATUS" 403
check "refusals left no row" eq "$(rows)" 0

# A fresh application: 303 to the receipt.
t0=$(date +%s%N)
apply "name=山口 花子" "name_kana=やまぐち はなこ" "birth_date=1980-04-01" "phone=083-934-2814" "email=hanako@example.jp" "categories=parenting" "accommodations=sign_language" "accommodations=wheelchair" "accommodation_note=車いすで伺います" "supporters=1" "consent=yes"
t1=$(date +%s%N)
check "applied: 303 to the receipt" bash -c "[ $STATUS = 303 ] && [[ '$LOCATION' =~ ^/apply/receipt/[0-9a-f]{64}$ ]]"
fresh_status=$STATUS fresh_body=$(sed "s#[0-9a-f]\{64\}#SECRET#g" <<<"$BODY") fresh_ms=$(((t1 - t0) / 1000000))
receipt=$LOCATION
check "one registration" eq "$(rows)" 1
reg=$(sql "SELECT id FROM registrations WHERE event_id = $ev")
check "accommodations and categories stored" eq "$(sql "SELECT accommodations::text || categories::text || supporters FROM registrations WHERE id = $reg")" "{sign_language,wheelchair}{parenting}1"
check "consented purpose version recorded" eq "$(sql "SELECT purpose_id FROM registrations WHERE id = $reg")" "$purpose"
check "the receipt's secret is stored hashed" eq "$(sql "SELECT count(*) FROM public_receipts WHERE secret_hash = encode(sha256('${receipt##*/}'::bytea), 'hex')")" 1
check "live counts moved" eq "$(sql "SELECT registered_count FROM events WHERE id = $ev")" 1
check "no personal data in the server log" bash -c "! grep -q -e 'hanako' -e '山口 花子' -e '${receipt##*/}' '$JF_LOG'"

# The receipt: QR code (decodes to the token that checks in), PDF.
curl -s -o "$JF_TMP/receipt.html" "$PUB$receipt"
check "receipt page says received" grep -q 'お申込みを受け付けました' "$JF_TMP/receipt.html"
check "receipt shows the twice wording" grep -q '最初のお申込みが有効です' "$JF_TMP/receipt.html"
curl -s -o "$JF_TMP/qr.png" "$PUB$receipt/qr.png"
code=$(zbarimg -q --raw "$JF_TMP/qr.png" 2>/dev/null)
check "the QR decodes to the registration's token" eq "$code" "$(sql "SELECT checkin_token FROM registrations WHERE id = $reg")"
curl -s -o "$JF_TMP/slip.pdf" "$PUB$receipt/slip.pdf"
check "受付票 PDF of one page with the name" bash -c "pdfinfo '$JF_TMP/slip.pdf' | grep -q 'Pages: *1' && pdftotext '$JF_TMP/slip.pdf' - | grep -q '山口 花子'"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$PUB/apply/receipt/$(printf '0%.0s' {1..64})")
check "an unknown receipt: 404" eq "$STATUS" 404

# The mail row.
check "mail queued to the address given" eq "$(sql "SELECT to_addr || '|' || (qr_token = (SELECT checkin_token FROM registrations WHERE id = $reg)) FROM mail_outbox WHERE event_id = $ev")" "hanako@example.jp|true"
cancel=$(grep -o '/apply/cancel/[0-9a-f]*' "$JF_TMP/receipt.html" | head -1)
check "mail has the receipt and cancellation links" bash -c "sql() { psql '$db' -qAtc \"\$1\"; }; b=\$(sql 'SELECT body FROM mail_outbox WHERE event_id = $ev'); grep -q 'https://apply.example.jp$receipt' <<<\"\$b\" && grep -q 'https://apply.example.jp$cancel' <<<\"\$b\" && grep -q '令和' <<<\"\$b\""

# Check in with the decoded code at the desk (the event is ten days
# ahead: an organizer reopens it to take check-ins today).
jf_reopen "$ev"
req POST "/api/v1/events/$ev/checkins" "{\"token\":\"$code\",\"nonce\":\"public-apply-0001\"}" "$DESK"
check "the code checks in at the desk" eq "$STATUS:$(jbody .result)" "200:checked_in"

# The same person again: the same answer, no second row.
apply "name=山口花子" "name_kana=ヤマグチハナコ" "birth_date=1980-04-01" "consent=yes"
check "twin: same status" eq "$STATUS" "$fresh_status"
check "twin: same wording" eq "$(sed "s#[0-9a-f]\{64\}#SECRET#g" <<<"$BODY")" "$fresh_body"
check "twin: no second row" eq "$(rows)" 1
check "the first registration's address is sent its code again" eq "$(sql "SELECT to_addr || '|' || (qr_token = (SELECT checkin_token FROM registrations WHERE id = $reg)) FROM mail_outbox WHERE kind = 'apply_again'")" "hanako@example.jp|true"
curl -s -o "$JF_TMP/twin.html" "$PUB$LOCATION"
norm() { sed -e 's#[0-9a-f]\{64\}#S#g' -e 's#[0-9]\{6\}#N#g' "$1" | grep -v '様'; }
check "twin's receipt page reads as any other" diff <(norm "$JF_TMP/twin.html") <(norm "$JF_TMP/receipt.html")
check "numbers advance by one either way" eq "$(grep -o '<strong>[0-9]*' "$JF_TMP/twin.html" | tr -dc 0-9)" 000002
apply "name=山口花子" "name_kana=ヤマグチハナコ" "birth_date=1980-04-01" "consent=yes"
check "…at most once a day" eq "$(sql "SELECT count(*) FROM mail_outbox WHERE kind = 'apply_again'")" 1
check "twin's QR decodes too" bash -c "curl -s '$PUB$LOCATION/qr.png' | zbarimg -q --raw - | grep -q '^JF1-'"

# Timing: new people and people already registered alternate, 8 each, on
# another open event; the medians stay close (loose: the machine is shared).
req POST /api/v1/events "{\"type\":\"joint_interview_fair\",\"title\":\"時間の比較\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"organizer\":\"city\",\"status\":\"open\",\"public_open\":true}"
ev2=$(jbody .id)
ms() { local t0 t1; t0=$(date +%s%N); EV=$ev2 apply "$@"; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
ms "name=既存" "name_kana=キゾン" "age=40" "consent=yes" >/dev/null
fresh=() twin=()
for i in 1 2 3 4 5 6 7 8; do
	fresh+=("$(ms "name=新規$i" "name_kana=シンキ$(printf '%s' "ア イ ウ エ オ カ キ ク" | cut -d' ' -f$i)" "age=40" "consent=yes")")
	twin+=("$(ms "name=既存" "name_kana=キゾン" "age=40" "consent=yes")")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 4p; }
fm=$(median "${fresh[@]}") tm=$(median "${twin[@]}")
echo "     median: new person ${fm} ms, already registered ${tm} ms"
check "twins refused without a row" eq "$(sql "SELECT count(*) FROM registrations WHERE event_id = $ev2")" 9
check "both answered in similar time (medians within 100 ms)" test $(( fm > tm ? fm - tm : tm - fm )) -lt 100

# A title of 200 characters still makes a mail subject that fits.
long=$(printf 'あ%.0s' {1..200})
req PATCH "/api/v1/events/$ev2" "{\"title\":\"$long\"}"
EV=$ev2 apply "name=長い題" "name_kana=ナガイダイ" "age=40" "email=long@example.jp" "consent=yes"
check "a 200-character title: applied, mail queued" eq "$STATUS:$(sql "SELECT count(*) FROM mail_outbox WHERE to_addr = 'long@example.jp'")" "303:1"

# Cancel once; the place is freed; the link then says it was used.
STATUS=$(curl -s -o "$JF_TMP/c.html" -w '%{http_code}' -b "$C" -c "$C" "$PUB$cancel")
check "cancel page asks first" bash -c "[ $STATUS = 200 ] && grep -q '取り消しますか' '$JF_TMP/c.html'"
ccsrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$JF_TMP/c.html" | sed 's/.*value="//; s/"//')
STATUS=$(curl -s -o "$JF_TMP/c2.html" -w '%{http_code}' -b "$C" --data-urlencode "csrf=$ccsrf" "$PUB$cancel")
check "cancelled" bash -c "[ $STATUS = 200 ] && grep -q '取り消しました' '$JF_TMP/c2.html'"
check "registration cancelled, place freed" eq "$(sql "SELECT status FROM registrations WHERE id = $reg"):$(sql "SELECT registered_count FROM events WHERE id = $ev")" "cancelled:0"
STATUS=$(curl -s -o "$JF_TMP/c3.html" -w '%{http_code}' -b "$C" --data-urlencode "csrf=$ccsrf" "$PUB$cancel")
check "second use: already used" grep -q 'すでに使われています' "$JF_TMP/c3.html"
check "cancelled receipt has no QR" eq "$(curl -s -o /dev/null -w '%{http_code}' "$PUB$receipt/qr.png")" 404

# Full: capacity 3.
for n in イチ ニ サン; do apply "name=定員$n" "name_kana=テイイン$n" "age=30" "consent=yes"; done
check "three places taken" eq "$(sql "SELECT registered_count FROM events WHERE id = $ev")" 3
before=$(rows)
apply "name=定員ヨン" "name_kana=テイインヨン" "age=30" "consent=yes"
check "full event: 409 with 定員" bash -c "[ $STATUS = 409 ] && grep -q '定員に達した' <<<'$BODY'"
apply "name=定員イチ" "name_kana=テイインイチ" "age=30" "consent=yes"
check "a registered person on a full event: full too" eq "$STATUS" 409
check "full refusals left no row" eq "$(rows)" "$before"

# Past the deadline, and closed.
req PATCH "/api/v1/events/$ev" '{"capacity":100,"public_deadline":"2020-01-01T00:00:00+09:00"}'
apply "name=締切後" "name_kana=シメキリゴ" "age=30" "consent=yes"
check "past the deadline: 409, 受付は終了" bash -c "[ $STATUS = 409 ] && grep -q '受付は終了しました' <<<'$BODY'"
req PATCH "/api/v1/events/$ev" '{"public_deadline":null,"public_open":false}'
apply "name=閉鎖" "name_kana=ヘイサ" "age=30" "consent=yes"
check "closed to the public: 404" eq "$STATUS" 404
check "no row from either" eq "$(rows)" "$before"
req PATCH "/api/v1/events/$ev" '{"public_open":true}'

# The purpose statement: a new version per edit; a form with the old one
# is asked to agree again.
req PUT /api/v1/event-types/joint_interview_fair/purpose '{"body":"新しい利用目的の文です。"}'
check "purpose edited: version 2" eq "$STATUS:$(jbody .version)" "200:2"
apply "name=旧版" "name_kana=キュウハン" "age=30" "consent=yes"
check "old purpose version: 409, read again" bash -c "[ $STATUS = 409 ] && grep -q '利用目的が新しくなりました' <<<'$BODY'"
req GET /api/v1/purpose-statements
check "purpose list has the new version" eq "$(jbody '.items[] | select(.event_type == "joint_interview_fair") | .version')" 2
req PUT /api/v1/event-types/joint_interview_fair/purpose '{"body":"x"}' "$DESK"
check "desk may not edit the purpose: 403" eq "$STATUS" 403

# The public door serves only the public pages.
for p in /api/v1/events /api/v1/session /metrics /index.html /events.html /app.js; do
	STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$PUB$p")
	check "public door: $p is 404" eq "$STATUS" 404
done
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data '{"type":"joint_interview_fair"}' "$PUB/api/v1/events")
check "public door: a staff write is 404 before its body is read" eq "$STATUS" 404
check "…and nothing was created" eq "$(sql "SELECT count(*) FROM events")" 2
STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$PUB/apply/apply.css")
check "public door serves its style sheet" eq "$STATUS" 200
STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$JF_URL/apply")
check "the main address serves /apply too" eq "$STATUS" 200

# Applications take one database connection at a time (PUBLIC_RUNNING_MAX):
# while one waits on a lock, the next application, to another event, waits
# its turn behind it instead of taking a second connection.
sql "SELECT 1" >/dev/null
psql "$db" -qAt -c "BEGIN" -c "SELECT 1 FROM events WHERE id = $ev2 FOR UPDATE" -c "SELECT pg_sleep(3)" -c "COMMIT" >/dev/null &
locker=$!
for _ in $(seq 50); do [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND pid <> pg_backend_pid()")" = 1 ] && break; sleep 0.1; done
(curl -s -o /dev/null -b "$C" --data-urlencode "csrf=$csrf" --data-urlencode "purpose_id=$purpose" \
	--data-urlencode "name=待機" --data-urlencode "name_kana=タイキ" --data-urlencode "age=30" \
	--data-urlencode "consent=yes" "$PUB/apply/events/$ev2"; date +%s%N >"$JF_TMP/first.done") &
first=$!
for _ in $(seq 50); do [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%public_apply(%' AND wait_event_type = 'Lock'")" = 1 ] && break; sleep 0.1; done
apply "name=順番" "name_kana=ジュンバン" "age=30" "consent=yes"
date +%s%N >"$JF_TMP/second.done"
wait "$first" "$locker"
check "an application waits while another holds the public door's connection" \
	test "$(cat "$JF_TMP/second.done")" -ge "$(cat "$JF_TMP/first.done")"
check "…and is answered after it" bash -c "[ '$STATUS' != 503 ] && [ -n '$STATUS' ]"

# Size limits.
big=$(head -c 20000 /dev/zero | tr '\0' 'a')
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -b "$C" --data "name=$big" "$PUB/apply/events/$ev")
check "an oversized body: 413" eq "$STATUS" 413

# This server drew a 受付票: cairo and fontconfig keep caches to the end,
# which LeakSanitizer reports; any other report (or a leak of ours) fails.
stop_allowing_font_caches() {
	kill -TERM "$JF_PID"
	wait "$JF_PID"
	local rc=$?
	grep -qE 'ERROR: AddressSanitizer|runtime error' "$JF_LOG" && return 1
	if grep -q 'LeakSanitizer' "$JF_LOG"; then
		awk '/leak of/ {getline; getline; if ($0 !~ /lib(cairo|fontconfig|pango|harfbuzz|glib|gobject)/) bad = 1}
			END {exit bad}' "$JF_LOG" || { grep -A6 'leak of' "$JF_LOG" >&2; return 1; }
		return 0
	fi
	return $rc
}
check "server stops cleanly" stop_allowing_font_caches

# The rate limit, on a server with the default: 30 applications a minute
# from one address; the 31st gets a page saying when to retry.
start_with_door --no-migrate || exit 1
# A form drawn before the restart is still taken (another jobfaird
# behind nginx would take it too): its token is not this process's.
apply "name=再起動" "name_kana=サイキドウ" "consent=no"
check "a form drawn before a restart: its token still works (422, not 403)" eq "$STATUS" 422
curl -s -c "$C" -o "$JF_TMP/form.html" "$PUB/apply/events/$ev"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$JF_TMP/form.html" | head -1 | sed 's/.*value="//; s/"//')
purpose=$(grep -o 'name="purpose_id" value="[0-9]*"' "$JF_TMP/form.html" | sed 's/.*value="//; s/"//')
for i in $(seq 2 30); do apply "name=連続" "name_kana=レンゾク" "consent=no"; done
check "30 in a minute are answered (422 without consent)" eq "$STATUS" 422
before=$(rows)
apply "name=三十一" "name_kana=サンジュウイチ" "age=30" "consent=yes"
check "31st in a minute: 429" eq "$STATUS" 429
check "429 says when to retry" bash -c "grep -qi '^Retry-After: [0-9]' '$H' && grep -q '秒ほど待って' <<<'$BODY'"
check "429 left no row" eq "$(rows)" "$before"

check "server stops cleanly" jf_server_stop "$JF_PID"
done_testing
