"""Model card (Markdown for people, JSON for machines), the docs model card, and the comparison of reports."""
from __future__ import annotations

from pathlib import Path
from typing import List

from . import contract, utils

INTENDED_USE = ("Research and engineering demonstration of a triage queue for dermoscopic images: images with "
                "p(melanoma) >= threshold are flagged URGENT so a dermatologist looks at them first. "
                "It is NOT a medical device and NOT for diagnosis; every image still needs review by a clinician, "
                "and a non-urgent result does not mean a lesion is benign.")
LIMITATIONS_ISIC2017_ONLY = [
    "Trained from scratch on 1,718 ISIC 2017 training images (323 melanoma); small data, so results vary "
    "with the seed and the confidence interval of the test AUC is wide.",
    "Dermoscopic images only (ISIC Archive, 2017 challenge). Clinical (non-dermoscopic) photographs, other "
    "devices, lighting and magnifications are out of distribution.",
    "ISIC 2017 comes mostly from fair-skinned populations (Fitzpatrick I-III); performance on darker skin "
    "types is unknown and likely worse.",
    "Only melanoma vs. {nevus, seborrheic keratosis}: other lesion types (basal/squamous cell carcinoma, "
    "actinic keratosis, vascular lesions, ...) were never seen and get arbitrary scores.",
    "Input is squashed to 128x128 (the source images were already stretched or cropped to 256x256), so fine "
    "structures and aspect ratio are lost.",
    "The threshold was chosen on the validation split (sensitivity >= 0.90 there); sensitivity on new data "
    "can be lower, as the test numbers show.",
    "The test split contains two byte-identical pairs and probably several images of the same lesion; "
    "near-duplicates across splits were not checked.",
]
LIMITATIONS_MULTI_SOURCE = [
    "Trained from scratch (no pretrained weights) on 11,733 dermoscopic images from two sources, ISIC 2017 "
    "(1,718) and HAM10000 (10,015 images of 7,470 lesions, Vienna and Queensland); a clinic whose cameras, "
    "crops or population differ from both is a new source, and the gap between sources is the main risk: "
    "the two test sets below differ by more than their confidence intervals.",
    "Dermoscopic images only: the service dead-letters events whose modality is not DERMOSCOPIC "
    "(MODALITY_NOT_VALIDATED) instead of scoring them.",
    "ISIC and HAM10000 come mostly from fair-skinned populations (Fitzpatrick I-III); performance on darker "
    "skin types is unknown and likely worse.",
    "Binary melanoma vs. everything else: basal cell carcinoma and actinic keratosis are malignant or "
    "pre-malignant but count as non-melanoma here; the per-diagnosis table shows how often each goes URGENT.",
    "Input is squashed to 128x128 by the preprocessing contract v1 (aspect ratio not kept), so fine "
    "structures are lost; HAM10000 images are 4:3 and are stretched like every other image.",
    "The threshold and temperature were chosen on ISIC 2017 validation (428 images, 81 melanoma); on another "
    "source the sensitivity at that threshold can be lower, as the ISIC 2018 figures show.",
    "ISIC 2017 test figures are also given without the test images that have a near-duplicate in another "
    "split (NEAR_DUPLICATES.tsv); HAM10000 has several images per lesion but is used for training only.",
]
PAPER_ROW = ("| paper: Proposed (reported) | 2,148 balanced ISIC images | 0.834 accuracy | n/a | n/a | n/a | "
             "n/a | n/a | n/a |")


def limitations(report: dict) -> List[str]:
    multi = len((report.get("train_counts_by_source") or {})) > 1
    return LIMITATIONS_MULTI_SOURCE if multi else LIMITATIONS_ISIC2017_ONLY


def _auc(block) -> str:
    if not block:
        return "n/a"
    return f"{block['auc']:.3f} ({block['auc_ci'][0]:.3f}-{block['auc_ci'][1]:.3f})"


def version_row(report: dict) -> dict:
    """A row of the versions table: an exported model's report or a training run's."""
    if "version" in report:
        label = f"{report['model']} {report['version']} (models/{report['model']}/{report['version']})"
    else:
        label = f"{report['architecture']} (run {report['config'].get('run_name') or report['model']})"
    data = report.get("trained_on") or ("ISIC 2017 + HAM10000" if len(report.get("train_counts_by_source") or {}) > 1
                                        else "ISIC 2017")
    return {"label": label, "data": data, "report": report}


def versions_table(rows: List[dict]) -> str:
    """Model versions side by side: rows of {label, data, report} (report None for the paper's figures)."""
    out = ["| model | trained on | ISIC 2017 test AUC (95% CI) | sens / spec at threshold | ECE after | "
           "ISIC 2018 test AUC (95% CI) | sens / spec at threshold | ECE after | parameters |",
           "|" + "---|" * 9]
    for r in rows:
        rep = r["report"]
        sets = rep.get("test_sets") or {"isic2017-test": rep["test"]}
        a, b = sets.get("isic2017-test"), sets.get("isic2018-test")

        def ss(block):
            return f"{block['sensitivity']:.3f} / {block['specificity']:.3f}" if block else "n/a"

        def ece(block):
            return f"{block['ece']:.3f}" if block else "n/a"
        out.append(f"| {r['label']} | {r['data']} | {_auc(a)} | {ss(a)} | {ece(a)} | {_auc(b)} | {ss(b)} | "
                   f"{ece(b)} | {rep['parameters']:,} |")
    out.append(PAPER_ROW)
    return "\n".join(out) + "\n"


def comparison_table(reports: List[dict]) -> str:
    head = ("| model | run | architecture | test accuracy (argmax) | balanced accuracy (argmax) | "
            "accuracy / balanced acc. at threshold | ROC AUC (95% CI) | sensitivity / specificity at threshold | "
            "ECE calibrated | best epoch / epochs | parameters | training time |")
    rows = [head, "|" + "---|" * 12]
    for r in reports:
        t = r["test"]
        rows.append(
            f"| {r['model']} | {r['config'].get('run_name') or r['model']} | {r['architecture']} | "
            f"{t['accuracy_argmax']:.3f} | "
            f"{t['balanced_accuracy_argmax']:.3f} | {t['accuracy']:.3f} / {t['balanced_accuracy']:.3f} | "
            f"{t['auc']:.3f} ({t['auc_ci'][0]:.3f}-{t['auc_ci'][1]:.3f}) | "
            f"{t['sensitivity']:.3f} / {t['specificity']:.3f} | {t['ece']:.3f} | "
            f"{r['best_epoch']} / {r['epochs_run']} | {r['parameters']:,} | {r['train_time_s'] / 60:.1f} min |")
    return "\n".join(rows) + "\n"


def paper_claim_sentence(reports: List[dict]) -> str:
    # the paper's comparison: both architectures with the flatten head and the same recipe
    # (the first report of each model counts: list the same-recipe pair first)
    by = {}
    for r in reports:
        if r["config"].get("head", "flatten") == "flatten":
            by.setdefault(r["model"], r)
    if "proposed" not in by or "lknet" not in by:
        return ""
    p, l = by["proposed"]["test"], by["lknet"]["test"]
    p_ep = by["proposed"]["config"]["epochs"]
    if by["lknet"]["config"]["epochs"] != p_ep:
        p_ep = f"{p_ep} vs {by['lknet']['config']['epochs']}"
    acc = "higher" if p["accuracy_argmax"] > l["accuracy_argmax"] else "not higher"
    auc = "higher" if p["auc"] > l["auc"] else "not higher"
    overlap = not (p["auc_ci"][0] > l["auc_ci"][1] or l["auc_ci"][0] > p["auc_ci"][1])
    holds = p["accuracy_argmax"] > l["accuracy_argmax"] and p["auc"] > l["auc"]
    return (f"The paper reports that Proposed beats LKNet (test accuracy 0.834 vs 0.788 on a balanced 2,148-image "
            f"ISIC set). Here, on the imbalanced official ISIC 2017 test split, Proposed has {acc} argmax accuracy "
            f"({p['accuracy_argmax']:.3f} vs {l['accuracy_argmax']:.3f}) and {auc} ROC AUC "
            f"({p['auc']:.3f} vs {l['auc']:.3f}); the AUC confidence intervals "
            f"{'overlap, so the difference is not significant' if overlap else 'do not overlap'}. "
            f"The claim {'holds in direction' if holds else 'does not hold'} here"
            f"{' but not as a significant difference' if holds and overlap else ''}. "
            "Both models were trained with the same recipe (BatchNorm, Adam, cosine schedule, class-weighted loss, "
            f"same augmentation, {p_ep} epochs), so the comparison is of architectures, not of recipes.")


def write_comparison(reports: List[dict], out) -> dict:
    """OUT.md and OUT.json from evaluation reports (training runs' and exported models'): the versions table on
    both test sets, the training runs' table and the paper-claim sentence, which are returned."""
    runs = [r for r in reports if "config" in r]
    versions = versions_table([version_row(r) for r in reports])
    table = comparison_table(runs)
    claim = paper_claim_sentence(runs)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".md").write_text(
        "# Model comparison\n\nEvery model on both test sets (threshold and temperature chosen on ISIC 2017 "
        "validation; ISIC 2018 test is never trained or tuned on):\n\n" + versions
        + "\n## Training runs on the ISIC 2017 test split\n\n" + table + "\n" + claim
        + "\n\nGenerated by `training/cli.sh compare`.\n")
    utils.write_json(out.with_suffix(".json"), {"table": versions + "\n" + table, "claim": claim, "models": [
        {"model": r["model"], "architecture": r["architecture"], "test": {k: r["test"][k] for k in (
            "auc", "auc_ci", "sensitivity", "specificity", "accuracy", "balanced_accuracy", "accuracy_argmax",
            "balanced_accuracy_argmax", "ece")}, "best_epoch": r["best_epoch"], "epochs_run": r["epochs_run"],
         "parameters": r["parameters"], "train_time_s": r["train_time_s"],
         "mean_epoch_time_s": r["mean_epoch_time_s"], "threshold": r["threshold"]} for r in runs]})
    return {"versions": versions, "table": table, "claim": claim}


def _fine_tuning(report: dict) -> dict:
    """How ImageNet features were fine-tuned (nothing for a network trained from scratch)."""
    cfg = report["config"]
    if cfg["model"] != "mobilenet_v2" or not cfg.get("pretrained", True):
        return {}
    return {"fine_tuning": {"imagenet_weights": report.get("imagenet_weights"),
                            "features_lr_factor": cfg.get("backbone_lr_factor", 1.0),
                            "frozen_epochs": cfg.get("freeze_epochs", 0)}}


def _resolution_matching(report: dict) -> dict:
    """How the training images were brought to one effective resolution (nothing when they were not)."""
    cfg = report["config"]
    if cfg.get("match_resolution") is None:
        return {}
    counts = report.get("resolution_matching") or {}
    return {"resolution_matching": {
        "short_side": cfg["match_resolution"], "p": cfg.get("match_resolution_p", 1.0),
        "method": "training images whose short side is above short_side taken down to it (area averaging, "
                  "8-bit) and back up (area) before the preprocessing, with probability p per sample and "
                  "epoch; validation, test and the served model see images as they are",
        "degraded_images": counts.get("degraded_images"), "degraded_by_source": counts.get("degraded_by_source")}}


def _resolution_sentence(cj: dict) -> str:
    rm = cj["training"].get("resolution_matching")
    if not rm:
        return ""
    share = "every sharper image" if rm["p"] >= 1 else f"a sharper image with probability {rm['p']:g}"
    return (f" Resolution matching: {share} trained at a short side of {rm['short_side']} px (down and back "
            "up, training only).")


def card_json(report: dict, metadata: dict, onnx_sha256: str, onnx_size: int) -> dict:
    t = report["test"]
    cfg = report["config"]
    version, size = contract.of_config(cfg)
    outputs = {"output": {"name": "probabilities", "type": "float32", "shape": ["N", 2],
                          "class_labels": contract.CLASS_LABELS,
                          "meaning": "calibrated softmax (temperature folded into the graph)"}}
    if cfg["model"] == "mobilenet_v2":
        from .export import CAM_METADATA, CAM_NAME
        outputs["second_output"] = {"name": CAM_NAME, "type": "float32",
                                    "shape": ["N"] + [-(-s // 32) for s in size], "meaning": CAM_METADATA}
    return {
        "model_name": metadata["model_name"], "model_version": metadata["model_version"],
        "architecture": report["architecture"], "description": report["description"],
        "parameters": report["parameters"],
        "artifact": {"file": "model.onnx", "sha256": onnx_sha256, "bytes": onnx_size, "opset": 17,
                     "input": {"name": "image", "type": "float32", "shape": ["N", 3, *size]}, **outputs},
        "intended_use": INTENDED_USE, "not_for_diagnosis": True,
        "decision_rule": {"threshold": report["threshold"], "rule": report["threshold_rule"],
                          "urgent_if": "probabilities[1] >= threshold"},
        "calibration": {"method": "temperature scaling fitted on the validation split (minimum NLL)",
                        "temperature": report["temperature"],
                        "test_ece_before": t["ece_uncalibrated"], "test_ece_after": t["ece"],
                        "validation_ece_before": report["validation"]["ece_uncalibrated"],
                        "validation_ece_after": report["validation"]["ece"], "ece_bins": t["ece_bins"]},
        "preprocessing": contract.contract_description(size, version),
        "data": {"name": "ISIC 2017 challenge, part 3 (melanoma vs. nevus + seborrheic keratosis)"
                         + (" + HAM10000 (training only)" if len(report.get("train_counts_by_source") or {}) > 1
                            else ""),
                 "manifest_sha256": report["data_manifest_sha256"],
                 "manifests": report.get("manifests"),
                 "train_by_source": report.get("train_counts_by_source"),
                 "train": {"images": sum(report["train_counts"]), "melanoma": report["train_counts"][1]},
                 "validation": {"images": report["validation"]["n"],
                                "melanoma": report["validation"]["n_melanoma"]},
                 "test": {"images": t["n"], "melanoma": t["n_melanoma"],
                          "note": "official ISIC 2017 test set, held out until evaluation"}},
        "training": {"optimizer": {"adam": "Adam", "adamw": "AdamW"}[cfg.get("optimizer", "adam")],
                     "lr": cfg["lr"], "weight_decay": cfg["weight_decay"], **_fine_tuning(report),
                     **_resolution_matching(report),
                     "schedule": f"{cfg['warmup_epochs']} epoch linear warm-up then {cfg['schedule']}",
                     "epochs": cfg["epochs"], "best_epoch": report["best_epoch"], "batch_size": cfg["batch_size"],
                     "imbalance": "class-weighted cross-entropy (inverse frequency)" if cfg["balance"] == "weights"
                     else cfg["balance"],
                     "checkpoint_selection": "highest validation ROC AUC", "seed": cfg["seed"],
                     "augmentation": report.get("augment"), "training_time_s": report["train_time_s"],
                     "mean_epoch_time_s": report["mean_epoch_time_s"],
                     "hardware": f"CPU, {cfg['threads']} thread(s)"},
        "metrics": {"test": {k: t[k] for k in ("auc", "auc_ci", "auc_ci_method", "sensitivity", "specificity",
                                                "accuracy", "balanced_accuracy", "accuracy_argmax",
                                                "balanced_accuracy_argmax", "ece", "ece_uncalibrated",
                                                "confusion_matrix", "confusion_matrix_layout",
                                                "classification_report")},
                    "validation": report["validation"],
                    "test_sets": report.get("test_sets"),
                    "urgent_by_diagnosis": report.get("urgent_by_diagnosis"),
                    "source_probe": report.get("source_probe")},
        "limitations": limitations(report),
        "trained_at": metadata["trained_at"],
        "reproduce": f"training/cli.sh train {train_options(cfg)}; then evaluate, export (see training/README.md)",
    }


def train_options(cfg: dict) -> str:
    """The train command's options that differ from the defaults, so the card says how to redo the run."""
    from .train import TrainConfig
    default = TrainConfig().to_dict()
    skip = {"data", "ham10000", "output_dir", "cache_dir", "verify_hashes"}
    opts = []
    for k, v in cfg.items():
        if k in skip or k not in default or v == default[k]:
            continue
        flag = "--" + k.replace("_", "-")
        opts.append(flag if v is True else f"--no-{k.replace('_', '-')}" if v is False else f"{flag} {v}")
    return " ".join(opts)


def card_markdown(cj: dict, report_md: str, comparison_md: str = "", claim: str = "", notes_md: str = "") -> str:
    t = cj["metrics"]["test"]
    lines = [
        f"# Model card: {cj['model_name']} {cj['model_version']}", "",
        f"**{cj['architecture']}**: {cj['description']}. {cj['parameters']:,} parameters.", "",
        "## Intended use", "", cj["intended_use"], "",
        "## Interface", "",
        "- file `model.onnx`, ONNX opset 17, sha256 `" + cj["artifact"]["sha256"] + "`",
        "- input `image`: float32 [N, 3, 128, 128], preprocessing contract v1 (docs/preprocessing.md)",
        "- output `probabilities`: float32 [N, 2] = [p(non_melanoma), p(melanoma)], calibrated softmax",
        f"- decision: URGENT when p(melanoma) >= **{cj['decision_rule']['threshold']:.6f}** "
        f"({cj['decision_rule']['rule']})",
        f"- calibration: temperature {cj['calibration']['temperature']:.4f} "
        f"(test ECE {cj['calibration']['test_ece_before']:.3f} -> {cj['calibration']['test_ece_after']:.3f})",
        "", f"## Headline test results (official ISIC 2017 test split, {sum(map(sum, t['confusion_matrix']))} "
            f"images, {sum(t['confusion_matrix'][1])} melanoma)", "",
        f"- ROC AUC **{t['auc']:.3f}** (95% CI {t['auc_ci'][0]:.3f}-{t['auc_ci'][1]:.3f})",
        f"- at the threshold: sensitivity **{t['sensitivity']:.3f}**, specificity **{t['specificity']:.3f}**, "
        f"balanced accuracy {t['balanced_accuracy']:.3f}",
        f"- argmax accuracy {t['accuracy_argmax']:.3f} (the paper's metric; 81% of the test split is "
        "non-melanoma, so always answering non_melanoma scores 0.805)",
    ] + _external_lines(cj) + [
        "", "## Data", "",
        f"ISIC 2017 (manifest sha256 `{cj['data']['manifest_sha256']}`): train {cj['data']['train']['images']} "
        f"({cj['data']['train']['melanoma']} melanoma), validation {cj['data']['validation']['images']} "
        f"({cj['data']['validation']['melanoma']}), test {cj['data']['test']['images']} "
        f"({cj['data']['test']['melanoma']}).", "",
        "## Training", "",
        f"{cj['training']['optimizer']} lr {cj['training']['lr']}, weight decay {cj['training']['weight_decay']}, "
        f"{cj['training']['schedule']}, {cj['training']['epochs']} epochs, batch {cj['training']['batch_size']}, "
        f"{cj['training']['imbalance']}, checkpoint = {cj['training']['checkpoint_selection']} "
        f"(epoch {cj['training']['best_epoch']}), seed {cj['training']['seed']}, "
        f"{cj['training']['hardware']}, {cj['training']['training_time_s'] / 60:.1f} min "
        f"({cj['training']['mean_epoch_time_s']:.0f} s per epoch)." + _resolution_sentence(cj)
        + f" Reproduce: `{cj['reproduce']}`."
        + (f" {cj['training']['note']}" if cj["training"].get("note") else ""), "",
        "## Limitations", "",
    ] + [f"- {x}" for x in cj["limitations"]] + [""]
    if notes_md:
        lines += [notes_md.strip(), ""]
    if comparison_md:
        lines += ["## Comparison", "", comparison_md, claim, ""]
    lines += ["## Full evaluation", "", report_md.split("\n", 2)[2] if report_md.startswith("#") else report_md,
              "![training curves](training-curves.png) ![ROC](roc.png)",
              "![confusion matrix](confusion-matrix.png) ![reliability](reliability.png)", ""]
    return "\n".join(lines)


def _external_lines(cj: dict) -> List[str]:
    ext = (cj["metrics"].get("test_sets") or {}).get("isic2018-test")
    if not ext:
        return []
    return ["", f"External test (ISIC 2018 task 3 test, {ext['n']} images, {ext['n_melanoma']} melanoma, never "
            "trained or tuned on):", "",
            f"- ROC AUC **{ext['auc']:.3f}** (95% CI {ext['auc_ci'][0]:.3f}-{ext['auc_ci'][1]:.3f}); at the "
            f"same threshold sensitivity **{ext['sensitivity']:.3f}**, specificity **{ext['specificity']:.3f}**; "
            f"ECE {ext['ece_uncalibrated']:.3f} -> {ext['ece']:.3f}"]


def docs_model_card(cj: dict, out_dir: Path, comp_md: str, claim: str, notes_md: str = "") -> str:
    """The short model card of docs/ (export --docs-card): headline figures, training, comparison, limitations."""
    from .evaluate import test_sets_markdown
    t = cj["metrics"]["test"]
    rel = f"models/{cj['model_name']}/{cj['model_version']}"
    sources = ", ".join(f"{name} {counts[0] + counts[1]:,} ({counts[1]:,} melanoma)"
                        for name, counts in (cj["data"].get("train_by_source") or {}).items())
    return "\n".join([
        "# Model card", "",
        f"The service runs `{rel}/model.onnx` ({cj['architecture']}, {cj['parameters']:,} parameters). "
        f"The full card is [`{rel}/model-card.md`](../{rel}/model-card.md); machines read "
        f"[`model-card.json`](../{rel}/model-card.json) and the ONNX `metadata_props`.", "",
        "**Not for diagnosis.** " + cj["intended_use"], "",
        "| | |", "|---|---|",
        f"| ISIC 2017 test ROC AUC (95% CI) | {t['auc']:.3f} ({t['auc_ci'][0]:.3f}-{t['auc_ci'][1]:.3f}) |",
        f"| URGENT threshold on p(melanoma) | {cj['decision_rule']['threshold']:.6f} "
        "(largest with validation sensitivity >= 0.90) |",
        f"| ISIC 2017 test sensitivity / specificity at threshold | {t['sensitivity']:.3f} / {t['specificity']:.3f} |",
        f"| temperature; ISIC 2017 test ECE before -> after | {cj['calibration']['temperature']:.4f}; "
        f"{cj['calibration']['test_ece_before']:.3f} -> {cj['calibration']['test_ece_after']:.3f} |",
        f"| training data | {sources or 'ISIC 2017'}; ISIC 2017 manifest sha256 "
        f"`{cj['data']['manifest_sha256'][:16]}...` |", "",
    ] + test_sets_markdown(cj["metrics"])[1:] + [
        "", "## Training", "",
        f"{cj['training']['epochs']} epochs (best epoch {cj['training']['best_epoch']}, chosen on validation ROC AUC), "
        f"Adam lr {cj['training']['lr']}, {cj['training']['schedule']}, {cj['training']['imbalance']}, "
        f"{cj['training']['hardware']}, {cj['training']['training_time_s'] / 60:.1f} min "
        f"({cj['training']['mean_epoch_time_s']:.0f} s per epoch)." + _resolution_sentence(cj)
        + f" Reproduce: `{cj['reproduce']}`. " + cj["training"].get("note", ""), "",
    ] + ([notes_md.strip(), ""] if notes_md else []) + [
        "## Comparison", "", comp_md, claim, "",
        "## Limitations", ""] + [f"- {x}" for x in cj["limitations"]] + [
        "", "Preprocessing: [preprocessing.md](preprocessing.md). Training and evaluation commands: "
        "[training/README.md](../training/README.md).", ""])
