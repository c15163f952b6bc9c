#!/usr/bin/env bash
# Live numbers: /stats against hand-made data, and /stats/stream as
# Server-Sent Events across two jobfaird on one database: a check-in,
# an undo, a walk-in or a cancellation through either server reaches the streams of both
# within seconds (LISTEN/NOTIFY). Streams outlive evhttp's 10 s timeout,
# get keepalives, survive clients leaving, and do not hold up shutdown.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
A_URL=$JF_URL A_PID=$JF_PID A_LOG=$JF_LOG
jf_server_start "$db" --no-migrate || exit 1
B_URL=$JF_URL B_PID=$JF_PID B_LOG=$JF_LOG
DESK=$(jf_user "$db" fiona frontdesk)
ORG=$(jf_user "$db" olivia organizer)
VIEW=$(jf_user "$db" victor viewer)
TOKEN=$VIEW
JF_URL=$A_URL

EVENT=$(ed_event "$db" 'Live fair' 300 100 30)
read -r _ t1 <<<"$(ed_registration "$db" "$EVENT" '山田 太郎' 'ヤマダ タロウ' registered '' youth)"
read -r _ t2 <<<"$(ed_registration "$db" "$EVENT" '山本 花子' 'ヤマモト ハナコ' registered '' youth,disability)"
read -r r3 _ <<<"$(ed_registration "$db" "$EVENT" '山口 次郎' 'ヤマグチ ジロウ' registered '' senior)"
ed_registration "$db" "$EVENT" '川上 三郎' 'カワカミ サブロウ' cancelled '' youth >/dev/null
read -r _ tc <<<"$(ed_booth "$db" "$EVENT" '株式会社 山口' confirmed)"
ed_booth "$db" "$EVENT" '有限会社 周防' applied >/dev/null
ed_booth "$db" "$EVENT" '合同会社 長門' cancelled >/dev/null

req GET "/api/v1/events/$EVENT/stats"
check "viewer reads stats" eq "$STATUS" 200
check "registered" eq "$(jbody .registered)" 3
check "checked in" eq "$(jbody .checked_in)" 0
check "viewer: no count per category or of supporters" eq "$(jbody '[has("by_category"), has("supporters")] | join(",")')" false,false
TOKEN=$DESK req GET "/api/v1/events/$EVENT/stats"
check "front desk: totals against targets only" eq "$(jbody '[.registered, .targets.seekers, has("by_category"), has("supporters")] | join(",")')" 3,100,false,false
TOKEN=$ORG req GET "/api/v1/events/$EVENT/stats"
check "organizer: by category" eq "$(jbody '[.by_category | to_entries | sort_by(.key)[] | "\(.key)=\(.value.registered)"] | join(",")')" \
	disability=1,parenting=0,senior=1,single_parent=0,welfare=0,youth=2
check "companies" eq "$(jbody '.companies | "\(.registered)/\(.confirmed)/\(.checked_in)"')" 2/1/0
check "targets" eq "$(jbody '.targets | "\(.seekers)/\(.companies)/\(.capacity)"')" 100/30/300
check "aggregates only" eq "$(grep -c '山田' <<<"$BODY")" 0
req GET "/api/v1/events/999999/stats"
check "unknown event 404" eq "$STATUS" 404

# stream_start NAME URL [TOKEN]: curl -N in the background (as the
# organizer unless told); its pid in SPID_NAME.
stream_start() {
	curl -sN -D "$JF_TMP/$1.headers" -H "Authorization: Bearer ${3:-$ORG}" \
		"$2/api/v1/events/$EVENT/stats/stream" >"$JF_TMP/$1.sse" 2>/dev/null &
	printf -v "SPID_$1" %s $!
}
# events NAME: how many stats events the stream got.
events() { grep -c '^event: stats$' "$JF_TMP/$1.sse"; }
# last NAME JQ: a field of the stream's latest numbers.
last() { grep '^data: ' "$JF_TMP/$1.sse" | tail -n 1 | cut -c7- | jq -r "$2"; }
# wait_events NAME N: until the stream has N events, at most 5 s.
wait_events() {
	local i
	for i in $(seq 1 50); do
		[ "$(events "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	echo "     $1 has $(events "$1") events, not $2:" >&2
	cat "$JF_TMP/$1.sse" >&2
	return 1
}

start=$SECONDS
stream_start a "$A_URL"
stream_start b "$B_URL"
stream_start v "$A_URL" "$VIEW"
stream_start d "$B_URL" "$DESK"
check "stream on A: first numbers" wait_events a 1
check "stream on B: first numbers" wait_events b 1
check "viewer's stream: first numbers" wait_events v 1
check "desk's stream: first numbers" wait_events d 1
check "event stream content type" grep -qi '^content-type: text/event-stream' "$JF_TMP/a.headers"
check "first numbers: nobody yet" eq "$(last a .checked_in)" 0

# A check-in through B reaches A's stream (and B's).
JF_URL=$B_URL TOKEN=$DESK scan "$t1" stream-nonce-0001
check "check-in through B" eq "$(jbody .result)" checked_in
checkin=$(jbody .checkin_id)
check "A's stream got the check-in" wait_events a 2
check "A: checked_in 1" eq "$(last a .checked_in)" 1
check "A: by category too" eq "$(last a .by_category.youth.checked_in)" 1
check "viewer's stream got the check-in" wait_events v 2
check "desk's stream got the check-in" wait_events d 2
check "viewer and desk: the total, no category" eq "$(last v '[.checked_in, has("by_category")] | join(",")'):$(last d '[.checked_in, has("by_category")] | join(",")')" 1,false:1,false
check "B's stream got it" wait_events b 2
# A refused scan changes nothing and pushes nothing.
JF_URL=$A_URL TOKEN=$DESK scan "$(ed_token)" stream-nonce-0002
check "unknown token through A" eq "$(jbody .result)" unknown_token

# An undo through A, a walk-in through B, a company through A.
JF_URL=$A_URL TOKEN=$DESK req POST "/api/v1/events/$EVENT/checkins/$checkin/undo"
check "undo through A" eq "$STATUS" 200
check "B's stream got the undo" wait_events b 3
check "B: checked_in 0" eq "$(last b .checked_in)" 0
JF_URL=$B_URL TOKEN=$DESK req POST "/api/v1/events/$EVENT/walkins" \
	'{"name":"木村 良子","name_kana":"キムラ ヨシコ","categories":["parenting"],"consent":true,"nonce":"stream-walkin-01"}'
check "walk-in through B" eq "$STATUS" 201
check "A's stream got the walk-in" wait_events a 4
check "A: walk_ins 1" eq "$(last a .walk_ins):$(last a .checked_in):$(last a .registered)" 1:1:4
JF_URL=$A_URL TOKEN=$DESK scan "$tc" stream-nonce-0003
check "B's stream got the company" wait_events b 5
check "B: companies checked in 1" eq "$(last b .companies.checked_in)" 1
check "A's stream got the company" wait_events a 5
check "refused scan pushed nothing" eq "$(events a):$(events b)" 5:5
# A cancellation names only the registration, not its event.
JF_URL=$B_URL TOKEN=$ORG req POST "/api/v1/registrations/$r3/cancel"
check "cancel through B" eq "$STATUS" 200
check "A's stream got the cancellation" wait_events a 6
check "A: registered 3, senior 0" eq "$(last a .registered):$(last a .by_category.senior.registered)" 3:0
check "B's stream got it" wait_events b 6

check "viewer's and desk's streams never carried a category or supporters" eq "$(cat "$JF_TMP/v.sse" "$JF_TMP/d.sse" | grep -cE 'by_category|supporters')" 0
req GET "/api/v1/events/999999/stats/stream"
check "stream of unknown event 404" eq "$STATUS" 404
check "stream needs a token" eq "$(curl -s -o /dev/null -w '%{http_code}' "$A_URL/api/v1/events/$EVENT/stats/stream")" 401

# A client leaving is noticed; the server carries on.
kill "$SPID_b"
wait "$SPID_b" 2>/dev/null
JF_URL=$B_URL TOKEN=$DESK scan "$t2" stream-nonce-0004
check "B works after its client left" eq "$(jbody .result)" checked_in
check "B noticed the client leaving" grep -q 'stats/stream: stream ended after .* (client left)' "$B_LOG"
check "A still follows" wait_events a 7

# Past evhttp's 10 s timeout and a 15 s keepalive, the stream lives on.
left=$((17 - (SECONDS - start)))
[ "$left" -gt 0 ] && sleep "$left"
check "keepalive comment" grep -q '^: keepalive$' "$JF_TMP/a.sse"
JF_URL=$B_URL TOKEN=$DESK scan "$t1" stream-nonce-0005
check "after 17 s the stream still gets news" wait_events a 8
check "A: walk-in, t2 and t1 again" eq "$(last a .checked_in)" 3

# Shutdown ends the streams at once rather than waiting for them.
t0=$SECONDS
check "A stops cleanly with a stream open" jf_server_stop "$A_PID" "$A_LOG"
check "within 3 s ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -le 3
check "no request left unfinished" test "$(grep -c unfinished "$A_LOG")" -eq 0
check "A ended its stream" grep -q 'stats/stream: stream ended after .* (server stopping)' "$A_LOG"
check "the stream's client saw the end" wait "$SPID_a"
check "B stops cleanly" jf_server_stop "$B_PID" "$B_LOG"
done_testing
