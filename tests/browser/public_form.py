"""The public application form as a person on a phone uses it.

Run by test_public_form.sh: jobfaird serves the public door at JF_PUBLIC
and the event JF_EVENT is open for applications. Twice, on a 390x844
window: with JavaScript, and with it switched off (the form posts and a
page comes back). Each time: the list of events, the event's page, a
send without consent (the error summary links to the box, what was typed
is kept), the application, the receipt whose QR code (read off the
screen) decodes with zbarimg to a token that checks in at the desk, and
the cancellation, once, then "already used". Screenshots of every page;
with axe-core installed (npm ci, package.json), each page
audited against WCAG 2.1 AA: no serious or critical violation.
"""

import os
import subprocess

from checks import check, finish
from public_pages import EVENT, PUBLIC, TMP, api, audit, audited, browser, shot, wait
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

def registrations():
    return api("GET", f"/events/{EVENT}/registrations?limit=500")["items"]


def run(js):
    tag = "js" if js else "nojs"
    d = browser(js)
    try:
        d.get(PUBLIC + "/apply")
        # apply.js marks the page when it runs.
        check(f"{tag}: the page's script {'ran' if js else 'did not run'}",
              (d.find_element(By.TAG_NAME, "html").get_attribute("data-js") == "1") == js)
        check(f"{tag}: index lists the event", "アクティブシニア" in d.find_element(By.TAG_NAME, "main").text)
        check(f"{tag}: no sideways scrolling at 390 px",
              d.execute_script("return document.documentElement.scrollWidth") <= 390)
        shot(d, f"{tag}-1-index")
        if js:
            audit(d, "index")
        d.find_element(By.CSS_SELECTOR, f"a[href^='/apply/events/{EVENT}']").click()
        wait(d, lambda d: d.find_elements(By.ID, "f-name"))
        main = d.find_element(By.TAG_NAME, "main").text
        check(f"{tag}: event page: date in 和暦, venue, what to bring",
              "令和" in main and "小ホール" in main and "筆記用具" in main, main[:200])
        labels = d.execute_script(
            "return [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]"
            ".filter(e => !e.closest('.hp') && !(e.labels && e.labels.length)).map(e => e.id)")
        check(f"{tag}: every control has a label", labels == [], labels)
        check(f"{tag}: no sideways scrolling on the form",
              d.execute_script("return document.documentElement.scrollWidth") <= 390)
        shot(d, f"{tag}-2-form")
        if js:
            audit(d, "form")

        # No consent: the summary at the top links to the box; typed kept.
        name = "山口 一郎" if js else "山口 二郎"
        kana = "やまぐち いちろう" if js else "やまぐち じろう"
        d.find_element(By.ID, "f-name").send_keys(name)
        d.find_element(By.ID, "f-name_kana").send_keys(kana)
        d.find_element(By.ID, "f-age").send_keys("67")
        d.find_element(By.ID, "f-phone").send_keys("083-934-2814")
        d.find_element(By.ID, "f-categories-senior").click()
        d.find_element(By.ID, "f-accommodations-captioning").click()
        d.find_element(By.ID, "f-accommodation_note").send_keys("補聴器を使っています")
        Select(d.find_element(By.ID, "f-supporters")).select_by_value("1")
        d.find_element(By.CSS_SELECTOR, "form.apply button[type=submit]").click()
        wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
        check(f"{tag}: refused without consent, nothing stored", len(registrations()) == (0 if js else 1))
        check(f"{tag}: error title", d.title.startswith("エラー："), d.title)
        if js:
            check(f"{tag}: the summary has the focus",
                  d.execute_script("return document.activeElement.classList.contains('error-summary')"))
        check(f"{tag}: typed values kept",
              d.find_element(By.ID, "f-name").get_attribute("value") == name and
              d.find_element(By.ID, "f-categories-senior").is_selected() and
              d.find_element(By.ID, "f-accommodations-captioning").is_selected())
        shot(d, f"{tag}-3-errors")
        if js:
            audit(d, "form with errors")
        d.find_element(By.CSS_SELECTOR, ".error-summary a[href='#f-consent']").click()
        check(f"{tag}: the summary's link reaches the box",
              d.execute_script("return location.hash") == "#f-consent")
        d.find_element(By.ID, "f-consent").click()
        d.find_element(By.CSS_SELECTOR, "form.apply button[type=submit]").click()
        wait(d, lambda d: "/apply/receipt/" in d.current_url)
        check(f"{tag}: the receipt says received", "お申込みを受け付けました" in d.find_element(By.TAG_NAME, "h1").text)
        check(f"{tag}: the secret is in the path, no personal data in the URL",
              "%" not in d.current_url and "yamaguchi" not in d.current_url.lower())
        img = d.find_element(By.CSS_SELECTOR, ".qr img")
        wait(d, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img))
        png = os.path.join(TMP, f"qr-{tag}.png")
        with open(png, "wb") as f:
            f.write(img.screenshot_as_png)
        code = subprocess.run(["zbarimg", "-q", "--raw", png], capture_output=True, text=True).stdout.strip()
        mine = [r for r in registrations() if r["name"] == name]
        check(f"{tag}: one registration, as typed",
              len(mine) == 1 and mine[0]["supporters"] == 1 and mine[0]["categories"] == ["senior"], mine)
        check(f"{tag}: the QR on screen decodes to its token",
              mine and code == mine[0]["checkin_token"], code)
        shot(d, f"{tag}-4-receipt")
        if js:
            audit(d, "receipt")
        res = api("POST", f"/events/{EVENT}/checkins", {"token": code, "nonce": f"public-form-{tag}-1"},
                  token=os.environ["JF_TOKEN_DESK"])
        check(f"{tag}: the code checks in at the desk", res.get("result") == "checked_in", res)

        # Cancel once; then the link says it was used.
        cancel = d.find_element(By.CSS_SELECTOR, "a[href^='/apply/cancel/']").get_attribute("href")
        d.get(cancel)
        check(f"{tag}: cancel asks first", "取り消しますか" in d.find_element(By.TAG_NAME, "main").text)
        shot(d, f"{tag}-5-cancel")
        if js:
            audit(d, "cancel")
        d.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait(d, lambda d: "取り消しました" in d.find_element(By.TAG_NAME, "main").text)
        shot(d, f"{tag}-6-cancelled")
        if js:
            audit(d, "cancelled")
        check(f"{tag}: cancelled in the database",
              [r["status"] for r in registrations() if r["name"] == name] == ["cancelled"])
        d.get(cancel)
        check(f"{tag}: a second use says already used", "すでに使われています" in d.find_element(By.TAG_NAME, "main").text)
        if js:
            d.get(PUBLIC + f"/apply/events/{EVENT}?lang=en")
            check("English page", "Application form" in d.find_element(By.TAG_NAME, "main").text)
            shot(d, "js-7-english")
    finally:
        d.quit()


run(True)
run(False)
if not audited:
    print("skip axe-core audits: run `npm ci` at the top of the tree to enable them")
finish()
