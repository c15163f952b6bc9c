#!/usr/bin/env bash
# Interviews at the booths: recorded by token or registration id, one per
# job seeker and company, idempotent by nonce (also under concurrent
# retries), refused for other events, cancelled registrations and booths;
# outcomes one by one and in bulk from a company's CSV (all or nothing,
# every bad row named); roles and the audit trail.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ORG=$(jf_user "$db" olivia organizer)
DESK=$(jf_user "$db" dan frontdesk)
VIEWER=$(jf_user "$db" vera viewer)
TOKEN=$ORG
sql() { psql "$db" -qAtc "$1"; }
olivia=$(sql "SELECT id FROM users WHERE name = 'olivia'")

T1=JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA
T2=JF1-BBBBBBBBBBBBBBBBBBBBBBBBBB
T3=JF1-CCCCCCCCCCCCCCCCCCCCCCCCCC
T4=JF1-DDDDDDDDDDDDDDDDDDDDDDDDDD
# Event 1: the fair (FY2025); event 2: another one. Companies 1 and 2
# have booths at event 1, company 3 cancelled its booth, company 4 has
# none there. Registrations 1, 2 at event 1, 3 cancelled, 4 at event 2.
psql "$db" -q -v ON_ERROR_STOP=1 >/dev/null <<SQL || exit 1
INSERT INTO events (id, type, title, starts_at, ends_at, organizer) VALUES
  (1, 'joint_interview_fair', '合同就職面接会', '2025-06-15 10:00+09', '2025-06-15 16:00+09', 'joint'),
  (2, 'senior_company_meeting', '企業面談会', '2025-07-01 10:00+09', '2025-07-01 12:00+09', 'city');
INSERT INTO companies (id, corporate_number, name) VALUES
  (1, '4000012090001', '株式会社山口'), (2, '4011001098993', '湯田温泉株式会社'),
  (3, NULL, 'さくら保育園'), (4, '1180301018771', '小郡運送株式会社');
INSERT INTO participations (event_id, company_id, status) VALUES
  (1, 1, 'confirmed'), (1, 2, 'applied'), (1, 3, 'cancelled'), (2, 4, 'confirmed');
INSERT INTO registrations (id, event_id, name, name_kana, consent_at, status, checkin_token) VALUES
  (1, 1, '山田太郎', 'ヤマダ タロウ', now(), 'registered', '$T1'),
  (2, 1, '佐藤花子', 'サトウ ハナコ', now(), 'registered', '$T2'),
  (3, 1, '鈴木一郎', 'スズキ イチロウ', now(), 'cancelled', '$T3'),
  (4, 2, '高橋次郎', 'タカハシ ジロウ', now(), 'registered', '$T4');
SQL

# A scanner's token, lower case with a trailing newline, is normalised.
req POST /api/v1/events/1/interviews '{"company_id":1,"token":" jf1-aaaaaaaaaaaaaaaaaaaaaaaaaa\n","nonce":"nonce-0001"}'
check "record by token 201" eq "$STATUS" 201
check "result recorded" eq "$(jbody .result)" recorded
i1=$(jbody .interview.id)
check "interview of registration 1 with company 1" eq "$(jbody '[.interview.registration_id, .interview.company_id, .interview.company_name, .interview.outcome] | join(",")')" "1,1,株式会社山口,pending"
check "no personal data in the booth's answer" eq "$(jbody '.interview | has("name") or has("name_kana")')" false
check "create audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'create' AND object_type = 'interview' AND object_id = $i1 AND user_id = $olivia")" 1

req POST /api/v1/events/1/interviews '{"company_id":1,"token":"JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA","nonce":"nonce-0001"}'
check "nonce replay: same answer (201 recorded)" eq "$STATUS:$(jbody .result):$(jbody .interview.id)" "201:recorded:$i1"
req POST /api/v1/events/1/interviews '{"company_id":1,"registration_id":1,"nonce":"nonce-0002"}'
check "second scan at the same booth: 200 already_recorded" eq "$STATUS:$(jbody .result):$(jbody .interview.id)" "200:already_recorded:$i1"
check "still one interview, one audit row" eq "$(sql "SELECT count(*) FROM interviews"):$(sql "SELECT count(*) FROM audit_log WHERE object_type = 'interview'")" 1:1

req POST /api/v1/events/1/interviews '{"company_id":2,"registration_id":1,"nonce":"nonce-0003"}' "$DESK"
check "frontdesk records at another booth (201)" eq "$STATUS:$(jbody .result)" 201:recorded
i2=$(jbody .interview.id)
check "a second company is a second interview" test "$i2" -ne "$i1"
req POST /api/v1/events/1/interviews '{"company_id":2,"registration_id":2,"nonce":"nonce-0003"}'
check "a nonce reused for another interview: 409" eq "$STATUS:$(jbody .error.fields.nonce)" "409:nonce was used for another interview"

# Refusals, each naming the field at fault, none writing anything.
req POST /api/v1/events/1/interviews "{\"company_id\":1,\"token\":\"JF1-ZZZZZZZZZZZZZZZZZZZZZZZZZZ\",\"nonce\":\"nonce-0004\"}"
check "unknown token 404" eq "$STATUS:$(jbody .error.fields.token)" "404:no such job seeker"
req POST /api/v1/events/1/interviews '{"company_id":1,"token":"HELLO-WORLD","nonce":"nonce-0005"}'
check "not a token 422" eq "$STATUS:$(jbody .error.fields.token)" "422:is not a check-in token"
req POST /api/v1/events/1/interviews "{\"company_id\":1,\"token\":\"$T4\",\"nonce\":\"nonce-0006\"}"
check "another event's job seeker 409" eq "$STATUS:$(jbody .error.fields.token)" "409:is registered for another event"
req POST /api/v1/events/1/interviews '{"company_id":1,"registration_id":3,"nonce":"nonce-0007"}'
check "cancelled registration 409" eq "$STATUS:$(jbody .error.fields.registration_id)" "409:registration is cancelled"
req POST /api/v1/events/1/interviews '{"company_id":3,"registration_id":2,"nonce":"nonce-0008"}'
check "cancelled booth 409" eq "$STATUS:$(jbody .error.fields.company_id)" "409:company cancelled its booth"
req POST /api/v1/events/1/interviews '{"company_id":4,"registration_id":2,"nonce":"nonce-0009"}'
check "company without a booth here 422" eq "$STATUS:$(jbody .error.fields.company_id)" "422:company has no booth at this event"
req POST /api/v1/events/1/interviews '{"company_id":1,"registration_id":2,"token":"'$T2'","nonce":"nonce-0010"}'
check "token and registration_id together 422" eq "$STATUS:$(jbody .error.fields.registration_id)" "422:give registration_id or token, not both"
req POST /api/v1/events/1/interviews '{"company_id":1,"nonce":"short"}'
check "neither, and a short nonce: both named" eq "$STATUS:$(jbody .error.fields.registration_id):$(jbody .error.fields.nonce)" "422:give registration_id or token:must be at least 8 characters"
req POST /api/v1/events/1/interviews '{"registration_id":2,"nonce":"nonce-0011"}'
check "company_id required" eq "$STATUS:$(jbody .error.fields.company_id)" "422:is required"
req POST /api/v1/events/99/interviews '{"company_id":1,"registration_id":2,"nonce":"nonce-0012"}'
check "unknown event 404" eq "$STATUS" 404
req POST /api/v1/events/abc/interviews '{"company_id":1,"registration_id":2,"nonce":"nonce-0013"}'
check "non-numeric event id 404" eq "$STATUS" 404
req POST /api/v1/events/1/interviews '{"company_id":1,"registration_id":2,"nonce":"nonce-0014"}' "$VIEWER"
check "viewer may not record (403)" eq "$STATUS" 403
check "refusals wrote nothing" eq "$(sql "SELECT count(*) FROM interviews")" 2

# Many desks, one job seeker, one booth, at once: one interview. The
# same scan retried concurrently always gets the same answer. (Waiting
# by pid: a bare `wait` would wait for the server too.)
pids=()
for n in $(seq 1 8); do
	curl -s -o "$JF_TMP/c$n" -w '%{http_code}\n' -X POST -H "Authorization: Bearer $DESK" \
		-H 'Content-Type: application/json' \
		--data-binary "{\"company_id\":1,\"registration_id\":2,\"nonce\":\"race-000$n\"}" \
		"$JF_URL/api/v1/events/1/interviews" >"$JF_TMP/s$n" &
	pids+=($!)
done
wait "${pids[@]}"
pids=()
check "concurrent scans: one 201" eq "$(cat "$JF_TMP"/s? | grep -c 201)" 1
check "concurrent scans: seven 200" eq "$(cat "$JF_TMP"/s? | grep -c 200)" 7
check "concurrent scans: one interview" eq "$(sql "SELECT count(*) FROM interviews WHERE registration_id = 2 AND company_id = 1")" 1
check "concurrent scans: all name it" eq "$(cat "$JF_TMP"/c? | jq -r .interview.id | sort -u | wc -l)" 1
for n in $(seq 1 6); do
	curl -s -o "$JF_TMP/d$n" -w '%{http_code}\n' -X POST -H "Authorization: Bearer $DESK" \
		-H 'Content-Type: application/json' \
		--data-binary '{"company_id":2,"registration_id":2,"nonce":"same-nonce-1"}' \
		"$JF_URL/api/v1/events/1/interviews" >"$JF_TMP/t$n" &
	pids+=($!)
done
wait "${pids[@]}"
check "concurrent retries of one scan: all 201 recorded" eq "$(cat "$JF_TMP"/t? | sort -u):$(cat "$JF_TMP"/d? | jq -r .result | sort -u)" 201:recorded
check "concurrent retries: one interview" eq "$(sql "SELECT count(*) FROM interviews WHERE nonce = 'same-nonce-1'")" 1
i3=$(sql "SELECT id FROM interviews WHERE registration_id = 2 AND company_id = 1")
i4=$(sql "SELECT id FROM interviews WHERE nonce = 'same-nonce-1'")

# The list is for organizers: names, so the read is audited.
req GET /api/v1/events/1/interviews
check "list 200" eq "$STATUS" 200
check "list has the four interviews in id order" eq "$(jbody '[.items[].id] | join(",")')" "$i1,$i2,$i3,$i4"
check "list names the job seekers" eq "$(jbody '.items[0].name + "/" + .items[0].name_kana')" "山田太郎/ヤマダ タロウ"
check "list read audited with ids" eq "$(sql "SELECT detail->'ids' = '[$i1,$i2,$i3,$i4]' FROM audit_log WHERE action = 'list' AND object_type = 'event_interviews' AND object_id = 1")" t
req GET '/api/v1/events/1/interviews?limit=3'
check "paged: three and a next cursor" eq "$(jbody '.items | length'):$(jbody .next)" "3:$i3"
req GET "/api/v1/events/1/interviews?limit=3&after=$i3"
check "second page" eq "$(jbody '[.items[].id] | join(",")'):$(jbody .next)" "$i4:null"
req GET '/api/v1/events/1/interviews?company_id=2'
check "filter by company" eq "$(jbody '[.items[].id] | join(",")')" "$i2,$i4"
req GET /api/v1/events/1/interviews '' "$VIEWER"
check "viewer cannot list interviews (403)" eq "$STATUS" 403
req GET /api/v1/events/1/interviews '' "$DESK"
check "frontdesk cannot list interviews (403)" eq "$STATUS" 403

# Follow-up on one interview.
req PATCH /api/v1/interviews/$i1 '{"outcome":"offer","outcome_date":"2025-06-30"}'
check "offer 200" eq "$STATUS:$(jbody .outcome):$(jbody .outcome_date)" 200:offer:2025-06-30
req PATCH /api/v1/interviews/$i1 '{"outcome":"hired"}'
check "hired keeps the date it had" eq "$(jbody .outcome):$(jbody .outcome_date)" hired:2025-06-30
req PATCH /api/v1/interviews/$i2 '{"outcome":"declined","outcome_date":"2025-06-01"}'
check "a date before the event 422" eq "$STATUS:$(jbody .error.fields.outcome_date)" "422:is before the event"
req PATCH /api/v1/interviews/$i2 '{"outcome":"pending","outcome_date":"2025-07-01"}'
check "pending with a date 422" eq "$STATUS:$(jbody .error.fields.outcome_date)" "422:a pending interview has no outcome date"
req PATCH /api/v1/interviews/$i2 '{"outcome":"maybe"}'
check "unknown outcome 422" eq "$STATUS" 422
req PATCH /api/v1/interviews/$i2 '{}'
check "empty follow-up 422" eq "$STATUS:$(jbody .error.fields.outcome)" "422:give outcome or outcome_date"
req PATCH /api/v1/interviews/$i2 '{"outcome":"withdrawn"}'
check "withdrawn without a date: today in Japan" eq "$STATUS:$(jbody .outcome_date)" "200:$(TZ=Asia/Tokyo date +%F)"
req PATCH /api/v1/interviews/$i2 '{"outcome":"pending"}'
check "back to pending clears the date" eq "$(jbody .outcome):$(jbody .outcome_date)" pending:null
req PATCH /api/v1/interviews/99999 '{"outcome":"offer"}'
check "unknown interview 404" eq "$STATUS" 404
req PATCH /api/v1/interviews/$i2 '{"outcome":"offer"}' "$DESK"
check "frontdesk may not set outcomes (403)" eq "$STATUS" 403
check "updates audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'update' AND object_type = 'interview'")" 4

# A company's CSV of outcomes: nothing is written unless every row is good.
req POST /api/v1/events/1/outcomes "{\"rows\":[
  {\"token\":\"$T2\",\"corporate_number\":\"4000012090001\",\"outcome\":\"offer\",\"outcome_date\":\"2025-07-01\"},
  {\"registration_id\":2,\"company_id\":1,\"outcome\":\"hired\"},
  {\"token\":\"JF1-ZZZZZZZZZZZZZZZZZZZZZZZZZZ\",\"company_id\":1,\"outcome\":\"offer\"},
  {\"registration_id\":4,\"company_id\":1,\"outcome\":\"offer\"},
  {\"registration_id\":2,\"corporate_number\":\"1180301018771\",\"outcome\":\"offer\"},
  {\"registration_id\":2,\"company_id\":2,\"outcome\":\"offer\",\"outcome_date\":\"2025-01-01\"}]}"
check "bad rows 422" eq "$STATUS" 422
check "duplicate row named" eq "$(jbody '.error.fields["rows[1].outcome"]')" "repeats row 0"
check "unknown token row named" eq "$(jbody '.error.fields["rows[2].token"]')" "no such job seeker"
check "other event row named" eq "$(jbody '.error.fields["rows[3].registration_id"]')" "is registered for another event"
check "company without booth row named" eq "$(jbody '.error.fields["rows[4].corporate_number"]')" "company has no booth at this event"
check "date before the event row named" eq "$(jbody '.error.fields["rows[5].outcome_date"]')" "is before the event"
check "five rows named, the good one not" eq "$(jbody '.error.fields | length')" 5
check "nothing imported" eq "$(sql "SELECT string_agg(outcome, ',' ORDER BY id) FROM interviews")" hired,pending,pending,pending
req POST /api/v1/events/1/outcomes '{"rows":[{"registration_id":2,"company_id":1,"outcome":"won"},{"company_id":1,"outcome":"offer"}]}'
check "rows checked at the edge too" eq "$STATUS:$(jbody '.error.fields["rows[0].outcome"]'):$(jbody '.error.fields["rows[1].registration_id"]')" "422:is not one of the allowed values:give registration_id or token"
req POST /api/v1/events/1/outcomes '{"rows":[]}'
check "empty import 422" eq "$STATUS" 422

req POST /api/v1/events/1/outcomes "{\"rows\":[
  {\"token\":\"$T2\",\"corporate_number\":\"4000012090001\",\"outcome\":\"offer\",\"outcome_date\":\"2025-07-01\"},
  {\"registration_id\":1,\"company_id\":2,\"outcome\":\"declined\",\"outcome_date\":\"2025-07-02\"},
  {\"registration_id\":2,\"company_id\":2,\"outcome\":\"hired\",\"outcome_date\":\"2025-07-03\"}]}"
check "import 200" eq "$STATUS" 200
check "three rows, all updates" eq "$(jbody '[.rows, .created, .updated] | join(",")')" 3,0,3
check "outcomes set" eq "$(sql "SELECT string_agg(outcome || ' ' || outcome_date, ',' ORDER BY id) FROM interviews")" "hired 2025-06-30,declined 2025-07-02,offer 2025-07-01,hired 2025-07-03"
# Cells as a CSV gives them: strings, and empty ones that name nothing.
req POST /api/v1/events/1/outcomes '{"rows":[{"token":"","registration_id":"1","company_id":"2","corporate_number":"","outcome":"declined","outcome_date":""}]}'
check "empty cells are absent, numbers as text accepted" eq "$STATUS:$(jbody .updated)" 200:1
check "its date kept" eq "$(sql "SELECT outcome || ' ' || outcome_date FROM interviews WHERE id = $i2")" "declined 2025-07-02"
# A seeker a booth never scanned: the company's word records the interview.
psql "$db" -qc "INSERT INTO registrations (id, event_id, name, consent_at) VALUES (5, 1, '中村', now())" >/dev/null
req POST /api/v1/events/1/outcomes '{"rows":[{"registration_id":5,"company_id":1,"outcome":"hired","outcome_date":"2025-08-01"}]}'
check "unscanned interview created by the import" eq "$STATUS:$(jbody .created):$(jbody .updated)" 200:1:0
check "created with its outcome" eq "$(sql "SELECT outcome || ' ' || outcome_date FROM interviews WHERE registration_id = 5")" "hired 2025-08-01"
check "each imported row audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'import_outcome'")" 5
req POST /api/v1/events/1/outcomes '{"rows":[{"registration_id":5,"company_id":1,"outcome":"offer"}]}' "$DESK"
check "frontdesk may not import outcomes (403)" eq "$STATUS" 403

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
