#!/usr/bin/env bash
# Retention: the admin-only purge of job seekers' personal data for the
# events of fiscal years before a given one. Names, kana, contact, birth
# dates, 手帳 type, accommodations and the lookup keys go (also the names
# the desks' scan log answered with, the events' mails and the sent or
# failed mails of no event written in those years); categories, age bands, attendance,
# interviews and outcomes stay, so both reports are byte-identical before
# and after, in JSON and in both CSV encodings.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ADMIN=$(jf_user "$db" ada admin)
ORG=$(jf_user "$db" olivia organizer)
DESK=$(jf_user "$db" dan frontdesk)
VIEWER=$(jf_user "$db" vera viewer)
TOKEN=$ORG
sql() { psql "$db" -qAtc "$1"; }
ada=$(sql "SELECT id FROM users WHERE name = 'ada'")

# FY2024: fair 1 and seminar 2; FY2023: meeting 4; FY2025: fair 3.
psql "$db" -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 1
INSERT INTO events (id, type, title, starts_at, ends_at, organizer, target_companies, target_seekers) VALUES
  (1, 'joint_interview_fair', '令和6年度 合同就職面接会', '2024-06-15 10:00+09', '2024-06-15 16:00+09', 'joint', 2, 3),
  (2, 'reemployment_seminar', '再就職準備セミナー', '2024-09-01 10:00+09', '2024-09-01 12:00+09', 'hellowork', NULL, 20),
  (3, 'joint_interview_fair', '令和7年度 合同就職面接会', '2025-06-15 10:00+09', '2025-06-15 16:00+09', 'joint', 30, 100),
  (4, 'senior_company_meeting', '企業面談会', '2023-10-01 10:00+09', '2023-10-01 12:00+09', 'city', NULL, NULL);
INSERT INTO companies (id, name) VALUES (1, '株式会社山口'), (2, '㈱髙橋商店');
INSERT INTO participations (id, event_id, company_id, status) VALUES
  (1, 1, 1, 'confirmed'), (2, 1, 2, 'confirmed'), (3, 3, 1, 'confirmed');
INSERT INTO registrations (id, event_id, name, name_kana, birth_date, phone, email, categories,
                           disability_handbook, accommodations, accommodation_note, supporters,
                           age_band, consent_at, status, walk_in, checkin_token, person_key, search_key)
SELECT id, event_id, '山田' || id, 'ヤマダ', date '1990-01-01' + id, '0839' || lpad(id::text, 6, '0'),
       'p' || id || '@example.jp', cats, hb, acc, note, sup, band, now(), st, wi,
       'JF1-' || rpad(chr(64 + id), 26, 'A'), 'ヤマダ|' || id, 'ヤマダ 0839' || id
FROM (VALUES
  (1, 1, '{youth}'::text[], NULL, '{}'::text[], NULL, 0, 'under_35', 'registered', false),
  (2, 1, '{disability}', 'mental', '{sign_language,supporter}', '手話通訳をお願いします', 1, '35_54', 'registered', false),
  (3, 1, '{senior}', NULL, '{}', NULL, 0, '55_64', 'registered', false),
  (4, 1, '{parenting}', NULL, '{}', NULL, 0, '35_54', 'cancelled', false),
  (5, 1, '{welfare}', NULL, '{}', NULL, 2, '65_plus', 'registered', true),
  (6, 2, '{parenting}', NULL, '{}', NULL, 0, '35_54', 'registered', false),
  (7, 3, '{youth}', NULL, '{}', NULL, 0, 'under_35', 'registered', false),
  (8, 4, '{senior}', NULL, '{}', NULL, 0, '65_plus', 'registered', false))
  AS v (id, event_id, cats, hb, acc, note, sup, band, st, wi);
INSERT INTO checkins (event_id, registration_id, participation_id) VALUES
  (1, 1, NULL), (1, 2, NULL), (1, 5, NULL), (2, 6, NULL), (3, 7, NULL), (4, 8, NULL),
  (1, NULL, 1), (1, NULL, 2), (3, NULL, 3);
INSERT INTO interviews (event_id, registration_id, participation_id, company_id, outcome, outcome_date) VALUES
  (1, 1, 1, 1, 'hired', '2024-07-01'), (1, 2, 1, 1, 'offer', '2024-07-01'),
  (1, 2, 2, 2, 'pending', NULL), (3, 7, 3, 1, 'pending', NULL);
INSERT INTO scans (event_id, nonce, token, result, response) VALUES
  (1, 'scan-nonce-1', 'JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA', 'checked_in',
   '{"result":"checked_in","kind":"seeker","name":"山田1","registration_id":1}'),
  (3, 'scan-nonce-7', 'JF1-GAAAAAAAAAAAAAAAAAAAAAAAAA', 'checked_in',
   '{"result":"checked_in","kind":"seeker","name":"山田7","registration_id":7}');
-- Mails by event, and of no event by when written and whether sent.
INSERT INTO mail_outbox (kind, event_id, to_addr, subject, body, created_at, sent_at, failed_at)
VALUES
  ('apply_confirmation', 1, 'fy2024-event@example.jp', 's', 'b', '2024-06-01 10:00+09', now(), NULL),
  ('apply_confirmation', 3, 'fy2025-event@example.jp', 's', 'b', '2025-06-01 10:00+09', now(), NULL),
  ('note', NULL, 'fy2024-sent@example.jp', 's', '', '2025-03-31 23:00+09', now(), NULL),
  ('note', NULL, 'fy2023-failed@example.jp', 's', '', '2023-11-01 10:00+09', NULL, now()),
  ('note', NULL, 'fy2024-queued@example.jp', 's', 'b', '2024-05-01 10:00+09', NULL, NULL),
  ('note', NULL, 'fy2025-sent@example.jp', 's', '', '2025-04-01 00:00+09', now(), NULL);
SQL

# Every report and format, saved byte for byte.
save() { # save NAME PATH
	curl -s -o "$JF_TMP/$1" -w '%{http_code}' -H "Authorization: Bearer $VIEWER" "$JF_URL$2" >"$JF_TMP/$1.status"
}
reports=(
	"ev1.json /api/v1/events/1/report"
	"ev1.csv /api/v1/events/1/report?format=csv"
	"ev1.cp932 /api/v1/events/1/report?format=csv&encoding=cp932"
	"ev2.json /api/v1/events/2/report"
	"ev4.json /api/v1/events/4/report"
	"fy2024.json /api/v1/reports/fiscal-year/2024"
	"fy2024.csv /api/v1/reports/fiscal-year/2024?format=csv"
	"fy2024.cp932 /api/v1/reports/fiscal-year/2024?format=csv&encoding=cp932"
	"fy2025.json /api/v1/reports/fiscal-year/2025"
	"fy2025.csv /api/v1/reports/fiscal-year/2025?format=csv"
)
for r in "${reports[@]}"; do
	set -- $r
	save "before.$1" "$2"
	check "before: $1 200" eq "$(cat "$JF_TMP/before.$1.status")" 200
done
check "before: the fair counted (2 booths, 3 seekers)" eq "$(jq -r '.rows[] | select(.code == "joint_interview_fair") | "\(.actual.companies) \(.actual.persons)"' "$JF_TMP/before.fy2024.json")" "2 3"
req GET /api/v1/events/1/interviews
check "before: interviews list names the seeker" eq "$(jbody '.items[0].name')" 山田1

req POST /api/v1/seekers/purge '{"before_fiscal_year":2025}' "$ORG"
check "organizer may not purge (403)" eq "$STATUS" 403
req POST /api/v1/seekers/purge '{"before_fiscal_year":2025}' "$VIEWER"
check "viewer may not purge (403)" eq "$STATUS" 403
req POST /api/v1/seekers/purge '{"before_fiscal_year":2025}' "$DESK"
check "frontdesk may not purge (403)" eq "$STATUS" 403
req POST /api/v1/seekers/purge '{"before_fiscal_year":2100}' "$ADMIN"
check "a year not yet over is refused (422)" eq "$STATUS:$(jbody .error.fields.before_fiscal_year)" "422:must not be after the current fiscal year"
req POST /api/v1/seekers/purge '{}' "$ADMIN"
check "the year is required (422)" eq "$STATUS:$(jbody .error.fields.before_fiscal_year)" "422:is required"
req POST /api/v1/seekers/purge '{"before_fiscal_year":"last year"}' "$ADMIN"
check "the year is a number (422)" eq "$STATUS" 422
check "refusals purged nothing" eq "$(sql "SELECT count(*) FROM registrations WHERE purged_at IS NOT NULL OR name IS NULL")" 0

req POST /api/v1/seekers/purge '{"before_fiscal_year":2025}' "$ADMIN"
check "admin purges before FY2025: 200" eq "$STATUS" 200
check "seven registrations of FY2023-2024 events purged" eq "$(jbody '"\(.before_fiscal_year) \(.purged)"')" "2025 7"
check "purge audited" eq "$(sql "SELECT detail->>'purged' FROM audit_log WHERE action = 'purge' AND user_id = $ada")" 7
req POST /api/v1/seekers/purge '{"before_fiscal_year":2025}' "$ADMIN"
check "a second purge finds nothing left" eq "$STATUS:$(jbody .purged)" 200:0

check "personal columns gone" eq "$(sql "SELECT count(*) FROM registrations WHERE event_id <> 3 AND num_nonnulls(name, name_kana, phone, email, birth_date, age, disability_handbook, accommodation_note, person_key, search_key) = 0 AND accommodations = '{}' AND purged_at IS NOT NULL")" 7
check "anonymous facts kept" eq "$(sql "SELECT string_agg(id || ':' || categories::text || ':' || age_band || ':' || supporters || ':' || status || ':' || walk_in, ' ' ORDER BY id) FROM registrations WHERE event_id = 1")" "1:{youth}:under_35:0:registered:false 2:{disability}:35_54:1:registered:false 3:{senior}:55_64:0:registered:false 4:{parenting}:35_54:0:cancelled:false 5:{welfare}:65_plus:2:registered:true"
check "FY2025 job seeker untouched" eq "$(sql "SELECT name || ' ' || name_kana || ' ' || phone || ' ' || (purged_at IS NULL) FROM registrations WHERE id = 7")" "山田7 ヤマダ 0839000007 true"
check "check-ins and interviews kept" eq "$(sql "SELECT (SELECT count(*) FROM checkins) || ' ' || (SELECT string_agg(outcome, ',' ORDER BY id) FROM interviews)")" "9 hired,offer,pending,pending"
check "the scan log forgets the purged name" eq "$(sql "SELECT string_agg(coalesce(response->>'name', '-') || '/' || (response->>'registration_id'), ' ' ORDER BY id) FROM scans")" "-/1 山田7/7"
check "mails: the FY2024 event's and the sent or failed ones of no event before FY2025 go" \
	eq "$(sql "SELECT string_agg(split_part(to_addr, '@', 1), ' ' ORDER BY id) FROM mail_outbox")" \
	"fy2025-event fy2024-queued fy2025-sent"
req GET /api/v1/events/1/interviews
check "after: interviews list has no name" eq "$(jbody '.items[0] | "\(.name) \(.name_kana) \(.outcome)"')" "null null hired"

for r in "${reports[@]}"; do
	set -- $r
	save "after.$1" "$2"
	check "after: $1 byte-identical" cmp -s "$JF_TMP/before.$1" "$JF_TMP/after.$1"
done

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
