#!/usr/bin/env bash
# The back office in English: the language switch, a browser asking for
# English, the booth editor, the audit log's pages, phone width and the
# keyboard (see backoffice_english.py).
. "$(dirname "$0")/../integration/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
user() { printf '%s\n' "$3" | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add "$1" --role "$2" --password-stdin | tail -n 1; }
export JF_URL JF_DB="$db"
export JF_TOKEN_ORGANIZER=$(user olive organizer 'olive-password-1')
export JF_TOKEN_ADMIN=$(user ada admin 'ada-password-1')
user fern frontdesk 'fern-password-1' >/dev/null
export JF_ARTIFACTS=$JF_BUILD/browser-artifacts
mkdir -p "$JF_ARTIFACTS"
/usr/bin/python3 "$(dirname "$0")/backoffice_english.py"
rc=$?
jf_server_stop "$JF_PID" || rc=1
exit $rc
