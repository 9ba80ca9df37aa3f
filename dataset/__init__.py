"""MNIST for the notebooks: `from dataset import load_mnist`."""

from dataset.mnist import DatasetError, load_mnist

__all__ = ["DatasetError", "load_mnist"]
