#!/usr/bin/python3
"""Reads a report's .xlsx back with openpyxl and compares it with the CSV.

usage: xlsx_check.py event|fy FILE.xlsx FILE.csv [--plan]

Every cell shown as Excel shows it (a number through its format) must
equal the CSV's cell; a cell the CSV writes as a plain figure ("12",
"66.7%", "552件") must be a number in the workbook. With --plan the
目標値一覧's FY2019-2023 actuals and FY2024 targets must be the plan's.
Prints what differs and exits 1, or prints "ok N cells, M numbers".
"""
import csv
import re
import sys

import openpyxl

PLAIN = re.compile(r"^-?\d+(\.\d+)?%?$|^\d+[件人社回]$")
UNIT = re.compile(r'^0"(.*)"$')

# The plan's 目標値一覧 (令和6年度事業計画): the metric, FY2019-2023, target.
PLAN = [
    ("若年者の正社員就職件数", ["552件", "474件", "449件", "419件", "389件"], "389件"),
    ("山口新卒応援ハローワーク", ["633件", "788件", "694件", "669件", "673件"], "626件 (666件)"),
    ("マザーズコーナー", ["286件", "254件", "264件", "279件", "289件"], "289件 (279件)"),
    ("再就職準備セミナー", ["34人", "(0回)0人", "(1回)11人", "22人", "28人"], "40人 (40人)"),
    ("高齢者の就職件数", ["756件", "706件", "720件", "730件", "734件"], "734件 (730件)"),
    ("セカンドライフ応援セミナー", ["", "", "", "", "39人"], "50人"),
    ("アクティブシニアのための企業面談会", ["19社 40人", "12社 31人", "12社 26人", "6社 20人", "20社 29人"], "15社・50人 (15社・50人)"),
    ("障がい者の就職件数", ["178件", "152件", "144件", "168件", "200件"], "200件 (168件)"),
    ("障がい者雇用合同面接会", ["35社 95人", "0社 0人", "23社 51人", "24社 52人", "31社 69人"], "30社・80人 (30社・100人)"),
    ("人材確保対策コーナー", ["465件", "412件", "422件", "377件", "418件"], "418件"),
    ("医療・福祉の合同就職面接会", ["", "", "", "", "6社 21人"], "8社・30人"),
    ("保育ミニ面接会", ["4人", "7人", "(0回)0人", "7人", "6人"], "10人 (10人)"),
    ("生活保護受給者等就労自立促進事業", ["163人 126件", "166人 116件", "148人 112件", "151人 110件", "121人 92件"], "120人・82件 (120人・78件)"),
    ("「合同就職面接会」の参加企業", ["", "", "", "", ""], "30社・100人"),
]


def shown(cell):
    """The cell as Excel shows it."""
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    fmt = cell.number_format
    if fmt == "0.0%":
        return "%.1f%%" % (v * 100)
    if fmt == "0.00":
        return "%.2f" % v
    m = UNIT.match(fmt)
    if fmt == "0" or m:
        return "%.0f%s" % (v, m.group(1) if m else "")
    return "FORMAT?" + fmt


def main():
    kind, xlsx, csvfile = sys.argv[1:4]
    plan = "--plan" in sys.argv
    with open(csvfile, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    ws = openpyxl.load_workbook(xlsx).active
    bad, cells, numbers = [], 0, 0
    first = 0
    if kind == "fy":
        # Two header rows: a label merged over both rows is in the first.
        for c, want in enumerate(rows[0], start=1):
            got = ws.cell(2, c).value or ws.cell(1, c).value
            if got != want:
                bad.append("header col %d: %r != %r" % (c, got, want))
        if ws.freeze_panes != "A3":
            bad.append("freeze_panes %r" % ws.freeze_panes)
        merged = {str(r) for r in ws.merged_cells.ranges}
        for want in ("A1:A2", "B1:C1"):
            if want not in merged:
                bad.append("not merged: " + want)
        rows = rows[1:]
        first = 3
    else:
        if ws.freeze_panes != "A2":
            bad.append("freeze_panes %r" % ws.freeze_panes)
        first = 1
    if ws.max_row != first - 1 + len(rows):
        bad.append("rows: %d != %d" % (ws.max_row - first + 1, len(rows)))
    for r, row in enumerate(rows, start=first):
        for c, want in enumerate(row, start=1):
            cell = ws.cell(r, c)
            cells += 1
            got = shown(cell)
            if got != want:
                bad.append("R%dC%d: %r != %r" % (r, c, got, want))
            if want and PLAIN.match(want) and r > 1:
                if isinstance(cell.value, (int, float)):
                    numbers += 1
                else:
                    bad.append("R%dC%d %r is not a number" % (r, c, want))
    for c in range(1, len(rows[0]) + 1):
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
        if not width or width < 6:
            bad.append("column %d has no width" % c)
    if plan:
        by_metric = {}
        for r in range(first, ws.max_row + 1):
            by_metric[str(ws.cell(r, 2).value)] = r
        for key, actuals, target in PLAN:
            r = [row for m, row in by_metric.items() if key in m]
            if len(r) != 1:
                bad.append("plan row %s: %d matches" % (key, len(r)))
                continue
            got = [shown(ws.cell(r[0], c)) for c in range(4, 9)]
            if got != actuals:
                bad.append("plan %s actuals %r != %r" % (key, got, actuals))
            if shown(ws.cell(r[0], 9)) != target:
                bad.append("plan %s target %r != %r" % (key, shown(ws.cell(r[0], 9)), target))
    if bad:
        print("\n".join(bad[:30]))
        sys.exit(1)
    print("ok %d cells, %d numbers" % (cells, numbers))


main()
