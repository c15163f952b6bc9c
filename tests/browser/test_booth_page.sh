#!/usr/bin/env bash
# The booth page (面談) in a real browser: codes scanned into the queue,
# two staff pressing 次へ at the same moment in two browsers, 面談済み and
# 不在, and the queue lengths on the dashboard (see booth.py).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
user() { printf '%s\n' "$3" | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add "$1" --role "$2" --password-stdin | tail -n 1; }
export JF_URL
export JF_TOKEN_ORGANIZER=$(user olive organizer 'olive-password-1')
user fern frontdesk 'fern-password-1' >/dev/null

export JF_EVENT=$(ed_event "$db" '合同就職面接会' 300 100 30)
read -r company _ <<<"$(ed_booth "$db" "$JF_EVENT" '株式会社 山口')"
ed_sql "$db" "UPDATE participations SET booth = 'A-1' WHERE company_id = $company" >/dev/null
read -r other _ <<<"$(ed_booth "$db" "$JF_EVENT" '湯田温泉 株式会社')"
ed_sql "$db" "UPDATE participations SET booth = 'A-2' WHERE company_id = $other" >/dev/null
export JF_COMPANY=$company
export JF_CODES=$JF_TMP/codes
names=(山田 花子 佐藤 次郎 鈴木 一郎 高橋 美咲 田中 健太 伊藤 さくら 渡辺 翔 中村 陽菜)
kanas=(ヤマダ ハナコ サトウ ジロウ スズキ イチロウ タカハシ ミサキ タナカ ケンタ イトウ サクラ ワタナベ ショウ ナカムラ ヒナ)
{
	for i in 0 2 4 6 8 10 12 14; do
		read -r id t <<<"$(ed_registration "$db" "$JF_EVENT" "${names[$i]} ${names[$((i + 1))]}" "${kanas[$i]} ${kanas[$((i + 1))]}")"
		ed_sql "$db" "UPDATE registrations SET disability_handbook = 'mental' WHERE id = $id" >/dev/null
		echo "$t"
	done
} >"$JF_CODES"

export JF_ARTIFACTS=$JF_BUILD/browser-artifacts
mkdir -p "$JF_ARTIFACTS"
/usr/bin/python3 "$(dirname "$0")/booth.py"
