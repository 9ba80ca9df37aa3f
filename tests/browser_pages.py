"""A blank page in headless Chromium for JavaScript modules under test (the draw and filter explorers).

    with blank_page() as page:
        page.add_module(source)         # runs as an ES module; it must set window.__moduleReady = true
        page.evaluate("() => ...")

Chromium is Debian's /usr/bin/chromium with the options of tests/lab_browser.py; if it cannot start,
lab_browser.BrowserError says so (the test fails, it is never skipped).
"""

import contextlib

import lab_browser
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright


class BlankPage:
    def __init__(self, page):
        self.page = page
        self.errors = []
        page.on("pageerror", lambda err: self.errors.append(str(err)))

    def add_module(self, source, ready="window.__moduleReady"):
        """Run `source` as an ES module; return once it has set `ready` to true."""
        self.page.add_script_tag(content=source, type="module")
        try:
            self.page.wait_for_function(f"() => {ready} === true", timeout=10_000)
        except PlaywrightError as err:
            raise lab_browser.BrowserError(f"the module did not run: {self.errors}") from err

    def evaluate(self, js, arg=None):
        return self.page.evaluate(js, arg)


@contextlib.contextmanager
def blank_page(viewport=(1280, 1000)):
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=lab_browser.CHROMIUM, headless=True,
                                        args=lab_browser.CHROMIUM_ARGS, timeout=60_000)
        except PlaywrightError as err:
            raise lab_browser.BrowserError(f"headless Chromium could not start: {err}") from err
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.set_default_timeout(60_000)
            page.goto("about:blank")
            yield BlankPage(page)
        finally:
            browser.close()
