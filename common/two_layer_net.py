"""TwoLayerNet: the primer's two-layer net (primer §4.5 and §5.7).

    Affine1 -> Sigmoid (or Relu) -> Affine2 -> SoftmaxWithLoss

It is MultiLayerNet with one hidden layer and the primer's small random start.
"""

from common import _checks as check
from common.multi_layer_net import MultiLayerNet


class TwoLayerNet(MultiLayerNet):
    """input_size D -> hidden_size H -> output_size C.

    Weights are drawn from N(0, weight_init_std^2), biases start at 0:
        W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)
    The same seed gives the same weights. predict, loss, accuracy, gradient and numerical_gradient are
    MultiLayerNet's.
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, seed=None,
                 activation="sigmoid"):
        check.integer(hidden_size, "TwoLayerNet: hidden_size", 1)  # named as the caller names it
        super().__init__(input_size, [hidden_size], output_size, activation=activation,
                         weight_init_std=weight_init_std, seed=seed)
