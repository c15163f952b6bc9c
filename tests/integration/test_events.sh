#!/usr/bin/env bash
# Event types and events: creation with targets, the fiscal year and its
# era label, Japan-time display, validation at the edge (fields, query
# parameters, ids, malformed and oversized bodies), keyset paging,
# partial updates that leave nothing half-written, and the audit trail.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
TOKEN=$(jf_user "$db" alice organizer)
sql() { psql "$db" -qAtc "$1"; }
alice=$(sql "SELECT id FROM users WHERE name = 'alice'")

req GET /api/v1/event-types
check "event types 200" eq "$STATUS" 200
check "eight event types" eq "$(jbody '.items | length')" 8
check "types list has next null" eq "$(jbody '.next')" null
check "joint fair named in Japanese" eq "$(jbody '.items[] | select(.code == "joint_interview_fair") | .name_ja')" 合同就職面接会
check "seminars take no companies" eq "$(jbody '.items[] | select(.code == "senior_seminar") | .has_companies')" false
req GET '/api/v1/event-types?limit=5'
check "event types take no parameters (422)" eq "$STATUS" 422

# The FY2024 joint interview fair, with its targets from the plan.
fair='{"type":"joint_interview_fair","title":"令和6年度 合同就職面接会","starts_at":"2024-06-10T13:00:00+09:00","ends_at":"2024-06-10T16:00:00+09:00","venue":"山口市民会館","capacity":200,"target_companies":30,"target_seekers":150,"organizer":"joint","status":"open"}'
req POST /api/v1/events "$fair"
check "create event 201" eq "$STATUS" 201
fair_id=$(jbody .id)
check "created event has an id" test "$fair_id" -gt 0
check "fiscal year 2024" eq "$(jbody .fiscal_year)" 2024
check "fiscal year label 令和6年度" eq "$(jbody .fiscal_year_label)" 令和6年度
check "starts_at in Japan time" eq "$(jbody .starts_at)" 2024-06-10T13:00:00+09:00
check "targets kept" eq "$(jbody '[.target_companies, .target_seekers, .capacity] | join(",")')" 30,150,200
check "organizer kept" eq "$(jbody .organizer)" joint
check "registered_count starts at 0" eq "$(jbody .registered_count)" 0
check "create audited with the caller" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'create' AND object_type = 'event' AND object_id = $fair_id AND user_id = $alice")" 1

# UTC input is shown in Japan's time; 31 March belongs to the year before.
req POST /api/v1/events '{"type":"senior_seminar","title":"セカンドライフ応援セミナー","starts_at":"2025-03-31T01:00:00Z","ends_at":"2025-03-31T03:00:00Z","organizer":"city"}'
check "UTC start shown as +09:00" eq "$(jbody .starts_at)" 2025-03-31T10:00:00+09:00
check "31 March 2025 is FY2024" eq "$(jbody .fiscal_year)" 2024
check "status defaults to draft" eq "$(jbody .status)" draft
seminar_id=$(jbody .id)
# 1 April 2025 09:00 in Japan is still 31 March in UTC.
req POST /api/v1/events '{"type":"reemployment_seminar","title":"再就職準備セミナー","starts_at":"2025-04-01T09:00:00+09:00","ends_at":"2025-04-01T11:00:00+09:00","organizer":"hellowork"}'
check "1 April 2025 (Japan) is FY2025" eq "$(jbody .fiscal_year)" 2025
check "FY2025 is 令和7年度" eq "$(jbody .fiscal_year_label)" 令和7年度
req POST /api/v1/events '{"type":"medical_welfare_fair","title":"医療・福祉","starts_at":"2019-06-01T10:00:00+09:00","ends_at":"2019-06-01T12:00:00+09:00","organizer":"city"}'
check "FY2019 straddles the eras" eq "$(jbody .fiscal_year_label)" '平成31年度(令和元年度)'

# Validation: every problem named by field.
req POST /api/v1/events '{"type":"nonsense","title":"x","starts_at":"2024-06-10T13:00:00+09:00","ends_at":"2024-06-10T16:00:00+09:00","organizer":"city"}'
check "unknown type 422" eq "$STATUS" 422
check "unknown type names field type" test -n "$(jbody '.error.fields.type // empty')"
req POST /api/v1/events '{"title":"x","starts_at":"2024-06-10","ends_at":"2024-06-10T16:00:00+09:00","organizer":"town","capacity":-1,"colour":"red"}'
check "bad event 422" eq "$STATUS" 422
check "error code validation_failed" eq "$(jbody .error.code)" validation_failed
check "missing type named" eq "$(jbody .error.fields.type)" "is required"
check "date without time refused" test -n "$(jbody '.error.fields.starts_at // empty')"
check "unknown organizer refused" test -n "$(jbody '.error.fields.organizer // empty')"
check "negative capacity refused" eq "$(jbody .error.fields.capacity)" "is out of range"
check "unknown field named" eq "$(jbody .error.fields.colour)" "is not a known field"
req POST /api/v1/events '{"type":"joint_interview_fair","title":"x","starts_at":"2024-06-10T16:00:00+09:00","ends_at":"2024-06-10T13:00:00+09:00","organizer":"city"}'
check "end before start 422 on ends_at" eq "$STATUS:$(jbody '.error.fields.ends_at // empty')" "422:must be after starts_at"
req POST /api/v1/events '{"type":"joint_interview_fair","title":"x","starts_at":"2024-02-30T10:00:00+09:00","ends_at":"2024-06-10T13:00:00+09:00","organizer":"city"}'
check "30 February refused" test -n "$(jbody '.error.fields.starts_at // empty')"
req POST /api/v1/events '{"type": "joint_interview_fair", "title": '
check "malformed JSON 400" eq "$STATUS" 400
req POST /api/v1/events $'{"type":"joint_interview_fair","title":"\xff\xfe","starts_at":"2024-06-10T13:00:00+09:00","ends_at":"2024-06-10T16:00:00+09:00","organizer":"city"}'
check "invalid UTF-8 400" eq "$STATUS" 400
req POST /api/v1/events '["a list"]'
check "a JSON array is not an object (400)" eq "$STATUS" 400
req POST /api/v1/events
check "empty body 400" eq "$STATUS" 400
big=$(head -c 70000 /dev/zero | tr '\0' a)
req POST /api/v1/events "{\"type\":\"joint_interview_fair\",\"title\":\"$big\"}"
check "body over 64 KiB 413" eq "$STATUS" 413
check "nothing created by refused requests" eq "$(sql 'SELECT count(*) FROM events')" 4

# Ids in paths must be positive integers.
req GET "/api/v1/events/$fair_id"
check "show event 200" eq "$STATUS:$(jbody .title)" "200:令和6年度 合同就職面接会"
for bad in 0 -1 abc 1.5 01 99999999999999999999 999999; do
	req GET "/api/v1/events/$bad"
	check "event id '$bad' 404" eq "$STATUS" 404
done
req PATCH /api/v1/events/abc '{"title":"x"}'
check "PATCH with a bad id 404" eq "$STATUS" 404
req PATCH /api/v1/events/999999 '{"title":"x"}'
check "PATCH of a missing event 404" eq "$STATUS" 404

# Keyset paging: 25 events in all, 10 at a time, no gaps or repeats.
for i in $(seq 1 21); do
	req POST /api/v1/events "{\"type\":\"company_mini_interview\",\"title\":\"ミニ面接会 $i\",\"starts_at\":\"2024-07-0$((i % 9 + 1))T10:00:00+09:00\",\"ends_at\":\"2024-07-0$((i % 9 + 1))T12:00:00+09:00\",\"organizer\":\"city\"}"
done
seen=()
after=
pages=0
while :; do
	req GET "/api/v1/events?limit=10${after:+&after=$after}"
	[ "$STATUS" = 200 ] || break
	pages=$((pages + 1))
	mapfile -t ids < <(jbody '.items[].id')
	seen+=("${ids[@]}")
	after=$(jbody '.next // empty')
	[ -n "$after" ] || break
	[ "$pages" -lt 10 ] || break
done
check "three pages of 10" eq "$pages" 3
check "every event listed once" eq "${#seen[@]}:$(printf '%s\n' "${seen[@]}" | sort -u | wc -l)" 25:25
check "listed in id order" eq "$(printf '%s\n' "${seen[@]}" | sort -n | tr '\n' ' ')" "$(printf '%s\n' "${seen[@]}" | tr '\n' ' ')"
req GET /api/v1/events
check "default limit covers 25" eq "$(jbody '.items | length'):$(jbody .next)" 25:null
req GET "/api/v1/events?limit=2&after=$fair_id"
check "after is exclusive" eq "$(jbody '.items[0].id')" "$seminar_id"

# Filters.
req GET '/api/v1/events?fiscal_year=2024&type=joint_interview_fair'
check "filter by FY and type" eq "$(jbody '[.items[].id] | join(",")')" "$fair_id"
req GET '/api/v1/events?fiscal_year=2025'
check "FY2025 has one event" eq "$(jbody '.items | length')" 1
req GET '/api/v1/events?status=open'
check "filter by status" eq "$(jbody '[.items[].id] | join(",")')" "$fair_id"
req GET '/api/v1/events?type=no_such_type'
check "unknown type filter 422" eq "$STATUS:$(jbody '.error.fields.type != null')" 422:true
for q in limit=0 limit=501 limit=abc after=-1 after=x; do
	req GET "/api/v1/events?$q"
	check "query $q refused with its field" eq "$STATUS:$(jbody ".error.fields.${q%%=*} != null")" 422:true
done
req GET '/api/v1/events?fiscal_year=2024x'
check "fiscal_year must be an integer" eq "$STATUS:$(jbody '.error.fields.fiscal_year')" "422:must be a whole number"
req GET '/api/v1/events?fy=2024'
check "unknown query parameter named" eq "$STATUS:$(jbody '.error.fields.fy')" "422:is not a known field"
req GET '/api/v1/events?type=%FF'
check "invalid UTF-8 in the query 400" eq "$STATUS" 400

# PATCH changes only what it names; null clears an optional field.
req PATCH "/api/v1/events/$fair_id" '{"venue":null,"target_seekers":180}'
check "PATCH 200" eq "$STATUS" 200
check "PATCH cleared venue" eq "$(jbody .venue)" null
check "PATCH set target_seekers" eq "$(jbody .target_seekers)" 180
check "PATCH kept the title" eq "$(jbody .title)" "令和6年度 合同就職面接会"
check "PATCH audited" eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'update' AND object_id = $fair_id AND user_id = $alice")" 1
req PATCH "/api/v1/events/$fair_id" '{"starts_at":"2025-04-02T10:00:00+09:00","ends_at":"2025-04-02T12:00:00+09:00"}'
check "moving the date moves the fiscal year" eq "$(jbody .fiscal_year):$(jbody .fiscal_year_label)" 2025:令和7年度
req PATCH "/api/v1/events/$fair_id" '{"title":null}'
check "a required field cannot be cleared" eq "$STATUS:$(jbody .error.fields.title)" "422:is required"
req PATCH "/api/v1/events/$fair_id" '{"created_at":"2024-01-01T00:00:00Z"}'
check "read-only field refused" eq "$STATUS" 422
req PATCH "/api/v1/events/$fair_id" '{"fiscal_year":2030}'
check "fiscal_year is read-only" eq "$STATUS:$(jbody .error.fields.fiscal_year)" "422:is not a known field"

# Nothing half-written: a PATCH that fails on one field changes no other.
for kana in イチ ニ サン; do
	req POST "/api/v1/events/$fair_id/registrations" "{\"name\":\"参加者\",\"name_kana\":\"サンカシャ $kana\",\"age\":30,\"consent\":true}"
done
check "three registered" eq "$(sql "SELECT registered_count FROM events WHERE id = $fair_id")" 3
audits=$(sql 'SELECT count(*) FROM audit_log')
req PATCH "/api/v1/events/$fair_id" '{"title":"変更後","capacity":2}'
check "capacity below the registered 422 on capacity" eq "$STATUS:$(jbody '.error.fields.capacity != null')" 422:true
check "title unchanged after the failed PATCH" eq "$(sql "SELECT title || '/' || capacity FROM events WHERE id = $fair_id")" "令和6年度 合同就職面接会/200"
check "no audit row for the failed PATCH" eq "$(sql 'SELECT count(*) FROM audit_log')" "$audits"
req PATCH "/api/v1/events/$fair_id" '{"title":"変更後","ends_at":"2020-01-01T00:00:00+09:00"}'
check "bad end 422, title unchanged" eq "$STATUS:$(sql "SELECT title FROM events WHERE id = $fair_id")" "422:令和6年度 合同就職面接会"
req PATCH "/api/v1/events/$fair_id" '{"capacity":3}'
check "capacity down to the registered count" eq "$STATUS:$(jbody .capacity)" 200:3

# A seminar with companies cannot exist, either way round.
req POST /api/v1/companies '{"name":"株式会社山口"}'
company=$(jbody .id)
req POST "/api/v1/events/$fair_id/companies" "{\"company_id\":$company}"
check "booth added" eq "$STATUS" 201
req GET "/api/v1/events/$fair_id"
check "company_count counts booths" eq "$(jbody .company_count)" 1
req PATCH "/api/v1/events/$fair_id" '{"type":"senior_seminar"}'
check "type without companies refused while booths exist (409)" eq "$STATUS:$(jbody '.error.fields.type != null')" 409:true
req POST "/api/v1/events/$seminar_id/companies" "{\"company_id\":$company}"
check "seminar takes no companies (422)" eq "$STATUS" 422

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
