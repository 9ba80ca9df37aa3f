"""The bowl explorer in Python: its widget's state (companion.bowl_view) and figure (companion.bowl_figure).

What the browser computes and draws is checked in tests/browser/test_explorer_math.py and
tests/browser/test_browser_bowl.py (real Chromium); here the Python side: the opening settings of
each rule, the rules for changing them, the sentence under the figure, the pixels and the snapshot.
"""

import io

import numpy as np
import pytest
from PIL import Image

from common.optimizer import SGD, Momentum
from companion import bowl
from companion.bowl_figure import bowl_figure
from companion.bowl_view import BowlExplorer, describe_run


def decode(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


@pytest.mark.parametrize("name", list(bowl.OPTIMIZERS))
def test_each_rule_opens_with_its_own_settings(name):
    _, lr, second = bowl.OPTIMIZERS[name]
    explorer = BowlExplorer(name)
    assert (explorer.lr, explorer.beta) == (lr, None if second is None else second[1])
    assert explorer.steps == bowl.steps_to_minimum(bowl.make_optimizer(name, lr, explorer.beta))


def test_setting_the_rule_from_python_opens_it_with_its_settings_the_browser_sends_its_own():
    explorer = BowlExplorer("SGD", lr=0.5)
    assert explorer.steps == bowl.steps_to_minimum(SGD(lr=0.5)) == 173
    explorer.name = "Momentum"
    assert (explorer.lr, explorer.beta) == (0.1, 0.9)
    explorer.set_state({"name": "Adam", "lr": 0.2, "beta": 0.5})  # the menu, then the sliders
    assert (explorer.name, explorer.lr, explorer.beta) == ("Adam", 0.2, 0.5)
    explorer.set_state({"name": "SGD", "lr": 0.95, "beta": None})
    assert (explorer.name, explorer.lr, explorer.beta, explorer.steps) == ("SGD", 0.95, None, 89)


@pytest.mark.parametrize("settings, message", [
    ({"name": "Newton"}, "name must be one of"),
    ({"name": "SGD", "beta": 0.5}, "beta of SGD must be None"),
    ({"name": "Momentum", "beta": 1.0}, r"beta of Momentum must be its momentum, a number in \[0, 1\)"),
    ({"name": "Adam", "lr": 0.0}, "lr must be a finite number > 0"),
    ({"name": "Adam", "lr": float("nan")}, "lr must be a finite number > 0"),
])
def test_bad_settings_raise_an_error_naming_them(settings, message):
    with pytest.raises(ValueError, match=f"BowlExplorer: {message}"):
        BowlExplorer(**settings)


def test_a_rule_with_a_second_setting_refuses_none_for_it():
    explorer = BowlExplorer("Momentum")
    with pytest.raises(ValueError, match="BowlExplorer: beta of Momentum must be its momentum"):
        explorer.beta = None
    assert explorer.beta == 0.9


def test_the_sentence_for_each_ending():
    near = bowl.descend(Momentum(lr=0.1, momentum=0.9), bowl.MAX_STEPS, stop_within=bowl.TOLERANCE)
    assert describe_run("Momentum", 0.1, 0.9, near) == (
        "Momentum (lr = 0.1, momentum = 0.9) gets within 0.001 of the minimum after 160 steps.")
    far = bowl.descend(SGD(lr=1.5), bowl.MAX_STEPS, stop_within=bowl.TOLERANCE)
    assert describe_run("SGD", 1.5, None, far) == (
        f"SGD (lr = 1.5) diverges: after {len(far) - 1} steps it is more than 1e+06 away from the minimum.")
    slow = bowl.descend(SGD(lr=0.01), bowl.MAX_STEPS, stop_within=bowl.TOLERANCE)
    end = np.hypot(*slow[-1])
    assert describe_run("SGD", 0.01, None, slow) == (
        f"SGD (lr = 0.01) is not within 0.001 of the minimum after 1000 steps (it ends {end:.3g} away).")


def test_the_pixels_are_matplotlibs_and_the_snapshot_adds_only_the_path():
    explorer = BowlExplorer("SGD")
    fig = bowl_figure()
    display = fig.ax.transData.transform(explorer.path)
    pixels = explorer.pixels()
    np.testing.assert_allclose(pixels[:, 0], display[:, 0], atol=0.051)
    np.testing.assert_allclose(pixels[:, 1], fig.fig.bbox.height - display[:, 1], atol=0.051)
    background, snapshot = decode(fig.background_png), decode(explorer.snapshot_png())
    differs = (background != snapshot).any(axis=2)
    assert differs.mean() > 0.002
    left, top, width, height = fig.map["clip"]
    inside = np.zeros_like(differs)
    inside[int(top) - 3:int(top + height) + 4, int(left) - 3:int(left + width) + 4] = True
    assert not (differs & ~inside).any()


def test_before_the_kernel_runs_the_cell_says_what_it_will_show():
    bundle = BowlExplorer()._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["text/plain"].startswith("The bowl explorer: run this notebook in Jupyter")
    assert "application/vnd.jupyter.widget-view+json" in data



def test_the_chinese_explorer_says_in_chinese_what_the_english_says_with_the_same_numbers():
    import re

    numbers = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
    for name, lr in (("SGD", 0.95), ("SGD", 1.05), ("Momentum", 0.01), ("Adam", 0.3)):
        en, zh = BowlExplorer(name, lr=lr, lang="en"), BowlExplorer(name, lr=lr, lang="zh")
        assert numbers.findall(en.describe()) == numbers.findall(zh.describe()), zh.describe()
        assert re.search(r"[\u4e00-\u9fff]", zh.describe()) and zh.words["lr"] == "学习率"
    assert BowlExplorer(lang="zh").figure["alt"].startswith("碗")
