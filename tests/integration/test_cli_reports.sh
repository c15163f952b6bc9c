#!/usr/bin/env bash
# End to end through the `jobfair` CLI after the event (issue 5, "Done
# when"): a FY2024 joint interview fair (targets 30 companies, 100 job
# seekers) set up through the CLI, checked in at the door with
# `jobfair checkin`, interviews scanned at the booths with `jobfair
# interview`, outcomes imported from a company's CSV (bad rows refused by
# row and column, all or nothing), then `jobfair report event` and
# `jobfair report fy 2024` print the expected figures; CSV in UTF-8 with
# BOM and in CP932; entered metrics and targets; the purge leaves the
# reports byte-identical; a viewer reads reports but no personal data.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ADMIN=$(jf_user "$db" aiko admin)
ORG=$(jf_user "$db" hanako organizer)
DESK=$(jf_user "$db" desk frontdesk)
VIEWER=$(jf_user "$db" vera viewer)
sql() { psql "$db" -qAtc "$1"; }

work=$JF_TMP/work
mkdir -p "$work"
export XDG_CONFIG_HOME=$JF_TMP/config JOBFAIR_SERVER=$JF_URL JOBFAIR_TOKEN=$ORG

# jf ARGS...: runs the CLI with stdin from /dev/null unless redirected;
# sets RC, OUT and ERR. Every stderr is kept for the sanitizer check.
jf() {
	"$JF_CLI" "$@" >"$JF_TMP/out" 2>"$JF_TMP/err"
	RC=$?
	OUT=$(cat "$JF_TMP/out")
	ERR=$(cat "$JF_TMP/err")
	cat "$JF_TMP/err" >>"$JF_TMP/all-stderr"
}
has() { grep -qF -- "$2" <<<"$1" || { echo "     [$2] not in: $1" >&2; return 1; }; }
lacks() { ! grep -qF -- "$2" <<<"$1"; }
# line TEXT REGEX: one line of TEXT matches the extended regex.
line() { grep -qE -- "$2" <<<"$1" || { echo "     no line like [$2] in:" >&2; echo "$1" >&2; return 1; }; }
# outcome REG COMPANY: an interview's outcome as the database holds it.
outcome() { sql "SELECT outcome || coalesce(' ' || outcome_date, '') FROM interviews WHERE registration_id = $1 AND company_id = $2"; }

# --- the fair, its companies and job seekers -------------------------------
jf events create --type joint_interview_fair --title "令和6年度 合同就職面接会" \
	--starts-at 2024-10-15T10:00:00+09:00 --ends-at 2024-10-15T16:00:00+09:00 \
	--venue 山口市民会館 --target-companies 30 --target-seekers 100 \
	--organizer joint --status open --json
ev=$(jq -r .id <<<"$OUT")
jf_reopen "$ev" "$ORG"
check "fair created" eq "$RC:$(jq -r .fiscal_year <<<"$OUT")" 0:2024
# Another FY2024 event, for a job seeker who is not at this fair.
jf events create --type disability_interview_fair --title "障がい者雇用合同面接会" \
	--starts-at 2025-02-05T13:00:00+09:00 --ends-at 2025-02-05T16:00:00+09:00 \
	--organizer hellowork --status open --json
ev2=$(jq -r .id <<<"$OUT")
jf register "$ev2" --name "別所 健" --kana ベッショ --age 40 --consent --json
other=$(jq -r .id <<<"$OUT")
other_token=$(jq -r .checkin_token <<<"$OUT")

# C1..C4 have a 法人番号, C3 (a nursery) has none; C5 never came; C6 has
# no booth at this fair.
corp=(4000012090001 4011001098993 "" 1180301018771 2120901007402)
names=(山口精機株式会社 湯田温泉株式会社 さくら保育園 小郡運送株式会社 株式会社髙島屋商事)
C=()
for i in 0 1 2 3 4; do
	jf companies add --name "${names[$i]}" ${corp[$i]:+--corporate-number ${corp[$i]}} --json
	C+=("$(jq -r .id <<<"$OUT")")
	jf booths add "$ev" "${C[$i]}" --booth "A-0$((i + 1))" \
		--status "$([ "$i" -eq 4 ] && echo applied || echo confirmed)"
done
jf companies add --name 宇部商会 --json
c6=$(jq -r .id <<<"$OUT")
check "five booths" eq "$(sql "SELECT count(*) FROM participations WHERE event_id = $ev")" 5

printf '%s\r\n' "氏名,フリガナ,生年月日,区分,手帳,同行支援者数,同意" \
	"山口 太郎,ヤマグチ タロウ,2000-05-01,youth,,,はい" \
	"佐藤 花子,サトウ ハナコ,1995-03-03,youth;parenting,,,はい" \
	"鈴木 一郎,スズキ イチロウ,1980-01-01,,,,はい" \
	"高橋 次郎,タカハシ ジロウ,1975-07-07,disability,physical,1,はい" \
	"田中 三郎,タナカ サブロウ,1965-06-06,senior,,,はい" \
	"伊藤 四郎,イトウ シロウ,1955-05-05,senior,,,はい" \
	"渡辺 五月,ワタナベ サツキ,1990-09-09,parenting;single_parent,,,はい" \
	"山本 六子,ヤマモト ムツコ,1985-08-08,welfare,,,はい" \
	"中村 七海,ナカムラ ナナミ,2001-01-01,youth,,,はい" \
	"小林 八重,コバヤシ ヤエ,1970-10-10,,,,はい" >"$work/seekers.csv"
jf registrations import "$ev" "$work/seekers.csv"
check "ten job seekers registered" eq "$RC:$OUT" "0:imported 10, skipped 0"
jf registrations list "$ev" --json
mapfile -t R < <(jq -r '.items | sort_by(.id) | .[].id' <<<"$OUT")
mapfile -t T < <(jq -r '.items | sort_by(.id) | .[].checkin_token' <<<"$OUT")
# R[0..9] and T[0..9] are the people above, in order.
jf registrations cancel "${R[9]}"
check "the tenth cancels" eq "$RC" 0

# --- event day: check-ins at the door --------------------------------------
jf booths list "$ev" --json
mapfile -t BT < <(jq -r '.items | sort_by(.company_id) | .[].checkin_token' <<<"$OUT")
check "booths carry check-in tokens" eq "${#BT[@]}" 5
{
	for i in 0 1 2 3 4 5 6 7; do echo "${T[$i]}"; done
	for i in 0 1 2 3; do echo "${BT[$i]}"; done
	echo "${T[0]}"
} >"$work/door.txt"
JOBFAIR_TOKEN=$DESK jf checkin "$ev" --desk door-1 --data-dir "$JF_TMP/desk" <"$work/door.txt"
check "check-ins through jobfair checkin" eq "$RC" 0
JOBFAIR_TOKEN=$DESK req POST "/api/v1/events/$ev/walkins" \
	'{"name":"木村 九","name_kana":"キムラ キュウ","categories":["youth"],"age":22,"supporters":1,"consent":true,"nonce":"walkin-0001"}' "$DESK"
check "a walk-in registered and checked in" eq "$STATUS" 201
walkin=$(jbody .id)
check "9 job seekers and 4 companies checked in" eq "$(sql "SELECT count(*) FILTER (WHERE registration_id IS NOT NULL) || ' ' || count(*) FILTER (WHERE participation_id IS NOT NULL) FROM checkins WHERE event_id = $ev AND undone_at IS NULL")" "9 4"

# --- interviews at the booths ----------------------------------------------
# C1 scans 太郎, 花子, 一郎, 太郎 again, a stranger's code, garbage, the
# cancelled 八重 and 別所 of the other fair.
printf '%s\n' "${T[0]}" "$(tr A-Z a-z <<<"${T[1]}")" "${T[2]}" "${T[0]}" \
	JF1-ZZZZZZZZZZZZZZZZZZZZZZZZZZ "hello" "${T[9]}" "$other_token" >"$work/c1.txt"
JOBFAIR_TOKEN=$DESK jf interview "$ev" "${C[0]}" <"$work/c1.txt"
check "interview: refusals do not stop the booth (exit 0)" eq "$RC" 0
check "interview: eight answer lines" eq "$(wc -l <<<"$OUT")" 8
check "interview: OK line" line "$OUT" "^OK  registration ${R[0]}: interview recorded  \[1 recorded\]$"
check "interview: lower-case scan normalised" line "$OUT" "^OK  registration ${R[1]}: interview recorded  \[2 recorded\]"
check "interview: second scan ALREADY, with a bell" line "$OUT" $'^ALREADY  registration '"${R[0]}"$': interview already recorded at [0-9][0-9]:[0-9][0-9]; nothing to do\a$'
check "interview: unknown code" line "$OUT" $'^UNKNOWN  not registered for this event: send the person to the front desk\a$'
check "interview: garbage is no code" line "$OUT" $'^UNKNOWN  not a jobfair QR code'
check "interview: cancelled registration" line "$OUT" $'^CANCELLED  registration cancelled: send the person to the front desk\a$'
check "interview: another fair's job seeker" line "$OUT" $'^WRONG EVENT  registered for another event: send the person to the front desk\a$'
check "interview: OK has no bell" bash -c "! grep '^OK' '$JF_TMP/out' | grep -q $'\a'"
check "interview: summary on stderr" has "$ERR" "8 scans: 3 recorded, 1 already recorded, 4 refused, 0 NOT recorded"
check "interview: header names the booth" has "$ERR" "interviews at the booth of 山口精機株式会社, 令和6年度 合同就職面接会"
# C2 by hand: a registration id typed instead of scanned works too.
JOBFAIR_TOKEN=$DESK jf interview "$ev" "${C[1]}" < <(printf '%s\n' "${T[0]}" "${T[3]}" "${R[4]}")
check "interview: by registration id" line "$OUT" "^OK  registration ${R[4]}: interview recorded  \[3 recorded\]$"
JOBFAIR_TOKEN=$DESK jf interview "$ev" "${C[2]}" --json < <(printf '%s\n' "${T[1]}" "${T[5]}")
check "interview --json: one JSON line per scan" eq "$(jq -sr 'map(.result) | join(",")' <<<"$OUT")" recorded,recorded
check "interview --json: the interview" eq "$(jq -sr '.[1].interview | "\(.registration_id) \(.company_id) \(.outcome)"' <<<"$OUT")" "${R[5]} ${C[2]} pending"
check "interview --json: input line numbers" eq "$(jq -sr 'map(.line) | join(",")' <<<"$OUT")" 1,2
JOBFAIR_TOKEN=$DESK jf interview "$ev" "${C[3]}" <<<"${T[6]}"
check "interview at C4" eq "$RC" 0
JOBFAIR_TOKEN=$DESK jf interview "$ev" "$c6" <<<"${T[7]}"
check "a company without a booth here stops at once: 2" eq "$RC" 2
check "STOP says why" line "$OUT" $'^STOP  this company: company has no booth at this event\a$'
JOBFAIR_TOKEN=$VIEWER jf interview "$ev" "${C[0]}" <<<"${T[7]}"
check "a viewer may not record interviews: 2" eq "$RC" 2
jf interview "$ev" 999999 <<<"${T[7]}"
check "no such company: 2, before any scan" eq "$RC:$OUT" 2:
check "nine interviews recorded" eq "$(sql "SELECT count(*) FROM interviews WHERE event_id = $ev")" 9

# --- outcomes from a company's CSV -----------------------------------------
header="登録番号,受付コード,法人番号,企業ID,結果,結果日"
good=(
	",${T[0]},${corp[0]},,内定,2024-11-01"
	"${R[1]},,${corp[0]},,採用,2024-11-20"
	"${R[0]},,${corp[1]},,就職,2024-12-01"
	"${R[3]},,${corp[1]},,辞退,2024-11-05"
	"${R[5]},,,${C[2]},取下げ,2024-10-20"
	"${R[6]},,${corp[3]},,未定,"
	"${R[7]},,${corp[0]},,内定,2024-11-10"
)
{ printf '\xef\xbb\xbf'; printf '%s\r\n' "$header" "${good[@]:0:3}" \
	"${R[2]},,${corp[0]},,合格,2024-11-01" \
	"${R[4]},,4000012090002,,内定,2024-11-01" \
	"${R[6]},,${corp[3]},,未定,2024-11-01" \
	",${T[3]},${corp[1]},${C[1]},辞退," \
	"${good[@]:3}" ",${T[0]},${corp[0]},,採用,2024-11-02"; } >"$work/bad.csv"
jf outcomes import "$ev" "$work/bad.csv"
check "bad rows refuse the whole file: 1" eq "$RC" 1
check "unknown outcome word" has "$ERR" "row 5, column 結果: must be 内定, 採用, 就職, 辞退, 取下げ or 未定"
check "法人番号 check digit" has "$ERR" "row 6, column 法人番号: check digit does not match"
check "pending with a date" has "$ERR" "row 7, column 結果日: a pending interview has no outcome date"
check "company named twice" has "$ERR" "row 8, column 法人番号: give 法人番号 or 企業ID, not both"
check "a repeated row" has "$ERR" "row 13: repeats row 2 (the same job seeker and company)"
check "nothing imported, said so" has "$ERR" "5 of 12 rows are invalid; nothing was imported"
check "nothing written" eq "$(sql "SELECT count(*) FROM interviews WHERE event_id = $ev AND outcome <> 'pending'")" 0

# Valid rows the server refuses: 別所 is at the other fair.
printf '%s\r\n' "$header" "${good[@]}" "$other,,${corp[0]},,内定,2024-11-01" >"$work/refused.csv"
jf outcomes import "$ev" "$work/refused.csv"
check "the server's refusal: 2" eq "$RC" 2
check "refusal named by row and column" has "$ERR" "row 9, column 登録番号: is registered for another event"
check "refusal: nothing imported" has "$ERR" "the server refused 1 of 8 rows; nothing was imported"
check "still nothing written" eq "$(sql "SELECT count(*) FROM interviews WHERE event_id = $ev AND outcome <> 'pending'")" 0

# The good file as Excel saves it for older systems: CP932.
printf '%s\r\n' "$header" "${good[@]}" | iconv -f UTF-8 -t CP932 >"$work/outcomes-cp932.csv"
jf outcomes import "$ev" "$work/outcomes-cp932.csv"
check "outcomes imported from CP932" eq "$RC:$OUT" "0:imported 7 outcomes: 6 interviews updated, 1 recorded from the file"
check "内定 by token" eq "$(outcome "${R[0]}" "${C[0]}")" "offer 2024-11-01"
check "採用" eq "$(outcome "${R[1]}" "${C[0]}")" "hired 2024-11-20"
check "就職 is a hire" eq "$(outcome "${R[0]}" "${C[1]}")" "hired 2024-12-01"
check "取下げ by 企業ID" eq "$(outcome "${R[5]}" "${C[2]}")" "withdrawn 2024-10-20"
check "未定 stays pending" eq "$(outcome "${R[6]}" "${C[3]}")" pending
check "an interview no booth scanned, from the file" eq "$(outcome "${R[7]}" "${C[0]}")" "offer 2024-11-10"

# --- the post-event report --------------------------------------------------
jf report event "$ev"
check "report event exits 0" eq "$RC" 0
rep=$OUT
check "title" eq "$(head -n 1 <<<"$rep")" "令和6年度 合同就職面接会"
check "type, date and fiscal year" eq "$(sed -n 2p <<<"$rep")" "合同就職面接会  2024-10-15 10:00  2024年度 (令和6年度)"
check "header 企業 / 求職者" line "$rep" "^ +企業 +求職者$"
check "registered" line "$rep" "^申込・事前登録 +5 +9$"
check "confirmed booths" line "$rep" "^参加確定 +4 *$"
check "walk-ins" line "$rep" "^当日受付 +1$"
check "cancelled" line "$rep" "^キャンセル +0 +1$"
check "present: 4 companies, 9 job seekers" line "$rep" "^来場\(当日受付を含む\) +4 +9$"
check "no-shows" line "$rep" "^欠席 +1$"
check "targets" line "$rep" "^目標 +30 +100$"
check "achievement 13.3% / 9.0%" line "$rep" "^達成率 +13\.3% +9\.0%$"
check "supporters apart" line "$rep" "^同行支援者\(求職者とは別\)  2$"
check "by category" line "$rep" "^若年者\(35歳未満\) +4 +3$"
check "by age band" line "$rep" "^35～54歳 +3 +3$"
check "interviews in total" line "$rep" "^延べ面接件数 +10$"
check "job seekers interviewed" line "$rep" "^面接を受けた求職者 +8$"
check "per job seeker present" line "$rep" "^来場者1人当たり +1\.11$"
check "per company" line "$rep" "^山口精機株式会社 +4$"
check "a booth without interviews" line "$rep" "^株式会社髙島屋商事 +0$"
check "offers (hires included)" line "$rep" "^内定\(採用を含む\) +4$"
check "hires" line "$rep" "^採用 +2$"
check "pending" line "$rep" "^結果待ち +4$"
check "no names in the report" bash -c "! grep -qE '山口 太郎|ヤマグチ|木村' <<<'$rep'"
# Columns line up by display width, not bytes: every line with both
# figures ends in the same terminal column.
width() { while IFS= read -r l; do printf '%s\n' "$l" | LC_ALL=C.UTF-8 wc -L; done; }
check "figures aligned by display width" eq "$(grep -E '^(申込・事前登録|キャンセル|来場\(当日受付を含む\)|目標|達成率) ' <<<"$rep" | width | sort -u | wc -l)" 1

jf report event "$ev" --json
check "--json: the server's JSON" eq "$(jq -r '"\(.companies.present) \(.seekers.present) \(.seekers.walk_ins) \(.interviews.total) \(.outcomes.offers) \(.outcomes.hires)"' <<<"$OUT")" "4 9 1 10 4 2"
curl -s -H "Authorization: Bearer $ORG" "$JF_URL/api/v1/events/$ev/report?format=json" >"$work/server.json"
jf report event "$ev" --format json --out "$work/ev.json"
check "--format json --out: the server's bytes" cmp "$work/ev.json" "$work/server.json"
check "--out says where" has "$ERR" "report written to $work/ev.json"

jf report event "$ev" --format csv --out "$work/ev.csv"
check "event CSV starts with the UTF-8 BOM" eq "$(head -c 3 "$work/ev.csv" | od -An -tx1 | tr -d ' ')" efbbbf
check "event CSV: present" grep -qx $'企業,当日参加,4\r' "$work/ev.csv"
check "event CSV: interviews" grep -qx $'面接,延べ面接件数,10\r' "$work/ev.csv"
jf report event "$ev" --format csv --encoding cp932 --out "$work/ev932.csv"
check "CP932 event CSV is not UTF-8" bash -c "! iconv -f UTF-8 -t UTF-8 '$work/ev932.csv' >/dev/null 2>&1"
check "CP932 event CSV round-trips with the Japanese intact" eq "$(iconv -f CP932 -t UTF-8 "$work/ev932.csv" | md5sum)" "$(tail -c +4 "$work/ev.csv" | md5sum)"
check "髙 survives CP932" bash -c "iconv -f CP932 -t UTF-8 '$work/ev932.csv' | grep -q '面接(企業別),株式会社髙島屋商事,0'"
jf report event "$ev" --encoding cp932
check "--encoding without csv: 1" eq "$RC" 1
jf report event "$ev" --format xml
check "unknown format: 1" eq "$RC" 1
jf report event 999999
check "no such event: 2" eq "$RC" 2

# --- the fiscal-year table (目標値一覧) ----------------------------------------
jf report fy 2024
check "report fy exits 0" eq "$RC" 0
fy=$OUT
check "title" eq "$(head -n 1 <<<"$fy")" "目標値一覧 令和6年度 (2024年度)"
check "header in the plan's layout" line "$fy" "^連携項目 +項目 +平成31年度\(令和元年度\) +令和2年度 +令和3年度 +令和4年度 +令和5年度 +目標値 令和6年度 +実績 +達成率$"
joint=$(grep '「合同就職面接会」' <<<"$fy")
check "joint fair: this year's actual is the check-ins" line "$joint" "30社・100人 +\(1回\)4社 9人 +社 13\.3%・人 9\.0%$"
check "joint fair: counted equals the check-ins" eq "$(jq -r '.rows[] | select(.code == "joint_interview_fair") | .actual | "\(.companies) \(.persons)"' <<<"$("$JF_CLI" report fy 2024 --json)")" \
	"$(sql "SELECT count(DISTINCT c.participation_id) || ' ' || count(DISTINCT c.registration_id) FROM checkins c JOIN events e ON e.id = c.event_id WHERE c.undone_at IS NULL AND e.type = 'joint_interview_fair' AND e.fiscal_year = 2024")"
check "programme shown once per group" eq "$(grep -c '^3 高齢者に関する取組' <<<"$fy")" 1
check "the plan's figures and previous target" line "$fy" "☆「山口新卒応援ハローワーク」利用者の就職件数 +633件 +788件 +694件 +669件 +673件 +626件 \(666件\) +$"
check "sessions in parentheses, 0 sessions kept" line "$fy" "☆「子育て女性等を対象とした再就職準備セミナー」の参加求職者数 +34人 +\(0回\)0人 +\(1回\)11人 +22人 +28人 +40人 \(40人\) +\(0回\)0人 +0\.0%$"

# Entered metrics and targets.
jf metrics set mothers_corner_placements 2024 120
check "metrics set exits 0" eq "$RC" 0
check "metrics set shows the year" line "$OUT" "^2024 令和6年度 +289件 +120件"
jf report fy 2024
check "entered actual and achievement in report fy" line "$(grep 'マザーズコーナー' <<<"$OUT")" "289件 \(279件\) +120件 +41\.5%$"
jf metrics set mothers_corner_placements 2024 20 --month 4 --note 速報値
check "a month replaces the whole-year figure" line "$OUT" "^2024 令和6年度 +289件 +20件 +4月 20件 +速報値$"
jf report fy 2024
check "report fy follows the month" line "$(grep 'マザーズコーナー' <<<"$OUT")" "289件 \(279件\) +20件 +6\.9%$"
jf metrics set welfare_recipient_support 2024 60 41
check "two figures entered" eq "$RC" 0
jf report fy 2024
check "two figures in report fy" line "$(grep 生活保護受給者等就労自立促進事業 <<<"$OUT")" "120人・82件 \(120人・78件\) +60人 41件 +人 50\.0%・件 50\.0%$"
jf metrics set welfare_recipient_support 2024 60
check "one figure for a two-figure metric: 1" eq "$RC" 1
check "says what it takes" has "$ERR" "welfare_recipient_support: this metric takes two figures: persons (人) and cases (件)"
jf metrics set joint_interview_fair 2024 1 1
check "a counted metric is not entered: 1" eq "$RC" 1
check "says why" has "$ERR" "joint_interview_fair is counted from the check-ins at joint_interview_fair events"
jf metrics set mothers_corner_placements 2024 -5
check "negative figure: 1" eq "$RC" 1
JOBFAIR_TOKEN=$DESK jf metrics set mothers_corner_placements 2024 1
check "frontdesk may not enter: 2" eq "$RC" 2
jf metrics target joint_interview_fair 2025 32 110
check "metrics target exits 0" eq "$RC" 0
jf report fy 2025
check "new target with the previous in parentheses" line "$(grep '「合同就職面接会」' <<<"$OUT")" "32社・110人 \(30社・100人\)"
check "FY2025: FY2024 among the previous years" line "$(grep '「合同就職面接会」' <<<"$OUT")" "\(1回\)4社 9人 +32社・110人"
jf metrics list 2024
check "metrics list FY" line "$OUT" "^mothers_corner_placements +☆山口所の「マザーズコーナー」利用者の就職件数 +件 +入力 +289件 \(279件\) +20件 +6\.9%$"
jf metrics list
check "metrics catalogue" line "$OUT" "^joint_interview_fair +7 企業の人材確保に関する取組 +☆「合同就職面接会」の参加企業、参加求職者数 +社・人 +イベントから集計 +joint_interview_fair$"
jf metrics show mothers_corner_placements --json
check "metrics show --json" eq "$(jq -r '.years[] | select(.fiscal_year == 2024) | "\(.actual) \(.months["4"])"' <<<"$OUT")" "20 20"

# CSV of the fiscal year: UTF-8 with BOM, and CP932 that round-trips.
jf report fy 2024 --format csv --out "$work/fy.csv"
check "FY CSV starts with the UTF-8 BOM" eq "$(head -c 3 "$work/fy.csv" | od -An -tx1 | tr -d ' ')" efbbbf
check "FY CSV: the joint fair row" grep -q $'^7 企業の人材確保に関する取組,☆「合同就職面接会」の参加企業、参加求職者数,.*,30社・100人,(1回)4社 9人,社 13.3%・人 9.0%\r$' "$work/fy.csv"
"$JF_CLI" report fy 2024 --format csv --encoding cp932 >"$work/fy932.csv"
check "FY CSV in CP932 to standard output" test -s "$work/fy932.csv"
check "CP932 FY CSV round-trips with the Japanese intact" eq "$(iconv -f CP932 -t UTF-8 "$work/fy932.csv" | md5sum)" "$(tail -c +4 "$work/fy.csv" | md5sum)"
check "CP932 keeps 平成31年度(令和元年度)" bash -c "iconv -f CP932 -t UTF-8 '$work/fy932.csv' | head -n 1 | grep -q '平成31年度(令和元年度)'"

# --- roles ----------------------------------------------------------------
JOBFAIR_TOKEN=$VIEWER jf report event "$ev"
check "viewer runs report event" eq "$RC:$(sed -n 1p <<<"$OUT")" "0:令和6年度 合同就職面接会"
JOBFAIR_TOKEN=$VIEWER jf report fy 2024 --format csv --out "$work/viewer.csv"
check "viewer runs report fy" eq "$RC" 0
JOBFAIR_TOKEN=$VIEWER jf registrations list "$ev"
check "viewer cannot list registrations: 2" eq "$RC" 2
JOBFAIR_TOKEN=$VIEWER jf registrations show "${R[0]}"
check "viewer cannot read a registration: 2" eq "$RC" 2

# --- retention: the purge leaves the reports as they were ------------------
"$JF_CLI" report event "$ev" >"$work/before.txt"
"$JF_CLI" report event "$ev" --format csv >"$work/before.csv"
"$JF_CLI" report event "$ev" --json >"$work/before.json"
"$JF_CLI" report fy 2024 >"$work/before-fy.txt"
JOBFAIR_TOKEN=$ADMIN jf seekers purge --before 2025 </dev/null
check "no terminal and no --yes: refused (1)" eq "$RC" 1
check "says nothing was purged" has "$ERR" "nothing was purged (use --yes)"
check "nobody purged" eq "$(sql "SELECT count(*) FROM registrations WHERE purged_at IS NOT NULL")" 0
jf seekers purge --before 2025 --yes
check "an organizer may not purge: 2" eq "$RC" 2
JOBFAIR_TOKEN=$ADMIN jf seekers purge --before 2025 --yes
check "admin purges FY2024: 12 job seekers" eq "$RC:$OUT" "0:purged the personal data of 12 job seekers (events before FY2025, 令和7年度)"
check "names gone" eq "$(sql "SELECT count(*) FROM registrations WHERE name IS NOT NULL OR phone IS NOT NULL OR birth_date IS NOT NULL")" 0
"$JF_CLI" report event "$ev" >"$work/after.txt"
"$JF_CLI" report event "$ev" --format csv >"$work/after.csv"
"$JF_CLI" report event "$ev" --json >"$work/after.json"
"$JF_CLI" report fy 2024 >"$work/after-fy.txt"
check "report event table byte-identical after the purge" cmp "$work/before.txt" "$work/after.txt"
check "report event CSV byte-identical after the purge" cmp "$work/before.csv" "$work/after.csv"
check "report event JSON byte-identical after the purge" cmp "$work/before.json" "$work/after.json"
check "report fy byte-identical after the purge" cmp "$work/before-fy.txt" "$work/after-fy.txt"
JOBFAIR_TOKEN=$ADMIN jf seekers purge --before 2027 --yes
check "a fiscal year not yet over: 2" eq "$RC" 2
jf seekers purge
check "--before required: 1" eq "$RC" 1

check "no sanitizer report from the CLI" bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$JF_TMP/all-stderr'"
check "server stops cleanly" jf_server_stop "$JF_PID"
done_testing
