"""Trainer: the primer's training driver for chapter 6 (a network, its data, an optimizer by name).

    trainer = Trainer(network, x_train, t_train, x_test, t_test, epochs=20, optimizer="adam",
                      optimizer_param={"lr": 0.001}, verbose=False, seed=0)
    trainer.train()
    trainer.train_loss_list, trainer.train_acc_list, trainer.test_acc_list

The steps are those of common.training: mini-batches from common.training.minibatches (each epoch a
fresh random order; the primer draws every batch with replacement instead) and one
common.training.sgd_step each.
"""

from common import _checks as check
from common.optimizer import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from common.training import minibatches, sgd_step

OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adagrad": AdaGrad,
              "rmsprop": RMSprop, "adam": Adam}


class Trainer:
    """Train `network` for `epochs` passes over (x_train, t_train), measuring accuracy every epoch.

    network: has params, gradient, loss, accuracy and last_layer (MultiLayerNet, MultiLayerNetExtend).
    optimizer: a name from OPTIMIZERS (any case), built with **optimizer_param.
    One epoch is train_size / mini_batch_size steps (at least 1); epochs * that many steps in all.
    After the first step of each epoch, train and test accuracy are measured, on the first
    evaluate_sample_num_per_epoch samples of each set if given (faster), else on all of them.
    Recorded: train_loss_list (the mini-batch loss of every step, before its update, without the
    weight-decay penalty), train_acc_list and test_acc_list (one per epoch). verbose prints each as
    the primer's Trainer does. seed: the order of the mini-batches.
    """

    def __init__(self, network, x_train, t_train, x_test, t_test, epochs=20, mini_batch_size=100,
                 optimizer="SGD", optimizer_param=None, evaluate_sample_num_per_epoch=None,
                 verbose=True, seed=None):
        name, epochs, mini_batch_size, evaluate_sample_num_per_epoch = check.trainer(
            network, optimizer, OPTIMIZERS, epochs, mini_batch_size, evaluate_sample_num_per_epoch,
            optimizer_param)
        self.network = network
        self.x_train, self.t_train, self.x_test, self.t_test = x_train, t_train, x_test, t_test
        self.epochs = epochs
        self.batch_size = mini_batch_size
        self.evaluate_sample_num_per_epoch = evaluate_sample_num_per_epoch
        self.verbose = verbose
        param = {"lr": 0.01} if optimizer_param is None else optimizer_param
        self.optimizer = OPTIMIZERS[name](**param)

        self.train_size = len(x_train)
        self._batches = minibatches(x_train, t_train, mini_batch_size, seed=seed)  # checks the sizes
        self.iter_per_epoch = max(self.train_size / mini_batch_size, 1)
        self.max_iter = int(epochs * self.iter_per_epoch)
        self.current_iter = 0
        self.current_epoch = 0
        self.train_loss_list = []
        self.train_acc_list = []
        self.test_acc_list = []

    def train_step(self):
        """One mini-batch step; after an epoch's first step, the accuracies."""
        loss = sgd_step(self.network, self.optimizer, *next(self._batches))
        self.train_loss_list.append(loss)
        if self.verbose:
            print(f"train loss:{loss}")
        if self.current_iter // self.iter_per_epoch == self.current_epoch:  # a new epoch has begun
            self.current_epoch += 1
            self._evaluate()
        self.current_iter += 1

    def _evaluate(self):
        n = self.evaluate_sample_num_per_epoch
        x_train, t_train, x_test, t_test = self.x_train, self.t_train, self.x_test, self.t_test
        if n is not None:
            x_train, t_train, x_test, t_test = x_train[:n], t_train[:n], x_test[:n], t_test[:n]
        train_acc = self.network.accuracy(x_train, t_train)
        test_acc = self.network.accuracy(x_test, t_test)
        self.train_acc_list.append(train_acc)
        self.test_acc_list.append(test_acc)
        if self.verbose:
            print(f"=== epoch:{self.current_epoch}, train acc:{train_acc}, test acc:{test_acc} ===")

    def train(self):
        """Run every step, then measure the test accuracy on the whole test set."""
        for _ in range(self.max_iter):
            self.train_step()
        test_acc = self.network.accuracy(self.x_test, self.t_test)
        if self.verbose:
            print("=============== Final Test Accuracy ===============")
            print(f"test acc:{test_acc}")
        return test_acc
