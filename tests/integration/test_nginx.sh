#!/usr/bin/env bash
# deploy/nginx/jobfair.conf on the loopback with a self-signed certificate
# in front of two jobfaird: TLS and HTTP/2, sign-in with a Secure cookie,
# check-ins, a live stream updated within a second, a report, failover
# when one server dies, and X-Forwarded-* believed only from the proxy.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

command -v nginx >/dev/null || { echo "nginx missing (deploy/deps.sh)" >&2; exit 1; }
site=jobfair.example.org
ngx=$JF_TMP/nginx

jf_db_new || exit 1
db=$JF_DB
JOBFAIR_DATABASE_URL=$db "$JF_BIN" migrate >/dev/null 2>&1
proxied=(--trusted-proxies 127.0.0.1,::1)
jf_server_start "$db" "${proxied[@]}" || exit 1
A_URL=$JF_URL A_PID=$JF_PID A_LOG=$JF_LOG
jf_server_start "$db" "${proxied[@]}" --log-format json || exit 1
B_URL=$JF_URL B_PID=$JF_PID B_LOG=$JF_LOG

tls=$(jf_free_port)
plain=$(jf_free_port)
# The shipped site, with this test's ports, certificate and servers.
check "nginx starts with the site" "$JF_SOURCE/deploy/nginx/local.sh" start "$ngx" "$tls" "$plain" "${A_URL#http://}" "${B_URL#http://}"
ngx_stop() { "$JF_SOURCE/deploy/nginx/local.sh" stop "$ngx"; jf_finish; }
trap ngx_stop EXIT

P=https://$site:$tls
C=(-s --cacert "$ngx/site.pem" --resolve "$site:$tls:127.0.0.1" --max-time 10)
H=$JF_TMP/headers
# preq METHOD PATH [BODY] [curl args]: through nginx with the session cookie.
preq() {
	local method=$1 path=$2 body=${3:-}
	shift 3 2>/dev/null || shift $#
	local args=("${C[@]}" -D "$H" -o "$JF_TMP/body" -w '%{http_code}' -X "$method")
	[ -n "${COOKIE:-}" ] && args+=(-H "Cookie: jf_session=$COOKIE" -H "X-CSRF-Token: $CSRF" -H "Origin: $P")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	STATUS=$(curl "${args[@]}" "$@" "$P$path")
	BODY=$(cat "$JF_TMP/body")
}
header() { sed -n "s/^$1: //Ip" "$H" | tr -d '\r' | tail -n 1; }

check "HTTP/2 over TLS" eq "$(curl "${C[@]}" -o /dev/null -w '%{http_version} %{http_code}' "$P/healthz")" "2 200"
check "TLS 1.1 refused" bash -c "! curl ${C[*]} --tlsv1.1 --tls-max 1.1 -o /dev/null '$P/healthz'"
check "TLS 1.3 offered" eq "$(curl "${C[@]}" --tlsv1.3 -o /dev/null -w '%{http_code}' "$P/healthz")" 200
preq GET /healthz
check "HSTS" bash -c "grep -qi '^strict-transport-security: max-age=63072000' '$H'"
check "http:// is sent to https://" eq "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --resolve "$site:$plain:127.0.0.1" "http://$site:$plain/x")" "301 https://$site/x"

# Sign in through the proxy: the cookie is Secure because nginx says https.
printf 'clerk-password\n' | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add clerk --role organizer --password-stdin >/dev/null
preq POST /api/v1/session '{"name":"clerk","password":"clerk-password"}'
check "sign-in through nginx" eq "$STATUS" 200
check "  the cookie is Secure" bash -c "grep -i '^set-cookie: jf_session=' '$H' | grep -q '; Secure'"
COOKIE=$(header Set-Cookie | sed -n 's/^jf_session=\([A-Za-z0-9_-]*\);.*/\1/p')
CSRF=$(jbody .csrf)
check "  the session's address is the client's" eq "$(psql "$db" -qAtc "SELECT address FROM sessions ORDER BY created_at DESC LIMIT 1")" 127.0.0.1

EVENT=$(ed_event "$db" 'nginx の面接会')
toks=()
for i in 1 2 3 4 5 6 7 8; do
	read -r _ t <<<"$(ed_registration "$db" "$EVENT" "求職者 $i" "キュウショクシャ" registered '' youth)"
	toks+=("$t")
done
curl "${C[@]}" -N --max-time 30 -H "Cookie: jf_session=$COOKIE" "$P/api/v1/events/$EVENT/stats/stream" >"$JF_TMP/s.sse" 2>/dev/null &
JF_PIDS+=($!)
for _ in $(seq 50); do grep -q '^event: stats' "$JF_TMP/s.sse" && break; sleep 0.1; done
check "the stream through nginx: first numbers" grep -q '^event: stats' "$JF_TMP/s.sse"
n0=$(grep -c '^event: stats' "$JF_TMP/s.sse")
preq POST "/api/v1/events/$EVENT/checkins" "{\"token\":\"${toks[0]}\",\"nonce\":\"nginx-nonce-0\",\"desk\":\"desk-1\"}"
t0=$(date +%s.%N)
check "a check-in through nginx" eq "$STATUS" 200
for _ in $(seq 100); do [ "$(grep -c '^event: stats' "$JF_TMP/s.sse")" -gt "$n0" ] && break; sleep 0.02; done
elapsed=$(echo "$(date +%s.%N) - $t0" | bc)
echo "     stream update after ${elapsed}s"
check "the stream shows it within 1 s" awk -v e="$elapsed" 'BEGIN { exit !(e < 1.0) }'
# A projector's stream by dashboard link (links.h): the secret in the
# query string reaches jobfaird but neither access log.
link="jfl_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-43)"
psql "$db" -qAtc "INSERT INTO access_links (kind, event_id, secret_hash, created_by, expires_at)
    VALUES ('dashboard', $EVENT, encode(sha256('$link'), 'hex'), (SELECT min(id) FROM users),
            now() + interval '1 hour')" >/dev/null
curl "${C[@]}" -N --max-time 3 "$P/api/v1/events/$EVENT/stats/stream?link=$link" >"$JF_TMP/link.sse" 2>/dev/null
check "a stream by link through nginx" grep -q '^event: stats' "$JF_TMP/link.sse"
for _ in $(seq 30); do grep -q "stats/stream HTTP" "$ngx/logs/access.log" && break; sleep 0.1; done
check "  nginx logs its path" grep -q "GET /api/v1/events/$EVENT/stats/stream HTTP" "$ngx/logs/access.log"
check "  but not the secret (nor jobfaird)" bash -c "! grep -qF -- '${link#jfl_}' '$ngx/logs/access.log' '$A_LOG' '$B_LOG'"
# A receipt's and a cancellation's secret is in the path, and a receipt's
# page sends its address as the Referer; a link followed over http://.
rsecret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
csecret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
curl "${C[@]}" -o /dev/null "$P/apply/receipt/$rsecret?lang=en"
curl "${C[@]}" -o /dev/null -e "$P/apply/receipt/$rsecret" "$P/apply/receipt/$rsecret/qr.png"
curl "${C[@]}" -o /dev/null -e "$P/apply/receipt/$rsecret?lang=en" "$P/apply/cancel/$csecret"
curl -s -o /dev/null --resolve "$site:$plain:127.0.0.1" "http://$site:$plain/api/v1/events/$EVENT/stats/stream?link=$link"
for _ in $(seq 30); do grep -q "/apply/cancel/" "$ngx/logs/access.log" && break; sleep 0.1; done
check "  nginx logs a receipt's path" grep -q 'GET /apply/receipt/{secret}/qr.png HTTP.*"https://[^"]*/apply/receipt/{secret}"' "$ngx/logs/access.log"
check "  and a cancellation's" grep -q 'GET /apply/cancel/{secret} HTTP' "$ngx/logs/access.log"
check "  without their secrets, nor a link's over http://" bash -c "! grep -qF -e '$rsecret' -e '$csecret' -e '${link#jfl_}' '$ngx/logs/access.log' '$A_LOG' '$B_LOG'"
# The public form through nginx, which sends each request to A or B in
# turn: a form drawn by one server is taken by the other.
fstart=$(date -d '+10 days' +%Y-%m-%dT10:00:00+09:00) fend=$(date -d '+10 days' +%Y-%m-%dT16:00:00+09:00)
preq POST /api/v1/events "{\"type\":\"joint_interview_fair\",\"title\":\"nginx 越しの申込み\",\"starts_at\":\"$fstart\",\"ends_at\":\"$fend\",\"organizer\":\"city\",\"status\":\"open\",\"public_open\":true}"
FEV=$(jbody .id)
fc=$JF_TMP/form-cookies applied=""
for n in イチ ニ サン ヨン; do
	curl "${C[@]}" -c "$fc" -b "$fc" -o "$JF_TMP/form.html" "$P/apply/events/$FEV"
	fcsrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$JF_TMP/form.html" | head -1 | sed 's/.*value="//; s/"//')
	fpurpose=$(grep -o 'name="purpose_id" value="[0-9]*"' "$JF_TMP/form.html" | sed 's/.*value="//; s/"//')
	applied+=" $(curl "${C[@]}" -o /dev/null -w '%{http_code}' -c "$fc" -b "$fc" -H "Origin: $P" \
		--data-urlencode "csrf=$fcsrf" --data-urlencode "purpose_id=$fpurpose" --data-urlencode "name=経由$n" \
		--data-urlencode "name_kana=ケイユ$n" --data-urlencode "age=30" --data-urlencode "consent=yes" \
		"$P/apply/events/$FEV")"
done
check "four applications through nginx (two servers): all taken" eq "$applied" " 303 303 303 303"
preq GET "/api/v1/events/$EVENT/report" '' -H 'Accept-Encoding: gzip' --compressed
check "a report through nginx" eq "$STATUS" 200
check "  gzip-compressed" eq "$(header Content-Encoding)" gzip

# X-Forwarded-For: the proxy's word is taken, a client's own is not.
curl -s -o /dev/null -H 'X-Forwarded-For: 203.0.113.7' "${C[@]}" "$P/healthz?via=nginx"
curl -s -o /dev/null -H 'X-Forwarded-For: 203.0.113.8' -H 'X-Forwarded-Proto: https' \
	--interface 127.0.0.2 "$B_URL/healthz?via=direct"
curl -s -o /dev/null -H 'X-Forwarded-For: 198.51.100.9' "$B_URL/healthz?via=proxy"
sleep 0.3
check "through nginx, the client's own X-Forwarded-For is replaced" bash -c "! grep -q 203.0.113.7 '$B_LOG' '$A_LOG'"
check "not from a proxy, X-Forwarded-For is ignored" bash -c "! grep -q 203.0.113.8 '$B_LOG'"
check "  and the peer's address is logged" grep -q '"client":"127.0.0.2"' "$B_LOG"
check "from a trusted proxy it is believed" grep -q '"client":"198.51.100.9"' "$B_LOG"
curl -s -D "$H" -o "$JF_TMP/body" -H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' \
	--interface 127.0.0.2 --data-binary '{"name":"clerk","password":"clerk-password"}' "$B_URL/api/v1/session"
check "not from a proxy, X-Forwarded-Proto does not make the cookie Secure" \
	bash -c "grep -i '^set-cookie: jf_session=' '$H' | grep -qv '; Secure'"

# One server dies: the next requests go to the other.
kill -9 "$A_PID"
wait "$A_PID" 2>/dev/null
ok=0
for i in 1 2 3 4 5 6; do
	preq POST "/api/v1/events/$EVENT/checkins" "{\"token\":\"${toks[$i]}\",\"nonce\":\"nginx-nonce-k$i\",\"desk\":\"desk-1\"}"
	[ "$STATUS" = 200 ] && ok=$((ok + 1))
	preq GET "/api/v1/events/$EVENT/stats"
	[ "$STATUS" = 200 ] && ok=$((ok + 1))
done
check "with A killed, every request succeeds through B" eq "$ok" 12
check "each check-in recorded once" eq "$(psql "$db" -qAtc "SELECT count(*) FROM checkins WHERE event_id = $EVENT")" 7
check "B stops cleanly" jf_server_stop "$B_PID" "$B_LOG"
done_testing
