"""MultiLayerNetExtend: MultiLayerNet with Batch Normalization and Dropout, as the primer's (§6.3-6.4).

    Affine1 -> [BatchNorm1] -> Activation_function1 -> [Dropout1] -> ... -> Affine(L) -> SoftmaxWithLoss

The bracketed layers are there when use_batchnorm / use_dropout say so; they are all this class adds
to MultiLayerNet, whose predict, loss, accuracy, gradient and numerical_gradient it uses as they
are. Both layers behave differently in training and at inference: predict and loss take train_flg
(False by default: inference), accuracy measures at inference, and gradient and numerical_gradient
work in training mode, as the primer's do.
"""

import numpy as np

from common import _checks as check
from common.layers import BatchNormalization, Dropout
from common.multi_layer_net import _ACTIVATIONS, MultiLayerNet


class MultiLayerNetExtend(MultiLayerNet):
    """input_size -> hidden_size_list[0] -> ... -> output_size, optionally with batch norm and dropout.

    The arguments of MultiLayerNet (see there), plus:
    use_dropout: a Dropout layer after every hidden activation, dropping with probability
        dropout_ration (the primer's spelling of the argument).
    use_batchnorm: a BatchNormalization layer between every hidden Affine and its activation, with
        its own gamma{i} (ones) and beta{i} (zeros) in `params`, of shape (H_i,).
    seed: seeds the weights and the dropout masks.
    With dropout, every loss evaluation in training mode draws new masks, so a numerical gradient
    measures noise: to check one, give each Dropout layer the same fresh rng before every evaluation.
    """

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu",
                 weight_init_std="relu", weight_decay_lambda=0, use_dropout=False, dropout_ration=0.5,
                 use_batchnorm=False, seed=None):
        self.use_dropout = use_dropout
        self.dropout_ration = check.fraction(dropout_ration, "MultiLayerNetExtend: dropout_ration")
        self.use_batchnorm = use_batchnorm
        super().__init__(input_size, hidden_size_list, output_size, activation, weight_init_std,
                         weight_decay_lambda, seed)
        self.hidden_layer_num = len(self.sizes) - 2

    def _hidden_layers(self, i, activation, rng):
        """The layers after hidden Affine i: [BatchNorm i], its activation, [Dropout i]."""
        layers = {}
        if self.use_batchnorm:
            self.params[f"gamma{i}"] = np.ones(self.sizes[i])
            self.params[f"beta{i}"] = np.zeros(self.sizes[i])
            layers[f"BatchNorm{i}"] = BatchNormalization(self.params[f"gamma{i}"], self.params[f"beta{i}"])
        layers[f"Activation_function{i}"] = _ACTIVATIONS[activation]()
        if self.use_dropout:
            layers[f"Dropout{i}"] = Dropout(self.dropout_ration, seed=rng.spawn(1)[0])
        return layers
