"""The browser tests' TAP-like checks: one line per check, a summary, and
the exit status (failure also when nothing was checked)."""

import sys

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name, flush=True)
    else:
        failed += 1
        print("FAIL " + name + (": " + str(detail) if detail else ""), flush=True)


def finish():
    print(f"{passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 and passed > 0 else 1)


def chromium(tmp, size="1280,1000", extra=()):
    """Headless Debian Chromium with a profile of its own under tmp (two
    of them are two staff members), Japanese first, the console logged;
    extra: more command-line switches (a fake camera)."""
    import tempfile
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update",
              "--autoplay-policy=no-user-gesture-required",
              "--user-data-dir=" + tempfile.mkdtemp(dir=tmp),
              "--window-size=" + size, "--accept-lang=ja-JP", *extra):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def console_errors(d):
    return [e["message"] for e in d.get_log("browser")
            if e["level"] == "SEVERE" and "Failed to load resource" not in e["message"]]


def wait(d, cond, timeout=30):
    """Until cond(d) is true. A page re-renders while a test looks at it
    (a live queue, a list drawn again after each answer): an element found
    a moment ago may be gone, so cond is simply asked again. Loose
    timeout: the machine running the tests is shared and loaded."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(d, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: cond(d))


def ready(d):
    """Until the page has drawn itself (header, menu, its first data):
    every page sets <body data-ready="1"> when it has."""
    wait(d, lambda d: d.execute_script("return document.body.dataset.ready === '1'"))


def press(d, selector, *keys):
    """Clicks the element (or, with keys, types them into it), found
    afresh in the same step: when the page re-renders in between, the
    old element is stale, nothing was done, and it is tried again."""
    from selenium.webdriver.common.by import By

    def act(d):
        el = d.find_element(By.CSS_SELECTOR, selector)
        el.send_keys(*keys) if keys else el.click()
        return True
    return wait(d, act)
