# Shared helpers for the integration tests (sourced, not run).
#
# Each test gets its own database in the fixture's cluster, starts its
# own jobfaird on a free port, and ends by printing "N passed, M failed".
# Everything it started is stopped on exit, whatever happens.
set -uo pipefail

: "${JF_BUILD:?run through ctest (JF_BUILD unset)}"
: "${JF_SOURCE:?run through ctest (JF_SOURCE unset)}"
# shellcheck disable=SC1091
. "$JF_BUILD/test-pg.env"

# Check-ins are taken only on an event's days in Japan, and the tests make
# "today's" events from the clock, so a test that runs across midnight in
# Japan (15:00 UTC) sees its event's day end under it. The longest test
# takes under two minutes: one that would start in the last three
# minutes of the day waits for the next one instead.
jf_after_midnight_jst() {
	local hms left
	hms=$(TZ=Asia/Tokyo date +%H:%M:%S)
	left=$((86400 - (10#${hms:0:2} * 3600 + 10#${hms:3:2} * 60 + 10#${hms:6:2})))
	if [ "$left" -le 180 ]; then
		echo "# waiting ${left} s for midnight in Japan (event days are Japan's dates)" >&2
		sleep $((left + 2))
	fi
}
jf_after_midnight_jst

JF_BIN=$JF_BUILD/server/jobfaird
JF_CLI=$JF_BUILD/client-cli/jobfair
JF_TMP=$(mktemp -d /tmp/jobfair-it.XXXXXX)
chmod 755 "$JF_TMP"
JF_PASSED=0
JF_FAILED=0
JF_PIDS=()
JF_CLUSTERS=()
JF_DBS=()

jf_finish() {
	local pid dir db
	for pid in "${JF_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${JF_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
	for db in "${JF_DBS[@]}"; do
		psql "$JF_PGURL" -qAtc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1
	done
	for dir in "${JF_CLUSTERS[@]}"; do
		"$JF_SOURCE/deploy/pg.sh" stop "$dir" >/dev/null 2>&1
	done
	rm -rf "$JF_TMP"
}
trap jf_finish EXIT

# check NAME COMMAND...: one assertion; the command's status decides.
check() {
	local name=$1
	shift
	if "$@"; then
		JF_PASSED=$((JF_PASSED + 1))
		echo "ok   $name"
	else
		JF_FAILED=$((JF_FAILED + 1))
		echo "FAIL $name"
	fi
}

# eq A B: equality with a readable failure.
eq() {
	[ "$1" = "$2" ] && return 0
	echo "     expected [$2] got [$1]" >&2
	return 1
}

done_testing() {
	echo "$JF_PASSED passed, $JF_FAILED failed"
	[ "$JF_FAILED" -eq 0 ] && [ "$JF_PASSED" -gt 0 ]
	exit $?
}

# A fresh database in the shared cluster; its URL is left in JF_DB.
# (Not printed: a $(…) subshell would lose the clean-up list.)
jf_db_new() {
	local db="t_$(basename "$0" .sh)_$$_${#JF_DBS[@]}"
	psql "$JF_PGURL" -qAtc "CREATE DATABASE \"$db\"" >/dev/null || return 1
	JF_DBS+=("$db")
	JF_DB="postgresql:///$db?host=$JF_PGDIR&user=jobfair"
}

# A private cluster for tests that stop and start PostgreSQL; its URL is
# left in JF_DB and its directory in JF_OWN_PGDIR.
jf_cluster_new() {
	JF_OWN_PGDIR=$JF_TMP/pg${#JF_CLUSTERS[@]}
	mkdir -p "$JF_OWN_PGDIR"
	JF_CLUSTERS+=("$JF_OWN_PGDIR")
	JF_DB=$(JOBFAIR_PG_EXTRA_CONF='fsync = off' "$JF_SOURCE/deploy/pg.sh" start "$JF_OWN_PGDIR")
}

# A port nothing listens on, below the kernel's range for outgoing
# connections (net.ipv4.ip_local_port_range, 32768-60999 by default):
# there, a client socket of a test running alongside (a burst of 1,500
# connections, psql, curl) could take it between the probe and the bind.
jf_free_port() {
	local port
	while :; do
		port=$((10000 + RANDOM % 22000))
		! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
	done
	echo $port
}

# jf_wait_serving PATH: until $JF_URL$PATH answers 2xx (10 s), false
# as soon as $JF_PID has exited.
jf_wait_serving() {
	for _ in $(seq 1 100); do
		curl -sf "$JF_URL$1" >/dev/null 2>&1 && return 0
		kill -0 "$JF_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# jf_server_start URL [ARGS...]: starts jobfaird and waits until it serves.
# Sets JF_URL (http://…), JF_PID and JF_LOG. A port taken by another test
# between our probe and the bind is retried on a new port.
jf_server_start() {
	local db=$1
	shift
	local port i try
	for try in 1 2 3 4 5; do
		port=$(jf_free_port)
		JF_URL=http://127.0.0.1:$port
		JF_LOG=$JF_TMP/server-$port.log
		JOBFAIR_DATABASE_URL=$db JOBFAIR_LISTEN=127.0.0.1:$port \
			"$JF_BIN" "$@" >"$JF_LOG" 2>&1 &
		JF_PID=$!
		JF_PIDS+=("$JF_PID")
		jf_wait_serving /healthz && return 0
		grep -q "cannot listen" "$JF_LOG" || break
	done
	echo "jobfaird did not start:" >&2
	cat "$JF_LOG" >&2
	return 1
}

# jf_server_stop PID: SIGTERM and wait; true when it exited 0 and the
# sanitizers said nothing.
jf_server_stop() {
	local pid=$1 log=${2:-$JF_LOG} rc
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$log"; then
		grep -E -A20 'AddressSanitizer|LeakSanitizer|runtime error' "$log" >&2
		return 1
	fi
	[ "$rc" -eq 0 ] || { echo "jobfaird exited $rc" >&2; tail -20 "$log" >&2; }
	return "$rc"
}

# jf_user URL NAME ROLE: creates a user and prints the token.
jf_user() {
	JOBFAIR_DATABASE_URL=$1 "$JF_BIN" user add "$2" --role "$3" | tail -n 1
}

# req METHOD PATH [BODY] [TOKEN]: sets STATUS and BODY.
req() {
	local method=$1 path=$2 body=${3:-} token=${4:-${TOKEN:-}}
	local args=(-s -o "$JF_TMP/body" -w '%{http_code}' -X "$method" --max-time 30)
	[ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	STATUS=$(curl "${args[@]}" "$JF_URL$path")
	BODY=$(cat "$JF_TMP/body")
}

# jf_reopen EVENT [TOKEN]: an organizer (TOKEN) closes and reopens an
# event of past days, as they would to record its figures afterwards:
# check-ins are taken only on an event's days or once it is reopened.
jf_reopen() {
	req PATCH "/api/v1/events/$1" '{"status":"closed"}' "${2:-}"
	req PATCH "/api/v1/events/$1" '{"status":"open"}' "${2:-}"
}

# jq on the last BODY.
jbody() { jq -r "$1" <<<"$BODY"; }
