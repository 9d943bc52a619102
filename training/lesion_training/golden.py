"""Golden files for the serving side: synthetic images, their contract tensors and probabilities.

models/<name>/<version>/golden/index.json lists every image with its expected
float32 tensor (raw little-endian [3,H,W] at the size the model declares, [3,128,128] under
contract v1, C order) and the probabilities
of the exported model. The probabilities come from the PyTorch module with the
exported weights and temperature (eval mode) and are cross-checked against a
NumPy evaluation of model.onnx itself.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from . import contract, onnx_eval, synthetic, utils


def golden_images():
    """(name, file, media_type, bytes, description) for each golden case; deterministic."""
    L = synthetic.lesion_rgb
    cases = []

    def add(name, ext, media, data, desc):
        cases.append((name, f"{name}.{ext}", media, data, desc))

    add("jpeg_rgb_128", "jpg", "image/jpeg", synthetic.jpeg_bytes(Image.fromarray(L(128, 128, 1))),
        "baseline JPEG, RGB 4:2:0, 128x128 (no resize needed)")
    add("jpeg_rgb_256", "jpg", "image/jpeg", synthetic.jpeg_bytes(Image.fromarray(L(256, 256, 2, dark=False))),
        "baseline JPEG, RGB 4:2:0, 256x256 like the data set")
    add("jpeg_rgb_300x200", "jpg", "image/jpeg", synthetic.jpeg_bytes(Image.fromarray(L(200, 300, 3))),
        "baseline JPEG, 300 wide x 200 high (non-integer downscale)")
    add("jpeg_rgb_1024x768", "jpg", "image/jpeg",
        synthetic.jpeg_bytes(Image.fromarray(L(768, 1024, 4, irregular=0.4))),
        "baseline JPEG, 1024x768 camera-like size")
    add("jpeg_gray_97x211", "jpg", "image/jpeg",
        synthetic.jpeg_bytes(Image.fromarray(L(211, 97, 5)).convert("L")),
        "baseline JPEG, one grayscale component, 97 wide x 211 high")
    add("jpeg_exif6_240x160", "jpg", "image/jpeg",
        synthetic.jpeg_bytes(Image.fromarray(L(160, 240, 6)), exif_orientation=6),
        "baseline JPEG stored 240x160 with EXIF Orientation 6 (rotate 90 clockwise to display: 160x240)")
    add("jpeg_exif3_200x150", "jpg", "image/jpeg",
        synthetic.jpeg_bytes(Image.fromarray(L(150, 200, 7)), exif_orientation=3),
        "baseline JPEG with EXIF Orientation 3 (rotate 180)")
    add("png_rgb_181x131", "png", "image/png", synthetic.png_bytes(Image.fromarray(L(131, 181, 8))),
        "PNG 8-bit RGB, 181x131")
    rgba = np.dstack([L(150, 150, 9), np.tile(np.linspace(0, 255, 150).astype(np.uint8), (150, 1))])
    rgba[:40, :40, 3] = 0  # fully transparent corner whose RGB values are still non-trivial
    add("png_rgba_150", "png", "image/png", synthetic.png_bytes(Image.fromarray(rgba, "RGBA")),
        "PNG 8-bit RGBA with an alpha gradient and a transparent corner (alpha dropped, not composited)")
    pal = Image.fromarray(L(90, 120, 10)).quantize(colors=64, dither=Image.Dither.NONE)
    add("png_palette_120x90", "png", "image/png", synthetic.png_bytes(pal), "PNG palette (64 colours), 120x90")
    add("png_gray_64x48", "png", "image/png", synthetic.png_bytes(Image.fromarray(L(48, 64, 11)).convert("L")),
        "PNG 8-bit grayscale, 64x48 (upscale)")
    g16 = (L(100, 100, 12).astype(np.uint16).mean(axis=2) * 257 + np.arange(100)[None, :]).astype(np.uint16)
    add("png_gray16_100", "png", "image/png", synthetic.png16_bytes(g16),
        "PNG 16-bit grayscale (v >> 8), 100x100")
    rgb16 = L(60, 80, 13).astype(np.uint16) * 257 + (np.arange(80, dtype=np.uint16)[None, :, None] * 3)
    add("png_rgb16_80x60", "png", "image/png", synthetic.png16_bytes(rgb16),
        "PNG 16-bit RGB (v >> 8), 80x60")
    add("png_rgb_16", "png", "image/png", synthetic.png_bytes(Image.fromarray(L(16, 16, 14))),
        "PNG 8-bit RGB, 16x16 (8x upscale)")
    return cases


def stored_size(data: bytes):
    import io
    with Image.open(io.BytesIO(data)) as im:
        return im.size  # (width, height) as stored in the file, before EXIF orientation


def write_golden(net, temperature: float, onnx_path, out_dir, tolerance: float = 1e-5) -> dict:
    """Golden files whose probabilities come from the PyTorch module, cross-checked against model.onnx."""
    from .export import torch_probabilities
    cases = golden_images()
    version, size = declared(onnx_path)
    tensors = np.stack([contract.preprocess_bytes(c[3], size) for c in cases])
    probs = torch_probabilities(net, temperature, tensors)
    ref = onnx_eval.run(str(onnx_path), {"image": tensors})["probabilities"]
    diff = float(np.abs(ref - probs).max())
    if diff > tolerance:
        raise RuntimeError(f"ONNX graph and PyTorch disagree by {diff:.2e} on golden images")
    index = _write_files(cases, tensors, probs, onnx_path, out_dir, SERVED_NOTE, version)
    return {"index": index, "onnx_vs_torch_max_abs_diff": diff}


class GoldenError(RuntimeError):
    """Golden files that cannot be regenerated as asked."""


def regenerate(model_dir, run) -> dict:
    """Rewrites MODEL_DIR/golden from RUN/best.pt, the checkpoint model.onnx was exported from (its temperature
    must be the one in model.onnx's metadata, else the files would not describe the served model)."""
    from . import export
    folder, run = Path(model_dir), Path(run)
    report = utils.read_json(run / "eval" / "report.json")
    net, _ = export.load_checkpoint(run / "best.pt")
    meta_t = float(export.read_metadata(folder / "model.onnx")["temperature"])
    if abs(meta_t - report["temperature"]) > 1e-9:
        raise GoldenError("the run's temperature differs from model.onnx; re-export instead")
    return write_golden(net, meta_t, folder / "model.onnx", folder / "golden")


def declared(onnx_path) -> tuple:
    """The contract version and size the model declares: the golden tensors follow them."""
    from .export import declared_contract
    return declared_contract(onnx_path)


SERVED_NOTE = ("Tolerances for reimplementations: 1/255 per tensor element, 1e-4 per probability. Regenerate with "
               "`training/cli.sh golden`.")
QUANTIZED_NOTE = ("The probabilities are those of the QDQ graph evaluated in float64 (NumPy evaluator); ONNX "
                  "Runtime's fused integer kernels round differently, so a runtime agrees within 2e-3 per "
                  "probability, not 1e-4. Tensor tolerance 1/255 per element. Regenerate with "
                  "`training/cli.sh quantize`.")


def write_golden_from_onnx(onnx_path, out_dir, note: str = SERVED_NOTE) -> dict:
    """Golden files whose probabilities are model.onnx's own (NumPy evaluator, float64): for a graph with no
    PyTorch module behind it, such as a quantised variant. Returns the index."""
    cases = golden_images()
    version, size = declared(onnx_path)
    tensors = np.stack([contract.preprocess_bytes(c[3], size) for c in cases])
    probs = onnx_eval.run(str(onnx_path), {"image": tensors})["probabilities"]
    return _write_files(cases, tensors, probs, onnx_path, out_dir, note, version)


def _write_files(cases, tensors, probs, onnx_path, out_dir, note: str,
                 version: int = contract.CONTRACT_VERSION) -> dict:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("*")):
        if old.is_file():
            old.unlink()
    entries, readme = [], []
    for (name, file, media, data, desc), t, p in zip(cases, tensors, probs):
        (out / file).write_bytes(data)
        (out / f"{name}.f32").write_bytes(t.astype("<f4").tobytes(order="C"))
        w, h = stored_size(data)
        entries.append({"name": name, "file": file, "media_type": media, "width": w, "height": h,
                        "tensor": f"{name}.f32", "probabilities": [float(p[0]), float(p[1])]})
        readme.append(f"| `{file}` | {w}x{h} | {desc} |")
    shape = list(tensors.shape[1:])
    index = {"contract_version": version, "input_size": shape[1:],
             "model_sha256": utils.sha256_path(onnx_path), "entries": entries}
    utils.write_json(out / "index.json", index)
    (out / "README.md").write_text(
        f"# Golden files\n\nSynthetic images (not data-set images) with the tensor the preprocessing contract "
        f"v{version} produces (`<name>.f32`: raw little-endian float32, shape [{','.join(map(str, shape))}], C order) "
        "and the probabilities "
        "[p_non_melanoma, p_melanoma] of `../model.onnx` (sha256 in `index.json`). `width` and `height` are "
        f"the stored pixel size, before EXIF orientation. {note}\n\n"
        "| file | stored size | what it exercises |\n|---|---|---|\n" + "\n".join(readme) + "\n")
    return index


def check_golden(golden_dir, onnx_path=None, tensor_tol: float = 1.0 / 255, prob_tol: float = 1e-4) -> dict:
    """Recompute tensors from the golden images (and probabilities from model.onnx); report max errors."""
    g = Path(golden_dir)
    index = utils.read_json(g / "index.json")
    onnx_path = Path(onnx_path) if onnx_path else g.parent / "model.onnx"
    if index["model_sha256"] != utils.sha256_path(onnx_path):
        raise AssertionError(f"index.json model_sha256 does not match {onnx_path.name}")
    t_err, p_err = 0.0, 0.0
    tensors, expected = [], []
    for e in index["entries"]:
        want = np.fromfile(g / e["tensor"], dtype="<f4").reshape(3, *index["input_size"])
        got = contract.preprocess_bytes((g / e["file"]).read_bytes(), tuple(index["input_size"]))
        t_err = max(t_err, float(np.abs(got - want).max()))
        tensors.append(want)
        expected.append(e["probabilities"])
    probs = onnx_eval.run(str(onnx_path), {"image": np.stack(tensors)})["probabilities"]
    p_err = float(np.abs(probs - np.array(expected)).max())
    if t_err > tensor_tol or p_err > prob_tol:
        raise AssertionError(f"golden check failed: tensor error {t_err:.2e}, probability error {p_err:.2e}")
    return {"entries": len(index["entries"]), "max_tensor_error": t_err, "max_probability_error": p_err}
