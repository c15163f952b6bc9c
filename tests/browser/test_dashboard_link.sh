#!/usr/bin/env bash
# The dashboard by access link in a real browser (see dashboard_link.py):
# an organizer makes the link on the events page; a fresh browser profile
# with no session opens it at projector size; scans made with the CLI
# through a second jobfaird reach it (timed); revoking the link on the
# events page stops the page's updates, and the page says so.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
PAGE_URL=$JF_URL PAGE_PID=$JF_PID PAGE_LOG=$JF_LOG
jf_server_start "$db" --no-migrate || exit 1
export JF_CLI_URL=$JF_URL
JF_URL=$PAGE_URL
user() { printf '%s\n' "$3" | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add "$1" --role "$2" --password-stdin | tail -n 1; }
export JF_URL JF_CLI JF_DB="$db"
user olive organizer 'olive-password-1' >/dev/null
export JF_TOKEN_DESK=$(user fern frontdesk 'fern-password-1')

export JF_EVENT=$(ed_event "$db" '合同就職面接会' 300 40 12)
export JF_CODES=$JF_TMP/codes
for i in $(seq 1 30); do
	read -r _ t <<<"$(ed_registration "$db" "$JF_EVENT" "求職者 $i" "キュウショクシャ")"
	echo "$t"
done >"$JF_CODES"
for i in $(seq 1 8); do ed_booth "$db" "$JF_EVENT" "株式会社 山口$i" >/dev/null; done
# Earlier arrivals, so the half hours have something to show.
ed_sql "$db" "INSERT INTO checkins (event_id, registration_id, desk, scanned_at)
    SELECT event_id, id, 'desk-1', '$ED_DAY 13:00+09'::timestamptz + (id % 5) * interval '31 minutes'
    FROM registrations WHERE event_id = $JF_EVENT ORDER BY id DESC LIMIT 12" >/dev/null
ed_sql "$db" "INSERT INTO checkins (event_id, participation_id, desk)
    SELECT event_id, id, 'desk-1' FROM participations WHERE event_id = $JF_EVENT LIMIT 5" >/dev/null

export JF_ARTIFACTS=$JF_BUILD/browser-artifacts
mkdir -p "$JF_ARTIFACTS"
/usr/bin/python3 "$(dirname "$0")/dashboard_link.py"
rc=$?
secret=$(cat "$JF_TMP/secret" 2>/dev/null)
if [ -n "$secret" ] && grep -qF -- "${secret#jfl_}" "$PAGE_LOG" "$JF_LOG"; then
	echo "FAIL the link's secret is in a server log"
	rc=1
else
	echo "ok   the link's secret is in no server log"
fi
exit $rc
