"""The two architectures compared in the paper, with optional improvements.

proposed  conv 32/64/128/256 (3x3, ReLU, 2x2 max-pool after each), FC 256 ReLU,
          dropout, FC 2. Input 128x128 RGB -> 8x8x256 after the last pool.
lknet     the Keras CNN of laurakoco/melanoma_detection_ml: conv 32/64/128 with
          max-pool, Dense 512 ReLU, dropout 0.5; the original ends in one sigmoid,
          here it ends in 2 logits [non_melanoma, melanoma] like proposed.

Variants (named in `architecture_name`): `-bn` adds BatchNorm after every conv
(and before the hidden FC ReLU); `-gap` replaces the flatten by global average
pooling (the hidden FC then sees the channel means: 256 inputs instead of
16,384); input normalisation (per-channel mean/std of the training set) lives
inside the network so it is part of the ONNX graph.
mobilenet_v2  ImageNet features fine-tuned (version 3): torchvision's MobileNetV2 feature extractor with the
          Keras Applications ImageNet weights (imagenet_weights.py; width 0.35 or 0.5), global average pooling,
          dropout, FC 2. The input is scaled to [-1, 1] in the graph as those weights expect, after the
          optional shades-of-gray colour constancy; any input size that is a multiple of 32.
          It also computes the class activation map of the melanoma logit (`logits_and_cam`), a second
          output of its ONNX graph.
All models return logits [N, 2]; see export.py for the softmax/temperature head.
"""
from __future__ import annotations

from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

MODEL_NAMES = ("proposed", "lknet", "triagenet", "mobilenet_v2")
WIDTHS = (0.35, 0.5)  # the MobileNetV2 widths whose ImageNet weights are in ../shared/weights/imagenet
MELANOMA = 1  # index of the melanoma logit


class Normalize(nn.Module):
    def __init__(self, mean: Sequence[float] = (0.5, 0.5, 0.5), std: Sequence[float] = (0.25, 0.25, 0.25)):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, 3, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


def _conv_block(cin, cout, batchnorm):
    layers = [nn.Conv2d(cin, cout, 3, padding=1, bias=not batchnorm)]
    if batchnorm:
        layers.append(nn.BatchNorm2d(cout))
    layers += [nn.ReLU(inplace=True), nn.MaxPool2d(2)]
    return layers


class ShadesOfGray(nn.Module):
    """Colour constancy in the graph: scale each channel so the image's Minkowski p-norm colour is gray.

    gain_c = mean_k(n_k) / n_c with n_c = mean(x_c ** p) ** (1/p) (Finlayson and Trezzi 2004, p = 6 as in
    ISIC challenge entries). It removes a global colour cast of the camera or the light, the main
    difference between image sources. Computed on the contract's 128x128 tensor, so the preprocessing
    contract itself does not change.
    """

    def __init__(self, p: float = 6.0, eps: float = 1e-6):
        super().__init__()
        self.p, self.eps = p, eps

    def forward(self, x):
        norm = (x.pow(self.p).mean(dim=(2, 3), keepdim=True) + self.eps).pow(1.0 / self.p)
        return x * (norm.mean(dim=1, keepdim=True) / norm)


def flip_views(x, views: int):
    """Test-time views folded into the graph: identity, + horizontal flip, + vertical and both flips."""
    out = [x]
    if views >= 2:
        out.append(torch.flip(x, dims=(3,)))
    if views >= 4:
        out += [torch.flip(x, dims=(2,)), torch.flip(x, dims=(2, 3))]
    return out


def unflip_map(m, view: int):
    """A per-view map [N, h, w] back in the original image's orientation (flip_views' order)."""
    dims = {0: (), 1: (2,), 2: (1,), 3: (1, 2)}[view]
    return torch.flip(m, dims=dims) if dims else m


class ConvNet(nn.Module):
    def __init__(self, channels, hidden, dropout, batchnorm, input_size=128, n_classes=2, head="flatten",
                 colour="none", tta=1):
        super().__init__()
        self.colour = ShadesOfGray() if colour == "shades_of_gray" else nn.Identity()
        self.tta = tta
        self.image_size = input_size
        self.normalize = Normalize()
        layers, cin = [], 3
        for c in channels:
            layers += _conv_block(cin, c, batchnorm)
            cin = c
        self.features = nn.Sequential(*layers)
        side = input_size // (2 ** len(channels))
        if head == "gap":
            head = [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, hidden, bias=not batchnorm)]
        elif head == "flatten":
            head = [nn.Flatten(), nn.Linear(cin * side * side, hidden, bias=not batchnorm)]
        else:
            raise ValueError(f"unknown head {head!r}")
        if batchnorm:
            head.append(nn.BatchNorm1d(hidden))
        head += [nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(hidden, n_classes)]
        self.classifier = nn.Sequential(*head)

    def logits(self, x):
        return self.classifier(self.features(self.normalize(self.colour(x))))

    def forward(self, x):
        # flips are averaged in eval mode only: training sees them through augmentation
        if self.training or self.tta <= 1:
            return self.logits(x)
        views = flip_views(x, self.tta)
        return torch.stack([self.logits(v) for v in views]).mean(0)


# Keras' batch norm updates its running statistics with momentum 0.999 (PyTorch 0.001): ~1,000 steps, three
# epochs here, behind the weights being fine-tuned. 0.01 follows them within a quarter of an epoch, so each
# validation sees statistics of the current weights. The loaded statistics and eps 1e-3 are unchanged.
FINE_TUNE_BN_MOMENTUM = 0.01


class MobileNetV2Net(nn.Module):
    """ImageNet MobileNetV2 features + global average pool + dropout + FC 2, colour constancy and flipped
    views in the graph like version 2; `logits_and_cam` also returns the melanoma logit's activation map."""
    fixed_input_scaling = True  # the ImageNet weights fix the input range: train.py fits no statistics
    has_cam = True
    # trained in channels-last layout: PyTorch's CPU depthwise and 1x1 convolutions run ~2x faster in it
    channels_last = True
    # no bf16 training: ReLU6's backward has no bfloat16 kernel on the CPU (PyTorch 1.13), and with ReLU6
    # written as a clamp the bf16 step was ~3x slower than fp32 here (training/tools/step_time.py)
    bf16_training = False

    def __init__(self, width: float = 0.35, dropout: float = 0.2, colour: str = "none", tta: int = 1,
                 image_size: int = 128, n_classes: int = 2):
        super().__init__()
        from . import imagenet_weights
        self.colour = ShadesOfGray() if colour == "shades_of_gray" else nn.Identity()
        self.tta, self.width, self.image_size = tta, width, image_size
        self.normalize = Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))  # 2x - 1: [0, 1] -> [-1, 1]
        self.features = imagenet_weights.build_features(width)
        for m in self.features.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.momentum = FINE_TUNE_BN_MOMENTUM
        self.channels = self.features[-1][0].out_channels  # 1280 at widths <= 1
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(self.channels, n_classes)

    def feature_map(self, x):
        """The last feature map [N, C, ceil(H/32), ceil(W/32)] (ReLU6 outputs)."""
        return self.features(self.normalize(self.colour(x)))

    def logits(self, x):
        return self.classifier(self.dropout(self.feature_map(x).mean(dim=(2, 3))))

    def view_logits_and_cam(self, x):
        """One view: logits [N, 2] and cam [N, h, w] = sum_c features[:, c] * w_melanoma[c], from the same
        feature map, without gradients (mean over h, w of cam + the melanoma bias = the melanoma logit)."""
        f = self.feature_map(x)
        logits = self.classifier(self.dropout(f.mean(dim=(2, 3))))
        w = self.classifier.weight[MELANOMA].detach().view(1, -1, 1, 1)
        cam = F.conv2d(f.detach(), w).flatten(1, 2)  # [N, 1, h, w] -> [N, h, w]: a 1x1 conv, one Conv node
        return logits, cam

    def logits_and_cam(self, x):
        """Logits as `forward` gives them and the activation map, both averaged over the flipped views in
        eval mode (each view's map flipped back first)."""
        if self.training or self.tta <= 1:
            return self.view_logits_and_cam(x)
        outs = [self.view_logits_and_cam(v) for v in flip_views(x, self.tta)]
        return (torch.stack([o[0] for o in outs]).mean(0),
                torch.stack([unflip_map(o[1], k) for k, o in enumerate(outs)]).mean(0))

    def forward(self, x):
        if self.training or self.tta <= 1:
            return self.logits(x)
        return torch.stack([self.logits(v) for v in flip_views(x, self.tta)]).mean(0)


def load_imagenet(model: MobileNetV2Net, folder=None) -> dict:
    """Put the Keras ImageNet weights of the model's width into its features; returns which file (name,
    sha256). `folder` defaults to imagenet_weights.DEFAULT_WEIGHTS (../shared/weights/imagenet)."""
    from . import imagenet_weights, utils
    path = imagenet_weights.weights_file(model.width, folder or imagenet_weights.DEFAULT_WEIGHTS)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: the ImageNet weights live in ../shared/weights/imagenet "
                                "(training/README.md); --no-pretrained trains from scratch")
    features = imagenet_weights.load_keras_mobilenet_v2(path, model.width)
    model.features.load_state_dict(features.state_dict())
    return {"file": path.name, "sha256": utils.sha256_path(path)}


HEADS = ("flatten", "gap")
COLOURS = ("none", "shades_of_gray")
TTA_VIEWS = (1, 2, 4)


def build_model(name: str, batchnorm: bool = True, dropout: float = 0.5, head: str = "flatten",
                colour: str = "none", tta: int = 1, image_size: int = 128, width: float = 0.35) -> nn.Module:
    """The network, untrained (mobilenet_v2: `load_imagenet` puts the ImageNet weights in)."""
    if colour not in COLOURS:
        raise ValueError(f"unknown colour handling {colour!r}; choose from {', '.join(COLOURS)}")
    if tta not in TTA_VIEWS:
        raise ValueError(f"test-time views must be one of {TTA_VIEWS}")
    if image_size <= 0 or image_size % 32:
        raise ValueError(f"image size {image_size}: must be a positive multiple of 32")
    if name == "mobilenet_v2":
        if width not in WIDTHS:
            raise ValueError(f"width {width}: choose from {WIDTHS}")
        return MobileNetV2Net(width, dropout, colour, tta, image_size)
    extra = dict(head=head, colour=colour, tta=tta, input_size=image_size)
    if name == "proposed":
        return ConvNet((32, 64, 128, 256), 256, dropout, batchnorm, **extra)
    if name == "lknet":
        return ConvNet((32, 64, 128), 512, dropout, batchnorm, **extra)
    if name == "triagenet":
        return ConvNet((32, 64, 128, 256, 256), 256, dropout, batchnorm, **extra)
    raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}")


def build_from_config(cfg: dict) -> nn.Module:
    """The network a checkpoint's config describes (older checkpoints lack the newer keys)."""
    return build_model(cfg["model"], cfg["batchnorm"], cfg["dropout"], cfg.get("head", "flatten"),
                       cfg.get("colour", "none"), cfg.get("tta", 1), cfg.get("image_size", 128),
                       cfg.get("width", 0.35))


def architecture_name(name: str, batchnorm: bool, head: str = "flatten", colour: str = "none",
                      tta: int = 1, image_size: int = 128, width: float = 0.35, pretrained: bool = True) -> str:
    if name == "mobilenet_v2":
        body = f"{name}-{width:g}" + ("" if pretrained else "-scratch") + f"-{image_size}px"
    else:
        body = (name + ("-bn" if batchnorm else "") + ("-gap" if head == "gap" else "")
                + (f"-{image_size}px" if image_size != 128 else ""))
    return body + ("-sog" if colour == "shades_of_gray" else "") + (f"-tta{tta}" if tta > 1 else "")


def describe(name: str, batchnorm: bool, dropout: float = 0.5, head: str = "flatten", colour: str = "none",
             tta: int = 1, image_size: int = 128, width: float = 0.35, pretrained: bool = True) -> str:
    bn = " + BatchNorm" if batchnorm else ""
    gap = " + global average pooling head" if head == "gap" else ""
    pre = ("shades-of-gray colour constancy (p=6) in the graph; " if colour == "shades_of_gray" else "")
    post = (f"; logits averaged over {tta} flipped views in the graph" if tta > 1 else "")
    if name == "mobilenet_v2":
        side = -(-image_size // 32)
        body = (f"MobileNetV2 x{width:g} features ("
                + ("ImageNet weights of Keras Applications, fine-tuned" if pretrained else "from scratch")
                + f"), input {image_size}x{image_size} scaled to [-1, 1] in the graph; global average pool "
                f"{side}x{side}x1280 -> 1280; dropout {dropout}; FC 2; second output: the class activation map "
                f"of the melanoma logit ({side}x{side})")
        return pre + body + post
    size = f"; input {image_size}x{image_size}" if image_size != 128 else ""
    return pre + _describe_body(name, bn, gap, head, dropout) + size + post


def _config_args(cfg: dict) -> tuple:
    return ((cfg["model"], cfg["batchnorm"]),
            dict(head=cfg.get("head", "flatten"), colour=cfg.get("colour", "none"), tta=cfg.get("tta", 1),
                 image_size=cfg.get("image_size", 128), width=cfg.get("width", 0.35),
                 pretrained=cfg.get("pretrained", True)))


def name_from_config(cfg: dict) -> str:
    args, kw = _config_args(cfg)
    return architecture_name(*args, **kw)


def describe_from_config(cfg: dict) -> str:
    args, kw = _config_args(cfg)
    return describe(*args, dropout=cfg["dropout"], **kw)


def _describe_body(name, bn, gap, head, dropout):
    if name == "triagenet":
        flat = "global average pool 4x4x256 -> 256" if head == "gap" else "flatten 4x4x256"
        return (f"TriageNet{bn}{gap}: the Proposed CNN with a fifth conv block, conv 32/64/128/256/256 3x3 "
                f"same-padding, ReLU, 2x2 max-pool after each; {flat}; FC 256 ReLU; dropout {dropout}; FC 2; "
                f"input normalisation in the graph")
    if name == "proposed":
        flat = "global average pool 8x8x256 -> 256" if head == "gap" else "flatten 8x8x256"
        return (f"Proposed CNN{bn}{gap}: conv 32/64/128/256 3x3 same-padding, ReLU, 2x2 max-pool after each; "
                f"{flat}; FC 256 ReLU; dropout {dropout}; FC 2; input normalisation in the graph")
    flat = "global average pool 16x16x128 -> 128" if head == "gap" else "flatten 16x16x128"
    return (f"LKNet CNN{bn}{gap}: conv 32/64/128 3x3 same-padding, ReLU, 2x2 max-pool after each; "
            f"{flat}; Dense 512 ReLU; dropout {dropout}; FC 2 (original: 1 sigmoid); "
            f"input normalisation in the graph")


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
