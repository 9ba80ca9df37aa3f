"""common.util.im2col / col2im: the primer's layouts, checked against plain loops; col2im is the transpose."""

import itertools

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from common.util import col2im, conv_output_size, im2col


def im2col_loops(x, fh, fw, stride, pad):
    """The definition, one element at a time: row (n, i, j), column (c, a, b)."""
    N, C, H, W = x.shape
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    xp[:, :, pad:pad + H, pad:pad + W] = x
    oh, ow = (H + 2 * pad - fh) // stride + 1, (W + 2 * pad - fw) // stride + 1
    col = np.zeros((N * oh * ow, C * fh * fw))
    for n, i, j in itertools.product(range(N), range(oh), range(ow)):
        for c, a, b in itertools.product(range(C), range(fh), range(fw)):
            col[(n * oh + i) * ow + j, (c * fh + a) * fw + b] = xp[n, c, i * stride + a, j * stride + b]
    return col


def col2im_loops(col, shape, fh, fw, stride, pad):
    """Every entry of col added to the pixel it was copied from; padding dropped."""
    N, C, H, W = shape
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    oh, ow = (H + 2 * pad - fh) // stride + 1, (W + 2 * pad - fw) // stride + 1
    for n, i, j in itertools.product(range(N), range(oh), range(ow)):
        for c, a, b in itertools.product(range(C), range(fh), range(fw)):
            xp[n, c, i * stride + a, j * stride + b] += col[(n * oh + i) * ow + j, (c * fh + a) * fw + b]
    return xp[:, :, pad:pad + H, pad:pad + W]


# (N, C, H, W), filter_h, filter_w, stride, pad: square and not, overlapping, tiling and gapped windows
GRID = [
    ((1, 1, 4, 4), 3, 3, 1, 0),
    ((2, 3, 7, 7), 3, 3, 1, 0),
    ((2, 3, 7, 7), 3, 3, 2, 1),
    ((1, 2, 8, 6), 2, 2, 2, 0),
    ((2, 1, 9, 9), 4, 3, 1, 2),
    ((2, 2, 10, 10), 3, 3, 3, 1),
    ((3, 2, 5, 8), 1, 1, 1, 0),
    ((1, 1, 5, 5), 5, 5, 1, 0),
    ((1, 2, 5, 9), 2, 3, 3, 0),
    ((2, 1, 3, 3), 3, 3, 1, 3),
]


@pytest.mark.parametrize(("shape", "fh", "fw", "stride", "pad"), GRID)
def test_im2col_and_col2im_match_the_loops(shape, fh, fw, stride, pad):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    col = im2col(x, fh, fw, stride, pad)
    np.testing.assert_array_equal(col, im2col_loops(x, fh, fw, stride, pad))
    y = rng.standard_normal(col.shape)
    expected = col2im_loops(y, shape, fh, fw, stride, pad)
    np.testing.assert_allclose(col2im(y, shape, fh, fw, stride, pad), expected, rtol=1e-13, atol=1e-13)


def test_the_primers_picture():
    """Primer §7.4.3: a (1, 3, 7, 7) input and 5x5 filters give a (9, 75) matrix; ten images (90, 75)."""
    assert im2col(np.zeros((1, 3, 7, 7)), 5, 5).shape == (9, 75)
    assert im2col(np.zeros((10, 3, 7, 7)), 5, 5, stride=1, pad=0).shape == (90, 75)


def test_col2im_also_reads_a_matrix_stored_row_by_row():
    rng = np.random.default_rng(1)
    y = rng.standard_normal((2 * 4 * 4, 3 * 9))
    expected = col2im_loops(y, (2, 3, 6, 6), 3, 3, 1, 0)
    np.testing.assert_allclose(col2im(np.ascontiguousarray(y), (2, 3, 6, 6), 3, 3), expected, rtol=1e-13)
    np.testing.assert_allclose(col2im(np.asfortranarray(y), (2, 3, 6, 6), 3, 3), expected, rtol=1e-13)


def test_im2col_keeps_float32_and_reads_integers_as_float64():
    assert im2col(np.zeros((1, 1, 3, 3), np.float32), 2, 2).dtype == np.float32
    col = im2col(np.arange(9).reshape(1, 1, 3, 3), 2, 2)
    assert col.dtype == np.float64
    np.testing.assert_array_equal(col, [[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]])


@st.composite
def geometries(draw):
    fh, fw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, pad = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    oh, ow = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    H, W = stride * (oh - 1) + fh - 2 * pad, stride * (ow - 1) + fw - 2 * pad
    assume(H >= 1 and W >= 1)
    return (draw(st.integers(1, 2)), draw(st.integers(1, 3)), H, W), fh, fw, stride, pad


@given(geometries(), st.integers(0, 2**32 - 1))
def test_col2im_is_the_adjoint_of_im2col(geometry, seed):
    """<col2im(y), x> = <y, im2col(x)> for every x, y: col2im is im2col's transpose (its gradient)."""
    shape, fh, fw, stride, pad = geometry
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    col = im2col(x, fh, fw, stride, pad)
    y = rng.standard_normal(col.shape)
    lhs, rhs = np.sum(col2im(y, shape, fh, fw, stride, pad) * x), np.sum(y * col)
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-10)


@given(geometries())
def test_output_size_formula(geometry):
    (N, C, H, W), fh, fw, stride, pad = geometry
    oh, ow = conv_output_size(H, fh, stride, pad), conv_output_size(W, fw, stride, pad)
    assert (oh, ow) == ((H + 2 * pad - fh) / stride + 1, (W + 2 * pad - fw) / stride + 1)
    assert im2col(np.zeros((N, C, H, W)), fh, fw, stride, pad).shape == (N * oh * ow, C * fh * fw)


X7 = np.zeros((1, 1, 7, 7))
Y9 = np.zeros((9, 9))


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: conv_output_size(28, 5, 2), ValueError, r"conv_output_size: stride 2 does not fit.*12\.5"),
    (lambda: conv_output_size(3, 5), ValueError, "filter_size 5 is larger than input_size 3"),
    (lambda: im2col(X7, 2, 2, stride=2), ValueError, r"im2col: stride 2 does not fit: \(H"),
    (lambda: im2col(np.zeros((1, 7, 7)), 3, 3), ValueError, r"im2col: input must be .*\(N, C, H, W\)"),
    (lambda: im2col(np.zeros((0, 1, 7, 7)), 3, 3), ValueError, "im2col: input must be a non-empty"),
    (lambda: im2col(X7, 3.0, 3), TypeError, "im2col: filter_h must be an integer"),
    (lambda: im2col(X7, 3, 3, stride=0), ValueError, "im2col: stride must be an integer >= 1"),
    (lambda: im2col(X7, 3, 3, pad=-1), ValueError, "im2col: pad must be an integer >= 0"),
    (lambda: im2col([["a"]], 1, 1), TypeError, "im2col: input_data must be an array of real numbers"),
    (lambda: col2im(Y9[:, :8], (1, 1, 5, 5), 3, 3), ValueError, r"col2im: col must have shape .*\(9, 8\)"),
    (lambda: col2im(Y9, (1, 1, 5, 5), 3, 3, stride=3), ValueError, "col2im: stride 3 does not fit"),
    (lambda: col2im(Y9, (1, 5, 5), 3, 3), ValueError, r"col2im: input must be .*\(N, C, H, W\)"),
])
def test_bad_input_is_refused_naming_the_function_and_parameter(call, error, words):
    with pytest.raises(error, match=words):
        call()
