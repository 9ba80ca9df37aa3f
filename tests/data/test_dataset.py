"""dataset: load_mnist()'s default, 5,000 bundled training digits and MNIST's 10,000 official test
digits: shapes, dtypes, ranges, label counts, the flags, and the checksums of the bundled files."""

import hashlib
import shutil

import numpy as np
import pytest

from dataset import DatasetError, download, load_mnist
from dataset import mnist as mnist_module

# Counts of the digits 0-9 among the 10,000 test labels, and the first twenty labels, as read from
# t10k-labels-idx1-ubyte.gz with gzip and numpy (header of 8 bytes, then one byte per label).
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
FIRST_TEST_LABELS = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4]


def test_default_shapes_dtypes_and_ranges():
    (x_train, t_train), (x_test, t_test) = load_mnist()
    assert x_train.shape == (5000, 784) and x_test.shape == (10000, 784)
    assert x_train.dtype == x_test.dtype == np.float32
    assert t_train.shape == (5000,) and t_test.shape == (10000,) and t_test.dtype == np.uint8
    for x in (x_train, x_test):
        assert x.min() == 0.0 and x.max() == 1.0


def test_label_counts_and_order():
    (_, t_train), (_, t_test) = load_mnist()
    np.testing.assert_array_equal(np.bincount(t_train), [500] * 10)
    np.testing.assert_array_equal(t_train[:20], np.tile(np.arange(10), 2))  # interleaved digit by digit
    np.testing.assert_array_equal(np.bincount(t_test), TEST_COUNTS)
    np.testing.assert_array_equal(t_test[:20], FIRST_TEST_LABELS)  # the published order: 7, 2, 1, 0, ...


def test_first_test_image_is_the_published_seven():
    _, (x_test, _) = load_mnist(normalize=False, flatten=False)
    seven = x_test[0, 0]
    # Pixel sum of the first image in the official file (the 784 bytes after the 16-byte header).
    assert seven.dtype == np.uint8 and int(seven.sum(dtype=np.int64)) == 18454
    assert seven[:5].max() == 0 and seven[:, :3].max() == 0  # empty top rows and left columns


def test_flags_like_the_primer():
    (x, t), (x_t, t_t) = load_mnist(normalize=False, flatten=False, one_hot_label=True)
    assert x.shape == (5000, 1, 28, 28) and x.dtype == np.uint8 and x.max() == 255
    assert x_t.shape == (10000, 1, 28, 28) and x_t.dtype == np.uint8
    assert t.shape == (5000, 10) and t_t.shape == (10000, 10) and t.dtype == np.float64
    np.testing.assert_array_equal(t.sum(axis=1), 1)
    np.testing.assert_array_equal(t_t.sum(axis=1), 1)
    (x2, t2), (x2_t, t2_t) = load_mnist()
    np.testing.assert_allclose(x2, x.reshape(5000, 784) / 255.0, rtol=1e-6)
    np.testing.assert_allclose(x2_t, x_t.reshape(10000, 784) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(t2, t.argmax(axis=1))
    np.testing.assert_array_equal(t2_t, t_t.argmax(axis=1))
    (x3, _), (x3_t, _) = load_mnist(normalize=True, flatten=False)
    assert x3.shape == (5000, 1, 28, 28) and x3.dtype == np.float32 and x3_t.shape == (10000, 1, 28, 28)
    (x4, _), _ = load_mnist(normalize=False, flatten=True)
    assert x4.shape == (5000, 784) and x4.dtype == np.uint8


def test_training_and_test_digits_are_disjoint_and_deterministic():
    (x_train, _), (x_test, _) = load_mnist(normalize=False)
    train_rows = {row.tobytes() for row in x_train}
    assert len(train_rows) > 4990  # real digits: almost all distinct
    assert not any(row.tobytes() in train_rows for row in x_test)
    (x_again, _), (x_test_again, _) = load_mnist(normalize=False)
    np.testing.assert_array_equal(x_again, x_train)
    np.testing.assert_array_equal(x_test_again, x_test)


def test_images_look_like_digits():
    for (x, t) in load_mnist(flatten=False):
        # Real MNIST: ink in the centre, empty borders, ~19% of pixels lit.
        mean_img = x.mean(axis=0)[0]
        assert mean_img[10:18, 10:18].mean() > 5 * mean_img[:3, :].mean()
        assert 0.1 < (x > 0.5).mean() < 0.25
        # the digit 1 has the least ink, the digit 0 much more
        ink = [x[t == d].mean() for d in range(10)]
        assert np.argmin(ink) == 1 and ink[0] > 1.5 * ink[1]


def test_bundled_test_files_are_the_published_ones():
    for spec in download.TEST_FILES.values():
        data = (mnist_module.BUNDLE_DIR / spec.name).read_bytes()
        assert len(data) == spec.size and hashlib.sha256(data).hexdigest() == spec.sha256


def test_corrupted_test_file_is_refused(tmp_path):
    for spec in download.TEST_FILES.values():
        shutil.copy(mnist_module.BUNDLE_DIR / spec.name, tmp_path / spec.name)
    images = tmp_path / download.TEST_FILES["images"].name
    data = bytearray(images.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte changed
    images.write_bytes(bytes(data))
    with pytest.raises(DatasetError, match="t10k-images-idx3-ubyte.gz is corrupt"):
        mnist_module._read_split(tmp_path, download.TEST_FILES, mnist_module.RESTORE)
    images.unlink()
    with pytest.raises(DatasetError, match="t10k-images-idx3-ubyte.gz is missing"):
        mnist_module._read_split(tmp_path, download.TEST_FILES, mnist_module.RESTORE)


def test_bundle_checksum_is_verified(tmp_path):
    good = mnist_module.BUNDLE_PATH
    assert hashlib.sha256(good.read_bytes()).hexdigest() == mnist_module.BUNDLE.sha256
    bad = tmp_path / "mnist_5k.npz"
    shutil.copy(good, bad)
    data = bytearray(bad.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(DatasetError, match="mnist_5k.npz is corrupt or incomplete: SHA-256"):
        mnist_module._read_bundle(bad)
    with pytest.raises(DatasetError, match="missing"):
        mnist_module._read_bundle(tmp_path / "nothing.npz")


def test_unknown_source_rejected():
    with pytest.raises(ValueError, match="source"):
        load_mnist(source="internet")
