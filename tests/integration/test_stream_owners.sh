#!/usr/bin/env bash
# Live streams end when their owner is revoked and after their lifetime
# (issue 18 item 7): a revoked viewer's open /stats/stream ends within
# seconds of `jobfaird user revoke` or of an admin's PATCH /users/{id}
# {"revoked": true} (the servers are told by NOTIFY) with an
# "end" event, and even without the notice at the next keepalive; every
# stream ends after --stream-lifetime, and reconnecting shows the token
# again (a revoked one gets 401).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" --stream-lifetime 3 || exit 1
SHORT_URL=$JF_URL SHORT_PID=$JF_PID
jf_server_start "$db" --no-migrate || exit 1
LONG_URL=$JF_URL LONG_PID=$JF_PID
VIEW=$(jf_user "$db" vera viewer)
KEEP=$(jf_user "$db" kim viewer)
PAT=$(jf_user "$db" pat viewer)
ADMIN=$(jf_user "$db" ada admin)
EVENT=$(ed_event "$db" 'Stream fair' 300 100 30)

# stream NAME URL TOKEN: curl -N in the background; its pid in SPID.
stream() {
	curl -sN --max-time 60 -H "Authorization: Bearer $3" \
		"$2/api/v1/events/$EVENT/stats/stream" >"$JF_TMP/$1.sse" 2>/dev/null &
	SPID=$!
}
alive() { kill -0 "$1" 2>/dev/null; }

# --- lifetime -----------------------------------------------------------
start=$(date +%s.%N)
stream life "$SHORT_URL" "$KEEP"
life_pid=$SPID
sleep 1.5
check "a stream is open before its lifetime" alive "$life_pid"
check "it ends after its lifetime (3 s)" ended "$life_pid" 5
took=$(echo "$(date +%s.%N) - $start" | bc)
check "not before (${took}s)" test "$(echo "$took >= 2.9" | bc)" -eq 1
check "with an end event saying why" grep -qF 'data: {"reason":"lifetime"}' "$JF_TMP/life.sse"
check "after its first numbers" grep -q '^event: stats$' "$JF_TMP/life.sse"
stream again "$SHORT_URL" "$KEEP"
sleep 1
check "the client reconnects with its token" grep -q '^event: stats$' "$JF_TMP/again.sse"
kill "$SPID" 2>/dev/null

# --- revocation -----------------------------------------------------------
stream owner "$LONG_URL" "$VIEW"
owner_pid=$SPID
stream other "$LONG_URL" "$KEEP"
other_pid=$SPID
sleep 1
check "both streams open" alive "$owner_pid"
JOBFAIR_DATABASE_URL=$db "$JF_BIN" user revoke vera >/dev/null
check "the revoked user's stream ends within 3 s" ended "$owner_pid" 3
check "with an end event saying why" grep -qF 'data: {"reason":"revoked"}' "$JF_TMP/owner.sse"
check "another user's stream goes on" alive "$other_pid"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $VIEW" \
	"$LONG_URL/api/v1/events/$EVENT/stats/stream")
check "reconnecting with the revoked token: 401" eq "$code" 401
# Revoked by an admin through the API (the admin page): told at once too.
stream patched "$LONG_URL" "$PAT"
patched_pid=$SPID
sleep 1
check "the stream to be revoked through the API is open" alive "$patched_pid"
pat_id=$(psql "$db" -qAtc "SELECT id FROM users WHERE name = 'pat'")
JF_URL=$LONG_URL req PATCH "/api/v1/users/$pat_id" '{"revoked": true}' "$ADMIN"
check "PATCH /users/{id} revoked: 200" eq "$STATUS" 200
check "the user's stream ends within 2 s of the PATCH" ended "$patched_pid" 2
check "with an end event saying why" grep -qF 'data: {"reason":"revoked"}' "$JF_TMP/patched.sse"
check "another user's stream still goes on" alive "$other_pid"
# Revoked behind the servers' backs (no NOTIFY): the keepalive check.
stream quiet "$LONG_URL" "$KEEP"
quiet_pid=$SPID
sleep 1
psql "$db" -qAtc "UPDATE users SET revoked_at = now() WHERE name = 'kim'"
check "without the notice, at the next keepalive (15 s)" ended "$quiet_pid" 17
check "the other stream of that user too" ended "$other_pid" 1

check "short-lived server stops cleanly" jf_server_stop "$SHORT_PID"
check "stops cleanly" jf_server_stop "$LONG_PID"
done_testing
