"""Keras Applications ImageNet weights for torchvision's MobileNetV2 feature extractor.

The files (`mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{alpha}_224_no_top.h5`, Keras 2.1.6 layer names)
live outside the repository in `../shared/weights/imagenet` (PROVENANCE.md, SHA256SUMS there). Keras' network
is torchvision's `mobilenet_v2(width_mult=alpha).features` layer for layer; three things differ and are
reproduced here so the features equal Keras':
- kernels: HWIO -> OIHW, depthwise (H, W, C, 1) -> (C, 1, H, W);
- batch norm: eps 1e-3 and momentum 0.999 (PyTorch's momentum 0.001), not PyTorch's 1e-5 / 0.1;
- stride-2 convolutions pad like TensorFlow 'SAME' (on an even input: one row/column at the bottom/right only),
  torchvision pads one on every side, which shifts every sampled pixel by one.
The network expects RGB in [-1, 1] (x / 127.5 - 1 on 0-255 pixels, 2x - 1 on the contract's [0, 1] tensor).

Every tensor of the file is mapped by name, and conversion fails on a missing, unused or misshapen one.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import mobilenet_v2

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_WEIGHTS = REPO_ROOT / ".." / "shared" / "weights" / "imagenet"

# Keras' BatchNormalization(epsilon=1e-3, momentum=0.999); PyTorch's momentum weighs the new batch instead
KerasBatchNorm2d = partial(nn.BatchNorm2d, eps=1e-3, momentum=0.001)
BN_TENSORS = {"gamma:0": "weight", "beta:0": "bias", "moving_mean:0": "running_mean",
              "moving_variance:0": "running_var"}


def weights_file(width_mult: float, folder: Path | str = DEFAULT_WEIGHTS) -> Path:
    return Path(folder) / f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(width_mult)}_224_no_top.h5"


class SamePadConv2d(nn.Conv2d):
    """Conv2d with TensorFlow 'SAME' padding: when the total padding is odd, the extra pixel goes bottom/right.

    For 3x3 stride 2 that is (0, 1) on an even side (every stride-2 input when the image side is a multiple of
    32, e.g. 128 or 224) and (1, 1) on an odd one. Arithmetic only, no branch, so tracing for ONNX records the
    rule rather than the traced size's padding.
    """

    def forward(self, x):
        pads = []
        for size, k, s in zip(x.shape[-2:], self.kernel_size, self.stride):
            total = k - s + (-size) % s  # output ceil(size / s); needs k >= s, true for every conv here
            pads.append((total // 2, total - total // 2))
        (top, bottom), (left, right) = pads
        return super().forward(F.pad(x, (left, right, top, bottom)))


def _same_padded(conv: nn.Conv2d) -> SamePadConv2d:
    return SamePadConv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, padding=0,
                         groups=conv.groups, bias=False)


def build_features(width_mult: float) -> nn.Sequential:
    """torchvision's `mobilenet_v2(width_mult).features` with Keras' batch norm and stride-2 padding."""
    features = mobilenet_v2(width_mult=width_mult, norm_layer=KerasBatchNorm2d).features
    for parent in list(features.modules()):
        for name, child in parent.named_children():
            if isinstance(child, nn.Conv2d) and child.stride != (1, 1):
                setattr(parent, name, _same_padded(child))  # same module name, so state_dict keys stay
    return features


def keras_layer_names(features: nn.Sequential) -> dict:
    """{torchvision module path: Keras layer name} for every conv and batch norm of `features`."""
    names = {"0.0": "Conv1", "0.1": "bn_Conv1"}
    last = len(features) - 1
    for i in range(1, last):
        b = i - 1  # Keras' block id; block 0 (expansion 1) has no expand convolution
        steps = ["expand", "depthwise"] if len(features[i].conv) == 4 else ["depthwise"]
        for j, step in enumerate(steps):  # Conv2dNormActivation: .0 conv, .1 batch norm
            names[f"{i}.conv.{j}.0"] = f"mobl{b}_conv_{b}_{step}"
            names[f"{i}.conv.{j}.1"] = f"bn{b}_conv_{b}_bn_{step}"
        names[f"{i}.conv.{len(steps)}"] = f"mobl{b}_conv_{b}_project"
        names[f"{i}.conv.{len(steps) + 1}"] = f"bn{b}_conv_{b}_bn_project"
    names.update({f"{last}.0": "Conv_1", f"{last}.1": "Conv_1_bn"})
    return names


def read_keras_weights(path: Path | str) -> tuple[dict, dict]:
    """{(layer, tensor name such as 'kernel:0'): float32 array} from a Keras `save_weights` HDF5 file, and its
    attributes. Fails if the file holds a dataset that no layer lists (it would go unused silently)."""
    import h5py  # Debian: python3-h5py; imported here so the rest of the module works without it

    with h5py.File(path, "r") as f:
        root = f["model_weights"] if "model_weights" in f else f
        tensors = {}
        for layer in (n.decode() if isinstance(n, bytes) else n for n in root.attrs["layer_names"]):
            group = root[layer]
            for wn in group.attrs.get("weight_names", []):
                wn = wn.decode() if isinstance(wn, bytes) else wn
                tensors[(layer, wn.split("/")[-1])] = np.asarray(group[wn], dtype=np.float32)
        stored = []
        root.visititems(lambda name, obj: stored.append(name) if isinstance(obj, h5py.Dataset) else None)
        if len(stored) != len(tensors):
            raise ValueError(f"{path}: {len(stored)} datasets but the layers list {len(tensors)} weights")
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in root.attrs.items()
                 if k in ("keras_version", "backend")}
    return tensors, attrs


def _torch_layout(kind: str, array: np.ndarray) -> np.ndarray:
    if kind in BN_TENSORS:
        return array
    if kind == "depthwise_kernel:0":
        return array.transpose(2, 3, 0, 1)  # (H, W, C, 1) -> (C, 1, H, W)
    return array.transpose(3, 2, 0, 1)  # HWIO -> OIHW


def convert_keras_mobilenet_v2(path: Path | str, width_mult: float) -> tuple[nn.Sequential, dict]:
    """The feature extractor with the file's weights, and a report of what was mapped."""
    tensors, attrs = read_keras_weights(path)
    features = build_features(width_mult)
    layer_of = keras_layer_names(features)
    modules = dict(features.named_modules())
    unused, filled = dict(tensors), set()
    convs = depthwise = bns = 0
    for module_path, layer in layer_of.items():
        module = modules[module_path]
        if isinstance(module, nn.BatchNorm2d):
            targets = {kind: getattr(module, attr) for kind, attr in BN_TENSORS.items()}
            bns += 1
        else:
            is_dw = module.groups > 1
            targets = {"depthwise_kernel:0" if is_dw else "kernel:0": module.weight}
            convs, depthwise = convs + 1, depthwise + is_dw
        for kind, target in targets.items():
            if (layer, kind) not in unused:
                raise KeyError(f"{path}: no tensor {layer}/{kind} for {module_path} (width {width_mult:g}?)")
            value = _torch_layout(kind, unused.pop((layer, kind)))
            if tuple(value.shape) != tuple(target.shape):
                raise ValueError(f"{layer}/{kind}: shape {value.shape} in the file, {tuple(target.shape)} in "
                                 f"features.{module_path} (width {width_mult:g})")
            with torch.no_grad():
                target.copy_(torch.from_numpy(np.ascontiguousarray(value)))
            filled.add(id(target))
    if unused:
        raise ValueError(f"{path}: {len(unused)} tensors not mapped, e.g. {sorted(unused)[:3]}")
    # the other direction: every parameter and statistic of the network came from the file
    expected = {n: t for n, t in features.state_dict(keep_vars=True).items() if not n.endswith("num_batches_tracked")}
    missing = [n for n, t in expected.items() if id(t) not in filled]
    if missing:
        raise ValueError(f"features tensors not loaded from {path}: {missing[:3]}")
    report = {
        "file": Path(path).name, "width_mult": width_mult, **attrs,
        "convolutions": convs, "depthwise_convolutions": depthwise, "batch_norms": bns,
        "tensors": len(tensors), "parameters": int(sum(a.size for a in tensors.values())),
        "trainable_parameters": sum(p.numel() for p in features.parameters()),
        "torch_tensors": len(expected),
    }
    return features.eval(), report


def load_keras_mobilenet_v2(path: Path | str, width_mult: float) -> nn.Sequential:
    """`mobilenet_v2(width_mult).features` with Keras' ImageNet weights; input RGB in [-1, 1]."""
    return convert_keras_mobilenet_v2(path, width_mult)[0]


def mapping_report(path: Path | str, width_mult: float) -> dict:
    """Counts of convolutions, batch norms, tensors and parameters mapped from the file."""
    return convert_keras_mobilenet_v2(path, width_mult)[1]
