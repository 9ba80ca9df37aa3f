"""Pointer move -> painted frame latency of the draw-a-digit explorer, measured inside headless Chromium.

    .venv/bin/python -m bench.draw_latency               # notebook widget and page
    .venv/bin/python -m bench.draw_latency --only page   # docs/draw_digit.html only

Two hosts of the same front end (companion/static/draw_widget.js):
  notebook  JupyterLab running a temporary notebook whose one cell shows companion.draw_view.DrawDigit();
  page      docs/draw_digit.html opened from disk (no server).
In each, the mouse draws digits in the drawing area: a press, then moves of 1.5 % of the area's side
along a zigzag, two strokes per digit, then the clear button. After each move the script waits until
its frame has been painted, pauses, and goes on. Each frame prepares the 28 x 28 input from every
stroke so far, runs both networks (SimpleConvNet: 30 filters over 24 x 24 positions, 4,320 x 100
weights) and paints the input, the probabilities and the 30 feature maps. Latency is measured in the
page, from the pointermove event's timeStamp (when Chromium received it) to
  draw   the end of the explorer's requestAnimationFrame callback (everything computed and drawn), and
  paint  the first task after that frame's rendering update: the frame is on screen.
Prints median, p95 (numpy's linear interpolation) and the maximum, and the load average.
"""

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

from tools import REPO
from tools.browser import LabSession, PageSession

PAGE = REPO / "docs" / "draw_digit.html"

INSTRUMENT_JS = """
(host) => {
    const lat = window.__drawLatency = {t0: null, draw: [], paint: []};
    // only moves with the button down draw; the press and the clear button draw frames of their own
    document.addEventListener("pointermove", (event) => {
        if (lat.t0 === null && event.buttons) lat.t0 = event.timeStamp;
    }, {capture: true});
    for (const name of ["pointerdown", "click"]) {
        document.addEventListener(name, () => { lat.t0 = null; }, {capture: true});
    }
    host.addEventListener("explorer-drawn", () => {
        if (lat.t0 === null) return;
        const t0 = lat.t0;
        lat.t0 = null;
        lat.draw.push(performance.now() - t0);
        const channel = new MessageChannel();
        channel.port1.onmessage = () => lat.paint.push(performance.now() - t0);
        channel.port2.postMessage(null);
    });
}
"""

NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "draw", "metadata": {}, "outputs": [],
               "source": "from companion.draw_view import DrawDigit\nDrawDigit()"}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def summary(values):
    v = np.asarray(values, dtype=float)
    return (f"median {np.median(v):6.1f} ms   p95 {np.percentile(v, 95):6.1f} ms   "
            f"max {v.max():6.1f} ms   ({v.size} frames)")


def zigzag(moves, step=0.015):
    """Points of one stroke, in units of the side: right and left across the area, moving down."""
    points, x, y, dx = [], 0.2, 0.2, step
    for _ in range(moves):
        x += dx
        if not 0.2 <= x <= 0.8:
            dx, x, y = -dx, x - 2 * dx, y + 0.05
        points.append((x, y))
    return points


def measure(page, digits, moves_per_stroke, warmup, pause):
    """(draw, paint) latencies of every counted pointer move (the first `warmup` moves not counted)."""
    host = page.locator(".draw-explorer").first
    host.wait_for(state="visible", timeout=60_000)
    host.scroll_into_view_if_needed()
    page.wait_for_function("() => !!document.querySelector('.draw-explorer').parentElement.explorerFrame")
    host.evaluate(f"(root) => ({INSTRUMENT_JS})(root.parentElement)")
    pad = page.locator(".draw-pad").first
    clear = page.locator(".draw-explorer button").first
    count = page.evaluate("() => window.__drawLatency.paint.length")

    def wait_for(n):
        page.wait_for_function(f"() => window.__drawLatency.paint.length >= {n}", timeout=10_000)

    moves = 0
    for _ in range(digits):
        for stroke in range(2):
            box = pad.bounding_box()
            points = [(x, y + 0.35 * stroke) for x, y in zigzag(moves_per_stroke)]
            page.mouse.move(box["x"] + 0.2 * box["width"], box["y"] + (0.2 + 0.35 * stroke) * box["height"])
            page.mouse.down()
            time.sleep(pause)
            for x, y in points:
                page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
                count += 1
                moves += 1
                wait_for(count)
                time.sleep(pause)
            page.mouse.up()
        clear.click()
        time.sleep(0.2)
    time.sleep(0.2)
    log = page.evaluate("() => window.__drawLatency")
    if len(log["paint"]) != moves:
        raise RuntimeError(f"{len(log['paint'])} painted frames for {moves} pointer moves")
    return log["draw"][warmup:], log["paint"][warmup:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=3, help="digits drawn per host (two strokes each)")
    parser.add_argument("--moves", type=int, default=40, help="pointer moves per stroke")
    parser.add_argument("--warmup", type=int, default=5, help="first moves not counted")
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between moves")
    parser.add_argument("--only", choices=["notebook", "page"], help="measure one host only")
    args = parser.parse_args()

    load_before = os.getloadavg()
    started = time.monotonic()
    runs, chromium = {}, None
    counts = (args.digits, args.moves, args.warmup, args.pause)
    if args.only != "page":
        with tempfile.TemporaryDirectory(prefix="draw-bench-") as tmp:
            notebook = Path(tmp) / "draw_digit_bench.ipynb"
            notebook.write_text(json.dumps(NOTEBOOK))
            with LabSession(notebook) as lab:
                lab.run_all()
                runs["notebook widget in JupyterLab"] = measure(lab.page, *counts)
                chromium = lab.browser.version
    if args.only != "notebook":
        with PageSession(PAGE) as session:
            runs["docs/draw_digit.html from disk"] = measure(session.page, *counts)
            chromium = session.browser.version
    load_after = os.getloadavg()

    from importlib.metadata import version

    print(f"date      {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"machine   {platform.machine()}, {os.cpu_count()} cores, {platform.platform(terse=True)}, "
          f"load average {load_before[0]:.1f} before / {load_after[0]:.1f} after")
    print(f"browser   headless Chromium {chromium}; JupyterLab {version('jupyterlab')}, "
          f"anywidget {version('anywidget')}")
    print(f"inputs    {args.digits} digits x 2 strokes x {args.moves} pointer moves, {args.pause} s apart, "
          f"first {args.warmup} not counted (whole run {time.monotonic() - started:.0f} s)")
    print()
    for name, (draw, paint) in runs.items():
        print(f"{name}:")
        print(f"  pointer move -> drawn    {summary(draw)}")
        print(f"  pointer move -> painted  {summary(paint)}")


if __name__ == "__main__":
    main()
