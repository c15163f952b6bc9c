"""The desk page driven as a USB scanner drives it, in headless Chromium.

Run by test_desk_page.sh: jobfaird is running (JF_PID, JF_URL), the event
JF_EVENT is today, and JF_CODES lists "kind token" lines (60 seekers, one
with accommodations, a cancelled one, one of another event, a company).
fern (frontdesk) signs in and sets up the desk; then
  1. 50 codes typed with WebDriver key events and Enter, without waiting
     for the answers: duplicates, lower case and spaces, garbage, the
     cancelled and the other event's code -> every answer on screen, and
     the server's counts equal the distinct valid codes;
  2. each answer kind once more, screenshot of each;
  3. undo of the last check-in;
  4. the dashboard in a second tab follows a scan at the desk;
  5. jobfaird stopped; 10 scans answered オフライン from the roster;
     jobfaird started again on the same port -> the journal uploaded by
     itself, the counts equal the distinct valid codes, and uploading the
     same journal again adds nothing.
"""

import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from checks import check, chromium, console_errors, finish
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["JF_URL"]
ART = os.environ["JF_ARTIFACTS"]
ORGANIZER = os.environ["JF_TOKEN_ORGANIZER"]
EVENT = int(os.environ["JF_EVENT"])
TMP = tempfile.mkdtemp(prefix="jobfair-desk.")

codes = {}
for line in open(os.environ["JF_CODES"]):
    kind, token = line.split()
    codes.setdefault(kind, []).append(token)



def api(method, path, body=None):
    req = urllib.request.Request(BASE + "/api/v1" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Authorization", "Bearer " + ORGANIZER)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def stats():
    s = api("GET", f"/events/{EVENT}/stats")
    return s["checked_in"], s["companies"]["checked_in"]


def healthy():
    try:
        with urllib.request.urlopen(BASE + "/healthz", timeout=2):
            return True
    except (urllib.error.URLError, OSError):
        return False


def wait(d, cond, timeout=30):
    return WebDriverWait(d, timeout).until(lambda d: cond(d))


def browser():
    return chromium(TMP)


# Every answer the page shows, in order, as the history list receives it.
OBSERVE = """
window.seen = [];
new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes)
    if (n.dataset && n.dataset.result) window.seen.push(n.dataset.result); })
  .observe(document.getElementById('history'), { childList: true });
"""


def seen(d):
    return d.execute_script("return window.seen")


def scan(d, code):
    """As a USB scanner: the characters one by one, then Enter."""
    d.switch_to.active_element.send_keys(code, Keys.ENTER)


def answer(d, n):
    wait(d, lambda d: len(seen(d)) >= n)
    return d.find_element(By.ID, "answer")


server = None
d = browser()
try:
    d.get(BASE + "/")
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    d.find_element(By.ID, "signin-name").send_keys("fern")
    d.find_element(By.ID, "signin-password").send_keys("fern-password-1", Keys.ENTER)
    wait(d, lambda d: d.current_url.split("?")[0] != BASE + "/")
    nav = [a.text for a in d.find_elements(By.CSS_SELECTOR, "nav.main a")]
    check("受付 in the front desk's menu", "受付" in nav, nav)

    d.get(BASE + "/desk.html")
    wait(d, lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
    check("setup: the desk name has focus", d.switch_to.active_element.get_attribute("id") == "desk-name")
    Select(d.find_element(By.ID, "desk-event")).select_by_value(str(EVENT))
    d.switch_to.active_element.send_keys("東口", Keys.ENTER)
    wait(d, lambda d: d.execute_script("return document.body.dataset.roster") is not None)
    # Remembered: a reload goes straight to the scan screen.
    d.refresh()
    wait(d, lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
    check("desk remembered across a reload", "東口" in d.find_element(By.ID, "desk-where").text)
    wait(d, lambda d: d.execute_script("return document.body.dataset.roster") is not None)
    check("scan field has focus", d.switch_to.active_element.get_attribute("id") == "scan")
    d.save_screenshot(os.path.join(ART, "desk-00-ready.png"))
    d.execute_script(OBSERVE)

    # 1. Fifty codes as fast as WebDriver types them.
    seekers = codes["seeker"]
    first = seekers[:34]
    typed = []
    for i, t in enumerate(first):
        typed.append(t.lower() if i % 5 == 0 else ("  " + t + " " if i % 7 == 0 else t))
    typed += [first[0], first[1], first[2].lower(), first[10], first[20], first[30], first[33], first[5]]
    typed += ["HELLO", "JF1-0000", "1234567890123", "JF1-" + "A" * 25 + "!"]
    typed += [codes["cancelled"][0], codes["other"][0], codes["company"][0]]
    typed.insert(20, codes["needs"][0])
    check("50 codes", len(typed) == 50, len(typed))
    t0 = time.monotonic()
    for code in typed:
        scan(d, code)
    answer(d, 50)
    took = time.monotonic() - t0
    got = seen(d)
    want = {"checked_in": 36, "already_checked_in": 8, "unknown_token": 4, "cancelled": 1, "wrong_event": 1}
    tally = {k: got.count(k) for k in set(got)}
    check("every scan answered, none lost", len(got) == 50, len(got))
    check("answers on screen by kind", tally == want, tally)
    check("answers in the order typed (last: the company)", got[-1] == "checked_in" and got[-3:-1] == ["cancelled", "wrong_event"], got[-3:])
    check("server counts: 35 seekers, 1 company", stats() == (35, 1), stats())
    wait(d, lambda d: "35" in d.find_element(By.ID, "counts").text)
    check("counts on screen against the target", "/ 目標 100" in d.find_element(By.ID, "counts").text,
          d.find_element(By.ID, "counts").text)
    print(f"     50 scans typed and answered in {took:.1f} s", flush=True)

    # 2. Each kind, with a screenshot to look at.
    n = 50
    for name, code, word in (("ok", seekers[40], "受付OK"),
                             ("already", seekers[0], "受付済み"),
                             ("unknown", "NOT-A-CODE", "対象外コード"),
                             ("wrong-event", codes["other"][0], "別イベント"),
                             ("cancelled", codes["cancelled"][0], "取消済み")):
        scan(d, code)
        n += 1
        box = answer(d, n)
        check(f"{name}: {word} shown", box.find_element(By.CLASS_NAME, "answer-word").text == word, box.text)
        d.save_screenshot(os.path.join(ART, f"desk-{name}.png"))
    # The person with accommodations, already in: what the desk acts on.
    scan(d, codes["needs"][0])
    n += 1
    box = answer(d, n)
    check("accommodations shown", "手話通訳" in box.text and "車いす" in box.text and "支援者 1人" in box.text, box.text)
    check("never the handbook", "身体" not in box.text and "手帳" not in box.text, box.text)
    check("first time and desk of an already", "東口" in box.text, box.text)
    check("kana shown", "ヤマダ ハナコ" in box.text, box.text)
    live = d.find_element(By.ID, "answer-live").text
    check("answer announced (aria-live)", "受付済み" in d.find_element(By.ID, "answer-live").get_attribute("textContent"), live)
    d.save_screenshot(os.path.join(ART, "desk-already-needs.png"))

    # 3. Undo the last check-in (seekers[40]).
    before = stats()[0]
    d.find_element(By.CSS_SELECTOR, "#history li[data-result=checked_in] button").click()
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#history li.undone"))
    check("undo takes the check-in back", stats()[0] == before - 1, (before, stats()))
    check("focus back in the scan field", d.switch_to.active_element.get_attribute("id") == "scan")
    check("no console errors online", console_errors(d) == [], console_errors(d))

    # 4. The dashboard in a second tab follows a scan made at the desk.
    desk_tab = d.current_window_handle
    d.switch_to.new_window("tab")
    d.get(f"{BASE}/dashboard.html?event={EVENT}")
    wait(d, lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
    check("dashboard shows the server's count", d.execute_script("return document.body.dataset.checkedIn") == str(stats()[0]))
    dash = d.current_window_handle
    d.switch_to.window(desk_tab)
    scan(d, seekers[47])
    n += 1
    answer(d, n)
    d.switch_to.window(dash)
    wait(d, lambda d: d.execute_script("return document.body.dataset.checkedIn") == "36", 10)
    body = d.find_element(By.TAG_NAME, "body").text
    check("dashboard updated from the stream", "達成率 36.0%" in body, body)
    check("dashboard: no personal data", "求職者 4" not in body and "山田" not in body and "東口" not in body, body)
    d.save_screenshot(os.path.join(ART, "dashboard.png"))
    check("no console errors on the dashboard", console_errors(d) == [], console_errors(d))
    d.close()
    d.switch_to.window(desk_tab)

    # 5. Offline: jobfaird stopped, ten scans from the roster.
    os.kill(int(os.environ["JF_PID"]), signal.SIGTERM)
    deadline = time.monotonic() + 20
    while healthy() and time.monotonic() < deadline:
        time.sleep(0.1)
    check("jobfaird stopped", not healthy())
    fresh = seekers[41:47]
    offline = fresh + [fresh[0], fresh[1].lower(), seekers[3], "GARBAGE"]
    for code in offline:
        scan(d, code)
    n += len(offline)
    answer(d, n)
    got = seen(d)[-10:]
    tally = {k: got.count(k) for k in set(got)}
    check("offline answers from the roster", tally == {"offline_checked_in": 6, "already_checked_in": 3, "unknown_token": 1}, tally)
    check("the page says オフライン", "オフライン" in d.find_element(By.ID, "desk-net").text)
    counts = d.find_element(By.ID, "counts").text
    check("offline check-ins counted on screen as unsent", "42" in counts and "未送信 6" in counts, counts)
    d.save_screenshot(os.path.join(ART, "desk-offline.png"))
    journal = d.execute_async_script("""
        const done = arguments[0];
        const r = indexedDB.open('jobfair-desk');
        r.onsuccess = () => { const q = r.result.transaction('journal').objectStore('journal').getAll();
            q.onsuccess = () => done(q.result); };""")
    check("six scans journalled", len(journal) == 6, len(journal))

    server = subprocess.Popen([os.environ["JF_BIN"]], env=dict(os.environ,
                              JOBFAIR_DATABASE_URL=os.environ["JF_DB"],
                              JOBFAIR_LISTEN=BASE.split("//")[1]),
                              stdout=open(os.path.join(TMP, "server2.log"), "w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while not healthy() and time.monotonic() < deadline:
        time.sleep(0.1)
    wait(d, lambda d: d.execute_script("return document.body.dataset.uploaded") == "6", 30)
    check("uploaded by itself: 36 + 6 seekers", stats()[0] == 42, stats())
    wait(d, lambda d: "送信しました" in d.find_element(By.ID, "desk-net").text)
    d.save_screenshot(os.path.join(ART, "desk-uploaded.png"))
    again = api("POST", f"/events/{EVENT}/checkins/batch", {"scans": [
        {k: s[k] for k in ("token", "nonce", "desk", "scanned_at")} | {"offline": True} for s in journal]})
    check("a second upload adds nothing", stats()[0] == 42 and len(again["results"]) == 6, stats())
    time.sleep(4)  # one more upload round of the page
    check("the page uploads nothing more", stats()[0] == 42, stats())
    check("no console errors", console_errors(d) == [], console_errors(d))
except Exception as e:  # a failed wait says where it stopped
    check("desk run completed", False, repr(e))
    d.save_screenshot(os.path.join(ART, "desk-failure.png"))
finally:
    d.quit()
    if server:
        server.send_signal(signal.SIGTERM)
        check("restarted jobfaird stops cleanly", server.wait(timeout=30) == 0)
finish()
