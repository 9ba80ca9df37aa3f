"""The series' own teaching code: what only these notebooks use, built on `common`.

The math (numpy only):
    companion.graph       a computational-graph recorder (forward values, gradients)
    companion.symbolic    a tiny expression tree: symbolic derivatives and their size
    companion.towers      sigmoid steps, towers and their sums (universal approximation)
    companion.bowl        the primer's bowl f(x, y) = x^2/20 + y^2 and optimizer paths on it
    companion.perceptron  AND, NAND, OR gates (primer §2.3)
    companion.three_layer_net  the primer's §3.4 network and forward pass
    companion.measure     counting calls and timing one (the cost of a gradient)

The views (these import matplotlib or anywidget; the math modules never import them):
    companion.plotting    the series' figure style
    companion.graph_draw  draws a companion.graph the way the primer does
    companion.towers_figure, companion.towers_view   notebook 07's tower explorer: its matplotlib
                          figure, its widget (front end static/towers_math.js + towers_widget.js)
    companion.bowl_figure, companion.bowl_view       notebook 09's optimizer explorer, the same way
                          (front end static/bowl_math.js + bowl_widget.js)
    companion.explorer_page  docs/explorer.html, the tower explorer with no Python
    companion.assets      the explorers' static files (companion/static/: JS, CSS, the page template)
"""
