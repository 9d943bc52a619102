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


def test_triagenet_is_small_and_answers_any_batch():
    m = models.build_model("triagenet", True, head="gap", colour="shades_of_gray", tta=2).eval()
    assert models.count_parameters(m) < 1_200_000
    with torch.no_grad():
        assert m(torch.rand(3, 3, 128, 128)).shape == (3, 2)
    assert models.architecture_name("triagenet", True, "gap", "shades_of_gray", 2) == "triagenet-bn-gap-sog-tta2"


def test_shades_of_gray_removes_a_global_colour_cast():
    x = torch.rand(2, 3, 32, 32) * 0.8
    cast = x * torch.tensor([1.2, 0.9, 0.7]).view(1, 3, 1, 1)
    sog = models.ShadesOfGray()
    a, b = sog(x), sog(cast)
    # the per-channel gains cancel the cast up to each image's overall brightness
    def per_image(t):
        return t / t.mean(dim=(1, 2, 3), keepdim=True)
    torch.testing.assert_close(per_image(a), per_image(b), atol=1e-4, rtol=1e-4)
    assert not torch.allclose(per_image(x), per_image(cast), atol=1e-2)


def test_flip_views_make_the_eval_output_invariant_to_the_flip():
    torch.manual_seed(0)
    m = models.build_model("proposed", True, head="gap", tta=2).eval()
    x = torch.rand(2, 3, 128, 128)
    with torch.no_grad():
        torch.testing.assert_close(m(x), m(torch.flip(x, dims=(3,))), atol=1e-5, rtol=1e-5)
        m.tta = 1
        assert not torch.allclose(m(x), m(torch.flip(x, dims=(3,))), atol=1e-5)
    m.train()
    assert m(x).shape == (2, 2)  # training sees single views (flips come from augmentation)


@pytest.mark.parametrize("bad", [dict(colour="grey-world"), dict(tta=3)])
def test_unknown_options_are_refused(bad):
    with pytest.raises(ValueError):
        models.build_model("triagenet", **bad)
