"""companion.graph and companion.graph_draw: the primer's numbers, gradients against numerical ones,
stable names and drawings, and clear errors."""

import subprocess
import sys

import matplotlib.colors
import matplotlib.pyplot as plt
import numpy as np
import pytest

from common.functions import relu_grad
from common.gradient import numerical_diff, numerical_gradient, relative_error
from companion.graph import Graph, format_value
from companion.graph_draw import (
    GRAD_COLOR,
    draw_checked,
    draw_graph,
    drawn_texts,
    layout,
    layout_problems,
)

TOL = 1e-6


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def apple_graph():
    g = Graph()
    apple, count, tax = g.input("apple", 100), g.input("count", 2), g.input("tax", 1.1)
    g.mul(g.mul(apple, count), tax, name="price")
    return g


def fruit_graph():
    g = Graph()
    apples = g.mul(g.input("apple", 100), g.input("n_apple", 2))
    oranges = g.mul(g.input("orange", 150), g.input("n_orange", 3))
    g.mul(g.add(apples, oranges), g.input("tax", 1.1), name="price")
    return g


# ------------------------------------------------------------------------- the primer's numbers


def test_apple_values_and_gradients():
    g = apple_graph()
    assert g.forward() == pytest.approx(220.0, rel=1e-12)
    assert g["mul1"].value == pytest.approx(200.0)
    grads = g.backward()
    assert grads["apple"] == pytest.approx(2.2, rel=1e-12)
    assert grads["count"] == pytest.approx(110.0, rel=1e-12)
    assert grads["tax"] == pytest.approx(200.0, rel=1e-12)
    assert g["mul1"].grad == pytest.approx(1.1)  # d price / d (apple price before tax)
    assert g["price"].grad == 1.0


def test_apples_and_oranges():
    g = fruit_graph()
    assert g.forward() == pytest.approx(715.0, rel=1e-12)
    g.backward()
    got = [g[n].grad for n in ("apple", "n_apple", "orange", "n_orange", "tax")]
    np.testing.assert_allclose(got, [2.2, 110, 3.3, 165, 650], rtol=1e-12)


def test_chain_rule_square_of_sum():
    g = Graph()
    g.square(g.add(g.input("x", 3.0), g.input("y", 4.0)), name="z")
    assert g.forward() == 49.0
    grads = g.backward()
    assert grads == {"x": 14.0, "y": 14.0}  # dz/dx = 2(x + y)


def test_sigmoid_graph_equals_sigmoid_node():
    g = Graph()
    x = g.input("x", 0.7)
    y = g.reciprocal(g.offset(g.exp(g.neg(x)), 1), name="y")
    g.sigmoid(x, name="s")
    g.forward()
    expected = 1 / (1 + np.exp(-0.7))
    assert y.value == pytest.approx(expected, rel=1e-15)
    assert g["s"].value == pytest.approx(expected, rel=1e-15)
    g.backward(y)
    assert x.grad == pytest.approx(expected * (1 - expected), rel=1e-12)
    g.backward("s")
    assert x.grad == pytest.approx(expected * (1 - expected), rel=1e-12)


def test_forward_mode_of_seed_001():
    """f(x; w, b) = 1 / (exp(-(wx + b)) + 1) at x = 1, w = 0, b = 0: the seed's tangent column."""
    g = Graph()
    x, w, b = g.input("x", 1.0), g.input("w", 0.0), g.input("b", 0.0)
    h1 = g.mul(w, x)
    h2 = g.add(h1, b)
    h3 = g.neg(h2)
    h4 = g.exp(h3)
    h5 = g.offset(h4, 1)
    h6 = g.reciprocal(h5)
    assert g.forward() == 0.5
    tangents = g.jvp("w")
    assert [tangents[h.name] for h in (h1, h2, h3, h4, h5, h6)] == [1, 1, -1, -1, -1, 0.25]
    assert g.jvp("b")[h6.name] == 0.25
    grads = g.backward()
    assert grads["w"] == 0.25 and grads["b"] == 0.25


# ------------------------------------------------------------------ gradients against numerics

_UNARY = ["neg", "exp", "log", "reciprocal", "square", "sigmoid", "relu", "scale", "offset", "pow"]
_BINARY = ["add", "mul", "divide", "add3"]


def _unary(g, op, a):
    """One unary step; operations with a limited domain get a safe operand (1 + a² > 0)."""
    if op == "exp":
        return g.exp(g.scale(g.sigmoid(a), 2.0))  # a bounded exponent
    if op == "log":
        return g.log(g.offset(g.square(a), 1.0))
    if op == "reciprocal":
        return g.reciprocal(g.offset(g.square(a), 1.0))
    if op == "relu":
        return g.relu(g.offset(a, 0.05))
    if op == "scale":
        return g.scale(a, -1.5)
    if op == "offset":
        return g.offset(a, 0.3)
    if op == "pow":
        return g.pow(g.offset(g.square(a), 0.5), 1.5)
    return getattr(g, op)(a)  # neg, square, sigmoid


def _binary(g, op, a, b, c):
    if op == "divide":
        return g.divide(a, g.offset(g.square(b), 1.0))
    if op == "add3":
        return g.add(a, b, c)
    return getattr(g, op)(a, b)  # add, mul


def random_graph(seed):
    """A random composite graph over array inputs x, y (shape (3,)) and a scalar z, ending in a
    scalar L that uses every operation node."""
    rng = np.random.default_rng(seed)
    g = Graph()
    pool = [g.input("x", rng.normal(size=3)), g.input("y", rng.normal(size=3)), g.input("z", rng.normal())]
    for _ in range(rng.integers(4, 10)):
        a, b, c = (pool[i] for i in rng.integers(len(pool), size=3))
        if rng.random() < 0.5:
            pool.append(_unary(g, _UNARY[rng.integers(len(_UNARY))], a))
        else:
            pool.append(_binary(g, _BINARY[rng.integers(len(_BINARY))], a, b, c))
    g.forward()  # to learn which nodes are arrays
    # L uses every operation node, so each input reaches L along many paths (branches must add up).
    g.add(*[g.sum(n) if np.ndim(n.value) else n for n in pool[3:]], pool[2], name="L")
    g.forward()
    return g


@pytest.mark.parametrize("seed", range(25))
def test_random_graph_gradients_match_numerical(seed):
    g = random_graph(seed)
    grads = g.backward()
    for name in ("x", "y"):
        value = np.array(g[name].value)
        numeric = numerical_gradient(lambda v, name=name: g.evaluate(**{name: v}), value)
        assert relative_error(grads[name], numeric) < TOL, name
    numeric_z = numerical_diff(lambda v: g.evaluate(z=v), g["z"].value)
    assert relative_error(grads["z"], numeric_z) < TOL
    # Forward mode agrees with reverse mode, one direction at a time.
    for i in range(3):
        direction = np.eye(3)[i]
        assert g.jvp("x", direction)["L"] == pytest.approx(grads["x"][i], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_inner_node_gradients_match_clamped_numerical(seed):
    g = random_graph(seed)
    g.backward()
    for node in g.nodes:
        if node.is_leaf or node.grad is None or np.ndim(node.value) or node.name == "L":
            continue
        numeric = numerical_diff(lambda v, n=node.name: g.evaluate(clamp={n: v}), node.value)
        assert node.grad == pytest.approx(numeric, rel=1e-6, abs=1e-8), node.name


def test_branches_add_up_and_edge_gradients_sum_to_the_node_gradient():
    g = Graph()
    x = g.input("x", 3.0)
    g.add(g.mul(x, x), g.scale(x, 2.0), name="f")  # x² + 2x, x used three times
    g.forward()
    g.backward()
    assert x.grad == 8.0  # 2x + 2
    sent = [g["mul1"].edge_grads[0], g["mul1"].edge_grads[1], g["scale1"].edge_grads[0]]
    assert sent == [3.0, 3.0, 2.0] and sum(sent) == x.grad


def test_softmax_with_loss_graph_ends_at_y_minus_t():
    a, t = np.array([0.3, 2.9, 4.0]), np.array([0.0, 0.0, 1.0])
    g = Graph()
    exps = [g.exp(g.input(f"a{k}", v)) for k, v in enumerate(a, 1)]
    r = g.reciprocal(g.add(*exps))
    logs = [g.log(g.mul(e, r)) for e in exps]
    g.neg(g.add(*[g.mul(g.const(tk), lk) for tk, lk in zip(t, logs, strict=True)]), name="L")
    loss = g.forward()
    y = np.exp(a) / np.exp(a).sum()
    assert loss == pytest.approx(-np.log(y[2]), rel=1e-14)
    grads = g.backward()
    np.testing.assert_allclose([grads[f"a{k}"] for k in (1, 2, 3)], y - t, rtol=1e-12, atol=1e-15)


def test_softmax_with_loss_graph_builder():
    from companion.graph import softmax_with_loss_graph  # here, not in the header shared with conftest

    a, t = np.array([0.3, 2.9, 4.0]), np.array([0.1, 0.2, 0.7])
    g = softmax_with_loss_graph(a, t)
    assert g.names[:8] == ["a1", "e1", "a2", "e2", "a3", "e3", "S", "r"] and g.output.name == "L"
    loss = g.forward()
    y = np.exp(a) / np.exp(a).sum()
    assert loss == pytest.approx(-np.sum(t * np.log(y)), rel=1e-14)
    np.testing.assert_allclose([g[f"y{k}"].value for k in (1, 2, 3)], y, rtol=1e-14)
    grads = g.backward()
    np.testing.assert_allclose([grads[f"a{k}"] for k in (1, 2, 3)], y - t, rtol=1e-12, atol=1e-15)
    assert len(g.consumers("e1")) == 2 and len(g.consumers("r")) == 3
    with pytest.raises(ValueError, match="two 1-d arrays"):
        softmax_with_loss_graph([1.0, 2.0], [1.0])

def test_affine_bias_gradient_sums_over_the_batch():
    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    dout = rng.normal(size=(4, 2))
    g = Graph()
    g.add(g.matmul(g.input("X", X), g.input("W", W)), g.input("b", b), name="Y")
    np.testing.assert_allclose(g.forward(), X @ W + b)
    grads = g.backward(grad=dout)
    np.testing.assert_allclose(grads["X"], dout @ W.T)
    np.testing.assert_allclose(grads["W"], X.T @ dout)
    np.testing.assert_allclose(grads["b"], dout.sum(axis=0))
    assert grads["b"].shape == (2,)


def test_relu_node_switch_is_off_at_zero():
    g = Graph()
    g.relu(g.input("x", np.array([-1.0, 0.0, 2.0])))
    g.forward()
    grads = g.backward(grad=np.ones(3))
    np.testing.assert_array_equal(grads["x"], relu_grad(np.array([-1.0, 0.0, 2.0])))


def test_forward_with_new_inputs_clears_old_gradients_and_evaluate_stores_nothing():
    g = apple_graph()
    g.forward()
    g.backward()
    assert g.evaluate(apple=150) == pytest.approx(330.0)
    assert g["price"].value == pytest.approx(220.0) and g["apple"].grad == pytest.approx(2.2)
    assert g.forward(apple=150) == pytest.approx(330.0)
    assert g["apple"].grad is None and g["apple"].value == 150.0


# ------------------------------------------------------------------------------ stable names


def test_automatic_names_are_numbered_per_operation_in_creation_order():
    g = fruit_graph()
    assert g.names == ["apple", "n_apple", "mul1", "orange", "n_orange", "mul2", "add1", "tax", "price"]
    assert fruit_graph().names == g.names


def test_two_constructions_draw_identical_text():
    texts = []
    for _ in range(2):
        g = fruit_graph()
        g.forward()
        g.backward()
        texts.append(drawn_texts(draw_graph(g, title="Apples and oranges")))
    assert texts[0] == texts[1]
    assert texts[0]  # something was drawn


def test_format_value():
    assert format_value(2.2000000000000002) == "2.2"
    assert format_value(110.00000000000001) == "110"
    assert format_value(-0.0) == "0"
    assert format_value(np.array([0.25, -1.0])) == "[0.25, -1]"
    assert format_value(np.zeros((2, 3))) == "shape (2, 3)"


# ---------------------------------------------------------------------------------- drawings


def test_apple_drawing_has_the_primer_labels_and_reads_well():
    g = apple_graph()
    g.forward()
    g.backward()
    ax = draw_graph(g)
    texts = drawn_texts(ax)
    for label in ("apple", "count", "tax", "price", "\u00d7", "100", "2", "1.1", "200", "220",
                  "2.2", "110", "1"):
        assert label in texts, label
    assert texts.count("\u00d7") == 2  # two multiply nodes
    red = [t.get_text() for t in ax.texts if matplotlib.colors.same_color(t.get_color(), GRAD_COLOR)]
    assert sorted(red) == sorted(["2.2", "110", "1.1", "200", "1"])
    assert layout_problems(ax) == []
    ax.figure.canvas.draw()  # renders with Agg; the full draw moves nothing
    assert layout_problems(ax) == []
    assert ax.figure.canvas.buffer_rgba().shape[2] == 4


def test_drawings_without_gradients_and_parts():
    g = fruit_graph()
    g.forward()
    ax = draw_graph(g)  # before backward: values only
    assert "650" in drawn_texts(ax) and "3.3" not in drawn_texts(ax)
    g.backward()
    part = draw_graph(g, nodes=["add1", "price"])
    texts = drawn_texts(part)
    assert {"mul1", "mul2", "tax", "+", "price", "715"} <= set(texts)
    assert "apple" not in texts
    assert layout_problems(part) == []


def test_layout_problems_finds_collisions():
    g = apple_graph()
    g.forward()
    g.backward()
    crowded = dict(positions={"tax": (0.0, 1.0), "apple": (0.0, 1.05)}, label_at={("tax", "price"): 0.5})
    ax = draw_graph(g, **crowded)
    assert any("overlap" in p for p in layout_problems(ax))
    with pytest.raises(ValueError, match="does not read well"):
        draw_checked(g, **crowded)
    assert layout_problems(draw_checked(g)) == []



def fan_graph():
    """One value sent to three nodes: the arrows leave one node, so their labels can be confused."""
    g = Graph()
    r = g.input("r", 0.5)
    for k in (1, 2, 3):
        g.mul(r, g.input(f"e{k}", float(k)), name=f"y{k}")
    g.forward()
    g.backward("y1")
    return g


SPREAD = {"r": (0.0, 0.0), "y1": (3.0, 2.4), "y2": (3.0, 0.0), "y3": (3.0, -2.4),
          "e1": (1.6, 3.2), "e2": (1.6, 0.9), "e3": (1.6, -3.2)}


def test_layout_problems_finds_a_label_nearer_another_arrow():
    g = fan_graph()
    # The three "×" nodes close together above one another: the arrows from r nearly coincide.
    squeezed = {"r": (0.0, 0.0), "y1": (3.0, 0.9), "y2": (3.0, 0.0), "y3": (3.0, -0.9),
                "e1": (1.5, 1.6), "e2": (1.5, 0.55), "e3": (1.5, -1.6)}
    ax = draw_graph(g, nodes=["y1", "y2", "y3"], positions=squeezed,
                    label_at={("r", k): 0.5 for k in ("y1", "y2", "y3")})
    problems = layout_problems(ax)
    assert any("as near to another arrow" in p or "lies on an arrow" in p for p in problems), problems
    assert layout_problems(draw_graph(g, nodes=["y1", "y2", "y3"], positions=SPREAD)) == []


def test_labels_keep_clear_of_their_own_slanted_arrows():
    g = fan_graph()
    ax = draw_checked(g, nodes=["y1", "y2", "y3"], positions=SPREAD)
    renderer = ax.figure.canvas.get_renderer()
    for patch in ax.patches:
        segment = getattr(patch, "graph_segment", None)
        if segment is None:
            continue
        ends = ax.transData.transform(np.array(segment))
        d = (ends[1] - ends[0]) / np.linalg.norm(ends[1] - ends[0])
        for text in patch.graph_labels:  # every corner of its box on one side of the arrow, >= 1 px off
            b = text.get_window_extent(renderer)
            corners = np.array([[b.x0, b.y0], [b.x0, b.y1], [b.x1, b.y0], [b.x1, b.y1]]) - ends[0]
            side = corners[:, 0] * d[1] - corners[:, 1] * d[0]
            assert np.all(np.abs(side) >= 1.0) and len(set(np.sign(side))) == 1, text.get_text()

def test_layout_is_left_to_right_and_deterministic():
    g = fruit_graph()
    pos = layout(g)
    assert pos == layout(fruit_graph())
    for node in g.nodes:
        for parent in node.parents:
            assert pos[parent.name][0] < pos[node.name][0]
    ys = {}
    for x, y in pos.values():
        ys.setdefault(x, []).append(y)
    for column in ys.values():  # nodes sharing a column never share a spot
        column.sort()
        assert all(b - a >= 1.2 - 1e-12 for a, b in zip(column, column[1:], strict=False))


def test_graph_module_does_not_import_matplotlib():
    code = "import sys, companion.graph; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# -------------------------------------------------------------------------------- bad input


def test_unknown_node_names_raise_clearly():
    g = apple_graph()
    with pytest.raises(KeyError, match="no node named 'pear'"):
        g["pear"]
    with pytest.raises(KeyError, match="pear"):
        g.mul("pear", "apple")
    with pytest.raises(KeyError, match="pear"):
        g.forward(pear=3)
    g.forward()
    with pytest.raises(KeyError, match="pear"):
        g.backward("pear")
    with pytest.raises(KeyError, match="pear"):
        draw_graph(g, positions={"pear": (0, 0)})


def test_backward_before_forward_raises():
    g = apple_graph()
    with pytest.raises(RuntimeError, match="forward"):
        g.backward()
    g.forward()
    g.offset("price", 1.0)  # a new node invalidates the forward pass
    with pytest.raises(RuntimeError, match="forward"):
        g.backward()
    with pytest.raises(RuntimeError, match="forward"):
        g.jvp("apple")


def test_division_by_zero_and_log_of_nonpositive_raise():
    g = Graph()
    g.divide(g.input("a", 1.0), g.input("b", 0.0), name="q")
    with pytest.raises(ZeroDivisionError, match="'q'"):
        g.forward()
    g = Graph()
    g.reciprocal(g.input("a", np.array([1.0, 0.0])), name="r")
    with pytest.raises(ZeroDivisionError, match="'r'"):
        g.forward()
    g = Graph()
    g.log(g.input("a", -1.0), name="lg")
    with pytest.raises(ValueError, match="'lg'.*<= 0"):
        g.forward()


def test_other_bad_input():
    g = Graph()
    x = g.input("x")
    g.exp(x)
    with pytest.raises(ValueError, match="input 'x' has no value"):
        g.forward()
    with pytest.raises(ValueError, match="exists already"):
        g.input("x", 1.0)
    with pytest.raises(ValueError, match="not an input"):
        g.forward(exp1=2.0)
    with pytest.raises(ValueError, match="NaN"):
        g.forward(x=float("nan"))
    with pytest.raises(ValueError, match="another graph"):
        Graph().exp(x)
    with pytest.raises(ValueError, match="at least two"):
        g.add(x)
    with pytest.raises(TypeError, match="operand"):
        g.exp(object())
    g.forward(x=np.ones(3))
    with pytest.raises(ValueError, match="not a scalar"):
        g.backward()
    with pytest.raises(ValueError, match="shape"):
        g.backward(grad=np.ones(2))
    with pytest.raises(FloatingPointError, match="exp1"):
        g.forward(x=1000.0)
