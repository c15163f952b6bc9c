"""The dashboard opened by an access link, in headless Chromium.

Run by test_dashboard_link.sh: two jobfaird on one database (JF_URL for
the pages, JF_CLI_URL for the CLI), the event JF_EVENT today with 30 job
seekers (their codes in JF_CODES, 12 already checked in) and 8 booths.
  1. olive (organizer) creates a dashboard link on the events page: the
     URL and its QR code are shown once, the list says 有効;
  2. a fresh browser profile with no session, at projector size
     (1920x1080), opens the URL: the counts, the arrivals per half hour,
     no menu, no personal data;
  3. five scans through `jobfair checkin` against the other jobfaird:
     the time from the CLI's answer to the page's update is printed
     (aim: 1 s) and each is checked against a loose bound;
  4. olive revokes the link on the events page: the dashboard says
     更新停止 and takes no more updates; reloaded, it says so at once.
"""

import json
import os
import subprocess
import tempfile
import time
import urllib.request

from checks import check, finish, ready, wait
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

BASE = os.environ["JF_URL"]
CLI_URL = os.environ["JF_CLI_URL"]
ART = os.environ["JF_ARTIFACTS"]
DESK = os.environ["JF_TOKEN_DESK"]
EVENT = int(os.environ["JF_EVENT"])
CODES = open(os.environ["JF_CODES"]).read().split()
TMP = tempfile.mkdtemp(prefix="jobfair-dash.")


def stats():
    req = urllib.request.Request(f"{BASE}/api/v1/events/{EVENT}/stats")
    req.add_header("Authorization", "Bearer " + DESK)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def browser(size):
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update",
              "--user-data-dir=" + tempfile.mkdtemp(dir=TMP),
              "--window-size=" + size, "--accept-lang=ja-JP"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def console_errors(d):
    # A refused request is logged by Chromium as a failed resource (the
    # sign-in page's first 401, a revoked link's): the pages' own errors
    # are the rest.
    return [e["message"] for e in d.get_log("browser")
            if e["level"] == "SEVERE" and not ("Failed to load resource" in e["message"]
                                               and "/api/v1/" in e["message"])]


def text(d):
    return d.find_element(By.TAG_NAME, "body").text


def cli_scan(code):
    """One code through `jobfair checkin` on the other server; the time
    its answer came back."""
    r = subprocess.run([os.environ["JF_CLI"], "checkin", str(EVENT), "--desk", "cli-1",
                        "--server", CLI_URL, "--token", DESK, "--data-dir", TMP],
                       input=code + "\n", capture_output=True, text=True, timeout=60)
    return time.time(), r.stdout + r.stderr


# Each update of the page's numbers, stamped with the wall clock.
OBSERVE = """
window.updates = [];
new MutationObserver(() => window.updates.push([Date.now(), document.body.dataset.checkedIn]))
  .observe(document.body, { attributes: true, attributeFilter: ['data-checked-in'] });
"""

staff = browser("1280,1000")
proj = None
try:
    # 1. The organizer makes a link on the events page.
    staff.get(BASE + "/")
    wait(staff, lambda d: d.find_element(By.ID, "signin").is_displayed())
    staff.find_element(By.ID, "signin-name").send_keys("olive")
    staff.find_element(By.ID, "signin-password").send_keys("olive-password-1", Keys.ENTER)
    wait(staff, lambda d: d.current_url.split("?")[0] != BASE + "/")
    staff.get(BASE + "/events.html")
    ready(staff)
    staff.find_element(By.CSS_SELECTOR, "button[aria-label='合同就職面接会のアクセス用リンク']").click()
    wait(staff, lambda d: d.find_element(By.ID, "links-panel").is_displayed())
    check("the links panel takes focus", staff.switch_to.active_element.get_attribute("id") == "links-title")
    # A booth link with no company: the server's refusal at the field.
    Select(staff.find_element(By.ID, "link-form-kind")).select_by_value("booth")
    check("a booth link asks for the company", staff.find_element(By.ID, "link-form-company_id").is_displayed())
    staff.find_element(By.ID, "link-create").click()
    wait(staff, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
    field = staff.find_element(By.ID, "link-form-company-field")
    check("refused at the company field, in Japanese", "選んでください" in field.text, field.text)
    Select(staff.find_element(By.ID, "link-form-kind")).select_by_value("dashboard")
    check("a dashboard link names no company", not staff.find_element(By.ID, "link-form-company_id").is_displayed())
    staff.find_element(By.ID, "link-form-label").send_keys("会場プロジェクター")
    staff.find_element(By.ID, "link-create").click()
    wait(staff, lambda d: d.find_element(By.ID, "link-made").is_displayed())
    url = staff.find_element(By.ID, "link-made-url").get_attribute("value")
    check("the URL is shown once, with the secret in its fragment",
          url.startswith(BASE + "/dashboard.html#link=jfl_"), url)
    secret = url.split("#link=")[1]
    with open(os.path.join(os.path.dirname(os.environ["JF_CODES"]), "secret"), "w") as f:
        f.write(secret)
    qr = staff.find_element(By.ID, "link-made-qr")
    check("with its QR code", qr.is_displayed() and staff.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0", qr))
    png = os.path.join(ART, "events-link-qr.png")
    qr.screenshot(png)
    read = subprocess.run(["zbarimg", "--raw", "-q", png], capture_output=True, text=True)
    check("the QR code reads as the URL (zbarimg)", read.stdout.strip() == url, read.stdout)
    rows = staff.find_elements(By.CSS_SELECTOR, "#links-list tbody tr")
    check("listed as 有効", len(rows) == 1 and "有効" in rows[0].text and "会場プロジェクター" in rows[0].text,
          [r.text for r in rows])
    check("the list never shows the secret", secret not in staff.find_element(By.ID, "links-list").text)
    unlabelled = staff.execute_script("""return [...document.querySelectorAll(
        '#links-panel input, #links-panel select')].filter((c) => c.labels.length === 0).map((c) => c.id)""")
    check("every control of the links panel has a label", unlabelled == [], unlabelled)
    staff.save_screenshot(os.path.join(ART, "events-links.png"))

    # 2. A projector PC: a fresh profile, no session, 1920x1080.
    proj = browser("1920,1080")
    proj.get(url)
    ready(proj)
    s = stats()
    check("opened without a session: stays on the dashboard", proj.current_url.startswith(BASE + "/dashboard.html"),
          proj.current_url)
    check("shows the server's count", proj.execute_script("return document.body.dataset.checkedIn") == str(s["checked_in"]),
          (proj.execute_script("return document.body.dataset.checkedIn"), s["checked_in"]))
    body = text(proj)
    check("the event's name", "合同就職面接会" in body, body)
    check("present against the target", f"達成率 {s['checked_in'] / 40 * 100:.1f}%" in body, body)
    check("no staff menu, no event list", not proj.find_elements(By.CSS_SELECTOR, "nav.main")
          and not proj.find_element(By.ID, "dash-event").is_displayed())
    slots = [r.text for r in proj.find_elements(By.CSS_SELECTOR, "#dash-arrivals-rows tr")]
    check("arrivals per half hour from 13:00", slots[:1] and slots[0].startswith("13:00–13:30"), slots)
    total = sum(int(r.split()[-1].rstrip("人")) for r in slots)
    check("the half hours add up to the check-ins", total == s["checked_in"], (total, slots))
    # Companies are named only in ブース別の待ち人数 (booths and their queue
    # lengths, for sending people to short queues); people nowhere.
    queues = proj.find_element(By.ID, "dash-queues").text
    check("no personal data", "求職者 1" not in body and "キュウショクシャ" not in body
          and "株式会社" not in body.replace(queues, ""), body)
    heads = proj.find_elements(By.CSS_SELECTOR, "#dash-arrivals-rows th[scope=row]")
    check("the arrivals are a table with row headers", len(heads) == len(slots))
    check("bars are said in words", all(m.get_attribute("aria-label") for m in proj.find_elements(By.CSS_SELECTOR, ".meter")))

    # 200 % zoom on a small screen: the page reflows, no sideways scroll.
    proj.set_window_size(640, 1000)
    proj.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                         {"width": 640, "height": 1000, "deviceScaleFactor": 2, "mobile": False})
    overflow = proj.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check("200% zoom: no page-wide horizontal scroll", overflow <= 0, overflow)
    proj.save_screenshot(os.path.join(ART, "dashboard-200pct.png"))
    proj.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    proj.set_window_size(1920, 1080)

    # 3. Scans through the CLI on the other server, timed to the screen.
    proj.execute_script(OBSERVE)
    lags = []
    for i, code in enumerate(CODES[:5]):
        before = int(proj.execute_script("return document.body.dataset.checkedIn"))
        started = time.time()
        answered, out = cli_scan(code)
        if not out.startswith("OK"):
            check(f"CLI scan {i + 1} answered OK", False, out)
            continue
        try:
            wait(proj, lambda d: any(int(u[1]) > before for u in d.execute_script("return window.updates")), 10)
        except Exception:
            check(f"CLI scan {i + 1} reaches the dashboard", False)
            continue
        shown = [u for u in proj.execute_script("return window.updates") if int(u[1]) > before][0][0] / 1000
        lags.append((shown - answered, shown - started))
        proj.execute_script("window.updates = []")
    for i, (lag, whole) in enumerate(lags):
        print(f"     scan {i + 1}: on screen {lag * 1000:.0f} ms after the CLI's answer "
              f"({whole * 1000:.0f} ms after the CLI started)", flush=True)
    check("five CLI scans all reached the dashboard", len(lags) == 5, lags)
    if lags:
        worst = max(lag for lag, _ in lags)
        print(f"     slowest: {worst * 1000:.0f} ms (aim: 1,000 ms; loaded shared machine)", flush=True)
        check("each within 3 s of its answer (aim 1 s; loose on a loaded machine)", worst < 3.0, worst)
    check("the count is the server's", proj.execute_script("return document.body.dataset.checkedIn") == str(stats()["checked_in"]))
    proj.save_screenshot(os.path.join(ART, "dashboard-projector.png"))
    errors = console_errors(proj)
    check("no console errors on the dashboard", errors == [], errors)

    # 4. Revoked on the events page: the dashboard stops, and says so.
    revoke = staff.find_element(By.CSS_SELECTOR, "#links-list button.danger")
    revoke.click()
    staff.switch_to.alert.accept()
    wait(staff, lambda d: "取り消し済み" in d.find_element(By.ID, "links-list").text)
    revoked_at = time.time()
    check("the list says 取り消し済み", True)
    wait(proj, lambda d: d.execute_script("return document.body.dataset.stopped === '1'"), 20)
    print(f"     the page stopped {(time.time() - revoked_at) * 1000:.0f} ms after the revocation", flush=True)
    box = proj.find_element(By.ID, "dash-stopped")
    check("the page says 更新停止 and why", box.is_displayed() and "更新停止" in box.text and "取り消され" in box.text, box.text)
    check("as an alert for screen readers", box.get_attribute("role") == "alert")
    before = proj.execute_script("return document.body.dataset.checkedIn")
    cli_scan(CODES[10])
    time.sleep(2)
    check("a scan after the revocation does not reach it",
          proj.execute_script("return document.body.dataset.checkedIn") == before)
    proj.save_screenshot(os.path.join(ART, "dashboard-revoked.png"))
    proj.refresh()
    ready(proj)
    check("reloaded, the revoked link says so at once",
          proj.execute_script("return document.body.dataset.stopped === '1'") and "取り消され" in text(proj))
    errors = console_errors(proj)
    check("no other console errors", errors == [], errors)
    errors = console_errors(staff)
    check("no console errors on the events page", errors == [], errors)
finally:
    staff.quit()
    if proj is not None:
        proj.quit()
finish()
