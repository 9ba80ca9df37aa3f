"""Data augmentation（数据扩充）for digit images (primer §8.1.3): small random shifts and rotations,
and if asked for, scalings.

    rng = np.random.default_rng(0)
    x_aug = random_shift_rotate(x_batch, rng)        # a new batch, each image moved a little

An image is resampled, not cut and pasted: output pixel p takes the input's value at

    q = R(-angle) · (p - centre - shift) / scale + centre

read by bilinear interpolation from the four pixels around q, 0 outside the image (MNIST's
background). R(a) rotates (row, column) coordinates by a; since rows go down the screen, angle > 0
turns the digit clockwise as it is drawn; scale > 1 enlarges it. Numpy only: notebook 11 and both
training tools (tools/generate/train_deep_convnet.py, train_simple_convnet.py) share it.
"""

import numpy as np

from common import _checks as check

MAX_SHIFT = 2.0  # pixels: MNIST's digits sit in a 20x20 box centred in 28x28, so 2 px keeps them whole
MAX_ANGLE = 15.0  # degrees: a slanted 1 or 7 stays itself; at 90 degrees a 6 would become a 9


def shift_rotate(images, angles, shifts, scales=None):
    """Each image rotated by its angle (degrees) about its centre, then shifted by its (dy, dx).

    images: (N, H, W) or (N, C, H, W) floats; angles: (N,); shifts: (N, 2) in pixels, rows then
    columns (dy > 0 moves the digit down); scales: None, or (N,) positive factors by which each image
    is first enlarged (> 1) or shrunk (< 1) about its centre. Returns a new array of images' shape and
    dtype.
    """
    images = np.asarray(images)
    if images.dtype.kind != "f" or images.ndim not in (3, 4) or 0 in images.shape:
        raise ValueError(f"shift_rotate: images must be a float array (N, H, W) or (N, C, H, W), got "
                         f"{images.dtype} {images.shape}")
    n, (h, w) = len(images), images.shape[-2:]
    angles = np.asarray(angles, dtype=np.float64)
    shifts = np.asarray(shifts, dtype=np.float64)
    scales = np.ones(n) if scales is None else np.asarray(scales, dtype=np.float64)
    if angles.shape != (n,) or shifts.shape != (n, 2) or scales.shape != (n,):
        raise ValueError(f"shift_rotate: angles must be ({n},), shifts ({n}, 2) and scales ({n},) for {n} "
                         f"images, got {angles.shape}, {shifts.shape} and {scales.shape}")
    if not np.all(np.isfinite(scales) & (scales > 0)):
        raise ValueError(f"shift_rotate: scales must be positive and finite, got {scales}")
    # Source coordinates (N, H, W) of every output pixel: undo the shift, then the rotation and the
    # scaling (dividing by a scale of 1 changes no bit).
    rows, cols = np.meshgrid(np.arange(h) - (h - 1) / 2, np.arange(w) - (w - 1) / 2, indexing="ij")
    y = rows - shifts[:, :1, None]
    x = cols - shifts[:, 1:, None]
    a = np.deg2rad(angles)[:, None, None]
    s = scales[:, None, None]
    cos, sin = np.cos(a) / s, np.sin(a) / s
    # (src_y, src_x) = R(-angle) (y, x) / scale: the output at p shows what the input had at p turned
    # back and brought scale times nearer the centre.
    src_y = cos * y - sin * x + (h - 1) / 2
    src_x = sin * y + cos * x + (w - 1) / 2
    return _bilinear(images, src_y, src_x)


def _bilinear(images, src_y, src_x):
    """images (N, [C,] H, W) read at the real coordinates src_y, src_x (N, H, W); 0 outside."""
    h, w = images.shape[-2:]
    # One ring of zeros around each image: a source pixel just outside reads 0, and clipping the
    # indices to the ring keeps every gather inside the array.
    padded = np.pad(images, [(0, 0)] * (images.ndim - 2) + [(1, 1), (1, 1)])
    y0, x0 = np.floor(src_y), np.floor(src_x)
    fy, fx = (src_y - y0).astype(images.dtype), (src_x - x0).astype(images.dtype)
    if images.ndim == 4:  # the same coordinates for every channel
        fy, fx = fy[:, None], fx[:, None]
    out = np.zeros(images.shape, dtype=images.dtype)
    for dy, wy in ((0, 1 - fy), (1, fy)):
        for dx, wx in ((0, 1 - fx), (1, fx)):
            iy = np.clip(y0 + dy + 1, 0, h + 1).astype(np.intp)
            ix = np.clip(x0 + dx + 1, 0, w + 1).astype(np.intp)
            n = np.arange(len(images))[:, None, None]
            corner = padded[n, :, iy, ix] if images.ndim == 4 else padded[n, iy, ix]
            if images.ndim == 4:  # fancy indexing put the channel axis last
                corner = np.moveaxis(corner, -1, 1)
            out += wy * wx * corner
    return out


def random_shift_rotate(images, rng, max_shift=MAX_SHIFT, max_angle=MAX_ANGLE, max_scale=0.0):
    """Each image shifted by up to max_shift pixels in each direction and rotated by up to max_angle
    degrees, and, when max_scale > 0, scaled by a factor between 1 - max_scale and 1 + max_scale
    (0 <= max_scale < 1). All drawn uniformly from rng (a np.random.Generator): angles, then shifts,
    then scales, so that without scaling the draws are the same as they always were."""
    check.instance(rng, np.random.Generator, "random_shift_rotate: rng")
    max_shift = check.real_number(max_shift, "random_shift_rotate: max_shift", 0)
    max_angle = check.real_number(max_angle, "random_shift_rotate: max_angle", 0)
    max_scale = check.real_number(max_scale, "random_shift_rotate: max_scale", 0)
    if max_scale >= 1:
        raise ValueError(f"random_shift_rotate: max_scale must be below 1 (the smallest factor, "
                         f"1 - max_scale, must stay positive), got {max_scale}")
    n = len(images)
    angles = rng.uniform(-max_angle, max_angle, size=n)
    shifts = rng.uniform(-max_shift, max_shift, size=(n, 2))
    scales = rng.uniform(1 - max_scale, 1 + max_scale, size=n) if max_scale > 0 else None
    return shift_rotate(images, angles, shifts, scales)
