"""The booth page (面談) driven as booth staff drive it, in headless Chromium.

Run by test_booth_page.sh: jobfaird is running (JF_URL), the event
JF_EVENT is today, JF_COMPANY has booth A-1, and JF_CODES lists eight job
seekers' codes. fern (frontdesk) and olive (organizer) each sign in in a
browser of their own and choose the same booth; then
  1. fern scans six codes with a USB scanner's key events (one twice, and
     a code that is not one) -> five in the queue, numbered 1-5;
  2. fern and olive press 次へ at the same moment -> two different people
     called, each page showing its own;
  3. 面談済み for one, 不在 for the other (keyboard) -> the interview count;
  4. the dashboard shows the booth's waiting count (ブース別の待ち人数);
  5. the booth's access link opened in a browser with no session: the
     same page for that booth; revoked, the page says so.
Screenshots: build/browser-artifacts/booth-*.png.
"""

import json
import os
import tempfile
import time
import urllib.request

from checks import check, chromium, console_errors, finish, press, ready, wait
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

BASE = os.environ["JF_URL"]
ART = os.environ["JF_ARTIFACTS"]
ORGANIZER = os.environ["JF_TOKEN_ORGANIZER"]
EVENT = int(os.environ["JF_EVENT"])
COMPANY = int(os.environ["JF_COMPANY"])
TMP = tempfile.mkdtemp(prefix="jobfair-booth.")
codes = open(os.environ["JF_CODES"]).read().split()


def api(path, body=None):
    req = urllib.request.Request(BASE + "/api/v1" + path, method="POST" if body is not None else "GET",
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Authorization", "Bearer " + ORGANIZER)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def data(d, key):
    return d.execute_script(f"return document.body.dataset.{key}")


def answers(d):
    return int(data(d, "answers") or 0)


def shot(d, name):
    d.save_screenshot(os.path.join(ART, f"booth-{name}.png"))


def open_booth(d, name, password):
    d.get(BASE + "/")
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    d.find_element(By.ID, "signin-name").send_keys(name)
    d.find_element(By.ID, "signin-password").send_keys(password, Keys.ENTER)
    wait(d, lambda d: d.current_url.split("?")[0] != BASE + "/")
    d.get(BASE + "/booth.html")
    ready(d)
    Select(d.find_element(By.ID, "booth-event")).select_by_value(str(EVENT))
    wait(d, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#booth-company option")) == 2)
    Select(d.find_element(By.ID, "booth-company")).select_by_value(str(COMPANY))
    d.find_element(By.CSS_SELECTOR, "#booth-setup button[type=submit]").click()
    wait(d, lambda d: data(d, "waiting") is not None)


def scan(d, code):
    """As a USB scanner: the characters one by one, then Enter."""
    d.switch_to.active_element.send_keys(code, Keys.ENTER)


def answer_name(d):
    return d.find_element(By.CSS_SELECTOR, "#answer .answer-name").text


fern = chromium(TMP)
olive = None
try:
    open_booth(fern, "fern", "fern-password-1")
    nav = [a.text for a in fern.find_elements(By.CSS_SELECTOR, "nav.main a")]
    check("面談 in the front desk's menu", "面談" in nav, nav)
    fern.refresh()
    ready(fern)  # the place is written once the queue and the events came
    check("the booth is remembered across a reload",
          "A-1 株式会社 山口" in fern.find_element(By.ID, "booth-where").text,
          fern.find_element(By.ID, "booth-where").text)
    check("the scan field has focus", fern.switch_to.active_element.get_attribute("id") == "scan")
    check("answers are announced (aria-live)",
          fern.find_element(By.ID, "answer-live").get_attribute("aria-live") == "assertive")
    shot(fern, "00-ready")

    # 1. Six codes typed without waiting; one twice (lower case), one garbage.
    typed = codes[:5] + [codes[0].lower(), "HELLO-BOOTH"]
    for code in typed:
        scan(fern, code)
    wait(fern, lambda d: answers(d) == len(typed))
    wait(fern, lambda d: data(d, "waiting") == "5")
    check("every scan answered", answers(fern) == len(typed), answers(fern))
    check("the last answer: not a code", "求職者のQRコードではありません" in fern.find_element(By.ID, "answer").text,
          fern.find_element(By.ID, "answer").text)
    scan(fern, codes[0])
    wait(fern, lambda d: answers(d) == len(typed) + 1)
    box = fern.find_element(By.ID, "answer")
    check("a second scan: もう並んでいます, place 1", box.get_attribute("data-result") == "already_queued"
          and "待ち順 1番目" in box.text, box.text)
    shot(fern, "01-already-queued")
    scan(fern, codes[5])
    wait(fern, lambda d: answers(d) == len(typed) + 2 and data(d, "waiting") == "6")
    box = fern.find_element(By.ID, "answer")
    check("a new scan: 列に入りました, place 6, name and kana",
          box.get_attribute("data-result") == "queued" and "待ち順 6番目" in box.text and "イトウ サクラ" in box.text, box.text)
    check("never the 手帳", "精神" not in fern.find_element(By.TAG_NAME, "body").text)
    places = [li.text.split(" ")[0] for li in fern.find_elements(By.CSS_SELECTOR, "#waiting li")]
    check("the queue list numbered 1-6", places == ["1番", "2番", "3番", "4番", "5番", "6番"], places)
    check("the server's queue: six waiting", api(f"/events/{EVENT}/companies/{COMPANY}/queue")["booth"]["waiting"] == 6)
    shot(fern, "02-queued")

    # 2. Two staff, two browsers, 次へ at the same moment.
    olive = chromium(TMP)
    open_booth(olive, "olive", "olive-password-1")
    before = [answers(fern), answers(olive)]
    at = int(time.time() * 1000) + 1500
    for d in (fern, olive):
        d.execute_script("const b = document.getElementById('call-next');"
                         "setTimeout(() => b.click(), arguments[0] - Date.now());", at)
    wait(fern, lambda d: answers(d) == before[0] + 1)
    wait(olive, lambda d: answers(d) == before[1] + 1)
    called = [answer_name(fern), answer_name(olive)]
    results = [fern.find_element(By.ID, "answer").get_attribute("data-result"),
               olive.find_element(By.ID, "answer").get_attribute("data-result")]
    check("both pages: 呼び出し", results == ["called", "called"], results)
    check("two different people called", called[0] != called[1], called)
    check("… the first two in the queue", sorted(called) == sorted(["山田 花子 さん", "佐藤 次郎 さん"]) or
          sorted(n.split(" さん")[0] for n in called) == ["佐藤 次郎", "山田 花子"], called)
    q = api(f"/events/{EVENT}/companies/{COMPANY}/queue")
    check("the server: two called, four waiting", (q["booth"]["called"], q["booth"]["waiting"]) == (2, 4), q["booth"])
    wait(fern, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#called li[data-entry]")) == 2)
    shot(fern, "03-called")
    shot(olive, "03-called-olive")

    # 3. 面談済み (clicked) and 不在 (keyboard) for each one called.
    mine = called[0].split(" さん")[0]
    press(fern, f"#called button.done[aria-label^='{mine}']")
    wait(fern, lambda d: d.find_element(By.ID, "answer").get_attribute("data-result") == "done")
    wait(fern, lambda d: d.find_element(By.ID, "fig-interviews").text == "1")
    check("面談済み: the interview counted", fern.find_element(By.ID, "fig-interviews").text == "1")
    check("the scan field has focus again", fern.switch_to.active_element.get_attribute("id") == "scan")
    shot(fern, "04-done")
    theirs = called[1].split(" さん")[0]
    press(olive, f"#called button.absent[aria-label^='{theirs}']", Keys.ENTER)
    wait(olive, lambda d: d.find_element(By.ID, "answer").get_attribute("data-result") == "absent")
    q = api(f"/events/{EVENT}/companies/{COMPANY}/queue")
    check("the server: none called, four waiting, one interview",
          (q["booth"]["called"], q["booth"]["waiting"], q["booth"]["interviews"]) == (0, 4, 1), q["booth"])
    shot(olive, "05-absent")

    # 4. The dashboard: ブース別の待ち人数.
    olive.get(BASE + f"/dashboard.html?event={EVENT}")
    wait(olive, lambda d: data(d, "queues") is not None)
    queues = json.loads(data(olive, "queues"))
    check("dashboard: the booth's waiting count", ["株式会社 山口", 4] in queues and ["湯田温泉 株式会社", 0] in queues, queues)
    scan(fern, codes[6])
    wait(olive, lambda d: ["株式会社 山口", 5] in json.loads(data(d, "queues")), 10)
    check("dashboard follows a scan at the booth", True)
    text = olive.find_element(By.ID, "dash-queues").text
    check("dashboard names the short queue", "待ちの少ないブース：A-2 湯田温泉 株式会社（0人）" in text, text)
    check("no person on the dashboard", "山田" not in olive.find_element(By.TAG_NAME, "body").text)
    olive.execute_script("document.getElementById('dash-queues').scrollIntoView()")
    olive.save_screenshot(os.path.join(ART, "dashboard-queues.png"))
    check("no console errors", console_errors(fern) == [] and console_errors(olive) == [],
          console_errors(fern) + console_errors(olive))

    # 5. A booth link on a tablet without a staff account.
    link = api(f"/events/{EVENT}/links", {"kind": "booth", "company_id": COMPANY, "label": "A-1 タブレット"})
    tablet = chromium(TMP, size="1024,1300")
    try:
        tablet.get(BASE + link["url"][link["url"].index("/booth.html"):])
        ready(tablet)
        check("by link: the link's booth, no menu",
              "A-1 株式会社 山口" in tablet.find_element(By.ID, "booth-where").text
              and not tablet.find_elements(By.CSS_SELECTOR, "nav.main"), tablet.find_element(By.ID, "booth-where").text)
        check("by link: the scan field has focus", tablet.switch_to.active_element.get_attribute("id") == "scan")
        scan(tablet, codes[7])
        wait(tablet, lambda d: answers(d) == 1)
        check("by link: a scan queues", tablet.find_element(By.ID, "answer").get_attribute("data-result") == "queued",
              tablet.find_element(By.ID, "answer").text)
        tablet.save_screenshot(os.path.join(ART, "booth-link.png"))
        api(f"/events/{EVENT}/links/{link['id']}/revoke", {})
        tablet.find_element(By.ID, "call-next").click()
        wait(tablet, lambda d: data(d, "stopped") == "1")
        check("by link, revoked: the page says so", "取り消されたか" in tablet.find_element(By.ID, "answer").text)
        check("by link, revoked: no names left on screen",
              "さん" not in tablet.find_element(By.TAG_NAME, "body").text, tablet.find_element(By.TAG_NAME, "body").text)
        tablet.save_screenshot(os.path.join(ART, "booth-link-revoked.png"))
        check("by link: no console errors", console_errors(tablet) == [], console_errors(tablet))
    finally:
        tablet.quit()
except Exception as e:  # a failed wait says where it stopped
    check("booth run completed", False, repr(e))
    shot(fern, "failure")
    if olive:
        shot(olive, "failure-olive")
finally:
    fern.quit()
    if olive:
        olive.quit()
finish()
