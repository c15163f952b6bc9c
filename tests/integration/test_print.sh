#!/usr/bin/env bash
# The printed documents: 受付票 whose every QR code scans back to its
# registration's token (pdftoppm + zbarimg, all 100 of an event), the
# Japanese font embedded (pdffonts), every name, kana, booth number and
# 求人番号 in the text (pdftotext), page counts (pdfinfo), characters
# outside JIS X 0208 printed, one no font has reported, and the roles.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/eventday_lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
ORG=$(jf_user "$db" olivia organizer)
DESK=$(jf_user "$db" fiona frontdesk)
VIEW=$(jf_user "$db" victor viewer)
TOKEN=$ORG

EVENT=$(ed_event "$db" '令和6年度 アクティブシニアのための企業面談会 〜いきいきと働き続けるために〜')
ed_sql "$db" "UPDATE events SET venue = '市民会館 3階 大会議室', starts_at = '2024-06-14 13:00+09',
    ends_at = '2024-06-14 16:00+09' WHERE id = $EVENT" >/dev/null
# 100 seekers: 98 ordinary ones, 𠮷 and 髙 (outside JIS X 0208), and a
# very long name that must shrink rather than run under the QR code.
ed_sql "$db" "INSERT INTO registrations (event_id, name, name_kana, consent_at, checkin_token)
    SELECT $EVENT, '山田 太郎' || i, 'ヤマダ タロウ', now(),
           'JF1-' || upper(substr(md5(i::text || 'x'), 1, 26))
    FROM generate_series(1, 97) i" >/dev/null
ed_sql "$db" "UPDATE registrations SET checkin_token = translate(checkin_token, '0189', 'QRST')
    WHERE event_id = $EVENT" >/dev/null
read -r yoshi _ <<<"$(ed_registration "$db" "$EVENT" '𠮷野 家子' 'ヨシノ イエコ')"
read -r taka _ <<<"$(ed_registration "$db" "$EVENT" '髙橋 一郎' 'タカハシ イチロウ')"
read -r long _ <<<"$(ed_registration "$db" "$EVENT" 'ウォルフェシュレーゲルシュタインハウゼンベルガードルフ アレクサンダー フォン ホーエンツォレルン' 'ウォルフ アレクサンダー')"
read -r gone _ <<<"$(ed_registration "$db" "$EVENT" '取消 花子' 'トリケシ ハナコ' cancelled)"
check "100 seekers registered" eq "$(ed_sql "$db" "SELECT count(*) FROM registrations WHERE event_id = $EVENT AND status = 'registered'")" 100

read -r c1 ctok1 <<<"$(ed_booth "$db" "$EVENT" '株式会社 山口製作所')"
read -r c2 ctok2 <<<"$(ed_booth "$db" "$EVENT" '社会福祉法人 みどりの丘福祉会 特別養護老人ホーム あおぞらの里 デイサービスセンター')"
read -r c3 _ <<<"$(ed_booth "$db" "$EVENT" '取消株式会社' cancelled)"
ed_sql "$db" "UPDATE participations SET booth = CASE company_id WHEN $c1 THEN '12' ELSE '3' END,
    representatives = 2 WHERE event_id = $EVENT" >/dev/null
ed_sql "$db" "INSERT INTO openings (participation_id, title, employment_type, job_number, count)
    SELECT p.id, o.title, o.type, o.num, o.n FROM participations p,
    (VALUES ($c1, '機械オペレーター', '正社員', '13010-12345678', 2),
            ($c1, '検品・梱包スタッフ（週3日から）', 'パート', '13010-87654321', 5),
            ($c2, '介護職員（日勤のみ・資格不問・未経験歓迎・研修制度あり）', '契約社員', '13020-11111', 3)) o(c, title, type, num, n)
    WHERE p.event_id = $EVENT AND p.company_id = o.c" >/dev/null

# pdf_get PATH FILE [TOKEN]: sets STATUS, CTYPE and the headers in $JF_TMP/h.
pdf_get() {
	local out
	out=$(curl -s -D "$JF_TMP/h" -o "$2" -w '%{http_code} %{content_type}' --max-time 60 \
		-H "Authorization: Bearer ${3:-$TOKEN}" "$JF_URL$1")
	STATUS=${out%% *}
	CTYPE=${out#* }
}
pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }
base=/api/v1/events/$EVENT/print

# 受付票, three to a sheet: 100 slips on 34 pages.
pdf_get "$base/slips.pdf" "$JF_TMP/slips.pdf"
check "slips 200" eq "$STATUS" 200
check "slips are a PDF" eq "$CTYPE" application/pdf
check "100 slips on 34 pages" eq "$(pages "$JF_TMP/slips.pdf")" 34
check "the CJK font is embedded" bash -c "pdffonts '$JF_TMP/slips.pdf' | awk 'NR > 2 && /NotoSansCJK/ && \$(NF-4) == \"yes\" && \$(NF-3) == \"yes\" { ok = 1 } END { exit !ok }'"
check "no font is left unembedded" bash -c "! pdffonts '$JF_TMP/slips.pdf' | awk 'NR > 2' | grep -qE ' no +(no|yes) +(no|yes) +[0-9]+ +[0-9]+\$'"
pdftotext "$JF_TMP/slips.pdf" "$JF_TMP/slips.txt"
# Every registered seeker's name, kana and number; not the cancelled one.
missing=0
while IFS='|' read -r id name kana; do
	num=$(printf '%06d' "$id")
	grep -qF "$num" "$JF_TMP/slips.txt" || { echo "     no number $num" >&2; missing=$((missing + 1)); }
	[ "$id" = "$long" ] && continue
	grep -qF "$name" "$JF_TMP/slips.txt" || { echo "     no name $name" >&2; missing=$((missing + 1)); }
	grep -qF "$kana" "$JF_TMP/slips.txt" || { echo "     no kana $kana" >&2; missing=$((missing + 1)); }
done < <(ed_sql "$db" "SELECT id, name, name_kana FROM registrations WHERE event_id = $EVENT AND status = 'registered'")
check "every number, name and kana is in the text" eq "$missing" 0
check "𠮷 prints" grep -qF '𠮷野 家子' "$JF_TMP/slips.txt"
check "髙 prints" grep -qF '髙橋 一郎' "$JF_TMP/slips.txt"
check "the long name shrinks onto its line (its start is there)" grep -qF 'ウォルフェシュレーゲル' "$JF_TMP/slips.txt"
check "the cancelled seeker has no slip" bash -c "! grep -qF '取消 花子' '$JF_TMP/slips.txt'"
check "the venue and time are there" grep -qF '2024年6月14日(金) 13:00〜16:00' "$JF_TMP/slips.txt"
check "no warning without a missing character" bash -c "! grep -qi '^X-Jobfair-Warning' '$JF_TMP/h'"

# Every QR code on every page decodes to the right token, all 100.
pdftoppm -r 200 -gray "$JF_TMP/slips.pdf" "$JF_TMP/slip"
for f in "$JF_TMP"/slip-*.pgm; do zbarimg --raw -q "$f"; done | sort >"$JF_TMP/decoded"
ed_sql "$db" "SELECT checkin_token FROM registrations WHERE event_id = $EVENT AND status = 'registered'" |
	sort >"$JF_TMP/tokens"
check "all 100 QR codes decode" eq "$(wc -l <"$JF_TMP/decoded")" 100
check "to exactly the registrations' tokens" cmp -s "$JF_TMP/decoded" "$JF_TMP/tokens"
# On each page, the codes in the order of the slips' numbers.
page1=$(zbarimg --raw -q "$JF_TMP/slip-01.pgm" | sort | tr '\n' ' ')
want1=$(ed_sql "$db" "SELECT checkin_token FROM registrations WHERE event_id = $EVENT AND status = 'registered' ORDER BY id LIMIT 3" | sort | tr '\n' ' ')
check "page 1 holds the first three seekers' codes" eq "$page1" "$want1"

# One per page, for a list of ids; the front desk may print a walk-in's.
pdf_get "$base/slips.pdf?ids=$yoshi,$taka&layout=page" "$JF_TMP/two.pdf" "$DESK"
check "frontdesk prints slips" eq "$STATUS" 200
check "two slips, one per page" eq "$(pages "$JF_TMP/two.pdf")" 2
pdftotext "$JF_TMP/two.pdf" "$JF_TMP/two.txt"
check "only those two" eq "$(grep -cE '山田 太郎' "$JF_TMP/two.txt")" 0
pdftoppm -r 200 -gray "$JF_TMP/two.pdf" "$JF_TMP/two"
check "one code per page" eq "$(for f in "$JF_TMP"/two-*.pgm; do zbarimg --raw -q "$f"; done | wc -l)" 2
pdf_get "$base/slips.pdf?ids=$gone" "$JF_TMP/x.pdf"
check "a cancelled id is refused" eq "$STATUS" 422
check "naming the field" eq "$(jq -r '.error.fields | keys[0]' "$JF_TMP/x.pdf")" ids
for bad in 'abc' '1,,2' '0' '-3' '1;2' '%2B1' '1,%202' '1,%2B2'; do
	pdf_get "$base/slips.pdf?ids=$bad" "$JF_TMP/x.pdf"
	check "ids=$bad refused" eq "$STATUS" 422
done
pdf_get "$base/slips.pdf?layout=poster" "$JF_TMP/x.pdf"
check "an unknown layout refused" eq "$STATUS" 422
pdf_get "/api/v1/events/999999/print/slips.pdf" "$JF_TMP/x.pdf"
check "an unknown event 404" eq "$STATUS" 404

# A character no font has prints as a visible box and is reported.
ed_sql "$db" "UPDATE registrations SET name = '不明' || chr(1114109) || '子' WHERE id = $taka" >/dev/null
pdf_get "$base/slips.pdf?ids=$taka" "$JF_TMP/odd.pdf"
check "a missing glyph still prints" eq "$STATUS" 200
check "and is reported in a header" grep -qi '^X-Jobfair-Warning: 1 character.*U+10FFFD' "$JF_TMP/h"
check "and in the log" grep -q 'U+10FFFD' "$JF_LOG"

# Badges: 10 per A4 sheet; with names or numbers only.
pdf_get "$base/badges.pdf?names=1" "$JF_TMP/b.pdf"
check "badges 200" eq "$STATUS" 200
check "100 badges on 10 sheets" eq "$(pages "$JF_TMP/b.pdf")" 10
check "badges carry names" grep -qF '𠮷野 家子' <(pdftotext "$JF_TMP/b.pdf" -)
pdf_get "$base/badges.pdf" "$JF_TMP/bn.pdf"
check "numbers only by default" bash -c "! pdftotext '$JF_TMP/bn.pdf' - | grep -qF '山田'"
check "but the numbers" grep -qF "$(printf '%06d' "$yoshi")" <(pdftotext "$JF_TMP/bn.pdf" -)
pdf_get "$base/badges.pdf?kind=companies" "$JF_TMP/bc.pdf"
check "company badges 200" eq "$STATUS" 200
check "two representatives each: one sheet" eq "$(pages "$JF_TMP/bc.pdf")" 1
check "four company badges" eq "$(pdftotext "$JF_TMP/bc.pdf" - | grep -c '氏名')" 4
pdf_get "$base/badges.pdf?kind=companies&names=1" "$JF_TMP/x.pdf"
check "names with companies refused" eq "$STATUS" 422

# Booth cards: one A4 landscape page per confirmed booth, code included.
pdf_get "$base/booths.pdf" "$JF_TMP/booths.pdf"
check "booths 200" eq "$STATUS" 200
check "two booth cards" eq "$(pages "$JF_TMP/booths.pdf")" 2
check "landscape" bash -c "pdfinfo '$JF_TMP/booths.pdf' | grep -q 'Page size: *841.89 x 595.276'"
pdftotext "$JF_TMP/booths.pdf" "$JF_TMP/booths.txt"
check "booth numbers and names" bash -c "grep -qx '12' '$JF_TMP/booths.txt' && grep -qx '3' '$JF_TMP/booths.txt' && grep -qF '山口製作所' '$JF_TMP/booths.txt'"
pdftoppm -r 150 -gray "$JF_TMP/booths.pdf" "$JF_TMP/booth"
check "booth codes decode" eq "$(for f in "$JF_TMP"/booth-*.pgm; do zbarimg --raw -q "$f"; done | sort | tr '\n' ' ')" \
	"$(printf '%s\n' "$ctok1" "$ctok2" | sort | tr '\n' ' ')"
check "no cancelled booth" bash -c "! grep -qF '取消株式会社' '$JF_TMP/booths.txt'"

# The booklet: booths in order, every opening with its 求人番号.
pdf_get "$base/companies.pdf" "$JF_TMP/co.pdf"
check "booklet 200" eq "$STATUS" 200
pdftotext -layout "$JF_TMP/co.pdf" "$JF_TMP/co.txt"
for want in 13010-12345678 13010-87654321 13020-11111 機械オペレーター 正社員 パート 契約社員 5人; do
	check "booklet has $want" grep -qF "$want" "$JF_TMP/co.txt"
done
check "booth 3 comes before booth 12" bash -c "[ \$(grep -n 'みどりの丘' '$JF_TMP/co.txt' | head -1 | cut -d: -f1) -lt \$(grep -n '山口製作所' '$JF_TMP/co.txt' | head -1 | cut -d: -f1) ]"
pdf_get "$base/companies.pdf?x=1" "$JF_TMP/x.pdf"
check "booklet takes no query" eq "$STATUS" 422

# The CLI saves the server's PDF.
export XDG_CONFIG_HOME=$JF_TMP/config JOBFAIR_SERVER=$JF_URL JOBFAIR_TOKEN=$DESK
"$JF_CLI" print slips "$EVENT" --id "$yoshi" --id "$long" --one-per-page --out "$JF_TMP/cli.pdf" 2>"$JF_TMP/err"
check "jobfair print slips exits 0" eq "$?" 0
check "two pages for two --id" eq "$(pages "$JF_TMP/cli.pdf")" 2
check "the first is 𠮷野's" grep -qF '𠮷野 家子' <(pdftotext -f 1 -l 1 "$JF_TMP/cli.pdf" -)
"$JF_CLI" print badges "$EVENT" --companies --out "$JF_TMP/clib.pdf" 2>"$JF_TMP/err"
check "jobfair print badges --companies" eq "$(pdftotext "$JF_TMP/clib.pdf" - | grep -c '氏名')" 4
"$JF_CLI" print booths "$EVENT" --out "$JF_TMP/clibo.pdf" 2>"$JF_TMP/err"
check "jobfair print booths" eq "$(pdftotext "$JF_TMP/clibo.pdf" -)" "$(pdftotext "$JF_TMP/booths.pdf" -)"
"$JF_CLI" print companies "$EVENT" --out "$JF_TMP/clico.pdf" 2>"$JF_TMP/err"
check "jobfair print companies" grep -qF 13020-11111 <(pdftotext "$JF_TMP/clico.pdf" -)
JOBFAIR_TOKEN=$VIEW "$JF_CLI" print slips "$EVENT" --out "$JF_TMP/v.pdf" 2>"$JF_TMP/err"
check "a viewer's print fails" test "$?" -ne 0
check "and writes no file" test ! -e "$JF_TMP/v.pdf"
"$JF_CLI" print slips "$EVENT" 2>"$JF_TMP/err"
check "--out is required" eq "$?" 1

# Roles: a viewer sees none of it; nobody without a token.
for doc in slips.pdf badges.pdf booths.pdf companies.pdf; do
	pdf_get "$base/$doc" "$JF_TMP/x.pdf" "$VIEW"
	check "viewer 403 on $doc" eq "$STATUS" 403
done
check "no token 401" eq "$(curl -s -o /dev/null -w '%{http_code}' "$JF_URL$base/slips.pdf")" 401
check "printing names is audited" test "$(ed_sql "$db" "SELECT count(*) FROM audit_log WHERE action = 'print'")" -ge 5

done_testing
