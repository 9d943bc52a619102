"""Augmentation presets, applied to batches of contract tensors (float32, 0..1).

The paper used Keras ImageDataGenerator(shear_range=0.2, zoom_range=0.2,
horizontal_flip=True). The training preset covers that and adds vertical flips,
rotations (dermoscopic images have no canonical orientation) and a mild
brightness/contrast jitter. Everything runs batched on tensors (one affine grid
per batch) so an epoch costs little beyond the network itself.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, asdict

import torch
import torch.nn.functional as F


@dataclass
class AugmentConfig:
    hflip: bool = True
    vflip: bool = True
    rot90: bool = True           # random multiple of 90 degrees (exact, no interpolation)
    rotation_deg: float = 20.0   # plus a small free rotation in [-d, d]
    shear: float = 0.2           # shear angle in radians, uniform in [-s, s] (Keras shear_range)
    zoom: float = 0.2            # scale uniform in [1-z, 1+z] (Keras zoom_range)
    translate: float = 0.05      # fraction of the image size
    brightness: float = 0.1      # additive, uniform in [-b, b]
    contrast: float = 0.1        # multiplicative around the image mean, [1-c, 1+c]

    def to_dict(self):
        return asdict(self)


NO_AUGMENT = AugmentConfig(False, False, False, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


class BatchAugment:
    """Random geometric + photometric augmentation of a batch [N, 3, H, W]."""

    def __init__(self, cfg: AugmentConfig = AugmentConfig()):
        self.cfg = cfg

    def __call__(self, x: torch.Tensor, generator: torch.Generator = None) -> torch.Tensor:
        cfg = self.cfg
        n = x.shape[0]

        def u(lo, hi):
            return lo + (hi - lo) * torch.rand(n, generator=generator)

        if cfg.rot90:
            k = torch.randint(0, 4, (n,), generator=generator)
            x = torch.stack([torch.rot90(x[i], int(k[i]), dims=(1, 2)) for i in range(n)])
        angle = u(-cfg.rotation_deg, cfg.rotation_deg) * math.pi / 180.0
        shear = u(-cfg.shear, cfg.shear)
        scale = u(1.0 - cfg.zoom, 1.0 + cfg.zoom)
        sx = torch.where(torch.rand(n, generator=generator) < 0.5, -1.0, 1.0) if cfg.hflip else torch.ones(n)
        sy = torch.where(torch.rand(n, generator=generator) < 0.5, -1.0, 1.0) if cfg.vflip else torch.ones(n)
        tx = u(-cfg.translate, cfg.translate) * 2.0
        ty = u(-cfg.translate, cfg.translate) * 2.0
        cos, sin = torch.cos(angle), torch.sin(angle)
        # theta maps output coordinates to input coordinates: R @ Shear @ diag(flip) * scale
        a = cos * sx
        b = (cos * torch.tan(shear) - sin) * sy
        c = sin * sx
        d = (sin * torch.tan(shear) + cos) * sy
        theta = torch.stack([torch.stack([a, b, tx], 1), torch.stack([c, d, ty], 1)], 1) * \
            torch.stack([scale, scale, torch.ones(n)], 1)[:, None, :]
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
        x = F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
        if cfg.contrast > 0:
            mean = x.mean(dim=(1, 2, 3), keepdim=True)
            x = (x - mean) * u(1 - cfg.contrast, 1 + cfg.contrast)[:, None, None, None] + mean
        if cfg.brightness > 0:
            x = x + u(-cfg.brightness, cfg.brightness)[:, None, None, None]
        return x.clamp_(0.0, 1.0)


def tta_views(x: torch.Tensor):
    """Test-time augmentation views: identity, horizontal, vertical and both flips."""
    return [x, torch.flip(x, dims=(3,)), torch.flip(x, dims=(2,)), torch.flip(x, dims=(2, 3))]
