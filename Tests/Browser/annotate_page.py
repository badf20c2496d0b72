#!/usr/bin/env python3
"""Drives the annotation page of activeseg-web in headless Chromium, as an annotator would.

Run by Tests/IntegrationTests/WebTests.swift, which starts the services, makes the token and afterwards checks in
storage that the mask written here (expected_mask in the result file) is exactly what was stored. This script:
  1. signs in with a wrong token and checks it is refused (page message and HTTP 401);
  2. signs in with the right token, paints a known shape with brush, eraser, undo and class shortcuts, submits;
  3. waits for the next slice's lease to run out, lets another annotator (bob, through the CLI) take it, paints
     and submits: the page must say the lease ran out, name bob, and keep the painting.
It writes three screenshots (sign-in, painting, submitted) and a JSON result.
"""
import argparse, json, math, os, subprocess, sys, time, urllib.error, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

NOT_ANNOTATED = 4


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def paint_reference(mask, width, height, a, b, radius, value):
    """The page's rule: every pixel whose centre lies within `radius` of the segment a-b gets `value`."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    for y in range(height):
        for x in range(width):
            px, py = x + 0.5, y + 0.5
            t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - a[0]) * dx + (py - a[1]) * dy) / length2))
            ex, ey = px - (a[0] + t * dx), py - (a[1] + t * dy)
            if ex * ex + ey * ey <= radius * radius:
                mask[y * width + x] = value


class Page:
    def __init__(self, driver):
        self.driver = driver
        self.wait = WebDriverWait(driver, 30)

    def el(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def until(self, what, predicate, timeout=30):
        try:
            WebDriverWait(self.driver, timeout).until(lambda d: predicate())
        except Exception:
            fail("timed out waiting for " + what + "; status: " + self.el("#status").text)

    def keys(self, text):
        ActionChains(self.driver).send_keys(text).perform()

    def client_point(self, x, y):
        """Viewport coordinates of image point (x, y) on the main canvas."""
        rect = self.driver.execute_script("const r = document.getElementById('canvas').getBoundingClientRect();"
                                          "return [r.left, r.top, r.width, r.height];")
        width, height = self.driver.execute_script("return [S.width, S.height];")
        return round(rect[0] + x * rect[2] / width), round(rect[1] + y * rect[3] / height)

    def stroke(self, points):
        actions = ActionBuilder(self.driver)
        first = self.client_point(*points[0])
        actions.pointer_action.move_to_location(*first)
        actions.pointer_action.pointer_down()
        for point in points[1:]:
            actions.pointer_action.move_to_location(*self.client_point(*point))
        actions.pointer_action.pointer_up()
        actions.perform()


def http_status(url, token):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--experiment", type=int, required=True)
    parser.add_argument("--cli", required=True, help="the activeseg executable, to lease as another annotator")
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--result", required=True)
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)

    # A wrong or missing token is refused by the API itself, not only by the page.
    api = args.url.rstrip("/") + "/api/next?experiment=%d" % args.experiment
    check(http_status(api, "0123456789abcdef-wrong") == 401, "a wrong token must get HTTP 401 from /api/next")
    check(http_status(api, None) == 401, "no token must get HTTP 401 from /api/next")

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("ACTIVESEG_CHROMIUM", "/usr/bin/chromium")
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1180,760",
                 "--force-device-scale-factor=1", "--lang=en-GB"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(os.environ.get("ACTIVESEG_CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    try:
        run(driver, args)
    finally:
        driver.quit()


def run(driver, args):
    page = Page(driver)
    driver.get(args.url + "?experiment=%d" % args.experiment)

    # 1. A wrong token: the page says so and stays on the sign-in form.
    page.el("#token").send_keys("0123456789abcdef-wrong")
    page.el("#signin-button").click()
    page.until("the refusal", lambda: "refused" in page.el("#signin-error").text)
    check("not on the list" in page.el("#signin-error").text, "refusal names the cause: " + page.el("#signin-error").text)
    check(not page.el("#signin").get_attribute("hidden"), "the sign-in form stays after a wrong token")

    # 2. The right token.
    page.el("#token").clear()
    page.el("#token").send_keys(args.token)
    driver.save_screenshot(os.path.join(args.screenshots, "sign-in.png"))
    page.el("#signin-button").click()
    page.until("a leased slice", lambda: driver.execute_script("return document.body.dataset.slice || ''") != "", timeout=90)
    check("alice" in page.el("#who").text, "the header names the annotator: " + page.el("#who").text)
    slice_id = int(page.el("#slice-id").text)
    width, height = driver.execute_script("return [S.width, S.height];")
    check(driver.execute_script("return S.mode") == "scribble", "a scribble experiment opens in scribble mode")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#neighbours figure")) >= 3, "the neighbouring slices are shown")
    check("alice" in page.el("#annotators").text, "progress lists alice as annotating: " + page.el("#progress").text)
    check(int(page.el("#waiting").text) > 0, "progress shows slices left")
    check("left (until" in page.el("#lease").text, "the lease expiry is shown: " + page.el("#lease").text)

    # The known shape, in image coordinates (pixel centres, so the page's rule and this one agree exactly).
    expected = [NOT_ANNOTATED] * (width * height)
    radius = 2.5
    page.keys("[")  # radius 3 -> 2.5
    check(page.el("#brush").get_attribute("value") == "2.5", "[ shrinks the brush to 2.5")
    page.keys("3")
    page.stroke([(6.5, 10.5), (20.5, 10.5)])
    paint_reference(expected, width, height, (6.5, 10.5), (20.5, 10.5), radius, 3)
    page.keys("1")
    page.stroke([(24.5, 22.5)])
    paint_reference(expected, width, height, (24.5, 22.5), (24.5, 22.5), radius, 1)
    page.keys("e")
    page.stroke([(13.5, 10.5)])   # erased ...
    page.keys("z")                # ... and undone
    page.keys("0")
    page.stroke([(8.5, 24.5), (8.5, 27.5)])
    paint_reference(expected, width, height, (8.5, 24.5), (8.5, 27.5), radius, 0)
    page.keys("e")
    page.stroke([(18.5, 10.5), (20.5, 10.5)])
    paint_reference(expected, width, height, (18.5, 10.5), (20.5, 10.5), radius, NOT_ANNOTATED)
    shown = driver.execute_script("return Array.from(S.mask);")
    check(shown == expected, "the page's mask is the painted shape (%d pixels differ)" % sum(a != b for a, b in zip(shown, expected)))
    time.sleep(1.2)  # at least a second on the clock, recorded as the time spent
    driver.save_screenshot(os.path.join(args.screenshots, "painting.png"))

    page.keys("\n")
    page.until("the submission", lambda: driver.execute_script("return document.body.dataset.submitted || ''") == str(slice_id))
    status = page.el("#status").text
    check(("Submitted slice %d" % slice_id) in status and "still to annotate" in status, "confirmation: " + status)
    page.until("the next slice", lambda: driver.execute_script("return document.body.dataset.slice || ''") not in ("", str(slice_id)))
    driver.save_screenshot(os.path.join(args.screenshots, "submitted.png"))

    # 3. The next slice's lease runs out, bob takes it, alice's submission is refused but her painting stays.
    second = int(page.el("#slice-id").text)
    page.keys("2")
    page.stroke([(12.5, 12.5), (16.5, 16.5)])
    page.until("the lease to run out", lambda: "expired" in (page.el("#lease").get_attribute("class") or ""), timeout=60)
    bob = subprocess.run([args.cli, "annotate", "next", "--experiment", str(args.experiment), "--annotator", "bob", "--count", "64",
                          "--dir", os.path.join(os.path.dirname(os.path.abspath(args.result)), "bob"), "--gateway", args.gateway],
                         capture_output=True, text=True, timeout=60)
    check(bob.returncode == 0 and ("slice %d " % second) in bob.stdout, "bob leases the expired slice %d: %s %s" % (second, bob.stdout, bob.stderr))
    painted = driver.execute_script("return Array.from(S.mask).filter(v => v !== 4).length;")
    page.keys("\n")
    page.until("the refusal of the late submission", lambda: driver.execute_script("return document.body.dataset.refused || ''") == str(second))
    status = page.el("#status").text
    check("ran out" in status and "leased to 'bob'" in status and "painting is kept" in status, "late submission message: " + status)
    check(driver.execute_script("return Array.from(S.mask).filter(v => v !== 4).length;") == painted and painted > 0,
          "the painting stays on the canvas")
    check(driver.execute_script("return localStorage.getItem('activeseg.painting.%d.%d') !== null;" % (args.experiment, second)),
          "the painting is kept in the browser's storage")

    with open(args.result, "w") as out:
        json.dump({"slice": slice_id, "width": width, "height": height, "expected_mask": expected, "refused_slice": second}, out)
    print("OK slice %d submitted, slice %d refused after its lease ran out" % (slice_id, second), flush=True)


if __name__ == "__main__":
    main()
