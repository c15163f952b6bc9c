#!/usr/bin/env bash
# The back office in English: the language switch, a browser asking for
# English, the booth editor, the audit log's pages, phone width and the
# keyboard (see backoffice_english.py).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
user() { printf '%s\n' "$3" | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add "$1" --role "$2" --password-stdin | tail -n 1; }
export JF_URL JF_DB="$db"
export JF_TOKEN_ORGANIZER=$(user olive organizer 'olive-password-1')
export JF_TOKEN_ADMIN=$(user ada admin 'ada-password-1')
user fern frontdesk 'fern-password-1' >/dev/null
# Today's fair, for the booth page's queue (a scan joins it on the day only).
export JF_DAY_EVENT=$(ed_event "$db" '本日の面接会' 300 100 30)
read -r JF_DAY_COMPANY _ <<<"$(ed_booth "$db" "$JF_DAY_EVENT" '湯田温泉株式会社')"
ed_sql "$db" "UPDATE participations SET booth = 'B-1' WHERE company_id = $JF_DAY_COMPANY" >/dev/null
export JF_DAY_COMPANY
export JF_DAY_CODES="$(ed_registration "$db" "$JF_DAY_EVENT" '森 春香' 'モリ ハルカ' | cut -d' ' -f2) $(ed_registration "$db" "$JF_DAY_EVENT" '林 一樹' 'ハヤシ カズキ' | cut -d' ' -f2)"
export JF_ARTIFACTS=$JF_BUILD/browser-artifacts
mkdir -p "$JF_ARTIFACTS"
/usr/bin/python3 "$(dirname "$0")/backoffice_english.py"
rc=$?
jf_server_stop "$JF_PID" || rc=1
exit $rc
