"""What the public forms' browser tests share (public_form.py,
public_company.py): the API as staff, a phone-sized Chromium with or
without JavaScript, waiting, full-page screenshots and the axe-core
audit. Run by test_public_form.sh, which sets the environment."""

import json
import os
import tempfile
import urllib.request

from checks import check, wait as checks_wait
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BASE = os.environ["JF_URL"]
PUBLIC = os.environ["JF_PUBLIC"]
ART = os.environ["JF_ARTIFACTS"]
EVENT = int(os.environ["JF_EVENT"])
TMP = tempfile.mkdtemp(prefix="jobfair-public.")


def api(method, path, body=None, token=os.environ["JF_TOKEN_ORGANIZER"]):
    req = urllib.request.Request(BASE + "/api/v1" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def browser(js):
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update",
              "--user-data-dir=" + tempfile.mkdtemp(dir=TMP),
              "--window-size=390,844", "--force-device-scale-factor=1",
              "--accept-lang=ja-JP"):
        o.add_argument(a)
    if not js:
        o.add_argument("--blink-settings=scriptEnabled=false")
        o.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_window_size(390, 844)
    return d


def wait(d, cond, timeout=20):
    try:
        # A page that posts and comes back replaces what cond looked at.
        return checks_wait(d, cond, timeout)
    except Exception:
        d.save_screenshot(os.path.join(ART, "public-timeout.png"))
        print("timed out at " + d.current_url + ": " + d.find_element(By.TAG_NAME, "body").text[:300])
        raise


def shot(d, name):
    """The whole page, as tall as it is, at the phone's width."""
    h = d.execute_script("return document.documentElement.scrollHeight")
    d.set_window_size(390, max(844, h + 120))
    d.save_screenshot(os.path.join(ART, f"public-{name}.png"))
    d.set_window_size(390, 844)


AXE = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "axe-core", "axe.min.js")
audited = []


def audit(d, name):
    """axe-core (package.json, installed by npm ci) on the page as it stands:
    no serious or critical violation of WCAG 2.1 A/AA."""
    if not os.path.exists(AXE):
        return
    d.execute_script(open(AXE).read())
    res = d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then((r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, n: v.nodes.length,"
        " where: v.nodes.slice(0, 2).map((x) => x.target.join(' '))}))))"
        ".catch((e) => done([{id: 'axe failed: ' + e, impact: 'critical'}]));")
    bad = [v for v in res if v["impact"] in ("serious", "critical")]
    audited.append(name)
    check(f"axe: {name}: no serious violations", bad == [], bad)
