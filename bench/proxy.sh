#!/usr/bin/env bash
# Check-ins per second and p99 straight into jobfaird and through nginx
# with TLS (deploy/nginx/jobfair.conf, two jobfaird behind it), in the
# same run on the same data; then the cost of a /metrics scrape. Short:
# BENCH_SECONDS (default 5) per measurement, BENCH_CONNECTIONS (16).
# Uses build-bench (Release) when present, else builds it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=${BENCH_SECONDS:-5}
conns=${BENCH_CONNECTIONS:-16}
build=${BENCH_BUILD:-build-bench}
[ -x "$build/server/jobfaird" ] || {
	cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$build" -j"$(nproc)" --target jobfaird >/dev/null
}

work=$(mktemp -d /tmp/jobfair-proxybench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	deploy/nginx/local.sh stop "$work/nginx" || true
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	deploy/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

url=$(JOBFAIR_PG_EXTRA_CONF='fsync = off' deploy/pg.sh start "$work/pg")
JOBFAIR_DATABASE_URL=$url "$build/server/jobfaird" migrate 2>/dev/null
token=$(JOBFAIR_DATABASE_URL=$url "$build/server/jobfaird" user add bench --role frontdesk | tail -n 1)
event=$(psql "$url" -qAtc "INSERT INTO events (type, title, starts_at, ends_at, organizer, status)
    VALUES ('joint_interview_fair', 'proxy bench', now(), now() + interval '1 day', 'joint', 'open')
    RETURNING id")
# 20,000 seekers; repeated scans are answered "already checked in".
psql "$url" -qAtc "INSERT INTO registrations (event_id, name, name_kana, status, categories,
        consent_at, checkin_token)
    SELECT $event, 'seeker ' || i, 'キュウショクシャ', 'registered', '{youth}', now(),
           'JF1-' || translate(upper(substr(md5(i::text), 1, 26)), '0189', 'WXYZ')
    FROM generate_series(1, 20000) i"
psql "$url" -qAtc "SELECT event_id || ' ' || checkin_token FROM registrations" >"$work/tokens.txt"

ports=()
for i in 0 1; do
	port=$((18180 + i))
	JOBFAIR_DATABASE_URL=$url "$build/server/jobfaird" --listen 127.0.0.1:$port \
		--no-migrate --trusted-proxies 127.0.0.1 2>"$work/jobfaird$i.log" &
	pids+=($!)
	ports+=("$port")
done
for p in "${ports[@]}"; do
	for _ in $(seq 100); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null && break; sleep 0.1; done
done
deploy/nginx/local.sh start "$work/nginx" 18443 18480 "127.0.0.1:${ports[0]}" "127.0.0.1:${ports[1]}"
# wrk does not check the certificate.
run() { # LABEL URL
	BENCH_TOKENS=$work/tokens.txt BENCH_TOKEN=$token \
		wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/checkin.lua "$2" >"$work/$1.wrk" 2>&1
	printf '%-28s %8s check-ins/s  %s\n' "$1" \
		"$(awk '/^Requests\/sec/ { print $2 }' "$work/$1.wrk")" \
		"$(grep '^BENCH' "$work/$1.wrk" | cut -d' ' -f2-)"
}
echo "check-ins, $conns connections, ${secs}s each (nginx: TLS 1.3, two jobfaird behind it)"
run direct "http://127.0.0.1:${ports[0]}"
run nginx-tls "https://127.0.0.1:18443"
run direct-again "http://127.0.0.1:${ports[0]}"
wrk -t1 -c1 -d"${secs}s" --latency "http://127.0.0.1:${ports[0]}/metrics" >"$work/metrics.wrk"
echo "/metrics: $(awk '/^Requests\/sec/ { print $2 }' "$work/metrics.wrk") scrapes/s on one connection," \
	"p50 $(awk '$1 == "50%" { print $2 }' "$work/metrics.wrk"), p99 $(awk '$1 == "99%" { print $2 }' "$work/metrics.wrk")," \
	"$(curl -s "http://127.0.0.1:${ports[0]}/metrics" | wc -c) bytes"
