#!/usr/bin/env python3
"""Drives Swagger UI in headless Chromium through chromedriver's W3C WebDriver HTTP API.

Standard library only, so CI needs no Selenium, npm or new Maven dependency. Steps: open Swagger UI,
Authorize with the trust key, expand GET /projects, Try it out, Execute, and assert the live response
shows the expected status (and project ID); always saves a screenshot.

Usage: swagger_ui_check.py BASE_URL KEY EXPECTED_STATUS EXPECTED_TEXT SCREENSHOT [WEBDRIVER_URL]
"""
import base64
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request

BASE, KEY, STATUS, TEXT, SHOT = sys.argv[1:6]
WEBDRIVER = sys.argv[6] if len(sys.argv) > 6 else "http://127.0.0.1:9515"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
TIMEOUT = float(os.environ.get("BROWSER_CHECK_STEP_TIMEOUT", "60"))


def wd(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(WEBDRIVER + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return json.load(resp).get("value")
    except urllib.error.HTTPError as e:
        detail = e.read().decode(errors="replace")[:500]
        raise RuntimeError(f"WebDriver {method} {path} -> {e.code}: {detail}") from None


class Browser:
    def __init__(self):
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={tempfile.mkdtemp(prefix='swagger-check-')}",
                "--window-size=1280,900"]
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium"), "args": args}}}}
        self.session = wd("POST", "/session", caps)["sessionId"]

    def s(self, path):
        return f"/session/{self.session}{path}"

    def go(self, url):
        wd("POST", self.s("/url"), {"url": url})

    def find(self, xpath, timeout=TIMEOUT, visible=True):
        """Waits for an element: Swagger UI renders in JS after it fetched the API document."""
        deadline = time.time() + timeout
        while True:
            try:
                found = wd("POST", self.s("/elements"), {"using": "xpath", "value": xpath})
            except RuntimeError:
                found = []
            for el in found:
                eid = el[ELEMENT]
                if not visible or wd("GET", self.s(f"/element/{eid}/displayed")):
                    return eid
            if time.time() > deadline:
                raise TimeoutError(f"no element for {xpath} after {timeout:.0f} s")
            time.sleep(0.25)

    def click(self, xpath):
        eid = self.find(xpath)
        self.script("arguments[0].scrollIntoView({block: 'center'});", eid)
        wd("POST", self.s(f"/element/{eid}/click"), {})
        return eid

    def type(self, xpath, text):
        eid = self.find(xpath)
        wd("POST", self.s(f"/element/{eid}/value"), {"text": text})

    def text(self, eid):
        return wd("GET", self.s(f"/element/{eid}/text"))

    def script(self, source, eid=None):
        args = [] if eid is None else [{ELEMENT: eid}]
        return wd("POST", self.s("/execute/sync"), {"script": source, "args": args})

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(wd("GET", self.s("/screenshot"))))

    def quit(self):
        wd("DELETE", self.s(""))


def step(message):
    print(f"swagger-ui-check: {message}", flush=True)


def main():
    browser = Browser()
    try:
        step(f"opening {BASE}/swagger-ui/index.html")
        browser.go(f"{BASE}/swagger-ui/index.html")
        browser.find("//button[contains(@class,'authorize') and contains(@class,'btn')]", timeout=120)

        step("Authorize with the trust key")
        browser.click("//div[contains(@class,'auth-wrapper')]//button[contains(@class,'authorize')]")
        browser.type("//div[contains(@class,'modal-ux')]//input", KEY)
        browser.click("//div[contains(@class,'modal-ux')]//button[contains(@class,'authorize') and @type='submit']")
        browser.find("//div[contains(@class,'modal-ux')]//button[contains(@class,'auth') and normalize-space()='Logout']")
        browser.click("//div[contains(@class,'modal-ux')]//button[contains(@class,'btn-done')]")

        step("expanding GET /projects")
        block = ("//div[contains(@class,'opblock-get')]"
                 "[.//*[contains(@class,'opblock-summary-path') and @data-path='/projects']]")
        browser.click(block + "//*[contains(@class,'opblock-summary-path') and @data-path='/projects']")
        step("Try it out, Execute")
        browser.click(block + "//button[contains(@class,'try-out__btn')]")
        browser.click(block + "//button[contains(@class,'execute')]")

        live = block + "//table[contains(@class,'live-responses-table')]//tr[contains(concat(' ', normalize-space(@class), ' '), ' response ')]"
        status_cell = browser.find(live + "/td[contains(@class,'response-col_status')]", timeout=120)
        status = browser.text(status_cell).strip().split()[0]
        body = browser.text(browser.find(live + "/td[contains(@class,'response-col_description')]"
                                         "//div[contains(@class,'highlight-code')]"))
        browser.script("arguments[0].scrollIntoView({block: 'center'});", status_cell)
        time.sleep(0.5)
        browser.screenshot(SHOT)
        step(f"screenshot saved to {SHOT}")
        step(f"response code shown: {status}")
        if status != STATUS:
            raise AssertionError(f"Swagger UI shows response code {status}, expected {STATUS}; body: {body[:300]}")
        if TEXT and TEXT not in body:
            raise AssertionError(f"Swagger UI's response body does not show {TEXT!r}: {body[:300]}")
        step(f"OK: GET /projects answered {status} in Swagger UI" + (f" and shows project {TEXT}" if TEXT else ""))
    except Exception:
        try:
            browser.screenshot(SHOT)
            step(f"failure screenshot saved to {SHOT}")
        except Exception:  # noqa: BLE001 - the original failure matters more
            pass
        raise
    finally:
        browser.quit()


if __name__ == "__main__":
    main()
