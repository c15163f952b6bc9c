"""Scan-to-answer time of the desk page in headless Chromium, and the
camera's decode time per frame (run by bench/desk.sh).

Each code is typed with WebDriver key events and Enter, at RATE codes a
second (the next code starts at its slot, or at once when typing the
last one ran late). In the page, a capturing keydown listener notes the
Enter's event time; the answer's time is taken when the history list
receives it, after the next animation frame and a task (so the frame
with the answer has been painted). Answers come in order, so the n-th
Enter goes with the n-th answer.

Usage: desk_page.py URL USER PASSWORD EVENT TOKENS_FILE QR_PNG RATE WORKDIR
"""

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "browser"))
from fakecam import y4m  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

base, user, password, event, tokens_file, png, rate, work = sys.argv[1:9]
rate = float(rate)
# BENCH_INPUT=insert: the code put in the field at once (DevTools
# Input.insertText) and only Enter as key events: how much of the time
# is WebDriver typing 31 keys rather than the page.
insert = os.environ.get("BENCH_INPUT") == "insert"
ENTER_DOWN = {"type": "keyDown", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"}
ENTER_UP = {"type": "keyUp", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
tokens = open(tokens_file).read().split()
codes = tokens + tokens  # 受付OK, then 受付済み
cam = os.path.join(work, "camera.y4m")
y4m(open(png, "rb").read(), cam)

o = webdriver.ChromeOptions()
o.binary_location = "/usr/bin/chromium"
for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
          "--disable-background-networking", "--disable-component-update",
          "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
          "--use-file-for-fake-video-capture=" + cam,
          "--user-data-dir=" + tempfile.mkdtemp(dir=work), "--window-size=1280,1000"):
    o.add_argument(a)
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def wait(cond, timeout=60):
    return WebDriverWait(d, timeout).until(lambda d: cond(d))


MEASURE = """
window.enters = []; window.lat = [];
document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.id === 'scan') window.enters.push(e.timeStamp); }, true);
new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes) {
    if (!n.dataset || !n.dataset.result) continue;
    const t0 = window.enters[window.lat.length + window.pendingPaint];
    window.pendingPaint++;
    requestAnimationFrame(() => { const ch = new MessageChannel();
        ch.port1.onmessage = () => { window.pendingPaint--; window.lat.push(performance.now() - t0); };
        ch.port2.postMessage(0); });
} }).observe(document.getElementById('history'), { childList: true });
window.pendingPaint = 0;
"""

try:
    d.get(base + "/")
    wait(lambda d: d.find_element(By.ID, "signin").is_displayed())
    d.find_element(By.ID, "signin-name").send_keys(user)
    d.find_element(By.ID, "signin-password").send_keys(password, Keys.ENTER)
    wait(lambda d: d.current_url.split("?")[0] != base + "/")
    d.get(base + "/desk.html")
    wait(lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
    Select(d.find_element(By.ID, "desk-event")).select_by_value(event)
    d.switch_to.active_element.send_keys("bench", Keys.ENTER)
    wait(lambda d: d.execute_script("return document.body.dataset.roster") is not None)
    d.execute_script(MEASURE)
    # Keys to the focused field (the scan field keeps focus), without
    # WebDriver's per-element checks: closer to a scanner's pace.
    keys = ActionChains(d, duration=0)
    start = time.monotonic()
    late = 0
    for i, code in enumerate(codes):
        slot = start + i / rate
        now = time.monotonic()
        if now < slot:
            time.sleep(slot - now)
        elif now - slot > 1 / rate:
            late += 1
        if insert:
            d.execute_cdp_cmd("Input.insertText", {"text": code})
            d.execute_cdp_cmd("Input.dispatchKeyEvent", ENTER_DOWN)
            d.execute_cdp_cmd("Input.dispatchKeyEvent", ENTER_UP)
        else:
            keys.send_keys(code + Keys.ENTER).perform()
    typed = time.monotonic() - start
    wait(lambda d: d.execute_script("return window.lat.length") >= len(codes))
    raw = d.execute_script("return window.lat")
    lat = sorted(raw)
    if os.environ.get("BENCH_VERBOSE"):
        print("in order:", " ".join(f"{x:.0f}" for x in raw), file=sys.stderr)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]  # noqa: E731

    # The camera: decode time per frame in the worker, for a few seconds.
    d.find_element(By.ID, "camera-open").click()
    wait(lambda d: d.execute_script("return document.body.dataset.camera") == "on")
    time.sleep(6)
    video = d.find_element(By.ID, "camera-video")
    frames, decode_ms = video.get_attribute("data-frames"), video.get_attribute("data-decode-ms")
    print(f"desk_scan_p50_ms={p(0.5):.1f} desk_scan_p99_ms={p(0.99):.1f} desk_scan_max_ms={lat[-1]:.1f} "
          f"scans={len(lat)} input={'insert' if insert else 'keys'} rate_achieved={len(codes) / typed:.1f}/s late={late} "
          f"camera_frames={frames} camera_decode_ms={decode_ms} "
          f"loadavg={open('/proc/loadavg').read().split()[0]}")
finally:
    d.quit()
