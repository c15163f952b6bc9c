"""What the browser tests share: a headless Chromium that saves downloads
to DOWNLOADS, requests made outside the browser, waiting for a page,
signing in with the keyboard, screenshots to $JF_ARTIFACTS, and the page
problems (JavaScript errors, other-origin requests) seen on the way.
"""

import json
import os
import subprocess
import tempfile
import urllib.error
import urllib.request

from checks import check, ready, wait  # noqa: F401 (the office tests import them from here)
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

BASE = os.environ["JF_URL"]
ART = os.environ["JF_ARTIFACTS"]
TMP = tempfile.mkdtemp(prefix="jobfair-browser.")
DOWNLOADS = os.path.join(TMP, "downloads")
os.makedirs(DOWNLOADS)

page_problems = []


def mail_refused(kind):
    """Queues a mail of this kind that the relay refused, as the admin
    page's table of mail errors lists it."""
    subprocess.run(["psql", os.environ["JF_DB"], "-qAtc",
                    "INSERT INTO mail_outbox (kind, to_addr, subject, body, attempts, last_error, "
                    f"next_attempt_at) VALUES ('{kind}', 'x@example.jp', '件名', '本文', 1, "
                    "'550 mailbox unavailable', now() + interval '1 hour')"], check=True)


def http(method, path, body=None, token=None, headers=None):
    """Status and body of a request made outside the browser."""
    req = urllib.request.Request(BASE + path, data=body, method=method)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def browser(accept_lang="ja-JP", *extra):
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync",
              "--user-data-dir=" + tempfile.mkdtemp(dir=TMP),
              "--window-size=1280,1000", "--accept-lang=" + accept_lang, *extra):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    o.add_experimental_option("prefs", {
        "download.default_directory": DOWNLOADS,
        "download.prompt_for_download": False,
    })
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": DOWNLOADS})
    return d


def audit_logs(d, where):
    """JavaScript errors and other-origin requests since the last call."""
    for e in d.get_log("browser"):
        msg = e["message"]
        if e["level"] != "SEVERE":
            continue
        # The API answering 4xx is shown on the page; a static file
        # failing to load is a defect.
        if "Failed to load resource" in msg and "/api/v1/" in msg:
            continue
        page_problems.append(f"{where}: console: {msg}")
    for e in d.get_log("performance"):
        m = json.loads(e["message"])["message"]
        if m["method"] != "Network.requestWillBeSent":
            continue
        url = m["params"]["request"]["url"]
        # chrome:// and the like are the browser's own pages, not ours.
        if url.split(":")[0] in ("http", "https", "ws", "wss") and not url.startswith(BASE + "/"):
            page_problems.append(f"{where}: other origin: {url}")


def shot(d, name):
    height = d.execute_script("return document.documentElement.scrollHeight")
    width = d.get_window_size()["width"]
    d.set_window_size(width, min(max(height + 120, 800), 6000))
    path = os.path.join(ART, name + ".png")
    d.save_screenshot(path)
    d.set_window_size(width, 1000)
    return path


def sign_in(d, name, password):
    """With the keyboard alone: the name field has focus on load."""
    d.get(BASE + "/")
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    f = d.switch_to.active_element
    check(f"{name}: sign-in page focuses the name", f.get_attribute("id") == "signin-name")
    f.send_keys(name, Keys.TAB)
    d.switch_to.active_element.send_keys(password, Keys.ENTER)
    wait(d, lambda d: d.current_url.split("?")[0] != BASE + "/")
    ready(d)


def text(d):
    return d.find_element(By.TAG_NAME, "body").text


def session_cookie(d):
    c = d.get_cookie("jf_session")
    return c["value"] if c else None


def typed_datetime(el, month, day, year, hhmm):
    # Chromium's datetime-local takes the fields in its locale's order.
    el.send_keys(f"{month:02d}{day:02d}{year}", Keys.TAB, hhmm + "AM")
