"""The learning loop of primer chapter 4: mini-batch SGD with an accuracy check every epoch.

Rules on input (tests/test_bad_input.py): steps, batch_size and eval_every are integers (TypeError
for "3" or 3.0), steps and eval_every >= 1, batch_size in 1..N; the network needs params, gradient,
loss, accuracy and last_layer, the optimizer update (TypeError naming the parameter otherwise);
train_data and test_data are (x, t) pairs with as many targets as inputs; log is a callable or None.
The values of x and t are checked by the network's layers, on the first step.
"""

from dataclasses import dataclass, field

from common import _checks as check


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
    check.model(network, optimizer, "train", needs=("params", "gradient", "last_layer", "accuracy"))
    x_train, t_train = check.pair(train_data, "train: train_data")
    if test_data is not None:
        check.pair(test_data, "train: test_data")
    steps = check.integer(steps, "train: steps", 1)
    if eval_every is not None:
        eval_every = check.integer(eval_every, "train: eval_every", 1)
    if log is not None:
        check.function(log, "train: log")
    batches = minibatches(x_train, t_train, batch_size, seed=seed)  # checks batch_size
    batches_per_epoch = len(x_train) // batch_size
    eval_every = eval_every or batches_per_epoch

    history = History()
    for step in range(1, steps + 1):
        x_batch, t_batch = next(batches)
        history.loss.append(_step(network, optimizer, x_batch, t_batch))
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
    x, t, batch_size, rng = check.minibatches(x, t, batch_size, seed)
    return _epochs(x, t, batch_size, rng)  # checked now, not at first next()


def _epochs(x, t, batch_size, rng):
    n = len(x)
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            batch = order[start:start + batch_size]
            # A gather by index: a new array of just these rows, which the caller may keep. A take()
            # into a reused buffer saves the allocation (barely faster when measured for issue 7) but would
            # hand out arrays that the next batch overwrites.
            yield x[batch], t[batch]


def sgd_step(network, optimizer, x_batch, t_batch):
    """One step of mini-batch gradient descent; returns the batch loss (before the update).

    Gradients by backpropagation (network.gradient), then optimizer.update(network.params, grads).
    """
    check.model(network, optimizer, "sgd_step")
    return _step(network, optimizer, x_batch, t_batch)


def _step(network, optimizer, x_batch, t_batch):
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
