import pytest
import torch

from lesion_training import models, presets


@pytest.mark.parametrize("name,batchnorm,params", [
    ("proposed", False, 896 + 18496 + 73856 + 295168 + 8 * 8 * 256 * 256 + 256 + 514),
    ("lknet", False, 896 + 18496 + 73856 + 16 * 16 * 128 * 512 + 512 + 1026),
    ("proposed", True, None), ("lknet", True, None)])
@pytest.mark.parametrize("head", ["flatten", "gap"])
def test_shapes_and_parameters(name, batchnorm, params, head):
    m = models.build_model(name, batchnorm, head=head).eval()
    if head == "gap" and params is not None:
        params -= (8 * 8 * 256 * 256 - 256 * 256) if name == "proposed" else (16 * 16 * 128 * 512 - 128 * 512)
    with torch.no_grad():
        assert m(torch.rand(3, 3, 128, 128)).shape == (3, 2)
        assert m(torch.rand(1, 3, 128, 128)).shape == (1, 2)
    if params is not None:
        assert models.count_parameters(m) == params
    assert models.architecture_name(name, batchnorm, head).startswith(name)


def test_augment_keeps_shape_and_range():
    x = torch.rand(4, 3, 128, 128)
    g = torch.Generator().manual_seed(0)
    y = presets.BatchAugment()(x, g)
    assert y.shape == x.shape and float(y.min()) >= 0 and float(y.max()) <= 1
    y0 = presets.BatchAugment(presets.NO_AUGMENT)(x, g)
    torch.testing.assert_close(y0, x, atol=1e-5, rtol=0)
