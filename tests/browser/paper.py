"""The print and Excel buttons driven as staff would use them, in headless
Chromium.

Run by test_paper_pages.sh, which starts jobfaird, creates the users olive
(organizer), fern (frontdesk) and vic (viewer) and an event with seekers,
two booths and their openings. Each button is clicked and what the
browser saves is compared with the API's own answer for the same request:
PDFs byte for byte but for their creation date, with pdfinfo's page
count and pdftotext's text; .xlsx cell by cell with openpyxl. A viewer
sees no such button and the API refuses it; the front desk prints a
walk-in's 受付票 (on the seekers page, and at the desk right after
registering one) but not the organizers' lists.
"""

import io
import os
import re
import subprocess
import time

import openpyxl
from checks import check, finish
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from office import (ART, BASE, DOWNLOADS, audit_logs, browser, http, page_problems, ready,
                    shot, sign_in, text, wait)

EVENT = os.environ["JF_EVENT"]
WALKIN = os.environ["JF_WALKIN"]
TOKENS = {
    "organizer": os.environ["JF_TOKEN_ORGANIZER"],
    "frontdesk": os.environ["JF_TOKEN_FRONTDESK"],
    "viewer": os.environ["JF_TOKEN_VIEWER"],
}
DB = os.environ["JF_DB"]


def sql(query):
    return subprocess.run(["psql", DB, "-qAtc", query], capture_output=True, text=True,
                          check=True).stdout.split()


def clear_downloads():
    for f in os.listdir(DOWNLOADS):
        os.remove(os.path.join(DOWNLOADS, f))


def saved(d, timeout=60):
    """The one file the browser saved since clear_downloads()."""
    def done(_):
        files = os.listdir(DOWNLOADS)
        return len(files) == 1 and not files[0].endswith(".crdownload") and files[0]
    name = wait(d, done, timeout)
    with open(os.path.join(DOWNLOADS, name), "rb") as f:
        return name, f.read()


def pdf_pages(data):
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout
    return int(re.search(rb"^Pages:\s+(\d+)", out, re.M).group(1))


def pdf_text(data):
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def undated(data):
    """A PDF without cairo's creation date, the one part that differs
    between two renderings of the same document."""
    return re.sub(rb"/CreationDate \(D:[^)]*\)", b"", data)


def cells(data):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [[c for c in row] for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]


def same_file(d, where, path, token="organizer", expect_name=None):
    """The file the browser saved is the API's answer to PATH."""
    name, got = saved(d)
    status, want = http("GET", path, token=TOKENS[token])
    check(f"{where}: the API answers {path} 200", status == 200, status)
    if expect_name:
        check(f"{where}: saved as {expect_name}", name == expect_name, name)
    if name.endswith(".pdf"):
        check(f"{where}: a PDF", got.startswith(b"%PDF-"), got[:8])
        check(f"{where}: the API's PDF (but its date)", undated(got) == undated(want),
              (len(got), len(want)))
        check(f"{where}: page count as the API's", pdf_pages(got) == pdf_pages(want) > 0,
              (pdf_pages(got), pdf_pages(want)))
    else:
        check(f"{where}: an .xlsx (zip)", got.startswith(b"PK"), got[:4])
        check(f"{where}: the API's cells", cells(got) == cells(want) and len(cells(got)) > 1,
              (cells(got)[:3], cells(want)[:3]))
    return got


def status_text(d):
    wait(d, lambda d: "ダウンロードしました" in d.find_element(By.ID, "status").text
         or "できませんでした" in d.find_element(By.ID, "status").text)
    return d.find_element(By.ID, "status").text


def click(d, label):
    """Clicks the button whose text is LABEL, after clearing downloads and
    the status line."""
    clear_downloads()
    d.execute_script("const s = document.getElementById('status'); if (s) s.replaceChildren();")
    b = d.find_element(By.XPATH, f"//button[normalize-space()='{label}']")
    check(f"button 「{label}」 is shown", b.is_displayed())
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", b)
    b.click()
    return b


def buttons(d):
    return [b.text for b in d.find_elements(By.TAG_NAME, "button") if b.is_displayed()]


names = dict(zip(sql(f"SELECT id FROM registrations WHERE event_id = {EVENT} AND status = 'registered' ORDER BY id"),
                 sql(f"SELECT replace(name, ' ', '_') FROM registrations WHERE event_id = {EVENT} AND status = 'registered' ORDER BY id")))
ids = list(names)
api = f"/api/v1/events/{EVENT}"

d = browser()
try:
    # 1. The organizer: the event's papers from the events page.
    sign_in(d, "olive", "olive-password-1")
    d.get(BASE + "/events.html")
    ready(d)
    d.find_element(By.XPATH, "//button[text()='印刷・Excel']").click()
    panel = d.find_element(By.ID, "paper")
    check("events: the print panel opens", panel.is_displayed())
    check("events: it has focus and names the event",
          d.switch_to.active_element.get_attribute("id") == "paper" and "印刷の試験" in panel.text, panel.text[:80])
    shot(d, "paper-events")

    click(d, "受付票をダウンロード（PDF）")
    check("events: the answer is announced", "受付票をダウンロードしました" in status_text(d))
    pdf = same_file(d, "slips, sheet", f"{api}/print/slips.pdf?layout=sheet", expect_name=f"event-{EVENT}-slips.pdf")
    check("slips: 8 seekers, 3 to a sheet: 3 pages", pdf_pages(pdf) == 3, pdf_pages(pdf))
    check("slips: every seeker's name", all(n.replace("_", " ") in pdf_text(pdf) for n in names.values()))
    Select(d.find_element(By.ID, "slip-layout")).select_by_value("page")
    click(d, "受付票をダウンロード（PDF）")
    pdf = same_file(d, "slips, one per page", f"{api}/print/slips.pdf?layout=page")
    check("slips one per page: 8 pages", pdf_pages(pdf) == 8, pdf_pages(pdf))

    click(d, "求職者の名札をダウンロード（PDF）")
    pdf = same_file(d, "seeker badges, number only", f"{api}/print/badges.pdf?names=0")
    check("badges by default carry no name", "山田" not in pdf_text(pdf) and f"{int(ids[0]):06d}" in pdf_text(pdf))
    d.find_element(By.CSS_SELECTOR, "label[for=badge-names]").click()
    click(d, "求職者の名札をダウンロード（PDF）")
    pdf = same_file(d, "seeker badges with names", f"{api}/print/badges.pdf?names=1")
    check("badges with names when the organizer chooses", "山田 太郎1" in pdf_text(pdf))
    click(d, "企業担当者の名札をダウンロード（PDF）")
    pdf = same_file(d, "company badges", f"{api}/print/badges.pdf?kind=companies")
    check("company badges: 2 booths × 2 representatives on one sheet",
          pdf_pages(pdf) == 1 and pdf_text(pdf).count("山口製作所") == 2, pdf_text(pdf)[:200])
    click(d, "ブース掲示をダウンロード（PDF）")
    pdf = same_file(d, "booth cards", f"{api}/print/booths.pdf")
    check("booth cards: one page per booth", pdf_pages(pdf) == 2, pdf_pages(pdf))
    click(d, "参加企業・求人一覧をダウンロード（PDF）")
    pdf = same_file(d, "booklet", f"{api}/print/companies.pdf")
    check("booklet: the openings' 求人番号", "35010-12345678" in pdf_text(pdf) and "35020-11111111" in pdf_text(pdf))
    click(d, "登録者一覧をダウンロード（Excel）")
    book = same_file(d, "registrations.xlsx", f"{api}/registrations.xlsx", expect_name=f"event-{EVENT}-registrations.xlsx")
    check("registrations.xlsx: every seeker", all(any(n.replace("_", " ") in str(c) for row in cells(book) for c in row)
                                                 for n in names.values()))
    click(d, "参加企業・求人一覧をダウンロード（Excel）")
    same_file(d, "companies.xlsx", f"{api}/companies.xlsx")
    shot(d, "paper-events-done")
    audit_logs(d, "events (organizer)")

    # 2. The seekers page: one person, those ticked, everyone.
    d.get(f"{BASE}/seekers.html?event={EVENT}")
    ready(d)
    click(d, "チェックした人の受付票をダウンロード（PDF）")
    check("seekers: nothing ticked says what to do", "チェックを入れてください" in d.find_element(By.ID, "status").text)
    time.sleep(1)
    check("seekers: and saves nothing", os.listdir(DOWNLOADS) == [])
    for i in (ids[1], ids[4]):
        d.find_element(By.CSS_SELECTOR, f"input.pick[value='{i}']").click()
    check("seekers: the cancelled seeker cannot be ticked",
          len(d.find_elements(By.CSS_SELECTOR, "tr.cancelled input.pick")) == 0)
    Select(d.find_element(By.ID, "slip-layout")).select_by_value("page")
    click(d, "チェックした人の受付票をダウンロード（PDF）")
    pdf = same_file(d, "ticked slips", f"{api}/print/slips.pdf?layout=page&ids={ids[1]},{ids[4]}")
    check("ticked slips: exactly those two", pdf_pages(pdf) == 2 and names[ids[1]].replace("_", " ") in pdf_text(pdf)
          and names[ids[0]].replace("_", " ") not in pdf_text(pdf))
    # The slips' QR codes scan back to the tokens (as test_print.sh checks).
    png = subprocess.run(["pdftoppm", "-r", "200", "-gray", "-f", "1", "-l", "1", "-", os.path.join(ART, "paper-slip")],
                         input=pdf, check=True)
    scanned = subprocess.run(["zbarimg", "--raw", "-q", os.path.join(ART, "paper-slip-1.pgm")],
                             capture_output=True, text=True).stdout.split()
    check("the first ticked slip's QR code is its token",
          scanned == sql(f"SELECT checkin_token FROM registrations WHERE id = {ids[1]}"), scanned)
    click(d, "全員の受付票をダウンロード（PDF）")
    same_file(d, "seekers: everyone's slips", f"{api}/print/slips.pdf?layout=page")
    d.find_element(By.CSS_SELECTOR, f"button[aria-label='{names[ids[2]].replace('_', ' ')}を表示']").click()
    wait(d, lambda d: d.find_element(By.ID, "detail").is_displayed())
    Select(d.find_element(By.ID, "slip-layout")).select_by_value("sheet")
    click(d, "この人の受付票をダウンロード（PDF）")
    same_file(d, "one person's slip", f"{api}/print/slips.pdf?layout=sheet&ids={ids[2]}")
    check("seekers: the organizer has the registrations' .xlsx", "登録者一覧をダウンロード（Excel）" in buttons(d))
    shot(d, "paper-seekers")
    audit_logs(d, "seekers (organizer)")

    # 3. The reports page: .xlsx beside the CSV.
    d.get(f"{BASE}/reports.html?event={EVENT}")
    ready(d)
    for which, path in (("fy", "/api/v1/reports/fiscal-year/{}?format=xlsx"),
                        ("event", api + "/report?format=xlsx")):
        link = d.find_element(By.ID, f"{which}-xlsx")
        check(f"reports: {which} .xlsx is offered", link.is_displayed() and "Excel" in link.text, link.text)
        fy = Select(d.find_element(By.ID, "fy")).first_selected_option.get_attribute("value")
        clear_downloads()
        link.click()
        same_file(d, f"reports: {which} .xlsx", path.format(fy))
    shot(d, "paper-reports")
    audit_logs(d, "reports (organizer)")

    # 4. A character no font has: printed as a box and said on the page.
    sql(f"UPDATE registrations SET name = '不明' || chr(1114109) || '子' WHERE id = {ids[5]}")
    d.get(f"{BASE}/seekers.html?event={EVENT}")
    ready(d)
    d.find_element(By.CSS_SELECTOR, f"input.pick[value='{ids[5]}']").click()
    click(d, "チェックした人の受付票をダウンロード（PDF）")
    said = status_text(d)
    check("a missing glyph is said on the page", "□" in said and "U+10FFFD" in said, said)
    saved(d)
    audit_logs(d, "seekers (missing glyph)")
    d.delete_all_cookies()

    # 5. The front desk: a walk-in's slip, no organizer lists.
    sign_in(d, "fern", "fern-password-1")
    d.get(f"{BASE}/seekers.html?event={EVENT}")
    ready(d)
    d.find_element(By.CSS_SELECTOR, "button[aria-label='当日 来子を表示']").click()
    wait(d, lambda d: d.find_element(By.ID, "detail").is_displayed())
    click(d, "この人の受付票をダウンロード（PDF）")
    pdf = same_file(d, "frontdesk: a walk-in's slip", f"{api}/print/slips.pdf?layout=sheet&ids={WALKIN}", token="frontdesk")
    check("frontdesk: the walk-in's name on it", "当日 来子" in pdf_text(pdf))
    check("frontdesk: no registrations .xlsx button", "登録者一覧をダウンロード（Excel）" not in buttons(d), buttons(d))
    status, _ = http("GET", f"{api}/registrations.xlsx", token=TOKENS["frontdesk"])
    check("frontdesk: registrations.xlsx refused", status == 403, status)
    audit_logs(d, "seekers (frontdesk)")
    # At the desk: a walk-in registered there gets a slip from the answer.
    d.get(BASE + "/desk.html")
    wait(d, lambda d: d.find_element(By.ID, "desk-setup").is_displayed())
    Select(d.find_element(By.ID, "desk-event")).select_by_value(str(EVENT))
    d.find_element(By.ID, "desk-name").send_keys("受付1")
    d.find_element(By.CSS_SELECTOR, "#desk-setup button[type=submit]").click()
    wait(d, lambda d: d.find_element(By.ID, "walkin-open").is_displayed())
    d.find_element(By.ID, "walkin-open").click()
    d.find_element(By.ID, "walkin-name").send_keys("窓口 新子")
    d.find_element(By.ID, "walkin-name_kana").send_keys("マドグチ シンコ")
    d.find_element(By.ID, "walkin-consent").click()
    d.find_element(By.CSS_SELECTOR, "#walkin button[type=submit]").click()
    wait(d, lambda d: "窓口 新子" in d.find_element(By.ID, "answer").text)
    new = sql(f"SELECT id FROM registrations WHERE event_id = {EVENT} AND name = '窓口 新子' AND walk_in")
    check("desk: the walk-in is registered", len(new) == 1, new)
    click(d, "受付票をダウンロード（PDF）")
    pdf = same_file(d, "desk: the walk-in's slip", f"{api}/print/slips.pdf?layout=page&ids={new[0]}", token="frontdesk")
    check("desk: one page with the walk-in's name", pdf_pages(pdf) == 1 and "窓口 新子" in pdf_text(pdf))
    shot(d, "paper-desk-walkin")
    audit_logs(d, "desk (frontdesk)")
    d.delete_all_cookies()

    # 6. A viewer: the aggregate reports, and nothing with names.
    sign_in(d, "vic", "vic-password-1")
    d.get(BASE + "/events.html")
    ready(d)
    check("viewer: no print button on the events page", "印刷・Excel" not in buttons(d), buttons(d))
    check("viewer: the print panel stays hidden", not d.find_element(By.ID, "paper").is_displayed())
    d.get(f"{BASE}/reports.html?event={EVENT}")
    ready(d)
    clear_downloads()
    d.find_element(By.ID, "event-xlsx").click()
    same_file(d, "viewer: the event report .xlsx", api + "/report?format=xlsx", token="viewer")
    for path in ("/print/slips.pdf", "/print/badges.pdf", "/print/badges.pdf?kind=companies",
                 "/print/booths.pdf", "/print/companies.pdf", "/registrations.xlsx", "/companies.xlsx"):
        status, _ = http("GET", api + path, token=TOKENS["viewer"])
        check(f"viewer: {path} refused", status == 403, status)
    # With the session cookie too, as a link typed by hand would go.
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    status, _ = http("GET", api + "/print/slips.pdf", headers={"Cookie": cookie})
    check("viewer: refused with the session cookie as well", status == 403, status)
    d.get(BASE + "/seekers.html")
    check("viewer: the seekers page is not theirs", "権限がありません" in text(d))
    audit_logs(d, "viewer")
finally:
    d.quit()

check("no JavaScript errors or other-origin requests", not page_problems, page_problems)
finish()
