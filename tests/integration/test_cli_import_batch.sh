#!/usr/bin/env bash
# `jobfair registrations import` in batches: 1,200 rows go as three
# requests of at most 500, and every refusal is still reported by the
# CSV row it came from (a duplicate in the second batch, the rows past
# the capacity in the third, an invalid row skipped in the first); a
# batch refused whole (closed event, wrong role) stops the import with
# every row in the rejected file; an unreachable server exits 3.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ORG=$(jf_user "$db" hanako organizer)
DESK=$(jf_user "$db" desk frontdesk)
sql() { psql "$db" -qAtc "$1"; }
work=$JF_TMP/work
mkdir -p "$work"

# jf ARGS...: runs the CLI as the organizer; sets RC, OUT and ERR.
jf() {
	"$JF_CLI" --server "$JF_URL" --token "$ORG" "$@" >"$JF_TMP/out" 2>"$JF_TMP/err"
	RC=$?
	OUT=$(cat "$JF_TMP/out")
	ERR=$(cat "$JF_TMP/err")
	cat "$JF_TMP/err" >>"$JF_TMP/all-stderr"
}
has() { grep -qF -- "$2" <<<"$1" || { echo "     [$2] not in: ${1:0:500}" >&2; return 1; }; }
lacks() { ! grep -qF -- "$2" <<<"$1"; }
batches() { grep -c "POST /api/v1/events/$1/registrations/batch " "$JF_LOG"; }
event() {
	jf events create --type joint_interview_fair --title "$1" \
		--starts-at 2025-01-20T10:00:00+09:00 --ends-at 2025-01-20T16:00:00+09:00 \
		--organizer joint --status open --capacity "$2" --json
	jq -r .id <<<"$OUT"
}

# CSV rows 2…1201, each person born on a different day; row 300 has a
# bad phone number, row 700 is row 2's person again.
awk 'BEGIN {
	printf "氏名,フリガナ,生年月日,電話番号,区分,同意\r\n"
	for (r = 2; r <= 1201; r++) {
		d = r == 700 ? 2 : r
		printf "求職 %d,きゅうしょく,%04d-%02d-%02d,%s,youth,はい\r\n", r,
		    1970 + int(d / 336), int(d / 28) % 12 + 1, d % 28 + 1,
		    r == 300 ? "12-34" : ""
	}
}' >"$work/seekers.csv"

ev=$(event "合同就職面接会 一括" 1100)
jf registrations import "$ev" "$work/seekers.csv"
check "an invalid row refuses the file: 1" eq "$RC" 1
check "the invalid row named" has "$ERR" "row 300, column 電話番号: "
check "nothing sent" eq "$(batches "$ev")" 0

jf registrations import "$ev" "$work/seekers.csv" --skip-invalid --json
check "refusals by the server: 2" eq "$RC" 2
check "1100 imported, 100 skipped" eq "$(jq -r '"\(.imported)/\(.skipped)"' <<<"$OUT")" 1100/100
check "three requests of at most 500 rows" eq "$(batches "$ev")" 3
check "no row sent alone" eq "$(grep -c "POST /api/v1/events/$ev/registrations " "$JF_LOG")" 0
check "the created registrations in the summary" eq "$(jq '.items | length' <<<"$OUT")" 1100
check "in the file's order" eq "$(jq -r '.items[0].name, .items[-1].name' <<<"$OUT" | paste -sd,)" "求職 2,求職 1103"
check "kana normalised by the server" eq "$(jq -r '.items[0].name_kana' <<<"$OUT")" キュウショク
check "the duplicate in the second batch by its row" has "$ERR" "row 700: this person is already registered for the event"
check "  with its column" has "$ERR" "  name_kana: this person is already registered for the event"
check "the first row past the capacity" has "$ERR" "row 1104: the event is full"
check "the last row past the capacity" has "$ERR" "row 1201: the event is full"
check "the last row in" lacks "$ERR" "row 1103:"
check "98 rows refused as full" eq "$(grep -c '^row [0-9]*: the event is full$' <<<"$ERR")" 98
check "the event is full in the database" eq "$(sql "SELECT registered_count, (SELECT count(*) FROM registrations WHERE event_id = $ev) FROM events WHERE id = $ev")" "1100|1100"
rejected=$work/seekers.rejected.csv
check "rejected file: header and 100 rows" eq "$(wc -l <"$rejected")" 101
check "rejected duplicate names its column" grep -q '^求職 700,.*フリガナ: this person is already registered' "$rejected"

# The rejected rows, corrected by nothing but a bigger event, go in.
ev2=$(event "合同就職面接会 追加" 200)
grep -v '^求職 300,' "$rejected" >"$work/again.csv"
jf registrations import "$ev2" "$work/again.csv"
check "rejected rows import elsewhere" eq "$RC:$OUT" "0:imported 99, skipped 0"
check "in one request" eq "$(batches "$ev2")" 1

# A batch refused whole: said once, every row rejected, no more sent.
jf events update "$ev2" --status closed
jf registrations import "$ev2" "$work/seekers.csv" --skip-invalid
check "closed event: 2" eq "$RC:$OUT" "2:imported 0, skipped 1200"
check "said once for the batch's rows" eq "$(grep -c 'closed for registration' <<<"$ERR")" 1
check "named by the batch's rows" has "$ERR" "rows 2-502: the event is closed for registration"
check "nothing more sent" eq "$(batches "$ev2")" 2
check "every row in the rejected file" eq "$(wc -l <"$rejected")" 1201
check "the batch's rows: not imported" grep -q '^求職 2,.*not imported: the event is closed' "$rejected"
check "the rows after: not sent" grep -q '^求職 503,.*not sent: the server refused rows 2-502' "$rejected"

"$JF_CLI" --server "$JF_URL" --token "$DESK" registrations import "$ev" "$work/again.csv" >"$JF_TMP/out" 2>"$JF_TMP/err"
check "frontdesk: 2" eq "$?" 2
check "the role refusal by rows" has "$(cat "$JF_TMP/err")" "rows 2-100: your role may not use this operation"

dead=http://127.0.0.1:$(jf_free_port)
"$JF_CLI" --server "$dead" --token "$ORG" registrations import "$ev" "$work/again.csv" >"$JF_TMP/out" 2>"$JF_TMP/err"
check "unreachable: 3" eq "$?" 3
check "rows marked not sent" grep -q 'not sent: the server could not be reached' "$work/again.rejected.csv"

check "no sanitizer report from the CLI" bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$JF_TMP/all-stderr' '$JF_TMP/err'"
check "server stops cleanly" jf_server_stop "$JF_PID"
done_testing
