"""Shared code of the notebooks: the functions, gradients, layers and networks of the primer.

The math (numpy only):
    common.functions   activations, softmax, losses
    common.gradient    numerical differentiation, gradient descent, relative error
    common.layers      MulLayer, AddLayer, Relu, Sigmoid, Affine, SoftmaxWithLoss, ...
    common.two_layer_net    TwoLayerNet (primer §4.5, §5.7)
    common.multi_layer_net  MultiLayerNet, any depth, the primer's constructor
    common.optimizer   SGD
    common.training    the mini-batch training loop
    common.measure     counting calls and timing one (the cost of a gradient)
    common.graph       a computational-graph recorder (forward values, gradients)
    common.towers      sigmoid steps, towers and their sums (universal approximation)

The views (these import matplotlib or ipywidgets; the math modules never import them):
    common.plotting     the series' figure style
    common.graph_draw   draws a common.graph the way the primer does
    common.towers_view  the interactive tower explorer of chapter 7

Bad input raises TypeError (the wrong kind of value) or ValueError (a wrong value or shape) with a
message naming the function and the parameter; calling a layer's backward before its forward raises
RuntimeError. The docstrings of functions, gradient, layers, multi_layer_net, optimizer, training
and measure write their rules for the borderline cases (NaN, ±inf, empty batches, what a target
means), and tests/test_bad_input.py holds a case for each.
"""
