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
All models return logits [N, 2]; see export.py for the softmax/temperature head.
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

MODEL_NAMES = ("proposed", "lknet", "triagenet")


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


class ConvNet(nn.Module):
    def __init__(self, channels, hidden, dropout, batchnorm, input_size=128, n_classes=2, head="flatten",
                 colour="none", tta=1):
        super().__init__()
        self.colour = ShadesOfGray() if colour == "shades_of_gray" else nn.Identity()
        self.tta = tta
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


HEADS = ("flatten", "gap")
COLOURS = ("none", "shades_of_gray")
TTA_VIEWS = (1, 2, 4)


def build_model(name: str, batchnorm: bool = True, dropout: float = 0.5, head: str = "flatten",
                colour: str = "none", tta: int = 1) -> ConvNet:
    if colour not in COLOURS:
        raise ValueError(f"unknown colour handling {colour!r}; choose from {', '.join(COLOURS)}")
    if tta not in TTA_VIEWS:
        raise ValueError(f"test-time views must be one of {TTA_VIEWS}")
    extra = dict(head=head, colour=colour, tta=tta)
    if name == "proposed":
        return ConvNet((32, 64, 128, 256), 256, dropout, batchnorm, **extra)
    if name == "lknet":
        return ConvNet((32, 64, 128), 512, dropout, batchnorm, **extra)
    if name == "triagenet":
        return ConvNet((32, 64, 128, 256, 256), 256, dropout, batchnorm, **extra)
    raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}")


def build_from_config(cfg: dict) -> ConvNet:
    """The network a checkpoint's config describes (older checkpoints lack the newer keys)."""
    return build_model(cfg["model"], cfg["batchnorm"], cfg["dropout"], cfg.get("head", "flatten"),
                       cfg.get("colour", "none"), cfg.get("tta", 1))


def architecture_name(name: str, batchnorm: bool, head: str = "flatten", colour: str = "none",
                      tta: int = 1) -> str:
    return (name + ("-bn" if batchnorm else "") + ("-gap" if head == "gap" else "")
            + ("-sog" if colour == "shades_of_gray" else "") + (f"-tta{tta}" if tta > 1 else ""))


def describe(name: str, batchnorm: bool, dropout: float = 0.5, head: str = "flatten", colour: str = "none",
             tta: int = 1) -> str:
    bn = " + BatchNorm" if batchnorm else ""
    gap = " + global average pooling head" if head == "gap" else ""
    pre = ("shades-of-gray colour constancy (p=6) in the graph; " if colour == "shades_of_gray" else "")
    post = (f"; logits averaged over {tta} flipped views in the graph" if tta > 1 else "")
    return pre + _describe_body(name, bn, gap, head, dropout) + post


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
