"""The primer's package: the modules the book's scripts import, under the book's names (numpy only).

    common.functions   activations, softmax, losses
    common.gradient    numerical differentiation, gradient descent, relative error
    common.layers      MulLayer, AddLayer, Relu, Sigmoid, Affine, SoftmaxWithLoss, Convolution, Pooling, ...
    common.two_layer_net    TwoLayerNet (primer §4.5, §5.7)
    common.multi_layer_net  MultiLayerNet, any depth, the primer's constructor
    common.multi_layer_net_extend  MultiLayerNetExtend: + Dropout, Batch Normalization (primer §6.3-6.4)
    common.simple_convnet   SimpleConvNet, the primer's convolutional network (primer §7.5)
    common.optimizer   SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam (primer §6.1)
    common.trainer     Trainer, the primer's training driver (chapter 6 scripts)
    common.util        smooth_curve, shuffle_dataset, im2col, col2im (primer §7.4.3)
    common.training    the mini-batch loop Trainer and the notebooks share

It imports numpy and nothing else, so it can stand in for the book's own common/ folder. The series'
teaching code (graphs, towers, the bowl, plotting, the explorers) is the package `companion`, which
builds on this one; nothing here imports it.

Bad input raises TypeError (the wrong kind of value) or ValueError (a wrong value or shape) with a
message naming the function and the parameter; calling a layer's backward before its forward raises
RuntimeError. The checks live in one private module, common._checks (companion uses it too): each
public function calls it once, at its boundary, and then reads as its formula.
"""
