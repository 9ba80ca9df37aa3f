"""MNIST for the notebooks: load_mnist() with the primer's signature.

Testing is always on MNIST's 10,000 official test digits, whose two published files are bundled in
this folder. Training: source="bundled" (the default) uses 5,000 real MNIST training digits shipped
here (see README.md), so everything works offline and loads in milliseconds; source="full" uses all
60,000 training digits from a local cache, which `python -m dataset.mnist --download` fills (see
dataset/download.py and README.md).
"""

import argparse
import io
import sys
from pathlib import Path

import numpy as np

from dataset import download
from dataset.errors import DatasetError
from dataset.idx import IdxError, parse_idx_gz
from dataset.published import FileSpec, read_published

BUNDLE_DIR = Path(__file__).parent
BUNDLE = FileSpec("mnist_5k.npz", "50df3ee4e38f65b70530f9b06313f2c4affb8ae60614a506c95e425c3500d8fc", 806803)
BUNDLE_PATH = BUNDLE_DIR / BUNDLE.name
SOURCES = ("bundled", "full", "auto")
NUM_CLASSES = 10
RESTORE = "restore it with `git checkout -- dataset/{name}`"
FETCH = "`python -m dataset.mnist --download` fetches it"

__all__ = ["DatasetError", "load_mnist", "main"]


def load_mnist(normalize=True, flatten=True, one_hot_label=False, source="bundled"):
    """Return ((x_train, t_train), (x_test, t_test)), as the primer's load_mnist does.

    normalize: pixels as float32 in [0, 1] (True) or uint8 0-255 (False).
    flatten: images as (N, 784) (True) or (N, 1, 28, 28) (False).
    one_hot_label: labels as (N, 10) float64 one-hot rows (True) or (N,) uint8 digits (False).
    source: where the training digits come from; the test set is always MNIST's 10,000 official
        test digits (bundled), in the published order.
        "bundled": 5,000 training digits in the repository (500 of each), N = 5,000;
        "full": MNIST's 60,000 training digits in the published order, read from the cache directory
        ($DLFS_MNIST_DIR, else ~/.cache/dlfs-companion/mnist) and downloaded first if missing
        or corrupt (progress on stderr; raises DatasetError if that fails);
        "auto": "full" if it is already cached and valid, else "bundled"; never downloads, and
        prints one line to stderr saying which it used and why.

    Rules on input: normalize, flatten and one_hot_label must be True or False (TypeError: a string
    such as "no" would otherwise count as True); anything wrong with a file (a missing, corrupt
    or unreadable file, a directory where a file should be) is a DatasetError naming the file.

    The bundled training digits are ordered digit by digit (0, 1, ..., 9, 0, 1, ...), so x_train[:10]
    shows the ten digits.
    """
    for name, value in (("normalize", normalize), ("flatten", flatten), ("one_hot_label", one_hot_label)):
        if not isinstance(value, bool | np.bool_):
            raise TypeError(f"load_mnist: {name} must be True or False, got {value!r}")
    if source not in SOURCES:
        raise ValueError(f"load_mnist: source must be one of {SOURCES}, got {source!r}")
    if source == "bundled":
        train = _bundled_train()
    elif source == "full":
        train = _full_train()
    else:
        train = _auto_train()
    test = _read_split(BUNDLE_DIR, download.TEST_FILES, RESTORE)
    return (
        _format(*train, normalize, flatten, one_hot_label),
        _format(*test, normalize, flatten, one_hot_label),
    )


def _bundled_train():
    """(images (5000, 784), labels (5000,)), uint8, interleaved digit by digit."""
    images, labels = _read_bundle()
    order = _interleave(labels)
    return images[order], labels[order]


def _full_train():
    """The cached 60,000 training digits, fetching whatever is missing or corrupt first."""
    directory = download.cache_dir()
    try:
        return _read_split(directory, download.TRAIN_FILES, FETCH)
    except DatasetError:
        download.download_mnist(directory)  # raises DownloadError, naming every URL, if it cannot
        return _read_split(directory, download.TRAIN_FILES, FETCH)


def _auto_train():
    """The full training set if cached and valid, else the bundled one; one line on stderr says which."""
    directory = download.cache_dir()
    try:
        train = _read_split(directory, download.TRAIN_FILES, FETCH)
        used = f"the full MNIST training set from {directory}"
    except DatasetError as err:
        train = _bundled_train()
        used = f"the bundled training digits (full MNIST not used: {err})"
    print(f'load_mnist(source="auto"): {len(train[1]):,} train / 10,000 test images, {used}',
          file=sys.stderr, flush=True)
    return train


def _read_split(directory, files, fix):
    """(images (N, 784), labels (N,)), uint8, from the pair of .gz files {"images": spec, "labels": spec}.

    Each file is read once, its SHA-256 checked on those very bytes, then parsed as IDX. Raises
    DatasetError (one line, naming the file and `fix`, the way to get it) if a file is missing,
    corrupt or malformed.
    """
    arrays = {}
    for role, spec in files.items():
        path = Path(directory) / spec.name
        data = read_published(path, spec, fix.format(name=spec.name))
        try:
            arrays[role] = parse_idx_gz(data, shape=spec.shape)
        except IdxError as err:
            raise DatasetError(f"{path} is not a valid IDX file: {err}") from None
    images, labels = arrays["images"], arrays["labels"]
    if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != images.shape[:1]:
        raise DatasetError(
            f"images {images.shape} and labels {labels.shape} in {directory} do not fit: "
            "expected (N, 28, 28) and (N,)"
        )
    if labels.size and labels.max() >= NUM_CLASSES:
        raise DatasetError(f"labels in {directory} contain {labels.max()}, but digits go from 0 to 9")
    return images.reshape(len(images), 28 * 28), labels


def _read_bundle(path=BUNDLE_PATH):
    """(images uint8 (5000, 784), labels uint8 (5000,)) from the bundle, if it is the published file."""
    data = read_published(path, BUNDLE, RESTORE.format(name=BUNDLE.name))
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return npz["images"], npz["labels"]


def _interleave(labels):
    """Index array: sample 0 of each digit, then sample 1 of each digit, ... (equal counts per digit)."""
    by_digit = [np.flatnonzero(labels == digit) for digit in range(NUM_CLASSES)]
    return np.stack(by_digit, axis=1).ravel()


def _format(images, labels, normalize, flatten, one_hot_label):
    if normalize:
        x = images.astype(np.float32)
        x /= 255.0  # in place: the full set would otherwise hold a second 188 MB copy for a moment
    else:
        x = images.copy()
    if not flatten:
        x = x.reshape(-1, 1, 28, 28)
    t = np.eye(NUM_CLASSES)[labels] if one_hot_label else labels.copy()
    return x, t


def main(argv=None):
    """`python -m dataset.mnist [--download] [--dir DIR]`: report on, or fill, the full-MNIST cache.

    Returns the exit code: 0 when the two training files are present and verified, 1 otherwise (with a
    message on stderr, no traceback), 130 after Ctrl-C.
    """
    parser = argparse.ArgumentParser(
        prog="python -m dataset.mnist",
        description="MNIST's 60,000 training digits for load_mnist(source='full') (the 10,000 test "
        "digits are bundled). Without --download, report which of the two files are in the cache "
        "and verified.",
    )
    parser.add_argument("--download", action="store_true",
                        help="fetch the missing or corrupt files from the mirrors, checking each SHA-256")
    parser.add_argument("--dir", metavar="DIR",
                        help=f"cache directory (default: ${download.ENV_VAR} if set, else "
                        "$XDG_CACHE_HOME/dlfs-companion/mnist, XDG_CACHE_HOME defaulting to ~/.cache)")
    parser.add_argument("--timeout", type=float, default=download.DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="give up on a connection that sends nothing for this long "
                        "(default: %(default)g)")
    parser.add_argument("--mirror", action="append", metavar="URL",
                        help="base URL to try instead of the built-in mirrors (repeatable); "
                        "the file name is appended to it")
    args = parser.parse_args(argv)
    if not args.timeout > 0:
        parser.error("--timeout must be a positive number of seconds")
    directory = download.cache_dir(args.dir)
    if directory.exists() and not directory.is_dir():
        print(f"error: the cache directory {directory} is a file, not a directory: remove or rename it, "
              "or choose another one with --dir.", file=sys.stderr)
        return 1

    if not args.download:
        problems = {spec.name: download.check_file(directory / spec.name, spec)
                    for spec in download.TRAIN_FILES.values()}
        print(f"MNIST training-set cache: {directory}")
        for name, problem in problems.items():
            print(f"  {name}: {problem or 'ok, SHA-256 verified'}")
        blocked = [name for name in problems if (directory / name).is_dir()]
        if blocked:
            print(f"error: {', '.join(str(directory / n) for n in blocked)} "
                  f"{'is a directory' if len(blocked) == 1 else 'are directories'} where the data "
                  "file should be; no download can replace a directory: remove or rename it, then "
                  "run `python -m dataset.mnist --download` again.", file=sys.stderr)
            return 1
        if any(problems.values()):
            where = f" --dir {directory}" if args.dir else ""
            print(f"incomplete: `python -m dataset.mnist --download{where}` fetches what is missing")
            return 1
        print('complete: load_mnist(source="full") reads it')
        return 0

    mirrors = [m if m.endswith("/") else m + "/" for m in args.mirror] if args.mirror else None
    try:
        download.download_mnist(directory, mirrors=mirrors, timeout=args.timeout)
    except DatasetError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: the partial download was deleted", file=sys.stderr)
        return 130
    print(f'The MNIST training set is ready in {directory}: load_mnist(source="full") reads it.')
    return 0


if __name__ == "__main__":
    sys.exit(main())
