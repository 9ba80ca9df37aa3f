"""MNIST for the notebooks: `from dataset import load_mnist`.

The names are imported on first use (PEP 562), so `python -m dataset.mnist` does not find
dataset.mnist already imported by this package (runpy warns about that).
"""

__all__ = ["DatasetError", "load_mnist"]


def __getattr__(name):
    if name in __all__:
        from dataset import mnist

        return getattr(mnist, name)
    raise AttributeError(f"module 'dataset' has no attribute {name!r}")
