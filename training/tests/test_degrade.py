"""degrade.degrade_to on synthetic images: sizes, exactness where the resampling is exact, sharpness lost."""
import numpy as np
import pytest

from lesion_training import degrade, synthetic


def detail(rgb: np.ndarray) -> float:
    """degrade.detail of one uint8 [H, W, 3] image."""
    return float(degrade.detail(np.transpose(rgb, (2, 0, 1))[None] / 255.0)[0])


def test_degraded_size_keeps_the_aspect_ratio():
    assert degrade.degraded_size(256, 256, 150) == (150, 150)
    assert degrade.degraded_size(300, 400, 150) == (150, 200)
    assert degrade.degraded_size(600, 450, 150) == (200, 150)
    assert degrade.degraded_size(150, 200, 150) == (150, 200)  # HAM10000's size: nothing to take away
    assert degrade.degraded_size(100, 300, 150) == (100, 300)
    with pytest.raises(ValueError):
        degrade.degraded_size(256, 256, 0)


def test_an_image_already_at_the_resolution_comes_back_unchanged():
    small = synthetic.lesion_rgb(30, 40, seed=3)
    # every pixel repeated 2x2: area averaging down to 30 px and back up is exact
    big = np.kron(small, np.ones((2, 2, 1), np.uint8))
    out = degrade.degrade_to(big, 30)
    assert out.dtype == np.uint8 and out.shape == big.shape
    assert np.array_equal(out, big)
    assert np.array_equal(degrade.degrade_to(small, 30), small)
    assert degrade.degrade_to(small, 30) is not small


@pytest.mark.parametrize("up", degrade.UPSAMPLING)
def test_degrading_removes_detail_but_keeps_size_and_colour(up):
    rgb = synthetic.lesion_rgb(256, 256, seed=7)
    checker = ((np.indices((256, 256)).sum(0) % 2) * 60).astype(np.uint8)[:, :, None]
    rgb = np.clip(rgb.astype(np.int16) + checker - 30, 0, 255).astype(np.uint8)  # finest possible detail
    out = degrade.degrade_to(rgb, 150, up=up)
    assert out.shape == rgb.shape and out.dtype == np.uint8
    assert detail(out) < 0.5 * detail(rgb)
    assert np.abs(out.astype(np.float64).mean((0, 1)) - rgb.astype(np.float64).mean((0, 1))).max() < 1.0
    # the smaller the short side, the less detail survives
    assert detail(degrade.degrade_to(rgb, 64, up=up)) < detail(out)


def test_detail_of_flat_and_striped_images():
    flat = np.full((1, 3, 8, 8), 0.5)
    stripes = np.zeros((2, 3, 8, 8))
    stripes[1, :, :, ::2] = 1.0  # columns alternate 0 and 255: 255 horizontally, 0 vertically
    assert degrade.detail(flat).tolist() == [0.0]
    assert np.allclose(degrade.detail(stripes), [0.0, 255.0])


def test_rejects_what_is_not_an_8_bit_image():
    with pytest.raises(ValueError):
        degrade.degrade_to(np.zeros((8, 8, 3), np.float32), 4)
    with pytest.raises(ValueError):
        degrade.degrade_to(np.zeros((8, 8), np.uint8), 4)
    with pytest.raises(ValueError):
        degrade.degrade_to(np.zeros((8, 8, 3), np.uint8), 4, up="nearest")
