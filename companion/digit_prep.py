"""A drawn digit made into a 28x28 input the way MNIST's digits were made (numpy only).

    from companion.digit_prep import prepare
    image = prepare([[(0.2, 0.2), (0.8, 0.2), (0.4, 0.9)]])   # one stroke of a 7 -> (28, 28) in [0, 1]

MNIST's digits were scanned strokes whose bounding box was scaled (keeping its aspect ratio) into a
20x20 box, with grey levels from anti-aliasing, then placed in a 28x28 field so that their centre of
mass sits at the field's centre. A drawing gets the same steps here:

1. the strokes (lists of points (x, y), x to the right and y down, in units of the drawing area's side)
   are scaled so that their bounding box, plus a pen of radius PEN output pixels, fills BOX x BOX
   pixels; the longer side sets the scale, the box is centred in the field;
2. each pixel's grey level is the fraction of its SUB x SUB sample points that lie within PEN of a
   stroke (the anti-aliasing: multiples of 1 / SUB**2);
3. the image is moved by whole pixels so that its centre of mass is as near the field's centre
   (14, 14) as whole pixels allow; `shift` then moves it further, so a reader can see which network
   minds a digit that is off centre. Ink moved past the border is lost.

The draw-a-digit explorer (companion/static/digit_math.js) does the same steps with the same
floating-point operations in the same order; tests/browser/test_draw_digit.py checks that the two agree.
"""

import numpy as np

FIELD = 28  # the input's side, pixels
BOX = 20  # the side of the box the drawing is scaled into
SUB = 4  # sample points per pixel along each axis
PEN = 1.2  # the pen's radius, in output pixels (MNIST's strokes are about 2-3 pixels wide)
MIN_EXTENT = 0.1  # a drawing smaller than this (a dot) is scaled as if it were this large


def _points(strokes, what, name="strokes"):
    """The strokes as float64 arrays (k, 2), k >= 1 each; TypeError or ValueError naming `what`."""
    if not isinstance(strokes, list | tuple):
        raise TypeError(f"{what}: {name} must be a list of strokes, each a list of points (x, y), "
                        f"got {type(strokes).__name__}")
    arrays = []
    for i, stroke in enumerate(strokes):
        try:
            a = np.asarray(stroke, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{what}: {name}[{i}] must be points (x, y) of numbers") from None
        if a.ndim != 2 or a.shape[1] != 2 or len(a) == 0 or not np.isfinite(a).all():
            raise ValueError(f"{what}: {name}[{i}] must be one or more finite points (x, y), "
                             f"got shape {a.shape}")
        arrays.append(a)
    return arrays


def _image(image, what):
    """A (FIELD, FIELD) array of finite numbers, as float64; ValueError naming `what`."""
    a = np.asarray(image, dtype=np.float64)
    if a.shape != (FIELD, FIELD) or not np.isfinite(a).all():
        raise ValueError(f"{what}: image must be {FIELD} x {FIELD} finite numbers, got shape {a.shape}")
    return a


def _whole(value, what, name):
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{what}: {name} must be a whole number, got {value!r}")
    return int(value)


def scale_and_place(strokes):
    """Step 1: each stroke's points in output pixels, (k, 2) arrays of (x, y).

    The bounding box of all points, grown by PEN on every side, becomes BOX pixels on its longer side
    and is centred in the FIELD x FIELD field.
    """
    points = _points(strokes, "scale_and_place")
    if not points:
        return []
    every = np.concatenate(points)
    lo, hi = every.min(axis=0), every.max(axis=0)
    extent = max(hi[0] - lo[0], hi[1] - lo[1], MIN_EXTENT)
    scale = (BOX - 2 * PEN) / extent
    centre = (lo + hi) / 2
    return [(p - centre) * scale + FIELD / 2 for p in points]


def coverage(placed):
    """Step 2: grey levels (FIELD, FIELD), the fraction of each pixel's SUB x SUB sample points within
    PEN of a segment of a stroke (a one-point stroke is a dot)."""
    placed = _points(placed, "coverage", "placed")
    n = FIELD * SUB
    inked = np.zeros((n, n), dtype=bool)  # [row, column] of the sample points
    r2 = PEN * PEN
    for stroke in placed:
        ends = stroke if len(stroke) > 1 else np.concatenate([stroke, stroke])
        for (ax, ay), (bx, by) in zip(ends[:-1], ends[1:], strict=True):
            # only the sample points near this segment are tested (the others are farther than PEN)
            cols = _near(min(ax, bx), max(ax, bx), n)
            rows = _near(min(ay, by), max(ay, by), n)
            if len(cols) == 0 or len(rows) == 0:
                continue
            px = (cols + 0.5) / SUB
            py = (rows + 0.5) / SUB
            inked[np.ix_(rows, cols)] |= _within_pen(px[None, :], py[:, None], ax, ay, bx, by, r2)
    return inked.reshape(FIELD, SUB, FIELD, SUB).sum(axis=(1, 3)) / (SUB * SUB)


def _near(lo, hi, n):
    """Indices k of the sample points (k + 0.5) / SUB that may lie within PEN of [lo, hi]."""
    first = max(int(np.floor((lo - PEN) * SUB - 0.5)), 0)
    last = min(int(np.ceil((hi + PEN) * SUB - 0.5)), n - 1)
    return np.arange(first, last + 1)


def _within_pen(px, py, ax, ay, bx, by, r2):
    """Whether (px, py) lies within sqrt(r2) of the segment from (ax, ay) to (bx, by): its distance to
    the nearest point A + t (B - A), t clipped to [0, 1]."""
    ex, ey = bx - ax, by - ay
    dx, dy = px - ax, py - ay
    ee = ex * ex + ey * ey
    t = np.clip((dx * ex + dy * ey) / ee, 0.0, 1.0) if ee > 0 else 0.0
    qx, qy = dx - t * ex, dy - t * ey
    return qx * qx + qy * qy <= r2


def centring_shift(image):
    """Step 3: the whole-pixel move (dx, dy) that brings the centre of mass nearest (FIELD/2, FIELD/2).

    Pixel (row i, column j) has its centre at (j + 0.5, i + 0.5). An empty image is not moved.
    """
    image = _image(image, "centring_shift")
    total = image.sum()
    if total == 0:
        return 0, 0
    centres = np.arange(FIELD) + 0.5
    mx = (image.sum(axis=0) * centres).sum() / total
    my = (image.sum(axis=1) * centres).sum() / total
    # floor(v + 0.5): halves round up, in numpy and in JavaScript's Math.floor alike
    return int(np.floor(FIELD / 2 - mx + 0.5)), int(np.floor(FIELD / 2 - my + 0.5))


def shift_image(image, dx, dy):
    """image (H, W) moved dx pixels right and dy down, zeros coming in, what leaves the field lost."""
    dx, dy = _whole(dx, "shift_image", "dx"), _whole(dy, "shift_image", "dy")
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError(f"shift_image: image must be 2-D (H, W), got shape {image.shape}")
    out = np.zeros_like(image)
    h, w = image.shape
    if abs(dx) >= w or abs(dy) >= h:
        return out
    out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        image[max(-dy, 0):h - max(dy, 0), max(-dx, 0):w - max(dx, 0)]
    return out


def prepare(strokes, shift=(0, 0)):
    """The network's input for a drawing: (FIELD, FIELD) float64 grey levels in [0, 1].

    strokes: a list of strokes, each one or more points (x, y) in units of the drawing area's side.
    shift: a further whole-pixel move (dx, dy) after the centring (right and down).
    """
    if not isinstance(shift, list | tuple) or len(shift) != 2:
        raise TypeError(f"prepare: shift must be two whole numbers (dx, dy), got {shift!r}")
    sx, sy = (_whole(v, "prepare", "shift") for v in shift)
    _points(strokes, "prepare")
    image = coverage(scale_and_place(strokes))
    dx, dy = centring_shift(image)
    return shift_image(image, dx + sx, dy + sy)
