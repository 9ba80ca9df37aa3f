"""pip install . (without -e) copies only the data files pyproject.toml lists: every data file the
dataset package ships must be listed, or an installed copy fails to load it."""

import fnmatch
import tomllib

from tools import REPO

PACKAGE_DATA = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
    "package-data"]


def test_every_file_the_dataset_package_ships_is_package_data():
    shipped = sorted(p.name for p in (REPO / "dataset").iterdir()
                     if p.is_file() and p.suffix not in (".py", ".md"))
    assert "deep_convnet.npz" in shipped and "mnist_5k.npz" in shipped
    missing = [name for name in shipped
               if not any(fnmatch.fnmatch(name, pattern) for pattern in PACKAGE_DATA["dataset"])]
    assert missing == []


def test_every_package_data_pattern_matches_a_file():
    for pattern in PACKAGE_DATA["dataset"]:
        assert list((REPO / "dataset").glob(pattern)), pattern
