#!/usr/bin/env bash
# The plan's 目標値一覧 (令和6年度事業計画目標値一覧, the last page of the
# seed) as loaded by migrations/0006_reports.sql: every programme, metric
# name, description, unit, the five years' actuals with their session
# counts and blanks, the FY2024 target and the FY2023 one in parentheses,
# compared with the table below, copied from the seed by hand, through
# the API (JSON) and the CSV export.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
TOKEN=$(jf_user "$db" vera viewer)

# code|programme|metric|description|unit|actuals 2019..2023|sessions|target 2024|target 2023
expected=$(cat <<'EOF'
youth_regular_placements|1 若者等に関する取組|☆山口所の紹介による若年者の正社員就職件数|35歳未満の求職者の正社員就職件数|件|{"2019":552,"2020":474,"2021":449,"2022":419,"2023":389}|{}|389|null
new_graduate_placements|1 若者等に関する取組|☆「山口新卒応援ハローワーク」利用者の就職件数|就職支援ナビゲーターの支援による正社員就職件数|件|{"2019":633,"2020":788,"2021":694,"2022":669,"2023":673}|{}|626|666
mothers_corner_placements|2 女性に関する取組|☆山口所の「マザーズコーナー」利用者の就職件数|null|件|{"2019":286,"2020":254,"2021":264,"2022":279,"2023":289}|{}|289|279
reemployment_seminar_seekers|2 女性に関する取組|☆「子育て女性等を対象とした再就職準備セミナー」の参加求職者数|※年2回の開催によるもの (1回20人を目標)|人|{"2019":34,"2020":0,"2021":11,"2022":22,"2023":28}|{"2020":0,"2021":1}|40|40
senior_placements|3 高齢者に関する取組|☆山口所の紹介による高齢者の就職件数|55歳以上の求職者の就職件数|件|{"2019":756,"2020":706,"2021":720,"2022":730,"2023":734}|{}|734|730
senior_seminar_seekers|3 高齢者に関する取組|☆「アクティブシニア・セカンドライフ応援セミナー」の参加求職者数|※年1回の開催によるもの ※令和6年度新規目標|人|{"2019":null,"2020":null,"2021":null,"2022":null,"2023":39}|{}|50|null
senior_company_meeting|3 高齢者に関する取組|☆「アクティブシニアのための企業面談会」の参加企業、参加求職者数|※年1回の開催によるもの|社・人|{"2019":{"companies":19,"persons":40},"2020":{"companies":12,"persons":31},"2021":{"companies":12,"persons":26},"2022":{"companies":6,"persons":20},"2023":{"companies":20,"persons":29}}|{}|{"companies":15,"persons":50}|{"companies":15,"persons":50}
disability_placements|4 障がい者に関する取組|☆山口所の紹介による障がい者の就職件数|null|件|{"2019":178,"2020":152,"2021":144,"2022":168,"2023":200}|{}|200|168
disability_interview_fair|4 障がい者に関する取組|☆「障がい者雇用合同面接会」の参加企業、参加求職者(障がい者)数|※年1回の開催によるもの|社・人|{"2019":{"companies":35,"persons":95},"2020":{"companies":0,"persons":0},"2021":{"companies":23,"persons":51},"2022":{"companies":24,"persons":52},"2023":{"companies":31,"persons":69}}|{}|{"companies":30,"persons":80}|{"companies":30,"persons":100}
welfare_corner_placements|5 福祉分野に関する取組|☆山口所の「人材確保対策コーナー」における就職件数|医療・介護・保育分野の就職件数|件|{"2019":465,"2020":412,"2021":422,"2022":377,"2023":418}|{}|418|null
medical_welfare_fair|5 福祉分野に関する取組|☆「医療・福祉の合同就職面接会」の参加企業、参加求職者数|※年1回の開催によるもの ※令和6年度新規目標|社・人|{"2019":null,"2020":null,"2021":null,"2022":null,"2023":{"companies":6,"persons":21}}|{}|{"companies":8,"persons":30}|null
childcare_mini_interview_seekers|5 福祉分野に関する取組|☆「保育ミニ面接会」の参加求職者数|※年1回の開催によるもの|人|{"2019":4,"2020":7,"2021":0,"2022":7,"2023":6}|{"2021":0}|10|10
welfare_recipient_support|6 生活保護受給者等に関する取組|☆山口所における生活保護受給者等就労自立促進事業の支援対象者、支援対象者のうち就職件数|※支援対象者は市からの送り出し人数|人・件|{"2019":{"persons":163,"cases":126},"2020":{"persons":166,"cases":116},"2021":{"persons":148,"cases":112},"2022":{"persons":151,"cases":110},"2023":{"persons":121,"cases":92}}|{}|{"persons":120,"cases":82}|{"persons":120,"cases":78}
joint_interview_fair|7 企業の人材確保に関する取組|☆「合同就職面接会」の参加企業、参加求職者数|※年1回の開催によるもの ※令和6年度新規目標|社・人|{"2019":null,"2020":null,"2021":null,"2022":null,"2023":null}|{}|{"companies":30,"persons":100}|null
EOF
)

# The plan's page itself, columns 連携項目 … 目標値 令和6年度 (the programme
# repeated on every row, as a table for Excel needs it).
expected_csv=$(cat <<'EOF'
連携項目,項目,説明,平成31年度(令和元年度),令和2年度,令和3年度,令和4年度,令和5年度,目標値 令和6年度
1 若者等に関する取組,☆山口所の紹介による若年者の正社員就職件数,35歳未満の求職者の正社員就職件数,552件,474件,449件,419件,389件,389件
1 若者等に関する取組,☆「山口新卒応援ハローワーク」利用者の就職件数,就職支援ナビゲーターの支援による正社員就職件数,633件,788件,694件,669件,673件,626件 (666件)
2 女性に関する取組,☆山口所の「マザーズコーナー」利用者の就職件数,,286件,254件,264件,279件,289件,289件 (279件)
2 女性に関する取組,☆「子育て女性等を対象とした再就職準備セミナー」の参加求職者数,※年2回の開催によるもの (1回20人を目標),34人,(0回)0人,(1回)11人,22人,28人,40人 (40人)
3 高齢者に関する取組,☆山口所の紹介による高齢者の就職件数,55歳以上の求職者の就職件数,756件,706件,720件,730件,734件,734件 (730件)
3 高齢者に関する取組,☆「アクティブシニア・セカンドライフ応援セミナー」の参加求職者数,※年1回の開催によるもの ※令和6年度新規目標,,,,,39人,50人
3 高齢者に関する取組,☆「アクティブシニアのための企業面談会」の参加企業、参加求職者数,※年1回の開催によるもの,19社 40人,12社 31人,12社 26人,6社 20人,20社 29人,15社・50人 (15社・50人)
4 障がい者に関する取組,☆山口所の紹介による障がい者の就職件数,,178件,152件,144件,168件,200件,200件 (168件)
4 障がい者に関する取組,☆「障がい者雇用合同面接会」の参加企業、参加求職者(障がい者)数,※年1回の開催によるもの,35社 95人,0社 0人,23社 51人,24社 52人,31社 69人,30社・80人 (30社・100人)
5 福祉分野に関する取組,☆山口所の「人材確保対策コーナー」における就職件数,医療・介護・保育分野の就職件数,465件,412件,422件,377件,418件,418件
5 福祉分野に関する取組,☆「医療・福祉の合同就職面接会」の参加企業、参加求職者数,※年1回の開催によるもの ※令和6年度新規目標,,,,,6社 21人,8社・30人
5 福祉分野に関する取組,☆「保育ミニ面接会」の参加求職者数,※年1回の開催によるもの,4人,7人,(0回)0人,7人,6人,10人 (10人)
6 生活保護受給者等に関する取組,☆山口所における生活保護受給者等就労自立促進事業の支援対象者、支援対象者のうち就職件数,※支援対象者は市からの送り出し人数,163人 126件,166人 116件,148人 112件,151人 110件,121人 92件,120人・82件 (120人・78件)
7 企業の人材確保に関する取組,☆「合同就職面接会」の参加企業、参加求職者数,※年1回の開催によるもの ※令和6年度新規目標,,,,,,30社・100人
EOF
)

req GET /api/v1/reports/fiscal-year/2024
check "FY2024 report 200" eq "$STATUS" 200
check "fiscal year and label" eq "$(jbody '"\(.fiscal_year) \(.fiscal_year_label)"')" "2024 令和6年度"
check "the five previous years, labelled as in the plan" eq "$(jbody '[.previous_years[] | "\(.fiscal_year)=\(.label)"] | join(",")')" "2019=平成31年度(令和元年度),2020=令和2年度,2021=令和3年度,2022=令和4年度,2023=令和5年度"
check "fourteen rows" eq "$(jbody '.rows | length')" 14
check "rows in the plan's order" eq "$(jbody '[.rows[].code] | join(" ")')" "$(cut -d'|' -f1 <<<"$expected" | tr '\n' ' ' | sed 's/ $//')"

i=0
while IFS='|' read -r code programme metric description unit actuals sessions target previous; do
	r=".rows[$i]"
	check "$code: programme" eq "$(jbody "$r.programme")" "$programme"
	check "$code: metric name as written" eq "$(jbody "$r.metric")" "$metric"
	check "$code: description as written" eq "$(jbody "$r.description")" "$description"
	check "$code: unit" eq "$(jbody "$r.unit")" "$unit"
	check "$code: actuals 2019-2023" eq "$(jq -c "$r.actuals" <<<"$BODY")" "$actuals"
	check "$code: sessions" eq "$(jq -c "$r.sessions" <<<"$BODY")" "$sessions"
	check "$code: target 令和6年度" eq "$(jq -c "$r.target" <<<"$BODY")" "$target"
	check "$code: target 令和5年度 (in parentheses)" eq "$(jq -c "$r.previous_target" <<<"$BODY")" "$previous"
	i=$((i + 1))
done <<<"$expected"

# Blank is not zero: the plan's empty cells are null, its 0 stays 0.
check "blank cells are null" eq "$(jq -c '[.rows[] | select(.code == "senior_seminar_seekers") | .actuals["2019"]]' <<<"$BODY")" "[null]"
check "(0回)0人 is zero in zero sessions" eq "$(jq -c '.rows[] | select(.code == "childcare_mini_interview_seekers") | [.actuals["2021"], .sessions["2021"]]' <<<"$BODY")" "[0,0]"
check "0社 0人 is two zeros" eq "$(jq -c '.rows[] | select(.code == "disability_interview_fair") | .actuals["2020"]' <<<"$BODY")" '{"companies":0,"persons":0}'

# The same numbers where the database holds them: nothing else loaded.
sql() { psql "$db" -qAtc "$1"; }
check "70 actual cells (14 metrics x 5 years), all from the plan" eq "$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE source = 'plan') FROM plan_actuals")" "70 70"
check "23 targets: 14 for 令和6年度, 9 in parentheses" eq "$(sql "SELECT count(*) FILTER (WHERE fiscal_year = 2024) || ' ' || count(*) FILTER (WHERE fiscal_year = 2023) FROM plan_targets")" "14 9"
check "the API shows every stored figure" eq "$(sql "SELECT sum(coalesce(companies, 0) + coalesce(persons, 0) + coalesce(cases, 0)) FROM plan_actuals")" "$(jq '[.rows[].actuals[] | select(. != null) | if type == "object" then (.[] ) else . end] | add' <<<"$BODY")"
check "counted and entered as the plan says" eq "$(sql "SELECT string_agg(code || '=' || coalesce(event_type, 'entered'), ' ' ORDER BY sort_order) FROM plan_metrics")" "youth_regular_placements=entered new_graduate_placements=entered mothers_corner_placements=entered reemployment_seminar_seekers=reemployment_seminar senior_placements=entered senior_seminar_seekers=senior_seminar senior_company_meeting=senior_company_meeting disability_placements=entered disability_interview_fair=disability_interview_fair welfare_corner_placements=entered medical_welfare_fair=medical_welfare_fair childcare_mini_interview_seekers=childcare_mini_interview welfare_recipient_support=entered joint_interview_fair=joint_interview_fair"

# The CSV export reproduces the page, cell for cell.
curl -s -o "$JF_TMP/fy.csv" -H "Authorization: Bearer $TOKEN" "$JF_URL/api/v1/reports/fiscal-year/2024?format=csv"
tail -c +4 "$JF_TMP/fy.csv" | tr -d '\r' | cut -d, -f1-9 >"$JF_TMP/fy.txt"
diff <(echo "$expected_csv") "$JF_TMP/fy.txt" >&2
check "CSV columns 連携項目..目標値 equal the plan's page" eq "$(md5sum <"$JF_TMP/fy.txt")" "$(echo "$expected_csv" | md5sum)"
curl -s -o "$JF_TMP/fy932.csv" -H "Authorization: Bearer $TOKEN" "$JF_URL/api/v1/reports/fiscal-year/2024?format=csv&encoding=cp932"
check "the CP932 export holds the same page" eq "$(iconv -f CP932 -t UTF-8 "$JF_TMP/fy932.csv" | tr -d '\r' | cut -d, -f1-9 | md5sum)" "$(echo "$expected_csv" | md5sum)"

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
