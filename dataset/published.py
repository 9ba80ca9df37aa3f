"""Is this the published file? One answer for every reader of the package's data files.

A file is the published one when it has the published size and SHA-256. `mismatch` decides that;
`read_published` (the bundled files, the cache, the trained weights) and `check_file` (the cache
report) read a file and ask it; the download asks it about the bytes it received.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from dataset.errors import DatasetError


@dataclass(frozen=True)
class FileSpec:
    """One published file: its name, SHA-256 (hex), size in bytes, and the IDX dimensions inside
    (None for files that are not IDX)."""

    name: str
    sha256: str
    size: int
    shape: tuple | None = None


def mismatch(spec, size, sha256):
    """None if a file of `size` bytes with hex SHA-256 `sha256` is the published `spec`, else why not."""
    if size != spec.size:
        return f"{size:,} bytes, expected {spec.size:,} (truncated or wrong file)"
    if sha256 != spec.sha256:
        return f"SHA-256 {sha256}, expected {spec.sha256}"
    return None


def read_published(path, spec, fix):
    """The bytes of `path` if it is the published `spec`; else DatasetError naming the file and `fix`
    (how to get the right one, e.g. "restore it with git")."""
    path = Path(path)
    if path.is_dir():
        raise DatasetError(not_a_file_message(path))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path.name} is missing from {path.parent} ({fix})") from None
    except OSError as err:
        raise DatasetError(f"cannot read {path}: {err.strerror or err}") from None
    problem = mismatch(spec, len(data), hashlib.sha256(data).hexdigest())
    if problem:
        raise DatasetError(f"{path} is corrupt or incomplete: {problem} ({fix})")
    return data


def check_file(path, spec):
    """None if `path` holds exactly the published file, else a short reason ("missing", ...).

    Never raises for what is at `path` (a directory, an unreadable file): that is a reason too.
    """
    if Path(path).is_dir():
        return "a directory, not a file (remove or rename it)"
    try:
        with open(path, "rb") as f:
            digest = hashlib.file_digest(f, "sha256")
            size = f.tell()
    except FileNotFoundError:
        return "missing"
    except OSError as err:
        return f"unreadable ({err.strerror or err})"
    return mismatch(spec, size, digest.hexdigest())


def not_a_file_message(path):
    """The DatasetError text for a directory (or other non-file) where a data file should be."""
    return (f"{path} is a directory, not the data file {Path(path).name}: remove or rename it, "
            "or choose another cache directory")
