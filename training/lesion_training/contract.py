"""Preprocessing contract: image bytes -> float32 tensor [3, 128, 128] (v1) or [3, S, S] (v2).

This is the single definition of how an image becomes model input. Training,
evaluation, golden files and the serving side (a Java reimplementation) all
follow it. See docs/preprocessing.md for the normative text.

Steps:
  a. decode JPEG or PNG bytes with PIL;
  b. apply the EXIF Orientation tag (ImageOps.exif_transpose semantics);
  c. convert to 8-bit RGB: grayscale replicated, palette expanded, alpha
     dropped (not composited), 16-bit samples -> v >> 8 (done in numpy);
  d. resize to 128x128 (v2: the model's input size) by exact area averaging (separable, float64);
  e. scale by 1/255, cast to float32, layout CHW, channels R, G, B.

Version 2 is version 1's steps with step d resizing to the model's input size, which the model declares
(the ONNX input shape and the `resize` entry of its `preprocessing` metadata). Models whose training
config records `image_size` declare version 2, older ones version 1 (always 128x128).
"""
from __future__ import annotations

import io
import json
from typing import Union

import numpy as np
from PIL import Image, ImageOps

CONTRACT_VERSION = 1          # the fixed 128x128 contract of the models trained before the size option
SIZED_CONTRACT_VERSION = 2    # v1's steps at the input size the model declares
CONTRACT_VERSIONS = (CONTRACT_VERSION, SIZED_CONTRACT_VERSION)
INPUT_SIZE = (128, 128)  # (height, width): v1's size and the default
CLASS_LABELS = ["non_melanoma", "melanoma"]
SUPPORTED_MEDIA_TYPES = ["image/jpeg", "image/png"]


class UnsupportedImageError(ValueError):
    """The bytes are not an image this contract accepts."""


def square(side: int) -> tuple:
    return (int(side), int(side))


def of_config(cfg: dict) -> tuple:
    """(contract version, (height, width)) of a model from its training config: a config with `image_size`
    was trained with the size option and declares version 2 (at any size, 128 included); one without is v1."""
    if "image_size" not in cfg:
        return CONTRACT_VERSION, INPUT_SIZE
    return SIZED_CONTRACT_VERSION, square(cfg["image_size"])


def contract_description(size=INPUT_SIZE, version: int = CONTRACT_VERSION) -> dict:
    """Machine-readable summary of the contract (stored in ONNX metadata)."""
    size = tuple(size)
    if version not in CONTRACT_VERSIONS:
        raise ValueError(f"unknown contract version {version}")
    if version == CONTRACT_VERSION and size != INPUT_SIZE:
        raise ValueError(f"contract v1 is {INPUT_SIZE[0]}x{INPUT_SIZE[1]}; another size is version 2")
    d = {
        "contract_version": version,
        "decode": "PIL (JPEG baseline/progressive, PNG)",
        "media_types": SUPPORTED_MEDIA_TYPES,
        "exif_orientation": "applied (PIL ImageOps.exif_transpose semantics)",
        "color": "8-bit RGB; gray replicated to 3 channels; palette expanded; alpha dropped "
                 "(not composited); 16-bit samples v >> 8",
        "resize": {"height": size[0], "width": size[1],
                   "method": "exact area averaging, separable, float64, out = Wh @ img @ Ww^T; "
                             "W[i][j] = |[j*m,(j+1)*m) & [i*n,(i+1)*n)| / n (n input size, m output size)",
                   "aspect_ratio": "not preserved (stretch)"},
        "scale": "value / 255, float32",
        "layout": "NCHW",
        "channel_order": "RGB",
        "normalization": "none outside the network",
    }
    if version == SIZED_CONTRACT_VERSION:
        d["input_size"] = "resize.height x resize.width, equal to the model input's height and width"
    return d


def contract_json(size=INPUT_SIZE, version: int = CONTRACT_VERSION) -> str:
    return json.dumps(contract_description(size, version), sort_keys=True)


def decode(data: bytes) -> Image.Image:
    """Steps a and b: decode bytes, apply EXIF orientation."""
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Exception as exc:  # PIL raises many types
        raise UnsupportedImageError(f"cannot decode image: {exc}") from exc
    if img.format not in ("JPEG", "PNG"):
        raise UnsupportedImageError(f"unsupported image format {img.format!r} (JPEG or PNG only)")
    return ImageOps.exif_transpose(img)


def to_rgb8(img: Image.Image) -> np.ndarray:
    """Step c: return a uint8 array [H, W, 3] holding R, G, B."""
    mode = img.mode
    if mode in ("RGB", "RGBA", "RGBX"):
        arr = np.asarray(img)[:, :, :3]
    elif mode == "L":
        arr = np.repeat(np.asarray(img)[:, :, None], 3, axis=2)
    elif mode == "LA":
        arr = np.repeat(np.asarray(img)[:, :, :1], 3, axis=2)
    elif mode == "1":
        arr = np.repeat((np.asarray(img).astype(np.uint8) * 255)[:, :, None], 3, axis=2)
    elif mode in ("P", "PA"):
        # palette expanded; the palette's alpha (tRNS) is dropped, not composited
        arr = np.asarray(img.convert("RGBA"))[:, :, :3]
    elif mode in ("I", "I;16", "I;16B", "I;16L"):
        # 16-bit grayscale: take the high byte explicitly (PIL's convert clips instead)
        v = np.asarray(img).astype(np.int64)
        if v.min() < 0 or v.max() > 65535:
            raise UnsupportedImageError("integer image outside the 16-bit range")
        g = (v >> 8).astype(np.uint8)
        arr = np.repeat(g[:, :, None], 3, axis=2)
    else:
        raise UnsupportedImageError(f"unsupported image mode {mode!r}")
    return np.ascontiguousarray(arr, dtype=np.uint8)


def area_weights(n: int, m: int) -> np.ndarray:
    """Exact area-averaging matrix W [m, n] mapping n input samples to m outputs.

    Output i covers the input interval [i*n/m, (i+1)*n/m). In units of 1/m the
    interval is [i*n, (i+1)*n) and input pixel j is [j*m, (j+1)*m), so the
    overlap is an integer and W[i, j] = overlap / n (exact, one division).
    Each row sums to 1. Works for up- and down-scaling.
    """
    if n <= 0 or m <= 0:
        raise ValueError("sizes must be positive")
    i = np.arange(m, dtype=np.int64)[:, None]
    j = np.arange(n, dtype=np.int64)[None, :]
    lo = np.maximum(j * m, i * n)
    hi = np.minimum((j + 1) * m, (i + 1) * n)
    overlap = np.clip(hi - lo, 0, None)
    return overlap.astype(np.float64) / float(n)


def resize_area(rgb: np.ndarray, size=INPUT_SIZE) -> np.ndarray:
    """Step d: [H, W, C] values 0..255 -> float64 [C, h, w], no intermediate rounding."""
    h_in, w_in = rgb.shape[:2]
    wh = area_weights(h_in, size[0])
    ww = area_weights(w_in, size[1])
    chw = np.transpose(rgb.astype(np.float64), (2, 0, 1))
    return np.stack([wh @ chw[c] @ ww.T for c in range(chw.shape[0])])


def preprocess_image(img: Image.Image, size=INPUT_SIZE) -> np.ndarray:
    """Steps c-e for an already decoded, orientation-corrected image."""
    out = resize_area(to_rgb8(img), tuple(size)) / 255.0
    return np.ascontiguousarray(out.astype(np.float32))


def preprocess_bytes(data: bytes, size=INPUT_SIZE) -> np.ndarray:
    """The whole contract: bytes -> float32 [3, height, width] (v1: [3, 128, 128])."""
    return preprocess_image(decode(data), size)


def preprocess_file(path: Union[str, "os.PathLike"], size=INPUT_SIZE) -> np.ndarray:
    with open(path, "rb") as fh:
        return preprocess_bytes(fh.read(), size)


def cache_key_text(size=INPUT_SIZE) -> str:
    """What a preprocessed-tensor cache keys on besides the images: the steps' version and the size. The
    128x128 key is v1's text, so caches written before the size option stay valid (the tensors are equal)."""
    size = tuple(size)
    return f"\ncontract={CONTRACT_VERSION}" + ("" if size == INPUT_SIZE else f"\nsize={size[0]}x{size[1]}")
