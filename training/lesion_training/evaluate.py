"""Evaluation on the held-out test split: report (JSON + Markdown) and PNG plots.

Decision rule: p(melanoma) >= threshold means URGENT/melanoma. The threshold is
chosen on VALIDATION as the largest threshold whose validation sensitivity is
>= 0.90, computed on the calibrated probabilities the exported model outputs.
Temperature scaling is fitted on validation logits (minimum NLL).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import contract, export, metrics, models, sources, utils
from .train import predict_logits

TARGET_SENSITIVITY = 0.90
N_BINS = 15


def _plots(out: Path, history, y_test, p_test, y_val, p_val, cm, rel_before, rel_after, title, test_sets=None):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = {}
    if history:
        ep = [h["epoch"] for h in history]
        fig, ax = plt.subplots(1, 2, figsize=(10, 4))
        ax[0].plot(ep, [h["train_acc"] for h in history], label="train (augmented)")
        ax[0].plot(ep, [h["val_acc"] for h in history], label="validation")
        ax[0].plot(ep, [h["val_balanced_acc"] for h in history], label="validation balanced", ls="--")
        ax[0].plot(ep, [h["val_auc"] for h in history], label="validation ROC AUC", ls=":")
        ax[0].set_xlabel("epoch"), ax[0].set_title("accuracy / AUC"), ax[0].legend(fontsize=8)
        ax[1].plot(ep, [h["train_loss"] for h in history], label="train (class-weighted)")
        ax[1].plot(ep, [h["val_loss"] for h in history], label="validation")
        ax[1].set_xlabel("epoch"), ax[1].set_title("cross-entropy loss"), ax[1].legend(fontsize=8)
        fig.suptitle(title)
        fig.tight_layout()
        fig.savefig(out / "training-curves.png", dpi=80)
        plt.close(fig)
        files["training_curves"] = "training-curves.png"

    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    curves = [(y, p, name) for name, (y, p) in (test_sets or {"test": (y_test, p_test)}).items()]
    for y, p, name in curves + [(y_val, p_val, "validation")]:
        fpr, tpr, _ = metrics.roc_curve(y, p)
        ax.plot(fpr, tpr, label=f"{name} AUC {metrics.roc_auc(y, p):.3f}")
    ax.plot([0, 1], [0, 1], color="grey", lw=0.5)
    ax.set_xlabel("1 - specificity"), ax.set_ylabel("sensitivity"), ax.set_title(f"ROC: {title}")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out / "roc.png", dpi=80)
    plt.close(fig)
    files["roc"] = "roc.png"

    fig, ax = plt.subplots(figsize=(4, 3.6))
    ax.imshow(cm, cmap="Blues")
    for i in range(2):
        for j in range(2):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center",
                    color="white" if cm[i, j] > cm.max() / 2 else "black")
    ax.set_xticks([0, 1], contract.CLASS_LABELS), ax.set_yticks([0, 1], contract.CLASS_LABELS)
    ax.set_xlabel("predicted (p >= threshold)"), ax.set_ylabel("true"), ax.set_title("test confusion matrix")
    fig.tight_layout()
    fig.savefig(out / "confusion-matrix.png", dpi=80)
    plt.close(fig)
    files["confusion_matrix"] = "confusion-matrix.png"

    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    for rows, name in ((rel_before, "before (T=1)"), (rel_after, "after temperature scaling")):
        ax.plot([r[2] for r in rows], [r[3] for r in rows], marker="o", label=name)
    ax.plot([0.5, 1], [0.5, 1], color="grey", lw=0.5)
    ax.set_xlabel("confidence (max probability)"), ax.set_ylabel("accuracy")
    ax.set_title(f"test reliability ({N_BINS} bins)"), ax.legend()
    fig.tight_layout()
    fig.savefig(out / "reliability.png", dpi=80)
    plt.close(fig)
    files["reliability"] = "reliability.png"
    return files


def _test_block(y, p_cal, p_raw, threshold, n_boot) -> dict:
    """Every figure the card reports for one test set, at the validation-chosen threshold."""
    s = p_cal[:, 1].astype(np.float64)
    pred_t = (p_cal[:, 1] >= np.float32(threshold)).astype(int)
    pred_a = p_cal.argmax(1)
    sens, spec = metrics.sens_spec(y, p_cal[:, 1], np.float32(threshold))
    auc_ci = metrics.bootstrap_auc_ci(y, s, n_boot=n_boot) if n_boot else (float("nan"), float("nan"))
    return {
        "n": int(len(y)), "n_melanoma": int(y.sum()),
        "auc": metrics.roc_auc(y, s), "auc_ci": list(auc_ci),
        "auc_ci_method": f"percentile bootstrap, {n_boot} resamples, 95%",
        "threshold": threshold, "sensitivity": sens, "specificity": spec,
        "accuracy": metrics.accuracy(y, pred_t), "balanced_accuracy": metrics.balanced_accuracy(y, pred_t),
        "confusion_matrix": metrics.confusion_matrix(y, pred_t).tolist(),
        "confusion_matrix_layout": "rows true [non_melanoma, melanoma], columns predicted; p >= threshold",
        "classification_report": metrics.classification_report(y, pred_t, contract.CLASS_LABELS),
        "accuracy_argmax": metrics.accuracy(y, pred_a),
        "balanced_accuracy_argmax": metrics.balanced_accuracy(y, pred_a),
        "confusion_matrix_argmax": metrics.confusion_matrix(y, pred_a).tolist(),
        "classification_report_argmax": metrics.classification_report(y, pred_a, contract.CLASS_LABELS),
        "ece": metrics.expected_calibration_error(y, p_cal, N_BINS),
        "ece_uncalibrated": metrics.expected_calibration_error(y, p_raw, N_BINS),
        "ece_bins": N_BINS,
    }


def urgent_by_diagnosis(arrays, p_cal, threshold) -> dict:
    """How many images of each diagnosis go URGENT (bcc and akiec are malignant or pre-malignant)."""
    urgent = p_cal[:, 1] >= np.float32(threshold)
    dx = arrays.dxs()
    order = [d for d in sources.DIAGNOSES + (sources.ISIC2017_BENIGN_DX,) if (dx == d).any()]
    return {d: {"n": int((dx == d).sum()), "urgent": int(urgent[dx == d].sum()),
                "urgent_rate": float(urgent[dx == d].mean())} for d in order}


def source_probe(named_scores: dict) -> dict:
    """Does the score tell the image source apart within one class? AUC of p(melanoma) for
    'source B vs source A' among images of the same label: 0.5 means the score ignores the source."""
    names = list(named_scores)
    out = {}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            for label, cls in enumerate(contract.CLASS_LABELS):
                sa, sb = (named_scores[n][1][named_scores[n][0] == label] for n in (a, b))
                if len(sa) and len(sb):
                    y = np.r_[np.zeros(len(sa)), np.ones(len(sb))]
                    out[f"{cls}: {b} vs {a}"] = {"auc": metrics.roc_auc(y, np.r_[sa, sb]),
                                                 "mean_a": float(sa.mean()), "mean_b": float(sb.mean())}
    return out


def evaluate(checkpoint, data_root, out_dir, cache_dir=None, limit=None, n_boot: int = 2000,
             plots: bool = True, verify: bool = True, external_root=None, tta: int = None) -> dict:
    """Validation fits temperature and threshold; ISIC 2017 test is `test` (the paper comparison, the
    figures the service must reproduce); ISIC 2018 test, when given, is the external check."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    net, ck = export.load_checkpoint(checkpoint)
    if tta is not None:  # an ablation of the flipped views on the same weights
        net.tta = tta
        c = ck["config"] = {**ck["config"], "tta": tta}
        ck["architecture"] = models.name_from_config(c)
    size = contract.of_config(ck["config"])[1]  # the model's input size
    isic = sources.catalogue(sources.ISIC2017, data_root)
    if verify:
        sources.verify_items(data_root, [i for i in isic if i.split in ("validation", "test")], sources.ISIC2017)
    val = sources.load_arrays(sources.select(isic, "validation", limit), cache_dir, size=size)
    sets = {"isic2017-test": sources.load_arrays(sources.select(isic, "test", limit), cache_dir, size=size)}
    if external_root:
        ext = sources.catalogue(sources.ISIC2018_TEST, external_root)
        if verify:
            sources.verify_items(external_root, ext, sources.ISIC2018_TEST)
        sets["isic2018-test"] = sources.load_arrays(sources.select(ext, "test", limit), cache_dir, size=size)

    val_logits = predict_logits(net, val.images)
    temperature = metrics.fit_temperature(val.labels, val_logits)
    # the probabilities exactly as the exported graph computes them (float32, temperature folded in)
    p_val = export.torch_probabilities(net, temperature, val.images)
    threshold = metrics.threshold_for_sensitivity(val.labels, p_val[:, 1], TARGET_SENSITIVITY)
    vsens, vspec = metrics.sens_spec(val.labels, p_val[:, 1], np.float32(threshold))

    blocks, per_dx, scores, probs = {}, {}, {}, {}
    for name, arrays in sets.items():
        p_cal = export.torch_probabilities(net, temperature, arrays.images)
        p_raw = metrics.softmax(predict_logits(net, arrays.images))
        blocks[name] = _test_block(arrays.labels, p_cal, p_raw, threshold, n_boot)
        per_dx[name] = urgent_by_diagnosis(arrays, p_cal, threshold)
        scores[name] = (arrays.labels, p_cal[:, 1].astype(np.float64))
        probs[name] = (p_cal, p_raw)
    near = sources.near_duplicate_ids(data_root)
    test = sets["isic2017-test"]
    keep = np.array([i.image_id not in near for i in test.items])
    if near and not keep.all():
        p_cal, p_raw = probs["isic2017-test"]
        blocks["isic2017-test-without-near-duplicates"] = _test_block(
            test.labels[keep], p_cal[keep], p_raw[keep], threshold, n_boot)
    test_metrics = blocks["isic2017-test"]
    validation = {
        "n": int(len(val.labels)), "n_melanoma": int(val.labels.sum()),
        "auc": metrics.roc_auc(val.labels, p_val[:, 1]), "sensitivity": vsens, "specificity": vspec,
        "ece": metrics.expected_calibration_error(val.labels, p_val, N_BINS),
        "ece_uncalibrated": metrics.expected_calibration_error(val.labels, metrics.softmax(val_logits), N_BINS),
        "nll": metrics.nll(val.labels, val_logits, temperature),
        "nll_uncalibrated": metrics.nll(val.labels, val_logits),
    }
    hist_path = Path(checkpoint).with_name("history.json")
    history = utils.read_json(hist_path)["history"] if hist_path.is_file() else []
    title = ck["architecture"]
    y, s = scores["isic2017-test"]
    p_cal, p_raw = probs["isic2017-test"]
    cm = np.array(test_metrics["confusion_matrix"])
    files = _plots(out, history, y, s, val.labels, p_val[:, 1], cm,
                   metrics.reliability_bins(y, p_raw, N_BINS),
                   metrics.reliability_bins(y, p_cal, N_BINS), title, scores) if plots else {}
    report = {
        "model": ck["config"]["model"], "architecture": ck["architecture"], "description": ck["description"],
        "parameters": ck["parameters"], "config": ck["config"], "augment": ck.get("augment"),
        "class_weights": ck.get("class_weights"), "imagenet_weights": ck.get("imagenet_weights"),
        "best_epoch": ck["epoch"], "epochs_run": len(history), "best_val_auc_uncalibrated": ck["val_auc"],
        "train_time_s": float(sum(h["time_s"] for h in history)),
        "mean_epoch_time_s": float(np.mean([h["time_s"] for h in history])) if history else None,
        "data_manifest_sha256": ck["data_manifest_sha256"], "manifests": ck.get("manifests"),
        "evaluated_manifest_sha256": sources.manifest_sha256(data_root),
        "train_counts": ck.get("train_counts"), "train_counts_by_source": ck.get("train_counts_by_source"),
        "validation_counts": ck.get("validation_counts"), "resolution_matching": ck.get("resolution_matching"),
        "temperature": temperature,
        "threshold_rule": f"largest threshold with validation sensitivity >= {TARGET_SENSITIVITY:.2f}, "
                          "on the calibrated p(melanoma); p >= threshold means URGENT",
        "threshold": threshold, "validation": validation, "test": test_metrics, "test_sets": blocks,
        "urgent_by_diagnosis": per_dx, "source_probe": source_probe(scores),
        "near_duplicates_excluded": sorted(near & {i.image_id for i in test.items}),
        "plots": files, "history": history,
    }
    utils.write_json(out / "report.json", report)
    (out / "report.md").write_text(report_markdown(report))
    return report


def _fmt(v, nd=3):
    return "n/a" if v is None else f"{v:.{nd}f}"


def report_markdown(r: dict) -> str:
    t, v = r["test"], r["validation"]
    cm = t["confusion_matrix"]
    lines = [
        f"# Evaluation: {r['architecture']}", "",
        r["description"], "",
        f"- parameters: {r['parameters']:,}; best epoch {r['best_epoch']} of {r['epochs_run']} "
        f"(selected on validation ROC AUC); training time {r['train_time_s'] / 60:.1f} min",
        f"- temperature (fitted on validation NLL): {r['temperature']:.4f}",
        f"- threshold: {r['threshold']:.6f} ({r['threshold_rule']})",
        f"- validation: AUC {_fmt(v['auc'])}, sensitivity {_fmt(v['sensitivity'])}, "
        f"specificity {_fmt(v['specificity'])}, ECE {_fmt(v['ece_uncalibrated'])} -> {_fmt(v['ece'])}",
        "", f"## Test split ({t['n']} images, {t['n_melanoma']} melanoma)", "",
        "| metric | value |", "|---|---:|",
        f"| ROC AUC (95% CI) | {t['auc']:.3f} ({t['auc_ci'][0]:.3f}-{t['auc_ci'][1]:.3f}) |",
        f"| sensitivity at threshold | {t['sensitivity']:.3f} |",
        f"| specificity at threshold | {t['specificity']:.3f} |",
        f"| accuracy at threshold | {t['accuracy']:.3f} |",
        f"| balanced accuracy at threshold | {t['balanced_accuracy']:.3f} |",
        f"| accuracy, argmax (p >= 0.5) | {t['accuracy_argmax']:.3f} |",
        f"| balanced accuracy, argmax | {t['balanced_accuracy_argmax']:.3f} |",
        f"| ECE ({t['ece_bins']} bins) before -> after temperature scaling | "
        f"{t['ece_uncalibrated']:.3f} -> {t['ece']:.3f} |",
        "", "Confusion matrix at the threshold (rows true, columns predicted):", "",
        "| | pred non_melanoma | pred melanoma |", "|---|---:|---:|",
        f"| non_melanoma | {cm[0][0]} | {cm[0][1]} |", f"| melanoma | {cm[1][0]} | {cm[1][1]} |",
        "", "Per-class report at the threshold:", "",
        "| class | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|",
    ]
    for name, c in t["classification_report"].items():
        lines.append(f"| {name} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | {c['support']} |")
    lines += ["", "Per-class report, argmax:", "",
              "| class | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for name, c in t["classification_report_argmax"].items():
        lines.append(f"| {name} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | {c['support']} |")
    lines += test_sets_markdown(r)
    return "\n".join(lines) + "\n"


def test_sets_markdown(r: dict) -> list:
    """Every test set side by side, URGENT by diagnosis, and the source probe."""
    sets = r.get("test_sets") or {}
    lines = ["", "## All test sets (threshold and temperature from validation)", "",
             "| test set | images (melanoma) | ROC AUC (95% CI) | sensitivity | specificity | "
             "ECE before -> after |", "|---|---:|---:|---:|---:|---:|"]
    for name, t in sets.items():
        lines.append(f"| {name} | {t['n']} ({t['n_melanoma']}) | {t['auc']:.3f} ({t['auc_ci'][0]:.3f}-"
                     f"{t['auc_ci'][1]:.3f}) | {t['sensitivity']:.3f} | {t['specificity']:.3f} | "
                     f"{t['ece_uncalibrated']:.3f} -> {t['ece']:.3f} |")
    for name, rows in (r.get("urgent_by_diagnosis") or {}).items():
        lines += ["", f"URGENT by diagnosis, {name}:", "", "| diagnosis | images | URGENT | rate |",
                  "|---|---:|---:|---:|"]
        lines += [f"| {dx} | {v['n']} | {v['urgent']} | {v['urgent_rate']:.3f} |" for dx, v in rows.items()]
    probe = r.get("source_probe") or {}
    if probe:
        lines += ["", "Source probe: AUC of p(melanoma) for telling the two test sources apart within one "
                  "class (0.5: the score ignores the source; the diagnosis mix differs between sources, "
                  "so some distance is expected):", "", "| class: sources | AUC | mean p, first | mean p, second |",
                  "|---|---:|---:|---:|"]
        lines += [f"| {k} | {v['auc']:.3f} | {v['mean_a']:.3f} | {v['mean_b']:.3f} |" for k, v in probe.items()]
    return lines


def evaluate_onnx(model_dir, data_root, external_root=None, cache_dir=None, n_boot: int = 2000,
                  batch: int = 50) -> dict:
    """Score an exported model folder (model.onnx, its own threshold) on the test sets, without its
    checkpoint: how a served version (e.g. 1.0.0) is compared with a new one on data it never saw."""
    from . import onnx_eval
    folder = Path(model_dir)
    meta = export.read_metadata(folder / "model.onnx")
    threshold = float(meta["threshold"])
    size = export.declared_contract(folder / "model.onnx")[1]
    isic = sources.catalogue(sources.ISIC2017, data_root)
    sets = {"isic2017-test": sources.load_arrays(sources.select(isic, "test"), cache_dir, size=size)}
    if external_root:
        ext = sources.catalogue(sources.ISIC2018_TEST, external_root)
        sets["isic2018-test"] = sources.load_arrays(sources.select(ext, "test"), cache_dir, size=size)
    blocks, per_dx, scores = {}, {}, {}
    for name, arrays in sets.items():
        p = np.concatenate([onnx_eval.run(str(folder / "model.onnx"), {"image": arrays.images[i:i + batch]})
                            ["probabilities"] for i in range(0, len(arrays), batch)]).astype(np.float32)
        # the graph's output is already calibrated: no uncalibrated probabilities to compare with
        blocks[name] = _test_block(arrays.labels, p, p, threshold, n_boot)
        per_dx[name] = urgent_by_diagnosis(arrays, p, threshold)
        scores[name] = (arrays.labels, p[:, 1].astype(np.float64))
    card = utils.read_json(folder / "model-card.json") if (folder / "model-card.json").is_file() else {}
    return {"model": meta["model_name"], "version": meta["model_version"], "threshold": threshold,
            "parameters": card.get("parameters", 0), "test": blocks["isic2017-test"], "test_sets": blocks,
            "urgent_by_diagnosis": per_dx, "source_probe": source_probe(scores)}


def write_model_report(out, model_dir, data_root, external_root=None, cache_dir=None, n_boot: int = 2000,
                       trained_on: str = "ISIC 2017") -> dict:
    """evaluate_onnx's report of an exported model folder, with what it was trained on (for the versions table
    of compare), written to out (JSON); returns it."""
    r = evaluate_onnx(model_dir, data_root, external_root, cache_dir, n_boot=n_boot)
    r["trained_on"] = trained_on
    utils.write_json(out, r)
    return r
