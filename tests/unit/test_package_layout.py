"""The two packages keep their contract: `common` is numpy only and never imports the teaching package;
in `companion`, the math modules never import a view (matplotlib, ipywidgets, anywidget)."""

import pkgutil
import subprocess
import sys

import pytest

import common
import companion
from tools import REPO

VIEW_PACKAGES = ("matplotlib", "ipywidgets", "anywidget", "IPython", "companion")
# companion's views: each imports matplotlib or anywidget on purpose
COMPANION_VIEWS = {"plotting", "graph_draw"}


def modules_of(package):
    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))


def imported_after(module):
    """Top-level packages a fresh interpreter has loaded after importing `module` (and nothing else)."""
    code = (f"import sys, {module}; "
            "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))")
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return set(run.stdout.split())


@pytest.mark.parametrize("name", modules_of(common))
def test_common_imports_numpy_and_nothing_of_the_notebooks(name):
    loaded = imported_after(f"common.{name}")
    assert not loaded & set(VIEW_PACKAGES), f"common.{name} pulls in {sorted(loaded & set(VIEW_PACKAGES))}"


def is_view(name):
    return name in COMPANION_VIEWS or name.endswith(("_view", "_widget", "_figure", "_page"))


@pytest.mark.parametrize("name", [n for n in modules_of(companion) if not is_view(n)])
def test_companion_math_never_imports_a_view(name):
    loaded = imported_after(f"companion.{name}")
    views = {"matplotlib", "ipywidgets", "anywidget"}
    assert not loaded & views, f"companion.{name} pulls in {sorted(loaded & views)}"


def test_the_layout_test_sees_both_packages():
    # guards the parametrisations above against an empty package list
    assert {"functions", "layers", "optimizer", "trainer"} <= set(modules_of(common))
    assert {"towers", "bowl", "graph", "plotting"} <= set(modules_of(companion))
