"""Draw a companion.graph.Graph the way the primer draws computational graphs.

Operations are circles with the operation inside, arrows run left to right, each arrow carries the
forward value above it (black) and, after backward(), the gradient sent back along it below it
(red). Inputs are written by name at the left end of their arrows; each output leaves its node to
the right and ends in its name.

    from companion.graph_draw import draw_graph, layout_problems
    ax = draw_graph(g, title="Buying apples")
    assert layout_problems(ax) == []   # no label on another label, a circle, an arrow or the edge,
                                       # and every label nearer its own arrow than any other
    draw_checked(g, title="Buying apples")   # the same two steps: raises if the labels collide

Positions come from layout() (left-to-right layers, each node placed near its consumers) unless
you pass positions={name: (x, y)}. Labels that collide are slid along their arrows until they
do not. nodes=[...] draws part of a graph: operands from outside the part are drawn like inputs.
This module imports matplotlib; the math lives in companion.graph, which does not.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.textpath import TextToPath

from common import _checks as check
from companion.graph import Graph, format_value

VALUE_COLOR = "black"
GRAD_COLOR = "#d62728"  # red, as in the primer's backward-pass figures
EDGE_COLOR = "0.3"
_TEXT_TO_PATH = TextToPath()


class _View:
    """The drawn part of a graph: its nodes, plus outside operands shown as leaves."""

    def __init__(self, graph, names=None):
        part = graph.nodes if names is None else [graph[n] for n in names]
        if not part:
            raise ValueError("nothing to draw: the graph (or the chosen part) has no nodes")
        inside = {n.name for n in part}
        outside = []
        for n in part:
            for p in n.parents:
                if p.name not in inside and p not in outside:
                    outside.append(p)
        self.nodes = sorted(part + outside, key=graph.nodes.index)
        self.outside = {p.name for p in outside}
        self.uses = {n.name: [] for n in self.nodes}  # name -> [(consumer, slot)] within the part
        for n in part:
            for slot, p in enumerate(n.parents):
                self.uses[p.name].append((n, slot))

    def is_leaf(self, node):
        return node.is_leaf or node.name in self.outside

    def parents(self, node):
        return () if self.is_leaf(node) else node.parents

    def sinks(self):
        """Drawn nodes nobody in the part uses: each gets an output arrow."""
        return [n for n in self.nodes if not self.uses[n.name]]


def layout(graph, dx=2.0, dy=1.2, nodes=None):
    """Automatic positions {name: (x, y)} in data units, for the whole graph or the part `nodes`.

    Each operation sits one layer (dx) to the right of its furthest-right operand; each leaf sits
    one layer left of its first consumer. Going right to left, a node with k operands spreads them
    over k rows (dy apart) around its own height, and nodes sharing a layer are pushed at least
    dy apart.
    """
    check.instance(graph, Graph, "layout: graph")
    view = _View(graph, nodes)
    layer = {}
    for n in view.nodes:
        if not view.is_leaf(n):
            layer[n.name] = 1 + max((layer[p.name] for p in n.parents if not view.is_leaf(p)), default=0)
    for n in view.nodes:
        if view.is_leaf(n):
            layer[n.name] = min((layer[c.name] for c, _ in view.uses[n.name]), default=1) - 1

    order = {n.name: i for i, n in enumerate(view.nodes)}
    ys = {}
    sinks = 0
    for current in range(max(layer.values()), min(layer.values()) - 1, -1):
        desired = {}
        for n in (n for n in view.nodes if layer[n.name] == current):
            props = [ys[c.name] + ((len(c.parents) - 1) / 2 - slot) * dy for c, slot in view.uses[n.name]]
            if props:
                desired[n.name] = float(np.mean(props))
            else:  # an output: stack several outputs downwards
                desired[n.name] = -sinks * dy
                sinks += 1
        names = sorted(desired, key=lambda k: (-desired[k], order[k]))
        placed = []
        for k in names:
            placed.append(desired[k] if not placed else min(desired[k], placed[-1] - dy))
        shift = float(np.mean([desired[k] - y for k, y in zip(names, placed, strict=True)]))
        for k, y in zip(names, placed, strict=True):
            ys[k] = y + shift
    return {n.name: (layer[n.name] * dx, ys[n.name]) for n in view.nodes}


def _text_width(text, fontsize):
    """Width of a text in points, measured with the font (no renderer needed)."""
    width_pt, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, FontProperties(size=fontsize), False)
    return width_pt


def _radius(label, fontsize, unit):
    """Circle radius (data units) that fits the label."""
    return max(0.3, 0.5 * _text_width(label, fontsize) / 72 / unit + 0.1)


def _edge_point(center, radius, toward):
    """Where the segment from a circle's center toward a point leaves the circle."""
    c, t = np.asarray(center, float), np.asarray(toward, float)
    d = t - c
    return c + d / np.linalg.norm(d) * radius


def _label_pair(ax, point, direction, above, below, fontsize, gap=3.0):
    """Value text on the left of travel (above a rightward arrow), gradient text on the right.

    Each text's box is centred on the normal through `point`, far enough out that its nearest
    corner keeps `gap` points from the arrow, however steep the arrow is.
    """
    d = np.asarray(direction, float)
    d = d / np.linalg.norm(d)
    normal = np.array([-d[1], d[0]])  # left of travel: up for an arrow to the right
    box = dict(boxstyle="square,pad=0.05", fc="white", ec="none", alpha=0.85)
    made = []
    for text, side, color in ((above, 1, VALUE_COLOR), (below, -1, GRAD_COLOR)):
        if text is None:
            continue
        nx, ny = side * normal
        # Half the box's extent along the normal: the box is width x fontsize points.
        reach = gap + abs(nx) * _text_width(text, fontsize) / 2 + abs(ny) * fontsize / 2
        made.append(ax.annotate(text, xy=tuple(point), xytext=(reach * nx, reach * ny),
                                textcoords="offset points", ha="center", va="center",
                                fontsize=fontsize, color=color, bbox=box, zorder=4))
    return made


def draw_graph(graph, ax=None, positions=None, *, nodes=None, values=True, grads=True,
               fmt=format_value, output_names=None, title=None, unit=0.8, fontsize=10,
               label_at=None, dx=2.0, dy=1.2):
    """Draw `graph` (or the part `nodes`, a list of names); returns the Axes.

    positions    {name: (x, y)} overriding layout() for the nodes given (data units; 1 unit is
                 `unit` inches when this function makes the figure).
    values       write each arrow's forward value above it; grads: the gradient sent back along
                 it below it (red), once backward() has run.
    fmt          value -> text (default: 4 significant digits; arrays by shape).
    output_names {name: text} at the end of an output arrow (default: the node's name).
    label_at     {(from_name, to_name): t}: where along that arrow (0..1) its labels sit;
                 (name, None) for an output arrow. Other labels start mid-arrow and slide along
                 their arrows if they collide.
    Constants are written as their value ("1.1") or, when named, as "name = value", with no labels
    on their arrows: they are not variables, so no gradient is shown for them.
    """
    check.instance(graph, Graph, "draw_graph: graph")
    view = _View(graph, nodes)
    pos = layout(graph, dx=dx, dy=dy, nodes=nodes)
    for name, p in (positions or {}).items():
        graph[name]  # an unknown name raises a clear KeyError
        pos[name] = (float(p[0]), float(p[1]))
    label_at = dict(label_at or {})
    output_names = dict(output_names or {})
    sinks = view.sinks()

    radius = {n.name: _radius(n.label, fontsize + 1, unit) for n in view.nodes if not view.is_leaf(n)}
    out_end = {}
    for n in sinks:  # long enough for its labels
        texts = [fmt(v) for v, on in ((n.value, values), (n.grad, grads)) if on and v is not None]
        width = max((_text_width(t, fontsize) for t in texts), default=0.0) / 72 / unit
        length = max(0.8 * dx, radius.get(n.name, 0.0) + width + 0.4)
        out_end[n.name] = (pos[n.name][0] + length, pos[n.name][1])
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    xmin, xmax = min(xs) - 1.2, max(e[0] for e in out_end.values()) + 1.1
    ymin, ymax = min(ys) - 0.7, max(ys) + 0.7
    if ax is None:
        height = (ymax - ymin) * unit + (0.4 if title else 0)
        fig, ax = plt.subplots(figsize=((xmax - xmin) * unit, height))
        # The Axes fills the figure, so 1 data unit really is `unit` inches.
        fig.subplots_adjust(left=0, right=1, bottom=0, top=1 - (0.4 / height if title else 0))
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=fontsize + 2)

    # Converging (diverging) slanted arrows start with their labels nearer their source (target),
    # where they are further apart. Constants' arrows carry no labels, so they don't count.
    n_uses = {n.name: len(view.uses[n.name]) for n in view.nodes}
    n_labelled_in = {n.name: sum(p.op != "const" for p in view.parents(n)) for n in view.nodes}

    for n in view.nodes:
        x, y = pos[n.name]
        if view.is_leaf(n):
            text = n.name if n.name in view.outside else n.label
            if n.op == "const" and n.label != format_value(n.value):
                text = f"{n.label} = {fmt(n.value)}"  # a named constant: name and value together
            ax.text(x - 0.06, y, text, ha="right", va="center", fontsize=fontsize + 1, zorder=4)
        else:
            ax.add_patch(Circle((x, y), radius[n.name], fc="white", ec="black", lw=1.3, zorder=3))
            ax.text(x, y, n.label, ha="center", va="center", fontsize=fontsize + 1, zorder=4)

    edges = []  # (start, end, label annotations, other places t to try if they collide)

    def arrow(start, end, above, below, key, t):
        start, end = np.asarray(start, float), np.asarray(end, float)
        patch = FancyArrowPatch(tuple(start), tuple(end), arrowstyle="-|>", mutation_scale=12, lw=1.2,
                                color=EDGE_COLOR, shrinkA=0, shrinkB=0, zorder=2)
        patch.graph_segment = (tuple(start), tuple(end))  # read by _problems
        ax.add_patch(patch)
        fixed = key in label_at
        t = label_at.get(key, t)
        made = _label_pair(ax, start + t * (end - start), end - start, above, below, fontsize)
        patch.graph_labels = made  # its own labels may touch it
        edges.append((start, end, made, [] if fixed else _slide(t)))

    # Arrows into each drawn operation: the operand's value above, the gradient sent back below.
    for n in view.nodes:
        for slot, p in enumerate(view.parents(n)):
            start = pos[p.name] if view.is_leaf(p) else _edge_point(pos[p.name], radius[p.name], pos[n.name])
            end = _edge_point(pos[n.name], radius[n.name], pos[p.name])
            if p.op == "const":  # its value is written at its left end; constants get no gradient
                arrow(start, end, None, None, (p.name, n.name), 0.5)
                continue
            run, rise = end - np.asarray(start)
            slanted = abs(rise) > 0.25 * abs(run)  # a level arrow keeps its labels in the middle
            fan_in = slanted and n_labelled_in[n.name] > 1
            fan_out = slanted and n_uses[p.name] > 1
            t = 0.35 if fan_in and not fan_out else 0.65 if fan_out and not fan_in else 0.5
            above = fmt(p.value) if values and p.value is not None else None
            g = n.edge_grads[slot] if grads and n.edge_grads is not None else None
            arrow(start, end, above, fmt(g) if g is not None else None, (p.name, n.name), t)

    # Output arrows, each ending in its node's name.
    for n in sinks:
        start = pos[n.name] if view.is_leaf(n) else _edge_point(pos[n.name], radius[n.name], out_end[n.name])
        above = fmt(n.value) if values and n.value is not None else None
        below = fmt(n.grad) if grads and n.grad is not None else None
        arrow(start, out_end[n.name], above, below, (n.name, None), 0.5)
        ax.text(out_end[n.name][0] + 0.08, out_end[n.name][1], output_names.get(n.name, n.name),
                ha="left", va="center", fontsize=fontsize + 1, zorder=4)

    _settle_labels(ax, edges)
    return ax


def _slide(t):
    """Other places along an arrow to try for its labels, nearest to t first."""
    return sorted((c for c in (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8) if abs(c - t) > 1e-9),
                  key=lambda c: (abs(c - t), c))


def _settle_labels(ax, edges, rounds=8):
    """Slide the labels of arrows whose labels collide along their arrows until nothing collides
    (or no place is left to try). Deterministic: the same graph always ends the same way."""
    _settle_layout(ax)
    for _ in range(rounds):
        bad = {id(t) for _, texts in _problems(ax) for t in texts}
        moved = False
        for start, end, made, tries in edges:
            if tries and any(id(a) in bad for a in made):
                t = tries.pop(0)
                for a in made:
                    a.xy = tuple(start + t * (end - start))
                moved = True
        if not moved:
            return


def drawn_texts(ax):
    """The strings of every text artist on the Axes, in drawing order (for comparisons)."""
    check.has(ax, ("texts",), "drawn_texts: ax", "matplotlib Axes")
    return [t.get_text() for t in ax.texts]


def _rect_hits_circle(bbox, cx, cy, r):
    nearest_x = min(max(cx, bbox.x0), bbox.x1)
    nearest_y = min(max(cy, bbox.y0), bbox.y1)
    return (nearest_x - cx) ** 2 + (nearest_y - cy) ** 2 < r * r


def _pixel_points(ax, segment):
    """Points every 2 pixels along an arrow given in data units, in display pixels."""
    ends = ax.transData.transform(np.array(segment, dtype=float))
    steps = int(np.hypot(*(ends[1] - ends[0])) // 2) + 2
    return np.linspace(ends[0], ends[1], steps)


def _distance_to_box(points, box):
    """Smallest distance in pixels from any of `points` to the rectangle `box` (0 inside it)."""
    dx = np.maximum(np.maximum(box.x0 - points[:, 0], points[:, 0] - box.x1), 0)
    dy = np.maximum(np.maximum(box.y0 - points[:, 1], points[:, 1] - box.y1), 0)
    return float(np.min(np.hypot(dx, dy)))


def _problems(ax, tol=0.5, clearance=2.0):
    """[(sentence, texts involved)] for every collision or clipped label on the Axes (pixels).
    A text closer than `clearance` pixels to an arrow that is not its own counts as lying on it."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    texts = [t for t in ax.texts if t.get_text() and t.get_visible()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    problems = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            if min(a.x1, b.x1) - max(a.x0, b.x0) > tol and min(a.y1, b.y1) - max(a.y0, b.y0) > tol:
                problems.append((f"texts {texts[i].get_text()!r} and {texts[j].get_text()!r} overlap",
                                 (texts[i], texts[j])))
    edge = fig.bbox
    for t, b in zip(texts, boxes, strict=True):
        if b.x0 < edge.x0 - tol or b.x1 > edge.x1 + tol or b.y0 < edge.y0 - tol or b.y1 > edge.y1 + tol:
            problems.append((f"text {t.get_text()!r} is cut off by the figure edge", (t,)))
    arrows = [(patch, _pixel_points(ax, patch.graph_segment)) for patch in ax.patches
              if getattr(patch, "graph_segment", None) is not None]
    for patch, points in arrows:
        own = {id(t) for t in patch.graph_labels}
        for t, b in zip(texts, boxes, strict=True):
            if id(t) not in own and _distance_to_box(points, b) < clearance:
                problems.append((f"text {t.get_text()!r} lies on an arrow", (t,)))
    # A label must be nearer to its own arrow than to any other, or a reader cannot tell which arrow
    # it belongs to (several arrows leaving or entering one node carry similar numbers).
    for patch, points in arrows:
        for t in patch.graph_labels:
            b = t.get_window_extent(renderer)
            mine = _distance_to_box(points, b)
            if mine < 1.0:
                problems.append((f"label {t.get_text()!r} lies on its own arrow", (t,)))
            others = [_distance_to_box(q, b) for p, q in arrows if p is not patch]
            if others and min(others) <= mine + tol:
                problems.append((f"label {t.get_text()!r} is as near to another arrow as to its own", (t,)))
    for patch in ax.patches:
        if not isinstance(patch, Circle):
            continue
        cx, cy = ax.transData.transform(patch.center)
        r = abs(ax.transData.transform((patch.center[0] + patch.radius, patch.center[1]))[0] - cx)
        for t, b in zip(texts, boxes, strict=True):
            if np.hypot((b.x0 + b.x1) / 2 - cx, (b.y0 + b.y1) / 2 - cy) < 0.5 * r:
                continue  # the circle's own operation label
            if _rect_hits_circle(b, cx, cy, r - tol):
                problems.append((f"text {t.get_text()!r} overlaps a node circle", (t,)))
    return problems


def _settle_layout(ax):
    """Put the Axes where drawing will put it, so text extents can be measured. Without a layout
    engine that is just the equal-aspect adjustment (cheap); with one, it takes a full draw."""
    if ax.figure.get_layout_engine() is not None:
        ax.figure.canvas.draw()
    else:
        ax.apply_aspect()


def layout_problems(ax):
    """What is wrong with a drawing's labels, as a list of sentences (empty when it reads well):
    two texts overlapping, a text on a circle it is not written in, on (or within 2 pixels of) an
    arrow that is not its own, or across its own arrow, a label as near to another arrow as to its
    own (a reader could not tell which arrow it belongs to), a text cut off by the figure edge.
    Measured in display pixels with the figure's renderer."""
    check.has(ax, ("texts", "figure"), "layout_problems: ax", "matplotlib Axes")
    _settle_layout(ax)
    return [sentence for sentence, _ in _problems(ax)]


def draw_checked(graph, **kwargs):
    """draw_graph(graph, **kwargs), then raise ValueError if layout_problems() finds any: for
    notebooks, whose figures must stay legible when the numbers in them change."""
    check.instance(graph, Graph, "draw_checked: graph")
    ax = draw_graph(graph, **kwargs)
    problems = layout_problems(ax)
    if problems:
        raise ValueError("the drawing does not read well: " + "; ".join(problems)
                         + " (pass positions= or label_at= to move things apart)")
    return ax
