#!/usr/bin/env bash
# A booth's queue (面談の待ち): a scan puts a job seeker in the queue once
# (a second scan, a retry, a twin: still once), places are numbered, 次へ
# calls the first, 面談済み records the interview, 不在 frees the place;
# a seeker waits in several queues but is called at one booth at a time;
# 20 concurrent 次へ call 20 different people (or say the queue is
# empty); retries with one nonce never act twice; roles, 422 on bad
# input, and the queue lengths in the stats.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ORG=$(jf_user "$db" olivia organizer)
DESK=$(jf_user "$db" dan frontdesk)
VIEWER=$(jf_user "$db" vera viewer)
TOKEN=$DESK
sql() { psql "$db" -qAtc "$1"; }
tok() { echo "JF1-$(printf '%026d' "$1" | tr '0-9' 'A-HJK')"; }
# Waits for the requests sent in the background (not for jobfaird).
waitall() { local p; for p in "${bg[@]}"; do wait "$p"; done; bg=(); }
bg=()

# Event 1 with booths of companies 1 (A-1), 2 (A-2) and 3 (cancelled);
# 40 job seekers (1..40), 41 cancelled; event 2 has seeker 42.
{
	cat <<SQL
INSERT INTO events (id, type, title, starts_at, ends_at, organizer) VALUES
  (1, 'joint_interview_fair', '合同就職面接会', now(), now() + interval '4 hours', 'joint'),
  (2, 'senior_company_meeting', '企業面談会', now(), now() + interval '2 hours', 'city');
INSERT INTO companies (id, name, name_kana) VALUES
  (1, '株式会社山口', 'ヤマグチ'), (2, '湯田温泉株式会社', 'ユダオンセン'), (3, 'さくら保育園', 'サクラ');
INSERT INTO participations (event_id, company_id, status, booth) VALUES
  (1, 1, 'confirmed', 'A-1'), (1, 2, 'confirmed', 'A-2'), (1, 3, 'cancelled', NULL);
SQL
	for i in $(seq 1 42); do
		status=registered event=1
		[ "$i" -eq 41 ] && status=cancelled
		[ "$i" -eq 42 ] && event=2
		echo "INSERT INTO registrations (id, event_id, name, name_kana, consent_at, status, checkin_token, disability_handbook)
		      VALUES ($i, $event, '求職者$i', 'キュウショクシャ', now(), '$status', '$(tok "$i")', 'physical');"
	done
} | psql "$db" -q -v ON_ERROR_STOP=1 >/dev/null || exit 1
Q=/api/v1/events/1/companies/1/queue

enqueue() { req POST "$Q" "{\"token\":\"$(tok "$1")\",\"nonce\":\"$2\"}"; }

# Scan, duplicate scan, retry.
enqueue 1 scan-0001
check "scan queues (200 queued)" eq "$STATUS:$(jbody .result):$(jbody .entry.place):$(jbody .booth.waiting)" 200:queued:1:1
e1=$(jbody .entry.id)
check "the booth sees name and kana, never the 手帳" eq "$(jbody '[.entry.name, .entry.name_kana, ([.. | objects | has("disability_handbook")] | any)] | map(tostring) | join(",")')" "求職者1,キュウショクシャ,false"
req POST "$Q" "{\"token\":\" $(tok 1 | tr 'A-Z' 'a-z')\\n\",\"nonce\":\"scan-0002\"}"
check "a second scan (as a scanner typed it): already_queued, same entry" eq "$(jbody .result):$(jbody .entry.id)" "already_queued:$e1"
enqueue 1 scan-0001
check "a retry with the same nonce: the first answer" eq "$(jbody .result):$(jbody .entry.id)" "queued:$e1"
check "one entry, one audit row" eq "$(sql "SELECT count(*) FROM queue_entries"):$(sql "SELECT count(*) FROM audit_log WHERE action = 'enqueue'")" 1:1
for i in 2 3 4; do enqueue "$i" "scan-000$((i + 1))x"; done
check "places numbered in order" eq "$(jbody .entry.place):$(jbody .booth.waiting)" 4:4
req POST "$Q" "{\"registration_id\":5,\"nonce\":\"scan-reg5\"}"
check "by registration id too" eq "$(jbody .result):$(jbody .entry.place)" queued:5

# Twins: the same person scanned at once with different nonces, and one
# nonce sent five times at once: one entry either way.
for n in 1 2 3 4 5; do enqueue 6 "twin-6-$n" & bg+=($!); done
for n in 1 2 3 4 5; do enqueue 7 "retry-7-same" & bg+=($!); done
waitall
check "twins and concurrent retries: one entry each" eq "$(sql "SELECT count(*) FILTER (WHERE registration_id = 6) || ':' || count(*) FILTER (WHERE registration_id = 7) FROM queue_entries")" 1:1

# Refusals, each naming the field; nothing written.
before=$(sql "SELECT count(*) FROM queue_entries")
enqueue 41 scan-can1
check "cancelled registration 409" eq "$STATUS:$(jbody .error.fields.token)" "409:registration is cancelled"
enqueue 42 scan-oth1
check "another event's seeker 409" eq "$STATUS:$(jbody .error.fields.token)" "409:is registered for another event"
req POST "$Q" '{"token":"HELLO","nonce":"scan-bad1"}'
check "not a token 422" eq "$STATUS:$(jbody .error.fields.token)" "422:is not a check-in token"
req POST "$Q" '{"nonce":"short"}'
check "no seeker and a short nonce: both named (422)" eq "$STATUS:$(jbody .error.fields.registration_id):$(jbody .error.fields.nonce)" "422:give registration_id or token:must be at least 8 characters"
req POST "$Q" "{\"token\":\"$(tok 8)\"}"
check "no nonce 422" eq "$STATUS:$(jbody .error.fields.nonce)" "422:is required"
req POST "$Q" "{\"token\":\"$(tok 8)\",\"nonce\":\"scan-0001\"}"
check "a nonce reused for another person 409" eq "$STATUS:$(jbody .error.fields.nonce)" "409:nonce was used for another request"
req POST /api/v1/events/1/companies/3/queue "{\"token\":\"$(tok 8)\",\"nonce\":\"scan-cb01\"}"
check "cancelled booth 409" eq "$STATUS" 409
req POST /api/v1/events/1/companies/99/queue "{\"token\":\"$(tok 8)\",\"nonce\":\"scan-nb01\"}"
check "no booth 404" eq "$STATUS" 404
req POST "$Q/next" '{"nonce":"x"}'
check "次へ with a short nonce 422" eq "$STATUS:$(jbody .error.fields.nonce)" "422:must be at least 8 characters"
req POST "$Q/next" '{"nonce":"next-000x","extra":1}'
check "an unknown field 422" eq "$STATUS" 422
check "nothing written by refusals" eq "$(sql "SELECT count(*) FROM queue_entries")" "$before"

# Roles.
req POST "$Q" "{\"token\":\"$(tok 8)\",\"nonce\":\"scan-v001\"}" "$VIEWER"
check "viewer may not queue (403)" eq "$STATUS" 403
req POST "$Q/next" '{"nonce":"next-v001"}' "$VIEWER"
check "viewer may not call (403)" eq "$STATUS" 403
req GET "$Q" "" "$VIEWER"
check "viewer may not read the queue (403)" eq "$STATUS" 403
req GET "$Q" "" "$ORG"
check "organizer reads the queue" eq "$STATUS:$(jbody '.items | length'):$(jbody '.items[0].place')" 200:7:1
check "the read is audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'list' AND object_type = 'booth_queue'")" 1

# The stats: queue lengths per booth, no person.
req GET /api/v1/events/1/stats "" "$VIEWER"
check "stats: waiting per booth (viewer)" eq "$(jbody '[.queues[] | "\(.booth) \(.company_name) \(.waiting)"] | join(",")')" "A-1 株式会社山口 7,A-2 湯田温泉株式会社 0"
check "stats: the company, its booth and the count only" eq "$(jbody '[.queues[] | keys | join("/")] | unique | join(",")')" "booth/company_id/company_name/waiting"

# 次へ, its retry, 面談済み, 不在.
req POST "$Q/next" '{"nonce":"next-0001"}'
check "次へ calls the first (with name)" eq "$(jbody .result):$(jbody .entry.id):$(jbody .entry.state):$(jbody .entry.name):$(jbody .booth.waiting)" "called:$e1:called:求職者1:6"
req POST "$Q/next" '{"nonce":"next-0001"}'
check "a retry of 次へ calls no one else" eq "$(jbody .result):$(jbody .entry.id):$(jbody .booth.waiting)" "called:$e1:6"
enqueue 2 scan-0003x
check "a waiting person's place moved up" eq "$(jbody .entry.place)" 1
req POST "$Q/$e1/done" '{"nonce":"done-0001"}'
check "面談済み records the interview" eq "$(jbody .result):$(jbody .entry.state):$(jbody .booth.interviews)" "done:done:1"
check "one interview of seeker 1 at company 1" eq "$(sql "SELECT count(*) FROM interviews WHERE registration_id = 1 AND company_id = 1"):$(sql "SELECT interview_id IS NOT NULL FROM queue_entries WHERE id = $e1")" 1:t
req POST "$Q/$e1/done" '{"nonce":"done-0001"}'
check "a retry of 面談済み: the same answer" eq "$(jbody .result):$(jbody .booth.interviews)" done:1
req POST "$Q/$e1/done" '{"nonce":"done-0002"}'
check "面談済み pressed twice: already_done, still one interview" eq "$(jbody .result):$(sql "SELECT count(*) FROM interviews")" already_done:1
enqueue 1 scan-again1
check "scanned again after the interview: interviewed, not queued" eq "$(jbody .result):$(jbody .entry)" "interviewed:null"
req POST "$Q/next" '{"nonce":"next-0002"}'
e2=$(jbody .entry.id)
req POST "$Q/$e2/absent" '{"nonce":"absn-0001"}'
check "不在 frees the place" eq "$(jbody .result):$(jbody .entry.state):$(jbody .booth.called)" absent:absent:0
req POST "$Q/$e2/absent" '{"nonce":"absn-0001"}'
check "a retry of 不在: the same" eq "$(jbody .result)" absent
req POST "$Q/$e1/absent" '{"nonce":"absn-0002"}'
check "不在 after 面談済み stays interviewed" eq "$(jbody .result):$(jbody .entry.state)" already_done:done
req POST "$Q/$e2/done" '{"nonce":"absn-0001"}'
check "a 不在 nonce reused for 面談済み 409" eq "$STATUS" 409
enqueue 2 scan-back2
check "absent, back again: queued at the end" eq "$(jbody .result):$(jbody .entry.place)" "queued:$(jbody .booth.waiting)"
req POST /api/v1/events/1/companies/2/queue/$e2/done '{"nonce":"done-xb01"}'
check "an entry of another booth 404" eq "$STATUS" 404

# Several queues: seeker 3 waits at booths 1 and 2, and is told so; once
# called at booth 2, booth 1's 次へ passes them by (they keep the place).
Q2=/api/v1/events/1/companies/2/queue
req POST "$Q2" "{\"token\":\"$(tok 3)\",\"nonce\":\"b2-scan-3\"}"
check "a second queue: queued, the first one named" eq "$(jbody .result):$(jbody '.elsewhere[0].booth'):$(jbody '.elsewhere[0].place')" "queued:A-1:1"
req POST "$Q2/next" '{"nonce":"b2-next-1"}'
check "called at booth 2" eq "$(jbody .entry.registration_id)" 3
req POST "$Q/next" '{"nonce":"next-0003"}'
check "booth 1 calls the next one, not the person busy at booth 2" eq "$(jbody .result):$(jbody .entry.registration_id)" called:4
req GET "$Q" "" "$ORG"
check "seeker 3 keeps first place at booth 1" eq "$(jbody '[.items[] | select(.state == "waiting")][0].registration_id')" 3

# 20 concurrent 次へ at booth 2 with 15 waiting: 15 different people
# called and 5 "empty"; each nonce sent twice at once acts once.
for i in $(seq 10 24); do
	req POST "$Q2" "{\"registration_id\":$i,\"nonce\":\"b2-scan-$i\"}"
done
sql "UPDATE queue_entries SET state = 'done', finished_at = now(), interview_id = (SELECT min(id) FROM interviews) WHERE participation_id = (SELECT id FROM participations WHERE company_id = 2) AND state = 'called'" >/dev/null
for i in $(seq 1 20); do
	for twin in a b; do
		curl -s -X POST -H "Authorization: Bearer $DESK" -H 'Content-Type: application/json' \
			--data-binary "{\"nonce\":\"race-next-$i\"}" "$JF_URL$Q2/next" >"$JF_TMP/race-$i-$twin" &
		bg+=($!)
	done
done
waitall
called=$(cat "$JF_TMP"/race-*-a | jq -r 'select(.result == "called") | .entry.registration_id' | sort -n)
check "20 concurrent 次へ: 15 called" eq "$(wc -l <<<"$called")" 15
check "… all different" eq "$(sort -u <<<"$called" | wc -l)" 15
check "… the 15 who waited" eq "$(tr '\n' ' ' <<<"$called")" "$(seq -s ' ' 10 24) "
check "… and 5 told the queue is empty" eq "$(cat "$JF_TMP"/race-*-a | jq -r 'select(.result == "empty") | .result' | wc -l)" 5
same=0
for i in $(seq 1 20); do
	[ "$(jq -c '[.result, .entry.id]' "$JF_TMP/race-$i-a")" = "$(jq -c '[.result, .entry.id]' "$JF_TMP/race-$i-b")" ] && same=$((same + 1))
done
check "each nonce's twin got the same answer" eq "$same" 20
check "the database agrees: 15 called, none waiting" eq "$(sql "SELECT count(*) FILTER (WHERE state = 'called') || ':' || count(*) FILTER (WHERE state = 'waiting') FROM queue_entries q JOIN participations p ON p.id = q.participation_id WHERE p.company_id = 2")" 15:0
check "one call per called person in the audit log" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'call' AND object_id IN (SELECT q.id FROM queue_entries q JOIN participations p ON p.id = q.participation_id WHERE p.company_id = 2 AND q.registration_id BETWEEN 10 AND 24)")" 15

req POST "$Q/next" '{"nonce":"next-0004"}' "$ORG"
check "an organizer calls too" eq "$STATUS:$(jbody .result)" 200:called

# The CLI: jobfair queue show|next EVENT COMPANY.
cli() { JOBFAIR_SERVER=$JF_URL JOBFAIR_TOKEN=${CLI_TOKEN:-$DESK} "$JF_CLI" "$@" >"$JF_TMP/out" 2>"$JF_TMP/err"; }
cli queue show 1 1
check "queue show: exit 0" eq $? 0
check "queue show: the figures" grep -q '^A-1 株式会社山口: 4 waiting, 2 called, 1 interviews' "$JF_TMP/err"
check "queue show: the called, then the waiting in order" eq "$(awk 'NR > 1 {print $1, $2}' "$JF_TMP/out" | tr '\n' ',')" "呼び出し中 求職者3,呼び出し中 求職者4,1 待ち,2 待ち,3 待ち,4 待ち,"
# (6 and 7 were queued at the same moment: either order.)
check "… with their names" eq "$(awk 'NR > 3 {print $3}' "$JF_TMP/out" | sed -n '1p;4p' | tr '\n' ','):$(awk 'NR > 3 {print $3}' "$JF_TMP/out" | sed -n '2,3p' | sort | tr '\n' ',')" "求職者5,求職者2,:求職者6,求職者7,"
cli queue next 1 1
check "queue next: calls the first waiting" eq "$?:$(cat "$JF_TMP/out")" "0:CALL  求職者5 (キュウショクシャ)"
cli queue next 1 2
check "queue next on an empty queue: EMPTY" grep -q '^EMPTY' "$JF_TMP/out"
CLI_TOKEN=$VIEWER cli queue next 1 1
check "queue next as a viewer: refused" test $? -ne 0
cli queue next 1
check "queue next without COMPANY: usage" test $? -ne 0
# A booth's access link (links.h): its own booth's queue, nothing else;
# audited under the link; revoked, refused.
req POST /api/v1/events/1/links '{"kind":"booth","company_id":1,"label":"A-1 タブレット"}' "$ORG"
check "an organizer makes a booth link" eq "$STATUS" 201
LINK=$(jbody .secret) LINK_ID=$(jbody .id)
req GET "$Q" "" "$LINK"
check "the booth link reads its queue" eq "$STATUS:$(jbody .booth.company_id)" 200:1
req POST "$Q" '{"registration_id":31,"nonce":"link-scan-31"}' "$LINK"
check "… not by a typed registration id (403: no names by counting)" eq "$STATUS:$(jbody .entry.name)" 403:null
check "  nothing queued" eq "$(sql "SELECT count(*) FROM queue_entries WHERE registration_id = 31")" 0
req POST "$Q" "{\"token\":\"$(sql "SELECT checkin_token FROM registrations WHERE id = 30")\",\"nonce\":\"link-scan-30\"}" "$LINK"
check "… queues a scan" eq "$STATUS:$(jbody .result)" 200:queued
check "… audited under the link, no user" eq "$(sql "SELECT user_id IS NULL AND (detail ->> 'link_id')::bigint = $LINK_ID FROM audit_log WHERE action = 'enqueue' ORDER BY id DESC LIMIT 1")" t
req POST "$Q/next" '{"nonce":"link-next-1"}' "$LINK"
check "… calls the next" eq "$STATUS:$(jbody .result)" 200:called
req POST "$Q/$(jbody .entry.id)/done" '{"nonce":"link-done-1"}' "$LINK"
check "… records the interview" eq "$STATUS:$(jbody .result)" 200:done
req GET "$Q2" "" "$LINK"
check "… but not another booth's queue (403)" eq "$STATUS" 403
req GET /api/v1/events/1/interviews "" "$LINK"
check "… nor the event's interviews (403)" eq "$STATUS" 403
req POST "/api/v1/events/1/links/$LINK_ID/revoke" '' "$ORG"
req GET "$Q" "" "$LINK"
check "revoked: refused (401)" eq "$STATUS" 401

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
