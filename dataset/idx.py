"""Read the IDX format that MNIST is distributed in (no pickle, nothing but numpy and gzip).

An IDX file is a header followed by raw big-endian numbers:

    bytes 0-1   0x00 0x00
    byte  2     type of the numbers (0x08 = unsigned byte, the only type MNIST uses)
    byte  3     number of dimensions d
    then        d sizes, each a big-endian uint32
    then        prod(sizes) numbers, last dimension fastest (C order)

So the magic number (bytes 0-3 as one big-endian int) is 0x00000801 for MNIST labels (unsigned
bytes, 1 dimension) and 0x00000803 for MNIST images (unsigned bytes, 3 dimensions: N, 28, 28).
"""

import gzip
import struct
import zlib

import numpy as np

# IDX type byte -> numpy dtype of one element as stored (big-endian).
IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
UBYTE = 0x08


class IdxError(ValueError):
    """The bytes are not a well-formed IDX file of the expected kind; the message says what is wrong."""


def magic_number(type_code, ndim):
    """The 4-byte magic number of an IDX file holding `ndim`-dimensional data of `type_code`."""
    return (type_code << 8) | ndim


def parse_idx(data, shape=None, type_code=UBYTE):
    """Decode uncompressed IDX bytes into an array of the sizes the header gives.

    shape: expected dimensions, a tuple with None for "any size" (e.g. (None, 28, 28)); None skips
        the check. Its length is the expected number of dimensions, which is part of the magic number.
    type_code: expected IDX type byte (0x08, unsigned byte, by default); None accepts any known type.
    Returns a native-endian, writeable array of shape (d1, ..., dn); raises IdxError otherwise.
    """
    data = memoryview(data)
    if len(data) < 4:
        raise IdxError(f"only {len(data)} bytes: too short for an IDX header (4 bytes of magic number)")
    magic = struct.unpack(">I", data[:4])[0]
    found_type, ndim = data[2], data[3]
    if data[0] != 0 or data[1] != 0:
        hint = " (these bytes look gzip-compressed: decompress them first)" if data[:2] == b"\x1f\x8b" else ""
        raise IdxError(f"bad magic number 0x{magic:08X}: an IDX file starts with two zero bytes{hint}")
    if found_type not in IDX_TYPES:
        raise IdxError(f"bad magic number 0x{magic:08X}: unknown IDX type byte 0x{found_type:02X}")
    want_type = found_type if type_code is None else type_code
    want_ndim = ndim if shape is None else len(shape)
    if (found_type, ndim) != (want_type, want_ndim):
        raise IdxError(
            f"bad magic number 0x{magic:08X}, expected 0x{magic_number(want_type, want_ndim):08X} "
            f"(type 0x{want_type:02X}, {want_ndim} dimension{'s' if want_ndim != 1 else ''})"
        )
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise IdxError(f"only {len(data)} bytes: a {ndim}-dimensional IDX header needs {header_len}")
    dims = struct.unpack(f">{ndim}I", data[4:header_len])
    if shape is not None and any(w is not None and w != got for w, got in zip(shape, dims, strict=True)):
        sizes = ["any" if s is None else str(s) for s in shape]
        expected = f"({', '.join(sizes)}{',' if len(sizes) == 1 else ''})"  # printed like a tuple
        raise IdxError(f"wrong dimensions {dims}, expected {expected}")
    dtype = IDX_TYPES[found_type]
    n_bytes = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    body = len(data) - header_len
    if body < n_bytes:
        raise IdxError(f"truncated: dimensions {dims} need {n_bytes} bytes of data, found {body}")
    if body > n_bytes:
        raise IdxError(f"{body - n_bytes} unexpected bytes after the {n_bytes} bytes of data for {dims}")
    # frombuffer shares the input's memory and is read-only; astype makes an owned native-endian copy.
    values = np.frombuffer(data, dtype=dtype, count=n_bytes // dtype.itemsize, offset=header_len)
    return values.astype(dtype.newbyteorder("="), copy=True).reshape(dims)


def parse_idx_gz(data, shape=None, type_code=UBYTE):
    """parse_idx() of gzip-compressed bytes (how MNIST is published: *-idx3-ubyte.gz)."""
    try:
        raw = gzip.decompress(bytes(data))
    except (OSError, EOFError, zlib.error) as err:  # BadGzipFile is an OSError; EOFError: cut short
        raise IdxError(f"not a complete gzip file ({err})") from None
    return parse_idx(raw, shape=shape, type_code=type_code)
