#!/usr/bin/env bash
# The access log is written a round of the loop at a time, not a line
# per request: no line may be lost for it. Clients keep requesting over
# kept-alive connections while the server gets SIGTERM; every request
# answered 200 has its access line, whole, in text and in JSON.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB

# load CLIENT: 3,000 requests over one kept-alive connection, one status
# per line (000 once the server has gone).
load() {
	local i
	for i in $(seq 1 3000); do
		printf 'url = "%s/healthz?c=%s&i=%s"\noutput = /dev/null\n' "$JF_URL" "$1" "$i"
	done >"$JF_TMP/urls-$1"
	curl -s --max-time 60 -w '%{http_code}\n' -K "$JF_TMP/urls-$1" \
		>"$JF_TMP/load-$1" 2>/dev/null
}

# sigterm_under_load FORMAT: four clients, SIGTERM once each has been
# answered a while, then the counts. Sets ANSWERED and LOGGED.
sigterm_under_load() {
	local format=$1 pids=() c
	jf_server_start "$db" --no-migrate --log-format "$format" || return 1
	for c in 1 2 3 4; do
		load "$c" &
		pids+=($!)
	done
	# Until the server has answered a few hundred, not all.
	for _ in $(seq 1 500); do
		[ "$(grep -c '/healthz' "$JF_LOG")" -ge 400 ] && break
		sleep 0.01
	done
	check "$format: SIGTERM under load exits 0" jf_server_stop "$JF_PID"
	for c in "${pids[@]}"; do wait "$c"; done
	ANSWERED=$(cat "$JF_TMP"/load-* | grep -c '^200$')
	if [ "$format" = json ]; then
		LOGGED=$(grep '"type":"access"' "$JF_LOG" | jq -r 'select(.path == "/healthz") | .status' | grep -c '^200$')
	else
		LOGGED=$(grep -cE '^[0-9T:Z-]+ info GET /healthz 200 [0-9.]+ms$' "$JF_LOG")
	fi
	rm -f "$JF_TMP"/load-* "$JF_TMP"/urls-*
}

for format in text json; do
	sigterm_under_load "$format" || exit 1
	check "$format: load was answered in part ($ANSWERED of 12,000)" \
		test "$ANSWERED" -gt 0 -a "$ANSWERED" -lt 12000
	# The probe that waited for the server adds one line; a reply that
	# was logged but not yet sent when the server stopped may add one
	# per client. None may be missing.
	check "$format: every answered request logged ($LOGGED lines, $ANSWERED answers)" \
		test "$LOGGED" -ge "$ANSWERED"
	check "$format: no line logged twice" test "$LOGGED" -le $((ANSWERED + 5))
	check "$format: the log's lines are whole" \
		bash -c "! grep -vE '^([0-9]{4}-[0-9]{2}-[0-9]{2}T|\\{\".*\\}$)' '$JF_LOG'"
done

done_testing
