#!/usr/bin/env bash
# The back office's print and Excel buttons in a real browser: an event
# with seekers, booths and openings, users of every role, then paper.py
# clicks each button and compares what downloads with the API's answer.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
user() { printf '%s\n' "$3" | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add "$1" --role "$2" --password-stdin | tail -n 1; }
export JF_URL JF_DB="$db"
export JF_TOKEN_ORGANIZER=$(user olive organizer 'olive-password-1')
export JF_TOKEN_FRONTDESK=$(user fern frontdesk 'fern-password-1')
export JF_TOKEN_VIEWER=$(user vic viewer 'vic-password-1')

EVENT=$(ed_event "$db" '令和8年度 合同就職面接会（印刷の試験）' 200 100 10)
ed_sql "$db" "UPDATE events SET venue = '山口市産業交流拠点施設 1階 展示ホール' WHERE id = $EVENT" >/dev/null
for i in 1 2 3 4 5 6; do ed_registration "$db" "$EVENT" "山田 太郎$i" 'ヤマダ タロウ' >/dev/null; done
ed_registration "$db" "$EVENT" '髙橋 花子' 'タカハシ ハナコ' >/dev/null
ed_registration "$db" "$EVENT" '取消 一郎' 'トリケシ イチロウ' cancelled >/dev/null
read -r walkin _ <<<"$(ed_registration "$db" "$EVENT" '当日 来子' 'トウジツ キコ')"
ed_sql "$db" "UPDATE registrations SET walk_in = true WHERE id = $walkin" >/dev/null
read -r c1 _ <<<"$(ed_booth "$db" "$EVENT" '株式会社 山口製作所')"
read -r c2 _ <<<"$(ed_booth "$db" "$EVENT" '社会福祉法人 みどりの丘福祉会')"
ed_sql "$db" "UPDATE participations SET booth = CASE company_id WHEN $c1 THEN '1' ELSE '2' END,
    representatives = 2 WHERE event_id = $EVENT" >/dev/null
ed_sql "$db" "INSERT INTO openings (participation_id, title, employment_type, job_number, count)
    SELECT p.id, o.title, o.type, o.num, o.n FROM participations p,
    (VALUES ($c1, '機械オペレーター', '正社員', '35010-12345678', 2),
            ($c2, '介護職員（日勤のみ）', 'パート', '35020-11111111', 3)) o(c, title, type, num, n)
    WHERE p.event_id = $EVENT AND p.company_id = o.c" >/dev/null
export JF_EVENT=$EVENT JF_WALKIN=$walkin
export JF_ARTIFACTS=$JF_BUILD/browser-artifacts
mkdir -p "$JF_ARTIFACTS"
/usr/bin/python3 "$(dirname "$0")/paper.py"
rc=$?
jf_server_stop "$JF_PID" || rc=1
exit $rc
