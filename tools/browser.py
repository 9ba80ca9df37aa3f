"""Drive a real JupyterLab, or a page from disk, in headless Chromium (the browser tests and bench/).

    with LabSession(NOTEBOOK) as lab:         # JupyterLab on a free port, notebook copied to a temp root
        lab.run_all()                         # every cell, waited for, errors reported
        ex = lab.explorer()                   # notebook 07's tower explorer (an ExplorerDriver)
        ex = lab.explorer(root=".bowl-explorer")   # or notebook 09's bowl explorer
        ex.press(ex.slider("steepness w"), "ArrowRight")   # waits until the new frame is painted

    with PageSession(REPO / "docs/explorer.html") as page:   # the same explorer with no server
        ex = page.explorer()

    with PageSession(None) as blank:          # an empty page, for JavaScript modules under test
        blank.add_module(source_text)

Nothing in the repository is touched: the server's root, workspaces, settings and runtime files all
live in a temporary directory, and the server and the browser are shut down on exit. The browser is
Debian's /usr/bin/chromium (never Playwright's own download); if it cannot start, BrowserError says so.
"""

import contextlib
import json
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-features=Translate,MediaRouter",
]
JUPYTER = Path(sys.executable).with_name("jupyter")  # the jupyter next to this Python (.venv/bin)

# Runs in the page once: records, for every frame the explorer draws after a key press or a pointer
# move, the time from that input event (its timeStamp: when Chromium received it) to `draw`, the end
# of the explorer's drawing, and to `paint`, when that frame is on screen. The explorer draws inside a
# requestAnimationFrame callback, i.e. in the rendering update of the very frame that shows it, so a
# message posted from there is handled by the first task after that rendering update: the frame has
# been painted. (A requestAnimationFrame from there would wait for the next frame, one too many.)
INSTRUMENT_JS = """
(host) => {
    const lat = window.__explorerLatency = {t0: null, kind: null, draw: [], paint: [], kinds: []};
    const start = (kind) => (event) => {
        if (lat.t0 === null) { lat.t0 = event.timeStamp; lat.kind = kind; }
    };
    document.addEventListener("keydown", start("key"), {capture: true});
    document.addEventListener("pointermove", start("pointer"), {capture: true});
    host.addEventListener("explorer-drawn", () => {
        if (lat.t0 === null) return;
        const t0 = lat.t0;
        lat.t0 = null;
        lat.draw.push(performance.now() - t0);
        lat.kinds.push(lat.kind);
        const channel = new MessageChannel();
        channel.port1.onmessage = () => lat.paint.push(performance.now() - t0);
        channel.port2.postMessage(null);
    });
}
"""

# Before an input: a promise that resolves once the explorer has drawn a new frame and the frame has
# been painted (see INSTRUMENT_JS), or rejects after `timeout` ms.
ARM_JS = """
(host, timeout) => {
    window.__explorerNext = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no new frame")), timeout);
        host.addEventListener("explorer-drawn", () => {
            clearTimeout(timer);
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolve(true);
            channel.port2.postMessage(null);
        }, {once: true});
    });
}
"""

# Run code in the notebook's kernel (as a silent request, not a cell) and return what it prints.
EXECUTE_JS = """
async (code) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const future = kernel.requestExecute({code: code, store_history: false});
    let out = "";
    future.onIOPub = (msg) => {
        if (msg.header.msg_type === "stream") out += msg.content.text;
        if (msg.header.msg_type === "error") out += msg.content.ename + ": " + msg.content.evalue;
    };
    await future.done;
    return out;
}
"""

# The notebook's state as JupyterLab sees it: per code cell, its execution count and output types.
CELLS_JS = """
() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = [];
    for (const cell of panel.content.widgets) {
        if (cell.model.type !== "code") continue;
        const outputs = [];
        for (let i = 0; i < cell.model.outputs.length; i++) {
            outputs.push(cell.model.outputs.get(i).type);
        }
        cells.push({count: cell.model.executionCount, outputs: outputs});
    }
    return {kernel: panel.sessionContext.session.kernel.status, cells: cells};
}
"""


class BrowserError(RuntimeError):
    """Chromium or JupyterLab could not start, or the page did not reach the expected state."""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabSession:
    """JupyterLab serving a temporary copy of `notebook`, opened in headless Chromium."""

    def __init__(self, notebook, viewport=(1280, 1000), start_timeout=90.0, server_args=()):
        self.notebook = Path(notebook)
        self.server_args = list(server_args)  # more --Class.trait=value options for jupyter lab
        self.viewport = viewport
        self.start_timeout = start_timeout
        self.server = None
        self.page = None
        self._stack = contextlib.ExitStack()

    # ------------------------------------------------------------------------ start / stop

    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _start(self):
        self._start_browser()  # first: a browser that cannot start fails the run in seconds
        self.tmp = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="lab-browser-")))
        root = self.tmp / "root"
        root.mkdir()
        shutil.copy2(self.notebook, root / self.notebook.name)
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [
            str(JUPYTER), "lab",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.workspaces_dir={self.tmp / 'workspaces'}",
            f"--LabApp.user_settings_dir={self.tmp / 'settings'}",
            "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run cells without menus
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        cmd += self.server_args
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"))
        # No "get notified about Jupyter news?" toast over the page (and no request for the news).
        news = self.tmp / "settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
        news.parent.mkdir(parents=True)
        news.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        self.log_path = self.tmp / "jupyterlab.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in close())
        self.server = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                       cwd=root, start_new_session=True)
        self._wait_for_server()

    def _wait_for_server(self):
        deadline = time.monotonic() + self.start_timeout
        url = f"{self.base}/api/status?token={self.token}"
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                code = self.server.returncode
                raise BrowserError(f"JupyterLab exited with code {code}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            time.sleep(0.25)
        raise BrowserError(f"JupyterLab did not answer on port {self.port} within "
                           f"{self.start_timeout:.0f} s:\n{self.log_tail()}")

    def _start_browser(self):
        if not os.access(CHROMIUM, os.X_OK):
            raise BrowserError(f"{CHROMIUM} is missing: install Debian's chromium package (see tools/)")
        try:
            self.playwright = self._stack.enter_context(sync_playwright())
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000)
        except PlaywrightError as err:
            raise BrowserError(f"headless Chromium ({CHROMIUM}) could not start: {err}") from err
        width, height = self.viewport
        self.page = self.browser.new_page(viewport={"width": width, "height": height})
        self.page.set_default_timeout(60_000)

    def close(self):
        """Close the browser, shut the server down cleanly (kill it if it hangs), delete the temp dir."""
        if self.page is not None:
            with contextlib.suppress(Exception):
                self.browser.close()
            self.page = None
        if self.server is not None and self.server.poll() is None:
            with contextlib.suppress(OSError):
                url = f"{self.base}/api/shutdown?token={self.token}"
                urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=5).close()
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, 15)  # the process group this session started, nothing else
                try:
                    self.server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.server.pid, 9)
                    self.server.wait(timeout=10)
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        self._stack.close()

    def log_tail(self, lines=30):
        with contextlib.suppress(OSError, AttributeError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no server log)"

    # ------------------------------------------------------------------------- the notebook

    def open_notebook(self):
        """Open the notebook in JupyterLab and wait until its kernel is connected."""
        self.page.goto(f"{self.base}/lab/tree/{self.notebook.name}?token={self.token}&reset")
        self.page.wait_for_function(
            """(name) => {
                const app = window.jupyterapp;
                const panel = app && app.shell.currentWidget;
                return !!(panel && panel.context && panel.context.path.endsWith(name) && panel.sessionContext
                          && panel.sessionContext.session && panel.sessionContext.session.kernel
                          && panel.sessionContext.session.kernel.connectionStatus === "connected");
            }""", arg=self.notebook.name, timeout=90_000)
        self.page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.context.ready; }")

    def run_all(self, timeout=90.0):
        """Run every cell and wait until each code cell has an execution count and the kernel is idle.

        Returns the per-cell state (see CELLS_JS). Raises BrowserError on a timeout or an error output.
        """
        self.open_notebook()
        self.page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        deadline = time.monotonic() + timeout
        while True:
            state = self.page.evaluate(CELLS_JS)
            failed = any("error" in c["outputs"] for c in state["cells"])  # the run stops there
            done = all(c["count"] is not None for c in state["cells"]) or failed
            if done and state["kernel"] == "idle":
                break
            if time.monotonic() > deadline:
                raise BrowserError(f"cells still running after {timeout:.0f} s: {json.dumps(state)}")
            time.sleep(0.25)
        errors = [i for i, c in enumerate(state["cells"], start=1) if "error" in c["outputs"]]
        if errors:
            raise BrowserError(f"code cells {errors} show an error output")
        return state

    # ---------------------------------------------------------------------------- the explorer

    def explorer(self, timeout=30_000, root=".tower-explorer"):
        """The notebook's explorer, once it has drawn its first frame (an ExplorerDriver)."""
        return ExplorerDriver(self.page, timeout, root)

    def wait_idle(self, timeout=10.0):
        """Wait until the kernel is idle (the explorer has answered every move)."""
        deadline = time.monotonic() + timeout
        while self.page.evaluate(CELLS_JS)["kernel"] != "idle":
            if time.monotonic() > deadline:
                raise BrowserError("kernel still busy")
            time.sleep(0.05)

    def kernel_print(self, code):
        """Run `code` in the notebook's kernel and return its printed output."""
        return self.page.evaluate(EXECUTE_JS, code)

    def untracked_message_types(self):
        """The kernel message types whose busy/idle reports this JupyterLab ignores (page config)."""
        return self.page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
            ".untracked_message_types || []")

    def page_text(self):
        return self.page.locator("body").inner_text()


class PageSession:
    """A page from disk (file://) in headless Chromium: docs/explorer.html needs no server. With
    path=None, an empty page, to which add_module puts JavaScript under test."""

    def __init__(self, path, viewport=(1280, 1000)):
        self.path = None if path is None else Path(path).resolve()
        self.viewport = viewport
        self.page = None
        self._stack = contextlib.ExitStack()

    def __enter__(self):
        try:
            self.playwright = self._stack.enter_context(sync_playwright())
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000)
        except PlaywrightError as err:
            self._stack.close()
            raise BrowserError(f"headless Chromium ({CHROMIUM}) could not start: {err}") from err
        width, height = self.viewport
        self.page = self.browser.new_page(viewport={"width": width, "height": height})
        self.page.set_default_timeout(30_000)
        self.errors = []
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.goto("about:blank" if self.path is None else self.path.as_uri())
        return self

    def __exit__(self, *exc):
        with contextlib.suppress(Exception):
            self.browser.close()
        self._stack.close()

    def explorer(self, timeout=30_000):
        return ExplorerDriver(self.page, timeout)

    def add_module(self, source, ready="window.__moduleReady"):
        """Run `source` as an ES module in the page; it must set `ready` (a JavaScript expression)
        to true at its end. Returns once it has, or raises BrowserError with the page's errors."""
        self.page.add_script_tag(content=source, type="module")
        try:
            self.page.wait_for_function(f"() => {ready} === true", timeout=10_000)
        except PlaywrightError as err:
            raise BrowserError(f"the module did not run: {self.errors}") from err


class ExplorerDriver:
    """An explorer in a page (a notebook widget or docs/explorer.html): its controls, its frames.

    `root` is the class of the explorer's root element (".tower-explorer", ".bowl-explorer"). `host` is
    the element the explorer was rendered into; after every frame it holds `explorerFrame` (frame count,
    the state drawn, what was computed) and dispatches an "explorer-drawn" event (controls.js).
    """

    def __init__(self, page, timeout=30_000, root=".tower-explorer"):
        self.page = page
        self.root = page.locator(root)
        self.root.wait_for(state="visible", timeout=timeout)
        self.root.scroll_into_view_if_needed()
        page.wait_for_function("(root) => { const e = document.querySelector(root);"
                               " return !!(e && e.parentElement.explorerFrame); }", arg=root, timeout=timeout)
        self.canvas = self.root.locator("canvas")

    def host_evaluate(self, js, arg=None):
        """Run `js`, a function of (host, arg), on the element the explorer was rendered into."""
        return self.root.evaluate(f"(root, arg) => ({js})(root.parentElement, arg)", arg)

    def frame(self):
        """What the last frame drew: {frames, state, ...} (towers: state {target, kind, w, n, heights,
        ...} and error; bowl: state {name, lr, beta}, steps and path)."""
        return self.host_evaluate("(host) => host.explorerFrame")

    def status(self):
        return self.root.locator(".explorer-status").inner_text()

    def slider(self, label):
        """The keyboard-focusable handle of the slider whose label is `label`."""
        box = self.root.locator(".explorer-slider").filter(has_text=label)
        handle = box.locator(".explorer-slider-handle")
        handle.wait_for(state="visible")
        return handle

    def readout(self, label):
        return self.root.locator(".explorer-slider").filter(has_text=label).locator(
            ".explorer-slider-readout").inner_text()

    def instrument(self):
        """Start recording input -> frame latencies in the page (see INSTRUMENT_JS)."""
        self.host_evaluate(INSTRUMENT_JS)

    def latency_log(self):
        """Per frame: draw and paint latencies (ms) after its input, and the input's kind."""
        return self.page.evaluate("() => window.__explorerLatency")

    def after(self, action, what, timeout=10_000):
        """Do `action` (a function); wait until the frame it causes is painted; return that frame."""
        self.host_evaluate(ARM_JS, timeout)
        action()
        try:
            self.page.evaluate("() => window.__explorerNext")
        except PlaywrightError as err:
            raise BrowserError(f"no new frame within {timeout} ms after {what}") from err
        return self.frame()

    def press(self, handle, key, timeout=10_000):
        """Press `key` on a slider handle; wait until the new frame is painted; return the frame."""
        return self.after(lambda: handle.press(key), key, timeout)

    def click(self, locator, timeout=10_000):
        return self.after(locator.click, "a click", timeout)

    def canvas_point(self, x_px, y_px):
        """Viewport coordinates of a point given in the figure's own pixels (the figure may be scaled),
        after scrolling the figure into view (the mouse only reaches what is on screen)."""
        self.canvas.scroll_into_view_if_needed()
        box = self.canvas.bounding_box()
        size = self.page.evaluate("() => { const c = document.querySelector('.tower-explorer canvas');"
                                  " const w = parseFloat(c.style.width);"
                                  " return [w, w * c.height / c.width]; }")
        return box["x"] + x_px * box["width"] / size[0], box["y"] + y_px * box["height"] / size[1]

    def drag(self, start, points, timeout=10_000):
        """Press the mouse at `start` (figure pixels), move through `points`, waiting for the frame
        painted after each move, and release. Returns the last frame."""
        self.page.mouse.move(*self.canvas_point(*start))
        self.page.mouse.down()  # draws a frame only if it selects another tower
        frame = None
        for p in points:
            frame = self.pointer_move(*p, timeout=timeout)
        self.page.mouse.up()
        return frame

    def pointer_move(self, x_px, y_px, timeout=10_000):
        """Move the mouse to a point in figure pixels; wait until the frame it caused is painted."""
        return self.after(lambda: self.page.mouse.move(*self.canvas_point(x_px, y_px)), "a pointer move",
                           timeout)

    def canvas_screenshot(self):
        """PNG bytes of the figure's canvas, snapped to whole pixels as Chromium paints it."""
        self.canvas.scroll_into_view_if_needed()
        box = self.canvas.bounding_box()  # in the viewport, where page.screenshot clips
        # Chromium paints a box at y = 362.5 from pixel row 363: round halves up, not to even
        clip = {key: math.floor(box[key] + 0.5) for key in ("x", "y", "width", "height")}
        return self.page.screenshot(clip=clip)
