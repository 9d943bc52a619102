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

# options of more than one command that are fields of TrainConfig: declared by the field, defaults here
TRAIN_CONFIG_SHARED = ("data", "ham10000", "cache_dir", "threads")


def _if_present(folder: Path):
    return str(folder) if (folder / "MANIFEST.tsv").is_file() else None


def _folder_or_none(v: str):
    return v or None


def _shared_parents() -> dict:
    """One parent parser per option that several commands take; each option is declared here once."""
    from .train import TrainConfig
    defaults = {"data": DEFAULT_DATA, "ham10000": _if_present(DEFAULT_HAM),
                "cache_dir": str(Path(DEFAULT_RUNS) / "cache")}
    parents = {name: config_args.parent_parser(TrainConfig, (name,), defaults) for name in TRAIN_CONFIG_SHARED}

    def parent(*flags, **kwargs):
        p = argparse.ArgumentParser(add_help=False)
        p.add_argument(*flags, **kwargs)
        return p

    parents["external"] = parent(
        "--external", type=_folder_or_none, default=_if_present(DEFAULT_EXTERNAL_TEST),
        help="ISIC 2018 test folder, the external test set; '' to skip (default: %(default)s)")
    parents["bootstrap"] = parent("--bootstrap", type=int, default=2000,
                                  help="bootstrap resamples for the test AUC's 95%% CI (default: %(default)s)")
    parents["model_dir"] = parent("--model-dir", required=True, help="exported model folder, e.g. "
                                                                      "models/triagenet/2.0.0")
    parents["run"] = parent("--run", required=True, help="training run folder (best.pt, eval/), e.g. runs/proposed")
    parents["progress"] = parent("--no-progress", dest="progress", action="store_false",
                                 help="plain log lines instead of the progress bar")
    return parents


def _print_export(e: dict):
    print(f"exported {e['onnx_path']} ({e['bytes'] / 1e6:.1f} MB, sha256 {e['sha256']}); golden: "
          f"{len(e['golden']['index']['entries'])} images, ONNX vs PyTorch max diff "
          f"{e['golden']['onnx_vs_torch_max_abs_diff']:.1e}")


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
    r = evaluate(run / "best.pt", a.data, out, a.cache_dir, limit=a.limit, n_boot=a.bootstrap,
                 external_root=a.external, tta=a.tta)
    print(f"{r['architecture']}: threshold {r['threshold']:.4f}, temperature {r['temperature']:.3f}")
    for name, t in r["test_sets"].items():
        print(f"  {name}: AUC {t['auc']:.3f} ({t['auc_ci'][0]:.3f}-{t['auc_ci'][1]:.3f}), sensitivity "
              f"{t['sensitivity']:.3f} specificity {t['specificity']:.3f}; ECE {t['ece_uncalibrated']:.3f} -> "
              f"{t['ece']:.3f}")
    print(f"report: {out / 'report.md'}")


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
    r = write_model_report(a.out, a.model_dir, a.data, a.external, a.cache_dir, n_boot=a.bootstrap,
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
    r = quantize.evaluate_variant(a.model_dir, out, a.data, summary, a.cache_dir, a.external, n_boot=a.bootstrap)
    for name, t in r["test_sets"].items():
        print(f"{name} (NumPy evaluation of the QDQ graph): AUC {t['auc']:.4f}, sensitivity "
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


def build_parser() -> argparse.ArgumentParser:
    from .train import TrainConfig
    sh = _shared_parents()
    ap = argparse.ArgumentParser(prog="lesion_training", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)

    def command(name, func, shared, help, description=None):
        p = sub.add_parser(name, parents=[sh[s] for s in shared], help=help, description=description)
        p.set_defaults(func=func)
        return p

    p = command("train", cmd_train, ("data", "ham10000", "cache_dir", "threads", "progress"),
                help="train one model; writes OUTPUT_DIR/MODEL/{best,last}.pt, history.json",
                description="Trains on the train split of --data (plus --ham10000); the validation split of --data "
                            "selects the checkpoint.")
    config_args.add_arguments(p, TrainConfig, {"output_dir": DEFAULT_RUNS}, skip=TRAIN_CONFIG_SHARED)
    p.add_argument("--resume", default=None, help="continue from a last.pt checkpoint")

    p = command("verify-data", cmd_verify, ("data", "ham10000", "external"),
                help="check the data folder against MANIFEST.tsv",
                description="Checks --data against its MANIFEST.tsv, and also --ham10000 and --external when given "
                            "('' skips them).")
    p.add_argument("--no-hashes", action="store_true", help="only check presence/placement, not sha256")

    p = command("evaluate", cmd_evaluate, ("run", "data", "cache_dir", "bootstrap", "external"),
                help="evaluate RUN/best.pt on the test split; writes RUN/eval/")
    p.add_argument("--out", default=None, help="report folder (default: RUN/eval)")
    p.add_argument("--limit", type=int, default=None, help="stratified subset per split (smoke tests)")
    p.add_argument("--tta", type=int, choices=(1, 2, 4), default=None,
                   help="evaluate with this many flipped views instead of the run's (an ablation)")

    p = command("export", cmd_export, ("run",),
                help="ONNX + metadata + golden files + model card into models/NAME/VERSION/")
    p.add_argument("--report", default=None, help="default RUN/eval/report.json")
    p.add_argument("--version", default=__version__)
    p.add_argument("--out", default=None, help="default models/NAME/VERSION")
    p.add_argument("--comparison", default=None, help="default models/comparison.json (from compare)")
    p.add_argument("--note", default="", help="free text about how the run was done, added to the card")
    p.add_argument("--docs-card", default=None, help="also write the docs model card here (docs/model-card.md)")
    p.add_argument("--notes", default=None, help="Markdown file with how the model was made (what was tried, "
                                                 "ablations), added to both cards")

    p = command("golden", cmd_golden, ("model_dir",),
                help="regenerate (or --check) the golden files of an exported model")
    p.add_argument("--run", default=None, help="run folder whose best.pt was exported (to regenerate)")
    p.add_argument("--check", action="store_true", help="only verify tensors and probabilities (NumPy ONNX)")

    p = command("evaluate-model", cmd_evaluate_model, ("model_dir", "data", "external", "cache_dir", "bootstrap"),
                help="score an exported model folder (model.onnx) on the test sets")
    p.add_argument("--trained-on", default="ISIC 2017", help="what the model was trained on, for the table")
    p.add_argument("--out", required=True, help="report JSON to write")

    p = command("quantize", cmd_quantize, ("model_dir", "data", "external", "cache_dir", "bootstrap"),
                help="int8 QDQ variant of an exported model, calibrated on training images",
                description="The train split of --data calibrates the activation ranges; its test split and "
                            "--external only score the result (preprocessed into --cache-dir).")
    p.add_argument("--out", default=None, help="default MODEL_DIR-int8 beside it")
    p.add_argument("--calibration-images", type=int, default=300, help="class-stratified training images")
    p.add_argument("--no-evaluate", action="store_true",
                   help="only the model: no test figures, card or golden files")

    p = command("compare", cmd_compare, (), help="Markdown/JSON comparison of evaluation reports")
    p.add_argument("reports", nargs="+", help="report.json files")
    p.add_argument("--out", default=str(MODELS_DIR / "comparison.md"))

    p = command("smoke", cmd_smoke, ("data", "ham10000", "external", "threads", "progress"),
                help="1-epoch end-to-end run on a subset (real data) or --synthetic data",
                description="Trains on a subset of --data (plus --ham10000), evaluates (plus --external), exports "
                            "and checks the golden files, in a temporary folder.")
    p.add_argument("--synthetic", action="store_true", help="generate a tiny synthetic data folder instead")
    p.add_argument("--model", default="triagenet", choices=["proposed", "lknet", "triagenet"])
    p.add_argument("--limit", type=int, default=200, help="training images (validation/test get half)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    return ap


def main(argv=None):
    a = build_parser().parse_args(argv)
    rc = a.func(a)
    return rc or 0
