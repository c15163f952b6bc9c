#!/usr/bin/env bash
# QR codes of registrations and booths: the PNG decodes back to the token
# with a standard reader (zbarimg), the SVG is a whole document of the
# right size, ?scale= is checked, roles are enforced, cancelled codes are
# refused, and a re-issued token replaces the old one everywhere.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ORG=$(jf_user "$db" olivia organizer)
DESK=$(jf_user "$db" fiona frontdesk)
VIEW=$(jf_user "$db" victor viewer)
TOKEN=$DESK

EVENT=$(ed_event "$db" 'QR fair')
read -r reg tok <<<"$(ed_registration "$db" "$EVENT" '山田 太郎' 'ヤマダ タロウ')"
read -r gone _ <<<"$(ed_registration "$db" "$EVENT" '川上 花子' 'カワカミ ハナコ' cancelled)"
read -r company ctok <<<"$(ed_booth "$db" "$EVENT" '株式会社 山口')"

# qr_get PATH FILE [TOKEN]: downloads; sets STATUS and CTYPE.
qr_get() {
	local out
	out=$(curl -s -o "$2" -w '%{http_code} %{content_type}' \
		-H "Authorization: Bearer ${3:-$TOKEN}" "$JF_URL$1")
	STATUS=${out%% *}
	CTYPE=${out#* }
}

qr_get "/api/v1/registrations/$reg/qr.png" "$JF_TMP/r.png"
check "registration PNG 200" eq "$STATUS" 200
check "PNG content type" eq "$CTYPE" image/png
check "PNG decodes to the token" eq "$(zbarimg --raw -q "$JF_TMP/r.png")" "$tok"
# png_size FILE: "WIDTH HEIGHT" from the PNG's header.
png_size() {
	od -An -tu4 --endian=big -j16 -N8 "$1" | xargs
}
# 25 modules and a quiet zone of 4 on each side, 8 pixels each.
check "PNG is 33 modules of 8 px" eq "$(png_size "$JF_TMP/r.png")" "264 264"

for scale in 1 3 20; do
	qr_get "/api/v1/registrations/$reg/qr.png?scale=$scale" "$JF_TMP/s$scale.png"
	check "scale=$scale 200" eq "$STATUS" 200
	check "scale=$scale is $((33 * scale)) px" eq "$(png_size "$JF_TMP/s$scale.png")" \
		"$((33 * scale)) $((33 * scale))"
done
check "scale=3 decodes" eq "$(zbarimg --raw -q "$JF_TMP/s3.png")" "$tok"
for bad in 0 21 -1 abc 2.5; do
	req GET "/api/v1/registrations/$reg/qr.png?scale=$bad"
	check "scale=$bad refused" eq "$STATUS:$(jbody '.error.fields | keys[0]')" 422:scale
done

qr_get "/api/v1/registrations/$reg/qr.svg" "$JF_TMP/r.svg"
check "registration SVG 200" eq "$STATUS" 200
check "SVG content type" eq "$CTYPE" image/svg+xml
check "SVG opens with <svg" grep -q '^<svg xmlns="http://www.w3.org/2000/svg" width="264" height="264" viewBox="0 0 33 33"' "$JF_TMP/r.svg"
check "SVG is closed" eq "$(tail -n 1 "$JF_TMP/r.svg")" "</svg>"
check "SVG has one path" eq "$(grep -c '<path' "$JF_TMP/r.svg")" 1
# Dark modules: the sum of the runs' widths. A version-2 symbol has 625
# modules, about half of them dark, and at least its three finder patterns.
dark=$(grep -o 'h[0-9]*v1' "$JF_TMP/r.svg" | awk '{ n += substr($0, 2) } END { print n }')
check "SVG has a plausible number of dark modules ($dark)" test "$dark" -gt 200 -a "$dark" -lt 450

qr_get "/api/v1/events/$EVENT/companies/$company/qr.png" "$JF_TMP/c.png"
check "booth PNG 200" eq "$STATUS" 200
check "booth PNG decodes to its token" eq "$(zbarimg --raw -q "$JF_TMP/c.png")" "$ctok"
qr_get "/api/v1/events/$EVENT/companies/$company/qr.svg?scale=2" "$JF_TMP/c.svg"
check "booth SVG 200" eq "$STATUS" 200
check "booth SVG at scale 2" grep -q 'width="66"' "$JF_TMP/c.svg"

# Roles: the desk, organizers and admins; never a viewer.
qr_get "/api/v1/registrations/$reg/qr.png" "$JF_TMP/o.png" "$ORG"
check "organizer may" eq "$STATUS" 200
qr_get "/api/v1/registrations/$reg/qr.png" "$JF_TMP/v.png" "$VIEW"
check "viewer 403" eq "$STATUS" 403
qr_get "/api/v1/events/$EVENT/companies/$company/qr.svg" "$JF_TMP/v.svg" "$VIEW"
check "viewer 403 on booth" eq "$STATUS" 403
check "no token 401" eq "$(curl -s -o /dev/null -w '%{http_code}' "$JF_URL/api/v1/registrations/$reg/qr.png")" 401

req GET "/api/v1/registrations/999999/qr.png"
check "unknown registration 404" eq "$STATUS" 404
req GET "/api/v1/registrations/0$reg/qr.png"
check "non-canonical id 404" eq "$STATUS" 404
req GET "/api/v1/registrations/$reg/qr.gif"
check "unknown format 404" eq "$STATUS" 404
req GET "/api/v1/registrations/$gone/qr.png"
check "cancelled registration 409" eq "$STATUS" 409
req GET "/api/v1/events/$EVENT/companies/999999/qr.png"
check "company not at the event 404" eq "$STATUS" 404

# Re-issue: organizers only; the old token stops working at once.
TOKEN=$DESK req POST "/api/v1/registrations/$reg/reissue-token"
check "front desk may not re-issue" eq "$STATUS" 403
TOKEN=$ORG req POST "/api/v1/registrations/$reg/reissue-token"
check "re-issue 200" eq "$STATUS" 200
new=$(jbody .checkin_token)
check "new token has the format" grep -qE '^JF1-[A-Z2-7]{26}$' <<<"$new"
check "new token differs" test "$new" != "$tok"
check "re-issue audited" eq "$(ed_sql "$db" "SELECT count(*) FROM audit_log WHERE action = 'reissue_token' AND object_type = 'registration' AND object_id = $reg")" 1
qr_get "/api/v1/registrations/$reg/qr.png" "$JF_TMP/n.png"
check "QR shows the new token" eq "$(zbarimg --raw -q "$JF_TMP/n.png")" "$new"
scan "$tok" "old-token-scan-1"
check "old token is unknown" eq "$(jbody .result)" unknown_token
scan "$new" "new-token-scan-1"
check "new token checks in" eq "$(jbody .result)" checked_in
TOKEN=$ORG req POST "/api/v1/registrations/$gone/reissue-token"
check "cancelled registration: no new token" eq "$STATUS" 409

TOKEN=$ORG req POST "/api/v1/events/$EVENT/companies/$company/reissue-token"
check "booth re-issue 200" eq "$STATUS:$(jbody .company_id)" "200:$company"
cnew=$(jbody .checkin_token)
qr_get "/api/v1/events/$EVENT/companies/$company/qr.png" "$JF_TMP/cn.png"
check "booth QR shows the new token" eq "$(zbarimg --raw -q "$JF_TMP/cn.png")" "$cnew"
scan "$ctok" "old-booth-scan-1"
check "old booth token is unknown" eq "$(jbody .result)" unknown_token

check "stops cleanly" jf_server_stop "$JF_PID"
done_testing
