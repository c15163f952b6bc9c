#!/usr/bin/env bash
# Job seekers' registrations: field validation, consent, birth date or
# age and the age band at the event's date in Japan, the same person
# twice (409), capacity under 30 concurrent registrations (no
# over-booking), closed events, cancellation, paging, audit rows, and
# nothing half-written when a registration is refused; batches (per-row
# answers as the single endpoint gives them, edge validation, limits,
# roles, a batch racing single registrations).
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
TOKEN=$(jf_user "$db" dave organizer)
sql() { psql "$db" -qAtc "$1"; }
dave=$(sql "SELECT id FROM users WHERE name = 'dave'")

# Half past midnight on 10 June in Japan is still 9 June in UTC: ages are
# taken at the Japanese date.
req POST /api/v1/events '{"type":"disability_interview_fair","title":"障がい者雇用合同面接会","starts_at":"2024-06-10T00:30:00+09:00","ends_at":"2024-06-10T16:00:00+09:00","organizer":"joint","status":"open"}'
fair=$(jbody .id)
R=/api/v1/events/$fair/registrations

req POST "$R" '{"name":"山田 太郎","name_kana":"やまだ　たろう","birth_date":"1989-06-10","phone":"０９０-１２３４-５６７８","email":"taro＠example.jp","categories":["disability","parenting"],"disability":{"handbook":"physical"},"accommodations":["wheelchair","supporter"],"accommodation_note":"車いすで来場します","supporters":1,"consent":true}'
check "register 201" eq "$STATUS" 201
taro=$(jbody .id)
check "kana stored in katakana" eq "$(jbody .name_kana)" "ヤマダ タロウ"
check "35 on the Japanese event date" eq "$(jbody .age_band)" 35_54
check "phone stored as digits" eq "$(jbody .phone)" 09012345678
check "disability handbook returned as an object" eq "$(jbody .disability.handbook)" physical
check "categories kept" eq "$(jbody '.categories | join(",")')" disability,parenting
check "accommodations kept" eq "$(jbody '.accommodations | join(",")')" wheelchair,supporter
check "supporters counted apart" eq "$(jbody .supporters)" 1
check "consent time recorded" test -n "$(jbody '.consent_at // empty')"
check "status registered" eq "$(jbody .status)" registered
check "check-in token made" bash -c "[[ '$(jbody .checkin_token)' =~ ^JF1-[A-Z2-7]{26}$ ]]"
check "search key: kana and phone" eq "$(sql "SELECT search_key FROM registrations WHERE id = $taro")" "ヤマダタロウ 09012345678"
check "person key: kana and birth date" eq "$(sql "SELECT person_key FROM registrations WHERE id = $taro")" "ヤマダタロウ|1989-06-10"
check "consent_at stored" eq "$(sql "SELECT consent_at IS NOT NULL FROM registrations WHERE id = $taro")" t
check "disability stored in disability_handbook" eq "$(sql "SELECT disability_handbook FROM registrations WHERE id = $taro")" physical
check "registration audited without personal data" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'create' AND object_type = 'registration' AND object_id = $taro AND user_id = $dave AND NOT detail::text LIKE '%山田%'")" 1
check "registered_count 1" eq "$(sql "SELECT registered_count FROM events WHERE id = $fair")" 1

# Age bands at the event's date.
band() {
	req POST "$R" "{\"name\":\"年齢\",\"name_kana\":\"ネンレイ $1\",$2,\"consent\":true}"
	echo "$STATUS:$(jbody .age_band)"
}
check "34 the day before turning 35: under_35" eq "$(band イチ '"birth_date":"1989-06-11"')" 201:under_35
check "age 54: 35_54" eq "$(band ニ '"age":54')" 201:35_54
check "age 55: 55_64" eq "$(band サン '"age":55')" 201:55_64
check "age 65: 65_plus" eq "$(band ヨン '"age":65')" 201:65_plus
check "no age given: no band" eq "$(band ゴ '"phone":"0831234567"')" 201:null

# Validation.
req POST "$R" '{"name":"同意なし","name_kana":"ドウイ","age":30}'
check "consent required" eq "$STATUS:$(jbody .error.fields.consent)" "422:is required"
req POST "$R" '{"name":"同意なし","name_kana":"ドウイ","age":30,"consent":false}'
check "consent false refused on consent" eq "$STATUS:$(jbody '.error.fields.consent != null')" 422:true
req POST "$R" '{"name":"両方","name_kana":"リョウホウ","age":30,"birth_date":"1994-01-01","consent":true}'
check "birth date and age both: 422" eq "$STATUS:$(jbody '.error.fields.age != null')" 422:true
req POST "$R" '{"name":"若い","name_kana":"ワカイ","birth_date":"2015-01-01","consent":true}'
check "a birth date making a child: 422" eq "$STATUS:$(jbody '.error.fields.birth_date != null')" 422:true
req POST "$R" '{"name":"Taro","name_kana":"Yamada","age":14,"birth_date":"1990-02-30","phone":"12345","email":"a@b","categories":["youth","vip"],"disability":{"handbook":"blue"},"accommodations":"sign_language;lasers","supporters":11,"status":"maybe","consent":"yes","hobby":"golf"}'
check "every field problem reported at once (422)" eq "$STATUS" 422
for f in name_kana age birth_date phone email categories disability.handbook accommodations supporters status consent hobby; do
	check "field $f named" test -n "$(jbody ".error.fields[\"$f\"] // empty")"
done
req POST "$R" '{"name":"手帳","name_kana":"テチョウ","age":30,"consent":true,"disability":"physical"}'
check "disability must be an object" eq "$STATUS:$(jbody .error.fields.disability)" "422:must be an object"
req POST "$R" '{"name":"手帳","name_kana":"テチョウ","age":30,"consent":true,"disability":{"handbook":"none","grade":"1"}}'
check "unknown disability field named" eq "$STATUS:$(jbody '.error.fields["disability.grade"]')" "422:is not a known field"
req POST "$R" '{"name":"ＣＳＶ","name_kana":"シーエスブイ","age":"40","consent":"true","categories":"senior; welfare","accommodations":"captioning;rest_breaks"}'
check "CSV-style values accepted" eq "$STATUS:$(jbody '.categories | join(",")'):$(jbody '.accommodations | join(",")'):$(jbody .age)" "201:senior,welfare:captioning,rest_breaks:40"
req POST "$R" '{"name":"重複","name_kana":"チョウフク","age":30,"consent":true,"categories":["youth","senior","youth","youth"]}'
check "a category listed twice: 422 naming its place" eq "$STATUS:$(jbody '.error.fields["categories[2]"]')" "422:is listed twice"
req POST "$R" '{"name":"重複","name_kana":"チョウフク","age":30,"consent":true,"accommodations":"wheelchair; wheelchair"}'
check "an accommodation listed twice in a CSV-style cell: 422" eq "$STATUS:$(jbody '.error.fields["accommodations[1]"]')" "422:is listed twice"
check "nothing stored by refused registrations" eq "$(sql "SELECT count(*) FROM registrations WHERE event_id = $fair")" 7

# The same person twice: kana without spaces plus birth date, else phone,
# else e-mail, else name.
req POST "$R" '{"name":"山田太郎","name_kana":"ヤマダタロウ","birth_date":"1989-06-10","consent":true}'
check "same kana and birth date: 409" eq "$STATUS" 409
check "duplicate named on name_kana" test -n "$(jbody '.error.fields.name_kana // empty')"
req POST "$R" '{"name":"山田太郎","name_kana":"ヤマダ タロウ","birth_date":"1970-01-01","consent":true}'
check "same kana, other birth date: another person" eq "$STATUS" 201
other_taro=$(jbody .id)
req POST "$R" '{"name":"年齢","name_kana":"ネンレイゴ","phone":"083-123-4567","consent":true}'
check "same kana and phone: 409" eq "$STATUS" 409
req POST "$R" '{"name":"電話","name_kana":"デンワ","email":"x@example.jp","consent":true}'
req POST "$R" '{"name":"電話2","name_kana":"デンワ","email":"X@EXAMPLE.JP","consent":false}'
check "consent checked before the duplicate" eq "$STATUS" 422
count_before=$(sql "SELECT registered_count FROM events WHERE id = $fair")
req POST "$R" '{"name":"電話","name_kana":"デンワ","email":"x@example.jp","consent":true}'
check "same kana and e-mail: 409" eq "$STATUS" 409
check "a 409 leaves the count alone" eq "$(sql "SELECT registered_count FROM events WHERE id = $fair")" "$count_before"

# Cancelling frees the place and the person may register again.
req POST "/api/v1/registrations/$other_taro/cancel"
check "cancel 200" eq "$STATUS:$(jbody .status)" 200:cancelled
check "cancelled_at set" test -n "$(jbody '.cancelled_at // empty')"
check "cancel lowers the count" eq "$(sql "SELECT registered_count FROM events WHERE id = $fair")" $((count_before - 1))
check "cancel audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'cancel' AND object_id = $other_taro AND user_id = $dave")" 1
req POST "/api/v1/registrations/$other_taro/cancel"
check "cancel twice: 409" eq "$STATUS" 409
req POST /api/v1/registrations/999999/cancel
check "cancel a missing registration: 404" eq "$STATUS" 404
req POST "$R" '{"name":"山田太郎","name_kana":"ヤマダ タロウ","birth_date":"1970-01-01","consent":true}'
check "re-register after cancelling" eq "$STATUS" 201

# Reads are audited with the reader and the ids shown.
reads=$(sql "SELECT count(*) FROM audit_log WHERE action = 'read' AND object_id = $taro AND user_id = $dave")
req GET "/api/v1/registrations/$taro"
check "show registration" eq "$STATUS:$(jbody .name)" "200:山田 太郎"
check "show audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'read' AND object_id = $taro AND user_id = $dave")" $((reads + 1))
req GET "$R?limit=3"
check "list page of 3" eq "$(jbody '.items | length')" 3
page1=$(jbody '[.items[].id] | join(",")')
check "list audited with the ids shown" eq "$(sql "SELECT detail->'ids' FROM audit_log WHERE action = 'list' AND object_id = $fair AND user_id = $dave ORDER BY id DESC LIMIT 1")" "[${page1//,/, }]"
req GET "$R?limit=3&after=$(jbody .next)"
check "second page follows the first" test "$(jbody '.items[0].id')" -gt "${page1##*,}"
req GET "$R?status=cancelled"
check "filter by status" eq "$(jbody '[.items[].id] | join(",")')" "$other_taro"
req GET "$R?limit=1000"
check "limit over 500 refused" eq "$STATUS:$(jbody '.error.fields.limit != null')" 422:true
req GET /api/v1/events/999999/registrations
check "list of a missing event 404" eq "$STATUS" 404
req GET /api/v1/registrations/abc
check "registration id abc 404" eq "$STATUS" 404

# A closed event takes no registrations.
req PATCH "/api/v1/events/$fair" '{"status":"closed"}'
req POST "$R" '{"name":"遅刻","name_kana":"チコク","age":30,"consent":true}'
check "closed event: 409" eq "$STATUS" 409
req POST /api/v1/events/999999/registrations '{"name":"迷子","name_kana":"マイゴ","age":30,"consent":true}'
check "missing event: 404" eq "$STATUS" 404

# Capacity under load: 30 people at once for 10 places.
req POST /api/v1/events '{"type":"childcare_mini_interview","title":"保育ミニ面接会","starts_at":"2024-11-20T10:00:00+09:00","ends_at":"2024-11-20T12:00:00+09:00","organizer":"city","capacity":10,"status":"open"}'
small=$(jbody .id)
audits=$(sql 'SELECT count(*) FROM audit_log')
kana=(ア イ ウ エ オ カ キ ク ケ コ サ シ ス セ ソ タ チ ツ テ ト ナ ニ ヌ ネ ノ ハ ヒ フ ヘ ホ)
clients=()
for i in $(seq 0 29); do
	curl -s -o "$JF_TMP/cap$i.json" -w '%{http_code}' --max-time 30 \
		-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		--data-binary "{\"name\":\"同時\",\"name_kana\":\"ドウジ ${kana[$i]}\",\"age\":40,\"consent\":true}" \
		"$JF_URL/api/v1/events/$small/registrations" >"$JF_TMP/cap$i.status" &
	clients+=($!)
done
wait "${clients[@]}"
ok=$(cat "$JF_TMP"/cap*.status | grep -o 201 | wc -l)
full=$(cat "$JF_TMP"/cap*.status | grep -o 409 | wc -l)
check "exactly 10 of 30 registered (201 × $ok)" eq "$ok" 10
check "the other 20 refused (409 × $full)" eq "$full" 20
check "registered_count = 10" eq "$(sql "SELECT registered_count FROM events WHERE id = $small")" 10
check "10 rows, no over-booking" eq "$(sql "SELECT count(*) FROM registrations WHERE event_id = $small")" 10
check "refusals say the event is full" eq "$(cat "$JF_TMP"/cap*.json | jq -r 'select(.error) | .error.fields.capacity' | sort -u)" "the event is full"
check "10 audit rows, none for the refused" eq "$(sql 'SELECT count(*) FROM audit_log') " "$((audits + 10)) "
req GET "/api/v1/events/$small"
check "the event shows 10 registered" eq "$(jbody .registered_count)" 10

# Batches, as CSV imports send them: each row judged as the single
# endpoint judges it, in order, a refused row rolled back alone.
DESK=$(jf_user "$db" erin frontdesk)
req POST /api/v1/events '{"type":"childcare_mini_interview","title":"保育ミニ面接会 一括","starts_at":"2024-12-04T10:00:00+09:00","ends_at":"2024-12-04T12:00:00+09:00","organizer":"city","capacity":4,"status":"open"}'
bev=$(jbody .id)
B=/api/v1/events/$bev/registrations
req POST "$B" '{"name":"先客","name_kana":"センキャク","age":30,"consent":true}'
audits=$(sql 'SELECT count(*) FROM audit_log')
rows='[{"name":"一番","name_kana":"いちばん","age":30,"consent":true},
	{"name":"先客","name_kana":"センキャク","age":30,"consent":true},
	{"name":"二番","name_kana":"ニバン","age":30,"birth_date":"1990-01-01","consent":true},
	{"name":"二番","name_kana":"ニバン","birth_date":"1990-01-01","consent":true},
	{"name":"二番","name_kana":"ニ バン","birth_date":"1990-01-01","consent":true},
	{"name":"取消","name_kana":"トリケシ","age":40,"consent":true,"status":"cancelled"},
	{"name":"三番","name_kana":"サンバン","age":50,"consent":true},
	{"name":"四番","name_kana":"ヨンバン","age":60,"consent":true}]'
req POST "$B/batch" "{\"registrations\":$rows}" "$DESK"
check "batch: frontdesk 403" eq "$STATUS" 403
req POST "$B/batch" "{\"registrations\":$rows}"
check "batch answers 200" eq "$STATUS" 200
check "a status per row, in order" eq "$(jbody '[.results[] | "\(.index):\(.status)"] | join(",")')" "0:201,1:409,2:422,3:201,4:409,5:201,6:201,7:409"
check "created 4, refused 4" eq "$(jbody '"\(.created)/\(.refused)"')" 4/4
check "created rows normalised and tokened" eq "$(jbody '.results[0].registration | "\(.name_kana):\(.checkin_token | test("^JF1-[A-Z2-7]{26}$"))"')" "イチバン:true"
check "a token each, all different" eq "$(jbody '[.results[].registration.checkin_token // empty] | unique | length')" 4
check "duplicate of an earlier registration named" eq "$(jbody '.results[1].error | "\(.code):\(.fields.name_kana)"')" "conflict:this person is already registered for the event"
check "duplicate within the batch refused" eq "$(jbody '.results[4].error.fields.name_kana')" "this person is already registered for the event"
check "birth date and age both: 422 on age" eq "$(jbody '.results[2].error | "\(.code):\(.fields.age)"')" "validation_failed:give birth_date or age, not both"
check "the first rows had the places" eq "$(jbody '.results[7].error | "\(.message):\(.fields.capacity)"')" "the event is full:the event is full"
check "a cancelled row takes no place" eq "$(jbody '.results[5].registration.status')" cancelled
batch_reply=$BODY
check "5 rows, refused ones rolled back" eq "$(sql "SELECT count(*) FROM registrations WHERE event_id = $bev")" 5
check "registered_count 4 = capacity" eq "$(sql "SELECT registered_count FROM events WHERE id = $bev")" 4
check "an audit row per created row, none for the refused" eq "$(sql 'SELECT count(*) FROM audit_log')" "$((audits + 4))"
ids=$(jbody '[.results[].registration.id // empty] | join(",")')
check "audit rows name the created registrations, not the person" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'create' AND object_type = 'registration' AND user_id = $dave AND object_id IN ($ids) AND detail->>'event_id' = '$bev' AND NOT detail::text LIKE '%番%'")" 4
# The single endpoint answers each refused row the same way.
for i in 1 2 7; do
	req POST "$B" "$(jq -c ".[$i]" <<<"$rows")"
	check "row $i: the single endpoint's answer ($STATUS)" eq "$STATUS:$(jq -cS .error <<<"$BODY")" \
		"$(jq -r ".results[$i].status" <<<"$batch_reply"):$(jq -cS ".results[$i].error" <<<"$batch_reply")"
done

# Checked at the edge, item by item: a bad item is refused alone, with
# every problem it has; the others are written.
req POST /api/v1/events '{"type":"childcare_mini_interview","title":"保育ミニ面接会 一行ずつ","starts_at":"2024-12-06T10:00:00+09:00","ends_at":"2024-12-06T12:00:00+09:00","organizer":"city","capacity":10,"status":"open"}'
req POST "/api/v1/events/$(jbody .id)/registrations/batch" '{"registrations":[{"name":"甲","name_kana":"コウ","age":30,"consent":true},{"name":"乙","name_kana":"オツ","age":30,"consent":true},{"name":"丙","name_kana":"Hei","age":300,"consent":true}]}'
check "a bad item: refused alone, 422 naming it" eq "$STATUS:$(jbody '[.created, .refused, .results[2].status, .results[2].error.fields.name_kana] | join(":")')" "200:2:1:422:must be katakana or hiragana"
check "every problem of the item named" eq "$(jbody '.results[2].error.fields.age')" "is out of range"
regs=$(sql 'SELECT count(*) FROM registrations')
audits=$(sql 'SELECT count(*) FROM audit_log')
req POST "$B/batch" "$(jq -nc '{registrations: [range(1001) | {name: "多数", name_kana: "タスウ", age: 30, consent: true}]}')"
check "1001 items: 422" eq "$STATUS:$(jbody .error.fields.registrations)" "422:must hold 1 to 1000 registrations"
req POST "$B/batch" '{"registrations":[]}'
check "no items: 422" eq "$STATUS" 422
req POST "$B/batch" '{"registrations":{"name":"甲"}}'
check "not a list: 422" eq "$STATUS" 422
head -c 2200000 /dev/zero | tr '\0' ' ' >"$JF_TMP/big.json"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" --data-binary @"$JF_TMP/big.json" "$JF_URL$B/batch")
check "over 2 MiB: 413" eq "$STATUS" 413
req POST /api/v1/events/999999/registrations/batch '{"registrations":[{"name":"迷子","name_kana":"マイゴ","age":30,"consent":true}]}'
check "missing event: 404" eq "$STATUS" 404
req POST "/api/v1/events/$fair/registrations/batch" '{"registrations":[{"name":"遅刻","name_kana":"チコク","age":30,"consent":true}]}'
check "closed event: 409 for the batch" eq "$STATUS:$(jbody .error.message)" "409:the event is closed for registration"
check "nothing written by refused batches" eq "$(sql 'SELECT count(*) FROM registrations'):$(sql 'SELECT count(*) FROM audit_log')" "$regs:$audits"

# A full batch of 1,000, and the count the single endpoint then sees.
req POST /api/v1/events '{"type":"joint_interview_fair","title":"合同就職面接会 一括","starts_at":"2025-01-20T10:00:00+09:00","ends_at":"2025-01-20T16:00:00+09:00","organizer":"joint","capacity":1001,"status":"open"}'
big=$(jbody .id)
req POST "/api/v1/events/$big/registrations/batch" "$(jq -nc '{registrations: [range(1000) | {name: "多数", name_kana: "タスウ", phone: "090\(10000000 + .)", consent: true}]}')"
check "1000 items: all created" eq "$STATUS:$(jbody .created)" 200:1000
check "registered_count 1000" eq "$(sql "SELECT registered_count FROM events WHERE id = $big")" 1000
req POST "/api/v1/events/$big/registrations" '{"name":"最後","name_kana":"サイゴ","age":30,"consent":true}'
check "the last place taken singly" eq "$STATUS" 201
req POST "/api/v1/events/$big/registrations" '{"name":"満員","name_kana":"マンイン","age":30,"consent":true}'
check "then the event is full" eq "$STATUS:$(jbody .error.fields.capacity)" "409:the event is full"

# A batch moves the event's live numbers: the server announces it
# (NOTIFY, as for a single registration) and the streams follow.
curl -sN -H "Authorization: Bearer $TOKEN" "$JF_URL/api/v1/events/$bev/stats/stream" >"$JF_TMP/live.sse" 2>/dev/null &
live=$!
# live_registered N: until the stream's latest numbers say N, at most 5 s.
live_registered() {
	local i
	for i in $(seq 1 50); do
		[ "$(grep '^data: ' "$JF_TMP/live.sse" | tail -n 1 | cut -c7- | jq -r .registered)" = "$1" ] && return 0
		sleep 0.1
	done
	cat "$JF_TMP/live.sse" >&2
	return 1
}
check "stream: 4 registered" live_registered 4
req PATCH "/api/v1/events/$bev" '{"capacity":6}'
psql "$db" -qAt -c 'LISTEN jobfair_checkins' -c 'SELECT pg_sleep(2)' >"$JF_TMP/notify.out" 2>&1 &
listener=$!
for i in $(seq 1 50); do
	[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(2)'")" = 1 ] && break
	sleep 0.1
done
req POST "$B/batch" '{"registrations":[{"name":"五番","name_kana":"ゴバン","age":30,"consent":true},{"name":"六番","name_kana":"ロクバン","age":30,"consent":true}]}'
check "two more places taken" eq "$STATUS:$(jbody .created)" 200:2
wait "$listener"
check "the batch announced" grep -q "notification \"jobfair_checkins\" with payload \"$bev\"" "$JF_TMP/notify.out"
check "stream: 6 registered" live_registered 6
kill "$live"
wait "$live" 2>/dev/null

# A batch and single registrations at once: no over-booking.
req POST /api/v1/events '{"type":"childcare_mini_interview","title":"保育ミニ面接会 同時","starts_at":"2024-12-05T10:00:00+09:00","ends_at":"2024-12-05T12:00:00+09:00","organizer":"city","capacity":30,"status":"open"}'
race=$(jbody .id)
jq -nc '{registrations: [range(40) | {name: "一括", name_kana: "イッカツ", phone: "080\(10000000 + .)", consent: true}]}' >"$JF_TMP/race.json"
curl -s -o "$JF_TMP/race-batch.json" --max-time 30 -H "Authorization: Bearer $TOKEN" \
	--data-binary @"$JF_TMP/race.json" "$JF_URL/api/v1/events/$race/registrations/batch" &
clients=($!)
for i in $(seq 0 9); do
	curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $TOKEN" \
		--data-binary "{\"name\":\"単独\",\"name_kana\":\"タンドク ${kana[$i]}\",\"age\":40,\"consent\":true}" \
		"$JF_URL/api/v1/events/$race/registrations" >"$JF_TMP/race$i.status" &
	clients+=($!)
done
wait "${clients[@]}"
singles=$(cat "$JF_TMP"/race?.status | grep -o 201 | wc -l)
check "batch and singles fill exactly 30 places" eq "$(($(jq .created "$JF_TMP/race-batch.json") + singles))" 30
check "30 registered rows, count 30" eq "$(sql "SELECT count(*) FROM registrations WHERE event_id = $race AND status = 'registered'"):$(sql "SELECT registered_count FROM events WHERE id = $race")" 30:30

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
