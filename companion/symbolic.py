"""A tiny expression tree for symbolic differentiation（符号微分）, to measure expression swell.

Build expressions from variables and numbers with + - * and exp(), differentiate them by the rules of
calculus, evaluate them, and count how big they are:

    x = var("x")
    f = 4 * x * (1 - x)                 # one step of the logistic map
    df = diff(f, x)                     # the sum and product rules, applied as written
    evaluate(df, x=0.3)                 # 4 - 8x at x = 0.3: 1.6
    tree_size(df), dag_size(df)         # nodes written out as a formula, and distinct nodes

diff() applies the rules and only folds the constants 0 and 1 (0 * e = 0, 1 * e = e, e + 0 = e), as a
simple computer-algebra step would; it does no further algebra. tree_size() counts the nodes of the
expression written out in full, each repeated sub-expression every time it appears: what a formula
costs to print or to evaluate without sharing. dag_size() counts distinct sub-expressions once each,
which is the size of the same computation as a graph whose nodes are shared, as automatic
differentiation（自动微分）stores it.

Only numpy and the standard library; expressions are immutable and compare by structure.
"""

import numpy as np

from common import _checks as check

_OPS = ("const", "var", "add", "sub", "mul", "exp")
_SYMBOLS = {"add": "+", "sub": "-", "mul": "*"}


class Expr:
    """One node of an expression tree: op in ("const", "var", "add", "sub", "mul", "exp"), and args
    (the value for a constant, the name for a variable, the operands otherwise)."""

    __slots__ = ("op", "args", "_hash")

    def __init__(self, op, args):
        if op not in _OPS:
            raise ValueError(f"Expr: op must be one of {_OPS}, got {op!r}")
        self.op = op
        self.args = tuple(args)
        self._hash = hash((op, self.args))  # children's hashes are cached, so this is O(1)

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        if self is other:
            return True
        if not isinstance(other, Expr) or self._hash != other._hash:
            return False
        return self.op == other.op and self.args == other.args

    def __add__(self, other):
        return Expr("add", (self, as_expr(other)))

    def __radd__(self, other):
        return Expr("add", (as_expr(other), self))

    def __sub__(self, other):
        return Expr("sub", (self, as_expr(other)))

    def __rsub__(self, other):
        return Expr("sub", (as_expr(other), self))

    def __mul__(self, other):
        return Expr("mul", (self, as_expr(other)))

    def __rmul__(self, other):
        return Expr("mul", (as_expr(other), self))

    def __repr__(self):
        return f"Expr({to_string(self)!r})"


def const(value):
    """A number as an expression."""
    value = check.real_number(value, "const: value (a constant)")
    return Expr("const", (value,))


def var(name):
    """A variable, named by a non-empty string."""
    if not isinstance(name, str):
        raise TypeError(f"var: name must be a non-empty string, got {type(name).__name__} {name!r}")
    if not name:
        raise ValueError("var: name must be a non-empty string, got ''")
    return Expr("var", (name,))


def exp(e):
    """exp(e)."""
    return Expr("exp", (as_expr(e, "exp: e"),))


def as_expr(x, what="as_expr: x"):
    """An Expr as it is, a real number as a constant; anything else is refused."""
    if isinstance(x, Expr):
        return x
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"{what} must be an expression or a real number, got {type(x).__name__}")
    return const(x)


_ZERO, _ONE = const(0.0), const(1.0)


def _add(a, b):
    if a == _ZERO:
        return b
    if b == _ZERO:
        return a
    return Expr("add", (a, b))


def _sub(a, b):
    return a if b == _ZERO else Expr("sub", (a, b))


def _mul(a, b):
    if a == _ZERO or b == _ZERO:
        return _ZERO
    if a == _ONE:
        return b
    if b == _ONE:
        return a
    return Expr("mul", (a, b))


def diff(e, x):
    """d e / d x by the sum, product and chain rules, written out as an expression (constants 0 and 1
    folded, nothing else simplified). x: a variable (an Expr made by var())."""
    e = as_expr(e, "diff: e")
    if not isinstance(x, Expr) or x.op != "var":
        raise TypeError(f"diff: differentiate with respect to a variable made by var(), got {x!r}")
    memo = {}

    def d(node):
        key = id(node)
        if key not in memo:
            memo[key] = (node, _rule(node, d, x))  # keep node alive so its id stays unique
        return memo[key][1]

    return d(e)


def _rule(node, d, x):
    op, args = node.op, node.args
    if op == "const":
        return _ZERO
    if op == "var":
        return _ONE if node == x else _ZERO
    if op == "add":
        return _add(d(args[0]), d(args[1]))
    if op == "sub":
        return _sub(d(args[0]), d(args[1]))
    if op == "mul":  # (uv)' = u'v + uv'
        u, v = args
        return _add(_mul(d(u), v), _mul(u, d(v)))
    return _mul(node, d(args[0]))  # exp: (e^u)' = e^u u'


def _children(node):
    return () if node.op in ("const", "var") else node.args


def tree_size(e):
    """Nodes of e written out as a formula: a sub-expression used k times counts k times."""
    memo = {}

    def size(node):
        key = id(node)
        if key not in memo:
            memo[key] = 1 + sum(size(c) for c in _children(node))
        return memo[key]

    return size(as_expr(e, "tree_size: e"))


def dag_size(e):
    """Distinct sub-expressions of e (equal structure counted once): e as a graph with shared nodes."""
    seen = set()
    stack = [as_expr(e, "dag_size: e")]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(_children(node))
    return len(seen)


def evaluate(e, **values):
    """The value of e with the variables given by name, e.g. evaluate(f, x=0.3); numbers or arrays."""
    memo = {}

    def ev(node):
        key = id(node)
        if key in memo:
            return memo[key][1]
        op, args = node.op, node.args
        if op == "const":
            out = args[0]
        elif op == "var":
            if args[0] not in values:
                raise ValueError(f"evaluate: no value for variable {args[0]!r}; pass {args[0]}=...")
            out = values[args[0]]
        elif op == "add":
            out = ev(args[0]) + ev(args[1])
        elif op == "sub":
            out = ev(args[0]) - ev(args[1])
        elif op == "mul":
            out = ev(args[0]) * ev(args[1])
        else:
            out = np.exp(ev(args[0]))
        memo[key] = (node, out)
        return out

    return ev(as_expr(e, "evaluate: e"))


def to_string(e):
    """e as a fully parenthesised formula, e.g. '((4 * x) * (1 - x))'."""
    e = as_expr(e, "to_string: e")
    if e.op == "const":
        return f"{e.args[0]:g}"
    if e.op == "var":
        return e.args[0]
    if e.op == "exp":
        return f"exp({to_string(e.args[0])})"
    return f"({to_string(e.args[0])} {_SYMBOLS[e.op]} {to_string(e.args[1])})"


__all__ = ["Expr", "as_expr", "const", "dag_size", "diff", "evaluate", "exp", "to_string", "tree_size", "var"]
