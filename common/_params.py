"""Saving and loading a network's params as .npz (no pickle): the convolutional networks' save_params
and load_params."""

import numpy as np

from common import _checks as check


def save(params, file_name):
    """Write params (a dict of float arrays) to file_name, exactly that name, as an .npz."""
    with open(file_name, "wb") as f:
        np.savez(f, **params)


def load(name, params, file_name):
    """The arrays of an .npz written by save, checked against params (keys, shapes, float dtypes).

    np.load with allow_pickle=False: a pickle (the primer's .pkl files) is refused, never run.
    """
    try:
        with np.load(file_name, allow_pickle=False) as npz:
            loaded = {key: npz[key] for key in npz.files}
    except ValueError as err:  # numpy's word for a pickle it will not unpickle
        raise ValueError(f"{name}.load_params: {file_name} is not an .npz of arrays ({err}); "
                         "this network reads no pickles, which can run code") from None
    return check.params_file(name, loaded, params, file_name)
