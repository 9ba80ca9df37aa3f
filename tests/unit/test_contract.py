"""One contract for every public class and function of `common` and `companion`.

The wrong kind of input raises TypeError, a wrong value or shape ValueError, and the message names
the function (or class) and the parameter. CASES holds at least one bad input for each public name,
with the error it must raise and a pattern its message must contain; test_every_public_name_has_a_case
finds the public names by walking both packages, so a new public name without a case fails here.
(tests/test_bad_input.py walks the borderline cases of `common` in depth; this table is the census.)
"""

import importlib
import inspect
import pkgutil
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import common  # noqa: E402
import companion  # noqa: E402
from common import functions as F  # noqa: E402
from common import gradient as G  # noqa: E402
from common import layers as L  # noqa: E402
from common import optimizer as O  # noqa: E402
from common import training as TR  # noqa: E402
from common import util as U  # noqa: E402
from common.deep_convnet import DeepConvNet  # noqa: E402
from common.multi_layer_net import MultiLayerNet  # noqa: E402
from common.multi_layer_net_extend import MultiLayerNetExtend  # noqa: E402
from common.simple_convnet import SimpleConvNet  # noqa: E402
from common.trainer import Trainer  # noqa: E402
from common.two_layer_net import TwoLayerNet  # noqa: E402
from companion import (  # noqa: E402
    assets,
    augment,  # noqa: E402
    bowl,
    bowl_figure,
    bowl_view,
    digit_nets,
    digit_prep,
    draw_figure,
    draw_view,
    filter_figure,
    filter_view,
    graph,
    graph_draw,
    measure,
    perceptron,
    plotting,
    symbolic,
)
from companion import explorer_page as EP  # noqa: E402
from companion import explorer_widget as EW  # noqa: E402
from companion import language as LG  # noqa: E402
from companion import three_layer_net as TL  # noqa: E402
from companion import towers as T  # noqa: E402
from companion import towers_figure as TF  # noqa: E402
from companion import towers_view as TV  # noqa: E402

X = np.ones((2, 4))
IMAGE = np.zeros((28, 28))
LABELS = np.array([0, 1])


def net():
    return TwoLayerNet(4, 3, 2, seed=0)


def after_forward(layer, x):
    layer.forward(x)
    return layer


# name -> (call with a bad input, error, pattern the message must contain: the function and parameter)
CASES = {
    # common.functions
    "common.functions.step_function": (lambda: F.step_function("a"), TypeError, r"step_function: x"),
    "common.functions.sigmoid": (lambda: F.sigmoid(None), TypeError, r"sigmoid: x"),
    "common.functions.sigmoid_grad": (lambda: F.sigmoid_grad("a"), TypeError, r"sigmoid_grad: x"),
    "common.functions.relu": (lambda: F.relu(1j), TypeError, r"relu: x"),
    "common.functions.relu_grad": (lambda: F.relu_grad([np.nan]), ValueError, r"relu_grad: x contains NaN"),
    "common.functions.tanh": (lambda: F.tanh("a"), TypeError, r"tanh: x"),
    "common.functions.tanh_grad": (lambda: F.tanh_grad("a"), TypeError, r"tanh_grad: x"),
    "common.functions.identity": (lambda: F.identity(None), TypeError, r"identity: x"),
    "common.functions.softmax": (lambda: F.softmax([0.0, np.inf]), ValueError, r"softmax: a contains \+inf"),
    "common.functions.log_softmax": (lambda: F.log_softmax(np.zeros((2, 0))), ValueError, r"log_softmax: a"),
    "common.functions.target_is_labels": (
        lambda: F.target_is_labels((2, 3), np.zeros((2, 3, 1))),
        ValueError,
        r"target shape",
    ),
    "common.functions.to_one_hot": (lambda: F.to_one_hot([0], 2.5), TypeError, r"to_one_hot: num_classes"),
    "common.functions.mean_squared_error": (
        lambda: F.mean_squared_error([0.5, np.inf], 0),
        ValueError,
        r"mean_squared_error: y and t must be finite",
    ),
    "common.functions.cross_entropy_error": (
        lambda: F.cross_entropy_error([0.2, 1.3], 0),
        ValueError,
        r"cross_entropy_error: probabilities y",
    ),
    "common.functions.softmax_cross_entropy": (
        lambda: F.softmax_cross_entropy([[0.0, 1.0]], [2]),
        ValueError,
        r"softmax_cross_entropy: label 2 is out of range",
    ),
    # common.gradient
    "common.gradient.numerical_diff": (lambda: G.numerical_diff(3, 0.0), TypeError, r"numerical_diff: f"),
    "common.gradient.numerical_gradient": (
        lambda: G.numerical_gradient(np.sum, [1.0]),
        TypeError,
        r"numerical_gradient: x",
    ),
    "common.gradient.relative_error": (
        lambda: G.relative_error([1.0], [1.0, 2.0]),
        ValueError,
        r"relative_error: shapes differ",
    ),
    "common.gradient.gradient_descent": (
        lambda: G.gradient_descent(np.sum, [1.0], step_num=2.0),
        TypeError,
        r"gradient_descent: step_num",
    ),
    # common.layers
    "common.layers.MulLayer": (lambda: L.MulLayer().forward(2.0, 3.0, 4.0), TypeError, r"forward\(\)"),
    "common.layers.AddLayer": (lambda: L.AddLayer().forward(2.0), TypeError, r"forward\(\) missing .* 'y'"),
    "common.layers.Relu": (lambda: L.Relu().forward("a"), TypeError, r"Relu.forward: x"),
    "common.layers.Sigmoid": (
        lambda: after_forward(L.Sigmoid(), [0.0]).backward("a"),
        TypeError,
        r"Sigmoid.backward: dout",
    ),
    "common.layers.Affine": (lambda: L.Affine([[1.0]], np.zeros(1)), TypeError, r"Affine: W must be"),
    "common.gradient.float64_gradients": (lambda: G.float64_gradients([1.0], lambda: 0.0), TypeError,
                                          r"float64_gradients: params must be a builtins.dict"),
    "common.deep_convnet.DeepConvNet": (lambda: DeepConvNet(hidden_size=2.5), TypeError,
                                        r"DeepConvNet: hidden_size must be an integer"),
    "companion.augment.shift_rotate": (
        lambda: augment.shift_rotate(np.ones((2, 4, 4)), [0.0], np.zeros((2, 2))),
        ValueError,
        r"shift_rotate: angles must be",
    ),
    "companion.augment.random_shift_rotate": (lambda: augment.random_shift_rotate(np.ones((2, 4, 4)), 7),
                                              TypeError, r"random_shift_rotate: rng must be"),
    "common.layers.Convolution": (
        lambda: L.Convolution(np.ones((2, 1, 3, 3)), np.zeros(2), stride=1.0),
        TypeError,
        r"Convolution: stride must be an integer",
    ),
    "common.layers.Pooling": (
        lambda: L.Pooling(2, 2, stride=2).forward(np.ones((1, 1, 5, 5))),
        ValueError,
        r"Pooling: stride 2 does not fit",
    ),
    "common.layers.SoftmaxWithLoss": (
        lambda: L.SoftmaxWithLoss().forward(X[:, :2], [0.5, 1.0]),
        TypeError,
        r"SoftmaxWithLoss.forward: class labels must be integers",
    ),
    "common.layers.SigmoidWithLoss": (
        lambda: L.SigmoidWithLoss().forward([0.0], [2.0]),
        ValueError,
        r"SigmoidWithLoss.forward: targets t must lie in \[0, 1\]",
    ),
    "common.layers.IdentityWithLoss": (
        lambda: L.IdentityWithLoss().forward([0.0, 1.0], [[1.0, 2.0, 3.0]]),
        ValueError,
        r"IdentityWithLoss.forward: target shape",
    ),
    "common.layers.Dropout": (lambda: L.Dropout("0.5"), TypeError, r"Dropout: dropout_ratio must be a real"),
    "common.layers.BatchNormalization": (
        lambda: L.BatchNormalization(np.ones(3), [0.0, 0.0, 0.0]),
        TypeError,
        r"BatchNormalization: beta must be a float numpy array",
    ),
    # common's networks, optimizers, training
    "common.multi_layer_net.MultiLayerNet": (
        lambda: MultiLayerNet(4.5, [3], 2),
        TypeError,
        r"MultiLayerNet: input_size must be an integer",
    ),
    "common.multi_layer_net_extend.MultiLayerNetExtend": (
        lambda: MultiLayerNetExtend(4.5, [3], 2),
        TypeError,
        r"MultiLayerNetExtend: input_size must be an integer",
    ),
    "common.two_layer_net.TwoLayerNet": (
        lambda: TwoLayerNet(4, "3", 2),
        TypeError,
        r"TwoLayerNet: hidden_size must be an integer",
    ),
    "common.optimizer.Optimizer": (
        lambda: O.Optimizer(lr=None),
        TypeError,
        r"Optimizer: lr \(the learning rate\)",
    ),
    "common.optimizer.SGD": (lambda: O.SGD(lr="0.1"), TypeError, r"SGD: lr \(the learning rate\) must be"),
    "common.optimizer.Momentum": (
        lambda: O.Momentum(momentum=1.0),
        ValueError,
        r"Momentum: momentum must lie",
    ),
    "common.optimizer.Nesterov": (
        lambda: O.Nesterov().update({"W": np.ones(2)}, {"W": np.ones(3)}),
        ValueError,
        r"Nesterov.update: grads\['W'\] has shape",
    ),
    "common.optimizer.AdaGrad": (
        lambda: O.AdaGrad().update({"W": [1.0]}, {"W": [1.0]}),
        TypeError,
        r"AdaGrad.update: params\['W'\] must be",
    ),
    "common.optimizer.RMSprop": (lambda: O.RMSprop(decay_rate="0.9"), TypeError, r"RMSprop: decay_rate"),
    "common.optimizer.Adam": (lambda: O.Adam(beta2=-0.1), ValueError, r"Adam: beta2 must be"),
    "common.trainer.Trainer": (
        lambda: Trainer(net(), X, LABELS, X, LABELS, epochs=2.0),
        TypeError,
        r"Trainer: epochs must be an integer",
    ),
    "common.training.History": (lambda: TR.History(1, 2, 3, 4, 5), TypeError, r"History.__init__\(\)"),
    "common.training.train": (
        lambda: TR.train(net(), O.SGD(), (X, LABELS), steps=3.0),
        TypeError,
        r"train: steps must be an integer",
    ),
    "common.training.minibatches": (
        lambda: TR.minibatches(X, LABELS, 3),
        ValueError,
        r"minibatches: batch_size must be in 1..2",
    ),
    "common.training.sgd_step": (
        lambda: TR.sgd_step(net(), None, X, LABELS),
        TypeError,
        r"sgd_step: optimizer must have update",
    ),
    "common.util.smooth_curve": (lambda: U.smooth_curve([1.0]), ValueError, r"smooth_curve: x must be"),
    "common.util.shuffle_dataset": (
        lambda: U.shuffle_dataset(X, [0]),
        ValueError,
        r"shuffle_dataset: \(x, t\): 2 inputs but 1 targets",
    ),
    # companion's math
    "companion.bowl.f": (lambda: bowl.f("a", 1.0), TypeError, r"f: x must be"),
    "companion.bowl.grad": (lambda: bowl.grad(1.0, None), TypeError, r"grad: y must be"),
    "companion.bowl.descend": (lambda: bowl.descend(None), TypeError, r"descend: optimizer must have update"),
    "companion.bowl.steps_to_minimum": (
        lambda: bowl.steps_to_minimum(O.SGD(), max_steps=2.5),
        TypeError,
        r"steps_to_minimum: steps must be an integer",
    ),
    "companion.perceptron.perceptron": (
        lambda: perceptron.perceptron("1", 0, 0.5, 0.5, -0.7),
        TypeError,
        r"perceptron: x1",
    ),
    "companion.perceptron.AND": (lambda: perceptron.AND(1, "0"), TypeError, r"AND: x2"),
    "companion.perceptron.NAND": (lambda: perceptron.NAND(None, 0), TypeError, r"NAND: x1"),
    "companion.perceptron.OR": (lambda: perceptron.OR(0, "1"), TypeError, r"OR: x2"),
    "companion.three_layer_net.init_network": (
        lambda: TL.init_network(2),
        TypeError,
        r"init_network\(\) takes 0",
    ),
    "companion.three_layer_net.forward": (
        lambda: TL.forward({"W1": 1}, [1.0, 0.5]),
        TypeError,
        r"forward: network must be a dict",
    ),
    "common.simple_convnet.SimpleConvNet": (
        lambda: SimpleConvNet(input_dim=(1, 28, 28), conv_param={"filter_num": 30, "filter_size": "5",
                                                                   "pad": 0, "stride": 1}),
        TypeError,
        r"SimpleConvNet: conv_param\['filter_size'\] must be an integer",
    ),
    "common.util.im2col": (lambda: U.im2col(np.ones((1, 1, 4, 4)), 5, 5), ValueError,
                           r"im2col: filter_h 5 is larger than H 4"),
    "common.util.col2im": (lambda: U.col2im(np.ones((3, 4)), (1, 1, 3, 3), 2, 2), ValueError,
                           r"col2im: col must have shape"),
    "common.util.conv_output_size": (lambda: U.conv_output_size(28, 5, 2), ValueError,
                                     r"conv_output_size: stride 2 does not fit"),
    "companion.three_layer_net.accuracy": (
        lambda: TL.accuracy(TL.init_network(), np.ones((2, 2)), [0, 1], batch_size=0),
        ValueError,
        r"accuracy: batch_size",
    ),
    "companion.measure.CountingCalls": (lambda: measure.CountingCalls(3), TypeError, r"CountingCalls: fn"),
    "companion.measure.seconds_per_call": (
        lambda: measure.seconds_per_call(print, repeat=0),
        ValueError,
        r"seconds_per_call: repeat",
    ),
    "companion.symbolic.Expr": (lambda: symbolic.Expr("pow", ()), ValueError, r"Expr: op must be one of"),
    "companion.symbolic.const": (lambda: symbolic.const("a"), TypeError, r"const: value"),
    "companion.symbolic.var": (lambda: symbolic.var(1), TypeError, r"var: name must be"),
    "companion.symbolic.exp": (lambda: symbolic.exp("a"), TypeError, r"exp: e must be"),
    "companion.symbolic.as_expr": (lambda: symbolic.as_expr(None), TypeError, r"as_expr: x must be"),
    "companion.symbolic.diff": (lambda: symbolic.diff(symbolic.var("x"), "x"), TypeError, r"diff: "),
    "companion.symbolic.tree_size": (lambda: symbolic.tree_size("x"), TypeError, r"tree_size: e must be"),
    "companion.symbolic.dag_size": (lambda: symbolic.dag_size([1]), TypeError, r"dag_size: e must be"),
    "companion.symbolic.evaluate": (
        lambda: symbolic.evaluate(symbolic.var("x")),
        ValueError,
        r"evaluate: no value for variable 'x'",
    ),
    "companion.symbolic.to_string": (lambda: symbolic.to_string(None), TypeError, r"to_string: e must be"),
    "companion.graph.format_value": (lambda: graph.format_value("a"), TypeError, r"format_value: v"),
    "companion.graph.Node": (lambda: graph.Node(), TypeError, r"Node.__init__\(\) missing"),
    "companion.graph.Graph": (lambda: graph.Graph().input("x", "abc"), TypeError, r"input 'x'"),
    "companion.graph.softmax_with_loss_graph": (
        lambda: graph.softmax_with_loss_graph([1.0], [1.0]),
        ValueError,
        r"softmax_with_loss_graph: scores and targets",
    ),
    "companion.graph_draw.layout": (lambda: graph_draw.layout(3), TypeError, r"layout: graph must be"),
    "companion.graph_draw.draw_graph": (lambda: graph_draw.draw_graph(None), TypeError, r"draw_graph: graph"),
    "companion.graph_draw.drawn_texts": (lambda: graph_draw.drawn_texts(3), TypeError, r"drawn_texts: ax"),
    "companion.graph_draw.layout_problems": (
        lambda: graph_draw.layout_problems(3),
        TypeError,
        r"layout_problems: ax",
    ),
    "companion.graph_draw.draw_checked": (
        lambda: graph_draw.draw_checked("g"),
        TypeError,
        r"draw_checked: graph",
    ),
    "companion.plotting.use_style": (lambda: plotting.use_style("dark"), ValueError, r"use_style: lang"),
    "companion.plotting.cjk_fonts": (lambda: plotting.cjk_fonts("zh"), TypeError, r"cjk_fonts\(\) takes 0"),
    # companion.language
    "companion.language.check_language": (lambda: LG.check_language(2, "f"), TypeError, r"f: lang"),
    "companion.language.set_language": (lambda: LG.set_language("fr"), ValueError, r"set_language: lang"),
    "companion.language.language": (lambda: LG.language("zh"), TypeError, r"language\(\) takes 0"),
    "companion.language.say": (lambda: LG.say("x", None), TypeError, r"say: english and chinese"),
    "companion.language.width": (lambda: LG.width(3), TypeError, r"width: text"),
    "companion.language.ljust": (lambda: LG.ljust("x", 2.0), TypeError, r"ljust: columns"),
    "companion.language.rjust": (lambda: LG.rjust(7, 2), TypeError, r"rjust: text must be a string"),
    "companion.plotting.show": (lambda: plotting.show(plt.figure(), None), TypeError, r"show: alt must be"),
    "companion.plotting.pixel_map": (lambda: plotting.pixel_map(None), TypeError, r"pixel_map: ax"),
    # companion.towers
    "companion.towers.step_position": (lambda: T.step_position(0.0, 1.0), ValueError, r"w must be non-zero"),
    "companion.towers.ideal_step": (lambda: T.ideal_step("a", 0.5), TypeError, r"x must be an array"),
    "companion.towers.sigmoid_step": (
        lambda: T.sigmoid_step(0.1, 0.5, -2.0),
        ValueError,
        r"steepness w must be",
    ),
    "companion.towers.hard_sigmoid": (
        lambda: T.hard_sigmoid(0.1, "0.5", 2.0),
        TypeError,
        r"position must be",
    ),
    "companion.towers.step": (
        lambda: T.step(0.5, 0.5, 10.0, kind="tanh"),
        ValueError,
        r"kind must be one of",
    ),
    "companion.towers.tower": (
        lambda: T.tower(0.5, 0.5, 0.0, 1.0, 10.0),
        ValueError,
        r"tower: width must be",
    ),
    "companion.towers.tower_edges": (
        lambda: T.tower_edges("3"),
        TypeError,
        r"number of towers N must be an int",
    ),
    "companion.towers.tower_centres": (lambda: T.tower_centres(0), ValueError, r"number of towers N must be"),
    "companion.towers.tower_basis": (lambda: T.tower_basis([0.5], 2.5, 10.0), TypeError, r"towers N must be"),
    "companion.towers.tower_sum": (lambda: T.tower_sum([0.5], [], 10.0), ValueError, r"heights must be"),
    "companion.towers.as_network": (lambda: T.as_network([1.0], "w"), TypeError, r"steepness w must be"),
    "companion.towers.fit_heights": (lambda: T.fit_heights("cosine", 3), ValueError, r"unknown target"),
    "companion.towers.ApproxError": (lambda: T.ApproxError(1.0), TypeError, r"missing 1 .* 'mean_abs'"),
    "companion.towers.approximation_error": (
        lambda: T.approximation_error([1.0, 2.0], [1.0]),
        ValueError,
        r"approximation .* same shape",
    ),
    "companion.towers.fit_error": (lambda: T.fit_error("sin", "ab"), TypeError, r"heights must be an array"),
    "companion.towers.best_steepness": (
        lambda: T.best_steepness("sin", 3, "ab"),
        TypeError,
        r"best_steepness: ws",
    ),
    "companion.towers.Target": (lambda: T.Target("t", "x", 3), TypeError, r"Target: func must be callable"),
    "companion.towers.get_target": (lambda: T.get_target(3), TypeError, r"get_target: target must be"),
    # companion's explorers
    "companion.assets.convolution_page": (lambda: assets.convolution_page({}, "", "", "fr", {}), ValueError,
                                          r"convolution_page: lang must be one of"),
    "companion.assets.read": (lambda: assets.read("nope.js"), ValueError, r"read: name must be one of"),
    "companion.assets.source": (lambda: assets.source("nope.js"), ValueError, r"read: name must be one of"),
    "companion.bowl.make_optimizer": (
        lambda: bowl.make_optimizer("Newton", 0.1),
        ValueError,
        r"make_optimizer: name must be one of",
    ),
    "companion.bowl_figure.BowlFigure": (lambda: bowl_figure.BowlFigure(3), TypeError, r"BowlFigure: la"),
    "companion.bowl_figure.bowl_figure": (lambda: bowl_figure.bowl_figure(""), ValueError, r"bowl_figure:"),
    "companion.bowl_view.describe_run": (
        lambda: bowl_view.describe_run("Newton", 0.1, None, np.zeros((1, 2))),
        ValueError,
        r"describe_run: name must be one of",
    ),
    "companion.bowl_view.sent_once": (lambda: bowl_view.sent_once(3), TypeError, r"sent_once: lang must be"),
    "companion.bowl_view.BowlExplorer": (
        lambda: bowl_view.BowlExplorer("Newton"),
        ValueError,
        r"BowlExplorer: name must be one of",
    ),
    "companion.explorer_page.page_state": (lambda: EP.page_state(3), TypeError, r"page_state: lang must be"),
    "companion.explorer_page.standalone_page": (
        lambda: EP.standalone_page(3),
        TypeError,
        r"standalone_page: lang must be",
    ),
    "companion.explorer_widget.synced": (lambda: EW.synced(3), TypeError, r"synced: trait must be"),
    "companion.explorer_widget.ExplorerWidget": (
        lambda: EW.ExplorerWidget().set_state(3),
        TypeError,
        r"ExplorerWidget.set_state: sync_data must be a dict",
    ),
    "companion.towers_figure.tower_figure": (lambda: TF.tower_figure("fr"), ValueError, r"tower_figure: la"),
    "companion.towers_figure.figure_spec": (lambda: TF.figure_spec(3), TypeError, r"figure_spec: lang"),
    "companion.towers_figure.TowerFigure": (
        lambda: TF.TowerFigure(3),
        TypeError,
        r"TowerFigure: lang must be a string",
    ),
    "companion.towers_view.steepness_grid": (
        lambda: TV.steepness_grid(3),
        TypeError,
        r"steepness_grid\(\) takes 0",
    ),
    "companion.towers_view.format_w": (lambda: TV.format_w(), TypeError, r"format_w\(\) missing .* 'w'"),
    "companion.towers_view.describe_state": (
        lambda: TV.describe_state("x", 3, 10.0, "sigmoid", [1.0] * 3, 0.05, ""),
        ValueError,
        r"unknown target 'x'",
    ),
    "companion.towers_view.targets_js": (lambda: TV.targets_js(3), TypeError, r"targets_js\(\) takes 0"),
    "companion.towers_view.esm_source": (lambda: TV.esm_source(3), TypeError, r"esm_source\(\) takes 0"),
    "companion.towers_view.initial_state": (
        lambda: TV.initial_state(target="cosine"),
        ValueError,
        r"unknown target 'cosine'",
    ),
    "companion.towers_view.sent_once": (lambda: TV.sent_once("fr"), ValueError, r"sent_once: lang must be"),
    "companion.towers_view.TowerExplorer": (
        lambda: TV.TowerExplorer(target=3),
        TypeError,
        r"get_target: target",
    ),
    # the convolution explorers (draw a digit, slide a filter)
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
    """Every public class and function of common and companion: `package.module.name`, for names a
    public module defines or re-exports from the package's private modules (common._checks)."""
    names = set()
    for package in (common, companion):
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, obj in vars(module).items():
                if name.startswith("_") or not (inspect.isclass(obj) or inspect.isfunction(obj)):
                    continue
                home = getattr(obj, "__module__", "")
                if home == module.__name__ or home.startswith(f"{package.__name__}._"):
                    names.add(f"{module.__name__}.{name}")
    return names


def test_every_public_name_has_a_case():
    names = public_names()
    assert len(names) > 100  # the walk found the packages
    assert sorted(names - CASES.keys()) == [], "public names without a bad-input case in CASES"
    assert sorted(CASES.keys() - names) == [], "cases for names that are not public any more"


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_raises_the_contracts_error_naming_it(name):
    call, error, pattern = CASES[name]
    with pytest.raises(error) as caught:
        call()
    assert type(caught.value) is error  # not a subclass standing in (numpy's UFuncTypeError)
    assert re.search(pattern, str(caught.value)), str(caught.value)
    plt.close("all")
