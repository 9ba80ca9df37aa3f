"""companion.digit_prep (a drawing made into an MNIST-like input) and companion.digit_nets (the draw
explorer's networks and test digits)."""

import numpy as np
import pytest

from common.functions import softmax
from companion import digit_nets as N
from companion import digit_prep as P
from dataset.sample_weight import load_sample_weight
from dataset.simple_convnet import load_simple_convnet

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
    net = load_simple_convnet()
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


def test_the_browser_gets_the_shipped_weights_exactly():
    """The browser gets the weights as float32 (half the page): the shipped files hold float32
    numbers, so the networks it runs are the shipped ones, bit for bit."""
    for shipped, sent in ((load_simple_convnet().params, N.load_convnet()),
                          (load_sample_weight(), N.load_mlp())):
        assert shipped.keys() == sent.keys()
        for key in sent:
            assert sent[key].dtype == np.float64
            np.testing.assert_array_equal(sent[key], shipped[key])
