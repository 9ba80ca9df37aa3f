"""Shared code of the notebooks: the functions, gradients, layers and networks of the primer.

The math (numpy only):
    common.functions   activations, softmax, losses
    common.gradient    numerical differentiation, gradient descent, relative error
    common.layers      MulLayer, AddLayer, Relu, Sigmoid, Affine, SoftmaxWithLoss, ...
    common.two_layer_net    TwoLayerNet (primer §4.5, §5.7)
    common.multi_layer_net  MultiLayerNet, any depth, the primer's constructor
    common.multi_layer_net_extend  MultiLayerNetExtend: + Dropout, Batch Normalization (primer §6.3-6.4)
    common.optimizer   SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam (primer §6.1)
    common.trainer     Trainer, the primer's training driver (chapter 6 scripts)
    common.util        smooth_curve, shuffle_dataset
    common.training    the mini-batch training loop the notebooks use
    common.measure     counting calls and timing one (the cost of a gradient)
    common.graph       a computational-graph recorder (forward values, gradients)
    common.towers      sigmoid steps, towers and their sums (universal approximation)
    common.bowl        the primer's bowl f(x, y) = x^2/20 + y^2 and optimizer paths on it
    common.symbolic    a tiny expression tree: symbolic derivatives and their size
    common.perceptron  AND, NAND, OR gates (primer §2.3)
    common.three_layer_net  the primer's §3.4 network and forward pass

The views (these import matplotlib or ipywidgets; the math modules never import them):
    common.plotting     the series' figure style
    common.graph_draw   draws a common.graph the way the primer does
    common.towers_view  the tower explorer of notebook 07 (anywidget; front end towers_widget.js)
    common.bowl_view    the optimizer explorer of notebook 09 (anywidget; front end bowl_view.js)

Bad input raises TypeError (the wrong kind of value) or ValueError (a wrong value or shape) with a
message naming the function and the parameter; calling a layer's backward before its forward raises
RuntimeError. The docstrings of functions, gradient, layers, multi_layer_net, optimizer, training
and measure write their rules for the borderline cases (NaN, ±inf, empty batches, what a target
means), and tests/test_bad_input.py holds a case for each.
"""
