"""The back office driven as staff would drive it, in headless Chromium.

Run by test_backoffice_pages.sh, which starts jobfaird and creates the
users: olive (organizer), ada (admin), vic (viewer), rita (organizer).
Every page is checked for JavaScript errors and for requests to any other
origin; a refused API call (a 4xx the page shows as an error) is the
page's expected answer, not a console error of the page. Screenshots of
each main page go to $JF_ARTIFACTS.
"""
import json
import os
import shutil
import statistics

from checks import check, finish
from office import (ART, BASE, DOWNLOADS, TMP, audit_logs, browser, http, mail_refused, page_problems, ready,
                    session_cookie, shot, sign_in, text, typed_datetime, wait)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

SOURCE = os.environ["JF_SOURCE"]
ORGANIZER = os.environ["JF_TOKEN_ORGANIZER"]
ADMIN = os.environ["JF_TOKEN_ADMIN"]


def api_json(path, token=ORGANIZER):
    status, body = http("GET", path, token=token)
    return json.loads(body) if status == 200 else None


d = browser()
try:
    # 1. Sign in; an empty form is refused with its errors linked.
    d.get(BASE + "/")
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    shot(d, "01-signin")
    d.switch_to.active_element.send_keys(Keys.ENTER)
    summary = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#signin .error-summary"))
    check("empty sign-in: the summary has focus", d.switch_to.active_element == summary)
    links = summary.find_elements(By.TAG_NAME, "a")
    check("empty sign-in: both fields listed with links", len(links) == 2, [l.text for l in links])
    links[1].click()
    check("summary link moves to its field", d.switch_to.active_element.get_attribute("id") == "signin-password")
    d.find_element(By.ID, "signin-name").send_keys("olive")
    d.find_element(By.ID, "signin-password").send_keys("wrong-password", Keys.ENTER)
    wait(d, lambda d: "ユーザー名またはパスワードが違います" in text(d))
    check("wrong password: told without saying which", True)
    sign_in(d, "olive", "olive-password-1")
    check("organizer lands on the events page", d.current_url.endswith("/events.html"))
    check("cookie is HttpOnly", d.execute_script("return document.cookie.includes('jf_session')") is False)
    audit_logs(d, "sign-in")

    # 2. Create the FY2024 合同就職面接会 with targets 30/100; a missing
    # field first, its error next to it.
    d.find_element(By.ID, "new-event").click()
    form = d.find_element(By.ID, "event-form")
    d.find_element(By.ID, "event-save").click()
    wait(d, lambda d: form.find_elements(By.CSS_SELECTOR, ".error-summary"))
    err = form.find_elements(By.CSS_SELECTOR, "#event-form-title-input ~ .field-error, .field.has-error .field-error")
    check("missing fields: errors next to the fields", len(err) >= 4, len(err))
    title_box = d.find_element(By.ID, "event-form-title-input").find_element(By.XPATH, "..")
    check("title's own error is beside it", "入力してください" in title_box.text, title_box.text)
    shot(d, "02-events-errors")
    Select(d.find_element(By.ID, "event-form-type")).select_by_visible_text("合同就職面接会")
    d.find_element(By.ID, "event-form-title-input").send_keys("合同就職面接会")
    typed_datetime(d.find_element(By.ID, "event-form-starts_at"), 10, 15, 2024, "1000")
    typed_datetime(d.find_element(By.ID, "event-form-ends_at"), 10, 15, 2024, "1100")
    d.find_element(By.ID, "event-form-venue").send_keys("山口市民会館")
    Select(d.find_element(By.ID, "event-form-organizer")).select_by_value("joint")
    d.find_element(By.ID, "event-form-capacity").send_keys("500")
    d.find_element(By.ID, "event-form-target_companies").send_keys("30")
    d.find_element(By.ID, "event-form-target_seekers").send_keys("100")
    Select(d.find_element(By.ID, "event-form-status")).select_by_value("open")
    d.find_element(By.ID, "event-save").click()
    wait(d, lambda d: not form.is_displayed())
    wait(d, lambda d: "合同就職面接会" in d.find_element(By.ID, "events-list").text)
    events = api_json("/api/v1/events?fiscal_year=2024")["items"]
    check("event stored in FY2024 with targets 30/100",
          len(events) == 1 and events[0]["target_companies"] == 30 and events[0]["target_seekers"] == 100, events)
    ev = events[0]["id"]
    row = d.find_element(By.CSS_SELECTOR, "#events-list tbody tr").text
    check("row shows targets and 達成率", "30社・100人" in row and "0.0%" in row, row)
    check("fiscal year shown in 和暦", "令和6年度" in d.find_element(By.ID, "fy").text)
    shot(d, "03-events")
    audit_logs(d, "events")

    # 3. A company with a wrong 法人番号: the error beside the field as
    # typed and on saving, nothing stored; then the right number.
    d.get(BASE + "/companies.html")
    ready(d)
    d.find_element(By.ID, "new-company").click()
    cn = d.find_element(By.ID, "company-form-corporate_number")
    cn.send_keys("7250001010372")
    box = cn.find_element(By.XPATH, "..")
    wait(d, lambda d: box.find_elements(By.CSS_SELECTOR, ".field-error"))
    check("wrong 法人番号 flagged as typed", cn.get_attribute("aria-invalid") == "true"
          and "チェックデジットが一致しません" in box.find_element(By.CSS_SELECTOR, ".field-error").text)
    d.find_element(By.ID, "company-form-name").send_keys("山口精機株式会社")
    d.find_element(By.ID, "company-save").click()
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#company-form .error-summary"))
    check("wrong 法人番号: the error is next to the field after saving", "チェックデジット" in box.text, box.text)
    check("wrong 法人番号: nothing saved", api_json("/api/v1/companies")["items"] == [])
    shot(d, "04-companies-error")
    cn.clear()
    cn.send_keys("7250001010371")
    wait(d, lambda d: "正しい法人番号です" in box.text)
    check("right 法人番号 confirmed as typed", box.find_elements(By.CSS_SELECTOR, ".field-error") == [])
    d.find_element(By.ID, "company-save").click()
    wait(d, lambda d: "山口精機株式会社" in d.find_element(By.ID, "companies-list").text)
    companies = api_json("/api/v1/companies")["items"]
    check("right 法人番号 saved", [c["corporate_number"] for c in companies] == ["7250001010371"], companies)
    # A booth with an opening; a malformed 求人番号 is named beside its field.
    bf = d.find_element(By.ID, "booth-form")
    Select(d.find_element(By.ID, "booth-form-company_id")).select_by_visible_text("山口精機株式会社")
    d.find_element(By.ID, "booth-form-booth").send_keys("A-01")
    Select(d.find_element(By.ID, "booth-form-status")).select_by_value("confirmed")
    d.find_element(By.ID, "booth-form-opening-0-title").send_keys("営業職")
    Select(d.find_element(By.ID, "booth-form-opening-0-employment_type")).select_by_value("正社員")
    d.find_element(By.ID, "booth-form-opening-0-count").send_keys("2")
    jn = d.find_element(By.ID, "booth-form-opening-0-job_number")
    jn.send_keys("123")
    bf.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(d, lambda d: bf.find_elements(By.CSS_SELECTOR, ".error-summary"))
    check("bad 求人番号: error beside its field", jn.get_attribute("aria-invalid") == "true")
    jn.clear()
    jn.send_keys("35010-12345678")
    bf.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(d, lambda d: "営業職" in d.find_element(By.ID, "booths-list").text)
    booths = api_json(f"/api/v1/events/{ev}/companies")["items"]
    check("booth with its opening saved", len(booths) == 1 and booths[0]["openings"][0]["job_number"] == "35010-12345678", booths)
    check("booth status shown with its label", "参加確定" in d.find_element(By.ID, "booths-list").text)
    shot(d, "05-companies")
    audit_logs(d, "companies")

    # 4. The 100-row CP932 seekers file with one bad row, then corrected.
    good = os.path.join(TMP, "seekers-100.csv")
    bad = os.path.join(TMP, "seekers-100-bad.csv")
    with open(os.path.join(SOURCE, "tests/data/seekers-100.csv"), encoding="utf-8", newline="") as f:
        raw = f.read()
    sep = "\r\n" if "\r\n" in raw else "\n"
    rows = raw.split(sep)
    with open(good, "wb") as f:
        f.write(raw.encode("cp932"))
    cells = rows[37].split(",")
    bad_name = cells[0]
    cells[1] = "Takahashi"
    rows[37] = ",".join(cells)
    with open(bad, "wb") as f:
        f.write(sep.join(rows).encode("cp932"))
    d.get(f"{BASE}/seekers.html?event={ev}")
    ready(d)
    up = d.find_element(By.ID, "seeker-import-file")
    up.send_keys(bad)
    d.find_element(By.CSS_SELECTOR, "#seeker-import button[type=submit]").click()
    result = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#seeker-import .import-result .error-summary"))
    check("bad row named as N行目 列", "38行目 フリガナ" in result.text, result.text)
    check("import errors announced (focus)", d.switch_to.active_element == result)
    check("bad file: nothing imported", api_json(f"/api/v1/events/{ev}/registrations")["items"] == [])
    shot(d, "06-seekers-import-error")
    up = d.find_element(By.ID, "seeker-import-file")
    up.send_keys(good)
    d.find_element(By.CSS_SELECTOR, "#seeker-import button[type=submit]").click()
    wait(d, lambda d: "100行を取り込みました" in d.find_element(By.ID, "seeker-import").text)
    check("corrected file: 100 imported", len(api_json(f"/api/v1/events/{ev}/registrations?limit=500")["items"]) == 100)
    wait(d, lambda d: "登録者（100人）" in d.find_element(By.ID, "seekers-list").text)
    # Search by kana (hiragana), show one with the QR code, cancel.
    q = d.find_element(By.ID, "lookup-q")
    q.send_keys("たかはし", Keys.ENTER)
    wait(d, lambda d: "検索結果" in d.find_element(By.ID, "seekers-list").text)
    check("search by hiragana kana finds タカハシ", bad_name in d.find_element(By.ID, "seekers-list").text)
    d.find_element(By.CSS_SELECTOR, "#seekers-list tbody button").click()
    wait(d, lambda d: d.find_element(By.ID, "detail").is_displayed())
    wait(d, lambda d: d.execute_script("const i = document.getElementById('detail-qr'); return i.complete && i.naturalWidth > 0"))
    check("QR code shown", True)
    shot(d, "07-seekers-detail")
    d.find_element(By.ID, "detail-cancel").click()
    d.switch_to.active_element.click()
    wait(d, lambda d: "キャンセルしました" in text(d))
    wait(d, lambda d: "キャンセル日時" in d.find_element(By.ID, "detail-facts").text)
    check("cancel through the page", "キャンセル" in d.find_element(By.ID, "detail-facts").text)
    audit_logs(d, "seekers")

    # 5. The report, and its CP932 CSV downloaded byte for byte.
    d.get(f"{BASE}/reports.html?event={ev}&fy=2024")
    ready(d)
    check("目標値一覧 laid out with 和暦 and figures", "平成31年度(令和元年度)" in text(d) and "30社・100人" in text(d))
    shot(d, "08-reports")
    d.find_element(By.ID, "event-cp932").click()
    # The server names the file; wait for it to be complete.
    path = os.path.join(DOWNLOADS, f"event-{ev}-report.csv")
    wait(d, lambda d: os.path.exists(path) and not any(f.endswith(".crdownload") for f in os.listdir(DOWNLOADS)))
    _, api_bytes = http("GET", f"/api/v1/events/{ev}/report?format=csv&encoding=cp932", token=ORGANIZER)
    with open(path, "rb") as f:
        got = f.read()
    check("downloaded CP932 CSV equals the API's bytes", got == api_bytes and len(got) > 100, (len(got), len(api_bytes)))
    check("CP932 CSV is CP932", api_bytes.decode("cp932").startswith("区分"))
    audit_logs(d, "reports")

    # 6. Targets page.
    d.get(BASE + "/targets.html")
    ready(d)
    Select(d.find_element(By.ID, "fy")).select_by_value("2024")
    wait(d, lambda d: "令和6年度（2024年度）の目標値と実績" in d.find_element(By.ID, "metrics").text)
    d.find_element(By.CSS_SELECTOR, "#metrics tbody tr button").click()
    wait(d, lambda d: d.find_element(By.ID, "metric-panel").is_displayed())
    Select(d.find_element(By.ID, "actual-form-month")).select_by_value("4")
    d.find_element(By.ID, "actual-form-actual").send_keys("20", Keys.ENTER)
    wait(d, lambda d: "実績を保存しました" in text(d))
    m = api_json("/api/v1/metrics/youth_regular_placements")
    y2024 = [y for y in m["years"] if y["fiscal_year"] == 2024][0]
    check("actual for April entered through the page", y2024["actual"] == 20, y2024)
    shot(d, "09-targets")
    audit_logs(d, "targets")

    # 7. Cross-site form post with the victim's cookie: refused.
    cookie = session_cookie(d)
    form_body = b"type=joint_interview_fair&title=evil"
    status, _ = http("POST", "/api/v1/events", form_body, headers={
        "Cookie": "jf_session=" + cookie, "Origin": "http://evil.example",
        "Content-Type": "application/x-www-form-urlencoded"})
    check("cross-site form post with the cookie: 403", status == 403, status)
    status, _ = http("POST", "/api/v1/events", b"{}", headers={
        "Cookie": "jf_session=" + cookie, "Content-Type": "application/json"})
    check("cookie without the CSRF token: 403", status == 403, status)
    check("nothing created", len(api_json("/api/v1/events")["items"]) == 1)

    # 8. Sign-out makes the old cookie useless.
    d.find_element(By.ID, "sign-out").click()
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    status, _ = http("GET", "/api/v1/session", headers={"Cookie": "jf_session=" + cookie})
    check("old cookie after sign-out: 401", status == 401, status)
    status, _ = http("GET", f"/api/v1/events/{ev}/registrations", headers={"Cookie": "jf_session=" + cookie})
    check("old cookie cannot read data", status == 401, status)

    # 9. A viewer sees aggregates only, through the page and the API.
    sign_in(d, "vic", "vic-password-1")
    check("viewer lands on reports", d.current_url.split("?")[0].endswith("/reports.html"))
    nav = d.find_element(By.CSS_SELECTOR, "nav.main").text
    check("viewer's menu has no 求職者 or 企業", "求職者" not in nav and "企業" not in nav, nav)
    seen = d.page_source
    d.get(f"{BASE}/seekers.html?event={ev}")
    wait(d, lambda d: "権限がありません" in text(d))
    seen += d.page_source
    check("viewer's pages show no name", bad_name not in seen and "山口 太郎" not in seen)
    got = d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        Promise.all(['/api/v1/events/%d/registrations', '/api/v1/events/%d/lookup?q=%%E3%%82%%BF'].map((p) =>
            fetch(p, {credentials: 'same-origin'}).then(async (r) => [r.status, await r.text()])))
        .then(done);""" % (ev, ev))
    check("viewer's session: the API refuses names", all(s == 403 for s, _ in got), got)
    check("viewer's session: no name in any answer", all(bad_name not in b for _, b in got))
    d.find_element(By.ID, "sign-out").click()
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    audit_logs(d, "viewer")

    # The front desk: names and kana to find people, nothing to change.
    sign_in(d, "fern", "fern-password-1")
    check("front desk lands on 求職者", d.current_url.split("?")[0].endswith("/seekers.html"))
    wait(d, lambda d: "登録者（100人）" in d.find_element(By.ID, "seekers-list").text)
    check("front desk has no register or import",
          not d.find_element(By.ID, "new-seeker").is_displayed() and not d.find_element(By.ID, "seeker-import").is_displayed())
    d.find_element(By.CSS_SELECTOR, "#seekers-list tbody button").click()
    wait(d, lambda d: d.find_element(By.ID, "detail").is_displayed())
    facts = d.find_element(By.ID, "detail-facts").text
    check("front desk sees no phone or birth date", "電話番号" not in facts and "生年月日" not in facts, facts)
    check("front desk cannot cancel", not d.find_element(By.ID, "detail-cancel").is_displayed())
    shot(d, "12-seekers-frontdesk")
    d.find_element(By.ID, "sign-out").click()
    wait(d, lambda d: d.find_element(By.ID, "signin").is_displayed())
    audit_logs(d, "frontdesk")

    # 10. A revoked user's open page stops working.
    sign_in(d, "rita", "rita-password-1")
    rita = [u for u in json.loads(http("GET", "/api/v1/users", token=ADMIN)[1])["items"] if u["name"] == "rita"][0]
    status, _ = http("PATCH", f"/api/v1/users/{rita['id']}", json.dumps({"revoked": True}).encode(),
                     token=ADMIN, headers={"Content-Type": "application/json"})
    check("admin revokes rita", status == 200, status)
    Select(d.find_element(By.ID, "fy")).select_by_value("2024")
    wait(d, lambda d: "expired=1" in d.current_url)
    check("revoked user's page goes back to sign-in", "サインインが切れました" in text(d))
    audit_logs(d, "revoked")

    # 11. The admin page.
    mail_refused("booth_confirmed")
    sign_in(d, "ada", "ada-password-1")
    d.get(BASE + "/admin.html")
    ready(d)
    check("admin page lists users", "rita" in d.find_element(By.ID, "users").text)
    check("admin page shows the audit log", "操作記録（全" in d.find_element(By.ID, "audit").text)
    check("admin page shows the mail queue", "送信待ち" in d.find_element(By.ID, "mail").text)
    mail = d.find_element(By.ID, "mail").text
    check("a mail error's kind by its label", "出展確定" in mail and "booth_confirmed" not in mail, mail)
    d.find_element(By.ID, "mail").screenshot(os.path.join(ART, "10-admin-mail.png"))
    shot(d, "10-admin")
    audit_logs(d, "admin")

    # 12. 200 % zoom: the events page reflows without sideways scrolling.
    d.get(BASE + "/events.html?fy=2024")
    ready(d)
    d.set_window_size(640, 1000)
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 640, "height": 1000, "deviceScaleFactor": 2, "mobile": False})
    overflow = d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check("200% zoom: no page-wide horizontal scroll", overflow <= 0, overflow)
    shot(d, "11-events-200pct")
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    d.set_window_size(1280, 1000)
    audit_logs(d, "zoom")

    # Figures: the events page's first load (compressed bytes) and its
    # time to table, median of 10.
    d.execute_cdp_cmd("Network.enable", {})
    d.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    d.get_log("performance")
    d.get(BASE + "/events.html?fy=2024")
    ready(d)
    static = api = 0
    urls = {}
    for e in d.get_log("performance"):
        m = json.loads(e["message"])["message"]
        if m["method"] == "Network.responseReceived":
            urls[m["params"]["requestId"]] = m["params"]["response"]["url"]
        if m["method"] == "Network.loadingFinished":
            url = urls.get(m["params"]["requestId"], "")
            if "/api/" in url:
                api += m["params"]["encodedDataLength"]
            else:
                static += m["params"]["encodedDataLength"]
    times = []
    for _ in range(10):
        d.get(BASE + "/events.html?fy=2024")
        ready(d)
        times.append(d.execute_script("return performance.getEntriesByName('events-table')[0].startTime"))
    print(f"FIGURE events page first load: {static} bytes of files (compressed, headers included), {api} bytes of API answers", flush=True)
    print(f"FIGURE events page time to table: median {statistics.median(times):.1f} ms of 10 (min {min(times):.1f}, max {max(times):.1f})", flush=True)
    check("first load under 100 KB", static < 100 * 1024, static)
    audit_logs(d, "figures")
finally:
    d.quit()

for p in page_problems:
    print("     " + p)
check("no console errors, no other-origin requests", not page_problems, len(page_problems))
shutil.rmtree(TMP, ignore_errors=True)
finish()
