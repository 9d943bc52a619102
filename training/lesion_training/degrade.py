"""Resolution degradation for robustness probes: an image taken down to a lower resolution and back up.

The training data mixes ISIC 2017 (256 px) with HAM10000 (200x150 px, so upsampled by the preprocessing and
blurrier at the model's input), and the two sources differ in melanoma rate. `degrade_to` gives an ISIC image
HAM's resolution while keeping its size: down to a short side of `short_side` pixels (aspect ratio kept) by
exact area averaging (the contract's antialiased resampler, contract.resize_area), rounded to 8 bits as a
stored image would be, then back up to the original size. A model whose p(melanoma) moves between an image and
its degraded copy uses sharpness as a cue (training/tools/sharpness_probe.py).

Training uses the same steps (`train --match-resolution`): the sharper training images get a degraded copy
(`preprocess_file`, cached by sources.load_degraded_arrays) that the training batches draw instead of the
original, so every source has the same effective resolution.
"""
from __future__ import annotations

import numpy as np
from PIL import Image

from . import contract

UPSAMPLING = ("area", "bicubic")
# the version of degrade_to's steps: caches of degraded tensors key on it (raise it when the output changes)
DEGRADE_VERSION = 1


def detail(images: np.ndarray) -> np.ndarray:
    """Per image of [N, C, H, W] (contract tensors, 0..1): the mean absolute difference between vertically and
    horizontally neighbouring pixels, in 8-bit levels. A sharpness measure: blur lowers it."""
    x = np.asarray(images, dtype=np.float64) * 255.0
    return np.abs(np.diff(x, axis=2)).mean(axis=(1, 2, 3)) + np.abs(np.diff(x, axis=3)).mean(axis=(1, 2, 3))


def degraded_size(height: int, width: int, short_side: int) -> tuple:
    """(height, width) with the shorter side `short_side` and the aspect ratio kept (rounded); the size itself
    where the short side is already at most `short_side` (nothing to take away)."""
    if short_side <= 0:
        raise ValueError(f"short side {short_side}: must be positive")
    short = min(height, width)
    if short <= short_side:
        return int(height), int(width)
    scale = short_side / short
    h = short_side if height == short else max(short_side, int(round(height * scale)))
    w = short_side if width == short else max(short_side, int(round(width * scale)))
    return h, w


def _to_uint8(chw: np.ndarray) -> np.ndarray:
    """float [C, h, w] in 0..255 -> uint8 [h, w, C], rounded to nearest."""
    return np.ascontiguousarray(np.clip(np.rint(np.transpose(chw, (1, 2, 0))), 0, 255).astype(np.uint8))


def degrade_to(rgb: np.ndarray, short_side: int, up: str = "area") -> np.ndarray:
    """uint8 [H, W, 3] -> uint8 [H, W, 3]: area-averaged down to a short side of `short_side` (8-bit), then up
    to H x W again by area (the contract's resampler, as it upsamples HAM10000's 150 px side) or PIL bicubic.
    An image whose short side is already at most `short_side` comes back unchanged (a copy)."""
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim != 3:
        raise ValueError(f"expected uint8 [H, W, C], got {rgb.dtype} {rgb.shape}")
    if up not in UPSAMPLING:
        raise ValueError(f"upsampling {up!r}: choose from {', '.join(UPSAMPLING)}")
    height, width = rgb.shape[:2]
    small_size = degraded_size(height, width, short_side)
    if small_size == (height, width):
        return rgb.copy()
    small = _to_uint8(contract.resize_area(rgb, small_size))
    if up == "area":
        return _to_uint8(contract.resize_area(small, (height, width)))
    return np.asarray(Image.fromarray(small).resize((width, height), Image.BICUBIC))


def is_sharper(height: int, width: int, short_side: int) -> bool:
    """Would `degrade_to` change an image of this size (its short side is above `short_side`)?"""
    return degraded_size(height, width, short_side) != (int(height), int(width))


def preprocess_file(path, short_side: int, size, up: str = "area") -> np.ndarray:
    """The contract's tensor float32 [3, *size] of the image file taken down to `short_side` and back up:
    decode, orientation and 8-bit RGB as the contract does, `degrade_to`, then the contract's resize."""
    with open(path, "rb") as fh:
        rgb = contract.to_rgb8(contract.decode(fh.read()))
    return contract.preprocess_image(Image.fromarray(degrade_to(rgb, short_side, up)), size)


def cache_key_text(short_side: int, up: str = "area") -> str:
    """What a cache of degraded tensors keys on besides the images and the contract (sources.py)."""
    return f"\ndegrade_to={int(short_side)}\nupsample={up}\ndegrade={DEGRADE_VERSION}"
