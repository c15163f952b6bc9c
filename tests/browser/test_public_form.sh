#!/usr/bin/env bash
# The public application forms in a phone-sized Chromium, with JavaScript
# and without (see public_form.py and public_company.py), on the public
# door (--public-listen).
. "$(dirname "$0")/../integration/lib.sh"

jf_db_new || exit 1
db=$JF_DB
# The public door on a free port; others if another test took one.
for try in 1 2 3 4 5; do
	pub_port=$(jf_free_port)
	export JF_PUBLIC=http://127.0.0.1:$pub_port
	jf_server_start "$db" --public-listen "127.0.0.1:$pub_port" 2>/dev/null && break
	[ "$try" = 5 ] && exit 1
done
export JF_URL JF_DB="$db"
export JF_TOKEN_ORGANIZER=$(jf_user "$db" olive organizer)
export JF_TOKEN_DESK=$(jf_user "$db" fern frontdesk)
# An organizer who signs in to the back office (public_company.py).
printf 'oscar-password-1\n' | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add oscar --role organizer --password-stdin >/dev/null
TOKEN=$JF_TOKEN_ORGANIZER
start=$(date -d '+10 days' +%Y-%m-%dT13:30:00+09:00)
end=$(date -d '+10 days' +%Y-%m-%dT16:00:00+09:00)
req POST /api/v1/events "{\"type\":\"senior_company_meeting\",\"title\":\"アクティブシニアのための企業面談会\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"venue\":\"山口市民会館 小ホール\",\"capacity\":50,\"organizer\":\"city\",\"status\":\"open\",\"public_open\":true,\"public_bring\":\"筆記用具、履歴書（お持ちの方）\"}"
export JF_EVENT=$(jbody .id)
# Check-ins are taken on the event's days or once an organizer reopens it.
jf_reopen "$JF_EVENT"

export JF_ARTIFACTS=$JF_BUILD/browser-artifacts
mkdir -p "$JF_ARTIFACTS"
/usr/bin/python3 "$(dirname "$0")/public_form.py"
rc=$?
# The companies' form on the same event (its type takes booths).
/usr/bin/python3 "$(dirname "$0")/public_company.py" || rc=1
jf_server_stop "$JF_PID" || rc=1
exit $rc
