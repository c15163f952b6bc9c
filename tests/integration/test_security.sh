#!/usr/bin/env bash
# Authentication and the audit trail: tokens stored only as hashes,
# revocation, failed sign-ins limited per address, and an audit log that
# neither the API nor SQL can change.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
TOKEN=$(jf_user "$db" alice organizer)

check "token has the documented form" bash -c "[[ '$TOKEN' =~ ^jf_[A-Za-z0-9_-]{43}$ ]]"
stored=$(psql "$db" -qAtc "SELECT count(*) FROM users WHERE token_hash = encode(sha256('$TOKEN'::bytea), 'hex')")
check "only the SHA-256 of the token is stored" eq "$stored" 1
check "the token itself is nowhere in users" eq "$(psql "$db" -qAtc "SELECT count(*) FROM users WHERE token_hash = '$TOKEN' OR name = '$TOKEN'")" 0

req GET /api/v1/event-types
check "valid token accepted" eq "$STATUS" 200
TOKEN="" req GET /api/v1/event-types
check "no token: 401" eq "$STATUS" 401
check "401 in the error shape" eq "$(jbody .error.code)" unauthorized

JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add alice --role admin >/dev/null 2>&1
check "an active name cannot be taken again" test $? -ne 0
JOBFAIR_DATABASE_URL=$db "$JF_BIN" user revoke alice >/dev/null
sleep 11 # the server's token cache holds verified tokens for 10 s
req GET /api/v1/event-types
check "revoked token refused" eq "$STATUS" 401

psql "$db" -qAtc "UPDATE audit_log SET action = 'forged'" >/dev/null 2>&1
check "audit_log refuses UPDATE" test $? -ne 0
psql "$db" -qAtc "DELETE FROM audit_log" >/dev/null 2>&1
check "audit_log refuses DELETE" test $? -ne 0
psql "$db" -qAtc "TRUNCATE audit_log" >/dev/null 2>&1
check "audit_log refuses TRUNCATE" test $? -ne 0

# Failed sign-ins from one address: after 20 in a minute, 429. Two
# failures came above (no token, revoked token).
codes=""
for i in $(seq 1 25); do
	req GET /api/v1/event-types "" "jf_wrong$i"
	codes="$codes $STATUS"
done
check "failures answer 401 up to 20" eq "$(echo "$codes" | tr ' ' '\n' | grep -c '^401$')" 18
check "then 429" eq "$(echo "$codes" | tr ' ' '\n' | grep -c '^429$')" 7
req GET /healthz
check "unauthenticated probes still answer" eq "$STATUS" 200
check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
