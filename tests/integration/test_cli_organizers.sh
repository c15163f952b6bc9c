#!/usr/bin/env bash
# End to end through the `jobfair` CLI (issue 3, "Done when"): log in,
# create the FY2024 joint interview fair with its targets, import 30
# companies and 100 job seekers from CSV, give the companies booths, list
# everything; CSV import in UTF-8, UTF-8 with BOM and CP932, each with a
# bad row (refused with its row number; --skip-invalid imports the rest);
# exit codes 0/1/2/3 and where the server and token come from.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ORG=$(jf_user "$db" hanako organizer)
DESK=$(jf_user "$db" desk frontdesk)
sql() { psql "$db" -qAtc "$1"; }

work=$JF_TMP/work
mkdir -p "$work"
cp "$JF_SOURCE"/tests/data/companies-30.csv "$JF_SOURCE"/tests/data/seekers-100.csv "$work"/
unset JOBFAIR_SERVER JOBFAIR_TOKEN
export XDG_CONFIG_HOME=$JF_TMP/config

# jf ARGS...: runs the CLI; sets RC, OUT and ERR. Every stderr is kept
# for the sanitizer check at the end.
jf() {
	"$JF_CLI" "$@" >"$JF_TMP/out" 2>"$JF_TMP/err"
	RC=$?
	OUT=$(cat "$JF_TMP/out")
	ERR=$(cat "$JF_TMP/err")
	cat "$JF_TMP/err" >>"$JF_TMP/all-stderr"
}
has() { grep -qF -- "$2" <<<"$1" || { echo "     [$2] not in: $1" >&2; return 1; }; }
lacks() { ! grep -qF -- "$2" <<<"$1"; }
count() { jq '.items | length' <<<"$1"; }

# --- where the server and token come from; exit codes 1 and 3 -------------
dead=http://127.0.0.1:$(jf_free_port)
jf --server "$dead" --token x events list
check "unreachable server exits 3" eq "$RC" 3
check "unreachable says so" has "$ERR" "jobfair: cannot reach $dead"
jf events frobnicate
check "unknown subcommand exits 1" eq "$RC" 1
check "unknown subcommand lists the others" has "$ERR" "list show create update"
jf events list --no-such-option
check "unknown option exits 1" eq "$RC" 1
check "usage shown" has "$ERR" "usage: jobfair events list"

jf login --server "$JF_URL" --token not-a-token
check "login with a bad token exits 2" eq "$RC" 2
check "bad token: nothing saved" test ! -e "$XDG_CONFIG_HOME/jobfair/config"
jf login --server "$JF_URL/" --token "$ORG"
check "login exits 0" eq "$RC" 0
check "config file mode 0600" eq "$(stat -c %a "$XDG_CONFIG_HOME/jobfair/config")" 600
check "config directory mode 0700" eq "$(stat -c %a "$XDG_CONFIG_HOME/jobfair")" 700
check "config keeps the server" grep -qx "server=$JF_URL" "$XDG_CONFIG_HOME/jobfair/config"

jf event-types
check "config file used without flags" eq "$RC" 0
check "event types in Japanese" has "$OUT" "合同就職面接会"
check "seminars take no companies" has "$OUT" "再就職準備セミナー"
JOBFAIR_SERVER=$dead jf event-types
check "environment beats the config file" eq "$RC" 3
JOBFAIR_SERVER=$dead jf event-types --server "$JF_URL"
check "flag beats the environment" eq "$RC" 0
jf event-types --server "http://localhost:${JF_URL##*:}"
check "saved token kept from another server name: 2" eq "$RC" 2
check "401 without a token" has "$ERR" "jobfair: "
JOBFAIR_TOKEN=bogus jf event-types
check "unknown token exits 2" eq "$RC" 2
check "401 message printed" has "$ERR" "jobfair: "

# --- the FY2024 joint interview fair ---------------------------------------
fair=(--type joint_interview_fair --title "令和6年度 合同就職面接会"
	--starts-at 2024-10-15T10:00:00+09:00 --ends-at 2024-10-15T16:00:00+09:00
	--venue 山口市民会館 --capacity 150 --target-companies 30
	--target-seekers 100 --organizer joint --status open)
jf events create "${fair[@]}" --token "$DESK"
check "frontdesk may not create events: 2" eq "$RC" 2
jf events create "${fair[@]::4}" --starts-at 2024-10-15 --organizer joint
check "invalid event exits 1" eq "$RC" 1
check "every field's problem listed" has "$ERR" "  starts_at: must be a date and time"
check "missing field listed" has "$ERR" "  ends_at: is required"
jf events create "${fair[@]}" --type no_such_type
check "unknown type refused by the server: 2" eq "$RC" 2
check "server's field error printed" has "$ERR" "  type: is not a known event type"
check "nothing was created" eq "$(sql 'SELECT count(*) FROM events')" 0

jf events create "${fair[@]}" --json
check "fair created" eq "$RC" 0
ev=$(jq -r .id <<<"$OUT")
check "fiscal year 2024" eq "$(jq -r .fiscal_year <<<"$OUT")" 2024
check "fiscal year label 令和6年度" eq "$(jq -r .fiscal_year_label <<<"$OUT")" 令和6年度
check "targets 30 companies / 100 seekers" eq "$(jq -r '"\(.target_companies)/\(.target_seekers)"' <<<"$OUT")" 30/100
check "starts in Japan's time" eq "$(jq -r .starts_at <<<"$OUT")" 2024-10-15T10:00:00+09:00
jf events show "$ev"
check "show: era label" has "$OUT" "令和6年度"
check "show: start in JST" has "$OUT" "2024-10-15 10:00"
jf events update "$ev" --venue KDDI維新ホール --json
check "update venue" eq "$RC:$(jq -r .venue <<<"$OUT")" 0:KDDI維新ホール
jf events update "$ev"
check "update with nothing to change exits 1" eq "$RC" 1
jf events update "$ev" --ends-at 2024-10-15T09:00:00+09:00
check "end before start refused: 2" eq "$RC" 2
check "server names ends_at" has "$ERR" "  ends_at: must be after starts_at"
jf events list --fiscal-year 2024
check "list FY2024 shows the fair" has "$OUT" "令和6年度 合同就職面接会"
jf events list --fiscal-year 2023 --json
check "FY2023 is empty" eq "$(count "$OUT")" 0
jf events show 999999
check "no such event: 2" eq "$RC" 2

# --- 30 companies from CSV (UTF-8 without BOM) -----------------------------
jf companies import "$work/companies-30.csv"
check "30 companies imported" eq "$RC:$OUT" "0:imported 30, skipped 0"
check "no progress line when stderr is no terminal" lacks "$ERR" $'\r'
check "no rejected file when all went in" test ! -e "$work/companies-30.rejected.csv"
jf companies list --json
check "30 companies listed" eq "$(count "$OUT")" 30
check "full-width phone normalised" eq "$(jq -r '.items[] | select(.name == "いしだクリニック") | .phone' <<<"$OUT")" 0839301210
check "hiragana kana stored as katakana" eq "$(jq -r '.items[] | select(.name == "株式会社サビエル物流") | .name_kana' <<<"$OUT")" サビエルブツリュウ
check "sole proprietor without 法人番号" eq "$(jq -r '.items[] | select(.name == "さくらんぼ保育園") | .corporate_number' <<<"$OUT")" null
mapfile -t companies < <(jq -r '.items[].id' <<<"$OUT")
jf companies list --q 山口精機 --json
check "search by name" eq "$(jq -r '.items[0].name' <<<"$OUT")" 山口精機株式会社
jf companies list --limit 7 --json
check "--limit" eq "$(count "$OUT")" 7
jf companies list
check "table has a header and 30 rows" eq "$(wc -l <<<"$OUT")" 31
check "table header in Japanese" has "$(head -n 1 <<<"$OUT")" "法人番号"

# The same companies again: the server refuses each row (409), by row.
head -n 4 "$work/companies-30.csv" >"$work/again.csv"
jf companies import "$work/again.csv"
check "duplicates refused: 2" eq "$RC" 2
check "summary counts the refusals" eq "$OUT" "imported 0, skipped 3"
check "refusal reported by row" has "$ERR" "row 2: "
check "refusal names the column" has "$ERR" "  corporate_number: "
check "refused rows written out" eq "$(wc -l <"$work/again.rejected.csv")" 4
check "rejected file names the column" grep -q "法人番号: " "$work/again.rejected.csv"

# --- booths for the 30 companies ----------------------------------------
ok=0
n=0
for c in "${companies[@]}"; do
	n=$((n + 1))
	jf booths add "$ev" "$c" --booth "A-$(printf %02d $n)" --representatives 2 \
		--opening 営業職,正社員,2 --opening 一般事務,パート,1,35010-12345678
	[ "$RC" -eq 0 ] && ok=$((ok + 1))
done
check "30 booths added" eq "$ok" 30
jf booths add "$ev" "${companies[0]}"
check "second booth for a company: 2" eq "$RC" 2
jf booths add "$ev" "${companies[0]}" --opening 営業職
check "opening without its type: 1" eq "$RC" 1
check "opening error named" has "$ERR" "openings[0].employment_type: is required"
jf booths update "$ev" "${companies[0]}" --status confirmed --json
check "booth confirmed" eq "$RC:$(jq -r .status <<<"$OUT")" 0:confirmed
jf booths list "$ev" --json
check "30 booths listed" eq "$(count "$OUT")" 30
check "openings kept" eq "$(jq -r '.items[0].openings | map(.count) | add' <<<"$OUT")" 3
check "job number kept" eq "$(jq -r '.items[0].openings[1].job_number' <<<"$OUT")" 35010-12345678
jf booths list "$ev"
check "booths table shows openings" has "$OUT" "営業職 正社員×2; 一般事務 パート×1"

# --- 100 job seekers from CSV (UTF-8 with BOM) -------------------------
{ printf '\xef\xbb\xbf'; cat "$work/seekers-100.csv"; } >"$work/seekers-bom.csv"
jf registrations import "$ev" "$work/seekers-bom.csv"
check "100 job seekers imported" eq "$RC:$OUT" "0:imported 100, skipped 0"
jf registrations list "$ev" --json
check "100 listed (two pages followed)" eq "$(count "$OUT")" 100
check "ids unique" eq "$(jq '[.items[].id] | unique | length' <<<"$OUT")" 100
check "handbook kept" eq "$(jq -r '.items[] | select(.name == "山口 由美") | .disability.handbook' <<<"$OUT")" intellectual
check "accommodations kept" eq "$(jq -r '.items[] | select(.name == "山口 由美") | .accommodations | join(";")' <<<"$OUT")" wheelchair
check "full-width age read" eq "$(jq -r '.items[] | select(.name == "鈴木 恵") | .age' <<<"$OUT")" 48
rid=$(jq -r '.items[0].id' <<<"$OUT")
jf registrations list "$ev" --limit 10 --json
check "--limit 10" eq "$(count "$OUT")" 10
jf registrations list "$ev"
check "registrations table: header + 100" eq "$(wc -l <<<"$OUT")" 101
check "registrations table in Japanese" has "$OUT" "髙木 恵"
jf events show "$ev" --json
check "event counts 100 seekers" eq "$(jq -r .registered_count <<<"$OUT")" 100
check "event counts 30 companies" eq "$(jq -r .company_count <<<"$OUT")" 30

jf register "$ev" --name "山口 太郎" --kana "ヤマグチ タロウ" --birth-date 1999-02-02 --phone 090-3001-5003 --consent
check "same person twice: 2" eq "$RC" 2
check "duplicate explained" has "$ERR" "already registered"
jf register "$ev" --name "新規 さん" --kana しんき --age 40
check "no consent: 1, not sent" eq "$RC" 1
check "consent required" has "$ERR" "  consent: is required"
jf register "$ev" --name "新規 さん" --kana しんき --age 40 --consent --json
check "register one" eq "$RC:$(jq -r .name_kana <<<"$OUT")" 0:シンキ
new=$(jq -r .id <<<"$OUT")
jf registrations cancel "$new" --json
check "cancel" eq "$RC:$(jq -r .status <<<"$OUT")" 0:cancelled
jf registrations cancel "$new"
check "cancel twice: 2" eq "$RC" 2
jf registrations show "$rid"
check "show a registration" has "$OUT" "氏名"
jf registrations show abc
check "id must be a number: 1" eq "$RC" 1

# --- encodings, each with a bad row -------------------------------------
jf events create --type disability_interview_fair --title "障がい者雇用合同面接会" \
	--starts-at 2025-02-05T13:00:00+09:00 --ends-at 2025-02-05T16:00:00+09:00 \
	--organizer hellowork --status open --json
ev2=$(jq -r .id <<<"$OUT")
check "second fair is FY2024 too (February)" eq "$(jq -r .fiscal_year <<<"$OUT")" 2024
regs2() { sql "SELECT count(*) FROM registrations WHERE event_id = $ev2"; }

# seekers FILE YEAR: five people born in YEAR; row 4 has a bad phone.
seekers() {
	printf '%s\r\n' \
		"氏名,フリガナ,生年月日,電話番号,区分,手帳,配慮事項,同行支援者数,同意" \
		"髙橋 一郎,たかはし いちろう,$2-05-01,,disability,physical,sign_language;supporter,1,はい" \
		"吉田 花子,ヨシダ ハナコ,$2-06-01,,disability,mental,written,,同意" \
		"佐々木 進,ササキ ススム,$2-07-01,12-34,disability,none,,,1" \
		"渡部 葵,ワタナベ アオイ,$2-08-01,,disability,intellectual,captioning,,true" \
		"石川 誠,イシカワ マコト,$2-09-01,,disability,physical,wheelchair;rest_breaks,,はい" >"$1"
}
seekers "$work/utf8.csv" 1980
seekers "$work/bom.csv.tmp" 1981
{ printf '\xef\xbb\xbf'; cat "$work/bom.csv.tmp"; } >"$work/bom.csv"
seekers "$work/sjis.utf8" 1982
iconv -f UTF-8 -t CP932 "$work/sjis.utf8" >"$work/cp932.csv"
check "CP932 file is not UTF-8" bash -c "! iconv -f UTF-8 -t UTF-8 '$work/cp932.csv' >/dev/null 2>&1"

before=0
for v in utf8 bom cp932; do
	f=$work/$v.csv
	jf registrations import "$ev2" "$f"
	check "$v: bad row refuses the file: 1" eq "$RC" 1
	check "$v: error by row and column" has "$ERR" "row 4, column 電話番号: must be 10 or 11 digits starting with 0"
	check "$v: refusal says nothing was imported" has "$ERR" "1 of 5 rows are invalid; nothing was imported"
	check "$v: nothing imported" eq "$(regs2)" "$before"
	jf registrations import "$ev2" "$f" --skip-invalid
	check "$v: --skip-invalid imports the rest" eq "$RC:$OUT" "0:imported 4, skipped 1"
	check "$v: rejected rows file" test -f "$work/$v.rejected.csv"
	before=$((before + 4))
done
check "12 seekers in the second fair" eq "$(regs2)" 12
check "supporters counted apart" eq "$(sql "SELECT sum(supporters) FROM registrations WHERE event_id = $ev2")" 3
check "UTF-8 rejected file has a BOM" eq "$(head -c 3 "$work/utf8.rejected.csv" | od -An -tx1 | tr -d ' ')" efbbbf
check "CP932 rejected file stays CP932" bash -c "iconv -f CP932 -t UTF-8 '$work/cp932.rejected.csv' | grep -q '^佐々木 進,ササキ ススム,1982-07-01,12-34,.*電話番号: must be'"
check "rejected file: header + 1 row" eq "$(wc -l <"$work/cp932.rejected.csv")" 2

# The corrected rejected file imports as it is (its error column ignored).
iconv -f CP932 -t UTF-8 "$work/cp932.rejected.csv" | sed 's/,12-34,/,090-1982-0701,/' >"$work/fixed.csv"
jf registrations import "$ev2" "$work/fixed.csv"
check "corrected rejected file imports" eq "$RC:$OUT" "0:imported 1, skipped 0"

jf registrations import "$ev2" "$work/cp932.csv" --encoding utf8
check "CP932 read as UTF-8 is refused: 1" eq "$RC" 1
check "encoding error names the line" has "$ERR" "line 1: not valid UTF-8"
jf registrations import "$ev2" "$work/cp932.csv" --encoding cp932 --skip-invalid --json
check "forced cp932: all duplicates now: 2" eq "$RC:$(jq -r '"\(.imported)/\(.skipped)"' <<<"$OUT")" 2:0/5
check "duplicates reported by row" has "$ERR" "row 5: this person is already registered"

# Companies in CP932 with a wrong 法人番号 check digit (real numbers else).
printf '%s\r\n' "法人番号,企業名,フリガナ,郵便番号" \
	"4000012090001,国税庁,こくぜいちょう,100-8978" \
	"4011001098993,株式会社髙島屋商事,タカシマヤショウジ,７５３－０００１" \
	"5000012090001,誤記株式会社,ゴキ,753-0002" \
	"1180301018771,山口中央株式会社,ヤマグチチュウオウ,753-0003" |
	iconv -f UTF-8 -t CP932 >"$work/companies-cp932.csv"
jf companies import "$work/companies-cp932.csv"
check "CP932 companies: bad check digit refuses the file" eq "$RC" 1
check "check digit error by row" has "$ERR" "row 4, column 法人番号: check digit does not match"
jf companies import "$work/companies-cp932.csv" --skip-invalid --json
check "CP932 companies: the rest imported" eq "$RC:$(jq -r .imported <<<"$OUT")" 0:3
check "髙 survives CP932" eq "$(sql "SELECT count(*) FROM companies WHERE name = '株式会社髙島屋商事' AND postal_code = '7530001'")" 1
check "33 companies now" eq "$(sql 'SELECT count(*) FROM companies')" 33

# An unreadable header is refused whole, naming the accepted labels.
printf '%s\r\n' "会社名,電話" "テスト,0839221111" >"$work/badheader.csv"
jf companies import "$work/badheader.csv"
check "unknown header: 1" eq "$RC" 1
check "unknown header named" has "$ERR" "unknown columns: 会社名, 電話"

check "no sanitizer report from the CLI" bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$JF_TMP/all-stderr'"
check "server stops cleanly" jf_server_stop "$JF_PID"
done_testing
