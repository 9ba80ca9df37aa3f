"""Drive a real JupyterLab in headless Chromium: used by tests/test_browser.py and bench/slider_latency.py.

    with LabSession(NOTEBOOK) as lab:         # JupyterLab on a free port, notebook copied to a temp root
        lab.run_all()                         # every cell, waited for, errors reported
        w = lab.slider("steepness w")         # the noUi handle of a slider, by its label
        update_ms, paint_ms = lab.press(w, "ArrowRight")   # after lab.instrument(): keydown -> new figure

Nothing in the repository is touched: the server's root, workspaces, settings and runtime files all
live in a temporary directory, and the server and the browser are shut down on exit. The browser is
Debian's /usr/bin/chromium (never Playwright's own download); if it cannot start, BrowserError says so.
"""

import contextlib
import json
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

# Runs in the page once: timestamps each keydown and each new figure, so a latency is measured in the
# browser itself. A new figure is a change of the explorer's SVG layer (.tower-overlay): `update` is
# when the page has put the new SVG into the document (a MutationObserver runs right after the task
# that did it), `paint` when the first task after the next rendering update starts (a message posted
# from requestAnimationFrame), i.e. the new lines have been painted. `keys` and `updates` keep the
# wall-clock times (ms since the epoch) too, to line them up with the kernel's own timings of its
# callbacks (TowerExplorer.timings).
INSTRUMENT_JS = """
(overlay) => {
    const lat = window.__towerLatency = {t0: null, update: [], paint: [], keys: [], updates: []};
    const wall = () => performance.timeOrigin + performance.now();
    document.addEventListener("keydown", () => {
        lat.t0 = performance.now();
        lat.keys.push(wall());
    }, {capture: true});
    new MutationObserver(() => {
        if (lat.t0 === null) return;
        const t0 = lat.t0;
        lat.t0 = null;
        lat.update.push(performance.now() - t0);
        lat.updates.push(wall());
        requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => lat.paint.push(performance.now() - t0);
            channel.port2.postMessage(null);
        });
    }).observe(overlay, {childList: true, subtree: true, characterData: true});
}
"""

# Before a key press: a promise that resolves once the explorer's SVG layer has changed and the change
# has been painted, or rejects after `timeout` ms.
ARM_JS = """
(overlay, timeout) => {
    window.__towerNext = new Promise((resolve, reject) => {
        const timer = setTimeout(() => { observer.disconnect(); reject(new Error("no new figure")); },
                                 timeout);
        const observer = new MutationObserver(() => {
            observer.disconnect();
            clearTimeout(timer);
            requestAnimationFrame(() => {
                const channel = new MessageChannel();
                channel.port1.onmessage = () => resolve(true);
                channel.port2.postMessage(null);
            });
        });
        observer.observe(overlay, {childList: true, subtree: true, characterData: true});
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

    def explorer(self, timeout=30_000):
        """The explorer's root element, scrolled into view, once its figure has been drawn."""
        root = self.page.locator(".tower-explorer")
        root.wait_for(state="visible", timeout=timeout)
        root.scroll_into_view_if_needed()
        self.page.wait_for_function(
            "() => { const img = document.querySelector('.tower-explorer .tower-figure img');"
            " return img && img.complete && img.naturalWidth > 0"
            " && !!document.querySelector('.tower-explorer .tower-overlay svg polyline'); }",
            timeout=timeout)
        return root

    def figure(self):
        """The figure: the still picture and the SVG layer over it."""
        return self.page.locator(".tower-explorer .tower-figure")

    def figure_screenshot(self):
        """PNG bytes of the figure's box, snapped to whole pixels as Chromium paints it (a layout can
        put the box at y = 395.06, and an element screenshot would then be one row taller)."""
        self.figure().scroll_into_view_if_needed()
        box = self.figure().bounding_box()  # in the viewport, where page.screenshot clips
        clip = {key: round(box[key]) for key in ("x", "y", "width", "height")}
        return self.page.screenshot(clip=clip)

    def overlay(self):
        return self.page.locator(".tower-explorer .tower-overlay")

    def slider(self, label):
        """The keyboard-focusable handle of the explorer slider whose description is `label`."""
        box = self.page.locator(".tower-explorer .widget-slider").filter(has_text=label)
        handle = box.locator(".noUi-handle")
        handle.wait_for(state="visible")
        return handle

    def instrument(self):
        """Start recording keydown -> new figure latencies in the page (see INSTRUMENT_JS)."""
        self.overlay().evaluate(INSTRUMENT_JS)

    def overlay_svg(self):
        """The SVG the page shows over the still picture, as markup."""
        return self.overlay().locator("svg").first.evaluate("(svg) => svg.outerHTML")

    def press(self, handle, key, timeout=10_000):
        """Press `key` on a slider handle and wait until the new figure has been painted.

        Waits on a MutationObserver of the SVG layer (no polling: polling every animation frame would
        make the page render frames and compete with what is measured). Returns (update_ms, paint_ms)
        measured in the page for this move, or None if the page was not instrumented. Raises
        BrowserError if no new figure arrives within `timeout` ms.
        """
        self.overlay().evaluate(ARM_JS, timeout)
        handle.press(key)
        try:
            self.page.evaluate("() => window.__towerNext")
        except PlaywrightError as err:
            raise BrowserError(f"the figure did not change within {timeout} ms after {key}") from err
        lat = self.page.evaluate("() => window.__towerLatency || null")
        return None if lat is None else (lat["update"][-1], lat["paint"][-1])

    def wait_for_figure_change(self, before_png, timeout=15.0):
        """Wait until a screenshot of the figure differs from `before_png` (bytes of a screenshot)."""
        deadline = time.monotonic() + timeout
        while self.figure().screenshot() == before_png:
            if time.monotonic() > deadline:
                raise BrowserError(f"the figure did not change within {timeout:.0f} s")
            time.sleep(0.1)
        self.wait_idle()

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

    def latency_log(self):
        """The page's records: per move update / paint latencies (ms), wall-clock keys / updates."""
        return self.page.evaluate("() => window.__towerLatency")

    def untracked_message_types(self):
        """The kernel message types whose busy/idle reports this JupyterLab ignores (page config)."""
        return self.page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
            ".untracked_message_types || []")

    def page_text(self):
        return self.page.locator("body").inner_text()
