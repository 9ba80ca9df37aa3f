"""Helpers of the primer's scripts: smoothing a loss curve, shuffling a data set (chapter 6), and
im2col / col2im, which turn a convolution into one matrix product (chapter 7)."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from common import _checks as check

SMOOTH_WINDOW = 11  # samples in the moving average of smooth_curve
SMOOTH_BETA = 2.0  # shape of its Kaiser window: a bell, heavier in the middle than a flat mean


def smooth_curve(x):
    """A noisy curve (a loss per step) smoothed by a moving weighted average, same length as x.

    Each point becomes the mean of the 11 points around it, weighted by a Kaiser window (beta 2), as
    in the primer's code. At the ends the curve is mirrored (without repeating the end point) so the
    window always has 11 points; the primer's code mirrors the last point too at the right end.
    x: 1-d sequence of at least 2 numbers -> float array of the same length.
    """
    x = check.curve(x, "smooth_curve: x")
    w = np.kaiser(SMOOTH_WINDOW, SMOOTH_BETA)
    half = SMOOTH_WINDOW // 2
    padded = np.pad(x, half, mode="reflect")
    return np.convolve(padded, w / w.sum(), mode="valid")


def shuffle_dataset(x, t, seed=None):
    """x and t in one random order (the same permutation of their first axis), as new arrays.

    x: (N, ...) inputs (rows or images), t: (N,) labels or (N, C) one-hot. seed: for
    np.random.default_rng; the same seed gives the same order.
    """
    x, t = check.pair((x, t), "shuffle_dataset: (x, t)")
    order = check.rng(seed, "shuffle_dataset: seed").permutation(len(x))
    return x[order], t[order]


# ------------------------------------------------------------------ im2col / col2im (primer §7.4.3)


def conv_output_size(input_size, filter_size, stride=1, pad=0):
    """Output length of a convolution or pooling along one axis, as an int:

        (input_size + 2*pad - filter_size) / stride + 1

    Where the primer's function returns a float with a fraction (the filter does not fit a
    whole number of strides), this one raises ValueError.
    """
    return check.output_size(input_size, filter_size, stride, pad, "conv_output_size", "input_size",
                              "filter_size")


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """The receptive fields of a convolution as the rows of one matrix (primer §7.4.3).

    input_data (N, C, H, W) -> col (N*out_h*out_w, C*filter_h*filter_w), out_h = (H + 2*pad -
    filter_h) / stride + 1 and likewise out_w. Row n*out_h*out_w + i*out_w + j holds the window
    whose top-left corner is at (i*stride, j*stride) of image n (zero-padded by pad on each side),
    channel by channel, each channel's window row by row: the primer's layout, so that
    col · W.reshape(FN, -1).T is the convolution. The windows are strided views of the padded
    images; the only copy is the one that lays them out as rows.
    """
    x = check.real_array(input_data, "im2col: input_data")
    check.window_sizes(x.shape, filter_h, filter_w, stride, pad, "im2col")
    return _fields(x, filter_h, filter_w, stride, pad).T


def _fields(x, filter_h, filter_w, stride, pad, ones=False, dtype=None):
    """im2col's matrix transposed, (C*filter_h*filter_w, N*out_h*out_w), one receptive field per column,
    stored row by row; with ones=True a last row of ones below it (a bias's input: Convolution).
    x (N, C, H, W) already checked; dtype: the matrix's (x's by default), converted in the one copy."""
    N, C, H, W = x.shape
    out_h, out_w = (H + 2 * pad - filter_h) // stride + 1, (W + 2 * pad - filter_w) // stride + 1
    if pad:
        x = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    # (N, C, out_h, out_w, filter_h, filter_w), a view: every window, every stride-th one kept
    windows = sliding_window_view(x, (filter_h, filter_w), axis=(2, 3))[:, :, ::stride, ::stride]
    # The one copy, into a (C, filter_h, filter_w, N, out_h, out_w) array: copying out_w-long runs is
    # ~4x faster than copying filter_w-long ones into the rows of im2col's matrix, and the matrix
    # products read either order at the same speed.
    K = C * filter_h * filter_w
    fields = np.empty((K + ones, N * out_h * out_w), dtype=x.dtype if dtype is None else dtype)
    fields[:K].reshape(C, filter_h, filter_w, N, out_h, out_w)[...] = windows.transpose(1, 4, 5, 0, 2, 3)
    if ones:
        fields[K] = 1
    return fields


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """The transpose of im2col: each row's values added back where its window lies (primer §7.4.3).

    col (N*out_h*out_w, C*filter_h*filter_w), input_shape (N, C, H, W) -> (N, C, H, W). Where windows
    overlap (stride < filter size) their values add up, so <col2im(y), x> = <y, im2col(x)> for
    every x and y: this is the gradient of im2col. Values that fall on the padding are dropped.
    """
    col = check.real_array(col, "col2im: col")
    input_shape = tuple(input_shape)
    out_h, out_w = check.window_sizes(input_shape, filter_h, filter_w, stride, pad, "col2im")
    N, C, H, W = input_shape
    if col.shape != (N * out_h * out_w, C * filter_h * filter_w):
        raise ValueError(f"col2im: col must have shape (N*out_h*out_w, C*filter_h*filter_w) = "
                         f"{(N * out_h * out_w, C * filter_h * filter_w)} for input_shape {input_shape}, "
                         f"got {col.shape}")
    # (N, C, filter_h, filter_w, out_h, out_w), a view of col stored row by row or (as im2col returns
    # it, and as a product with a transpose gives it) column by column
    if col.flags.c_contiguous or not col.flags.f_contiguous:
        windows = col.reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    else:
        windows = col.T.reshape(C, filter_h, filter_w, N, out_h, out_w).transpose(3, 0, 1, 2, 4, 5)
    return _add_windows(windows, input_shape, stride, pad)


def _add_windows(windows, input_shape, stride, pad):
    """col2im's sum: windows (N, C, filter_h, filter_w, out_h, out_w) added into zeros of input_shape
    (N, C, H, W), window (i, j) at (i*stride, j*stride) of the padded image; the padding cut off."""
    N, C, H, W = input_shape
    filter_h, filter_w, out_h, out_w = windows.shape[2:]
    img = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=windows.dtype)
    # Overlapping windows cannot be added through one strided view (the writes would collide), so add
    # them offset by offset: filter_h*filter_w slice-adds of whole (N, C, out_h, out_w) blocks.
    for i in range(filter_h):
        for j in range(filter_w):
            img[:, :, i:i + stride * out_h:stride, j:j + stride * out_w:stride] += windows[:, :, i, j]
    return img[:, :, pad:pad + H, pad:pad + W]
