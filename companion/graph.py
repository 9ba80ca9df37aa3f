"""A small computation-graph recorder (primer chapter 5): build, run forward, run backward, read.

Build the graph first, then compute, as the primer does:

    g = Graph()
    apple, count, tax = g.input("apple", 100), g.input("count", 2), g.input("tax", 1.1)
    price = g.mul(g.mul(apple, count), tax, name="price")
    g.forward()        # every node's .value, left to right   -> 220
    g.backward()       # every node's .grad = dL/d(node), right to left (L = the last node)
    apple.grad, count.grad, tax.grad                            # 2.2, 110, 200

Values are Python floats or float64 arrays (elementwise operations broadcast; the gradient of a
broadcast operand is summed back to its shape, which is why an Affine bias gradient sums over the
batch). Node names are given by the caller or numbered per operation in creation order ("mul1",
"mul2", "add1", ...), never taken from id(), so two constructions of the same graph print and draw
identically. Operands may be Nodes, node names, or plain numbers (which become constant nodes).

Besides backward() (reverse mode), jvp() runs forward-mode differentiation: one sweep per input
direction. evaluate() recomputes the output without touching the stored values, optionally with
some nodes clamped to given values: that is what a numerical check of an inner node's gradient needs.

No matplotlib here: drawing lives in companion.graph_draw.
"""

import numpy as np

from common import _checks as check
from common.functions import sigmoid as _sigmoid
from companion.language import ljust, say, width


def format_value(v, digits=4):
    """Short text for a node value or gradient: 4 significant digits, arrays of <= 4 numbers in full,
    larger arrays as their shape. Used by drawings and describe(), so both show the same text."""
    if v is None:
        return "-"
    a = check.real_array(v, "format_value: v")
    if a.ndim == 0:
        x = float(a)
        text = f"{x:.{digits}g}"
        return "0" if text == "-0" else text
    if a.ndim == 1 and a.size <= 4:
        return "[" + ", ".join(format_value(x, digits) for x in a) + "]"
    return say("shape ", "形状 ") + str(tuple(a.shape))


def _clean(value, what):
    """A value as a Python float (0-d) or a float64 array; NaN is refused."""
    a = np.asarray(value)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{what}: expected a real number or array, got dtype {a.dtype}")
    a = a.astype(np.float64)
    if np.isnan(a).any():
        raise ValueError(f"{what} contains NaN")
    return float(a) if a.ndim == 0 else a


def _unbroadcast(grad, shape):
    """Sum a gradient of a broadcast result back to an operand's shape."""
    grad = np.asarray(grad, dtype=np.float64)
    if grad.shape == tuple(shape):
        return float(grad) if grad.ndim == 0 else grad
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return float(grad) if grad.ndim == 0 else grad


def _shape(v):
    return np.shape(v)


class Node:
    """One value of the graph.

    name    unique, stable name ("apple", "mul1", ...)
    op      the operation: "input", "const", "add", "mul", "exp", ...
    label   the text drawn inside the node's circle ("×", "+", "exp", "/", ...)
    parents the input nodes, in argument order
    value   forward value after Graph.forward() (None before)
    grad    dL/d(this node) after Graph.backward() (None before; 0 if L does not depend on it;
            None for nodes created after L)
    """

    def __init__(self, graph, name, op, label, parents, param=None):
        self.graph = graph
        self.name = name
        self.op = op
        self.label = label
        self.parents = tuple(parents)
        self.param = param  # the constant of scale / offset / pow
        self.value = None
        self.grad = None
        # After backward(): the gradient sent to each parent along its edge, in parent order.
        # A node used twice receives the sum of its edges' gradients (the primer's branch rule).
        self.edge_grads = None

    @property
    def is_leaf(self):
        return self.op in ("input", "const")

    def __repr__(self):
        return f"Node({self.name!r}, op={self.op!r}, value={format_value(self.value)}, " \
               f"grad={format_value(self.grad)})"


# --------------------------------------------------------------------------- operations
# Each operation: the label drawn in its circle, forward(values, param), the gradients sent back to
# the parents vjp(values, out, g, param), and the forward-mode tangent jvp(values, out, tangents, param).


def _check_nonzero(x, node):
    if np.any(np.asarray(x) == 0):
        raise ZeroDivisionError(f"node {node!r}: division by zero (its denominator is 0)")
    return x


def _check_positive(x, node):
    if np.any(np.asarray(x) <= 0):
        raise ValueError(f"node {node!r}: log of a value <= 0 ({format_value(x)})")
    return x


def _matmul_vjp(v, g):
    a, b = np.asarray(v[0]), np.asarray(v[1])
    g = np.asarray(g)
    if a.ndim == 1:  # (D,) @ (D, M) -> (M,)
        return g @ b.T, np.outer(a, g)
    return g @ b.T, a.T @ g


_OPS = {
    "add": dict(
        forward=lambda v, p, n: sum(v[1:], start=v[0]),
        vjp=lambda v, out, g, p: [g for _ in v],
        jvp=lambda v, out, t, p: sum(t[1:], start=t[0]),
    ),
    "mul": dict(
        forward=lambda v, p, n: v[0] * v[1],
        vjp=lambda v, out, g, p: [g * v[1], g * v[0]],
        jvp=lambda v, out, t, p: t[0] * v[1] + v[0] * t[1],
    ),
    "neg": dict(
        forward=lambda v, p, n: -v[0],
        vjp=lambda v, out, g, p: [-g],
        jvp=lambda v, out, t, p: -t[0],
    ),
    "scale": dict(
        forward=lambda v, p, n: p * v[0],
        vjp=lambda v, out, g, p: [p * g],
        jvp=lambda v, out, t, p: p * t[0],
    ),
    "offset": dict(
        forward=lambda v, p, n: v[0] + p,
        vjp=lambda v, out, g, p: [g],
        jvp=lambda v, out, t, p: t[0],
    ),
    "exp": dict(
        forward=lambda v, p, n: np.exp(v[0]),
        vjp=lambda v, out, g, p: [g * out],
        jvp=lambda v, out, t, p: t[0] * out,
    ),
    "log": dict(
        forward=lambda v, p, n: np.log(_check_positive(v[0], n)),
        vjp=lambda v, out, g, p: [g / v[0]],
        jvp=lambda v, out, t, p: t[0] / v[0],
    ),
    "reciprocal": dict(
        forward=lambda v, p, n: 1.0 / _check_nonzero(v[0], n),
        vjp=lambda v, out, g, p: [-g * out * out],  # d(1/x)/dx = -1/x^2 = -out^2
        jvp=lambda v, out, t, p: -t[0] * out * out,
    ),
    "divide": dict(
        forward=lambda v, p, n: v[0] / _check_nonzero(v[1], n),
        vjp=lambda v, out, g, p: [g / v[1], -g * v[0] / (v[1] * v[1])],
        jvp=lambda v, out, t, p: t[0] / v[1] - t[1] * v[0] / (v[1] * v[1]),
    ),
    "square": dict(
        forward=lambda v, p, n: v[0] * v[0],
        vjp=lambda v, out, g, p: [2 * v[0] * g],
        jvp=lambda v, out, t, p: 2 * v[0] * t[0],
    ),
    "pow": dict(
        forward=lambda v, p, n: np.power(v[0], p),
        vjp=lambda v, out, g, p: [g * p * np.power(v[0], p - 1)],
        jvp=lambda v, out, t, p: t[0] * p * np.power(v[0], p - 1),
    ),
    "sum": dict(
        forward=lambda v, p, n: np.sum(v[0]),
        vjp=lambda v, out, g, p: [g * np.ones_like(np.asarray(v[0], dtype=np.float64))],
        jvp=lambda v, out, t, p: np.sum(t[0]),
    ),
    "sigmoid": dict(
        forward=lambda v, p, n: _sigmoid(v[0]),
        vjp=lambda v, out, g, p: [g * out * (1 - out)],
        jvp=lambda v, out, t, p: t[0] * out * (1 - out),
    ),
    "relu": dict(
        forward=lambda v, p, n: np.maximum(v[0], 0.0),
        # The switch is off at x = 0, as in common.layers.Relu and common.functions.relu_grad.
        vjp=lambda v, out, g, p: [g * (np.asarray(v[0]) > 0)],
        jvp=lambda v, out, t, p: t[0] * (np.asarray(v[0]) > 0),
    ),
    "matmul": dict(
        forward=lambda v, p, n: np.asarray(v[0]) @ np.asarray(v[1]),
        vjp=lambda v, out, g, p: list(_matmul_vjp(v, g)),
        jvp=lambda v, out, t, p: np.asarray(t[0]) @ np.asarray(v[1]) + np.asarray(v[0]) @ np.asarray(t[1]),
    ),
}


def _num_text(c):
    """A constant as it appears inside a circle: 1.0 -> '1', -1.0 -> '(−1)', 0.5 -> '0.5'."""
    text = format_value(c).replace("-", "\u2212")
    return f"({text})" if c < 0 else text


class Graph:
    """A computation graph: create input nodes and operation nodes, then forward() and backward().

    Nodes must be created in an order where every operand exists already, so creation order is a
    topological order: forward() walks it left to right, backward() right to left.
    """

    def __init__(self):
        self.nodes = []  # in creation order
        self._by_name = {}
        self._counters = {}
        self._forwarded = False

    # ---------------------------------------------------------------------- looking up

    def __getitem__(self, name):
        return self._lookup(name)

    def __contains__(self, name):
        return name in self._by_name

    def __iter__(self):
        return iter(self.nodes)

    def __len__(self):
        return len(self.nodes)

    @property
    def names(self):
        return [n.name for n in self.nodes]

    @property
    def inputs(self):
        """The input nodes (not constants), in creation order."""
        return [n for n in self.nodes if n.op == "input"]

    @property
    def output(self):
        """The last node created: the default output of forward() and backward()."""
        if not self.nodes:
            raise ValueError("the graph is empty: create an input and an operation first")
        return self.nodes[-1]

    def consumers(self, node):
        """The nodes that use `node` as an operand, in creation order (once each)."""
        node = self._lookup(node)
        return [n for n in self.nodes if node in n.parents]

    def _lookup(self, key):
        if isinstance(key, Node):
            if key.graph is not self:
                raise ValueError(f"node {key.name!r} belongs to another graph")
            return key
        if isinstance(key, str):
            if key not in self._by_name:
                known = ", ".join(self._by_name) or "none yet"
                raise KeyError(f"no node named {key!r} in this graph (nodes: {known})")
            return self._by_name[key]
        raise TypeError(f"expected a Node or a node name, got {type(key).__name__}")

    def _operand(self, x):
        if isinstance(x, (Node, str)):
            return self._lookup(x)
        if isinstance(x, (int, float, np.number, np.ndarray, list, tuple)):
            return self.const(x)
        raise TypeError(f"an operand must be a Node, a node name or a number, got {type(x).__name__}")

    # ---------------------------------------------------------------------- creating

    def _name(self, name, op):
        if name is not None:
            if not isinstance(name, str) or not name:
                raise ValueError(f"a node name must be a non-empty string, got {name!r}")
            if name in self._by_name:
                raise ValueError(f"a node named {name!r} exists already; names must be unique")
            return name
        while True:  # numbered per operation in creation order, skipping names taken by the caller
            self._counters[op] = self._counters.get(op, 0) + 1
            candidate = f"{op}{self._counters[op]}"
            if candidate not in self._by_name:
                return candidate

    def _add_node(self, op, label, parents, name, param=None):
        node = Node(self, self._name(name, op), op, label, parents, param)
        self.nodes.append(node)
        self._by_name[node.name] = node
        self._forwarded = False
        return node

    def input(self, name, value=None):
        """An input (a leaf whose gradient we want). value may be given now or in forward(name=...)."""
        node = self._add_node("input", name, (), name)
        if value is not None:
            node.value = _clean(value, f"input {name!r}")
        return node

    def const(self, value, name=None):
        """A constant leaf (drawn as its value; its gradient is computed but rarely of interest)."""
        value = _clean(value, "constant")
        node = self._add_node("const", format_value(value) if name is None else name, (), name)
        node.value = value
        return node

    def _op(self, op, label, operands, name, param=None):
        parents = [self._operand(x) for x in operands]
        return self._add_node(op, label, parents, name, param)

    def add(self, *operands, name=None):
        """a + b (+ c ...): one '+' node with any number of operands."""
        if len(operands) < 2:
            raise ValueError("add needs at least two operands")
        return self._op("add", "+", operands, name)

    def mul(self, a, b, name=None):
        """a * b (elementwise): a '×' node."""
        return self._op("mul", "\u00d7", (a, b), name)

    def neg(self, a, name=None):
        """-a: a '×(−1)' node."""
        return self._op("neg", "\u00d7(\u22121)", (a,), name)

    def scale(self, a, c, name=None):
        """c * a for a constant c: a '×c' node (the primer's '×2', '×1.1')."""
        c = float(c)
        return self._op("scale", "\u00d7" + _num_text(c), (a,), name, param=c)

    def offset(self, a, c, name=None):
        """a + c for a constant c: a '+c' node (the '+1' of the sigmoid graph)."""
        c = float(c)
        label = "+" + _num_text(c) if c >= 0 else "\u2212" + _num_text(-c)
        return self._op("offset", label, (a,), name, param=c)

    def exp(self, a, name=None):
        return self._op("exp", "exp", (a,), name)

    def log(self, a, name=None):
        """Natural logarithm; a value <= 0 raises ValueError at forward()."""
        return self._op("log", "log", (a,), name)

    def reciprocal(self, a, name=None):
        """1 / a: the primer's '/' node. A zero raises ZeroDivisionError at forward()."""
        return self._op("reciprocal", "/", (a,), name)

    def divide(self, a, b, name=None):
        """a / b: a '÷' node. A zero in b raises ZeroDivisionError at forward()."""
        return self._op("divide", "\u00f7", (a, b), name)

    def square(self, a, name=None):
        """a ** 2: the primer's '**2' node."""
        return self._op("square", "**2", (a,), name)

    def pow(self, a, p, name=None):
        """a ** p for a constant p."""
        p = float(p)
        return self._op("pow", "**" + format_value(p), (a,), name, param=p)

    def sum(self, a, name=None):
        """The sum of all elements of an array node: a 'sum' node (output is a scalar)."""
        return self._op("sum", "sum", (a,), name)

    def sigmoid(self, a, name=None):
        """The whole sigmoid as one node (a layer), drawn as 'σ'."""
        return self._op("sigmoid", "\u03c3", (a,), name)

    def relu(self, a, name=None):
        """ReLU as one node; its gradient is 0 where a <= 0."""
        return self._op("relu", "ReLU", (a,), name)

    def matmul(self, a, b, name=None):
        """a @ b with a (N, D) or (D,) and b (D, M): the Affine layer's 'dot' node."""
        return self._op("matmul", "dot", (a, b), name)

    # ---------------------------------------------------------------------- computing

    def _compute(self, inputs, clamp):
        """All values, in creation order; inputs overrides input values, clamp fixes any node."""
        values = {}
        for node in self.nodes:
            if node.name in clamp:
                values[node.name] = _clean(clamp[node.name], f"clamped value of {node.name!r}")
            elif node.is_leaf:
                value = inputs.get(node.name, node.value)
                if value is None:
                    raise ValueError(
                        f"input {node.name!r} has no value: give it one, e.g. forward({node.name}=...)"
                    )
                values[node.name] = value
            else:
                args = [values[p.name] for p in node.parents]
                with np.errstate(over="raise", invalid="raise"):
                    try:
                        out = _OPS[node.op]["forward"](args, node.param, node.name)
                    except FloatingPointError as err:
                        raise FloatingPointError(f"node {node.name!r} ({node.op}): {err}") from None
                values[node.name] = _clean(out, f"value of node {node.name!r}")
        return values

    def _check_inputs(self, inputs):
        clean = {}
        for name, value in inputs.items():
            node = self._lookup(name)
            if not node.is_leaf:
                raise ValueError(f"{name!r} is a {node.op} node, not an input: only inputs take values")
            clean[name] = _clean(value, f"input {name!r}")
        return clean

    def forward(self, **inputs):
        """Compute every node's value left to right, optionally with new input values (name=value).

        Stores the values on the nodes, clears any gradients (they belong to old values) and
        returns the output's (the last node's) value.
        """
        inputs = self._check_inputs(inputs)
        values = self._compute(inputs, {})
        for node in self.nodes:
            node.value = values[node.name]
            node.grad = None
            node.edge_grads = None
        self._forwarded = True
        return self.output.value

    def evaluate(self, output=None, clamp=None, **inputs):
        """The value of `output` (default: the last node) for the given inputs, without storing
        anything. clamp = {name: value} fixes nodes at a value instead of computing them, so
        evaluate(clamp={"y1": v}) is L as a function of the inner node y1 alone."""
        output = self.output if output is None else self._lookup(output)
        clamp = dict(clamp or {})
        for name in clamp:
            self._lookup(name)
        return self._compute(self._check_inputs(inputs), clamp)[output.name]

    def backward(self, output=None, grad=None):
        """Reverse mode: dL/d(node) for every node L depends on, right to left (chain rule).

        output: the node L (default: the last node). grad: dL/d(output), default 1.0, which needs a
        scalar output; for an array output pass the upstream gradient of its shape. Sets .grad and
        .edge_grads on the nodes (0 for a node L does not depend on, None for nodes created after
        L) and returns the input gradients as {name: grad}.
        """
        if not self._forwarded:
            raise RuntimeError(
                "backward() needs the forward values: call forward() first "
                "(and again after adding nodes)"
            )
        output = self.output if output is None else self._lookup(output)
        if grad is None:
            if np.ndim(output.value) != 0:
                raise ValueError(
                    f"output {output.name!r} has shape {_shape(output.value)}, not a scalar: "
                    "pass grad=dL/d(output) of that shape"
                )
            grad = 1.0
        grad = _clean(grad, "grad")
        if _shape(grad) != _shape(output.value):
            raise ValueError(
                f"grad has shape {_shape(grad)}, output {output.name!r} has shape {_shape(output.value)}"
            )
        for node in self.nodes:
            node.grad = None
            node.edge_grads = None
        output.grad = grad
        stop = self.nodes.index(output)
        for node in reversed(self.nodes[: stop + 1]):
            if node.grad is None or node.is_leaf:
                continue  # L does not depend on it, or there is nothing behind it
            args = [p.value for p in node.parents]
            sent = _OPS[node.op]["vjp"](args, node.value, node.grad, node.param)
            node.edge_grads = [
                _unbroadcast(g, _shape(p.value)) for g, p in zip(sent, node.parents, strict=True)
            ]
            for parent, g in zip(node.parents, node.edge_grads, strict=True):
                # Branches add up: a value used twice gets both gradients.
                parent.grad = g if parent.grad is None else parent.grad + g
        for node in self.nodes[:stop]:
            if node.grad is None:  # L does not depend on it: its gradient is exactly zero
                node.grad = _clean(np.zeros_like(np.asarray(node.value)), "zero")
        return {n.name: n.grad for n in self.inputs}

    def jvp(self, wrt, tangent=1.0):
        """Forward mode: d(node)/d(wrt) in the direction `tangent`, for every node, in one sweep
        left to right. Returns {name: tangent}. One sweep gives the derivative along one input
        direction only: a full gradient needs one sweep per input element (compare backward())."""
        if not self._forwarded:
            raise RuntimeError("jvp() needs the forward values: call forward() first")
        wrt = self._lookup(wrt)
        tangent = _clean(tangent, "tangent")
        if _shape(tangent) != _shape(wrt.value):
            tangent = _clean(np.broadcast_to(tangent, _shape(wrt.value)), "tangent")
        tangents = {}
        for node in self.nodes:
            if node is wrt:
                tangents[node.name] = tangent
            elif node.is_leaf:
                tangents[node.name] = _clean(np.zeros_like(np.asarray(node.value)), "zero")
            else:
                args = [p.value for p in node.parents]
                ts = [tangents[p.name] for p in node.parents]
                out = _OPS[node.op]["jvp"](args, node.value, ts, node.param)
                out = np.broadcast_to(out, _shape(node.value)) if np.ndim(out) < np.ndim(node.value) else out
                tangents[node.name] = _clean(out, f"tangent of {node.name!r}")
        return tangents

    # ---------------------------------------------------------------------- reading

    def describe(self, digits=4, grads=True):
        """A text table of the nodes in creation order: name, operation, operands, value (and grad),
        headed in the language of companion.language (Chinese names are padded as two columns)."""
        header = (say("node", "节点"), say("op", "运算"), say("operands", "操作数"), say("value", "值"))
        rows = [header + ((say("grad", "梯度"),) if grads else ())]
        leaf_ops = {"input": say("input", "输入"), "const": say("const", "常数")}
        for n in self.nodes:
            row = (n.name, n.label if not n.is_leaf else leaf_ops.get(n.op, n.op),
                   ", ".join(p.name for p in n.parents), format_value(n.value, digits))
            rows.append(row + ((format_value(n.grad, digits),) if grads else ()))
        widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(ljust(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        return "\n".join(lines)


def softmax_with_loss_graph(a, t):
    """The Softmax-with-Loss layer of the primer's appendix A as a Graph, one node per operation.

    a: the K scores, t: the K targets (one-hot or not). Nodes, for k = 1..K:
        a_k (inputs), e_k = exp(a_k), S = e_1 + ... + e_K, r = 1/S, y_k = e_k * r (softmax),
        log_y_k = log(y_k), t_k (constants), m_k = t_k * log_y_k, s = m_1 + ... + m_K, L = -s.
    Each e_k is used twice (by S and by y_k) and r K times, so their gradients sum branches.
    """
    a, t = np.asarray(a, dtype=np.float64), np.asarray(t, dtype=np.float64)
    if a.ndim != 1 or a.shape != t.shape or a.size < 2:
        raise ValueError(f"softmax_with_loss_graph: scores and targets must be two 1-d arrays of one "
                         f"length >= 2, got shapes {a.shape} and {t.shape}")
    g = Graph()
    ks = range(1, a.size + 1)
    exps = [g.exp(g.input(f"a{k}", a_k), name=f"e{k}") for k, a_k in zip(ks, a, strict=True)]
    r = g.reciprocal(g.add(*exps, name="S"), name="r")
    logs = [g.log(g.mul(e_k, r, name=f"y{k}"), name=f"log_y{k}") for k, e_k in zip(ks, exps, strict=True)]
    terms = [g.mul(g.const(t_k, name=f"t{k}"), log_k, name=f"m{k}")
             for k, t_k, log_k in zip(ks, t, logs, strict=True)]
    g.neg(g.add(*terms, name="s"), name="L")
    return g


__all__ = ["Graph", "Node", "format_value", "softmax_with_loss_graph"]
