"""MNIST for the notebooks: `from dataset import load_mnist`.

    mnist.py       load_mnist(): the bundled training digits and official test digits, or the full set
    download.py    fetch the 60,000 training digits into a local cache
    idx.py         read the IDX format MNIST is published in
    published.py   is this the published file? (size and SHA-256), asked by every reader
    errors.py      DatasetError
    sample_weight.py  the trained weights of notebook 01 (dataset/sample_weight.npz)

The names are imported on first use (PEP 562), so `python -m dataset.mnist` does not find
dataset.mnist already imported by this package (runpy warns about that).
"""

__all__ = ["DatasetError", "load_mnist"]


def __getattr__(name):
    if name == "DatasetError":
        from dataset.errors import DatasetError

        return DatasetError
    if name == "load_mnist":
        from dataset.mnist import load_mnist

        return load_mnist
    raise AttributeError(f"module 'dataset' has no attribute {name!r}")
