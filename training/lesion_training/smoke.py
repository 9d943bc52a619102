"""End-to-end smoke run: 1-epoch training on a small subset, evaluation, export and golden check, in a folder."""
from __future__ import annotations

from pathlib import Path

from . import export, golden, synthetic
from .evaluate import evaluate
from .train import TrainConfig, train


def smoke_config(data: str, model: str, limit: int, out_dir, threads: int, ham10000=None) -> TrainConfig:
    """One epoch on `limit` training images with the model's served recipe (triagenet: pooled head, colour
    constancy, two flipped views)."""
    v2 = model == "triagenet"
    return TrainConfig(data=data, model=model, epochs=1, batch_size=16, limit_train=limit,
                       limit_val=max(20, limit // 2), output_dir=str(Path(out_dir) / "runs"), cache_dir=None,
                       threads=threads, ham10000=ham10000,
                       head="gap" if v2 else "flatten",
                       colour="shades_of_gray" if v2 else "none",
                       tta=2 if v2 else 1)


def run(tmp, data, synthetic_data: bool = False, model: str = "triagenet", limit: int = 200, ham10000=None,
        external=None, threads: int = 2, progress: bool = True) -> dict:
    """Everything happens under tmp; synthetic_data generates a tiny image folder there instead of data (and
    leaves out HAM10000 and the external test set). Returns the training summary, the evaluation, the export and
    the golden check."""
    tmp = Path(tmp)
    if synthetic_data:
        data = str(synthetic.write_image_folder(tmp / "data"))
    real = not synthetic_data
    cfg = smoke_config(data, model, limit, tmp, threads, ham10000 if real else None)
    s = train(cfg, progress=progress)
    run_dir = tmp / "runs" / model
    r = evaluate(run_dir / "best.pt", data, run_dir / "eval", None, limit=max(20, limit // 2), n_boot=200,
                 external_root=external if real else None)
    e = export.export_model(run_dir, run_dir / "eval" / "report.json", tmp / "model", "0.0.0-smoke")
    g = golden.check_golden(tmp / "model" / "golden", e["onnx_path"])
    return {"train": s, "evaluation": r, "export": e, "golden": g}
