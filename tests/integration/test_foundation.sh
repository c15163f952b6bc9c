#!/usr/bin/env bash
# The server skeleton: probes, error shape, access log, the loop not
# blocking on a slow query, help, and a clean stop.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1

req GET /healthz
check "healthz 200" eq "$STATUS" 200
check "healthz body" eq "$BODY" '{"status":"ok"}'
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$JF_URL/healthz")
check "json content type" eq "$ctype" "application/json; charset=utf-8"

req GET /readyz
check "readyz 200" eq "$STATUS" 200
check "readyz body" eq "$(jbody .status)" ready

req GET /no/such/path
check "unknown path 404" eq "$STATUS" 404
check "404 error code" eq "$(jbody .error.code)" not_found
check "404 has message" test -n "$(jbody .error.message)"

req DELETE /healthz
check "wrong method 405" eq "$STATUS" 405
check "405 error code" eq "$(jbody .error.code)" method_not_allowed

# A query held up for three seconds must not hold up the loop: readyz
# waits on a lock while healthz answers. The bound is loose on purpose
# (the suite runs in parallel, under ASan too): a blocked loop would take
# the seconds the lock is held.
psql "$db" -qAtc "BEGIN; LOCK TABLE schema_migrations; SELECT pg_sleep(3); COMMIT" >/dev/null &
locker=$!
# Until the lock is really held: psql may start slowly on a busy machine.
for _ in $(seq 1 50); do
	[ "$(psql "$db" -qAtc "SELECT count(*) FROM pg_locks WHERE granted AND mode = 'AccessExclusiveLock' AND relation = 'schema_migrations'::regclass")" = 1 ] && break
	sleep 0.05
done
t0=$(date +%s%N)
curl -s -o "$JF_TMP/slow" -w '%{http_code}' "$JF_URL/readyz" >"$JF_TMP/slow.status" &
slow=$!
sleep 0.2
start=$(date +%s%N)
req GET /healthz
ms=$((($(date +%s%N) - start) / 1000000))
check "healthz answers during a slow query (${ms} ms)" test "$ms" -lt 1000
check "healthz 200 during slow query" eq "$STATUS" 200
wait $slow
slow_ms=$((($(date +%s%N) - t0) / 1000000))
check "readyz waited for the lock (${slow_ms} ms)" test "$slow_ms" -ge 2000
check "readyz then succeeded" eq "$(cat "$JF_TMP/slow.status")" 200
wait $locker

check "access log line" grep -qE 'GET /healthz 200 [0-9.]+ms' "$JF_LOG"

"$JF_BIN" --help >"$JF_TMP/help"
check "help lists JOBFAIR_LISTEN" grep -q JOBFAIR_LISTEN "$JF_TMP/help"
check "help lists JOBFAIR_DATABASE_URL" grep -q JOBFAIR_DATABASE_URL "$JF_TMP/help"

# JSON access log.
jf_server_start "$db" --no-migrate --log-format json || exit 1
req GET /healthz
sleep 0.1
check "json access log" bash -c "grep '\"type\":\"access\"' '$JF_LOG' | jq -e 'select(.path == \"/healthz\" and .status == 200)' >/dev/null"

check "SIGTERM exits 0" jf_server_stop "$JF_PID"
done_testing
