#!/usr/bin/env bash
# One user cannot stall the desks (issue 18 item 2). Over a year of
# data (bench/load_years.sql for FY2024 alone: 20 events, 40,000
# registrations), a viewer floods the server with 1,100
# concurrent fiscal-year reports and a desk with 500 concurrent roster
# requests; meanwhile another desk's check-ins answer within three times
# their usual p99 (measured first, in this same test), and the flooding
# users get 429 with Retry-After beyond --user-max-requests (32). The
# figures are printed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checkin_load.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
sed 's/generate_series(2015, 2024)/generate_series(2024, 2024)/' \
	"$JF_SOURCE/bench/load_years.sql" | psql "$db" -q >/dev/null || exit 1
VIEW=$(jf_user "$db" vic viewer)
FLOODER=$(jf_user "$db" fred frontdesk)
DESK=$(jf_user "$db" dana frontdesk)
load_event "$db" 120 || exit 1
EVENT=$LOAD_EVENT
mapfile -t tokens <"$LOAD_TOKENS"

# checkins FROM TO: check-ins of tokens FROM..TO one after another; the
# milliseconds of each go to $JF_TMP/ms, the statuses to $JF_TMP/codes.
checkins() {
	local i out
	: >"$JF_TMP/ms"
	: >"$JF_TMP/codes"
	for i in $(seq "$1" "$2"); do
		out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 60 \
			-H "Authorization: Bearer $DESK" -H 'Content-Type: application/json' \
			--data "{\"token\":\"${tokens[$((i - 1))]}\",\"desk\":\"d\",\"nonce\":\"fair-share-$i\"}" \
			"$JF_URL/api/v1/events/$EVENT/checkins")
		echo "${out% *}" >>"$JF_TMP/codes"
		awk '{printf "%d\n", $2 * 1000}' <<<"$out" >>"$JF_TMP/ms"
	done
}
# p99: of $JF_TMP/ms (the 99th percentile of 50 is the largest but one).
p99() { sort -n "$JF_TMP/ms" | awk '{a[NR] = $1} END {i = int(NR * 0.99); if (i < 1) i = 1; print a[i]}'; }
ok_codes() { [ "$(grep -cv '^200$' "$JF_TMP/codes")" -eq 0 ]; }

# Warm up the statements on every connection, then the usual figures.
curl -s -o /dev/null -H "Authorization: Bearer $VIEW" "$JF_URL/api/v1/reports/fiscal-year/2024"
checkins 1 10
checkins 11 60
check "usual check-ins all answered" ok_codes
usual=$(p99)

wrk -t1 -c1100 -d15s --timeout 30s -H "Authorization: Bearer $VIEW" \
	"$JF_URL/api/v1/reports/fiscal-year/2024" >"$JF_TMP/reports.wrk" 2>&1 &
reports_pid=$!
wrk -t1 -c500 -d15s --timeout 30s -H "Authorization: Bearer $FLOODER" \
	"$JF_URL/api/v1/events/$EVENT/roster" >"$JF_TMP/roster.wrk" 2>&1 &
roster_pid=$!
sleep 3
for _ in $(seq 20); do
	retry=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $VIEW" \
		"$JF_URL/api/v1/reports/fiscal-year/2024" | tr -d '\r')
	grep -q '^HTTP/1.1 429' <<<"$retry" && break
done
check "a refused report: 429 with Retry-After" grep -qiE '^Retry-After: [0-9]+$' <<<"$retry"
checkins 61 110
check "check-ins during the flood all answered" ok_codes
flood=$(p99)
echo "     during the flood, ms: $(sort -n "$JF_TMP/ms" | tr '\n' ' ')"
wait "$reports_pid" "$roster_pid"
# Three times the usual p99, but never under 2 s: wrk, jobfaird and
# PostgreSQL share the machine's two cores with the rest of the parallel
# suite, and the tail is theirs. Before the lanes and the cap the same
# check-ins waited tens of seconds; the tight figure is the benchmark's.
bound=$((usual * 3 > 2000 ? usual * 3 : 2000))
echo "     check-in p99: usual ${usual} ms, during the flood ${flood} ms (bound ${bound} ms)"
# Under the sanitizers jobfaird is several times slower: figures only.
if [ "${JF_SANITIZE:-OFF}" != ON ]; then
	check "a check-in during the flood within 3 x its usual p99 (or 2 s)" test "$flood" -le "$bound"
fi

report_429=$(grep -c 'GET /api/v1/reports/fiscal-year/2024 429' "$JF_LOG")
report_200=$(grep -c 'GET /api/v1/reports/fiscal-year/2024 200' "$JF_LOG")
roster_429=$(grep -c "GET /api/v1/events/$EVENT/roster 429" "$JF_LOG")
roster_200=$(grep -c "GET /api/v1/events/$EVENT/roster 200" "$JF_LOG")
echo "     reports: $report_200 answered, $report_429 refused with 429; rosters: $roster_200 answered, $roster_429 refused"
grep -E 'Requests/sec|Non-2xx' "$JF_TMP/reports.wrk" "$JF_TMP/roster.wrk" | sed 's/^/     /'
check "the viewer's flood gets 429 beyond the cap" test "$report_429" -gt 0
check "the desk's roster flood gets 429 beyond the cap" test "$roster_429" -gt 0
check "both still get answers within the cap" test "$report_200" -gt 0 -a "$roster_200" -gt 0
check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
