#!/usr/bin/env bash
# GET /metrics: Prometheus text format (parsed line by line), open to the
# machine itself and to admins only, counting what happened: requests by
# route and status (unknown paths in one series), the latency histogram,
# the pool and its reconnects, live-stream clients, check-ins by result.
# Prints the cost of a scrape.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" --pool-size 4 --trusted-proxies 127.0.0.1 || exit 1
ADMIN=$(jf_user "$db" m-admin admin)
ORG=$(jf_user "$db" m-org organizer)
DESK=$(jf_user "$db" m-desk frontdesk)
EVENT=$(ed_event "$db" 'メトリクスの面接会')
read -r _ t1 <<<"$(ed_registration "$db" "$EVENT" '山田 太郎' 'ヤマダ タロウ')"
read -r _ t2 <<<"$(ed_registration "$db" "$EVENT" '山本 花子' 'ヤマモト ハナコ')"
read -r _ t3 <<<"$(ed_registration "$db" "$EVENT" '山口 次郎' 'ヤマグチ ジロウ')"

# scrape [curl args]: the text into $JF_TMP/m, the status into STATUS.
scrape() { STATUS=$(curl -s -o "$JF_TMP/m" -D "$JF_TMP/mh" -w '%{http_code}' "$@" "$JF_URL/metrics"); }
# value SERIES: the sample's value (the series exactly as written, labels included).
value() { awk -v s="$1" '$1 == s { print $2 }' "$JF_TMP/m"; }
# The format: every sample belongs to a family declared by HELP and TYPE
# before it, names and labels are well-formed, values are numbers; a
# histogram's buckets rise to +Inf, which equals its _count.
valid() {
	python3 - "$JF_TMP/m" <<'PY'
import re, sys
types, seen, buckets, counts = {}, set(), {}, {}
sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)?\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$')
for n, line in enumerate(open(sys.argv[1]).read().split('\n'), 1):
    if line == '':
        continue
    m = re.match(r'^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$', line)
    if m:
        if m[1] == 'TYPE':
            assert m[3] in ('counter', 'gauge', 'histogram'), line
            assert m[2] not in types, 'TYPE twice: ' + line
            types[m[2]] = m[3]
        continue
    m = sample.match(line)
    assert m, f'line {n} malformed: {line!r}'
    name, labels, v = m[1], m[3] or '', float(m[4])
    family = re.sub(r'_(bucket|sum|count)$', '', name) if name not in types else name
    assert family in types, f'line {n}: no TYPE for {name}'
    assert (name, labels) not in seen, f'line {n}: series twice'
    seen.add((name, labels))
    if types[family] == 'counter':
        assert v >= 0, line
    if name.endswith('_bucket'):
        buckets.setdefault(family, []).append((labels, v))
    if name.endswith('_count'):
        counts[family] = v
for family, b in buckets.items():
    values = [v for _, v in b]
    assert values == sorted(values), family + ' buckets fall'
    assert b[-1][0] == 'le="+Inf"' and b[-1][1] == counts[family], family
print(len(seen), 'series')
PY
}

scrape
check "from this machine without a token: 200" eq "$STATUS" 200
check "the text format's content type" grep -qi '^content-type: text/plain; version=0.0.4' "$JF_TMP/mh"
check "well-formed" valid
check "the pool's size" eq "$(value jobfair_db_pool_size)" 4
check "no check-in yet" eq "$(value 'jobfair_checkins_total{result="checked_in"}')" 0

# Forwarded by the trusted proxy for a distant client: an admin's only.
far=(-H 'X-Forwarded-For: 203.0.113.5')
scrape "${far[@]}"
check "a distant client without a token: 401" eq "$STATUS" 401
scrape "${far[@]}" -H "Authorization: Bearer $ORG"
check "a distant organizer: 403" eq "$STATUS" 403
scrape "${far[@]}" -H "Authorization: Bearer $ADMIN"
check "a distant admin: 200" eq "$STATUS" 200

TOKEN=$DESK
scan "$t1" nonce-metrics-1
scan "$t1" nonce-metrics-2
scan JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA nonce-metrics-3
req POST "/api/v1/events/$EVENT/checkins/batch" "{\"scans\":[{\"token\":\"$t2\",\"nonce\":\"nonce-metrics-4\",\"desk\":\"d\"},{\"token\":\"$t3\",\"nonce\":\"nonce-metrics-5\",\"desk\":\"d\"}]}"
check "the batch: 200" eq "$STATUS" 200
for i in 1 2 3 4 5; do curl -s -o /dev/null "$JF_URL/no-such-$i-$RANDOM"; done
curl -sN -H "Authorization: Bearer $DESK" "$JF_URL/api/v1/events/$EVENT/stats/stream" >/dev/null &
spid=$!
JF_PIDS+=("$spid")
sleep 0.5
scrape
check "still well-formed" valid
check "check-ins: checked in (one, then two in the batch)" eq "$(value 'jobfair_checkins_total{result="checked_in"}')" 3
check "check-ins: already" eq "$(value 'jobfair_checkins_total{result="already_checked_in"}')" 1
check "check-ins: unknown token" eq "$(value 'jobfair_checkins_total{result="unknown_token"}')" 1
check "requests by route and status" eq "$(value 'jobfair_http_requests_total{method="POST",route="/api/v1/events/{id}/checkins/batch",status="200"}')" 1
check "unknown paths share one series" eq "$(value 'jobfair_http_requests_total{method="GET",route="none",status="404"}')" 5
check "/metrics counts its own scrapes" test "$(value 'jobfair_http_requests_total{method="GET",route="/metrics",status="200"}')" -ge 2
check "the histogram counts every request" test "$(value jobfair_http_request_duration_seconds_count)" -ge 13
check "one live stream" eq "$(value jobfair_sse_clients)" 1
kill "$spid"
sleep 0.5
scrape
check "  none once it is closed" eq "$(value jobfair_sse_clients)" 0

# The database drops the server's connections: the pool reconnects.
psql "$db" -qAtc "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'jobfaird'" >/dev/null
for _ in $(seq 50); do
	curl -s -o /dev/null "$JF_URL/readyz"
	scrape
	[ "$(value jobfair_db_reconnects_total)" -gt 0 ] && [ "$(value jobfair_db_pool_healthy)" = 4 ] && break
	sleep 0.1
done
check "reconnects counted" test "$(value jobfair_db_reconnects_total)" -gt 0
check "  and the pool healthy again" eq "$(value jobfair_db_pool_healthy)" 4
check "nothing in use or queued at rest" eq "$(value jobfair_db_pool_in_use)/$(value jobfair_db_pool_queue_depth)" 0/0

# What a scrape costs: one connection, back to back, for two seconds.
if command -v wrk >/dev/null; then
	wrk -t1 -c1 -d2s --latency "$JF_URL/metrics" >"$JF_TMP/wrk" 2>&1
	echo "     /metrics scrape: $(awk '/Requests\/sec/ { print $2 }' "$JF_TMP/wrk") scrapes/s, p50 $(awk '$1 == "50%" { print $2 }' "$JF_TMP/wrk"), p99 $(awk '$1 == "99%" { print $2 }' "$JF_TMP/wrk"), $(wc -c <"$JF_TMP/m") bytes"
	check "a scrape every second costs little (over 100/s on one connection)" \
		awk -v r="$(awk '/Requests\/sec/ { print $2 }' "$JF_TMP/wrk")" 'BEGIN { exit !(r > 100) }'
fi
check "stopped cleanly" jf_server_stop "$JF_PID"
done_testing
