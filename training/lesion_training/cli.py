"""Command line: python3 -m lesion_training <command> [options] (training/cli.sh runs it from anywhere).

Commands: train, evaluate, export, golden, compare, smoke, verify-data, quantize.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from . import __version__, config_args

# Defaults are relative to the repository root (the folder above training/), wherever the command runs.
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = str(REPO_ROOT / ".." / "shared" / "data" / "isic")
DEFAULT_RUNS = str(REPO_ROOT / "runs")
DEFAULT_HAM = REPO_ROOT / ".." / "shared" / "data" / "ham10000"
DEFAULT_EXTERNAL_TEST = REPO_ROOT / ".." / "shared" / "data" / "isic2018-test"


def _if_present(folder: Path):
    return str(folder) if (folder / "MANIFEST.tsv").is_file() else None


def _add_train_args(p: argparse.ArgumentParser):
    from .train import TrainConfig
    config_args.add_arguments(p, TrainConfig, {
        "data": DEFAULT_DATA, "output_dir": DEFAULT_RUNS, "cache_dir": str(Path(DEFAULT_RUNS) / "cache"),
        "ham10000": _if_present(DEFAULT_HAM)})
    p.add_argument("--resume", default=None, help="continue from a last.pt checkpoint")
    p.add_argument("--no-progress", dest="progress", action="store_false")


def cmd_train(a):
    from .train import TrainConfig, train
    s = train(config_args.from_args(TrainConfig, a), resume=a.resume, progress=a.progress)
    print(f"best epoch {s['best_epoch']} validation AUC {s['best_val_auc']:.4f}; "
          f"{s['train_time_s']:.0f}s training")


def cmd_verify(a):
    from . import data, sources
    try:
        counts = data.verify(a.data, check_hashes=not a.no_hashes)
        for k, v in sorted(counts.items()):
            print(f"{k}\t{v}")
        print(f"OK: {sum(counts.values())} files match {a.data}/MANIFEST.tsv "
              f"(sha256 {data.manifest_sha256(a.data)})")
        for source, root in ((sources.HAM10000, a.ham10000), (sources.ISIC2018_TEST, a.external)):
            if root:
                items = sources.catalogue(source, root)
                sources.verify_items(root, items, source)
                print(f"OK: {len(items)} {source} files ({sum(i.label for i in items)} melanoma) match "
                      f"{root}/MANIFEST.tsv (sha256 {sources.manifest_sha256(root)})")
    except data.DataSetError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 2
    return 0


def cmd_evaluate(a):
    from .evaluate import evaluate
    run = Path(a.run)
    out = Path(a.out) if a.out else run / "eval"
    r = evaluate(run / "best.pt", a.data, out, a.cache_dir or None, limit=a.limit, n_boot=a.bootstrap,
                 external_root=a.external or None, tta=a.tta)
    print(f"{r['architecture']}: threshold {r['threshold']:.4f}, temperature {r['temperature']:.3f}")
    for name, t in r["test_sets"].items():
        print(f"  {name}: AUC {t['auc']:.3f} ({t['auc_ci'][0]:.3f}-{t['auc_ci'][1]:.3f}), sensitivity "
              f"{t['sensitivity']:.3f} specificity {t['specificity']:.3f}; ECE {t['ece_uncalibrated']:.3f} -> "
              f"{t['ece']:.3f}")
    print(f"report: {out / 'report.md'}")


# Where a run read and wrote on its machine: not part of what the model is, so never in the exported file.
MACHINE_PATHS = ("data", "ham10000", "output_dir", "cache_dir")


def test_metrics_json(t: dict) -> str:
    """The test block of an evaluation as the model's metadata holds it (the consistency check reads it)."""
    keys = ("auc", "auc_ci", "sensitivity", "specificity", "accuracy", "balanced_accuracy", "ece", "confusion_matrix",
            "ece_uncalibrated", "accuracy_argmax", "n", "n_melanoma", "confusion_matrix_layout")
    return json.dumps({k: t[k] for k in keys}, sort_keys=True)


def build_metadata(report: dict, name: str, version: str, trained_at: str) -> dict:
    from . import contract
    return {
        "model_name": name, "model_version": version,
        "architecture": f"{report['architecture']}: {report['description']}",
        "class_labels": json.dumps(contract.CLASS_LABELS),
        "preprocessing": contract.contract_json(*reversed(contract.of_config(report["config"]))),
        "threshold": repr(float(report["threshold"])),
        "temperature": repr(float(report["temperature"])),
        "data_manifest_sha256": report["data_manifest_sha256"],
        "test_metrics": test_metrics_json(report["test"]),
        "trained_at": trained_at,
        # how to rebuild the network in PyTorch (benchmarks compare the same graph in both runtimes)
        "training_config": json.dumps({k: v for k, v in report["config"].items() if k not in MACHINE_PATHS},
                                      sort_keys=True),
    }


def do_export(run: Path, report_path: Path, out_dir: Path, version: str, docs_card=None, comparison=None,
              note: str = "", notes_md: str = ""):
    from . import card, export, golden, utils
    report = utils.read_json(report_path)
    net, ck = export.load_checkpoint(run / "best.pt")
    name = report["model"]
    trained_at = datetime.fromtimestamp((run / "best.pt").stat().st_mtime, timezone.utc).replace(
        microsecond=0).isoformat()
    meta = build_metadata(report, name, version, trained_at)
    out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = export.export_onnx(net, report["temperature"], out_dir / "model.onnx", meta,
                                   doc=f"{name} {version}: melanoma triage CNN; not for diagnosis")
    g = golden.write_golden(net, report["temperature"], onnx_path, out_dir / "golden")
    for png in report.get("plots", {}).values():
        shutil.copy2(report_path.parent / png, out_dir / png)
    sha = utils.sha256_path(onnx_path)
    cj = card.card_json(report, meta, sha, onnx_path.stat().st_size)
    if note:
        cj["training"]["note"] = note
    utils.write_json(out_dir / "model-card.json", cj)
    comp_md, claim = "", ""
    if comparison and Path(comparison).is_file():
        comp = utils.read_json(comparison)
        comp_md, claim = comp["table"], comp["claim"]
    (out_dir / "model-card.md").write_text(
        card.card_markdown(cj, (report_path.parent / "report.md").read_text(), comp_md, claim, notes_md))
    if docs_card:
        Path(docs_card).write_text(docs_model_card(cj, out_dir, comp_md, claim, notes_md))
    print(f"exported {onnx_path} ({onnx_path.stat().st_size / 1e6:.1f} MB, sha256 {sha}); golden: "
          f"{len(g['index']['entries'])} images, ONNX vs PyTorch max diff {g['onnx_vs_torch_max_abs_diff']:.1e}")
    return onnx_path


def docs_model_card(cj: dict, out_dir: Path, comp_md: str, claim: str, notes_md: str = "") -> str:
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
        f"({cj['training']['mean_epoch_time_s']:.0f} s per epoch). Reproduce: `{cj['reproduce']}`. "
        + cj["training"].get("note", ""), "",
    ] + ([notes_md.strip(), ""] if notes_md else []) + [
        "## Comparison", "", comp_md, claim, "",
        "## Limitations", ""] + [f"- {x}" for x in cj["limitations"]] + [
        "", "Preprocessing: [preprocessing.md](preprocessing.md). Training and evaluation commands: "
        "[training/README.md](../training/README.md).", ""])


def cmd_export(a):
    repo = REPO_ROOT
    run = Path(a.run)
    report = Path(a.report) if a.report else run / "eval" / "report.json"
    from . import utils
    name = utils.read_json(report)["model"]
    out = Path(a.out) if a.out else repo / "models" / name / a.version
    comparison = Path(a.comparison) if a.comparison else repo / "models" / "comparison.json"
    notes = Path(a.notes).read_text() if a.notes else ""
    do_export(run, report, out, a.version, docs_card=a.docs_card, comparison=comparison, note=a.note,
              notes_md=notes)


def cmd_golden(a):
    from . import export, golden, utils
    folder = Path(a.model_dir)
    if a.check:
        r = golden.check_golden(folder / "golden", folder / "model.onnx")
        print(f"golden OK: {r}")
        return 0
    report = utils.read_json(Path(a.run) / "eval" / "report.json")
    net, _ = export.load_checkpoint(Path(a.run) / "best.pt")
    meta_t = float(export.read_metadata(folder / "model.onnx")["temperature"])
    if abs(meta_t - report["temperature"]) > 1e-9:
        print("ERROR: the run's temperature differs from model.onnx; re-export instead", file=sys.stderr)
        return 2
    g = golden.write_golden(net, meta_t, folder / "model.onnx", folder / "golden")
    print(f"wrote {len(g['index']['entries'])} golden entries; ONNX vs PyTorch {g['onnx_vs_torch_max_abs_diff']:.1e}")


def cmd_evaluate_model(a):
    from . import utils
    from .evaluate import evaluate_onnx
    r = evaluate_onnx(a.model_dir, a.data, a.external or None, a.cache_dir or None, n_boot=a.bootstrap)
    r["trained_on"] = a.trained_on
    utils.write_json(a.out, r)
    for name, t in r["test_sets"].items():
        print(f"{r['model']} {r['version']} {name}: AUC {t['auc']:.3f} ({t['auc_ci'][0]:.3f}-{t['auc_ci'][1]:.3f}), "
              f"sensitivity {t['sensitivity']:.3f} specificity {t['specificity']:.3f}, ECE {t['ece']:.3f}")
    print(f"report: {a.out}")


def cmd_quantize(a):
    from . import data, golden, quantize, utils
    from .evaluate import evaluate_onnx
    source = Path(a.model_dir)
    out = Path(a.out) if a.out else source.parent / f"{source.name}-int8"
    images = quantize.calibration_images(a.data, a.calibration_images)
    note = {"calibration_split": "ISIC 2017 train", "calibration_manifest_sha256": data.manifest_sha256(a.data)}
    summary = quantize.quantize_file(source / "model.onnx", out / "model.onnx", images, note)
    print(f"wrote {out / 'model.onnx'}: {len(summary['quantized_nodes'])} nodes quantised, "
          f"{summary['quantized_tensors']} activation tensors, calibrated on {summary['calibration_images']} "
          "training images")
    if a.no_evaluate:
        return
    # the variant's own test figures (NumPy evaluation of the QDQ graph) replace the source's in its metadata
    # and card, so the folder passes the same consistency check as any exported model
    r = evaluate_onnx(out, a.data, a.external or None, a.cache_dir or None, n_boot=a.bootstrap)
    quantize.set_metadata(out / "model.onnx", {"test_metrics": test_metrics_json(r["test"])})
    utils.write_json(out / "model-card.json",
                     quantize.derived_card(utils.read_json(source / "model-card.json"), out / "model.onnx", r, summary))
    for name, t in r["test_sets"].items():
        print(f"{name} (NumPy evaluation of the QDQ graph): AUC {t['auc']:.4f}, sensitivity "
              f"{t['sensitivity']:.4f} specificity {t['specificity']:.4f}")
    g = golden.write_golden_from_onnx(out / "model.onnx", out / "golden", golden.QUANTIZED_NOTE)
    print(f"wrote {len(g['entries'])} golden entries (probabilities of the QDQ graph, NumPy evaluator)")


def _version_row(report: dict) -> dict:
    """A row of the versions table: an exported model's report or a training run's."""
    if "version" in report:
        label = f"{report['model']} {report['version']} (models/{report['model']}/{report['version']})"
    else:
        label = f"{report['architecture']} (run {report['config'].get('run_name') or report['model']})"
    data = report.get("trained_on") or ("ISIC 2017 + HAM10000" if len(report.get("train_counts_by_source") or {}) > 1
                                        else "ISIC 2017")
    return {"label": label, "data": data, "report": report}


def cmd_compare(a):
    from . import card, utils
    reports = [utils.read_json(p) for p in a.reports]
    runs = [r for r in reports if "config" in r]
    versions = card.versions_table([_version_row(r) for r in reports])
    table = card.comparison_table(runs)
    claim = card.paper_claim_sentence(runs)
    out = Path(a.out)
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
    print(versions)
    print(table)
    print(claim)


def cmd_smoke(a):
    """1-epoch training on a small subset, evaluation, export, golden check: end to end in a temp dir."""
    from . import golden, synthetic
    from .evaluate import evaluate
    from .train import TrainConfig, train
    tmp = Path(tempfile.mkdtemp(prefix="lesion-smoke-"))
    try:
        data = a.data
        if a.synthetic:
            data = str(synthetic.write_image_folder(tmp / "data"))
        real = not a.synthetic
        cfg = TrainConfig(data=data, model=a.model, epochs=1, batch_size=16, limit_train=a.limit,
                          limit_val=max(20, a.limit // 2), output_dir=str(tmp / "runs"), cache_dir=None,
                          threads=a.threads, ham10000=a.ham10000 if real else None,
                          head="gap" if a.model == "triagenet" else "flatten",
                          colour="shades_of_gray" if a.model == "triagenet" else "none",
                          tta=2 if a.model == "triagenet" else 1)
        s = train(cfg, progress=a.progress)
        run = tmp / "runs" / a.model
        r = evaluate(run / "best.pt", data, run / "eval", None, limit=max(20, a.limit // 2), n_boot=200,
                     external_root=a.external if real else None)
        out = do_export(run, run / "eval" / "report.json", tmp / "model", "0.0.0-smoke")
        g = golden.check_golden(tmp / "model" / "golden", out)
        print(f"smoke OK: val AUC {s['best_val_auc']:.3f}, test-subset AUC {r['test']['auc']:.3f}, golden {g}")
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")


def _register_more(sub):
    data_default, runs_default, repo = DEFAULT_DATA, DEFAULT_RUNS, REPO_ROOT

    p = sub.add_parser("evaluate", help="evaluate RUN/best.pt on the test split; writes RUN/eval/")
    p.add_argument("--run", required=True, help="run folder, e.g. runs/proposed")
    p.add_argument("--data", default=data_default)
    p.add_argument("--cache-dir", default=str(Path(runs_default) / "cache"))
    p.add_argument("--out", default=None)
    p.add_argument("--limit", type=int, default=None, help="stratified subset per split (smoke tests)")
    p.add_argument("--bootstrap", type=int, default=2000, help="bootstrap resamples for the AUC CI")
    p.add_argument("--external", default=_if_present(DEFAULT_EXTERNAL_TEST),
                   help="ISIC 2018 test folder, the external test set ('' to skip)")
    p.add_argument("--tta", type=int, choices=(1, 2, 4), default=None,
                   help="evaluate with this many flipped views instead of the run's (an ablation)")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("export", help="ONNX + metadata + golden files + model card into models/NAME/VERSION/")
    p.add_argument("--run", required=True)
    p.add_argument("--report", default=None, help="default RUN/eval/report.json")
    p.add_argument("--version", default=__version__)
    p.add_argument("--out", default=None, help="default models/NAME/VERSION")
    p.add_argument("--comparison", default=None, help="default models/comparison.json (from compare)")
    p.add_argument("--note", default="", help="free text about how the run was done, added to the card")
    p.add_argument("--docs-card", default=None, help="also write the docs model card here (docs/model-card.md)")
    p.add_argument("--notes", default=None, help="Markdown file with how the model was made (what was tried, "
                                                 "ablations), added to both cards")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("golden", help="regenerate (or --check) the golden files of an exported model")
    p.add_argument("--model-dir", required=True, help="e.g. models/triagenet/2.0.0")
    p.add_argument("--run", default=None, help="run folder whose best.pt was exported (to regenerate)")
    p.add_argument("--check", action="store_true", help="only verify tensors and probabilities (NumPy ONNX)")
    p.set_defaults(func=cmd_golden)

    p = sub.add_parser("evaluate-model", help="score an exported model folder (model.onnx) on the test sets")
    p.add_argument("--model-dir", required=True, help="e.g. models/triagenet/2.0.0")
    p.add_argument("--data", default=data_default)
    p.add_argument("--external", default=_if_present(DEFAULT_EXTERNAL_TEST), help="ISIC 2018 test folder")
    p.add_argument("--cache-dir", default=str(Path(runs_default) / "cache"))
    p.add_argument("--bootstrap", type=int, default=2000)
    p.add_argument("--trained-on", default="ISIC 2017", help="what the model was trained on, for the table")
    p.add_argument("--out", required=True, help="report JSON to write")
    p.set_defaults(func=cmd_evaluate_model)

    p = sub.add_parser("quantize", help="int8 QDQ variant of an exported model, calibrated on training images")
    p.add_argument("--model-dir", required=True, help="e.g. models/triagenet/2.0.0")
    p.add_argument("--out", default=None, help="default MODEL_DIR-int8 beside it")
    p.add_argument("--data", default=data_default,
                   help="ISIC 2017 folder: its train split calibrates, its test split only scores the result")
    p.add_argument("--calibration-images", type=int, default=300, help="class-stratified training images")
    p.add_argument("--external", default=_if_present(DEFAULT_EXTERNAL_TEST),
                   help="ISIC 2018 test folder, scored like the ISIC 2017 test split ('' to skip)")
    p.add_argument("--cache-dir", default=str(Path(runs_default) / "cache"), help="preprocessed test split")
    p.add_argument("--bootstrap", type=int, default=2000, help="bootstrap resamples for the test AUC CI")
    p.add_argument("--no-evaluate", action="store_true",
                   help="only the model: no test figures, card or golden files")
    p.set_defaults(func=cmd_quantize)

    p = sub.add_parser("compare", help="Markdown/JSON comparison of evaluation reports")
    p.add_argument("reports", nargs="+", help="report.json files")
    p.add_argument("--out", default=str(repo / "models" / "comparison.md"))
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("smoke", help="1-epoch end-to-end run on a subset (real data) or --synthetic data")
    p.add_argument("--data", default=data_default)
    p.add_argument("--synthetic", action="store_true", help="generate a tiny synthetic data folder instead")
    p.add_argument("--model", default="triagenet", choices=["proposed", "lknet", "triagenet"])
    p.add_argument("--limit", type=int, default=200, help="training images (validation/test get half)")
    p.add_argument("--ham10000", default=_if_present(DEFAULT_HAM), help="HAM10000 folder mixed into training")
    p.add_argument("--external", default=_if_present(DEFAULT_EXTERNAL_TEST), help="ISIC 2018 test folder")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--keep", action="store_true")
    p.add_argument("--no-progress", dest="progress", action="store_false")
    p.set_defaults(func=cmd_smoke)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="lesion_training", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="train one model; writes OUTPUT_DIR/MODEL/{best,last}.pt, history.json")
    _add_train_args(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("verify-data", help="check the data folder against MANIFEST.tsv")
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--no-hashes", action="store_true", help="only check presence/placement, not sha256")
    p.add_argument("--ham10000", default=_if_present(DEFAULT_HAM), help="also verify HAM10000 ('' to skip)")
    p.add_argument("--external", default=_if_present(DEFAULT_EXTERNAL_TEST),
                   help="also verify the ISIC 2018 test set ('' to skip)")
    p.set_defaults(func=cmd_verify)

    _register_more(sub)

    a = ap.parse_args(argv)
    rc = a.func(a)
    return rc or 0
