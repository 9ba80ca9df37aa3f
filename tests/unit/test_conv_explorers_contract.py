"""The contract (a wrong kind of input raises TypeError, a wrong value or shape ValueError, the message
naming the function or class and the parameter) for every public name of the convolution explorers'
modules. CASES has the layout of tests/unit/test_contract.py's table on main, so that its entries can
join it there; test_every_public_name_has_a_case walks these modules for names without one, as that
test does (functions behind functools.cache, such as load_convnet, are not plain functions to it)."""

import importlib
import inspect
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from companion import digit_nets, digit_prep, draw_figure, draw_view, filter_figure, filter_view  # noqa: E402

MODULES = ("digit_prep", "digit_nets", "draw_view", "draw_figure", "filter_view", "filter_figure")
IMAGE = np.zeros((28, 28))

CASES = {
    "companion.digit_prep.scale_and_place": (lambda: digit_prep.scale_and_place("7"), TypeError,
                                             r"scale_and_place: strokes must be a list"),
    "companion.digit_prep.coverage": (lambda: digit_prep.coverage([[(1, 2, 3)]]), ValueError,
                                      r"coverage: placed\[0\]"),
    "companion.digit_prep.centring_shift": (lambda: digit_prep.centring_shift(np.zeros((3, 3))), ValueError,
                                            r"centring_shift: image must be 28 x 28"),
    "companion.digit_prep.shift_image": (lambda: digit_prep.shift_image(IMAGE, 1.5, 0), TypeError,
                                         r"shift_image: dx must be a whole number"),
    "companion.digit_prep.prepare": (lambda: digit_prep.prepare([], shift=(1,)), TypeError,
                                     r"prepare: shift"),
    "companion.digit_nets.load_mlp": (lambda: digit_nets.load_mlp(3), TypeError, r"load_mlp\(\) takes 0"),
    "companion.digit_nets.mlp_forward": (lambda: digit_nets.mlp_forward(digit_nets.load_mlp(), np.zeros(5)),
                                         ValueError, r"mlp_forward: images must be"),
    "companion.digit_nets.convnet_forward": (lambda: digit_nets.convnet_forward([], IMAGE), TypeError,
                                             r"convnet_forward: params must be a dict"),
    "companion.digit_nets.encode": (lambda: digit_nets.encode([1.0]), TypeError, r"encode: params must be"),
    "companion.digit_nets.digit_image": (lambda: digit_nets.digit_image(IMAGE), TypeError,
                                         r"digit_image: pixels must be bytes"),
    "companion.draw_view.strings": (lambda: draw_view.strings("fr"), ValueError, r"strings: lang must be"),
    "companion.draw_view.esm_source": (lambda: draw_view.esm_source(3), TypeError,
                                       r"esm_source\(\) takes 0"),
    "companion.draw_view.css_source": (lambda: draw_view.css_source(3), TypeError, r"css_source\(\) takes 0"),
    "companion.draw_view.initial_state": (lambda: draw_view.initial_state(100), ValueError,
                                          r"initial_state: digit must be -1"),
    "companion.draw_view.input_image": (lambda: draw_view.input_image([], [0, 0], "7"), TypeError,
                                        r"input_image: digit must be a whole number"),
    "companion.draw_view.describe_state": (lambda: draw_view.describe_state("de", [], [0, 0], 0), ValueError,
                                           r"describe_state: lang must be"),
    "companion.draw_view.percent": (lambda: draw_view.percent(1.5), ValueError, r"percent: p must be"),
    "companion.draw_view.DrawDigit": (lambda: draw_view.DrawDigit(lang="fr"), ValueError,
                                      r"DrawDigit: lang must be"),
    "companion.draw_view.standalone_page": (lambda: draw_view.standalone_page("fr"), ValueError,
                                            r"standalone_page: lang must be"),
    "companion.draw_figure.snapshot": (lambda: draw_figure.snapshot(IMAGE, np.zeros(9), np.zeros(10),
                                                                    np.zeros((30, 12, 12)), {}),
                                       ValueError, r"snapshot: image must be \(28, 28\), mlp"),
    "companion.filter_view.strings": (lambda: filter_view.strings(None), ValueError,
                                      r"strings: lang must be"),
    "companion.filter_view.esm_source": (lambda: filter_view.esm_source(3), TypeError,
                                         r"esm_source\(\) takes 0"),
    "companion.filter_view.css_source": (lambda: filter_view.css_source(3), TypeError,
                                         r"css_source\(\) takes 0"),
    "companion.filter_view.edge_filter": (lambda: filter_view.edge_filter("diagonal", 3), ValueError,
                                          r"edge_filter: kind must be"),
    "companion.filter_view.filter_names": (lambda: filter_view.filter_names(3), TypeError,
                                           r"filter_names\(\) takes 0"),
    "companion.filter_view.filter_weights": (lambda: filter_view.filter_weights("vertical", 9), ValueError,
                                             r"filter_weights: size must be 2 to 7"),
    "companion.filter_view.initial_state": (lambda: filter_view.initial_state(3), TypeError,
                                            r"initial_state\(\) takes 0"),
    "companion.filter_view.output_size": (lambda: filter_view.output_size(3, 0, 0), ValueError,
                                          r"output_size: stride must be at least 1"),
    "companion.filter_view.formula_text": (lambda: filter_view.formula_text("en", 3, 1, 0), TypeError,
                                           r"formula_text: t must be"),
    "companion.filter_view.SlideFilter": (lambda: filter_view.SlideFilter(pad=7), ValueError,
                                          r"SlideFilter: pad must be 0 to 3"),
    "companion.filter_view.standalone_page": (lambda: filter_view.standalone_page("fr"), ValueError,
                                              r"standalone_page: lang must be"),
    "companion.filter_figure.snapshot": (lambda: filter_figure.snapshot(IMAGE, np.ones((3, 3)), 1, 0, 900,
                                                                        np.zeros((26, 26)), {}),
                                         ValueError, r"snapshot: row must be"),
}


def public_names():
    names = set()
    for name in MODULES:
        module = importlib.import_module(f"companion.{name}")
        for attr, obj in vars(module).items():
            if attr.startswith("_") or not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            if obj.__module__ == module.__name__:
                names.add(f"{module.__name__}.{attr}")
    return names


def test_every_public_name_has_a_case():
    names = public_names()
    assert len(names) > 30
    assert sorted(names - CASES.keys()) == []
    assert sorted(CASES.keys() - names) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_raises_the_contracts_error_naming_it(name):
    call, error, pattern = CASES[name]
    with pytest.raises(error) as caught:
        call()
    assert type(caught.value) is error
    assert re.search(pattern, str(caught.value)), str(caught.value)
    plt.close("all")
