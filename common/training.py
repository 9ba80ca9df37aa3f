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

    history = History()
    batches = minibatches(x_train, t_train, batch_size, seed=seed)
    for step in range(1, steps + 1):
        x_batch, t_batch = next(batches)
        history.loss.append(sgd_step(network, optimizer, x_batch, t_batch))
        if step % eval_every == 0 or step == steps:
            _evaluate(network, history, step, train_data, test_data, batches_per_epoch, log)
    return history


def minibatches(x, t, batch_size, seed=0):
    """Yield (x_batch, t_batch) pairs without end, epoch after epoch.

    x: (N, ...) inputs, t: (N,) labels or (N, C) one-hot. Each epoch draws a fresh permutation of
    0..N-1 (from np.random.default_rng(seed)) and cuts it into N // batch_size batches of batch_size
    samples; the N % batch_size samples left over wait for a later epoch. Every batch is a new array
    (a gather by index), so a caller may keep the batches it is given.
    """
    n = len(x)
    if len(t) != n:
        raise ValueError(f"minibatches: {n} inputs but {len(t)} targets")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be in 1..{n} (the training set size), got {batch_size}")
    return _epochs(x, t, batch_size, np.random.default_rng(seed))  # checked now, not at first next()


def _epochs(x, t, batch_size, rng):
    n = len(x)
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            batch = order[start:start + batch_size]
            # A gather by index: a new array of just these rows, which the caller may keep. A take()
            # into a reused buffer saves the allocation (bench/step_parts.py times both) but would
            # hand out arrays that the next batch overwrites.
            yield x[batch], t[batch]


def sgd_step(network, optimizer, x_batch, t_batch):
    """One step of mini-batch gradient descent; returns the batch loss (before the update).

    Gradients by backpropagation (network.gradient), then optimizer.update(network.params, grads).
    """
    grads = network.gradient(x_batch, t_batch)
    loss = network.last_layer.loss  # the loss gradient() just computed
    optimizer.update(network.params, grads)
    return loss


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
