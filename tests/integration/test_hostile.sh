#!/usr/bin/env bash
# Slow and hostile clients: a slow-loris client is cut off without
# delaying anyone; oversized and malformed requests get a 4xx and the
# server keeps serving.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
jf_server_start "$JF_DB" || exit 1
port=${JF_URL##*:}

# Sends a header line a second; prints how long the server put up with it.
slow_client() {
	trap '' PIPE
	exec 5<>"/dev/tcp/127.0.0.1/$port" || return
	local t0 i
	t0=$(date +%s)
	printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n' >&5
	for i in $(seq 1 40); do
		sleep 1
		printf 'X-Slow-%d: a\r\n' "$i" >&5 2>/dev/null || break
	done
	echo $(($(date +%s) - t0))
}
slow_client >"$JF_TMP/slow" &
slow=$!
sleep 2
worst=0
for i in $(seq 1 20); do
	start=$(date +%s%N)
	req GET /healthz
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -gt "$worst" ] && worst=$ms
	[ "$STATUS" = 200 ] || worst=99999
	sleep 0.2
done
check "others served during a slow client (worst ${worst} ms)" test "$worst" -lt 1500
wait $slow
held=$(cat "$JF_TMP/slow")
check "slow client cut off after about 10 s (held ${held} s)" test "$held" -ge 9 -a "$held" -le 16

long=$(head -c 20000 /dev/zero | tr '\0' a)
code=$(curl -s -o /dev/null -w '%{http_code}' "$JF_URL/healthz?x=$long")
check "over-long URL refused ($code)" test "$code" -ge 400 -a "$code" -lt 500
args=()
for i in $(seq 1 400); do args+=(-H "X-Many-$i: ${long:0:100}"); done
code=$(curl -s -o /dev/null -w '%{http_code}' "${args[@]}" "$JF_URL/healthz" 2>/dev/null)
check "too many headers refused ($code)" test "$code" -ge 400 -a "$code" -lt 500 
code=$(curl -s -o /dev/null -w '%{http_code}' "$JF_URL/api/v1/%00/../etc")
check "NUL in the path: 404 ($code)" eq "$code" 404
code=$(curl -s -o /dev/null -w '%{http_code}' "$JF_URL/healthz?a=%ZZ&&=")
check "malformed query string answered ($code)" test "$code" -ge 200 -a "$code" -lt 500
# Hostile bodies on a real endpoint: each gets its 4xx, nothing is stored.
TOKEN=$(jf_user "$JF_DB" org organizer)
event='"type":"joint_interview_fair","starts_at":"2024-06-10T13:00:00+09:00","ends_at":"2024-06-10T16:00:00+09:00","organizer":"city"'
req POST /api/v1/events "{$event,\"title\":\"a\\u0000b\"}"
check "NUL escaped inside a JSON string: 400 ($STATUS)" eq "$STATUS" 400
code=$(printf '{"title":"a\0b"}' | curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' --data-binary @- "$JF_URL/api/v1/events")
check "raw NUL byte in the body: 400 ($code)" eq "$code" 400
req POST /api/v1/events $'{"title":"\xc3\x28"}'
check "invalid UTF-8: 400 ($STATUS)" eq "$STATUS" 400
deep=$(printf '%.0s[' $(seq 1 5000))$(printf '%.0s]' $(seq 1 5000))
req POST /api/v1/events "{\"title\":$deep}"
check "deeply nested JSON: 400 ($STATUS)" eq "$STATUS" 400
req POST /api/v1/events "{$event,\"title\":\"x\",\"capacity\":1e400}"
check "number out of range: 4xx ($STATUS)" test "$STATUS" -ge 400 -a "$STATUS" -lt 500
req POST /api/v1/events "{$event,\"title\":\"x\",\"capacity\":99999999999}"
check "capacity beyond int: 422 ($STATUS)" eq "$STATUS" 422
big=$(head -c 70000 /dev/zero | tr '\0' a)
req POST /api/v1/events "{$event,\"title\":\"$big\"}"
check "body over the limit: 413 ($STATUS)" eq "$STATUS" 413
check "nothing stored by refused requests" eq "$(psql "$JF_DB" -qAtc "SELECT count(*) FROM events")" 0
sql="Robert'); DROP TABLE events;-- \\\"; SELECT 1/0; \$\$ %s"
req POST /api/v1/companies "{\"name\":\"$sql\",\"address\":\"$sql\",\"industry\":\"$sql\",\"contact_name\":\"$sql\"}"
check "SQL metacharacters accepted as text ($STATUS)" eq "$STATUS" 201
id=$(jbody .id)
req GET "/api/v1/companies/$id"
check "stored verbatim" eq "$(jbody .name)" "Robert'); DROP TABLE events;-- \"; SELECT 1/0; \$\$ %s"
check "and never executed" eq "$(psql "$JF_DB" -qAtc "SELECT to_regclass('events') IS NOT NULL")" t
req GET /healthz
check "still serving" eq "$STATUS" 200
check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
