"""Metric functions (plain numpy), each checked against hand-computed cases in tests.

Scores are p(melanoma); labels are 1 = melanoma (positive), 0 = non_melanoma.
"""
from __future__ import annotations

import math
from typing import Dict, Sequence

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.stats import rankdata


def roc_auc(labels, scores) -> float:
    """ROC AUC = P(score_pos > score_neg) + 0.5 P(tie) (Mann-Whitney U)."""
    y = np.asarray(labels).astype(bool)
    s = np.asarray(scores, dtype=np.float64)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(s)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def roc_curve(labels, scores):
    """(fpr, tpr, thresholds) with thresholds descending; prediction is score >= threshold."""
    y = np.asarray(labels).astype(bool)
    s = np.asarray(scores, dtype=np.float64)
    thr = np.unique(s)[::-1]
    tpr = np.array([np.mean(s[y] >= t) for t in thr])
    fpr = np.array([np.mean(s[~y] >= t) for t in thr])
    return np.r_[0.0, fpr], np.r_[0.0, tpr], np.r_[np.inf, thr]


def bootstrap_auc_ci(labels, scores, n_boot: int = 2000, alpha: float = 0.05, seed: int = 0):
    """Percentile bootstrap CI of the AUC, resampling cases with replacement."""
    y = np.asarray(labels).astype(bool)
    s = np.asarray(scores, dtype=np.float64)
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(y), len(y))
        if y[idx].all() or not y[idx].any():
            continue
        vals.append(roc_auc(y[idx], s[idx]))
    lo, hi = np.percentile(vals, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def confusion_matrix(labels, preds, n_classes: int = 2) -> np.ndarray:
    """cm[true, predicted]."""
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    for t, p in zip(np.asarray(labels, dtype=int), np.asarray(preds, dtype=int)):
        cm[t, p] += 1
    return cm


def sens_spec(labels, scores, threshold: float):
    """Sensitivity (recall of melanoma) and specificity when p >= threshold means melanoma."""
    y = np.asarray(labels).astype(bool)
    pred = np.asarray(scores) >= threshold
    sens = float(np.mean(pred[y])) if y.any() else float("nan")
    spec = float(np.mean(~pred[~y])) if (~y).any() else float("nan")
    return sens, spec


def threshold_for_sensitivity(labels, scores, target: float = 0.90) -> float:
    """Largest threshold t with sensitivity(p >= t) >= target on the given (validation) set.

    With the positive scores sorted descending, it is the k-th largest where
    k = ceil(target * n_pos): every larger candidate catches fewer than k positives.
    """
    y = np.asarray(labels).astype(bool)
    pos = np.sort(np.asarray(scores, dtype=np.float64)[y])[::-1]
    if len(pos) == 0:
        raise ValueError("no positive cases to set a threshold on")
    k = int(math.ceil(target * len(pos) - 1e-12))
    return float(pos[max(k, 1) - 1])


def classification_report(labels, preds, class_names: Sequence[str]) -> Dict[str, Dict[str, float]]:
    cm = confusion_matrix(labels, preds, len(class_names))
    rep = {}
    for k, name in enumerate(class_names):
        tp = cm[k, k]
        prec = tp / cm[:, k].sum() if cm[:, k].sum() else 0.0
        rec = tp / cm[k, :].sum() if cm[k, :].sum() else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rep[name] = {"precision": float(prec), "recall": float(rec), "f1": float(f1),
                     "support": int(cm[k, :].sum())}
    return rep


def accuracy(labels, preds) -> float:
    return float(np.mean(np.asarray(labels) == np.asarray(preds)))


def balanced_accuracy(labels, preds) -> float:
    cm = confusion_matrix(labels, preds)
    rec = [cm[k, k] / cm[k].sum() for k in range(cm.shape[0]) if cm[k].sum()]
    return float(np.mean(rec))


def softmax(logits, temperature: float = 1.0) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def expected_calibration_error(labels, probs, n_bins: int = 15) -> float:
    """Top-label ECE (Guo et al. 2017): equal-width confidence bins (lo, hi] over [0, 1].

    probs is [N, K] class probabilities; confidence is the max probability,
    correctness is argmax == label; ECE = sum_b |B|/N * |acc(B) - conf(B)|.
    """
    p = np.asarray(probs, dtype=np.float64)
    y = np.asarray(labels)
    conf = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        m = bins == b
        if m.any():
            ece += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(ece)


def reliability_bins(labels, probs, n_bins: int = 15):
    p = np.asarray(probs, dtype=np.float64)
    conf = p.max(axis=1)
    correct = (p.argmax(axis=1) == np.asarray(labels)).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, n_bins - 1)
    rows = []
    for b in range(n_bins):
        m = bins == b
        if m.any():
            rows.append((edges[b], edges[b + 1], float(conf[m].mean()), float(correct[m].mean()), int(m.sum())))
    return rows


def nll(labels, logits, temperature: float = 1.0) -> float:
    p = softmax(logits, temperature)
    y = np.asarray(labels, dtype=int)
    return float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None))))


def fit_temperature(labels, logits) -> float:
    """Temperature T > 0 minimising the validation NLL of softmax(logits / T)."""
    res = minimize_scalar(lambda lt: nll(labels, logits, math.exp(lt)), bounds=(-3.0, 3.0),
                          method="bounded", options={"xatol": 1e-6})
    return float(math.exp(res.x))
