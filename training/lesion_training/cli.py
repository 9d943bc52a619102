"""Command line: python3 -m lesion_training <command> [options] (training/cli.sh runs it from anywhere).

Commands: train, evaluate, export, golden, compare, smoke, verify-data, quantize.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from . import __version__, config_args

# Defaults are relative to the repository root (the folder above training/), wherever the command runs.
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = str(REPO_ROOT / ".." / "shared" / "data" / "isic")
DEFAULT_RUNS = str(REPO_ROOT / "runs")
DEFAULT_HAM = REPO_ROOT / ".." / "shared" / "data" / "ham10000"
DEFAULT_EXTERNAL_TEST = REPO_ROOT / ".." / "shared" / "data" / "isic2018-test"
MODELS_DIR = REPO_ROOT / "models"


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
                v = sources.verify_folder(source, root)
                print(f"OK: {v['images']} {source} files ({v['melanoma']} melanoma) match "
                      f"{root}/MANIFEST.tsv (sha256 {v['manifest_sha256']})")
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


def _print_export(e: dict):
    print(f"exported {e['onnx_path']} ({e['bytes'] / 1e6:.1f} MB, sha256 {e['sha256']}); golden: "
          f"{len(e['golden']['index']['entries'])} images, ONNX vs PyTorch max diff "
          f"{e['golden']['onnx_vs_torch_max_abs_diff']:.1e}")


def cmd_export(a):
    from . import export
    run = Path(a.run)
    report = Path(a.report) if a.report else run / "eval" / "report.json"
    out = Path(a.out) if a.out else export.default_out_dir(report, MODELS_DIR, a.version)
    comparison = Path(a.comparison) if a.comparison else MODELS_DIR / "comparison.json"
    notes = Path(a.notes).read_text() if a.notes else ""
    _print_export(export.export_model(run, report, out, a.version, docs_card=a.docs_card, comparison=comparison,
                                      note=a.note, notes_md=notes))


def cmd_golden(a):
    from . import golden
    folder = Path(a.model_dir)
    if a.check:
        r = golden.check_golden(folder / "golden", folder / "model.onnx")
        print(f"golden OK: {r}")
        return 0
    try:
        g = golden.regenerate(folder, a.run)
    except golden.GoldenError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 2
    print(f"wrote {len(g['index']['entries'])} golden entries; ONNX vs PyTorch {g['onnx_vs_torch_max_abs_diff']:.1e}")


def cmd_evaluate_model(a):
    from .evaluate import write_model_report
    r = write_model_report(a.out, a.model_dir, a.data, a.external or None, a.cache_dir or None, n_boot=a.bootstrap,
                           trained_on=a.trained_on)
    for name, t in r["test_sets"].items():
        print(f"{r['model']} {r['version']} {name}: AUC {t['auc']:.3f} ({t['auc_ci'][0]:.3f}-{t['auc_ci'][1]:.3f}), "
              f"sensitivity {t['sensitivity']:.3f} specificity {t['specificity']:.3f}, ECE {t['ece']:.3f}")
    print(f"report: {a.out}")


def cmd_quantize(a):
    from . import quantize
    out = Path(a.out) if a.out else quantize.variant_dir(a.model_dir)
    summary = quantize.quantize_folder(a.model_dir, out, a.data, a.calibration_images)
    print(f"wrote {out / 'model.onnx'}: {len(summary['quantized_nodes'])} nodes quantised, "
          f"{summary['quantized_tensors']} activation tensors, calibrated on {summary['calibration_images']} "
          "training images")
    if a.no_evaluate:
        return
    t = quantize.evaluate_variant(a.model_dir, out, a.data, summary, a.cache_dir or None, n_boot=a.bootstrap)["test"]
    print(f"ISIC 2017 test (NumPy evaluation of the QDQ graph): AUC {t['auc']:.4f}, sensitivity "
          f"{t['sensitivity']:.4f} specificity {t['specificity']:.4f}")
    g = quantize.write_variant_golden(out)
    print(f"wrote {len(g['entries'])} golden entries (probabilities of the QDQ graph, NumPy evaluator)")


def cmd_compare(a):
    from . import card, utils
    c = card.write_comparison([utils.read_json(p) for p in a.reports], a.out)
    print(c["versions"])
    print(c["table"])
    print(c["claim"])


def cmd_smoke(a):
    """1-epoch training on a small subset, evaluation, export, golden check: end to end in a temp dir."""
    from . import smoke
    tmp = Path(tempfile.mkdtemp(prefix="lesion-smoke-"))
    try:
        r = smoke.run(tmp, a.data, synthetic_data=a.synthetic, model=a.model, limit=a.limit, ham10000=a.ham10000,
                      external=a.external, threads=a.threads, progress=a.progress)
        _print_export(r["export"])
        print(f"smoke OK: val AUC {r['train']['best_val_auc']:.3f}, test-subset AUC "
              f"{r['evaluation']['test']['auc']:.3f}, golden {r['golden']}")
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
    p.add_argument("--cache-dir", default=str(Path(runs_default) / "cache"), help="preprocessed test split")
    p.add_argument("--bootstrap", type=int, default=2000, help="bootstrap resamples for the test AUC CI")
    p.add_argument("--no-evaluate", action="store_true",
                   help="only the model: no test figures, card or golden files")
    p.set_defaults(func=cmd_quantize)

    p = sub.add_parser("compare", help="Markdown/JSON comparison of evaluation reports")
    p.add_argument("reports", nargs="+", help="report.json files")
    p.add_argument("--out", default=str(MODELS_DIR / "comparison.md"))
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
