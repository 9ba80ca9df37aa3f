"""Shared code of the notebooks: the functions, gradients, layers and networks of the primer.

Modules (import the one you need; none of them imports matplotlib or ipywidgets):
    common.functions   activations, softmax, losses
    common.gradient    numerical differentiation, relative error
    common.layers      MulLayer, AddLayer, Relu, Sigmoid, Affine, SoftmaxWithLoss, ...
    common.networks    TwoLayerNet, MultiLayerNet
    common.optimizers  SGD
    common.training    the mini-batch training loop
"""
