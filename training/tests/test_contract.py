import io

import numpy as np
import pytest
from PIL import Image

from lesion_training import contract, synthetic


def png(arr, mode=None):
    buf = io.BytesIO()
    Image.fromarray(arr, mode).save(buf, "PNG")
    return buf.getvalue()


def test_area_weights_by_hand():
    np.testing.assert_array_equal(contract.area_weights(4, 2), [[.5, .5, 0, 0], [0, 0, .5, .5]])
    # n=3 -> m=2: output 0 covers [0, 1.5): pixel 0 fully, pixel 1 half; divided by 1.5
    np.testing.assert_allclose(contract.area_weights(3, 2), [[2 / 3, 1 / 3, 0], [0, 1 / 3, 2 / 3]])
    # upscaling 2 -> 4 replicates, 2 -> 3 blends the middle
    np.testing.assert_array_equal(contract.area_weights(2, 4), [[1, 0], [1, 0], [0, 1], [0, 1]])
    np.testing.assert_allclose(contract.area_weights(2, 3), [[1, 0], [.5, .5], [0, 1]])
    for n, m in [(256, 128), (97, 128), (1024, 128), (211, 128), (16, 128)]:
        np.testing.assert_allclose(contract.area_weights(n, m).sum(axis=1), 1.0, atol=1e-12)


def test_resize_area_known_array():
    img = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)
    out = contract.resize_area(img, (2, 3))
    expected = img.astype(np.float64).reshape(2, 2, 3, 2, 3).mean(axis=(1, 3)).transpose(2, 0, 1)
    np.testing.assert_allclose(out, expected, atol=1e-12)
    # 3 rows -> 2 rows, by hand for one column of channel 0
    col = np.array([[0], [30], [90]], dtype=np.uint8)
    out = contract.resize_area(np.repeat(col[:, :, None], 3, axis=2), (2, 1))
    np.testing.assert_allclose(out[0, :, 0], [(0 * 1 + 30 * .5) / 1.5, (30 * .5 + 90 * 1) / 1.5])


def test_identity_size_is_exact_and_layout():
    arr = synthetic.lesion_rgb(128, 128, 1)
    t = contract.preprocess_bytes(png(arr))
    assert t.dtype == np.float32 and t.shape == (3, 128, 128)
    np.testing.assert_array_equal(t, (arr.transpose(2, 0, 1) / 255.0).astype(np.float32))


def test_alpha_dropped_not_composited():
    rgb = synthetic.lesion_rgb(50, 70, 2)
    alpha = np.zeros((50, 70), np.uint8)
    alpha[:, 35:] = 128
    rgba = np.dstack([rgb, alpha])
    np.testing.assert_array_equal(contract.preprocess_bytes(png(rgba, "RGBA")), contract.preprocess_bytes(png(rgb)))


def test_grayscale_and_palette():
    g = synthetic.lesion_rgb(40, 40, 3)[:, :, 0]
    t = contract.preprocess_bytes(png(g, "L"))
    np.testing.assert_array_equal(t[0], t[1])
    np.testing.assert_array_equal(t[1], t[2])
    pal = Image.fromarray(synthetic.lesion_rgb(40, 40, 4)).quantize(16)
    buf = io.BytesIO()
    pal.save(buf, "PNG")
    expanded = np.asarray(pal.convert("RGB"))
    np.testing.assert_allclose(contract.preprocess_bytes(buf.getvalue()),
                               contract.preprocess_bytes(png(expanded)), atol=0)


def test_16_bit_high_byte():
    g16 = np.full((20, 20), 0x12F0, np.uint16)
    t = contract.preprocess_bytes(synthetic.png16_bytes(g16))
    np.testing.assert_allclose(t, np.float32(0x12 / 255.0))
    rgb16 = np.zeros((8, 8, 3), np.uint16)
    rgb16[..., 0], rgb16[..., 1], rgb16[..., 2] = 0xFFFF, 0x80FF, 0x00FF
    t = contract.preprocess_bytes(synthetic.png16_bytes(rgb16))
    np.testing.assert_allclose(t[:, 0, 0], np.float32([255, 128, 0]) / np.float32(255), rtol=1e-6)


@pytest.mark.parametrize("orientation,transpose", [(6, Image.Transpose.ROTATE_270), (3, Image.Transpose.ROTATE_180),
                                                   (8, Image.Transpose.ROTATE_90)])
def test_exif_orientation(orientation, transpose):
    arr = synthetic.lesion_rgb(60, 90, 5)
    data = synthetic.jpeg_bytes(Image.fromarray(arr), exif_orientation=orientation)
    raw = Image.open(io.BytesIO(data))
    raw.load()
    expected = contract.preprocess_image(raw.transpose(transpose))
    np.testing.assert_array_equal(contract.preprocess_bytes(data), expected)
    if orientation == 6:
        assert contract.decode(data).size == (60, 90)


def test_rejects_other_formats_and_garbage():
    buf = io.BytesIO()
    Image.fromarray(synthetic.lesion_rgb(20, 20, 6)).save(buf, "BMP")
    with pytest.raises(contract.UnsupportedImageError):
        contract.preprocess_bytes(buf.getvalue())
    with pytest.raises(contract.UnsupportedImageError):
        contract.preprocess_bytes(b"not an image")


def test_version_2_is_version_1_at_the_models_size():
    arr = synthetic.lesion_rgb(150, 200, 3)
    t = contract.preprocess_bytes(png(arr), (160, 160))
    assert t.shape == (3, 160, 160) and t.dtype == np.float32
    np.testing.assert_array_equal(t, (contract.resize_area(arr, (160, 160)) / 255.0).astype(np.float32))
    np.testing.assert_array_equal(contract.preprocess_bytes(png(arr)), contract.preprocess_bytes(png(arr), (128, 128)))
    assert contract.of_config({"model": "triagenet"}) == (1, (128, 128))  # trained before the size option
    assert contract.of_config({"image_size": 128}) == (2, (128, 128))
    assert contract.of_config({"image_size": 224}) == (2, (224, 224))
    v2 = contract.contract_description((224, 224), 2)
    v1 = contract.contract_description()
    assert v2["contract_version"] == 2 and v2["resize"]["height"] == v2["resize"]["width"] == 224
    assert {k: v for k, v in v2.items() if k not in ("contract_version", "resize", "input_size")} == \
        {k: v for k, v in v1.items() if k not in ("contract_version", "resize")}
    assert v1["contract_version"] == 1 and "input_size" not in v1
    with pytest.raises(ValueError):
        contract.contract_description((224, 224), 1)
    with pytest.raises(ValueError):
        contract.contract_description((128, 128), 3)


def test_cache_key_names_the_size_and_keeps_v1_keys():
    assert contract.cache_key_text() == f"\ncontract={contract.CONTRACT_VERSION}"  # caches written before
    assert contract.cache_key_text((160, 160)) != contract.cache_key_text((224, 224)) != contract.cache_key_text()
