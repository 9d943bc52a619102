"""Training loop (after torchvision's classification reference train.py, much reduced).

Adam (or AdamW) + cross-entropy; class imbalance handled by inverse-frequency class
weights in the loss (default) or by a balanced sampler; linear warm-up then
cosine decay of the learning rate; the best checkpoint is the epoch with the
highest validation ROC AUC (accuracy would reward predicting the majority
class on this ~19 % melanoma data). Fixed seeds; resumable with --resume.
Fine-tuning (mobilenet_v2): the features learn at lr x backbone_lr_factor and can
stay frozen for the first freeze_epochs epochs. Resolution matching (match_resolution):
the training images sharper than a given short side are drawn as a degraded copy
(down to that side and back up), so sharpness says nothing about the source.
"""
from __future__ import annotations

import json
import math
import os
import random
import time
from dataclasses import dataclass, asdict, field
from pathlib import Path
from typing import List, Optional

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from . import contract, data as data_mod
from . import metrics, models, presets, sources, utils

BALANCE_MODES = ("weights", "sampler", "source_sampler", "none")
OPTIMIZERS = ("adam", "adamw")


@dataclass
class TrainConfig:
    """Every training option, once: the command line is generated from these fields (cli.py)."""
    data: str = field(default="../shared/data/isic", metadata={
        "help": "ISIC 2017 folder (split/class/*.jpg + MANIFEST.tsv)"})
    ham10000: Optional[str] = field(default=None, metadata={
        "help": "HAM10000 folder (MANIFEST.tsv + labels.tsv), training data only; '' for none"})
    model: str = field(default="proposed", metadata={"choices": models.MODEL_NAMES})
    batchnorm: bool = field(default=True, metadata={"help": "BatchNorm after every conv (--no-batchnorm: "
                                                            "the plain paper architecture)"})
    head: str = field(default="flatten", metadata={
        "choices": models.HEADS, "help": "flatten (paper) or global average pooling before the hidden FC"})
    colour: str = field(default="none", metadata={
        "choices": models.COLOURS, "help": "colour constancy in the graph (shades of gray against camera casts)"})
    tta: int = field(default=1, metadata={
        "choices": models.TTA_VIEWS, "help": "flipped views averaged in the graph at inference (1: none)"})
    image_size: int = field(default=128, metadata={
        "help": "model input side in pixels, a multiple of 32: images are resized to it by the preprocessing "
                "contract (version 2 at any size; docs/preprocessing.md)"})
    width: float = field(default=0.35, metadata={
        "choices": models.WIDTHS, "help": "mobilenet_v2: width multiplier of the features"})
    pretrained: bool = field(default=True, metadata={
        "help": "mobilenet_v2: start from the ImageNet features (../shared/weights/imagenet); "
                "--no-pretrained: from scratch"})
    dropout: float = 0.5
    epochs: int = 30
    batch_size: int = 32
    optimizer: str = field(default="adam", metadata={
        "choices": OPTIMIZERS, "help": "adam (weight decay added to the gradient) or adamw (decoupled)"})
    lr: float = 1e-3
    backbone_lr_factor: float = field(default=1.0, metadata={
        "help": "the features (every model's `features`) learn at lr x this factor, the rest at lr"})
    freeze_epochs: int = field(default=0, metadata={
        "help": "the features stay frozen (no gradient, batch norm statistics still updated) for the first "
                "N epochs"})
    weight_decay: float = 1e-4
    warmup_epochs: float = 1.0
    schedule: str = field(default="cosine", metadata={"choices": ("cosine", "constant")})
    min_lr_ratio: float = 0.01
    balance: str = field(default="weights", metadata={
        "choices": BALANCE_MODES,
        "help": "class imbalance: weighted loss, class-balanced sampler, source_sampler (sources drawn in "
                "proportion to the square root of their size, classes balanced within each), or none"})
    label_smoothing: float = 0.0
    augment: bool = field(default=True, metadata={"help": "random flips, rotations, shear, zoom, jitter"})
    match_resolution: Optional[int] = field(default=None, metadata={
        "help": "training only: images whose short side is above N px (ISIC 2017's 256 px; HAM10000 is 150) "
                "are taken down to N px and back up (degrade.degrade_to, the sharpness probe's steps) before "
                "the preprocessing, so every source has the same effective resolution; validation, evaluation "
                "and export see the images as they are; '' for off"})
    match_resolution_p: float = field(default=1.0, metadata={
        "help": "with --match-resolution: probability that a sharper image is drawn as its degraded copy, per "
                "sample and epoch (1: always; below 1 the two mix, an augmentation)"})
    precision: str = field(default="auto", metadata={
        "choices": ("auto", "bf16", "fp32"),
        "help": "bf16: bfloat16 autocast on the CPU; auto: bf16 only where the CPU computes bf16 natively "
                "(avx512_bf16 or amx_bf16; elsewhere it is emulated and slower), fp32 otherwise"})
    seed: int = 42
    threads: int = field(default=2, metadata={"help": "CPU threads for PyTorch"})
    output_dir: str = "runs"
    run_name: Optional[str] = field(default=None, metadata={"help": "run folder name (default: the model)"})
    cache_dir: Optional[str] = field(default="runs/cache", metadata={
        "help": "preprocessed-tensor cache ('' to disable)"})
    limit_train: Optional[int] = field(default=None, metadata={"help": "stratified subset of the training data"})
    limit_val: Optional[int] = None
    verify_hashes: bool = field(default=True, metadata={"help": "check every image against its manifest"})

    def to_dict(self):
        return asdict(self)


def seed_everything(seed: int):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def predict_logits(model, images: np.ndarray, batch_size: int = 128) -> np.ndarray:
    """Eval-mode logits in float32 (flipped views, if the model has them, are averaged inside it)."""
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(images), batch_size):
            out.append(model(torch.from_numpy(images[i:i + batch_size])).numpy())
    return np.concatenate(out) if out else np.zeros((0, 2), np.float32)


def training_items(cfg: TrainConfig):
    """ISIC 2017 train (+ HAM10000) for training, ISIC 2017 validation for selection; manifests verified."""
    root = Path(cfg.data)
    isic = sources.catalogue(sources.ISIC2017, root)
    train_items = [i for i in isic if i.split == "train"]
    manifests = {sources.ISIC2017: sources.manifest_sha256(root)}
    if cfg.verify_hashes:
        sources.verify_items(root, [i for i in isic if i.split in ("train", "validation")], sources.ISIC2017)
    if cfg.ham10000:
        ham = sources.catalogue(sources.HAM10000, cfg.ham10000)
        if cfg.verify_hashes:
            sources.verify_items(cfg.ham10000, ham, sources.HAM10000)
        train_items += ham
        manifests[sources.HAM10000] = sources.manifest_sha256(cfg.ham10000)
    train_items = sources.select(train_items, None, cfg.limit_train, cfg.seed)
    val_items = sources.select(isic, "validation", cfg.limit_val, cfg.seed)
    return train_items, val_items, manifests


def check_config(cfg: TrainConfig) -> None:
    """Refuse option values that would train something other than what they say."""
    if cfg.match_resolution is not None and cfg.match_resolution <= 0:
        raise ValueError(f"--match-resolution {cfg.match_resolution}: a short side in pixels, above 0")
    if not 0.0 < cfg.match_resolution_p <= 1.0:
        raise ValueError(f"--match-resolution-p {cfg.match_resolution_p}: a probability in (0, 1]")
    if cfg.match_resolution is None and cfg.match_resolution_p != 1.0:
        raise ValueError("--match-resolution-p needs --match-resolution")


@dataclass
class ResolutionMatch:
    """Training images with a degraded copy (sources.load_degraded_arrays) and the probability p that a batch
    takes the copy instead of the original, drawn per sample from the training generator."""
    slot: np.ndarray     # int64 [N]: row in `images` of each training image's copy, -1 where it has none
    images: np.ndarray   # float32 [M, 3, H, W]
    p: float

    @classmethod
    def of(cls, n: int, copies: "sources.DegradedCopies", p: float) -> "ResolutionMatch":
        slot = np.full(n, -1, np.int64)
        slot[copies.index] = np.arange(len(copies.index))
        return cls(slot, copies.images, float(p))

    def batch(self, images: np.ndarray, idx: np.ndarray, gen: torch.Generator) -> np.ndarray:
        x = images[idx]  # a copy (fancy indexing): the training arrays stay as they are
        rows = self.slot[idx]
        use = rows >= 0
        if self.p < 1.0:  # one draw per sample, whether it has a copy or not: the stream depends on n only
            use &= torch.rand(len(idx), generator=gen).numpy() < self.p
        if use.any():
            x[use] = self.images[rows[use]]
        return x


def training_batch(images: np.ndarray, idx: np.ndarray, match: Optional[ResolutionMatch],
                   gen: torch.Generator) -> np.ndarray:
    """The images of one training batch (before augmentation): with resolution matching, the degraded copy of
    a sharper image with probability p. Validation never comes here."""
    return images[idx] if match is None else match.batch(images, idx, gen)


def sampling_weights(arrays: "sources.ItemArrays", balance: str) -> Optional[np.ndarray]:
    """Per-image draw probabilities for the samplers (None: a plain shuffle)."""
    labels = arrays.labels
    if balance == "sampler":
        w = data_mod.class_weights(labels)[labels].astype(np.float64)
    elif balance == "source_sampler":
        src = arrays.sources()
        w = np.zeros(len(labels))
        names = sorted(set(src))
        share = {s: math.sqrt((src == s).sum()) for s in names}
        total = sum(share.values())
        for s in names:
            for c in (0, 1):
                m = (src == s) & (labels == c)
                present = [k for k in (0, 1) if ((src == s) & (labels == k)).any()]
                if m.any():
                    w[m] = share[s] / total / len(present) / m.sum()
    else:
        return None
    return w / w.sum()


def lr_factor(step: int, total: int, warmup: int, schedule: str, min_ratio: float) -> float:
    if warmup > 0 and step < warmup:
        return (step + 1) / warmup
    if schedule == "constant":
        return 1.0
    t = (step - warmup) / max(1, total - warmup)
    return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * min(1.0, t)))


def param_groups(model, backbone_lr_factor: float) -> list:
    """The features at lr x factor, every other parameter at lr; one group when the factor is 1 (as before,
    so older checkpoints resume). Each group carries its `lr_scale`."""
    if backbone_lr_factor == 1.0:
        return [{"params": list(model.parameters()), "lr_scale": 1.0}]
    backbone = list(model.features.parameters())
    ids = {id(p) for p in backbone}
    return [{"params": backbone, "lr_scale": backbone_lr_factor},
            {"params": [p for p in model.parameters() if id(p) not in ids], "lr_scale": 1.0}]


def make_optimizer(model, cfg: "TrainConfig"):
    groups = param_groups(model, cfg.backbone_lr_factor)
    kind = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[cfg.optimizer]
    return kind(groups, lr=cfg.lr, weight_decay=cfg.weight_decay)


def training_bf16(model, precision: str) -> bool:
    """bf16 autocast for this model? `auto` follows the CPU (utils.use_bf16) except for a model that does not
    train in bf16 (`bf16_training = False`), which `bf16` refuses."""
    if getattr(model, "bf16_training", True):
        return utils.use_bf16(precision)
    if precision == "bf16":
        raise ValueError(f"{type(model).__name__} does not train in bf16 on the CPU; use --precision auto or fp32")
    return False


def set_frozen(model, frozen: bool) -> None:
    for p in model.features.parameters():
        p.requires_grad_(not frozen)


def run_dir(cfg: TrainConfig) -> Path:
    return Path(cfg.output_dir) / (cfg.run_name or cfg.model)


def train(cfg: TrainConfig, resume: Optional[str] = None, progress: bool = True) -> dict:
    check_config(cfg)
    torch.set_num_threads(cfg.threads)
    seed_everything(cfg.seed)
    out = run_dir(cfg)
    out.mkdir(parents=True, exist_ok=True)
    train_items, val_items, manifests = training_items(cfg)
    size = contract.square(cfg.image_size)
    train_d = sources.load_arrays(train_items, cfg.cache_dir or None, progress=progress, size=size)
    val_d = sources.load_arrays(val_items, cfg.cache_dir or None, progress=progress, size=size)
    match, matched = None, None
    if cfg.match_resolution is not None:  # training images only: validation keeps its images as they are
        copies = sources.load_degraded_arrays(train_items, cfg.match_resolution, cfg.cache_dir or None,
                                              progress=progress, size=size)
        match = ResolutionMatch.of(len(train_d), copies, cfg.match_resolution_p)
        src = train_d.sources()
        matched = {"short_side": cfg.match_resolution, "p": cfg.match_resolution_p, "upsample": "area",
                   "degraded_images": len(copies),
                   "degraded_by_source": {s: int((src[copies.index] == s).sum()) for s in sorted(set(src))}}

    model = models.build_from_config(cfg.to_dict())
    imagenet = models.load_imagenet(model) if cfg.model == "mobilenet_v2" and cfg.pretrained else None
    if not getattr(model, "fixed_input_scaling", False):
        with torch.no_grad():  # input statistics after colour constancy, on a fixed sample
            pick = np.random.default_rng(cfg.seed).permutation(n_all := len(train_d))[:min(n_all, 2000)]
            # the images as training draws them (a generator of its own: the training stream is unchanged)
            sample = torch.from_numpy(training_batch(train_d.images, pick, match,
                                                     torch.Generator().manual_seed(cfg.seed)))
            seen_in = model.colour(sample)
        model.normalize.mean.copy_(seen_in.mean(dim=(0, 2, 3)).view(1, 3, 1, 1))
        model.normalize.std.copy_(seen_in.std(dim=(0, 2, 3)).view(1, 3, 1, 1))
    bf16 = training_bf16(model, cfg.precision)
    channels_last = getattr(model, "channels_last", False)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    opt = make_optimizer(model, cfg)
    weights = torch.from_numpy(data_mod.class_weights(train_d.labels)) if cfg.balance == "weights" else None
    draw = sampling_weights(train_d, cfg.balance)
    augment = presets.BatchAugment(presets.AugmentConfig() if cfg.augment else presets.NO_AUGMENT)
    gen = torch.Generator().manual_seed(cfg.seed)

    n = len(train_d)
    steps_per_epoch = max(1, n // cfg.batch_size) if n >= cfg.batch_size else 1
    total_steps = steps_per_epoch * cfg.epochs
    warmup = int(round(cfg.warmup_epochs * steps_per_epoch))
    start_epoch, step, history, best_auc = 0, 0, [], -1.0
    if resume:
        ck = torch.load(resume, map_location="cpu")
        model.load_state_dict(ck["model_state"])
        opt.load_state_dict(ck["optimizer_state"])
        start_epoch, step, history, best_auc = ck["epoch"] + 1, ck["step"], ck["history"], ck["best_auc"]
        gen.set_state(ck["generator_state"])
        torch.set_rng_state(ck["torch_rng_state"])
        print(f"resumed from {resume} at epoch {start_epoch + 1}")

    per_source = {s: [int(((train_d.sources() == s) & (train_d.labels == c)).sum()) for c in (0, 1)]
                  for s in sorted(set(train_d.sources()))}
    meta = {"config": cfg.to_dict(), "bf16_autocast": bf16,
            "architecture": models.name_from_config(cfg.to_dict()),
            "description": models.describe_from_config(cfg.to_dict()), "imagenet_weights": imagenet,
            "parameters": models.count_parameters(model), "data_manifest_sha256": manifests[sources.ISIC2017],
            "manifests": manifests, "train_counts_by_source": per_source,
            "train_counts": np.bincount(train_d.labels, minlength=2).tolist(),
            "validation_counts": np.bincount(val_d.labels, minlength=2).tolist(),
            "augment": augment.cfg.to_dict(), "class_weights": None if weights is None else weights.tolist(),
            "resolution_matching": matched}
    print(f"{meta['architecture']}: {meta['parameters']:,} parameters; train {n} "
          f"(melanoma {int(train_d.labels.sum())}; by source {per_source}), validation {len(val_d)}; "
          f"{cfg.epochs} epochs, balance {cfg.balance}, {'bf16 autocast' if bf16 else 'fp32'} "
          f"(precision {cfg.precision}), {cfg.image_size} px, {cfg.optimizer} lr {cfg.lr:g}"
          + (f", features x{cfg.backbone_lr_factor:g}" if cfg.backbone_lr_factor != 1.0 else "")
          + (f", features frozen for {cfg.freeze_epochs} epoch(s)" if cfg.freeze_epochs else "")
          + (f"; ImageNet features {imagenet['file']}" if imagenet else "")
          + (f"; resolution matched to {cfg.match_resolution} px for {matched['degraded_images']} training "
             f"images {matched['degraded_by_source']} with p {cfg.match_resolution_p:g}" if matched else ""),
          flush=True)

    for epoch in range(start_epoch, cfg.epochs):
        t0 = time.time()
        model.train()
        if cfg.freeze_epochs:
            set_frozen(model, epoch < cfg.freeze_epochs)
        if draw is not None:
            order = torch.multinomial(torch.from_numpy(draw), n, replacement=True, generator=gen)
        else:
            order = torch.randperm(n, generator=gen)
        tot_loss, tot_correct, seen = 0.0, 0, 0
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch + 1}/{cfg.epochs}", unit="step",
                   disable=not progress, leave=False)
        for b in bar:
            idx = order[b * cfg.batch_size:(b + 1) * cfg.batch_size].numpy()
            x = torch.from_numpy(training_batch(train_d.images, idx, match, gen))
            y = torch.from_numpy(train_d.labels[idx])
            x = augment(x, gen)
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            factor = lr_factor(step, total_steps, warmup, cfg.schedule, cfg.min_lr_ratio)
            for g in opt.param_groups:
                g["lr"] = cfg.lr * g.get("lr_scale", 1.0) * factor
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = model(x)
            logits = logits.float()
            loss = F.cross_entropy(logits, y, weight=weights, label_smoothing=cfg.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            tot_loss += loss.item() * len(y)
            tot_correct += int((logits.argmax(1) == y).sum())
            seen += len(y)
            bar.set_postfix(loss=f"{tot_loss / seen:.4f}", lr=f"{opt.param_groups[-1]['lr']:.2e}")
        t_val = time.time()
        vlogits = predict_logits(model, val_d.images)
        vprob = metrics.softmax(vlogits)[:, 1]
        vpred = vlogits.argmax(1)
        rec = {"epoch": epoch + 1, "lr": opt.param_groups[-1]["lr"],
               "train_loss": tot_loss / max(1, seen), "train_acc": tot_correct / max(1, seen),
               "val_loss": float(F.cross_entropy(torch.from_numpy(vlogits), torch.from_numpy(val_d.labels))),
               "val_acc": metrics.accuracy(val_d.labels, vpred),
               "val_balanced_acc": metrics.balanced_accuracy(val_d.labels, vpred),
               "val_auc": metrics.roc_auc(val_d.labels, vprob),
               "val_prob_std": float(vprob.std()), "time_s": time.time() - t0, "val_time_s": time.time() - t_val}
        history.append(rec)
        collapsed = rec["val_prob_std"] < 1e-3
        improved = not math.isnan(rec["val_auc"]) and rec["val_auc"] > best_auc
        msg = (f"epoch {epoch + 1:3d}/{cfg.epochs} loss {rec['train_loss']:.4f} acc {rec['train_acc']:.3f} | "
               f"val loss {rec['val_loss']:.4f} acc {rec['val_acc']:.3f} bal {rec['val_balanced_acc']:.3f} "
               f"auc {rec['val_auc']:.4f} | {rec['time_s']:.1f}s (validation {rec['val_time_s']:.1f}s)"
               + (" *" if improved else "")
               + (f" | ~{rec['time_s'] * (cfg.epochs - epoch - 1) / 60:.0f} min left" if epoch + 1 < cfg.epochs
                  else "")
               + ("  WARNING: constant output (collapse?)" if collapsed else ""))
        tqdm.write(msg) if progress else print(msg, flush=True)
        if improved:
            best_auc = rec["val_auc"]
            utils.save_atomic({"model_state": model.state_dict(), "epoch": epoch + 1, "val_auc": best_auc,
                               **meta}, out / "best.pt")
        utils.save_atomic({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                           "epoch": epoch, "step": step, "history": history, "best_auc": best_auc,
                           "generator_state": gen.get_state(), "torch_rng_state": torch.get_rng_state(),
                           **meta}, out / "last.pt")
        utils.write_json(out / "history.json", {"history": history, **meta})
    best = torch.load(out / "best.pt", map_location="cpu") if (out / "best.pt").exists() else None
    summary = {"best_epoch": best["epoch"] if best else None, "best_val_auc": best_auc,
               "epochs_run": len(history), "train_time_s": sum(h["time_s"] for h in history),
               "history": history, **meta}
    utils.write_json(out / "history.json", summary)
    return summary
