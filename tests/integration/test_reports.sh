#!/usr/bin/env bash
# The reports against a scripted fiscal year (events, booths, job
# seekers, check-ins and interviews inserted by SQL): the post-event
# report's every figure, counted metrics equal to the check-ins (undone
# ones and the next fiscal year's events left out), entered metrics per
# month and per year, targets for a new year, achievement and its
# rounding, CSV in UTF-8 with BOM and in CP932, roles, and speed on years
# of data.
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

# FY2024: fair 1 (targets 3 companies, 16 job seekers) and fair 2 on the
# last evening of March 2025; fair 3 just after midnight on 1 April 2025
# (FY2025); seminar 4; the FY2023 disability fair 5, whose year the plan's
# figure covers; senior meeting 6, never held.
psql "$db" -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 1
INSERT INTO events (id, type, title, starts_at, ends_at, organizer, target_companies, target_seekers) VALUES
  (1, 'joint_interview_fair', '令和6年度 合同就職面接会', '2024-10-10 13:00+09', '2024-10-10 16:00+09', 'joint', 3, 16),
  (2, 'joint_interview_fair', '合同就職面接会(夜間)', '2025-03-31 23:00+09', '2025-03-31 23:50+09', 'joint', NULL, NULL),
  (3, 'joint_interview_fair', '令和7年度 合同就職面接会', '2025-04-01 00:30+09', '2025-04-01 01:30+09', 'joint', NULL, NULL),
  (4, 'reemployment_seminar', '再就職準備セミナー', '2024-09-01 10:00+09', '2024-09-01 12:00+09', 'hellowork', NULL, 20),
  (5, 'disability_interview_fair', '障がい者雇用合同面接会', '2023-11-01 10:00+09', '2023-11-01 12:00+09', 'joint', NULL, NULL),
  (6, 'senior_company_meeting', '企業面談会', '2024-11-20 10:00+09', '2024-11-20 12:00+09', 'city', 15, 50);
INSERT INTO companies (id, name) VALUES
  (1, '株式会社山口'), (2, '湯田温泉株式会社'), (3, 'さくら保育園'), (4, '小郡運送株式会社'), (5, '㈱髙橋商店');
INSERT INTO participations (id, event_id, company_id, status) VALUES
  (1, 1, 1, 'confirmed'), (2, 1, 2, 'confirmed'), (3, 1, 3, 'applied'), (4, 1, 4, 'cancelled'),
  (5, 2, 1, 'confirmed'), (6, 2, 3, 'confirmed'), (7, 3, 2, 'confirmed'), (8, 5, 5, 'confirmed');
INSERT INTO registrations (id, event_id, name, consent_at, status, walk_in, categories, age_band, supporters) VALUES
  (1, 1, '一', now(), 'registered', false, '{youth}', 'under_35', 0),
  (2, 1, '二', now(), 'registered', false, '{disability}', '35_54', 2),
  (3, 1, '三', now(), 'registered', false, '{senior}', '55_64', 0),
  (4, 1, '四', now(), 'registered', false, '{parenting,single_parent}', '35_54', 1),
  (5, 1, '五', now(), 'cancelled', false, '{youth}', 'under_35', 0),
  (6, 1, '六', now(), 'registered', true, '{welfare}', '65_plus', 1),
  (7, 1, '七', now(), 'registered', false, '{youth,parenting}', 'under_35', 0),
  (8, 1, '八', now(), 'registered', false, '{}', NULL, 0),
  (9, 2, '九', now(), 'registered', false, '{}', NULL, 0),
  (10, 2, '十', now(), 'registered', false, '{}', NULL, 0),
  (11, 3, '十一', now(), 'registered', false, '{}', NULL, 0),
  (12, 4, '十二', now(), 'registered', false, '{parenting}', '35_54', 0),
  (13, 4, '十三', now(), 'registered', false, '{parenting}', '35_54', 0),
  (14, 4, '十四', now(), 'registered', false, '{parenting}', '35_54', 0),
  (15, 5, '十五', now(), 'registered', false, '{disability}', '35_54', 0);
INSERT INTO checkins (event_id, registration_id, participation_id, undone_at) VALUES
  (1, 1, NULL, NULL), (1, 2, NULL, NULL), (1, 3, NULL, now()), (1, 6, NULL, NULL),
  (1, 7, NULL, NULL), (1, 8, NULL, NULL), (2, 9, NULL, NULL), (2, 10, NULL, NULL),
  (3, 11, NULL, NULL), (4, 12, NULL, NULL), (4, 13, NULL, NULL), (4, 14, NULL, now()),
  (5, 15, NULL, NULL),
  (1, NULL, 1, NULL), (1, NULL, 2, NULL), (1, NULL, 3, now()), (2, NULL, 5, NULL),
  (2, NULL, 6, NULL), (3, NULL, 7, NULL), (5, NULL, 8, NULL);
INSERT INTO interviews (event_id, registration_id, participation_id, company_id, outcome, outcome_date) VALUES
  (1, 1, 1, 1, 'offer', '2024-11-01'), (1, 1, 2, 2, 'hired', '2024-11-01'),
  (1, 2, 1, 1, 'declined', '2024-11-01'), (1, 6, 2, 2, 'withdrawn', '2024-11-01'),
  (1, 7, 1, 1, 'pending', NULL), (1, 8, 2, 2, 'hired', '2024-11-01');
SELECT setval(pg_get_serial_sequence(t, 'id'), 10000)
FROM unnest(ARRAY['events', 'companies', 'participations', 'registrations']) AS t;
SQL

# --- The post-event report -------------------------------------------------
req GET /api/v1/events/1/report
check "event report 200" eq "$STATUS" 200
check "event named with its fiscal year" eq "$(jbody '[.event.title, .event.type_name, .event.starts_at, .event.fiscal_year_label] | join("|")')" "令和6年度 合同就職面接会|合同就職面接会|2024-10-10T13:00:00+09:00|令和6年度"
check "companies: registered, confirmed, cancelled, present, target" eq "$(jbody '.companies | [.registered, .confirmed, .cancelled, .present, .target] | join(",")')" 3,2,1,2,3
check "companies achievement 2/3 = 66.7" eq "$(jbody .companies.achievement)" 66.7
check "seekers: prereg, walk-ins, cancelled, present, no-shows, target" eq "$(jbody '.seekers | [.preregistered, .walk_ins, .cancelled, .present, .no_shows, .target] | join(",")')" 6,1,1,5,2,16
check "seekers achievement 5/16 = 31.25 rounds half up to 31.3" eq "$(jbody .seekers.achievement)" 31.3
check "achievement sent as the database rounded it" grep -q '"target" : 16, "achievement" : 31.3,\|"target":16,"achievement":31.3' "$JF_TMP/body"
check "by category: registered" eq "$(jbody '.seekers.by_category | to_entries | map("\(.key)=\(.value.registered)") | join(",")')" youth=2,senior=1,disability=1,parenting=2,welfare=1,single_parent=1
check "by category: present" eq "$(jbody '.seekers.by_category | to_entries | map("\(.key)=\(.value.present)") | join(",")')" youth=2,senior=0,disability=1,parenting=1,welfare=1,single_parent=0
check "by age band: registered" eq "$(jbody '.seekers.by_age_band | to_entries | map("\(.key)=\(.value.registered)") | join(",")')" under_35=2,35_54=2,55_64=1,65_plus=1,unknown=1
check "by age band: present" eq "$(jbody '.seekers.by_age_band | to_entries | map("\(.key)=\(.value.present)") | join(",")')" under_35=2,35_54=1,55_64=0,65_plus=1,unknown=1
check "supporters of present seekers, apart" eq "$(jbody .supporters)" 3
check "interviews total, seekers, per seeker" eq "$(jbody '.interviews | [.total, .seekers_interviewed, .per_seeker] | join(",")')" 6,5,1.2
check "interviews by company (cancelled booth left out)" eq "$(jbody '[.interviews.by_company[] | "\(.company_id):\(.name):\(.count)"] | join(",")')" "1:株式会社山口:3,2:湯田温泉株式会社:3,3:さくら保育園:0"
check "outcomes: offers include hires" eq "$(jbody '.outcomes | [.offers, .hires, .pending, .declined, .withdrawn] | join(",")')" 3,2,1,1,1
check "no personal data in the report" bash -c "! grep -qE '一|二|name_kana|registration_id|birth' '$JF_TMP/body'"
req GET /api/v1/events/1/report '' "$VIEWER"
check "viewer reads the aggregate report" eq "$STATUS:$(jbody .seekers.present)" 200:5
req GET /api/v1/events/1/registrations '' "$VIEWER"
check "viewer cannot reach the registrations (403)" eq "$STATUS" 403
req GET /api/v1/registrations/1 '' "$VIEWER"
check "viewer cannot read a registration (403)" eq "$STATUS" 403
req GET /api/v1/events/1/interviews '' "$VIEWER"
check "viewer cannot list interviews (403)" eq "$STATUS" 403
req GET /api/v1/events/6/report
check "an event nobody came to: zeros, achievement 0.0" eq "$(jbody '[.companies.present, .companies.achievement, .seekers.present, .seekers.achievement, .interviews.per_seeker] | map(tostring) | join(",")')" 0,0,0,0,null
req GET /api/v1/events/2/report
check "no target: achievement null" eq "$(jbody '[.companies.target, .companies.achievement, .seekers.achievement] | map(tostring) | join(",")')" null,null,null
req GET /api/v1/events/999/report
check "unknown event 404" eq "$STATUS" 404
req GET /api/v1/events/0/report
check "event id 0 is 404" eq "$STATUS" 404

# --- Counted metrics: what the check-ins say -------------------------------
req GET /api/v1/reports/fiscal-year/2024 '' "$VIEWER"
check "viewer reads the fiscal-year report" eq "$STATUS" 200
row() { jbody ".rows[] | select(.code == \"$1\") | $2"; }
check "joint fair FY2024: fairs 1 and 2, booths and seekers present" eq "$(row joint_interview_fair '.actual | "\(.companies) \(.persons)"')" "4 7"
check "joint fair FY2024: two sessions" eq "$(row joint_interview_fair .actual_sessions)" 2
check "joint fair achievement 4/30, 7/100" eq "$(row joint_interview_fair '.achievement | "\(.companies) \(.persons)"')" "13.3 7"
check "seminar: two present, the undone one not" eq "$(row reemployment_seminar_seekers '"\(.actual) \(.actual_sessions) \(.achievement)"')" "2 1 5"
check "a meeting never held: 0 in 0 sessions" eq "$(row senior_company_meeting '"\(.actual.companies) \(.actual.persons) \(.actual_sessions) \(.achievement.companies)"')" "0 0 0 0"
check "the plan's FY2023 figure stands over FY2023 events" eq "$(row disability_interview_fair '.actuals["2023"] | "\(.companies) \(.persons)"')" "31 69"
check "entered metric without entries: null" eq "$(row mothers_corner_placements '"\(.actual) \(.achievement)"')" "null null"
sqlcount=$(sql "SELECT count(DISTINCT c.participation_id) || ' ' || count(DISTINCT c.registration_id) FROM checkins c JOIN events e ON e.id = c.event_id WHERE c.undone_at IS NULL AND e.type = 'joint_interview_fair' AND e.starts_at >= '2024-04-01 00:00+09' AND e.starts_at < '2025-04-01 00:00+09'")
check "counts equal the check-ins counted directly" eq "$(row joint_interview_fair '.actual | "\(.companies) \(.persons)"')" "$sqlcount"
req GET /api/v1/reports/fiscal-year/2025
check "FY2025: the fair after midnight on 1 April" eq "$(row joint_interview_fair '"\(.actual.companies) \(.actual.persons) \(.actual_sessions)"')" "1 1 1"
check "FY2025: FY2024 counted among the previous years" eq "$(row joint_interview_fair '"\(.actuals["2024"].companies) \(.actuals["2024"].persons) \(.sessions["2024"])"')" "4 7 2"
check "FY2025: the plan's blank stays blank" eq "$(row joint_interview_fair '.actuals["2020"]')" null
check "FY2025: previous target is FY2024's" eq "$(row joint_interview_fair '"\(.target) \(.previous_target.companies) \(.previous_target.persons)"')" "null 30 100"
check "FY2025 labels" eq "$(jbody '[.fiscal_year_label, (.previous_years[] | .label)] | join(",")')" "令和7年度,令和2年度,令和3年度,令和4年度,令和5年度,令和6年度"

# --- Entered metrics and targets ---------------------------------------------
req PUT /api/v1/metrics/mothers_corner_placements/2024 '{"month":4,"actual":20}'
check "April entered" eq "$STATUS" 200
req PUT /api/v1/metrics/mothers_corner_placements/2024 '{"month":5,"actual":25,"note":"速報値"}'
check "May entered" eq "$(jbody '.years[] | select(.fiscal_year == 2024) | "\(.actual) \(.months["4"]) \(.months["5"])"')" "45 20 25"
req PUT /api/v1/metrics/mothers_corner_placements/2024 '{"month":4,"actual":22}'
check "April corrected, not added" eq "$(jbody '.years[] | select(.fiscal_year == 2024) | .actual')" 47
req GET /api/v1/reports/fiscal-year/2024
check "the year is the sum of its months: 47/289 = 16.3" eq "$(row mothers_corner_placements '"\(.actual) \(.achievement)"')" "47 16.3"
req PUT /api/v1/metrics/mothers_corner_placements/2024 '{"actual":300}'
check "a whole-year figure replaces the months" eq "$(jbody '.years[] | select(.fiscal_year == 2024) | "\(.actual) \(.months | length)"')" "300 0"
req GET /api/v1/reports/fiscal-year/2024
check "over target: 300/289 = 103.8" eq "$(row mothers_corner_placements .achievement)" 103.8
req PUT /api/v1/metrics/mothers_corner_placements/2024 '{"month":3,"actual":10}'
check "a month replaces a whole-year figure" eq "$(jbody '.years[] | select(.fiscal_year == 2024) | "\(.actual) \(.months | keys | join(","))"')" "10 3"
req PUT /api/v1/metrics/welfare_recipient_support/2024 '{"persons":60,"cases":41}'
check "two-figure metric entered" eq "$STATUS" 200
req GET /api/v1/reports/fiscal-year/2024
check "two-figure actual and achievement" eq "$(row welfare_recipient_support '"\(.actual.persons) \(.actual.cases) \(.achievement.persons) \(.achievement.cases)"')" "60 41 50 50"
req PUT /api/v1/metrics/welfare_recipient_support/2024 '{"actual":5}'
check "one figure for a two-figure metric 422" eq "$STATUS:$(jbody .error.fields.actual)" "422:this metric takes persons and cases"
req PUT /api/v1/metrics/welfare_recipient_support/2024 '{"persons":60}'
check "a missing figure 422" eq "$STATUS:$(jbody .error.fields.cases)" "422:is required"
req PUT /api/v1/metrics/joint_interview_fair/2024 '{"companies":1,"persons":1}'
check "a counted metric is not entered (409)" eq "$STATUS:$(jbody .error.message)" "409:this metric is counted from the check-ins at joint_interview_fair events"
req PUT /api/v1/metrics/mothers_corner_placements/2024 '{"month":13,"actual":1}'
check "month 13 422" eq "$STATUS:$(jbody .error.fields.month)" "422:is out of range"
req PUT /api/v1/metrics/mothers_corner_placements/2024 '{"actual":-1}'
check "negative actual 422" eq "$STATUS" 422
req PUT /api/v1/metrics/no_such_metric/2024 '{"actual":1}'
check "unknown metric 404" eq "$STATUS" 404
req PUT /api/v1/metrics/mothers_corner_placements/1800 '{"actual":1}'
check "fiscal year out of range 404" eq "$STATUS" 404
req PUT '/api/v1/metrics/Mothers;DROP/2024' '{"actual":1}'
check "malformed metric code 404" eq "$STATUS" 404
req PUT /api/v1/metrics/mothers_corner_placements/2024 '{"actual":1}' "$VIEWER"
check "viewer may not enter (403)" eq "$STATUS" 403
req PUT /api/v1/metrics/mothers_corner_placements/2024 '{"actual":1}' "$DESK"
check "frontdesk may not enter (403)" eq "$STATUS" 403

req PUT /api/v1/metrics/joint_interview_fair/2025/target '{"companies":32,"persons":110}'
check "FY2025 target set" eq "$STATUS" 200
req PUT /api/v1/metrics/mothers_corner_placements/2025/target '{"target":300}'
check "one-figure target set" eq "$STATUS" 200
req PUT /api/v1/metrics/mothers_corner_placements/2025/target '{"companies":3,"persons":4}'
check "two figures for a one-figure target 422" eq "$STATUS:$(jbody .error.fields.companies)" "422:this metric takes target"
req PUT /api/v1/metrics/mothers_corner_placements/2025/target '{"target":1}' "$VIEWER"
check "viewer may not set targets (403)" eq "$STATUS" 403
req GET /api/v1/reports/fiscal-year/2025
check "new targets with last year's in previous_target" eq "$(row joint_interview_fair '"\(.target.companies) \(.target.persons) \(.previous_target.companies) \(.previous_target.persons) \(.achievement.companies) \(.achievement.persons)"')" "32 110 30 100 3.1 0.9"
check "one-figure target" eq "$(row mothers_corner_placements '"\(.target) \(.previous_target)"')" "300 289"
check "writes audited with the caller" eq "$(sql "SELECT count(*) FILTER (WHERE action = 'set_actual') || ' ' || count(*) FILTER (WHERE action = 'set_target') FROM audit_log WHERE object_type = 'plan_metric' AND user_id = $olivia")" "6 2"
check "audit keeps what the whole-year figure replaced" eq "$(sql "SELECT jsonb_array_length(detail->'before') FROM audit_log WHERE action = 'set_actual' AND detail->'value' = '{\"actual\": 300}'")" 2
req GET /api/v1/metrics '' "$VIEWER"
check "metric catalogue: 14 in the plan's order" eq "$(jbody '.items | length'):$(jbody '.items[0].code'):$(jbody '.items[13].code')" "14:youth_regular_placements:joint_interview_fair"
check "catalogue says what is counted" eq "$(jbody '.items[] | select(.code == "childcare_mini_interview_seekers") | "\(.kind) \(.event_type) \(.unit)"')" "counted childcare_mini_interview 人"

# --- CSV -------------------------------------------------------------------
csv() { # csv PATH OUT: body to OUT, headers to OUT.h
	curl -s -D "$2.h" -o "$2" -H "Authorization: Bearer $TOKEN" "$JF_URL$1"
}
header() { grep -i "^$1:" "$2" | cut -d' ' -f2- | tr -d '\r'; }
csv '/api/v1/reports/fiscal-year/2024?format=csv' "$JF_TMP/fy.csv"
check "CSV content type" eq "$(header Content-Type "$JF_TMP/fy.csv.h")" "text/csv; charset=utf-8"
check "CSV file name" eq "$(header Content-Disposition "$JF_TMP/fy.csv.h")" 'attachment; filename="fiscal-year-2024-report.csv"'
check "UTF-8 CSV starts with the BOM" eq "$(head -c 3 "$JF_TMP/fy.csv" | od -An -tx1 | tr -d ' ')" efbbbf
check "every line ends in CRLF" eq "$(grep -c $'\r$' "$JF_TMP/fy.csv")" 15
check "header row" eq "$(head -1 "$JF_TMP/fy.csv" | sed 's/^\xef\xbb\xbf//' | tr -d '\r')" "連携項目,項目,説明,平成31年度(令和元年度),令和2年度,令和3年度,令和4年度,令和5年度,目標値 令和6年度,実績,達成率"
check "joint fair row as the plan writes it" eq "$(grep '「合同就職面接会」' "$JF_TMP/fy.csv" | tr -d '\r')" "7 企業の人材確保に関する取組,☆「合同就職面接会」の参加企業、参加求職者数,※年1回の開催によるもの ※令和6年度新規目標,,,,,,30社・100人,(2回)4社 7人,社 13.3%・人 7.0%"
check "entered row" eq "$(grep 'マザーズコーナー' "$JF_TMP/fy.csv" | tr -d '\r')" "2 女性に関する取組,☆山口所の「マザーズコーナー」利用者の就職件数,,286件,254件,264件,279件,289件,289件 (279件),10件,3.5%"
csv '/api/v1/reports/fiscal-year/2024?format=csv&encoding=cp932' "$JF_TMP/fy932.csv"
check "CP932 content type" eq "$(header Content-Type "$JF_TMP/fy932.csv.h")" "text/csv; charset=Shift_JIS"
check "CP932 has no BOM" test "$(head -c 3 "$JF_TMP/fy932.csv" | od -An -tx1 | tr -d ' ')" != efbbbf
check "CP932 is not UTF-8" bash -c "! iconv -f UTF-8 -t UTF-8 '$JF_TMP/fy932.csv' >/dev/null 2>&1"
check "CP932 round-trips with the Japanese intact" eq "$(iconv -f CP932 -t UTF-8 "$JF_TMP/fy932.csv" | md5sum)" "$(tail -c +4 "$JF_TMP/fy.csv" | md5sum)"
csv '/api/v1/events/1/report?format=csv&encoding=cp932' "$JF_TMP/ev932.csv"
check "event CSV file name" eq "$(header Content-Disposition "$JF_TMP/ev932.csv.h")" 'attachment; filename="event-1-report.csv"'
iconv -f CP932 -t UTF-8 "$JF_TMP/ev932.csv" | tr -d '\r' >"$JF_TMP/ev.txt"
check "event CSV: companies present" grep -qx '企業,当日参加,2' "$JF_TMP/ev.txt"
check "event CSV: achievement" grep -qx '求職者,達成率,31.3%' "$JF_TMP/ev.txt"
check "event CSV: age band with ～" grep -qx '年齢別(登録),35～54歳,2' "$JF_TMP/ev.txt"
check "event CSV: interviews per company" grep -qx '面接(企業別),株式会社山口,3' "$JF_TMP/ev.txt"
check "event CSV: hires" grep -qx '採否,採用,2' "$JF_TMP/ev.txt"
req GET '/api/v1/events/1/report?encoding=cp932'
check "encoding without format=csv 422" eq "$STATUS:$(jbody .error.fields.encoding)" "422:applies to format=csv only"
req GET '/api/v1/reports/fiscal-year/2024?format=xml'
check "unknown format 422" eq "$STATUS" 422
req GET '/api/v1/reports/fiscal-year/2024?format=json'
check "format=json is the default" eq "$STATUS:$(jbody .fiscal_year)" 200:2024
# A name CP932 cannot hold is refused with its row, never replaced.
sql "UPDATE companies SET name = '𠮷野家' WHERE id = 2" >/dev/null
req GET '/api/v1/events/1/report?format=csv&encoding=cp932'
check "unencodable name: 422 naming the row" eq "$STATUS:$(jbody '.error.fields.encoding | test("row 46")')" 422:true
csv '/api/v1/events/1/report?format=csv' "$JF_TMP/ev8.csv"
check "the same in UTF-8 is fine" grep -q '面接(企業別),𠮷野家,3' "$JF_TMP/ev8.csv"

# --- Years of data ----------------------------------------------------------
# Ten fiscal years before the plan's, 20 events a year, 300 job seekers
# and 20 booths each: the reports stay one fast statement.
psql "$db" -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 1
INSERT INTO events (id, type, title, starts_at, ends_at, organizer, target_companies, target_seekers)
SELECT 1000 + n, (ARRAY['joint_interview_fair', 'disability_interview_fair', 'senior_company_meeting',
                         'medical_welfare_fair', 'childcare_mini_interview'])[n % 5 + 1],
       'past ' || n, make_timestamptz(2008 + n / 20, 4 + n % 9, 10, 10, 0, 0, 'Asia/Tokyo'),
       make_timestamptz(2008 + n / 20, 4 + n % 9, 10, 16, 0, 0, 'Asia/Tokyo'), 'joint', 20, 400
FROM generate_series(0, 199) AS n;
INSERT INTO companies (id, name) SELECT 100 + n, '過去企業' || n FROM generate_series(0, 49) AS n;
INSERT INTO participations (event_id, company_id, status)
SELECT e, 100 + (e * 7 + k) % 50, 'confirmed' FROM generate_series(1000, 1199) AS e, generate_series(0, 19) AS k;
INSERT INTO registrations (event_id, name, consent_at, categories, age_band)
SELECT e, '過去', now(), '{youth}', 'under_35' FROM generate_series(1000, 1199) AS e, generate_series(1, 300);
INSERT INTO checkins (event_id, registration_id) SELECT event_id, id FROM registrations WHERE event_id >= 1000 AND id % 5 <> 0;
INSERT INTO checkins (event_id, participation_id) SELECT event_id, id FROM participations WHERE event_id >= 1000;
INSERT INTO interviews (event_id, registration_id, participation_id, company_id)
SELECT r.event_id, r.id, p.id, p.company_id FROM registrations r
JOIN participations p ON p.event_id = r.event_id AND p.company_id = 100 + (r.event_id * 7 + r.id % 20) % 50
WHERE r.event_id >= 1000 AND r.id % 3 = 0;
ANALYZE;
SQL
# The best of five calls after a warm-up (the first plans the statement
# on its connection), so a busy test machine does not decide; a report
# that walked rows one by one would take seconds here.
timed() {
	local t0 i ms
	req GET "$1"
	MS=999999
	for i in 1 2 3 4 5; do
		t0=$(date +%s%N)
		req GET "$1"
		ms=$((($(date +%s%N) - t0) / 1000000))
		[ "$ms" -lt "$MS" ] && MS=$ms
	done
}
timed /api/v1/reports/fiscal-year/2017
check "FY2017 report, 60k job seekers in the table, in ${MS} ms" test "$MS" -lt 1000
check "FY2017 joint fairs counted" eq "$(row joint_interview_fair '"\(.actual.companies) \(.actual.persons) \(.actual_sessions)"')" "$(sql "SELECT count(DISTINCT c.participation_id) || ' ' || count(DISTINCT c.registration_id) || ' ' || count(DISTINCT c.event_id) FROM checkins c JOIN events e ON e.id = c.event_id WHERE c.undone_at IS NULL AND e.type = 'joint_interview_fair' AND e.fiscal_year = 2017")"
timed /api/v1/events/1100/report
check "event report on a 300-seeker event in ${MS} ms" test "$MS" -lt 500
check "event report counts it" eq "$(jbody '"\(.seekers.present) \(.companies.present) \(.interviews.total)"')" "$(sql "SELECT (SELECT count(*) FROM checkins WHERE event_id = 1100 AND registration_id IS NOT NULL) || ' ' || (SELECT count(*) FROM checkins WHERE event_id = 1100 AND participation_id IS NOT NULL) || ' ' || (SELECT count(*) FROM interviews WHERE event_id = 1100)")"
timed /api/v1/reports/fiscal-year/2024
check "FY2024 report unchanged by other years (${MS} ms)" eq "$(row joint_interview_fair '.actual | "\(.companies) \(.persons)"')" "4 7"

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
