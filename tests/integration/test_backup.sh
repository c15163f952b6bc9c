#!/usr/bin/env bash
# deploy/backup.sh and deploy/restore.sh: a dump restored into a fresh
# database gives the same reports; restore refuses a non-empty target.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
src=$JF_DB
jf_server_start "$src" || exit 1
TOKEN=$(jf_user "$src" org organizer)
req POST /api/v1/events '{"type":"joint_interview_fair","title":"合同就職面接会","starts_at":"2024-10-15T10:00:00+09:00","ends_at":"2024-10-15T16:00:00+09:00","target_companies":30,"target_seekers":100,"organizer":"joint","status":"open"}'
ev=$(jbody .id)
jf_reopen "$ev"
kana=(x イチ ニ サン)
for i in 1 2 3; do
	req POST "/api/v1/events/$ev/registrations" "{\"name\":\"求職者 $i\",\"name_kana\":\"キュウショクシャ ${kana[$i]}\",\"age\":$((20 * i)),\"categories\":[\"youth\"],\"consent\":true}"
	check "registration $i" eq "$STATUS" 201
	tok=$(jbody .checkin_token)
	[ $i -lt 3 ] && req POST "/api/v1/events/$ev/checkins" "{\"token\":\"$tok\",\"nonce\":\"backup-test-$i\"}"
done
req GET "/api/v1/events/$ev/report"
before_event=$BODY
req GET /api/v1/reports/fiscal-year/2024
before_fy=$BODY
check "report has the check-ins" eq "$(jq -r .seekers.present <<<"$before_event")" 2

JOBFAIR_DATABASE_URL=$src "$JF_SOURCE/deploy/backup.sh" "$JF_TMP/jobfair.dump" 2>/dev/null
check "backup written" test -s "$JF_TMP/jobfair.dump"
check "backup readable only by its owner" eq "$(stat -c %a "$JF_TMP/jobfair.dump")" 600

jf_db_new || exit 1
dst=$JF_DB
JOBFAIR_DATABASE_URL=$dst "$JF_SOURCE/deploy/restore.sh" "$JF_TMP/jobfair.dump" 2>"$JF_TMP/restore.log"
check "restore exits 0" eq $? 0
JOBFAIR_DATABASE_URL=$dst "$JF_SOURCE/deploy/restore.sh" "$JF_TMP/jobfair.dump" 2>/dev/null
check "restore refuses a database with data" test $? -ne 0

jf_server_start "$dst" || exit 1
req GET "/api/v1/events/$ev/report"
check "event report identical after restore" eq "$BODY" "$before_event"
req GET /api/v1/reports/fiscal-year/2024
check "fiscal-year report identical after restore" eq "$BODY" "$before_fy"
check "the token works on the restored database" eq "$STATUS" 200
check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
