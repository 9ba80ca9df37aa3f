"""dataset.idx: IDX decoding, checked against files built here byte by byte from the format's definition."""

import gzip
import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataset.idx import IdxError, parse_idx, parse_idx_gz

# type byte -> big-endian dtype, written out from the IDX description (not imported from the module)
TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def idx_bytes(array, type_code=0x08, dims=None):
    """An IDX file: 0, 0, type, ndim, the sizes as big-endian uint32, then the big-endian values."""
    dims = array.shape if dims is None else dims
    header = bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims)
    return header + np.asarray(array, dtype=TYPES[type_code]).tobytes()


def test_images_and_labels_like_mnist():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=7, dtype=np.uint8)
    img_file, lab_file = idx_bytes(images), idx_bytes(labels)
    # The magic numbers MNIST documents: 2051 for images, 2049 for labels.
    assert struct.unpack(">I", img_file[:4])[0] == 2051 and struct.unpack(">I", lab_file[:4])[0] == 2049
    got = parse_idx(img_file, shape=(None, 28, 28))
    assert got.shape == (7, 28, 28) and got.dtype == np.uint8
    np.testing.assert_array_equal(got, images)
    np.testing.assert_array_equal(parse_idx(lab_file, shape=(7,)), labels)
    got[0, 0, 0] ^= 1  # the result is an owned, writeable copy
    np.testing.assert_array_equal(parse_idx_gz(gzip.compress(img_file), shape=(7, 28, 28)), images)


def test_pixel_order_is_row_by_row():
    # A header for 1 image of 2 rows x 3 columns, then pixels 1..6: row 0 is 1 2 3.
    data = bytes([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(parse_idx(data), [[[1, 2, 3], [4, 5, 6]]])


@given(
    type_code=st.sampled_from(sorted(TYPES)),
    dims=st.lists(st.integers(0, 5), min_size=1, max_size=4),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_type_and_shape_round_trips(type_code, dims, seed):
    rng = np.random.default_rng(seed)
    dtype = np.dtype(TYPES[type_code])
    if dtype.kind == "f":
        values = rng.normal(size=dims).astype(dtype)
    else:
        info = np.iinfo(dtype)
        values = rng.integers(info.min, info.max, size=dims, endpoint=True).astype(dtype)
    got = parse_idx(idx_bytes(values, type_code), type_code=None)
    assert got.shape == tuple(dims) and got.dtype.isnative
    np.testing.assert_array_equal(got, values)


def test_bad_magic_number():
    good = idx_bytes(np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(IdxError, match=r"bad magic number 0x01000803.*two zero bytes"):
        parse_idx(b"\x01" + good[1:])
    with pytest.raises(IdxError, match="gzip-compressed"):
        parse_idx(gzip.compress(good))
    with pytest.raises(IdxError, match=r"unknown IDX type byte 0x0A"):
        parse_idx(good[:2] + b"\x0a" + good[3:])
    # A label file (1 dimension, magic 0x801) where images (3 dimensions, 0x803) are expected.
    labels = idx_bytes(np.zeros(2, np.uint8))
    with pytest.raises(IdxError, match=r"bad magic number 0x00000801, expected 0x00000803"):
        parse_idx(labels, shape=(None, 28, 28))
    # Signed 32-bit data (type 0x0C) where unsigned bytes are expected.
    with pytest.raises(IdxError, match=r"0x00000C01, expected 0x00000801"):
        parse_idx(idx_bytes(np.zeros(2, np.int32), 0x0C), shape=(2,))
    with pytest.raises(IdxError, match="too short"):
        parse_idx(b"\x00\x00")


def test_wrong_dimensions():
    data = idx_bytes(np.zeros((3, 28, 27), np.uint8))
    with pytest.raises(IdxError, match=r"wrong dimensions \(3, 28, 27\), expected \(any, 28, 28\)"):
        parse_idx(data, shape=(None, 28, 28))
    with pytest.raises(IdxError, match=r"wrong dimensions \(3,\), expected \(60000,\)"):
        parse_idx(idx_bytes(np.zeros(3, np.uint8)), shape=(60000,))


def test_body_length_must_match_the_dimensions():
    data = idx_bytes(np.zeros((4, 28, 28), np.uint8))
    # 4 * 28 * 28 = 3136 bytes are needed; one is missing.
    expected = r"truncated: dimensions \(4, 28, 28\) need 3136 bytes of data, found 3135"
    with pytest.raises(IdxError, match=expected):
        parse_idx(data[:-1])
    with pytest.raises(IdxError, match="2 unexpected bytes after"):
        parse_idx(data + b"\x00\x00")
    with pytest.raises(IdxError, match="header needs 16"):
        parse_idx(data[:10])
    # A header that promises 60,000 images but carries only 4.
    with pytest.raises(IdxError, match="truncated"):
        parse_idx(idx_bytes(np.zeros((4, 28, 28), np.uint8), dims=(60000, 28, 28)))


def test_broken_gzip():
    packed = gzip.compress(idx_bytes(np.arange(100, dtype=np.uint8)))
    with pytest.raises(IdxError, match="not a complete gzip file"):
        parse_idx_gz(packed[: len(packed) // 2])
    with pytest.raises(IdxError, match="not a complete gzip file"):
        parse_idx_gz(b"this is not gzip at all")
