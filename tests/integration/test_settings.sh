#!/usr/bin/env bash
# Settings are typed and checked at start: a bad value of any setting,
# from the environment or a flag, stops jobfaird with a message naming
# that setting, before it listens; good values still start it.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
port=$(jf_free_port)

# refuses NAME WANT [VAR=VALUE…] -- [ARGS…]: jobfaird exits non-zero
# within seconds (a server that started would be stopped by timeout, 124)
# and says WANT on stderr.
refuses() {
	local name=$1 want=$2 rc envs=()
	shift 2
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env JOBFAIR_DATABASE_URL="$db" JOBFAIR_LISTEN=127.0.0.1:$port "${envs[@]}" \
		timeout 10 "$JF_BIN" "$@" >"$JF_TMP/out" 2>"$JF_TMP/err"
	rc=$?
	check "$name: exit status" test "$rc" -ne 0 -a "$rc" -ne 124
	check "$name: message" grep -qF -- "$want" "$JF_TMP/err"
	check "$name: never listened" eval '! grep -q listening "$JF_TMP/out" "$JF_TMP/err"'
}

refuses "shutdown timeout not a number (env)" \
	'JOBFAIR_SHUTDOWN_TIMEOUT must be a whole number from 0 to 3600, not "abc"' \
	JOBFAIR_SHUTDOWN_TIMEOUT=abc --
refuses "shutdown timeout out of range (flag)" \
	'--shutdown-timeout must be a whole number from 0 to 3600, not "3601"' \
	-- --shutdown-timeout 3601
refuses "pool size zero (flag)" '--pool-size must be a whole number from 1 to 512, not "0"' \
	-- --pool-size 0
refuses "pool size trailing junk (env)" 'JOBFAIR_POOL_SIZE must be a whole number' \
	JOBFAIR_POOL_SIZE=8x --
refuses "queue max negative (flag=)" '--queue-max must be a whole number from 1 to 1000000, not "-5"' \
	-- --queue-max=-5
refuses "queue max too large (env)" 'JOBFAIR_QUEUE_MAX must be a whole number' \
	JOBFAIR_QUEUE_MAX=99999999999999999999 --
refuses "log format unknown (env)" 'JOBFAIR_LOG_FORMAT must be one of text or json' \
	JOBFAIR_LOG_FORMAT=xml --
refuses "flag wins over env and is the one named" '--pool-size must be a whole number' \
	JOBFAIR_POOL_SIZE=4 -- --pool-size none
refuses "migrate checks settings too" 'JOBFAIR_POOL_SIZE must be a whole number' \
	JOBFAIR_POOL_SIZE=0 -- migrate

# Valid non-default values start it, and the shutdown timeout is used.
jf_server_start "$db" --pool-size 2 --log-format json || exit 1
check "valid values start: json log" grep -q '^{' "$JF_LOG"
check "pool of 2 keeps one for event-day writes" grep -q 'pool of 2 connections to the database (1 kept for event-day writes, 1 reads' "$JF_LOG"
JOBFAIR_SHUTDOWN_TIMEOUT=0 jf_server_start "$db" || exit 1
# The default pool fits the machine: two per online CPU, 2 to 16, with
# a quarter (at least one) kept for event-day writes.
want=$(($(getconf _NPROCESSORS_ONLN) * 2))
[ "$want" -le 16 ] || want=16
check "default pool: two per CPU ($want)" grep -q "pool of $want connections to the database ($((want / 4 > 0 ? want / 4 : 1)) kept" "$JF_LOG"
req GET /healthz
check "shutdown timeout 0 starts" eq "$STATUS" 200
check "stops cleanly" jf_server_stop "$JF_PID"

done_testing
