"""Slider -> figure latency of chapter 7's tower explorer, measured in the browser.

    .venv/bin/python bench/slider_latency.py            # 30 moves per slider, w and N
    .venv/bin/python bench/slider_latency.py --moves 50

Starts JupyterLab (a temporary copy of notebooks/07_universal_approximation.ipynb), opens it in
headless Chromium (Debian's /usr/bin/chromium via Playwright), runs all cells, then presses an arrow
key on a slider handle, waits until the explorer's figure has changed and the kernel is idle, pauses,
and repeats. Each latency is measured inside the page, from the keydown event to
  update  the page has put the new lines (the explorer's SVG layer) into the document, and
  paint   the first task after the next rendering update: the new lines are on screen.
The kernel's own timing of each callback (TowerExplorer.timings) splits the wall time into
browser -> kernel, the kernel's work, and kernel -> new figure in the page.
Prints median and p95 (numpy's linear-interpolation percentile) per slider and for all moves.

JupyterLab runs with the project's server setting from .venv/etc/jupyter (installed by `make`, see
tools/jupyter_server_config.py): busy/idle reports that answer widget messages are ignored. With
--busy-reports it runs with jupyter_server's stock setting instead, for comparison.
"""

import argparse
import datetime
import importlib.util
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "07_universal_approximation.ipynb"


def _load_driver():
    # The browser driver is shared with tests/test_browser.py; load it by path (no sys.path edits).
    spec = importlib.util.spec_from_file_location("lab_browser", REPO / "tests" / "lab_browser.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def summary(values):
    v = np.asarray(values, dtype=float)
    return f"median {np.median(v):6.1f} ms   p95 {np.percentile(v, 95):6.1f} ms   max {v.max():6.1f} ms"


def kernel_timings(lab):
    """TowerExplorer.timings from the kernel: (wall-clock start, duration) in s per frame drawn."""
    return json.loads(lab.kernel_print("import json; print(json.dumps(list(explorer.timings)))"))


def measure(lab, label, moves, pause):
    """`moves` alternating right/left presses on one slider; per-move page and kernel timings."""
    handle = lab.slider(label)
    log_before = lab.latency_log()
    n_before = len(log_before["update"])
    kernel_before = len(kernel_timings(lab))
    for i in range(moves):
        lab.press(handle, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
        lab.wait_idle()
        time.sleep(pause)
    log = lab.latency_log()
    timings = kernel_timings(lab)[kernel_before:]
    if len(timings) != moves:
        raise RuntimeError(f"{label}: {len(timings)} kernel callbacks for {moves} moves")
    keys = np.array(log["keys"][-moves:])
    updates = np.array(log["updates"][n_before:])
    starts = np.array([t[0] for t in timings]) * 1e3
    work = np.array([t[1] for t in timings]) * 1e3
    return {
        "update": log["update"][n_before:],
        "paint": log["paint"][n_before:],
        "to_kernel": starts - keys,
        "kernel": work,
        "from_kernel": updates - (starts + work),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=30, help="moves per slider (at least 20)")
    parser.add_argument("--pause", type=float, default=0.15, help="seconds between moves")
    parser.add_argument("--warmup", type=int, default=4, help="moves per slider not counted")
    parser.add_argument("--busy-reports", action="store_true",
                        help="jupyter_server's stock untracked_message_types: JupyterLab re-renders its "
                             "busy/idle indicators for every widget message")
    args = parser.parse_args()
    if args.moves < 20:
        parser.error("--moves must be at least 20")

    driver = _load_driver()
    load_before = os.getloadavg()
    started = time.monotonic()
    server_args = []
    if args.busy_reports:
        from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

        stock = MappingKernelManager.class_traits()["untracked_message_types"].default()
        server_args = [f"--MappingKernelManager.untracked_message_types={t}" for t in stock]
    with driver.LabSession(NOTEBOOK, server_args=server_args) as lab:
        lab.run_all()
        widget_traffic_untracked = "comm_msg" in lab.untracked_message_types()
        if widget_traffic_untracked == args.busy_reports:
            raise SystemExit("the server setting is not what was asked for: run `make` first "
                             "(it installs tools/jupyter_server_config.py into .venv)")
        lab.explorer()
        lab.instrument()
        results = {}
        for label in ("steepness w", "towers N"):
            measure(lab, label, args.warmup, args.pause)
            results[label.split()[-1]] = measure(lab, label, args.moves, args.pause)
        chromium = lab.browser.version
    load_after = os.getloadavg()

    print(f"date      {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"machine   {platform.machine()}, {os.cpu_count()} cores, {platform.platform(terse=True)}, "
          f"load average {load_before[0]:.1f} before / {load_after[0]:.1f} after")
    print(f"browser   headless Chromium {chromium}; JupyterLab {_version('jupyterlab')}, "
          f"ipywidgets {_version('ipywidgets')}")
    print("server    busy/idle reports for widget messages "
          + ("ignored (the project's setting)" if widget_traffic_untracked else "shown (stock setting)"))
    print(f"moves     {args.moves} per slider after {args.warmup} warm-up moves, {args.pause} s apart "
          f"(whole run {time.monotonic() - started:.0f} s)")
    print()
    every = {key: np.concatenate([np.asarray(r[key]) for r in results.values()]) for key in results["w"]}
    for label, r in [*results.items(), ("all", every)]:
        print(f"{'slider ' + label if label != 'all' else 'both sliders'}: {len(r['update'])} moves")
        print(f"  keydown -> new figure in the page {summary(r['update'])}")
        print(f"  keydown -> new figure painted     {summary(r['paint'])}")
        print(f"    browser -> kernel callback      {summary(r['to_kernel'])}")
        print(f"    kernel callback (math + SVG)    {summary(r['kernel'])}")
        print(f"    callback end -> figure in page  {summary(r['from_kernel'])}")


def _version(package):
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    main()
