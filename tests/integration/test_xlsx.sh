#!/usr/bin/env bash
# The reports as .xlsx, read back with a real reader (openpyxl,
# xlsx_check.py): every cell equal to the CSV's, figures as numbers, the
# 目標値一覧's two header rows merged as the plan merges them and its
# FY2019-2023 actuals and FY2024 targets the plan's; the CLI's
# --format xlsx; roles.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ORG=$(jf_user "$db" olivia organizer)
VIEW=$(jf_user "$db" victor viewer)
DESK=$(jf_user "$db" fiona frontdesk)
TOKEN=$ORG
check_xlsx() { /usr/bin/python3 "$JF_SOURCE/tests/integration/xlsx_check.py" "$@"; }

# get PATH FILE [TOKEN]: sets STATUS and CTYPE.
get() {
	local out
	out=$(curl -s -D "$2.h" -o "$2" -w '%{http_code} %{content_type}' --max-time 60 \
		-H "Authorization: Bearer ${3:-$TOKEN}" "$JF_URL$1")
	STATUS=${out%% *}
	CTYPE=${out#* }
}
XLSX=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet

# An event with booths, seekers, check-ins and interviews.
EVENT=$(ed_event "$db" '令和6年度 合同就職面接会' 40 16 3)
for i in 1 2 3 4 5 6; do
	read -r reg _ <<<"$(ed_registration "$db" "$EVENT" "求職 者$i" 'キュウショク シャ' registered '' youth)"
	[ "$i" -le 4 ] && ed_sql "$db" "INSERT INTO checkins (event_id, registration_id) VALUES ($EVENT, $reg)" >/dev/null
done
read -r c1 _ <<<"$(ed_booth "$db" "$EVENT" '株式会社 髙橋商店')"
ed_sql "$db" "INSERT INTO checkins (event_id, participation_id)
    SELECT $EVENT, id FROM participations WHERE company_id = $c1" >/dev/null

get "/api/v1/events/$EVENT/report?format=csv" "$JF_TMP/ev.csv"
get "/api/v1/events/$EVENT/report?format=xlsx" "$JF_TMP/ev.xlsx"
check "event xlsx 200" eq "$STATUS" 200
check "xlsx content type" eq "$CTYPE" "$XLSX"
check "xlsx file name" grep -q "filename=\"event-$EVENT-report.xlsx\"" "$JF_TMP/ev.xlsx.h"
check "event xlsx equals its CSV, figures as numbers" check_xlsx event "$JF_TMP/ev.xlsx" "$JF_TMP/ev.csv"
check "the achievement is a percentage" bash -c "/usr/bin/python3 -c \"
import openpyxl, sys
ws = openpyxl.load_workbook('$JF_TMP/ev.xlsx').active
r = [r for r in ws.iter_rows() if r[0].value == '求職者' and r[1].value == '達成率'][0]
sys.exit(not (r[2].number_format == '0.0%' and abs(r[2].value - 0.25) < 1e-9))\""

get "/api/v1/reports/fiscal-year/2024?format=csv" "$JF_TMP/fy.csv"
get "/api/v1/reports/fiscal-year/2024?format=xlsx" "$JF_TMP/fy.xlsx" "$VIEW"
check "a viewer gets the 目標値一覧 as xlsx" eq "$STATUS" 200
check "fy xlsx equals its CSV; the plan's actuals and targets" check_xlsx fy "$JF_TMP/fy.xlsx" "$JF_TMP/fy.csv" --plan
check "the checker fails on a wrong CSV" bash -c "sed 's/552件/553件/' '$JF_TMP/fy.csv' >'$JF_TMP/bad.csv'; ! /usr/bin/python3 '$JF_SOURCE/tests/integration/xlsx_check.py' fy '$JF_TMP/fy.xlsx' '$JF_TMP/bad.csv' >/dev/null"
get "/api/v1/reports/fiscal-year/2024?format=xlsx&encoding=cp932" "$JF_TMP/x"
check "encoding with xlsx 422" eq "$STATUS" 422

# The CLI saves the same workbook.
export XDG_CONFIG_HOME=$JF_TMP/config JOBFAIR_SERVER=$JF_URL JOBFAIR_TOKEN=$ORG
"$JF_CLI" report fy 2024 --format xlsx --out "$JF_TMP/cli.xlsx" 2>"$JF_TMP/err"
check "jobfair report fy --format xlsx" check_xlsx fy "$JF_TMP/cli.xlsx" "$JF_TMP/fy.csv" --plan
"$JF_CLI" report event "$EVENT" --format xlsx --out "$JF_TMP/clie.xlsx" 2>"$JF_TMP/err"
check "jobfair report event --format xlsx" check_xlsx event "$JF_TMP/clie.xlsx" "$JF_TMP/ev.csv"
"$JF_CLI" report fy 2024 --format xlsx >/dev/null 2>"$JF_TMP/err"
check "xlsx to a terminal is refused" eq "$?" 1

# The organizers' lists: registrations (personal data) and companies.
ed_sql "$db" "INSERT INTO openings (participation_id, title, employment_type, job_number, count)
    SELECT id, '販売スタッフ', 'パート', '35010-1234567', 3 FROM participations WHERE company_id = $c1" >/dev/null
get "/api/v1/events/$EVENT/registrations.xlsx" "$JF_TMP/regs.xlsx"
check "registrations.xlsx 200" eq "$STATUS:$CTYPE" "200:$XLSX"
check "a row per registration, ids as numbers, names" eq "$(/usr/bin/python3 -c "
import openpyxl
ws = openpyxl.load_workbook('$JF_TMP/regs.xlsx').active
rows = list(ws.iter_rows(values_only=True))
print(rows[0][0], rows[0][1], len(rows) - 1, all(isinstance(r[0], int) for r in rows[1:]),
      rows[1][1], rows[1][7], sum(r[12] == '来場' for r in rows[1:]), ws.freeze_panes)")" \
	"受付番号 氏名 6 True 求職 者1 若年者(35歳未満) 4 A2"
check "the export is audited" eq "$(ed_sql "$db" "SELECT count(*) FROM audit_log WHERE action = 'export'")" 1
get "/api/v1/events/$EVENT/companies.xlsx" "$JF_TMP/cos.xlsx"
check "companies.xlsx 200" eq "$STATUS" 200
check "companies with their openings" eq "$(/usr/bin/python3 -c "
import openpyxl
ws = openpyxl.load_workbook('$JF_TMP/cos.xlsx').active
rows = list(ws.iter_rows(values_only=True))
print(len(rows) - 1, rows[1][1], rows[1][4], rows[1][6], ws.cell(2, 7).number_format, rows[1][7])")" \
	'1 株式会社 髙橋商店 販売スタッフ 3 0"人" 35010-1234567'
for who in DESK VIEW; do
	get "/api/v1/events/$EVENT/registrations.xlsx" "$JF_TMP/x" "${!who}"
	check "$who may not list registrations (403)" eq "$STATUS" 403
	get "/api/v1/events/$EVENT/companies.xlsx" "$JF_TMP/x" "${!who}"
	check "$who may not list companies (403)" eq "$STATUS" 403
done
get "/api/v1/events/99999/registrations.xlsx" "$JF_TMP/x"
check "an unknown event 404" eq "$STATUS" 404

done_testing
