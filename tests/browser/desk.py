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
  5. jobfaird stopped; 40 scans with duplicates answered オフライン from
     the roster, the tab reloaded after 20 of them (the page from the service worker, the
     journal kept); jobfaird started again on the same port -> the
     journal uploaded by itself, the counts equal the distinct valid
     codes, and uploading the same journal again adds nothing;
  6. the camera (Chromium's fake camera playing a registration's QR PNG
     in a loop) -> checked in once; the camera off when closed;
  7. lookup by kana (an empty search answered at the field), check-in by id;
  8. a walk-in: errors next to the fields, then registered and checked in;
  9. in a browser that refuses the camera, the panel says why.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from checks import check, chromium, console_errors, finish, ready, wait
from fakecam import y4m
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

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


# The fake camera shows a registration's real QR code, as the API draws it.
CAMERA_ID = int(codes["camera_id"][0])
with urllib.request.urlopen(urllib.request.Request(
        f"{BASE}/api/v1/registrations/{CAMERA_ID}/qr.png?scale=8",
        headers={"Authorization": "Bearer " + ORGANIZER}), timeout=30) as r:
    CAMERA_FILE = os.path.join(TMP, "camera.y4m")
    y4m(r.read(), CAMERA_FILE)


def browser(camera=True):
    """camera=False: a camera is there, but the browser says no to it."""
    return chromium(TMP, extra=(
        "--use-fake-ui-for-media-stream" if camera else "--deny-permission-prompts",
        "--use-fake-device-for-media-stream",
        "--use-file-for-fake-video-capture=" + CAMERA_FILE))


# Every answer the page shows, in order, as the history list receives it.
# Run again, it starts a new count (one observer per page).
OBSERVE = """
window.seen = [];
if (!window.observing) new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes)
    if (n.dataset && n.dataset.result) window.seen.push(n.dataset.result); })
  .observe(document.getElementById('history'), { childList: true });
window.observing = true;
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
    ready(d)  # the landing page's menu is drawn
    nav = [a.text for a in d.find_elements(By.CSS_SELECTOR, "nav.main a")]
    check("受付 in the front desk's menu", "受付" in nav, nav)

    d.get(BASE + "/desk.html")
    ready(d)
    check("setup: the desk name has focus", d.switch_to.active_element.get_attribute("id") == "desk-name")
    Select(d.find_element(By.ID, "desk-event")).select_by_value(str(EVENT))
    d.switch_to.active_element.send_keys("東口", Keys.ENTER)
    wait(d, lambda d: d.execute_script("return document.body.dataset.roster") is not None)
    # Remembered: a reload goes straight to the scan screen.
    d.refresh()
    ready(d)
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
    ready(d)
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

    # 5. Offline: jobfaird stopped, forty scans from the roster (18 people,
    # the rest duplicates, one garbage), the tab reloaded half-way.
    os.kill(int(os.environ["JF_PID"]), signal.SIGTERM)
    deadline = time.monotonic() + 20
    while healthy() and time.monotonic() < deadline:
        time.sleep(0.1)
    check("jobfaird stopped", not healthy())
    fresh = seekers[41:47]
    extra = seekers[48:60]
    offline = fresh[:4] + [fresh[1].lower(), "GARBAGE"] + extra[:8] + extra[:6]
    for code in offline:
        scan(d, code)
    n += len(offline)
    answer(d, n)
    before_reload = seen(d)[-len(offline):]
    check("the page says オフライン", "オフライン" in d.find_element(By.ID, "desk-net").text)
    # The tab reloaded while the server is away: the page comes from the
    # service worker, the roster and journal from IndexedDB.
    d.refresh()
    ready(d)
    wait(d, lambda d: d.execute_script("return document.body.dataset.roster") is not None)
    check("reloaded offline: the desk page is back", "東口" in d.find_element(By.ID, "desk-where").text
          and d.execute_script("return !!navigator.serviceWorker.controller"), d.find_element(By.TAG_NAME, "body").text[:200])
    check("reloaded offline: the scan field has focus", d.switch_to.active_element.get_attribute("id") == "scan")
    d.execute_script(OBSERVE)
    after = fresh[4:] + extra[8:] + extra + [fresh[0], seekers[3]]
    for code in after:
        scan(d, code)
    answer(d, len(after))
    got = before_reload + seen(d)
    tally = {k: got.count(k) for k in set(got)}
    check("offline answers from the roster, across the reload",
          len(got) == 40 and tally == {"offline_checked_in": 18, "already_checked_in": 21, "unknown_token": 1}, got)
    check("checked in before the reload: 受付済み after it", seen(d)[-2:] == ["already_checked_in"] * 2, seen(d))
    check("the reloaded page says オフライン", "オフライン" in d.find_element(By.ID, "desk-net").text)
    counts = d.find_element(By.ID, "counts").text
    check("offline check-ins counted on screen as unsent", "54" in counts and "未送信 18" in counts, counts)
    d.save_screenshot(os.path.join(ART, "desk-offline.png"))
    journal = d.execute_async_script("""
        const done = arguments[0];
        const r = indexedDB.open('jobfair-desk');
        r.onsuccess = () => { const q = r.result.transaction('journal').objectStore('journal').getAll();
            q.onsuccess = () => done(q.result); };""")
    check("eighteen scans journalled", len(journal) == 18, len(journal))

    # The restarted jobfaird serves a new version of the page (a marker
    # in desk.html): after a reload online the page must be the new one.
    web2 = os.path.join(TMP, "web2")
    shutil.copytree(os.path.join(os.environ["JF_SOURCE"], "server", "web"), web2)  # links followed
    with open(os.path.join(web2, "desk.html"), encoding="utf-8") as f:
        page = f.read().replace("<head>", '<head>\n<meta name="jf-version" content="2">', 1)
    with open(os.path.join(web2, "desk.html"), "w", encoding="utf-8") as f:
        f.write(page)
    server = subprocess.Popen([os.environ["JF_BIN"], "--web-dir", web2], env=dict(os.environ,
                              JOBFAIR_DATABASE_URL=os.environ["JF_DB"],
                              JOBFAIR_LISTEN=BASE.split("//")[1]),
                              stdout=open(os.path.join(TMP, "server2.log"), "w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while not healthy() and time.monotonic() < deadline:
        time.sleep(0.1)
    wait(d, lambda d: d.execute_script("return document.body.dataset.uploaded") == "18", 30)
    check("uploaded by itself: 36 + 18 seekers", stats()[0] == 54, stats())
    wait(d, lambda d: "送信しました" in d.find_element(By.ID, "desk-net").text)
    d.save_screenshot(os.path.join(ART, "desk-uploaded.png"))
    again = api("POST", f"/events/{EVENT}/checkins/batch", {"scans": [
        {k: s[k] for k in ("token", "nonce", "desk", "scanned_at")} | {"offline": True} for s in journal]})
    check("a second upload adds nothing", stats()[0] == 54 and len(again["results"]) == 18, stats())
    time.sleep(4)  # one more upload round of the page
    check("the page uploads nothing more", stats()[0] == 54, stats())
    d.refresh()
    ready(d)
    wait(d, lambda d: d.execute_script("return document.body.dataset.roster") is not None)
    check("reloaded online: the new version of the page, not the kept one",
          d.execute_script("return !!document.querySelector('meta[name=jf-version]')"))
    kept = d.execute_async_script("""const done = arguments[0];
        caches.open('jobfair-desk').then((c) => c.match('/desk.html')).then((r) => r.text()).then(done);""")
    check("the service worker keeps the new version", 'name="jf-version"' in kept)

    # 6. The camera: Chromium's fake camera plays the QR code over and
    # over; the page checks the person in once.
    d.execute_script(OBSERVE)
    d.find_element(By.ID, "camera-open").click()
    wait(d, lambda d: d.execute_script("return document.body.dataset.camera") == "on")
    answer(d, 1)
    box = d.find_element(By.ID, "answer")
    check("camera: 受付OK with the name", "受付OK" in box.text and "森 春香" in box.text, box.text)
    d.save_screenshot(os.path.join(ART, "desk-camera.png"))
    frames = int(d.find_element(By.ID, "camera-video").get_attribute("data-frames"))
    time.sleep(4)  # the code stays in front of the camera
    more = int(d.find_element(By.ID, "camera-video").get_attribute("data-frames"))
    check("camera: the code decoded on many frames", more > frames + 5, (frames, more))
    check("camera: answered once although the frames repeat", seen(d) == ["checked_in"], seen(d))
    check("camera: the server counted one", stats()[0] == 55, stats())
    print("     camera: %s frames, %s ms a frame in the worker" % (more,
          d.find_element(By.ID, "camera-video").get_attribute("data-decode-ms")), flush=True)
    d.find_element(By.ID, "camera-close").click()
    check("camera stopped when the panel is closed",
          d.execute_script("return document.getElementById('camera-video').srcObject === null && document.body.dataset.camera === 'off'"))
    check("camera: focus back on its button", d.switch_to.active_element.get_attribute("id") == "camera-open")

    # 7. Lookup by kana, then check-in by id.
    d.find_element(By.ID, "lookup-open").click()
    check("lookup: the search field has focus", d.switch_to.active_element.get_attribute("id") == "lookup-q")
    d.switch_to.active_element.send_keys(Keys.ENTER)
    err = wait(d, lambda d: d.find_elements(By.ID, "lookup-q-error"))
    check("lookup: empty search answered next to the field", "入力してください" in err[0].text, err[0].text)
    d.find_element(By.ID, "lookup-q").send_keys("さとう", Keys.ENTER)
    rows = wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#lookup-results li"))
    check("lookup: found by hiragana kana", len(rows) == 1 and "佐藤 一郎" in rows[0].text and "未受付" in rows[0].text,
          [r.text for r in rows])
    d.save_screenshot(os.path.join(ART, "desk-lookup.png"))
    rows[0].find_element(By.TAG_NAME, "button").click()
    answer(d, 2)
    box = d.find_element(By.ID, "answer")
    check("check-in by id: 受付OK 佐藤 一郎", "受付OK" in box.text and "佐藤 一郎" in box.text, box.text)
    check("check-in by id: counted", stats()[0] == 56, stats())
    check("check-in by id: focus back in the scan field", d.switch_to.active_element.get_attribute("id") == "scan")
    d.find_element(By.ID, "lookup-close").click()

    # 8. A walk-in: errors next to the fields, then registered and in.
    walkins = api("GET", f"/events/{EVENT}/stats").get("walk_ins", 0)
    d.find_element(By.ID, "walkin-open").click()
    check("walk-in: the name has focus", d.switch_to.active_element.get_attribute("id") == "walkin-name")
    d.find_element(By.ID, "walkin-name_kana").send_keys("abc")
    d.find_element(By.CSS_SELECTOR, "#walkin button[type=submit]").click()
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#walkin .error-summary"))
    errs = {e.get_attribute("id"): e.text for e in d.find_elements(By.CSS_SELECTOR, "#walkin .field-error")}
    check("walk-in: errors next to the fields", "入力してください" in errs.get("walkin-name-error", "")
          and "カタカナ" in errs.get("walkin-name_kana-error", ""), errs)
    d.save_screenshot(os.path.join(ART, "desk-walkin-errors.png"))
    f = d.find_element(By.ID, "walkin-name_kana")
    f.clear()
    f.send_keys("タナカ ミドリ")
    d.find_element(By.ID, "walkin-name").send_keys("田中 みどり")
    d.find_element(By.CSS_SELECTOR, "#walkin button[type=submit]").click()
    err = wait(d, lambda d: d.find_elements(By.ID, "walkin-consent-error"))
    check("walk-in: consent asked for at its box", "同意" in err[0].text, err[0].text)
    check("walk-in: nothing registered without consent", api("GET", f"/events/{EVENT}/stats").get("walk_ins", 0) == walkins)
    d.find_element(By.ID, "walkin-consent").click()
    d.find_element(By.CSS_SELECTOR, "#walkin button[type=submit]").click()
    answer(d, 3)
    box = d.find_element(By.ID, "answer")
    check("walk-in: 受付OK and 当日受付", "受付OK" in box.text and "田中 みどり" in box.text and "当日受付" in box.text, box.text)
    s = api("GET", f"/events/{EVENT}/stats")
    check("walk-in: registered and checked in once", s["checked_in"] == 57 and s.get("walk_ins", 0) == walkins + 1, s)
    check("walk-in: the form closed", not d.find_element(By.ID, "walkin").is_displayed())
    d.save_screenshot(os.path.join(ART, "desk-walkin.png"))
    check("no console errors", console_errors(d) == [], console_errors(d))
except Exception as e:  # a failed wait says where it stopped
    check("desk run completed", False, repr(e))
    d.save_screenshot(os.path.join(ART, "desk-failure.png"))
finally:
    d.quit()

# 9. A browser that refuses the camera: the panel says why and what to do.
d = browser(camera=False)
try:
    d.get(BASE + "/")
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    d.find_element(By.ID, "signin-name").send_keys("fern")
    d.find_element(By.ID, "signin-password").send_keys("fern-password-1", Keys.ENTER)
    wait(d, lambda d: d.current_url.split("?")[0] != BASE + "/")
    d.get(BASE + "/desk.html")
    ready(d)
    Select(d.find_element(By.ID, "desk-event")).select_by_value(str(EVENT))
    d.switch_to.active_element.send_keys("西口", Keys.ENTER)
    wait(d, lambda d: d.execute_script("return document.body.dataset.roster") is not None)
    d.find_element(By.ID, "camera-open").click()
    wait(d, lambda d: d.execute_script("return document.body.dataset.camera") == "failed")
    said = d.find_element(By.ID, "camera-status").text
    check("camera refused: told why and what to do", "許可されていません" in said, said)
    d.save_screenshot(os.path.join(ART, "desk-camera-refused.png"))
except Exception as e:
    check("camera refusal run completed", False, repr(e))
    d.save_screenshot(os.path.join(ART, "desk-failure-refused.png"))
finally:
    d.quit()
    if server:
        server.send_signal(signal.SIGTERM)
        check("restarted jobfaird stops cleanly", server.wait(timeout=30) == 0)
finish()
