"""The learning loop of primer chapter 4: mini-batch SGD with an accuracy check every epoch."""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class History:
    """What a training run recorded, ready to plot.

    loss: the mini-batch loss at every step (length = steps).
    eval_steps: the steps after which accuracy was measured; train_acc, test_acc: the accuracies then.
    """

    loss: list = field(default_factory=list)
    eval_steps: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    test_acc: list = field(default_factory=list)


def train(network, optimizer, train_data, test_data=None, steps=2000, batch_size=100,
          eval_every=None, seed=0, log=print):
    """Train `network` with mini-batch gradient descent and return its History.

    network: has params, gradient(x, t), loss(x, t) and accuracy(x, t) (TwoLayerNet, MultiLayerNet).
    optimizer: has update(params, grads) (SGD).
    train_data, test_data: (x, t) pairs, x of shape (N, D), t labels (N,) or one-hot (N, C).
    Each epoch visits the training set once in a fresh random order (seeded), batch_size samples a
    step. Accuracy is measured every `eval_every` steps (default: once an epoch) and at the end, and
    `log` (print by default; None for silence) gets one line each time.
    """
    x_train, t_train = train_data
    n = len(x_train)
    if len(t_train) != n:
        raise ValueError(f"train_data: {n} inputs but {len(t_train)} targets")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be in 1..{n} (the training set size), got {batch_size}")
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    batches_per_epoch = n // batch_size
    eval_every = eval_every or batches_per_epoch

    rng = np.random.default_rng(seed)
    history = History()
    order = None
    for step in range(1, steps + 1):
        position = (step - 1) % batches_per_epoch
        if position == 0:
            order = rng.permutation(n)
        batch = order[position * batch_size:(position + 1) * batch_size]
        x_batch, t_batch = x_train[batch], t_train[batch]

        grads = network.gradient(x_batch, t_batch)
        history.loss.append(network.last_layer.loss)  # the loss gradient() just computed
        optimizer.update(network.params, grads)

        if step % eval_every == 0 or step == steps:
            _evaluate(network, history, step, train_data, test_data, batches_per_epoch, log)
    return history


def _evaluate(network, history, step, train_data, test_data, batches_per_epoch, log):
    history.eval_steps.append(step)
    history.train_acc.append(network.accuracy(*train_data))
    line = f"step {step:5d}  epoch {step / batches_per_epoch:6.2f}  loss {history.loss[-1]:.4f}"
    line += f"  train acc {history.train_acc[-1]:.4f}"
    if test_data is not None:
        history.test_acc.append(network.accuracy(*test_data))
        line += f"  test acc {history.test_acc[-1]:.4f}"
    if log is not None:
        log(line)
