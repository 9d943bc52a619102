"""Synthetic lesion-like images (smooth gradients, an irregular blob, noise).

Used for golden files and for tests; never derived from data-set images.
"""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image


def lesion_rgb(height: int, width: int, seed: int, dark: bool = True, irregular: float = 0.25) -> np.ndarray:
    """uint8 [H, W, 3]: skin-tone gradient, a brown blob with an irregular border, fixed-seed noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float64)
    v, u = yy / max(1, height - 1), xx / max(1, width - 1)
    base = np.stack([205 + 30 * u - 20 * v, 160 + 25 * v - 10 * u, 135 + 20 * u * v], axis=2)
    cy, cx = rng.uniform(0.35, 0.65) * height, rng.uniform(0.35, 0.65) * width
    r0 = rng.uniform(0.18, 0.32) * min(height, width)
    ang = np.arctan2(yy - cy, xx - cx)
    wobble = 1 + irregular * sum(rng.uniform(-1, 1) * np.sin(k * ang + rng.uniform(0, 6.28)) for k in (2, 3, 5, 7))
    d = np.hypot((yy - cy) / 1.1, xx - cx) / (r0 * wobble)
    inside = 1.0 / (1.0 + np.exp(np.clip((d - 1.0) * 12, -50, 50)))
    tone = np.array([95, 60, 45]) if dark else np.array([170, 120, 95])
    core = tone[None, None, :] * (0.75 + 0.25 * np.clip(d, 0, 1))[:, :, None]
    img = base * (1 - inside[:, :, None]) + core * inside[:, :, None]
    img += rng.normal(0, 6, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def png16_bytes(arr16: np.ndarray) -> bytes:
    """Encode a uint16 [H, W] or [H, W, 1|3|4] array as a 16-bit PNG (PIL cannot write 16-bit RGB)."""
    a = arr16 if arr16.ndim == 3 else arr16[:, :, None]
    h, w, c = a.shape
    color_type = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    raw = b"".join(b"\x00" + a[y].astype(">u2").tobytes() for y in range(h))

    def chunk(tag, payload):
        return struct.pack(">I", len(payload)) + tag + payload + struct.pack(">I", zlib.crc32(tag + payload))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def jpeg_bytes(img: Image.Image, exif_orientation: int = None) -> bytes:
    buf = io.BytesIO()
    kw = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kw["exif"] = exif.tobytes()
    img.save(buf, "JPEG", **kw)  # PIL defaults: quality 75, 4:2:0 for RGB, baseline
    return buf.getvalue()


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def write_image_folder(root, n_per_class=(12, 6), splits=("train", "validation", "test"), size=64, seed=0):
    """A tiny split/class folder of synthetic JPEGs plus its MANIFEST.tsv (for tests and smoke runs)."""
    from . import data
    root = Path(root)
    k = 0
    for split in splits:
        for cls, n in zip(data.CLASSES, n_per_class):
            d = root / split / cls
            d.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                arr = lesion_rgb(size, size, seed * 100003 + k, dark=(cls == "melanoma"),
                                 irregular=0.35 if cls == "melanoma" else 0.05)
                (d / f"SYN_{k:05d}.jpg").write_bytes(jpeg_bytes(Image.fromarray(arr)))
                k += 1
    data.write_manifest(root)
    return root


def write_path_manifest_folder(root, n_per_class=(8, 4), split="train", size=(150, 200), seed=1,
                               images_per_lesion=2):
    """A tiny folder in the HAM10000 / ISIC 2018 layout: split/class/*.jpg, MANIFEST.tsv (path, sha256,
    label) and labels.tsv (isic_id, dx, lesion_id), with several images per lesion and non-square images."""
    from . import data
    root = Path(root)
    manifest, labels, k = [], [], 0
    for cls, n in zip(data.CLASSES, n_per_class):
        d = root / split / cls
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            image_id = f"SYN_{seed:02d}{k:05d}"
            arr = lesion_rgb(size[0], size[1], seed * 100003 + k, dark=(cls == "melanoma"),
                             irregular=0.35 if cls == "melanoma" else 0.05)
            path = d / f"{image_id}.jpg"
            path.write_bytes(jpeg_bytes(Image.fromarray(arr)))
            rel = f"{split}/{cls}/{path.name}"
            manifest.append((rel, data.sha256_file(path), cls))
            dx = "mel" if cls == "melanoma" else ("nv", "bkl", "bcc")[i % 3]
            labels.append((image_id, split, cls, dx, f"LES_{seed:02d}{k // images_per_lesion:05d}"))
            k += 1
    with open(root / "MANIFEST.tsv", "w") as fh:
        fh.write("path\tsha256\tlabel\n" + "".join("\t".join(r) + "\n" for r in manifest))
    with open(root / "labels.tsv", "w") as fh:
        fh.write("isic_id\tsplit\tlabel\tdx\tlesion_id\n" + "".join("\t".join(r) + "\n" for r in labels))
    return root
