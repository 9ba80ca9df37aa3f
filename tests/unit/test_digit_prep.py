"""companion.digit_prep (a drawing made into an MNIST-like input) and companion.digit_nets (the draw
explorer's networks and test digits)."""

import numpy as np
import pytest

from common.functions import softmax
from common.simple_convnet import SimpleConvNet
from companion import digit_nets as N
from companion import digit_prep as P

SEVEN = [[(0.2, 0.15), (0.8, 0.15), (0.45, 0.9)], [(0.35, 0.5), (0.7, 0.5)]]


def ink_box(image):
    rows, cols = np.nonzero(image)
    return rows.min(), rows.max(), cols.min(), cols.max()


def test_a_drawing_fills_the_20_pixel_box_and_is_centred_by_its_mass():
    image = P.prepare(SEVEN)
    assert image.shape == (28, 28) and image.min() == 0 and image.max() == 1
    np.testing.assert_array_equal(image * 16, np.round(image * 16))  # 16 sample points per pixel
    top, bottom, left, right = ink_box(image)
    assert bottom - top + 1 == 20  # the longer side (the height) fills the box, pen included
    assert right - left + 1 < 20
    centres = np.arange(28) + 0.5
    mx = (image.sum(axis=0) * centres).sum() / image.sum()
    my = (image.sum(axis=1) * centres).sum() / image.sum()
    assert abs(mx - 14) <= 0.5 and abs(my - 14) <= 0.5


def test_where_and_how_large_the_drawing_was_does_not_matter():
    moved = [[(x / 4 + 0.5, y / 4 + 0.25) for x, y in stroke] for stroke in SEVEN]  # exact in binary
    np.testing.assert_array_equal(P.prepare(moved), P.prepare(SEVEN))


def test_the_shift_moves_the_centred_input_by_whole_pixels():
    centred = P.prepare(SEVEN)
    np.testing.assert_array_equal(P.prepare(SEVEN, shift=(3, -2)), P.shift_image(centred, 3, -2))


def test_shift_image_drops_what_leaves_the_field():
    image = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(P.shift_image(image, 1, 2), [[0, 0, 0, 0], [0, 0, 0, 0],
                                                                 [0, 0, 1, 2], [0, 4, 5, 6]])
    assert not P.shift_image(image, 4, 0).any()


def test_a_dot_and_nothing():
    assert not P.prepare([]).any()
    dot = P.prepare([[(0.3, 0.3)]])
    assert 0 < np.count_nonzero(dot) < 30  # a small disc, not a blown-up one


def test_bad_strokes_are_refused():
    with pytest.raises(ValueError, match=r"prepare: strokes\[1\]"):
        P.prepare([[(0, 0)], []])
    with pytest.raises(ValueError, match=r"prepare: strokes\[0\]"):
        P.prepare([[(0, np.nan)]])


def test_the_convnet_forward_is_simple_convnets():
    params = N.load_convnet()
    net = SimpleConvNet()
    net.load_params(N.CONVNET_PATH)
    for key in params:  # the explorer's weights are the shipped ones rounded to float32
        np.testing.assert_array_equal(params[key], net.params[key].astype(np.float32))
        net.params[key] = params[key]
    images = np.random.default_rng(0).uniform(0, 1, (5, 28, 28))
    maps, probabilities = N.convnet_forward(params, images)
    assert maps.shape == (5, 30, 12, 12) and (maps >= 0).all()
    np.testing.assert_allclose(probabilities, softmax(net.predict(images[:, None])), rtol=0, atol=1e-15)
    one_maps, one = N.convnet_forward(params, images[0])
    # a batch of one sums in another order
    np.testing.assert_allclose(one, probabilities[0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(one_maps, maps[0], rtol=0, atol=1e-15)


def test_the_shipped_test_digits():
    images, labels, indices = N.test_digits()
    assert images.shape == (100, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [10] * 10
    assert (np.diff(indices) > 0).all() and indices.max() < 10_000
    again = N.test_digits()
    np.testing.assert_array_equal(again[2], indices)
    assert N.digit_image(images).dtype == np.float64 and N.digit_image(images).max() == 1.0


def test_float32_weights_change_no_reading_of_the_test_set():
    """The browser gets SimpleConvNet's weights rounded to float32 (half the page): on the 10,000
    official test digits that moves no probability by 1e-6 and changes no predicted class."""
    from dataset import load_mnist

    _, (x, _) = load_mnist(flatten=False)
    net = SimpleConvNet()
    net.load_params(N.CONVNET_PATH)
    full = {key: value.astype(np.float64) for key, value in net.params.items()}
    rounded = N.load_convnet()
    for start in range(0, len(x), 1000):
        a = N.convnet_forward(full, x[start:start + 1000, 0])[1]
        b = N.convnet_forward(rounded, x[start:start + 1000, 0])[1]
        assert np.abs(a - b).max() < 1e-6
        np.testing.assert_array_equal(a.argmax(axis=1), b.argmax(axis=1))
