"""The data helpers: reading shapes as images, scaling, framing, device batches."""

import numpy as np
import pytest
import torch

from skmnist._layout import image_shape_from, to_images
from skmnist.estimators._data import DeviceBatches, DeviceData, to_float


@pytest.mark.parametrize(
    "sample_shape, expected",
    [
        ((784,), (1, 28, 28)),
        ((64,), (1, 8, 8)),
        ((50,), (1, 8, 8)),  # padded to the next square
        ((1024,), (1, 32, 32)),
        ((28, 28), (1, 28, 28)),
        ((20, 40), (1, 20, 40)),
        ((3, 28, 28), (3, 28, 28)),
    ],
)
def test_image_shape_from(sample_shape, expected):
    assert image_shape_from(sample_shape, min_size=(28, 28)) == expected


def test_image_shape_from_refuses_large_non_square_rows_only_with_a_native_size():
    with pytest.raises(ValueError, match=r"785 features.*cannot be guessed"):
        image_shape_from((785,), min_size=(28, 28), name="Net")
    assert image_shape_from((785,)) == (1, 29, 29)
    with pytest.raises(ValueError, match="2 to 4 dimensions"):
        image_shape_from((2, 3, 4, 5))


def test_to_float_scales_integers_only():
    ints = torch.tensor([[0, 51, 255]], dtype=torch.uint8)
    np.testing.assert_allclose(to_float(ints).numpy(), [[0, 0.2, 1]], rtol=1e-6)
    assert to_float(ints).dtype == torch.float32
    assert ints.tolist() == [[0, 51, 255]]  # the batch itself is left alone
    every = torch.arange(256, dtype=torch.uint8)  # as a float32 cast, then the product
    assert torch.equal(to_float(every), every.to(torch.float32) * np.float32(1 / 255))
    floats = torch.tensor([[0.0, 51.0, 255.0]], dtype=torch.float64)
    np.testing.assert_array_equal(to_float(floats).numpy(), [[0, 51, 255]])


def test_to_images_pads_rows_and_centres_small_images():
    rows = torch.arange(1, 51, dtype=torch.float32).reshape(1, 50)
    images = to_images(rows, (1, 8, 8))
    assert images.shape == (1, 1, 8, 8)
    assert images.flatten()[:50].tolist() == rows.flatten().tolist()
    assert images.flatten()[50:].eq(0).all()  # zero padding at the end

    framed = to_images(rows, (1, 8, 8), frame_size=(28, 28))
    assert framed.shape == (1, 1, 28, 28)
    assert torch.equal(framed[0, 0, 10:18, 10:18], images[0, 0])
    assert framed.sum() == images.sum()  # zeros around it

    odd = to_images(torch.ones(1, 3 * 5 * 6), (3, 5, 6), frame_size=(8, 8))
    assert odd.shape == (1, 3, 8, 8)
    assert odd[0, :, 1:6, 1:7].eq(1).all() and odd.sum() == 3 * 5 * 6


def test_device_data_wraps_without_copying_and_streams_the_same_batches():
    X = np.arange(40, dtype=np.uint8).reshape(10, 4)
    data = DeviceData(X, np.arange(10) % 3, device="cpu")
    assert data.resident
    assert data.X.data_ptr() == X.__array_interface__["data"][0]  # no copy on the CPU
    rows = torch.tensor([3, 1, 7])
    Xb, yb = data.batch(rows)
    np.testing.assert_array_equal(Xb.numpy(), X[[3, 1, 7]])
    assert yb.tolist() == [0, 1, 1]

    streamed = DeviceData(X, np.arange(10) % 3, device="cpu", budget_bytes=0)
    streamed.resident = False  # on the CPU data always fits; force the streaming path
    Xs, ys = streamed.batch(rows)
    assert torch.equal(Xs, Xb) and torch.equal(ys, yb)

    subset = data.subset([9, 0])
    assert len(subset) == 2
    np.testing.assert_array_equal(subset.batch(slice(0, 2))[0].numpy(), X[[9, 0]])


def test_device_batches_cover_every_sample_once():
    data = DeviceData(np.arange(10, dtype=np.float32)[:, None], device="cpu")
    ordered = [Xb[:, 0].tolist() for Xb, _ in DeviceBatches(data, 4)]
    assert ordered == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert len(DeviceBatches(data, 4)) == 3
    generator = torch.Generator().manual_seed(0)
    batches = DeviceBatches(data, 4, shuffle=True, generator=generator)
    shuffled = [v for Xb, _ in batches for v in Xb[:, 0].tolist()]
    assert sorted(shuffled) == list(range(10)) and shuffled != list(range(10))
    assert [len(Xb) for Xb, _ in DeviceBatches(data, -1)] == [10]  # -1: one batch
