"""Sharpness probe: does a checkpoint's p(melanoma) move when ISIC 2017 validation images lose sharpness?

    nice -n 19 env OMP_NUM_THREADS=1 /usr/bin/python3 training/tools/sharpness_probe.py \
        --checkpoint runs/v3-w035-160px/best.pt --checkpoint runs/v3-w050-160px/best.pt \
        --short-side 150 [--short-side 200 ...] [--ham-root ../shared/data/ham10000] \
        --out runs/sharpness-probe/report.json

Why: the v3 models train on ISIC 2017 (256 px) and HAM10000 (200x150 px, upsampled by the preprocessing, so
blurrier), and the two sources differ in melanoma rate. A model can learn sharpness as a cue for the source and
so for the prior. The probe takes every ISIC 2017 VALIDATION image (never a test image) down to HAM's short side
(150 px, aspect kept, area averaging, 8-bit) and back up to its size (degrade.degrade_to); both versions then go
through the preprocessing contract and the model exactly as validation in training does (eval mode, the
flipped views of the graph). Reported per checkpoint and short side: mean, median and mean |.| of
p_degraded - p_original, per class, the share of URGENT/ROUTINE decisions that flip at the threshold, the
validation AUC before and after, and how much detail the model's input keeps (degrade.detail, 8-bit levels);
with --ham-root, the same detail measure on a sample of HAM10000 training images as the reference.

Threshold: the checkpoint's `threshold` where it has one; otherwise the rule of evaluate.py (the largest
threshold with validation sensitivity >= 0.90), set on the ORIGINAL images. p is the softmax of the logits as
training's validation computes it; the figures after evaluate.py's temperature (fitted on the original
validation logits) are in the JSON too (a threshold set by the same rule after the temperature makes the same
decisions, so the flips are the same).

The model is rebuilt from the configuration the checkpoint stores; the model options (--model, --width,
--image-size, --colour, --tta, --dropout) describe a checkpoint that stores none, and otherwise must agree with
it. Give an option once for every checkpoint or once per checkpoint, in the order of --checkpoint.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from scipy.stats import wilcoxon

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lesion_training import contract, degrade, evaluate, metrics, models, sources, utils  # noqa: E402
from lesion_training.train import TrainConfig, predict_logits  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT / ".." / "shared" / "data" / "isic"
MODEL_OPTIONS = {"model": str, "width": float, "image_size": int, "colour": str, "tta": int, "dropout": float}
N_BOOT = 2000


def model_config(ck: dict, options: dict) -> dict:
    """The checkpoint's configuration; options fill a checkpoint without one and are checked against one."""
    stored = ck.get("config")
    if stored is None:
        return {**TrainConfig().to_dict(), **{k: v for k, v in options.items() if v is not None}}
    wrong = {k: (v, stored.get(k)) for k, v in options.items() if v is not None and stored.get(k) != v}
    if wrong:
        raise SystemExit("the options disagree with the checkpoint's configuration: "
                         + ", ".join(f"{k} {v} (checkpoint: {s})" for k, (v, s) in wrong.items()))
    return stored


def load(path, options: dict):
    ck = torch.load(path, map_location="cpu")
    cfg = model_config(ck, options)
    net = models.build_from_config(cfg)
    net.load_state_dict(ck["model_state"])
    return net.eval(), ck, cfg


def degraded_arrays(items, size, short_side: int, up: str) -> np.ndarray:
    """The contract's tensors of the degraded images (decode, orientation and 8-bit RGB as the contract does)."""
    out = np.empty((len(items), 3) + tuple(size), np.float32)
    for k, item in enumerate(items):
        out[k] = degrade.preprocess_file(item.path, short_side, size, up)
    return out


def p_melanoma(net, images) -> tuple:
    logits = predict_logits(net, images)
    return metrics.softmax(logits)[:, 1].astype(np.float32), logits


def delta_stats(d: np.ndarray) -> dict:
    return {"mean": float(d.mean()), "median": float(np.median(d)), "mean_abs": float(np.abs(d).mean())}


def compare(labels, p0, p1, threshold: float, seed: int = 0) -> dict:
    """p1 (degraded) against p0 (original) on the same images: shifts, flipped decisions, AUC."""
    d = p1.astype(np.float64) - p0.astype(np.float64)
    rng = np.random.default_rng(seed)
    boot = np.array([d[rng.integers(0, len(d), len(d))].mean() for _ in range(N_BOOT)])
    t = np.float32(threshold)
    u0, u1 = p0 >= t, p1 >= t
    s0, s1 = metrics.sens_spec(labels, p0, t), metrics.sens_spec(labels, p1, t)
    return {
        "n": int(len(d)), "n_melanoma": int(labels.sum()),
        "delta": {**delta_stats(d), "mean_ci95": [float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5))],
                  "mean_ci_method": f"percentile bootstrap over images, {N_BOOT} resamples",
                  "share_positive": float((d > 0).mean()), "max_abs": float(np.abs(d).max()),
                  "wilcoxon_p": float(wilcoxon(d).pvalue) if np.any(d != 0) else 1.0},
        "delta_melanoma": delta_stats(d[labels == 1]), "delta_non_melanoma": delta_stats(d[labels == 0]),
        "threshold": float(threshold),
        "flips": {"share": float((u0 != u1).mean()), "n": int((u0 != u1).sum()),
                  "to_urgent": int((~u0 & u1).sum()), "to_routine": int((u0 & ~u1).sum()),
                  "melanoma_to_routine": int((u0 & ~u1 & (labels == 1)).sum())},
        "urgent_share": {"original": float(u0.mean()), "degraded": float(u1.mean())},
        "sensitivity": {"original": s0[0], "degraded": s1[0]},
        "specificity": {"original": s0[1], "degraded": s1[1]},
        "auc": {"original": metrics.roc_auc(labels, p0), "degraded": metrics.roc_auc(labels, p1)},
    }


def paired(labels, d_a, d_b, seed: int = 0) -> dict:
    """Mean of d_b - d_a over the same images (two checkpoints' shifts), all and melanoma only, with
    percentile-bootstrap 95% CIs: which model moves more."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, m in (("all", np.ones(len(labels), bool)), ("melanoma", labels == 1)):
        diff = d_b[m] - d_a[m]
        boot = [diff[rng.integers(0, len(diff), len(diff))].mean() for _ in range(N_BOOT)]
        out[name] = {"mean": float(diff.mean()), "ci95": [float(v) for v in np.percentile(boot, [2.5, 97.5])]}
    out["correlation"] = float(np.corrcoef(d_a, d_b)[0, 1])
    return out


def per_checkpoint(values, n: int, name: str) -> list:
    if not values:
        return [None] * n
    if len(values) in (1, n):
        return values * n if len(values) == 1 else values
    raise SystemExit(f"--{name.replace('_', '-')} given {len(values)} times for {n} checkpoints")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", action="append", required=True, help="best.pt of a run; repeatable")
    for name, kind in MODEL_OPTIONS.items():
        p.add_argument("--" + name.replace("_", "-"), type=kind, action="append",
                       help="model option (once, or once per checkpoint); checked against the stored config")
    p.add_argument("--data-root", default=str(DEFAULT_DATA), help="ISIC 2017 folder (default: %(default)s)")
    p.add_argument("--short-side", type=int, action="append",
                   help="short side of the degraded images in px (default 150, HAM10000's); repeatable")
    p.add_argument("--upsample", choices=degrade.UPSAMPLING, default="area",
                   help="back up to the original size by (default: %(default)s, the contract's resampler)")
    p.add_argument("--ham-root", help="HAM10000 folder: measure the input detail of a sample of its training "
                                      "images as the reference (optional)")
    p.add_argument("--ham-sample", type=int, default=300, help="HAM10000 images measured (default: %(default)s)")
    p.add_argument("--out", default="sharpness-probe.json", help="JSON report (default: %(default)s)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--no-verify", dest="verify", action="store_false",
                   help="skip the sha256 check of the validation images")
    return p.parse_args(argv)


def main(argv=None) -> int:
    a = parse_args(argv)
    torch.set_num_threads(a.threads)
    short_sides = a.short_side or [150]
    n = len(a.checkpoint)
    opts = {k: per_checkpoint(getattr(a, k), n, k) for k in MODEL_OPTIONS}
    isic = sources.catalogue(sources.ISIC2017, a.data_root)
    val_items = sources.select(isic, "validation")  # validation only: no test image is read
    if a.verify:
        sources.verify_items(a.data_root, val_items, sources.ISIC2017)
    labels = np.array([i.label for i in val_items], np.int64)
    arrays = {}  # (size, short side or None) -> contract tensors, shared by checkpoints of one size
    ham = sources.select(sources.catalogue(sources.HAM10000, a.ham_root), "train", a.ham_sample) \
        if a.ham_root else []
    if ham and a.verify:
        sources.verify_items(a.ham_root, ham, sources.HAM10000)
    rows, report = [], {"data_manifest_sha256": sources.manifest_sha256(a.data_root), "split": "validation",
                        "upsample": a.upsample, "short_sides": short_sides, "ham_reference": {},
                        "image_ids": [i.image_id for i in val_items], "labels": labels.tolist(),
                        "checkpoints": []}
    for i, path in enumerate(a.checkpoint):
        net, ck, cfg = load(path, {k: v[i] for k, v in opts.items()})
        size = contract.of_config(cfg)[1]
        if (size, None) not in arrays:
            arrays[(size, None)] = sources.load_arrays(val_items, None, size=size).images
            if ham:
                report["ham_reference"][f"{size[0]}x{size[1]}"] = {
                    "n": len(ham), "input_detail": float(degrade.detail(
                        sources.load_arrays(ham, None, size=size).images).mean())}
        p0, logits0 = p_melanoma(net, arrays[(size, None)])
        temperature = metrics.fit_temperature(labels, logits0)
        threshold = ck.get("threshold")
        source = "checkpoint"
        if threshold is None:
            threshold = metrics.threshold_for_sensitivity(labels, p0, evaluate.TARGET_SENSITIVITY)
            source = (f"largest threshold with validation sensitivity >= {evaluate.TARGET_SENSITIVITY:.2f} "
                      "on the original images (evaluate.py's rule), on the softmax p")
        entry = {"checkpoint": str(path), "architecture": models.name_from_config(cfg), "epoch": ck.get("epoch"),
                 "stored_val_auc": ck.get("val_auc"), "threshold_source": source, "temperature": temperature,
                 "probes": {}, "p_original": p0.round(6).tolist(), "p_degraded": {}}
        for s in short_sides:
            key = (size, s)
            if key not in arrays:
                arrays[key] = degraded_arrays(val_items, size, s, a.upsample)
            p1, logits1 = p_melanoma(net, arrays[key])
            r = compare(labels, p0, p1, threshold)
            c0 = metrics.softmax(logits0 / temperature)[:, 1]
            c1 = metrics.softmax(logits1 / temperature)[:, 1]
            r["calibrated"] = {"temperature": temperature, **delta_stats(c1.astype(np.float64) - c0)}
            r["input_detail"] = {"original": float(degrade.detail(arrays[(size, None)]).mean()),
                                 "degraded": float(degrade.detail(arrays[key]).mean())}
            entry["probes"][str(s)] = r
            entry["p_degraded"][str(s)] = p1.round(6).tolist()
            rows.append((entry["architecture"], s, r))
        report["checkpoints"].append(entry)
        print(f"{entry['architecture']} (epoch {entry['epoch']}): validation AUC {entry['stored_val_auc']:.4f} "
              f"stored, {r['auc']['original']:.4f} recomputed; threshold {threshold:.4f} ({source})", flush=True)
    first = report["checkpoints"][0]
    report["paired"] = {}  # every later checkpoint's shifts against the first's, image by image
    for c in report["checkpoints"][1:]:
        report["paired"][f"{c['architecture']} - {first['architecture']}"] = {s: paired(
            labels, *(np.array(x["p_degraded"][s]) - np.array(x["p_original"]) for x in (first, c)))
            for s in map(str, short_sides)}
    utils.write_json(a.out, report)
    print(f"\n{len(val_items)} ISIC 2017 validation images ({int(labels.sum())} melanoma), degraded = down to the "
          f"short side and back up ({a.upsample}); delta = p_degraded - p_original\n")
    head = ("| model | short side | mean delta (95% CI) | median | mean abs | mel mean | non-mel mean | "
            "flips (to URGENT / ROUTINE) | AUC orig -> degr | input detail orig -> degr |")
    print(head)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for arch, s, r in rows:
        d, f = r["delta"], r["flips"]
        print(f"| {arch} | {s} | {d['mean']:+.4f} ({d['mean_ci95'][0]:+.4f}, {d['mean_ci95'][1]:+.4f}) | "
              f"{d['median']:+.4f} | {d['mean_abs']:.4f} | {r['delta_melanoma']['mean']:+.4f} | "
              f"{r['delta_non_melanoma']['mean']:+.4f} | {f['share']:.1%} ({f['to_urgent']} / {f['to_routine']}) | "
              f"{r['auc']['original']:.4f} -> {r['auc']['degraded']:.4f} | "
              f"{r['input_detail']['original']:.2f} -> {r['input_detail']['degraded']:.2f} |")
    for name, by_side in report["paired"].items():
        for s, r in by_side.items():
            print(f"\npaired, {name}, short side {s}: mean delta difference {r['all']['mean']:+.4f} "
                  f"({r['all']['ci95'][0]:+.4f}, {r['all']['ci95'][1]:+.4f}); melanoma {r['melanoma']['mean']:+.4f} "
                  f"({r['melanoma']['ci95'][0]:+.4f}, {r['melanoma']['ci95'][1]:+.4f})", end="")
    print()
    for size, h in report["ham_reference"].items():
        print(f"\ninput detail of {h['n']} HAM10000 training images at {size}: {h['input_detail']:.2f}")
    print(f"\nwrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
