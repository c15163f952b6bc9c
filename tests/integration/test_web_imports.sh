#!/usr/bin/env bash
# The back office's CSV uploads: POST /companies/import and
# /events/{id}/registrations/import take the file's bytes (UTF-8 with or
# without BOM, or CP932), check every row as the CLI does, and write all
# rows or none; refused rows come back as {row, column, error} with the
# rejected rows as a CSV file in the upload's encoding.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
TOKEN=$(jf_user "$db" olive organizer)
VIEWER=$(jf_user "$db" vera viewer)
sql() { psql "$db" -qAtc "$1"; }
work=$JF_TMP/imports
mkdir -p "$work"

# upload PATH FILE [TOKEN]: POSTs the file as text/csv.
upload() {
	STATUS=$(curl -s -o "$JF_TMP/body" -w '%{http_code}' --max-time 60 \
		-H "Authorization: Bearer ${3:-$TOKEN}" -H 'Content-Type: text/csv' \
		--data-binary "@$2" "$JF_URL$1")
	BODY=$(cat "$JF_TMP/body")
}

req POST /api/v1/events '{"type":"joint_interview_fair","title":"合同就職面接会","starts_at":"2024-10-15T10:00:00+09:00","ends_at":"2024-10-15T16:00:00+09:00","organizer":"joint","status":"open","capacity":500,"target_companies":30,"target_seekers":100}'
check "event created" eq "$STATUS" 201
ev=$(jbody .id)

# A 100-row CP932 file with one bad row: nothing imported, the row named.
iconv -f UTF-8 -t CP932 "$JF_SOURCE/tests/data/seekers-100.csv" >"$work/good.csv"
sed '38s/^\([^,]*\),[^,]*,/\1,Yamada,/' "$JF_SOURCE/tests/data/seekers-100.csv" | iconv -f UTF-8 -t CP932 >"$work/bad.csv"
upload "/api/v1/events/$ev/registrations/import" "$work/bad.csv"
check "bad row refused 422" eq "$STATUS" 422
check "one row error" eq "$(jbody '.error.rows | length')" 1
check "the row is named as in Excel" eq "$(jbody '.error.rows[0].row'):$(jbody '.error.rows[0].column')" "38:フリガナ"
check "the reason is given" eq "$(jbody '.error.rows[0].error')" "must be katakana or hiragana"
check "nothing imported" eq "$(sql "SELECT count(*) FROM registrations WHERE event_id = $ev")" 0
check "rejected file says its encoding" eq "$(jbody .error.encoding)" cp932
jbody .error.rejected_csv | base64 -d >"$work/rejected.csv"
check "rejected file is CP932 with the row and an error column" \
	eq "$(iconv -f CP932 -t UTF-8 "$work/rejected.csv" | tr -d '\r' | sed -n '1s/.*,//p;2s/,.*//p' | tr '\n' '|')" "error|$(sed -n '38s/,.*//p' "$JF_SOURCE/tests/data/seekers-100.csv")|"

upload "/api/v1/events/$ev/registrations/import?dry_run=1" "$work/good.csv"
check "dry run 200" eq "$STATUS:$(jbody .valid):$(jbody .imported)" "200:100:0"
check "dry run writes nothing" eq "$(sql "SELECT count(*) FROM registrations WHERE event_id = $ev")" 0
upload "/api/v1/events/$ev/registrations/import" "$work/good.csv" "$VIEWER"
check "viewer may not import" eq "$STATUS" 403
upload "/api/v1/events/$ev/registrations/import" "$work/good.csv"
check "corrected file imported 201" eq "$STATUS:$(jbody .imported)" "201:100"
check "100 registrations" eq "$(sql "SELECT count(*) FROM registrations WHERE event_id = $ev")" 100
check "registered count follows" eq "$(sql "SELECT registered_count FROM events WHERE id = $ev")" 100

# The same file again: the database refuses every row (the same person
# twice), so nothing more goes in and each row is named.
upload "/api/v1/events/$ev/registrations/import" "$work/good.csv"
check "duplicates refused 422" eq "$STATUS:$(jbody '.error.rows | length')" "422:100"
check "first refusal is row 2" eq "$(jbody '.error.rows[0].row')" 2
check "still 100" eq "$(sql "SELECT count(*) FROM registrations WHERE event_id = $ev")" 100

# Companies: UTF-8 with a BOM; a duplicate 法人番号 inside the file rolls
# back the rows before it too.
{ printf '\xef\xbb\xbf'; cat "$JF_SOURCE/tests/data/companies-30.csv"; } >"$work/companies.csv"
first=$(sed -n 2p "$JF_SOURCE/tests/data/companies-30.csv" | tr -d "\r")
{ cat "$work/companies.csv"; printf '%s\r\n' "$first"; } >"$work/companies-dup.csv"
upload /api/v1/companies/import "$work/companies-dup.csv"
check "duplicate in file refused" eq "$STATUS:$(jbody '.error.rows[0].row')" "422:32"
check "no company written" eq "$(sql 'SELECT count(*) FROM companies')" 0
check "rejected file is UTF-8" eq "$(jbody .error.encoding)" utf-8
upload /api/v1/companies/import "$work/companies.csv"
check "companies imported" eq "$STATUS:$(jbody .imported):$(jbody '.items | length')" "201:30:30"
check "30 companies" eq "$(sql 'SELECT count(*) FROM companies')" 30

# A file unusable as a whole is one error on "file".
printf 'what,ever\r\n1,2\r\n' >"$work/unknown.csv"
upload /api/v1/companies/import "$work/unknown.csv"
check "unknown column refused" eq "$STATUS" 422
check "named on file" test -n "$(jbody '.error.fields.file // empty')"
: >"$work/empty.csv"
upload /api/v1/companies/import "$work/empty.csv"
check "empty file refused" eq "$STATUS:$(jbody .error.fields.file)" "422:the file is empty"

jf_server_stop "$JF_PID"
check "server stopped cleanly" eq "$?" 0
done_testing
