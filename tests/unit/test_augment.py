"""companion.augment: shifts and rotations against exact pixel moves, reproducibility, bad input."""

import numpy as np
import pytest

from companion.augment import random_shift_rotate, shift_rotate


def arrow(h=7, w=9):
    """An image with no symmetry: a horizontal bar and a short vertical one, on a zero background."""
    img = np.zeros((h, w))
    img[3, 2:7] = 1.0
    img[1:3, 6] = 0.5
    return img


def test_nothing_moves_for_zero_angle_and_shift():
    x = np.random.default_rng(0).random((3, 1, 6, 6))
    np.testing.assert_array_equal(shift_rotate(x, np.zeros(3), np.zeros((3, 2))), x)


@pytest.mark.parametrize(("dy", "dx"), [(1, 0), (0, -2), (2, 1)])
def test_whole_pixel_shift_moves_pixels(dy, dx):
    img = arrow()
    expected = np.zeros_like(img)
    h, w = img.shape
    # each pixel (r, c) lands on (r + dy, c + dx), if that is inside
    expected[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        img[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    out = shift_rotate(img[None], [0.0], [[dy, dx]])[0]
    np.testing.assert_allclose(out, expected, atol=1e-12)


def test_positive_angle_turns_clockwise_on_screen():
    img = arrow(7, 7)  # a square image turns onto itself
    out = shift_rotate(img[None], [90.0], [[0.0, 0.0]])[0]
    np.testing.assert_allclose(out, np.rot90(img, -1), atol=1e-12)  # np.rot90(img, -1): clockwise as shown
    back = shift_rotate(img[None], [-90.0], [[0.0, 0.0]])[0]
    np.testing.assert_allclose(back, np.rot90(img), atol=1e-12)


def test_scale_moves_each_pixel_that_many_times_as_far_from_the_centre():
    img = np.zeros((1, 9, 9))  # centre (4, 4)
    dots = {(0, 1): 1.0, (-1, 0): 0.5}  # offsets from the centre: one right of it, one above it
    for (dy, dx), value in dots.items():
        img[0, 4 + dy, 4 + dx] = value
    out = shift_rotate(img, [0.0], [[0.0, 0.0]], scales=[2.0])[0]
    # each dot lands twice as far out, and bilinear reading spreads it over its eight neighbours with
    # weights (1 - |i|/2)(1 - |j|/2): what lies between two pixels of the input is read as their mean
    expected = np.zeros((9, 9))
    for (dy, dx), value in dots.items():
        for i in (-1, 0, 1):
            for j in (-1, 0, 1):
                expected[4 + 2 * dy + i, 4 + 2 * dx + j] += value * (1 - abs(i) / 2) * (1 - abs(j) / 2)
    np.testing.assert_allclose(out, expected, atol=1e-12)
    back = shift_rotate(out[None], [0.0], [[0.0, 0.0]], scales=[0.5])[0]  # halving reads every other pixel
    np.testing.assert_allclose(back[2:7, 2:7], img[0, 2:7, 2:7], atol=1e-12)


def test_scale_one_changes_no_bit_and_scaling_draws_come_after_the_moves():
    x = np.random.default_rng(2).random((5, 1, 8, 8)).astype(np.float32)
    angles, shifts = np.linspace(-10, 10, 5), np.full((5, 2), 0.3)
    np.testing.assert_array_equal(shift_rotate(x, angles, shifts, scales=np.ones(5)),
                                  shift_rotate(x, angles, shifts))
    rng = np.random.default_rng(7)
    angles, shifts, scales = rng.uniform(-15, 15, 5), rng.uniform(-2, 2, (5, 2)), rng.uniform(0.9, 1.1, 5)
    np.testing.assert_array_equal(random_shift_rotate(x, np.random.default_rng(7), max_scale=0.1),
                                  shift_rotate(x, angles, shifts, scales))
    # without scaling no scale is drawn: the same angles and shifts as before
    unscaled = random_shift_rotate(x, np.random.default_rng(7))
    np.testing.assert_array_equal(unscaled, shift_rotate(x, angles, shifts))


def test_half_pixel_shift_averages_neighbours():
    img = np.zeros((1, 5, 5))
    img[0, 2, 2] = 1.0
    out = shift_rotate(img, [0.0], [[0.0, 0.5]])[0]
    assert out[2, 2] == pytest.approx(0.5) and out[2, 3] == pytest.approx(0.5)
    assert out.sum() == pytest.approx(1.0)


def test_small_moves_keep_a_digit_whole():
    from dataset import load_mnist
    (x, _), _ = load_mnist(flatten=False)
    x = x[:200]
    out = random_shift_rotate(x, np.random.default_rng(0))
    assert out.shape == x.shape and out.dtype == np.float32
    ink_in, ink_out = x.sum(axis=(1, 2, 3)), out.sum(axis=(1, 2, 3))
    # interpolation blurs a little, but no digit loses or gains more than 5 % of its ink
    assert np.all(np.abs(ink_out / ink_in - 1) < 0.05)
    assert not np.array_equal(out, x)


def test_same_seed_same_batch_and_channels_agree():
    x = np.random.default_rng(1).random((4, 1, 10, 10)).astype(np.float32)
    a = random_shift_rotate(x, np.random.default_rng(5))
    b = random_shift_rotate(x, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    c = random_shift_rotate(x[:, 0], np.random.default_rng(5))  # (N, H, W): the same moves
    np.testing.assert_array_equal(a[:, 0], c)
    two = np.concatenate([x, 2 * x], axis=1)  # two channels move together
    d = random_shift_rotate(two, np.random.default_rng(5))
    np.testing.assert_allclose(d[:, 1], 2 * d[:, 0], rtol=1e-6)


@pytest.mark.parametrize(("images", "angles", "shifts", "words"), [
    (np.zeros((2, 5, 5), dtype=np.uint8), [0, 0], [[0, 0]] * 2, "images must be a float array"),
    (np.zeros((5, 5)), [0], [[0, 0]], "images must be a float array"),
    (np.zeros((2, 5, 5)), [0], [[0, 0]] * 2, r"angles must be \(2,\)"),
    (np.zeros((2, 5, 5)), [0, 0], [0, 0], r"shifts \(2, 2\)"),
])
def test_bad_input(images, angles, shifts, words):
    with pytest.raises(ValueError, match=f"shift_rotate: .*{words}"):
        shift_rotate(images, angles, shifts)


def test_bad_scales():
    x = np.zeros((2, 5, 5))
    with pytest.raises(ValueError, match=r"shift_rotate: .*scales \(2,\) for 2 images, got .* and \(3,\)"):
        shift_rotate(x, [0, 0], [[0, 0]] * 2, scales=[1, 1, 1])
    with pytest.raises(ValueError, match="shift_rotate: scales must be positive and finite"):
        shift_rotate(x, [0, 0], [[0, 0]] * 2, scales=[1, 0])
    with pytest.raises(ValueError, match="random_shift_rotate: max_scale must be below 1"):
        random_shift_rotate(x, np.random.default_rng(0), max_scale=1.0)
    with pytest.raises(ValueError, match="random_shift_rotate: max_scale must be >= 0"):
        random_shift_rotate(x, np.random.default_rng(0), max_scale=-0.1)
