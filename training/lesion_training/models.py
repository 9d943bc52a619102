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

MODEL_NAMES = ("proposed", "lknet")


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


class ConvNet(nn.Module):
    def __init__(self, channels, hidden, dropout, batchnorm, input_size=128, n_classes=2, head="flatten"):
        super().__init__()
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

    def forward(self, x):
        return self.classifier(self.features(self.normalize(x)))


HEADS = ("flatten", "gap")


def build_model(name: str, batchnorm: bool = True, dropout: float = 0.5, head: str = "flatten") -> ConvNet:
    if name == "proposed":
        return ConvNet((32, 64, 128, 256), 256, dropout, batchnorm, head=head)
    if name == "lknet":
        return ConvNet((32, 64, 128), 512, dropout, batchnorm, head=head)
    raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}")


def architecture_name(name: str, batchnorm: bool, head: str = "flatten") -> str:
    return name + ("-bn" if batchnorm else "") + ("-gap" if head == "gap" else "")


def describe(name: str, batchnorm: bool, dropout: float = 0.5, head: str = "flatten") -> str:
    bn = " + BatchNorm" if batchnorm else ""
    gap = " + global average pooling head" if head == "gap" else ""
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
