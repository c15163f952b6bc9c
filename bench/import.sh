#!/usr/bin/env bash
# Figure 6 of the benchmarks (not part of the test suite): a 10,000-row
# CP932 CSV of job seekers, as Excel saves it, through
# `jobfair registrations import`.
#
#   bench/import.sh SERVER_URL ORGANIZER_TOKEN EVENT_ID
#
# The event must be open, with room for 10,000 more people, and after
# 2003 (the people are born 1960 to 1987, one a day, so a second run
# needs another event). JOBFAIR_CLI names the client (default
# build-bench/client-cli/jobfair); BENCH_ROWS the number of rows.
# Prints import_seconds=X.XX: the wall time of the whole command, from
# reading and validating the file to the last row's answer.
set -euo pipefail
url=${1:?usage: bench/import.sh SERVER_URL ORGANIZER_TOKEN EVENT_ID}
token=${2:?usage: bench/import.sh SERVER_URL ORGANIZER_TOKEN EVENT_ID}
event=${3:?usage: bench/import.sh SERVER_URL ORGANIZER_TOKEN EVENT_ID}
top=$(cd "$(dirname "$0")/.." && pwd)
cli=${JOBFAIR_CLI:-$top/build-bench/client-cli/jobfair}
rows=${BENCH_ROWS:-10000}

work=$(mktemp -d /tmp/jobfair-import.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Names with characters only CP932 has (髙, 﨑); kana in hiragana and
# katakana; every person a different birth date, so none is a duplicate.
awk -v rows="$rows" 'BEGIN {
	split("髙橋 山﨑 佐藤 鈴木 田中 伊藤 渡辺 中村 小林 吉田", fam, " ")
	split("たかはし やまさき サトウ スズキ たなか イトウ わたなべ ナカムラ こばやし ヨシダ", famk, " ")
	split("一郎 花子 進 葵 誠 恵 翔太 由美 健 さくら", giv, " ")
	split("いちろう ハナコ すすむ アオイ まこと メグミ しょうた ユミ けん サクラ", givk, " ")
	split("youth senior disability;parenting welfare single_parent", cat, " ")
	split("physical intellectual mental none", hb, " ")
	split("sign_language;supporter captioning written wheelchair;rest_breaks", acc, " ")
	printf "氏名,フリガナ,生年月日,電話番号,区分,手帳,配慮事項,同行支援者数,同意\r\n"
	for (i = 0; i < rows; i++) {
		f = i % 10 + 1; g = int(i / 10) % 10 + 1
		# 1 January 1960 plus i days, through the calendar by hand.
		d = i; y = 1960; m = 1
		while (1) {
			yd = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365
			if (d < yd) break
			d -= yd; y++
		}
		split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " ")
		if (yd == 366) ml[2] = 29
		while (d >= ml[m]) { d -= ml[m]; m++ }
		disabled = i % 5 == 2
		printf "%s %s,%s %s,%04d-%02d-%02d,%s,%s,%s,%s,%s,はい\r\n",
		    fam[f], giv[g], famk[f], givk[g], y, m, d + 1,
		    i % 3 == 0 ? sprintf("090-%04d-%04d", int(i / 10000), i % 10000) : "",
		    disabled ? "disability" : cat[i % 5 + 1],
		    disabled ? hb[i % 4 + 1] : "",
		    disabled ? acc[i % 4 + 1] : "",
		    disabled && i % 4 == 0 ? 1 : ""
	}
}' | iconv -f UTF-8 -t CP932 >"$work/seekers.csv"

start=$(date +%s.%N)
set +e
"$cli" --server "$url" --token "$token" registrations import "$event" \
	"$work/seekers.csv" >"$work/out" 2>"$work/err"
rc=$?
set -e
end=$(date +%s.%N)
if [ "$rc" -ne 0 ] || [ "$(cat "$work/out")" != "imported $rows, skipped 0" ]; then
	echo "bench/import.sh: the import failed ($rc):" >&2
	cat "$work/out" "$work/err" >&2
	exit 1
fi
awk -v s="$start" -v e="$end" 'BEGIN {printf "import_seconds=%.2f\n", e - s}'
