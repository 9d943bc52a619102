"""Keras MobileNetV2 weights -> torchvision features, checked against a NumPy re-implementation of Keras' forward.

The fixtures are synthetic HDF5 files laid out like the published ones (Keras 2.1.6 `save_weights`: root
attribute `layer_names`, one group per layer with attribute `weight_names`, datasets `layer/layer/kernel:0`),
with shapes from Keras' own channel arithmetic, so no test needs the real files; one test uses them if present.
"""
import copy
import hashlib

import h5py
import numpy as np
import pytest
import torch
from torch import nn
from torchvision.models import mobilenet_v2

from lesion_training import imagenet_weights as iw

# Bounds on max |features - Keras reference| (features are ReLU6 outputs, 0-6; block outputs reach ~20).
# float64 network: the same arithmetic as the reference up to summation order, measured ~1e-13.
# float32 network (as used): 53 layers rounding at 6e-8 relative, measured 1e-5 to 5e-5 here and on the
# published weights; 2e-4 leaves a 4x margin and is still >10,000x below what torchvision's symmetric padding
# or PyTorch's batch-norm eps change (both checked below).
ATOL_FP64, ATOL_FP32 = 1e-9, 2e-4

KERAS_BLOCKS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                (6, 320, 1, 1)]  # expansion t, channels c, repeats n, first stride s (Keras' mobilenetv2.py)


def _make_divisible(v, divisor=8):  # Keras' helper
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def keras_blocks(alpha):
    """[(block id, expansion, output channels, stride)] as Keras computes them (int(c * alpha) first)."""
    flat = [(t, c, s if i == 0 else 1) for t, c, n, s in KERAS_BLOCKS for i in range(n)]
    return [(b, t, _make_divisible(int(c * alpha)), s) for b, (t, c, s) in enumerate(flat)]


def keras_layers(alpha):
    """[(layer name, {tensor name: shape})] in Keras' order, weightless layers included like the real file."""
    first = _make_divisible(32 * alpha)
    last = _make_divisible(1280 * alpha) if alpha > 1.0 else 1280

    def bn(name, c):
        return (name, {k: (c,) for k in ("gamma:0", "beta:0", "moving_mean:0", "moving_variance:0")})

    layers = [("input_1", {}), ("Conv1", {"kernel:0": (3, 3, 3, first)}), bn("bn_Conv1", first), ("Conv1_relu", {})]
    cin = first
    for b, t, cout, s in keras_blocks(alpha):
        hidden = cin * t
        if b:
            layers += [(f"mobl{b}_conv_{b}_expand", {"kernel:0": (1, 1, cin, hidden)}),
                       bn(f"bn{b}_conv_{b}_bn_expand", hidden), (f"conv_{b}_relu", {})]
        layers += [(f"mobl{b}_conv_{b}_depthwise", {"depthwise_kernel:0": (3, 3, hidden, 1)}),
                   bn(f"bn{b}_conv_{b}_bn_depthwise", hidden), (f"conv_dw_{b}_relu", {}),
                   (f"mobl{b}_conv_{b}_project", {"kernel:0": (1, 1, hidden, cout)}),
                   bn(f"bn{b}_conv_{b}_bn_project", cout)]
        if cin == cout and s == 1:
            layers.append((f"res_connect_{b}", {}))
        cin = cout
    return layers + [("Conv_1", {"kernel:0": (1, 1, cin, last)}), bn("Conv_1_bn", last), ("out_relu", {})]


def write_keras_file(path, alpha, seed=0):
    rng = np.random.default_rng(seed)
    with h5py.File(path, "w") as f:
        layers = keras_layers(alpha)
        f.attrs["layer_names"] = np.array([name.encode() for name, _ in layers])
        f.attrs["backend"], f.attrs["keras_version"] = b"tensorflow", b"2.1.6"
        for name, weights in layers:
            g = f.create_group(name)
            g.attrs["weight_names"] = np.array([f"{name}/{k}".encode() for k in weights]) if weights else np.zeros(0)
            values = {}
            for k, shape in weights.items():
                if k == "moving_variance:0":  # down to 0.01, where eps 1e-3 instead of 1e-5 changes the scale 5 %
                    values[k] = np.exp(rng.uniform(np.log(0.01), np.log(2.0), shape))
                elif k in ("beta:0", "moving_mean:0"):
                    values[k] = rng.normal(0, 0.2, shape)
                elif k.endswith("kernel:0"):  # He-scaled
                    values[k] = rng.normal(0, np.sqrt(2.0 / np.prod(shape[:3] if k == "kernel:0" else shape[:2])),
                                           shape)
            if "gamma:0" in weights:  # batch-norm gains gamma / sqrt(var) of 0.5-1.5 keep activations O(1)
                values["gamma:0"] = rng.uniform(0.5, 1.5, weights["gamma:0"]) * np.sqrt(values["moving_variance:0"])
            for k in weights:
                g.create_dataset(f"{name}/{k}", data=values[k].astype(np.float32))
    return path


# --- Keras' forward, written from Keras' definition (NHWC, HWIO kernels, TensorFlow 'SAME' padding) ---

def _same_pad(x, k, s):
    def pad(n):
        total = max((-(-n // s) - 1) * s + k - n, 0)  # TensorFlow: output ceil(n / s); extra pixel at the end
        return total // 2, total - total // 2
    return np.pad(x, ((0, 0), pad(x.shape[1]), pad(x.shape[2]), (0, 0)))


def _windows(x, k, s):
    x = _same_pad(x, k, s)
    h, w = (x.shape[1] - k) // s + 1, (x.shape[2] - k) // s + 1
    for i in range(k):
        for j in range(k):
            yield i, j, x[:, i:i + s * (h - 1) + 1:s, j:j + s * (w - 1) + 1:s, :]


def ref_conv(x, kernel, s=1):
    return sum(np.einsum("nhwc,co->nhwo", win, kernel[i, j]) for i, j, win in _windows(x, kernel.shape[0], s))


def ref_depthwise(x, kernel, s):
    return sum(win * kernel[i, j, :, 0] for i, j, win in _windows(x, kernel.shape[0], s))


def ref_bn(x, w, relu6=True):
    y = (x - w["moving_mean:0"]) / np.sqrt(w["moving_variance:0"] + 1e-3) * w["gamma:0"] + w["beta:0"]
    return np.clip(y, 0, 6) if relu6 else y


def keras_reference(path, alpha, x_nchw):
    with h5py.File(path, "r") as f:
        def w(layer):
            return {k.split("/")[-1]: np.asarray(v, np.float64) for k, v in f[layer][layer].items()}
        x = x_nchw.transpose(0, 2, 3, 1).astype(np.float64)
        x = ref_bn(ref_conv(x, w("Conv1")["kernel:0"], 2), w("bn_Conv1"))
        for b, t, _, s in keras_blocks(alpha):
            y = x
            if b:
                y = ref_bn(ref_conv(y, w(f"mobl{b}_conv_{b}_expand")["kernel:0"]), w(f"bn{b}_conv_{b}_bn_expand"))
            y = ref_depthwise(y, w(f"mobl{b}_conv_{b}_depthwise")["depthwise_kernel:0"], s)
            y = ref_bn(y, w(f"bn{b}_conv_{b}_bn_depthwise"))
            y = ref_bn(ref_conv(y, w(f"mobl{b}_conv_{b}_project")["kernel:0"]), w(f"bn{b}_conv_{b}_bn_project"),
                       relu6=False)
            x = x + y if (s == 1 and x.shape[-1] == y.shape[-1]) else y
        x = ref_bn(ref_conv(x, w("Conv_1")["kernel:0"]), w("Conv_1_bn"))
    return x.transpose(0, 3, 1, 2)


def _input(shape, seed=1):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32)


def _features(model, x, dtype=torch.float32):
    with torch.no_grad():
        return copy.deepcopy(model).to(dtype)(torch.from_numpy(x).to(dtype)).double().numpy()


# 0.25: block 0 keeps 8 channels, so it has a residual connection; 0.35: the published width
@pytest.fixture(scope="module", params=[0.25, 0.35])
def synthetic(request, tmp_path_factory):
    alpha = request.param
    return alpha, write_keras_file(tmp_path_factory.mktemp("keras") / f"mnv2_{alpha}.h5", alpha)


def test_every_tensor_is_mapped_with_keras_shapes(synthetic):
    alpha, path = synthetic
    features, report = iw.convert_keras_mobilenet_v2(path, alpha)
    layers = keras_layers(alpha)
    n_tensors = sum(len(w) for _, w in layers)
    assert report["tensors"] == report["torch_tensors"] == n_tensors == 260
    assert (report["convolutions"], report["depthwise_convolutions"], report["batch_norms"]) == (52, 17, 52)
    assert report["parameters"] == sum(int(np.prod(s)) for _, w in layers for s in w.values())
    assert report["trainable_parameters"] == sum(p.numel() for p in features.parameters())
    # spot checks of the layouts: first kernel HWIO -> OIHW, a depthwise kernel, a batch norm's statistics
    with h5py.File(path, "r") as f:
        k = np.asarray(f["Conv1/Conv1/kernel:0"])
        dw = np.asarray(f["mobl1_conv_1_depthwise/mobl1_conv_1_depthwise/depthwise_kernel:0"])
        var = np.asarray(f["Conv_1_bn/Conv_1_bn/moving_variance:0"])
    assert features[0][0].weight.shape == (k.shape[3], 3, 3, 3)
    np.testing.assert_array_equal(features[0][0].weight[5, 2].detach().numpy(), k[:, :, 2, 5])
    np.testing.assert_array_equal(features[2].conv[1][0].weight[7, 0].detach().numpy(), dw[:, :, 7, 0])
    np.testing.assert_array_equal(features[18][1].running_var.numpy(), var)
    assert features[18][0].out_channels == 1280 and features[18][1].eps == 1e-3
    # the module keeps torchvision's names, so its weights load into the stock network
    mobilenet_v2(width_mult=alpha).features.load_state_dict(features.state_dict())


def test_features_equal_keras_forward(synthetic):
    alpha, path = synthetic
    features = iw.load_keras_mobilenet_v2(path, alpha)
    # 40 x 36 passes odd sizes to stride-2 convs (9, 5, 3: padding 1 both sides) as well as even ones (one
    # pixel bottom/right only)
    x = _input((2, 3, 40, 36))
    ref = keras_reference(path, alpha, x)
    out = _features(features, x)
    assert out.shape == ref.shape == (2, 1280, 2, 2)
    assert np.abs(ref).max() > 1.0 and (ref > 0).mean() > 0.1  # the check is not on near-zero features
    diff64 = np.abs(_features(features, x, torch.float64) - ref).max()
    diff32 = np.abs(out - ref).max()
    print(f"width {alpha}: max |features - Keras reference| float64 {diff64:.1e}, float32 {diff32:.1e}")
    assert diff64 < ATOL_FP64 and diff32 < ATOL_FP32

    # the bound is tight enough to see what the conversion fixes: torchvision's symmetric padding, PyTorch's eps
    stock = mobilenet_v2(width_mult=alpha, norm_layer=iw.KerasBatchNorm2d).features.eval()
    stock.load_state_dict(features.state_dict())
    assert np.abs(_features(stock, x) - ref).max() > 1000 * ATOL_FP32
    eps5 = copy.deepcopy(features)
    for m in eps5.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eps = 1e-5
    assert np.abs(_features(eps5, x) - ref).max() > 1000 * ATOL_FP32


def _edit(path, tmp_path, change):
    out = tmp_path / "edited.h5"
    out.write_bytes(path.read_bytes())
    with h5py.File(out, "r+") as f:
        change(f)
    return out


def _drop_layer(f, layer):
    f.attrs["layer_names"] = np.array([n for n in f.attrs["layer_names"] if n != layer.encode()])
    del f[layer]


def _extra_layer(f):
    f.attrs["layer_names"] = np.append(f.attrs["layer_names"], b"logits")
    f.create_group("logits").attrs["weight_names"] = np.array([b"logits/kernel:0"])
    f["logits"].create_dataset("logits/kernel:0", data=np.zeros((1, 1, 1280, 2), np.float32))


@pytest.mark.parametrize("change,error,match", [
    (lambda f: _drop_layer(f, "bn5_conv_5_bn_expand"), KeyError, "no tensor bn5_conv_5_bn_expand/gamma:0"),
    (_extra_layer, ValueError, "1 tensors not mapped"),
    (lambda f: f["Conv1"].create_dataset("Conv1/bias:0", data=np.zeros(8, np.float32)), ValueError,
     "datasets but the layers list"),
])
def test_refuses_missing_unused_or_unlisted_tensors(tmp_path, change, error, match):
    path = write_keras_file(tmp_path / "mnv2.h5", 0.25)
    with pytest.raises(error, match=match):
        iw.load_keras_mobilenet_v2(_edit(path, tmp_path, change), 0.25)


def test_refuses_the_wrong_width(tmp_path):
    path = write_keras_file(tmp_path / "mnv2.h5", 0.25)
    with pytest.raises(ValueError, match=r"Conv1/kernel:0: shape \(8, 3, 3, 3\) in the file, \(16, 3, 3, 3\)"):
        iw.load_keras_mobilenet_v2(path, 0.5)


def test_keras_and_torchvision_channel_arithmetic_agree():
    # torchvision: make_divisible(c * alpha), last 1280 * max(1, alpha); Keras: make_divisible(int(c * alpha)),
    # last 1280 unless alpha > 1
    for alpha in (0.25, 0.35, 0.5, 0.75, 1.0, 1.3, 1.4):
        keras = [(s[2], 1) if k == "depthwise_kernel:0" else (s[3], s[2])
                 for _, w in keras_layers(alpha) for k, s in w.items() if k.endswith("kernel:0")]
        stock = [tuple(m.weight.shape[:2]) for m in mobilenet_v2(width_mult=alpha).features.modules()
                 if isinstance(m, nn.Conv2d)]
        assert keras == stock, alpha


REAL = {0.35: 410_208, 0.5: 706_224}


@pytest.mark.parametrize("alpha", sorted(REAL))
def test_published_weights(alpha):
    path = iw.weights_file(alpha)
    if not path.exists():
        pytest.skip(f"{path} not present (ImageNet weights live outside the repository)")
    sums = dict(reversed(line.split()) for line in (path.parent / "SHA256SUMS").read_text().splitlines() if line)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sums[path.name]
    with h5py.File(path, "r") as f:  # the synthetic fixtures' layout is the published one
        layout = [(n.decode(), {w.decode().split("/")[-1]: f[n][w].shape for w in f[n].attrs["weight_names"]})
                  for n in f.attrs["layer_names"]]
    assert layout == keras_layers(alpha)
    features, report = iw.convert_keras_mobilenet_v2(path, alpha)
    assert report["parameters"] == REAL[alpha] and report["keras_version"] == "2.1.6"
    assert (report["tensors"], report["torch_tensors"], report["convolutions"], report["batch_norms"]) == \
        (260, 260, 52, 52)
    # deterministic smooth image in [-1, 1]
    yy, xx = torch.meshgrid(torch.linspace(0, 1, 224), torch.linspace(0, 1, 224), indexing="ij")
    image = torch.stack([torch.sin(6 * xx), torch.cos(5 * yy), 2 * xx * yy - 1])[None]
    with torch.no_grad():
        out = features(image)
    assert out.shape == (1, 1280, 7, 7) and torch.isfinite(out).all() and out.std() > 0
    # and the real weights through the NumPy Keras forward, on a smaller crop to keep it quick
    crop = image[:, :, :64, :64].numpy()
    ref = keras_reference(path, alpha, crop)
    assert np.abs(_features(features, crop, torch.float64) - ref).max() < ATOL_FP64
    assert np.abs(_features(features, crop) - ref).max() < ATOL_FP32
