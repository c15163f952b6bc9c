#!/usr/bin/env bash
# Revocable access links (issue 13): organizers and admins create, list
# and revoke an event's dashboard and booth links; other roles get 403.
# A dashboard link reads its own event's aggregates (no per-category
# counts, no people) and follows the stats stream with the secret in the
# query string (an EventSource sends no header), which the access log
# never shows; revoking it through one jobfaird ends its streams on
# another at once, and it is refused from then on, as is an expired one,
# whose stream ends at its expiry.
# Also the arrivals per half hour in the stats (check-ins not undone).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
A_URL=$JF_URL A_PID=$JF_PID A_LOG=$JF_LOG
jf_server_start "$db" --no-migrate --log-format json || exit 1
B_URL=$JF_URL B_PID=$JF_PID B_LOG=$JF_LOG
JF_URL=$A_URL
ORG=$(jf_user "$db" olivia organizer)
ADMIN=$(jf_user "$db" ada admin)
DESK=$(jf_user "$db" fiona frontdesk)
VIEW=$(jf_user "$db" victor viewer)
TOKEN=$ORG
EVENT=$(ed_event "$db" 'Link fair' 300 100 30)
OTHER=$(ed_event "$db" 'Other fair' 300 100 30)
read -r r1 t1 <<<"$(ed_registration "$db" "$EVENT" '山田 太郎' 'ヤマダ タロウ' registered '' youth)"
read -r company _ <<<"$(ed_booth "$db" "$EVENT" '株式会社 山口' confirmed)"
read -r elsewhere _ <<<"$(ed_booth "$db" "$OTHER" '株式会社 周南' confirmed)"
tomorrow=$(TZ=Asia/Tokyo date -d "$ED_DAY + 1 day" +%F)

# --- create, roles ----------------------------------------------------------
req POST "/api/v1/events/$EVENT/links" '{"kind":"dashboard","label":"会場プロジェクター"}'
check "organizer creates a dashboard link: 201" eq "$STATUS" 201
LINK=$(jbody .secret) LINK_ID=$(jbody .id)
check "the secret: jfl_ and 256 random bits" grep -qE '^jfl_[A-Za-z0-9_-]{43}$' <<<"$LINK"
check "its URL carries it in the fragment" eq "$(jbody .url)" "${A_URL}/dashboard.html#link=$LINK"
check "with a QR code of it" grep -q '<svg' <<<"$(jbody .qr_svg)"
check "expires at the end of the event day (Japan)" eq "$(jbody .expires_at)" "${tomorrow}T00:00:00+09:00"
check "active" eq "$(jbody .state)" active
check "only its hash is stored" eq "$(ed_sql "$db" "SELECT count(*) FROM access_links WHERE secret_hash = encode(sha256('$LINK'), 'hex')")" 1
check "and not the secret" eq "$(ed_sql "$db" "SELECT count(*) FROM access_links WHERE secret_hash = '$LINK' OR label = '$LINK'")" 0
TOKEN=$ADMIN req POST "/api/v1/events/$EVENT/links" "{\"kind\":\"booth\",\"company_id\":$company}"
check "admin creates a booth link" eq "$STATUS" 201
BOOTH=$(jbody .secret)
check "a booth link opens the booth page" grep -q "/booth.html#link=jfl_" <<<"$(jbody .url)"
for who in DESK VIEW; do
	TOKEN=${!who} req POST "/api/v1/events/$EVENT/links" '{"kind":"dashboard"}'
	check "$who may not create: 403" eq "$STATUS" 403
	TOKEN=${!who} req GET "/api/v1/events/$EVENT/links"
	check "$who may not list: 403" eq "$STATUS" 403
	TOKEN=${!who} req POST "/api/v1/events/$EVENT/links/$LINK_ID/revoke"
	check "$who may not revoke: 403" eq "$STATUS" 403
done
req POST "/api/v1/events/$EVENT/links" '{"kind":"booth"}'
check "a booth link needs its company: 422" eq "$STATUS/$(jbody '.error.fields | keys | join(",")')" 422/company_id
req POST "/api/v1/events/$EVENT/links" "{\"kind\":\"booth\",\"company_id\":$elsewhere}"
check "a company with no booth at the event: 422" eq "$STATUS/$(jbody '.error.fields | keys | join(",")')" 422/company_id
req POST "/api/v1/events/$EVENT/links" "{\"kind\":\"dashboard\",\"company_id\":$company}"
check "a dashboard link names no company: 422" eq "$STATUS" 422
req POST "/api/v1/events/$EVENT/links" '{"kind":"dashboard","expires_at":"2020-01-01T00:00:00+09:00"}'
check "an expiry in the past: 422" eq "$STATUS/$(jbody '.error.fields | keys | join(",")')" 422/expires_at
req POST "/api/v1/events/$EVENT/links" '{"kind":"secret"}'
check "an unknown kind: 422" eq "$STATUS" 422
req POST "/api/v1/events/999999/links" '{"kind":"dashboard"}'
check "an unknown event: 404" eq "$STATUS" 404
req POST "/api/v1/events/$EVENT/links" "{\"kind\":\"dashboard\",\"expires_at\":\"${tomorrow}T03:00:00+09:00\"}"
check "an expiry can be chosen" eq "$STATUS/$(jbody .expires_at)" "201/${tomorrow}T03:00:00+09:00"
req GET "/api/v1/events/$EVENT/links"
check "the list: newest first" eq "$(jbody '[.items[].kind] | join(",")')" dashboard,booth,dashboard
check "never with a secret" eq "$(grep -c 'jfl_' <<<"$BODY")" 0
check "who made it and when it ends" eq "$(jbody '.items[-1] | "\(.created_by) \(.label) \(.state)"')" "olivia 会場プロジェクター active"

# --- what a link may read -------------------------------------------------------
TOKEN=$LINK req GET "/api/v1/link"
check "a link describes itself" eq "$(jbody '"\(.kind) \(.event.id) \(.event.title)"')" "dashboard $EVENT Link fair"
TOKEN=$LINK req GET "/api/v1/events/$EVENT/stats"
check "a dashboard link reads its event's numbers" eq "$STATUS/$(jbody .registered)" 200/1
check "aggregates only: no count per category" eq "$(jbody '[has("by_category"), has("supporters")] | join(",")')" false,false
STATUS=$(curl -s -o "$JF_TMP/body" -w '%{http_code}' "$A_URL/api/v1/events/$EVENT/stats?link=$LINK")
check "also with the link in the query string" eq "$STATUS" 200
TOKEN=$LINK req GET "/api/v1/events/$OTHER/stats"
check "another event's numbers: 403" eq "$STATUS" 403
for path in "/api/v1/events/$EVENT/registrations" "/api/v1/events/$EVENT/roster" \
	"/api/v1/events" "/api/v1/events/$EVENT/links" "/api/v1/users"; do
	TOKEN=$LINK req GET "$path"
	check "no $path with a link: 403" eq "$STATUS" 403
done
TOKEN=$LINK scan "$t1" link-scan-000001
check "no check-in with a dashboard link: 403" eq "$STATUS" 403
TOKEN=$BOOTH req GET "/api/v1/events/$EVENT/stats"
check "a booth link is not a dashboard link: 403" eq "$STATUS" 403
STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$A_URL/api/v1/events/$EVENT/registrations?link=$LINK")
check "the query string opens no staff route: 401" eq "$STATUS" 401
TOKEN=jfl_short req GET "/api/v1/events/$EVENT/stats"
check "a malformed link: 401" eq "$STATUS" 401
TOKEN="jfl_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-43)" req GET "/api/v1/events/$EVENT/stats"
check "an unknown link: 401" eq "$STATUS" 401

# --- the stream by link, arrivals, revocation --------------------------------
stream() {
	curl -sN --max-time 60 "$2/api/v1/events/$EVENT/stats/stream?link=$3" >"$JF_TMP/$1.sse" 2>/dev/null &
	SPID=$!
}
last() { grep -A1 '^event: stats$' "$JF_TMP/$1.sse" | grep '^data: ' | tail -n 1 | cut -c7- | jq -r "$2"; }
wait_for() { # NAME JQ VALUE: within 5 s
	for _ in $(seq 50); do
		[ "$(last "$1" "$2" 2>/dev/null)" = "$3" ] && return 0
		sleep 0.1
	done
	echo "     $(last "$1" "$2") for $2" >&2
	return 1
}
stream a "$A_URL" "$LINK"
a_pid=$SPID
stream b "$B_URL" "$LINK"
b_pid=$SPID
sleep 1
check "the stream by link: first numbers" eq "$(last a .checked_in)" 0
check "on the other server too" eq "$(last b .checked_in)" 0
check "the day's half hours, none arrived yet" eq "$(last a '[.arrivals[] | "\(.slot)=\(.checked_in)"] | join(",")')" \
	"13:00=0,13:30=0,14:00=0,14:30=0,15:00=0,15:30=0"
TOKEN=$DESK scan "$t1" link-scan-000002 desk-1 "\"scanned_at\":\"${ED_DAY}T14:40:00+09:00\""
check "a scan" eq "$(jbody .result)" checked_in
CHECKIN=$(jbody .checkin_id)
check "reaches the link's stream" wait_for b .checked_in 1
check "arrivals by the scan's half hour (Japan)" eq "$(last b '[.arrivals[] | select(.checked_in > 0) | "\(.slot)=\(.checked_in)"] | join(",")')" "14:30=1"
TOKEN=$DESK req POST "/api/v1/events/$EVENT/checkins/$CHECKIN/undo"
check "undone" eq "$STATUS" 200
check "an undone check-in is no arrival" wait_for a '[.arrivals[].checked_in] | add' 0
check "no personal data on the stream" eq "$(grep -c '山田\|ヤマダ' "$JF_TMP/a.sse")" 0

TOKEN=$ORG req POST "/api/v1/events/$EVENT/links/$LINK_ID/revoke"
check "revoked" eq "$STATUS/$(jbody .state)" 200/revoked
check "its stream on this server ends at once" ended "$a_pid" 3
check "and on the other server (NOTIFY)" ended "$b_pid" 3
check "saying why" grep -qF 'data: {"reason":"revoked"}' "$JF_TMP/b.sse"
TOKEN=$LINK req GET "/api/v1/events/$EVENT/stats"
check "a revoked link: 401" eq "$STATUS" 401
STATUS=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$B_URL/api/v1/events/$EVENT/stats/stream?link=$LINK")
check "its stream cannot reopen: 401" eq "$STATUS" 401
req POST "/api/v1/events/$EVENT/links/$LINK_ID/revoke"
check "revoking again changes nothing" eq "$STATUS/$(jbody .state)" 200/revoked
check "audited: created and revoked once" eq "$(ed_sql "$db" "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE object_type = 'access_link' AND object_id = $LINK_ID")" create,revoke

# --- expiry -------------------------------------------------------------------
req POST "/api/v1/events/$EVENT/links" '{"kind":"dashboard"}'
SOON=$(jbody .secret) SOON_ID=$(jbody .id)
stream c "$A_URL" "$SOON"
c_pid=$SPID
sleep 1
ed_sql "$db" "UPDATE access_links SET created_at = now() - interval '2 hours',
    expires_at = now() - interval '1 second' WHERE id = $SOON_ID" >/dev/null
TOKEN=$SOON req GET "/api/v1/events/$EVENT/stats"
check "an expired link: 401" eq "$STATUS" 401
req GET "/api/v1/events/$EVENT/links"
check "listed as expired" eq "$(jbody ".items[] | select(.id == $SOON_ID) | .state")" expired
check "its open stream ends at the next keepalive (15 s)" ended "$c_pid" 17

# A link's stream ends at the link's expiry, not at the next keepalive:
# one that expires about 2 s after its stream opens.
until=$(($(date +%s) + 3))
req POST "/api/v1/events/$EVENT/links" "{\"kind\":\"dashboard\",\"expires_at\":\"$(TZ=Asia/Tokyo date -d "@$until" +%FT%T+09:00)\"}"
check "a link that expires in 3 s" eq "$STATUS" 201
stream d "$A_URL" "$(jbody .secret)"
d_pid=$SPID
while [ "$(date +%s%N)" -lt "$((until * 1000000000 - 300000000))" ]; do sleep 0.05; done
check "its stream is open until just before the expiry" kill -0 "$d_pid"
check "and ends within ~1 s of it" ended "$d_pid" 1
check "saying why" grep -qF 'data: {"reason":"expired"}' "$JF_TMP/d.sse"

# --- the secret never in a log -----------------------------------------------
check "the access log shows the stream's path" grep -q "/api/v1/events/$EVENT/stats/stream" "$A_LOG"
check "and the JSON access log names the link" grep -q "\"user\":\"link:$LINK_ID\"" "$B_LOG"
for s in "$LINK" "$SOON" "$BOOTH"; do
	check "no secret in either log (${s:0:8}…)" eq "$(cat "$A_LOG" "$B_LOG" | grep -c -- "${s:4}")" 0
done

check "stops cleanly" jf_server_stop "$A_PID" "$A_LOG"
check "the other stops cleanly" jf_server_stop "$B_PID" "$B_LOG"
done_testing
