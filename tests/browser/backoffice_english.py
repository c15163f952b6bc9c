"""The back office in English and Japanese, on a phone and with the keyboard.

Run by test_backoffice_english.sh (jobfaird running; ada admin, olive
organizer, fern frontdesk). Data is made through the API; then, in
headless Chromium:
  1. the sign-in page opens in Japanese for a Japanese browser; the switch
     (keyboard) turns it English, a reload keeps it; field errors, headings
     and labels are English; every page leaves nothing in Japanese but
     data (names, titles, the plan's item names);
  2. a browser started with --lang=en-US / Accept-Language en-US opens in
     English with nothing chosen;
  3. a booth edited through the companies page (number, status, openings
     added and removed) changes the API's answer;
  4. the audit log's next and previous pages, with a filter kept, and the
     CSV of the filtered set;
  5. every page at 390x844, in both languages: no sideways scroll, Tab
     reaches every control in order, each with a visible focus, no trap.
Screenshots of each page, each language and width go to $JF_ARTIFACTS.
"""

import base64
import csv
import io
import json
import os

from checks import check, finish, press
from office import ART, BASE, audit_logs, browser, http, mail_refused, page_problems, ready, shot, sign_in, text, wait
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

ORGANIZER = os.environ["JF_TOKEN_ORGANIZER"]
ADMIN = os.environ["JF_TOKEN_ADMIN"]


def api(method, path, body=None, token=ORGANIZER):
    status, out = http(method, "/api/v1" + path, json.dumps(body).encode() if body is not None else None,
                       token=token, headers={"Content-Type": "application/json"} if body is not None else {})
    if status >= 300:
        raise RuntimeError(f"{method} {path}: {status} {out[:300]}")
    return json.loads(out) if out else None


# Data: an FY2024 fair, a company with a booth, three job seekers, and
# more than a page of audit entries (one per company created).
ev = api("POST", "/events", {"type": "joint_interview_fair", "title": "合同就職面接会", "organizer": "joint",
                             "starts_at": "2024-10-15T10:00:00+09:00", "ends_at": "2024-10-15T16:00:00+09:00",
                             "venue": "山口市民会館", "target_companies": 30, "target_seekers": 100, "status": "open"})["id"]
company = api("POST", "/companies", {"name": "山口精機株式会社", "name_kana": "ヤマグチセイキ"})
api("POST", f"/events/{ev}/companies", {"company_id": company["id"], "booth": "A-01", "status": "applied",
                                        "openings": [{"title": "営業職", "employment_type": "正社員", "count": 2}]})
for i, (name, kana) in enumerate([("山田 花子", "ヤマダ ハナコ"), ("川上 次郎", "カワカミ ジロウ"), ("鈴木 三郎", "スズキ サブロウ")]):
    api("POST", f"/events/{ev}/registrations", {"name": name, "name_kana": kana, "age": 30 + i, "consent": True,
                                                "categories": ["youth"], "accommodations": ["wheelchair"]})
for i in range(110):
    api("POST", "/companies", {"name": f"テスト商事{i:03d}"})
total_creates = api("GET", "/audit?kind=create&limit=1", token=ADMIN)["total"]

PAGES = ["events", "companies", "seekers", "reports", "targets", "admin", "desk", "dashboard"]
# What may stay Japanese in English: the data itself.
DATA = {"合同就職面接会", "山口市民会館", "山口精機株式会社", "ヤマグチセイキ", "営業職", "山田 花子", "ヤマダ ハナコ",
        "川上 次郎", "カワカミ ジロウ", "鈴木 三郎", "スズキ サブロウ", "ada", "olive",
        "本日の面接会", "湯田温泉株式会社", "カブシキガイシャ", "森 春香", "モリ ハルカ", "林 一樹", "ハヤシ カズキ"}
DATA |= {f"テスト商事{i:03d}" for i in range(110)}
# The city's plan: its programmes, items and notes are data too.
for m in api("GET", "/reports/fiscal-year/2024")["rows"]:
    DATA |= {m["programme"], m["metric"], m.get("description") or m["metric"]}


def untranslated(d):
    """Japanese the page left untranslated that is not data."""
    left = d.execute_script("return window.jobfairUntranslated()")
    return [s for s in left if s not in DATA and not any(x in s for x in DATA)]


def lang(d):
    return d.execute_script("return document.documentElement.lang")


def open_page(d, page):
    d.get(f"{BASE}/{page}.html" + (f"?event={ev}&fy=2024" if page in ("seekers", "reports", "dashboard") else ""))
    ready(d)


def keyboard(d, where):
    """Tab from the top: every visible control in DOM order, each with a
    visible focus, then out of the page (no trap)."""
    # A table too wide for the screen scrolls in its box, which the
    # keyboard can focus to scroll.
    expected = d.execute_script("""
        const sel = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex], .table-wrap';
        const all = [...document.querySelectorAll('*')];
        const scroller = (e) => e.matches('.table-wrap') && e.scrollWidth > e.clientWidth && !e.querySelector(sel);
        return [...document.querySelectorAll(sel)].filter((e) => !e.disabled && (e.tabIndex >= 0 || scroller(e))
            && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
            .map((e) => [all.indexOf(e), e.tagName + '#' + e.id + '.' + e.className]);""")
    names = dict(expected)
    expected = [i for i, _ in expected]
    # Start from the top of the page, as after loading it.
    d.execute_script("""window.scrollTo(0, 0); document.body.tabIndex = -1; document.body.focus();
        document.body.removeAttribute('tabindex');""")
    seen, unringed, outside = [], [], []
    seen_end = "not left"
    for _ in range(2 * len(expected) + 10):
        ActionChains(d).send_keys(Keys.TAB).perform()
        info = d.execute_script("""
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const s = getComputedStyle(e), r = e.getBoundingClientRect();
            return {id: [...document.querySelectorAll('*')].indexOf(e), name: e.tagName + '#' + e.id + '.' + e.className,
                    ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 || s.boxShadow !== 'none',
                    inside: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth};""")
        if info is None or (seen and info["id"] == seen[0]):
            seen_end = info
            break
        names.setdefault(info["id"], info["name"])
        # A date field's day, month and year are one control.
        if not seen or info["id"] != seen[-1]:
            seen.append(info["id"])
        if not info["ring"]:
            unringed.append(info["name"])
        if not info["inside"]:
            outside.append(info["name"])
    check(f"{where}: Tab reaches every control in order, then leaves", seen == expected,
          ([names.get(i) for i in seen if i not in expected], [names[i] for i in expected if i not in seen], seen_end))
    check(f"{where}: focus always visible", not unringed and not outside, (unringed, outside))


def phone(d, page, language):
    d.set_window_size(390, 844)
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    open_page(d, page)
    overflow = d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = d.execute_script("""
        const w = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1
            && !e.closest('.table-wrap') && !e.closest('.visually-hidden, .skip-link'))
            .map((e) => e.tagName + '#' + e.id + '.' + e.className).slice(0, 8);""")
    check(f"{page} {language} 390px: no sideways scroll", overflow <= 0, (overflow, wide))
    keyboard(d, f"{page} {language} 390px")
    # What a phone shows first, and the page's last part.
    d.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
    d.save_screenshot(os.path.join(ART, f"en-{page}-{language}-390-top.png"))
    d.execute_script("const m = document.querySelector('main'); m.lastElementChild.scrollIntoView()")
    d.save_screenshot(os.path.join(ART, f"en-{page}-{language}-390-end.png"))
    # The whole page, as a phone would scroll it.
    png = d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    with open(os.path.join(ART, f"en-{page}-{language}-390.png"), "wb") as f:
        f.write(base64.b64decode(png["data"]))
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    d.set_window_size(1280, 1000)


d = browser()
try:
    # 1. Japanese by the browser; English by the switch, kept on reload.
    d.get(BASE + "/")
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    check("ja browser: sign-in in Japanese", lang(d) == "ja" and "サインイン" in d.find_element(By.TAG_NAME, "h2").text)
    sw = d.find_element(By.CSS_SELECTOR, ".lang-switch button[lang=en]")
    check("switch offers English, labelled in English", sw.text == "English" and sw.get_attribute("aria-pressed") == "false")
    # Keyboard only: Tab from the name field backwards reaches the switch.
    d.find_element(By.ID, "signin-name").send_keys(Keys.SHIFT, Keys.TAB)
    check("switch is reachable with Tab", d.switch_to.active_element == sw, d.switch_to.active_element.text)
    sw.send_keys(Keys.ENTER)
    wait(d, lambda d: lang(d) == "en" and d.find_element(By.ID, "signin").is_displayed())
    check("English: sign-in heading and labels", d.find_element(By.TAG_NAME, "h2").text == "Sign in"
          and d.find_element(By.CSS_SELECTOR, "label[for=signin-name]").text.startswith("User name"), text(d))
    check("English: the title", d.title == "Sign in — Job Fair Back Office", d.title)
    check("English: 日本語 button is lang=ja", d.find_element(By.CSS_SELECTOR, ".lang-switch button[lang=ja]").text == "日本語")
    d.find_element(By.ID, "signin-password").send_keys(Keys.ENTER)
    summary = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#signin .error-summary"))
    check("English: error summary", "Please check your entries" in summary.text and "User name: Please fill this in" in summary.text,
          summary.text)
    check("English: field error beside its field",
          "Please fill this in" in d.find_element(By.ID, "signin-name-error").text)
    shot(d, "en-index-en")
    d.refresh()
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    check("reload keeps English", lang(d) == "en" and d.find_element(By.TAG_NAME, "h2").text == "Sign in")
    audit_logs(d, "en sign-in")

    sign_in(d, "ada", "ada-password-1")
    check("English: header menu", "Events" in d.find_element(By.CSS_SELECTOR, "nav.main").text
          and "ada (Administrator)" in text(d), d.find_element(By.CSS_SELECTOR, "header.site").text)
    check("English: header switch in the header, English pressed",
          d.find_element(By.CSS_SELECTOR, "header.site .lang-switch button[lang=en]").get_attribute("aria-pressed") == "true"
          and not d.find_elements(By.CSS_SELECTOR, ".lang-bar"))
    check("English: events heading and fiscal year", d.find_element(By.TAG_NAME, "h1").text == "Events"
          and "FY2024 (Reiwa 6)" in d.find_element(By.ID, "fy").text, d.find_element(By.ID, "fy").text)
    Select(d.find_element(By.ID, "fy")).select_by_value("2024")
    wait(d, lambda d: "Events in FY2024 (Reiwa 6) (1)" in d.find_element(By.ID, "events-list").text)
    row = d.find_element(By.CSS_SELECTOR, "#events-list tbody tr").text
    check("English: event status from the vocabulary", "Open" in row, row)
    check("English: targets figure", "30 companies · 100 people" in row, row)
    check("English: the event type's name from the server", "Joint" in row, row)
    d.find_element(By.ID, "new-event").click()
    d.find_element(By.ID, "event-save").click()
    form = d.find_element(By.ID, "event-form")
    wait(d, lambda d: form.find_elements(By.CSS_SELECTOR, ".error-summary"))
    title_box = d.find_element(By.ID, "event-form-title-input").find_element(By.XPATH, "..")
    check("English: the server's field error beside the field", "Please fill this in" in title_box.text
          and title_box.text.startswith("Title"), title_box.text)
    check("English: select's error says choose", "Please choose" in d.find_element(By.ID, "event-form-type").find_element(By.XPATH, "..").text)
    check("English: required marker", d.execute_script(
        "return getComputedStyle(document.querySelector('label[for=event-form-title-input]'), '::after').content") == '" (required)"')
    shot(d, "en-events-errors")

    for page in PAGES:
        open_page(d, page)
        check(f"{page}: in English", lang(d) == "en" and "—" in d.title and not any(ord(c) > 0x3000 for c in d.title), d.title)
        left = untranslated(d)
        check(f"{page}: nothing but data left in Japanese", not left, left)
        shot(d, f"en-{page}-en")
        audit_logs(d, f"en {page}")

    # The event's access links: one made for the projector, listed.
    open_page(d, "events")
    Select(d.find_element(By.ID, "fy")).select_by_value("2024")
    # The list is drawn again for the year chosen: found and clicked in one step.
    press(d, "#events-list button[aria-label^='Access links of 合同就職面接会']")
    wait(d, lambda d: d.find_element(By.ID, "links-panel").is_displayed())
    d.find_element(By.ID, "link-form-label").send_keys("Projector")
    # The fair is over: a link to it is refused, in English.
    d.find_element(By.ID, "link-create").click()
    refused = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#link-form .error-summary"))
    check("access links in English", d.find_element(By.ID, "links-title").text == "Access links — “合同就職面接会”"
          and "Please check your entries" in refused.text, d.find_element(By.ID, "links-panel").text[:300])
    left = untranslated(d)
    check("access links: nothing but data left in Japanese", not left, left)
    shot(d, "en-events-links")

    # A job seeker shown: the vocabulary's English, the QR code's text.
    open_page(d, "seekers")
    d.find_element(By.CSS_SELECTOR, "#seekers-list tbody button").click()
    wait(d, lambda d: d.find_element(By.ID, "detail").is_displayed())
    facts = d.find_element(By.ID, "detail-facts").text
    check("seeker shown with English labels", "Category" in facts and "Young people (under 35)" in facts
          and "Wheelchair access" in facts and "Registered" in facts, facts)
    check("QR code's alt in English", d.find_element(By.ID, "detail-qr").get_attribute("alt").startswith("QR code for "))
    left = untranslated(d)
    check("seeker detail: nothing but data left in Japanese", not left, left)
    shot(d, "en-seekers-detail")

    # The desk in English: set up with the keyboard, a scan answered.
    open_page(d, "desk")
    Select(d.find_element(By.ID, "desk-event")).select_by_value(str(ev))
    d.find_element(By.ID, "desk-name").send_keys("Desk 1", Keys.ENTER)
    scan = wait(d, lambda d: d.find_element(By.ID, "scan") if d.find_element(By.ID, "scan").is_displayed() else None)
    # The heading is drawn, then translated, just after the scan field
    # shows: asked again until it reads in English.
    def desk_heading(d):
        where = d.find_element(By.ID, "desk-where").text
        return "Desk 1" in where and d.find_element(By.ID, "desk-title").text == "Front desk"
    try:
        wait(d, desk_heading, timeout=10)
    except TimeoutException:
        pass
    check("desk: heading and place in English", desk_heading(d), d.find_element(By.ID, "desk-where").text)
    scan.send_keys("NO-SUCH-CODE", Keys.ENTER)
    word = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#answer:not(.idle) .answer-word"))
    check("desk: the answer in English", word.text in ("Unknown code", "Not the event day", "Another event"), word.text)
    left = untranslated(d)
    check("desk screen: nothing but data left in Japanese", not left, left)
    shot(d, "en-desk-answer")
    d.execute_script("localStorage.removeItem('jobfair.desk')")
    audit_logs(d, "en desk")

    # The booth page (面談) in English, on today's fair: two scanned into
    # the queue, one called; then the dashboard's queue section.
    day_event = os.environ["JF_DAY_EVENT"]
    d.get(BASE + "/booth.html")
    ready(d)
    left = untranslated(d)
    check("booth setup: nothing but data left in Japanese", not left, left)
    Select(d.find_element(By.ID, "booth-event")).select_by_value(day_event)
    wait(d, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#booth-company option")) == 1)
    d.find_element(By.CSS_SELECTOR, "#booth-setup button[type=submit]").click()
    wait(d, lambda d: d.execute_script("return document.body.dataset.waiting") is not None)
    for n, code in enumerate(os.environ["JF_DAY_CODES"].split(), 1):
        d.switch_to.active_element.send_keys(code, Keys.ENTER)
        wait(d, lambda d: d.execute_script("return document.body.dataset.answers") == str(n))
    press(d, "#call-next")
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#called li[data-entry]"))
    check("booth: the answer in English", d.find_element(By.CSS_SELECTOR, "#answer .answer-word").text == "Calling",
          d.find_element(By.ID, "answer").text)
    left = untranslated(d)
    check("booth screen: nothing but data left in Japanese", not left, left)
    shot(d, "en-booth")
    d.execute_script("localStorage.removeItem('jobfair.booth')")
    d.get(f"{BASE}/dashboard.html?event={day_event}")
    ready(d)
    wait(d, lambda d: d.execute_script("return document.body.dataset.queues") is not None)
    left = untranslated(d)
    check("dashboard with queues: nothing but data left in Japanese", not left, left)
    shot(d, "en-dashboard-queues")

    # 3. A booth edited through the page: number, status, an opening
    # changed, one added; then one removed.
    open_page(d, "companies")
    Select(d.find_element(By.ID, "booth-event")).select_by_value(str(ev))
    edit = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, f"#booths-list button[data-company='{company['id']}']"))
    check("booth's edit button says whose", edit.get_attribute("aria-label") == "Edit the booth of 山口精機株式会社",
          edit.get_attribute("aria-label"))
    edit.send_keys(Keys.ENTER)
    booth = d.find_element(By.ID, "booth-form-booth")
    check("edit: focus on the booth number", d.switch_to.active_element == booth)
    check("edit: form filled", booth.get_attribute("value") == "A-01"
          and d.find_element(By.ID, "booth-form-opening-0-title").get_attribute("value") == "営業職")
    check("edit: company fixed", not d.find_element(By.ID, "booth-form-company_id").is_enabled())
    booth.clear()
    booth.send_keys("B-02")
    Select(d.find_element(By.ID, "booth-form-status")).select_by_value("confirmed")
    d.find_element(By.ID, "booth-form-representatives").send_keys("3")
    d.find_element(By.ID, "booth-form-add-opening").click()
    d.switch_to.active_element.send_keys("製造スタッフ")
    check("new opening's first field focused", d.switch_to.active_element.get_attribute("id") == "booth-form-opening-1-title")
    d.find_element(By.ID, "booth-form-opening-1-count").send_keys("5")
    d.find_element(By.ID, "booth-form-opening-1-job_number").send_keys("123")
    d.find_element(By.ID, "booth-save").click()
    bf = d.find_element(By.ID, "booth-form")
    wait(d, lambda d: bf.find_elements(By.CSS_SELECTOR, ".error-summary"))
    check("opening 2's errors beside its own fields",
          d.find_element(By.ID, "booth-form-opening-1-employment_type").get_attribute("aria-invalid") == "true"
          and d.find_element(By.ID, "booth-form-opening-1-job_number").get_attribute("aria-invalid") == "true"
          and d.find_element(By.ID, "booth-form-opening-0-title").get_attribute("aria-invalid") is None)
    check("booth errors in English", "Employment type: Choose one of the options" in bf.text
          or "Employment type: Please" in bf.text, bf.text)
    shot(d, "en-companies-booth-errors")
    before = api("GET", f"/events/{ev}/companies")["items"][0]
    check("refused edit changed nothing", before["booth"] == "A-01" and before["status"] == "applied", before)
    Select(d.find_element(By.ID, "booth-form-opening-1-employment_type")).select_by_value("パート")
    jn = d.find_element(By.ID, "booth-form-opening-1-job_number")
    jn.clear()
    jn.send_keys("35010-12345678")
    d.find_element(By.ID, "booth-save").click()
    wait(d, lambda d: "B-02" in d.find_element(By.ID, "booths-list").text)
    b = api("GET", f"/events/{ev}/companies")["items"][0]
    check("edit through the page changes the API's answer",
          b["booth"] == "B-02" and b["status"] == "confirmed" and b["representatives"] == 3
          and [(o["title"], o["employment_type"], o["count"], o["job_number"]) for o in b["openings"]]
          == [("営業職", "正社員", 2, None), ("製造スタッフ", "パート", 5, "35010-12345678")], b)
    check("after saving, focus back on the row's edit button",
          d.switch_to.active_element.get_attribute("data-company") == str(company["id"]))
    check("booth status shown in English", "Confirmed" in d.find_element(By.ID, "booths-list").text)
    shot(d, "en-companies-booths")
    d.switch_to.active_element.send_keys(Keys.ENTER)
    d.find_element(By.CSS_SELECTOR, "#booth-form-openings fieldset:first-child button").click()
    check("removing renumbers the rest",
          d.find_element(By.ID, "booth-form-opening-0-title").get_attribute("value") == "製造スタッフ"
          and not d.find_elements(By.ID, "booth-form-opening-1-title"))
    d.find_element(By.ID, "booth-save").click()
    wait(d, lambda d: "営業職" not in d.find_element(By.ID, "booths-list").text)
    b = api("GET", f"/events/{ev}/companies")["items"][0]
    check("removed opening gone from the API", [o["title"] for o in b["openings"]] == ["製造スタッフ"], b)
    audit_logs(d, "booths")

    # 4. The audit log's pages, a filter kept, the filtered CSV; a mail
    # error's kind in English.
    mail_refused("apply_confirmation")
    open_page(d, "admin")
    mail = d.find_element(By.ID, "mail").text
    check("mail error's kind in English", "Application received (job seeker)" in mail
          and "apply_confirmation" not in mail, mail)
    audit = d.find_element(By.ID, "audit")
    total = api("GET", "/audit?limit=1", token=ADMIN)["total"]
    check("audit: first page", f"Audit log (1–100 of {total})" in audit.text, audit.text[:80])
    first_rows = audit.find_elements(By.CSS_SELECTOR, "tbody tr")
    top = first_rows[0].text
    nxt = d.find_element(By.ID, "audit-next")
    check("audit: previous disabled on the first page", not d.find_element(By.ID, "audit-prev").is_enabled())
    nxt.send_keys(Keys.ENTER)
    wait(d, lambda d: "Audit log (101–" in d.find_element(By.ID, "audit").text)
    page2 = d.find_element(By.ID, "audit")
    check("audit: next page shows the following entries", page2.find_elements(By.CSS_SELECTOR, "tbody tr")[0].text != top)
    Select(d.find_element(By.ID, "audit-form-kind")).select_by_value("create")
    d.find_element(By.CSS_SELECTOR, "#audit-form button[type=submit]").click()
    wait(d, lambda d: f"Audit log (1–100 of {total_creates})" in d.find_element(By.ID, "audit").text)
    d.find_element(By.ID, "audit-next").click()
    wait(d, lambda d: f"Audit log (101–{total_creates} of {total_creates})" in d.find_element(By.ID, "audit").text)
    rows = d.find_elements(By.CSS_SELECTOR, "#audit tbody tr")
    check("audit: filter kept on the next page", len(rows) == total_creates - 100
          and all("Create" in r.find_elements(By.TAG_NAME, "td")[2].text for r in rows), [r.text for r in rows[:3]])
    check("audit: next disabled on the last page", not d.find_element(By.ID, "audit-next").is_enabled())
    check("audit: focus not lost at the last page", d.switch_to.active_element.get_attribute("id") == "audit-prev")
    d.find_element(By.ID, "audit-prev").click()
    wait(d, lambda d: f"Audit log (1–100 of {total_creates})" in d.find_element(By.ID, "audit").text)
    href = d.find_element(By.ID, "audit-csv").get_attribute("href")
    got = d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin'}).then((r) => r.text()).then(done);""", href)
    lines = list(csv.reader(io.StringIO(got.lstrip("\ufeff"))))
    check("audit CSV: the whole filtered set", len(lines) - 1 == total_creates and all(r[2] == "create" for r in lines[1:]),
          (len(lines), total_creates, href))
    shot(d, "en-admin-audit-page")
    audit_logs(d, "audit")

    # 5. Phone width and keyboard, English.
    for page in PAGES:
        phone(d, page, "en")
        audit_logs(d, f"en {page} 390")

    # Back to Japanese by the switch, in the header.
    open_page(d, "events")
    ja = d.find_element(By.CSS_SELECTOR, "header.site .lang-switch button[lang=ja]")
    ja.send_keys(Keys.ENTER)
    wait(d, lambda d: lang(d) == "ja" and d.find_element(By.TAG_NAME, "h1").text == "イベント")
    ready(d)
    check("Japanese again: menu and fiscal year", "イベント" in d.find_element(By.CSS_SELECTOR, "nav.main").text
          and "令和" in d.find_element(By.ID, "fy").text)
    for page in PAGES:
        open_page(d, page)
        check(f"{page}: Japanese", lang(d) == "ja")
        shot(d, f"en-{page}-ja")
        phone(d, page, "ja")
        audit_logs(d, f"ja {page}")
finally:
    d.quit()

# 2. A browser that asks for English opens in English, nothing chosen.
d = browser("en-US,en", "--lang=en-US")
try:
    d.get(BASE + "/")
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    check("en-US browser: sign-in opens in English", lang(d) == "en" and d.find_element(By.TAG_NAME, "h2").text == "Sign in",
          d.execute_script("return navigator.languages"))
    sign_in(d, "fern", "fern-password-1")
    check("en-US browser: front desk lands on Job seekers", d.find_element(By.TAG_NAME, "h1").text == "Job seekers")
    check("front desk sees the English role", "fern (Front desk)" in d.find_element(By.CSS_SELECTOR, "header.site").text)
    audit_logs(d, "en-US")
finally:
    d.quit()

for p in page_problems:
    print("     " + p)
check("no console errors, no other-origin requests", not page_problems, len(page_problems))
finish()
