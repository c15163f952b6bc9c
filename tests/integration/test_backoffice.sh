#!/usr/bin/env bash
# The back office's server side: static files from memory (types, ETag and
# 304, gzip, security headers), sign-in with a password (Argon2id, off the
# event loop: /healthz stays prompt while sign-ins hash), the session
# cookie's flags, CSRF and Origin, the sign-in limits, sign-out and
# revocation ending a session at once, and the admin API's roles.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
web=$JF_SOURCE/tests/integration/web
jf_server_start "$db" --web-dir "$web" || exit 1
sql() { psql "$db" -qAtc "$1"; }
ADMIN=$(printf 'boss-password\n' | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add boss --role admin --password-stdin | tail -n 1)
printf 'clerk-password\n' | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user add clerk --role organizer --password-stdin >/dev/null
check "the CLI stores an Argon2id hash" eq "$(sql "SELECT password_hash LIKE '\$argon2id\$%' FROM users WHERE name = 'boss'")" t
check "no password in the database in clear" eq "$(sql "SELECT count(*) FROM users WHERE password_hash LIKE '%boss-password%'")" 0
check "user add without a terminal: token only" test -n "$(jf_user "$db" scripted viewer)"
check "  and no password" eq "$(sql "SELECT password_hash IS NULL FROM users WHERE name = 'scripted'")" t

# --- static files ---------------------------------------------------------
H=$JF_TMP/headers
get() { # get PATH [curl args...]: STATUS, headers in $H, body in $JF_TMP/body
	local path=$1
	shift
	rm -f "$JF_TMP/body" # curl writes no file for an empty body
	STATUS=$(curl -s -D "$H" -o "$JF_TMP/body" -w '%{http_code}' "$@" "$JF_URL$path")
}
header() { grep -i "^$1:" "$H" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

get /
check "/ serves index.html" eq "$STATUS" 200
check "  as HTML in UTF-8" eq "$(header Content-Type)" "text/html; charset=utf-8"
check "  byte for byte" cmp -s "$JF_TMP/body" "$web/index.html"
csp=$(header Content-Security-Policy)
check "  CSP: scripts from ourselves only" grep -q "script-src 'self';" <<<"$csp"
check "  CSP: no inline anything" eq "$(grep -c unsafe-inline <<<"$csp")" 0
check "  CSP: no framing" grep -q "frame-ancestors 'none'" <<<"$csp"
check "  nosniff" eq "$(header X-Content-Type-Options)" nosniff
check "  Referrer-Policy" eq "$(header Referrer-Policy)" same-origin
check "  revalidated each time" eq "$(header Cache-Control)" no-cache
etag=$(header ETag)
check "  a strong ETag" grep -qE '^"[0-9a-f]{20}"$' <<<"$etag"
get / -H "If-None-Match: $etag"
check "If-None-Match → 304" eq "$STATUS" 304
check "  with no body" test ! -s "$JF_TMP/body"
get /app.css -H 'Accept-Encoding: gzip, deflate'
check "CSS gzipped when accepted" eq "$(header Content-Encoding)" gzip
check "  as CSS" eq "$(header Content-Type)" "text/css; charset=utf-8"
check "  Vary: Accept-Encoding" eq "$(header Vary)" Accept-Encoding
check "  decompresses to the file" cmp -s <(gunzip -c "$JF_TMP/body") "$web/app.css"
check "  its own ETag" grep -q -- '-gz"' <<<"$(header ETag)"
get /app.css -H 'Accept-Encoding: gzip;q=0'
check "gzip;q=0 is plain" eq "$(header Content-Encoding)" ""
get /app.js
check "JavaScript module type" eq "$(header Content-Type)" "text/javascript; charset=utf-8"
get /nothing.html
check "an unknown file: 404" eq "$STATUS" 404
check "  in the JSON error shape" eq "$(jq -r .error.code "$JF_TMP/body")" not_found
get /index.html -X POST
check "POST to a file: 405" eq "$STATUS" 405
get /../../etc/passwd --path-as-is
check "no way out of the web directory" eq "$STATUS" 404
STATUS=$(curl -s -I -o "$H" -w '%{http_code}' "$JF_URL/")
check "HEAD /" eq "$STATUS" 200

# --- signing in -----------------------------------------------------------
C=$JF_TMP/cookies
signin() { # signin NAME PASSWORD [curl args...]
	local body
	body=$(jq -nc --arg n "$1" --arg p "$2" '{name: $n, password: $p}')
	shift 2
	STATUS=$(curl -s -D "$H" -o "$JF_TMP/body" -w '%{http_code}' -H 'Content-Type: application/json' \
		--data-binary "$body" "$@" "$JF_URL/api/v1/session")
	BODY=$(cat "$JF_TMP/body")
}
# creq METHOD PATH COOKIE [BODY] [curl args...]: a request with a session cookie.
creq() {
	local method=$1 path=$2 cookie=$3 body=${4:-}
	shift 4 2>/dev/null || shift $#
	local args=(-s -D "$H" -o "$JF_TMP/body" -w '%{http_code}' -X "$method" -H "Cookie: jf_session=$cookie")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	STATUS=$(curl "${args[@]}" "$@" "$JF_URL$path")
	BODY=$(cat "$JF_TMP/body")
}

signin boss wrong-password
check "a wrong password: 401" eq "$STATUS" 401
wrong_msg=$(jbody .error.message)
signin nobody-at-all boss-password
check "an unknown name: 401" eq "$STATUS" 401
check "  the same words as a wrong password" eq "$(jbody .error.message)" "$wrong_msg"
signin scripted whatever-password
check "a user without a password cannot sign in" eq "$STATUS" 401
signin boss boss-password
check "sign in: 200" eq "$STATUS" 200
check "  the user and role" eq "$(jbody '.user.name + " " + .user.role')" "boss admin"
set_cookie=$(header Set-Cookie)
BOSS=$(sed -n 's/^jf_session=\([A-Za-z0-9_-]*\);.*/\1/p' <<<"$set_cookie")
check "  a 256-bit session id (43 base64url)" eq "${#BOSS}" 43
for flag in HttpOnly SameSite=Strict Path=/; do
	check "  cookie $flag" grep -q "; $flag" <<<"$set_cookie"
done
check "  not Secure over plain HTTP" eq "$(grep -c Secure <<<"$set_cookie")" 0
BOSS_CSRF=$(jbody .csrf)
check "  a CSRF token" eq "${#BOSS_CSRF}" 43
check "only the session id's SHA-256 is stored" \
	eq "$(sql "SELECT count(*) FROM sessions WHERE id_hash = encode(sha256('$BOSS'), 'hex')"),$(sql "SELECT count(*) FROM sessions WHERE id_hash = '$BOSS'")" "1,0"
check "no password in the server's log" eq "$(grep -c boss-password "$JF_LOG")" 0
check "sign-ins audited, failures too" \
	eq "$(sql "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action LIKE 'sign_in%'")" \
	"sign_in_failed,sign_in_failed,sign_in_failed,sign_in"

creq GET /api/v1/session "$BOSS"
check "GET /session with the cookie" eq "$STATUS" 200
check "  the same CSRF token" eq "$(jbody .csrf)" "$BOSS_CSRF"
creq GET /api/v1/events "$BOSS"
check "the API takes the cookie" eq "$STATUS" 200
creq GET /api/v1/session "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
check "an unknown session: 401" eq "$STATUS" 401

# --- CSRF and Origin --------------------------------------------------------
fair='{"type":"joint_interview_fair","title":"令和6年度 合同就職面接会","starts_at":"2024-10-15T10:00:00+09:00","ends_at":"2024-10-15T16:00:00+09:00","organizer":"joint","target_companies":30,"target_seekers":100}'
creq POST /api/v1/events "$BOSS" "$fair"
check "a change with the cookie and no CSRF token: 403" eq "$STATUS" 403
check "  nothing made" eq "$(sql 'SELECT count(*) FROM events')" 0
STATUS=$(curl -s -o "$JF_TMP/body" -w '%{http_code}' -H "Cookie: jf_session=$BOSS" \
	-H 'Origin: http://evil.example' -H 'Content-Type: application/x-www-form-urlencoded' \
	--data 'type=joint_interview_fair&title=x' "$JF_URL/api/v1/events")
check "a cross-site form post with the victim's cookie: 403" eq "$STATUS" 403
creq POST /api/v1/events "$BOSS" "$fair" -H "X-CSRF-Token: $BOSS_CSRF" -H 'Origin: http://evil.example'
check "the right token from another origin: 403" eq "$STATUS" 403
creq POST /api/v1/events "$BOSS" "$fair" -H "X-CSRF-Token: ${BOSS_CSRF%?}x"
check "a wrong token: 403" eq "$STATUS" 403
creq POST /api/v1/events "$BOSS" "$fair" -H "X-CSRF-Token: $BOSS_CSRF" -H "Origin: $JF_URL"
check "token and our origin: 201" eq "$STATUS" 201
EVENT=$(jbody .id)
req POST /api/v1/events "$fair" "$ADMIN"
check "a bearer token needs no CSRF token" eq "$STATUS" 201
signin boss boss-password -H 'Origin: http://evil.example'
check "a sign-in posted from another site: 403" eq "$STATUS" 403

# --- the admin API ----------------------------------------------------------
req POST /api/v1/users '{"name":"desk1","role":"frontdesk","password":"desk-password"}' "$ADMIN"
check "admin adds a user: 201" eq "$STATUS" 201
check "  with a password" eq "$(jbody .has_password)" true
check "  and an API token, once" grep -qE '^jf_[A-Za-z0-9_-]{43}$' <<<"$(jbody .token)"
desk_token=$(jbody .token)
desk_id=$(jbody .id)
req GET /api/v1/session "" "$desk_token"
check "  the token works" eq "$(jbody .user.role)" frontdesk
req POST /api/v1/users '{"name":"shorty","role":"viewer","password":"short"}' "$ADMIN"
check "a short password: 422 on its field" eq "$STATUS/$(jbody .error.fields.password)" "422/must be at least 8 characters"
req POST /api/v1/users '{"name":"desk1","role":"viewer","password":"another-password"}' "$ADMIN"
check "a name taken: 409" eq "$STATUS" 409
req POST /api/v1/users '{"name":"x","role":"emperor","password":"another-password"}' "$ADMIN"
check "an unknown role: 422" eq "$STATUS" 422
req POST /api/v1/users '{"name":"v2","role":"viewer","password":"viewer-password"}' "$desk_token"
check "a front desk user may not add users: 403" eq "$STATUS" 403
req GET /api/v1/users "" "$ADMIN"
check "the users list" eq "$(jbody '[.items[].name] | join(",")')" "boss,clerk,scripted,desk1"
check "  says who has a password" eq "$(jbody '[.items[].has_password] | join(",")')" "true,true,false,true"
signin desk1 desk-password
check "the new user signs in" eq "$STATUS" 200
DESK=$(header Set-Cookie | sed -n 's/^jf_session=\([A-Za-z0-9_-]*\);.*/\1/p')
creq GET /api/v1/users "$DESK"
check "its session may not list users: 403" eq "$STATUS" 403
creq GET "/api/v1/events/$EVENT/scans" "$DESK"
check "nor read the scan log: 403" eq "$STATUS" 403
req PATCH "/api/v1/users/$desk_id" '{"password":"desk-password-2"}' "$ADMIN"
check "admin resets a password" eq "$STATUS/$(jbody .has_password)" 200/true
creq GET /api/v1/session "$DESK"
check "  which ends the user's sessions" eq "$STATUS" 401
signin desk1 desk-password
check "  the old password fails" eq "$STATUS" 401
signin desk1 desk-password-2
check "  the new one works" eq "$STATUS" 200
req PATCH "/api/v1/users/1" '{"revoked":true}' "$ADMIN"
check "an admin may not revoke themselves" eq "$STATUS/$(jbody '.error.fields | keys[0]')" 422/revoked
req PATCH "/api/v1/users/999999" '{"role":"viewer"}' "$ADMIN"
check "an unknown user: 404" eq "$STATUS" 404

# --- the scan log and the audit log -------------------------------------------
req POST "/api/v1/events/$EVENT/checkins" '{"token":"not-a-real-code","nonce":"backoffice-0001","desk":"desk-a"}' "$desk_token"
req GET "/api/v1/events/$EVENT/scans" "" "$ADMIN"
check "the scan log shows a refused scan" eq "$(jbody '.total, .items[0].result, .items[0].desk, .items[0].user' | paste -sd' ')" "1 unknown_token desk-a desk1"
req GET "/api/v1/events/$EVENT/scans?result=checked_in" "" "$ADMIN"
check "  filtered by result" eq "$(jbody .total)" 0
req GET "/api/v1/events/999999/scans" "" "$ADMIN"
check "  of no event: 404" eq "$STATUS" 404
req GET "/api/v1/audit?user=boss&kind=create&limit=1" "" "$ADMIN"
check "the audit log by user and kind" eq "$(jbody '.items[0].user + " " + .items[0].action + " " + .items[0].entity')" "boss create user"
check "  the total beyond the page" test "$(jbody .total)" -ge 2
today=$(TZ=Asia/Tokyo date +%F)
req GET "/api/v1/audit?kind=sign_in_failed&from=$today&to=$today" "" "$ADMIN"
check "  by date (Japan's)" test "$(jbody .total)" -ge 4
req GET "/api/v1/audit?from=2024-13-01" "" "$ADMIN"
check "  a wrong date: 422" eq "$STATUS" 422
STATUS=$(curl -s -o "$JF_TMP/audit.csv" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" "$JF_URL/api/v1/audit.csv?kind=sign_in")
check "the audit log as CSV" eq "$STATUS" 200
check "  UTF-8 with a BOM" eq "$(head -c 3 "$JF_TMP/audit.csv" | od -An -tx1 | tr -d ' ')" efbbbf
check "  a header and a row per sign-in" eq "$(wc -l <"$JF_TMP/audit.csv")" "$(( $(sql "SELECT count(*) FROM audit_log WHERE action = 'sign_in'") + 1 ))"
req GET /api/v1/audit "" "$desk_token"
check "  admin only: 403" eq "$STATUS" 403

# --- revocation, sign-out -----------------------------------------------------
signin clerk clerk-password
CLERK=$(header Set-Cookie | sed -n 's/^jf_session=\([A-Za-z0-9_-]*\);.*/\1/p')
creq GET /api/v1/events "$CLERK"
check "the clerk's page works" eq "$STATUS" 200
clerk_id=$(sql "SELECT id FROM users WHERE name = 'clerk'")
req PATCH "/api/v1/users/$clerk_id" '{"revoked":true}' "$ADMIN"
check "admin revokes the clerk" eq "$STATUS/$(jbody .revoked)" 200/true
creq GET /api/v1/events "$CLERK"
check "  the open page stops working at once" eq "$STATUS" 401
check "  and the cookie is cleared" grep -q 'Max-Age=0' <<<"$(header Set-Cookie)"
signin clerk clerk-password
check "  a revoked user cannot sign in" eq "$STATUS" 401

creq DELETE /api/v1/session "$BOSS" "" -H "X-CSRF-Token: $BOSS_CSRF"
check "sign-out: 204" eq "$STATUS" 204
check "  clears the cookie" grep -q 'jf_session=;.*Max-Age=0' <<<"$(header Set-Cookie)"
creq GET /api/v1/events "$BOSS"
check "  the old cookie is useless" eq "$STATUS" 401
check "  its row is gone" eq "$(sql "SELECT count(*) FROM sessions WHERE id_hash = encode(sha256('$BOSS'), 'hex')")" 0

# --- the sign-in limits -------------------------------------------------------
for i in 1 2 3 4 5; do signin desk1 "guess-$i"; done
signin desk1 "guess-6"
check "a sixth wrong guess at one name: 429" eq "$STATUS" 429
check "  with Retry-After" test "$(header Retry-After)" -gt 0
signin desk1 desk-password-2
check "  the name is held even with the right password" eq "$STATUS" 429
signin boss boss-password
check "a colleague at the same address still signs in" eq "$STATUS" 200

# --- hashing stays off the event loop -----------------------------------------
# Ten sign-ins at once (unknown names cost a full hash too), and /healthz
# asked for meanwhile: each answer must come while the hashes run.
start=$(date +%s.%N)
for i in $(seq 1 10); do
	curl -s -o /dev/null -H 'Content-Type: application/json' \
		--data-binary "{\"name\":\"ghost$i\",\"password\":\"ghost-password\"}" "$JF_URL/api/v1/session" &
	pids+=($!)
done
sleep 0.2
worst=0
for i in $(seq 1 10); do
	t=$(curl -s -o /dev/null -w '%{time_total}' "$JF_URL/healthz")
	worst=$(awk -v a="$worst" -v b="$t" 'BEGIN { print (b > a) ? b : a }')
	sleep 0.05
done
wait "${pids[@]}"
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
echo "     10 sign-ins took ${took}s; slowest /healthz meanwhile ${worst}s"
# Hashing on the loop would hold /healthz for seconds (ten hashes of
# about 0.2-0.5 s each); two busy workers on two cores, a parallel suite
# and the sanitizers can make it wait a few hundred ms, not more.
check "/healthz answers promptly while sign-ins hash (< 1 s)" awk -v w="$worst" 'BEGIN { exit !(w < 1.0) }'
check "  and the hashing really took a while (> 0.5 s)" awk -v t="$took" 'BEGIN { exit !(t > 0.5) }'

# --- the CLI's passwd, the proxy's TLS ----------------------------------------
printf 'desk-password-3\n' | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user passwd scripted --password-stdin >/dev/null
check "jobfaird user passwd sets a password" eq "$(sql "SELECT password_hash IS NOT NULL FROM users WHERE name = 'scripted'")" t
signin scripted desk-password-3
check "  which signs in" eq "$STATUS" 200
printf 'short\n' | JOBFAIR_DATABASE_URL=$db "$JF_BIN" user passwd scripted --password-stdin 2>/dev/null
check "  a short one is refused (exit 1)" eq "$?" 1

check "server stops cleanly" jf_server_stop "$JF_PID"
jf_server_start "$db" --web-dir "$web" --trusted-proxies 127.0.0.1 || exit 1
signin boss boss-password -H 'X-Forwarded-Proto: https'
check "behind a trusted TLS proxy the cookie is Secure" grep -q '; Secure' <<<"$(header Set-Cookie)"
SCR=$(header Set-Cookie | sed -n 's/^jf_session=\([A-Za-z0-9_-]*\);.*/\1/p')
scr_csrf=$(jbody .csrf)
creq POST /api/v1/events "$SCR" "$fair" -H "X-CSRF-Token: $scr_csrf" -H "Origin: $JF_URL" -H 'X-Forwarded-Proto: https'
check "  and our origin is https: http:// is refused" eq "$STATUS" 403
creq POST /api/v1/events "$SCR" "$fair" -H "X-CSRF-Token: $scr_csrf" -H "Origin: ${JF_URL/http:/https:}" -H 'X-Forwarded-Proto: https'
check "  https:// is ours" eq "$STATUS" 201
check "server stops cleanly" jf_server_stop "$JF_PID"

done_testing
