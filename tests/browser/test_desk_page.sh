#!/usr/bin/env bash
# The desk page in a real browser: a USB scanner's 50 codes, the answer
# kinds on screen (screenshots), undo, the offline desk across a
# jobfaird restart and a reload, the camera, lookup and a walk-in (see
# desk.py).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
user() { printf '%s\n' "$3" | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add "$1" --role "$2" --password-stdin | tail -n 1; }
export JF_URL JF_PID JF_BIN JF_DB="$db"
export JF_TOKEN_ORGANIZER=$(user olive organizer 'olive-password-1')
user fern frontdesk 'fern-password-1' >/dev/null

export JF_EVENT=$(ed_event "$db" '合同就職面接会' 300 100 30)
other=$(ed_event "$db" '別の面接会')
export JF_CODES=$JF_TMP/codes
{
	for i in $(seq 1 60); do
		read -r _ t <<<"$(ed_registration "$db" "$JF_EVENT" "求職者 $i" "キュウショクシャ")"
		echo "seeker $t"
	done
	read -r id t <<<"$(ed_registration "$db" "$JF_EVENT" '山田 花子' 'ヤマダ ハナコ')"
	ed_sql "$db" "UPDATE registrations SET accommodations = '{sign_language,wheelchair}', supporters = 1, disability_handbook = 'physical' WHERE id = $id" >/dev/null
	echo "needs $t"
	read -r _ t <<<"$(ed_registration "$db" "$JF_EVENT" '川上 次郎' 'カワカミ ジロウ' cancelled)"
	echo "cancelled $t"
	read -r _ t <<<"$(ed_registration "$db" "$other" '鈴木 三郎' 'スズキ サブロウ')"
	echo "other $t"
	read -r _ t <<<"$(ed_booth "$db" "$JF_EVENT" '株式会社 山口')"
	echo "company $t"
	read -r id _ <<<"$(ed_registration "$db" "$JF_EVENT" '森 春香' 'モリ ハルカ')"
	echo "camera_id $id"
	read -r id _ <<<"$(ed_registration "$db" "$JF_EVENT" '佐藤 一郎' 'サトウ イチロウ' registered 09012345678)"
	echo "lookup_id $id"
} >"$JF_CODES"

export JF_ARTIFACTS=$JF_BUILD/browser-artifacts
mkdir -p "$JF_ARTIFACTS"
/usr/bin/python3 "$(dirname "$0")/desk.py"
rc=$?
# desk.py stopped this jobfaird and ran its own in its place.
wait "$JF_PID" 2>/dev/null
exit $rc
