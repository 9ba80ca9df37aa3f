"""Input -> painted frame latency of the explorers (notebooks 07 and 09), measured inside headless Chromium.

    .venv/bin/python -m bench.slider_latency                  # both explorers, every host
    .venv/bin/python -m bench.slider_latency --only bowl      # one of notebook, page, bowl
    .venv/bin/python -m bench.slider_latency --moves 100      # more moves per slider and drag
    .venv/bin/python -m bench.slider_latency --busy-reports   # JupyterLab with jupyter_server's stock setting

Run from the repository's root (`-m`: the browser driver tools.browser, shared with the browser tests,
is imported from there). Three hosts:
  notebook  the tower explorer (companion/static/towers_widget.js) in JupyterLab running a temporary
            copy of notebooks/07_universal_approximation.ipynb (all cells run, then the widget driven);
  page      the same explorer in docs/explorer.html opened from disk (no server);
  bowl      the bowl explorer (companion/static/bowl_widget.js) in JupyterLab running a temporary copy
            of notebooks/09_learning_techniques.ipynb.
For the towers, arrow keys are pressed on the "steepness w" and "towers N" slider handles (alternating
right and left), and a tower top is dragged up and down with the mouse, one pointer move at a time; for
the bowl, arrow keys on the "learning rate" slider with SGD (paths of about 90 steps) and on the
"momentum" slider with Momentum (about 160 steps). After each input the script waits until its frame
has been painted, pauses, and goes on. Each latency is
measured in the page, from the input event's timeStamp (when Chromium received the key press or the
pointer move) to
  draw   the explorer has drawn the frame (the end of its requestAnimationFrame callback), and
  paint  the first task after that frame's rendering update: the frame is on screen.
Prints median and p95 (numpy's linear-interpolation percentile) and the maximum per input kind.
"""

import argparse
import os
import platform
import time

import numpy as np

from companion.towers_figure import figure_spec  # the pixel maps the explorer draws with, in every host
from tools import REPO
from tools.browser import LabSession, PageSession

NOTEBOOK = REPO / "notebooks" / "07_universal_approximation.ipynb"
BOWL_NOTEBOOK = REPO / "notebooks" / "09_learning_techniques.ipynb"
PAGE = REPO / "docs" / "explorer.html"


def summary(values):
    v = np.asarray(values, dtype=float)
    return (f"median {np.median(v):6.1f} ms   p95 {np.percentile(v, 95):6.1f} ms   "
            f"max {v.max():6.1f} ms   ({v.size} frames)")


def recorder(ex, moves, warmup, pause):
    """record(name, actions): do the actions, `pause` s apart, and keep the (draw, paint) latencies of
    all but the first `warmup` in `results[name]`."""
    ex.instrument()
    results = {}

    def record(name, actions):
        for i, act in enumerate(actions):
            if i == warmup:
                start = len(ex.latency_log()["paint"])
            act()
            time.sleep(pause)
        time.sleep(0.2)  # the last paint is recorded a moment after the frame
        log = ex.latency_log()
        results[name] = (log["draw"][start:], log["paint"][start:])
        if len(results[name][1]) != moves:
            raise RuntimeError(f"{name}: {len(results[name][1])} frames for {moves} inputs")

    return record, results


def keys(count):
    return ["ArrowRight" if i % 2 == 0 else "ArrowLeft" for i in range(count)]


def measure(ex, page, moves, warmup, pause, most_towers=False):
    """The tower explorer: per input kind, the (draw, paint) latencies of `moves` inputs after `warmup`
    uncounted ones. most_towers: first move N to 100 (End on its slider), the most work per frame."""
    if most_towers:
        ex.press(ex.slider("towers N"), "End")
        ex.press(ex.slider("towers N"), "ArrowLeft")  # 99: the N moves go 99 -> 100 -> 99 ...
    record, results = recorder(ex, moves, warmup, pause)
    for label in ("steepness w", "towers N"):
        handle = ex.slider(label)
        presses = [lambda k=k, h=handle: ex.press(h, k) for k in keys(warmup + moves)]
        record(f"slider {label.split()[-1]}", presses)

    # drag the top of the selected tower (tower 5) up by 60 px and back, 3 px a move: more
    # than two height steps of 0.01 (1.2 px each), so that every move changes the height
    frame = ex.frame()
    k = frame["state"]["selected"]
    fig = figure_spec()
    x = fig["main"]["sx"] * (k + 0.5) / frame["state"]["n"] + fig["main"]["ox"]
    y = fig["main"]["sy"] * frame["state"]["heights"][k] + fig["main"]["oy"]
    page.mouse.move(*ex.canvas_point(x, y))
    page.mouse.down()
    offsets = [3.0 * (i % 20 if (i // 20) % 2 == 0 else 20 - i % 20) for i in range(1, warmup + moves + 1)]
    record("drag a tower top", [lambda dy=dy: ex.pointer_move(x, y - dy) for dy in offsets])  # upwards
    page.mouse.up()
    return results


def measure_bowl(ex, moves, warmup, pause):
    """The bowl explorer: the learning rate (SGD), then the momentum (Momentum), as `measure`."""
    record, results = recorder(ex, moves, warmup, pause)
    handle = ex.slider("learning rate")
    record("slider lr (SGD)", [lambda k=k: ex.press(handle, k) for k in keys(warmup + moves)])
    ex.after(lambda: ex.root.locator("select").select_option("Momentum"), "the menu")
    handle = ex.slider("momentum")
    record("slider momentum", [lambda k=k: ex.press(handle, k) for k in keys(warmup + moves)])
    return results


def report(name, results):
    print(f"{name}:")
    for kind, (draw, paint) in results.items():
        print(f"  {kind:17s} input -> drawn    {summary(draw)}")
        print(f"  {'':17s} input -> painted  {summary(paint)}")


def server_setting(lab):
    ignored = "comm_msg" in lab.untracked_message_types()
    return "busy/idle reports for widget messages " + (
        "ignored (tools/jupyter_server_config.py)" if ignored else "shown (the stock setting)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=60, help="counted inputs per slider and drag (>= 50)")
    parser.add_argument("--warmup", type=int, default=5, help="inputs per slider and drag not counted")
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between inputs")
    parser.add_argument("--only", choices=["notebook", "page", "bowl"], help="measure one host only")
    parser.add_argument("--most-towers", action="store_true",
                        help="measure at N = 99-100 towers (the most work per frame) instead of 10-11")
    parser.add_argument("--busy-reports", action="store_true",
                        help="jupyter_server's stock untracked_message_types: JupyterLab re-renders its "
                             "busy/idle indicators for every widget message")
    args = parser.parse_args()
    if args.moves < 50:
        parser.error("--moves must be at least 50")

    load_before = os.getloadavg()
    started = time.monotonic()
    runs, chromium, setting = {}, None, None
    server_args = []
    if args.busy_reports:
        from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

        stock = MappingKernelManager.class_traits()["untracked_message_types"].default()
        server_args = [f"--MappingKernelManager.untracked_message_types={t}" for t in stock]
    if args.only in (None, "notebook"):
        with LabSession(NOTEBOOK, server_args=server_args) as lab:
            lab.run_all()
            setting = server_setting(lab)
            ex = lab.explorer()
            runs["notebook widget in JupyterLab"] = measure(ex, lab.page, args.moves, args.warmup, args.pause,
                                                            args.most_towers)
            chromium = lab.browser.version
    if args.only in (None, "page"):
        with PageSession(PAGE) as session:
            ex = session.explorer()
            runs["docs/explorer.html from disk"] = measure(ex, session.page, args.moves, args.warmup,
                                                           args.pause, args.most_towers)
            chromium = session.browser.version
    if args.only in (None, "bowl"):
        with LabSession(BOWL_NOTEBOOK, server_args=server_args) as lab:
            lab.run_all(timeout=150)
            setting = server_setting(lab)
            ex = lab.explorer(root=".bowl-explorer")
            runs["bowl explorer in JupyterLab"] = measure_bowl(ex, args.moves, args.warmup, args.pause)
            chromium = lab.browser.version
    load_after = os.getloadavg()

    from importlib.metadata import version

    print(f"date      {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"machine   {platform.machine()}, {os.cpu_count()} cores, {platform.platform(terse=True)}, "
          f"load average {load_before[0]:.1f} before / {load_after[0]:.1f} after")
    print(f"browser   headless Chromium {chromium}; JupyterLab {version('jupyterlab')}, "
          f"anywidget {version('anywidget')}")
    if setting:
        print(f"server    {setting}")
    print(f"towers    N = {'99-100' if args.most_towers else '10-11'} (the N slider's moves)")
    print(f"inputs    {args.moves} per slider and drag after {args.warmup} warm-up inputs, "
          f"{args.pause} s apart (whole run {time.monotonic() - started:.0f} s)")
    print()
    for name, results in runs.items():
        report(name, results)


if __name__ == "__main__":
    main()
