"""The companies' public application form as a company's clerk uses it.

Run by test_public_form.sh after public_form.py, on the same event (a
type with booths). Twice, on a 390x844 window: with JavaScript (the
「求人を追加」 button adds a fourth row) and without (three fixed rows,
the form posts and a page comes back). Each time: the event's page links
to the form; a wrong 法人番号 check digit is refused with the message next
to the field and in the summary, what was typed kept; corrected, the
page says it was received and the city will confirm; the booth is
'applied' with its openings. Screenshots of every page; axe-core on the
form, the form with errors and the received page. Then an organizer, in
the back office's 企業 page, reads what the company sent and presses
確定する: the booth is confirmed and the company's mail is queued.
"""

import os
import subprocess

import office
from checks import check, finish
from public_pages import EVENT, PUBLIC, api, audit, audited, browser, shot, wait
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

# 法人番号: a check digit that does not match, then the right one.
COMPANIES = {True: ("7000012050003", "7000012050002", "株式会社山口製作所"),
             False: ("5010401011112", "5010401011111", "有限会社湯田温泉サービス")}


def booth(name):
    for b in api("GET", f"/events/{EVENT}/companies?limit=500")["items"]:
        if b["company_name"] == name:
            return b
    return None


def fill(d, field, value):
    e = d.find_element(By.ID, "f-" + field)
    e.clear()
    e.send_keys(value)


def run(js):
    tag = "js" if js else "nojs"
    wrong, right, name = COMPANIES[js]
    d = browser(js)
    try:
        d.get(PUBLIC + f"/apply/events/{EVENT}")
        d.find_element(By.CSS_SELECTOR, f"a[href^='/apply/events/{EVENT}/company']").click()
        wait(d, lambda d: d.find_elements(By.ID, "f-corporate_number"))
        check(f"{tag}: company form: three openings' rows", len(d.find_elements(By.CSS_SELECTOR, "fieldset.opening")) == 3)
        add = d.find_elements(By.XPATH, "//button[normalize-space()='求人を追加']")
        check(f"{tag}: 「求人を追加」 only with script", bool(add) == js)
        if js:
            add[0].click()
            check("js: a fourth row, the focus in its 職種",
                  len(d.find_elements(By.CSS_SELECTOR, "fieldset.opening")) == 4 and
                  d.switch_to.active_element.get_attribute("id") == "f-o4_title")
        labels = d.execute_script(
            "return [...document.querySelectorAll('main input:not([type=hidden]), main select')]"
            ".filter(e => !e.closest('.hp') && !(e.labels && e.labels.length)).map(e => e.id)")
        check(f"{tag}: every control has a label", labels == [], labels)
        check(f"{tag}: no sideways scrolling on the form",
              d.execute_script("return document.documentElement.scrollWidth") <= 390)
        shot(d, f"company-{tag}-1-form")
        if js:
            audit(d, "company form")

        fill(d, "corporate_number", wrong)
        fill(d, "name", name)
        fill(d, "name_kana", "やまぐちせいさくしょ" if js else "ユダオンセンサービス")
        fill(d, "postal_code", "753-8650")
        fill(d, "address", "山口市亀山町2-1")
        fill(d, "contact_name", "採用 太郎")
        fill(d, "phone", "083-934-2814")
        fill(d, "email", "saiyo@example.co.jp")
        fill(d, "representatives", "2")
        fill(d, "o1_title", "製造スタッフ")
        Select(d.find_element(By.ID, "f-o1_employment_type")).select_by_value("正社員")
        fill(d, "o1_count", "2")
        fill(d, "o1_job_number", "35010-12345678")
        if js:
            fill(d, "o4_title", "事務")
            Select(d.find_element(By.ID, "f-o4_employment_type")).select_by_value("パート")
        d.find_element(By.CSS_SELECTOR, "form.apply button[type=submit]").click()
        wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
        check(f"{tag}: wrong check digit: nothing stored", booth(name) is None)
        field = d.find_element(By.ID, "e-corporate_number")
        check(f"{tag}: the message is next to the field", "法人番号" in field.text, field.text)
        check(f"{tag}: the field is marked and described by it",
              d.find_element(By.ID, "f-corporate_number").get_attribute("aria-invalid") == "true" and
              "e-corporate_number" in d.find_element(By.ID, "f-corporate_number").get_attribute("aria-describedby"))
        check(f"{tag}: typed values kept (the added row too)",
              d.find_element(By.ID, "f-o1_title").get_attribute("value") == "製造スタッフ" and
              (not js or d.find_element(By.ID, "f-o4_title").get_attribute("value") == "事務"))
        if js:
            check("js: the summary has the focus",
                  d.execute_script("return document.activeElement.classList.contains('error-summary')"))
        shot(d, f"company-{tag}-2-errors")
        if js:
            audit(d, "company form with errors")
        d.find_element(By.CSS_SELECTOR, ".error-summary a[href='#f-corporate_number']").click()
        fill(d, "corporate_number", right)
        d.find_element(By.CSS_SELECTOR, "form.apply button[type=submit]").click()
        wait(d, lambda d: d.current_url.split("?")[0].endswith("/company/received"))
        main = d.find_element(By.TAG_NAME, "main").text
        check(f"{tag}: received, and the city will confirm",
              "出展のお申込みを受け付けました" in main and "山口市から改めてメールでお知らせします" in main, main[:200])
        shot(d, f"company-{tag}-3-received")
        if js:
            audit(d, "company received")
        b = booth(name)
        want = [("製造スタッフ", "正社員")] + ([("事務", "パート")] if js else [])
        check(f"{tag}: the booth is 'applied' with its openings",
              b is not None and b["status"] == "applied" and
              [(o["title"], o["employment_type"]) for o in b["openings"]] == want, b)
    finally:
        d.quit()


def organizer_confirms():
    name = COMPANIES[True][2]
    d = office.browser()
    try:
        office.sign_in(d, "oscar", "oscar-password-1")
        d.get(office.BASE + "/companies.html")
        office.ready(d)
        Select(d.find_element(By.ID, "booth-event")).select_by_value(str(EVENT))
        row = office.wait(d, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#booths-list tr")
                                        if name in r.text])[0]
        check("back office: the booth listed as 申込", "申込" in row.text, row.text)
        row.find_element(By.CSS_SELECTOR, "details.application summary").click()
        office.wait(d, lambda d: "採用 太郎" in row.text)
        check("back office: what the company sent is shown",
              "saiyo@example.co.jp" in row.text and "この申込みで企業を登録" in row.text, row.text)
        office.shot(d, "public-company-4-backoffice")
        row.find_element(By.XPATH, ".//button[normalize-space()='確定する']").click()
        office.wait(d, lambda d: (booth(name) or {}).get("status") == "confirmed")
        mail = subprocess.run(["psql", os.environ["JF_DB"], "-qAtc",
                               "SELECT to_addr FROM mail_outbox WHERE kind = 'booth_confirmed'"],
                              capture_output=True, text=True).stdout.split()
        check("back office: 確定する confirms, the company's mail queued",
              mail == ["saiyo@example.co.jp"], mail)
        office.wait(d, lambda d: "出展を確定しました" in d.find_element(By.TAG_NAME, "body").text)
        office.shot(d, "public-company-5-confirmed")
    finally:
        d.quit()


run(True)
run(False)
organizer_confirms()
if not audited:
    print("skip axe-core audits: run `npm ci` at the top of the tree to enable them")
finish()
