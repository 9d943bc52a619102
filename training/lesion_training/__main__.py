"""Command line: python3 -m lesion_training <command> [options] (run from training/ or with PYTHONPATH=training).

Commands: train, evaluate, export, golden, compare, smoke, verify-data.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Defaults are relative to the repository root (the folder above training/), wherever the command runs.
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = str(REPO_ROOT / ".." / "shared" / "data" / "isic")
DEFAULT_RUNS = str(REPO_ROOT / "runs")


def _add_train_args(p: argparse.ArgumentParser):
    from .train import TrainConfig
    d = TrainConfig()
    p.add_argument("--data", default=DEFAULT_DATA, help="data folder (split/class/*.jpg + MANIFEST.tsv)")
    p.add_argument("--model", default=d.model, choices=["proposed", "lknet"])
    p.add_argument("--no-batchnorm", dest="batchnorm", action="store_false",
                   help="the plain paper architecture without BatchNorm")
    p.add_argument("--head", default=d.head, choices=["flatten", "gap"],
                   help="flatten (paper) or global average pooling before the hidden FC layer")
    p.add_argument("--dropout", type=float, default=d.dropout)
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument("--weight-decay", type=float, default=d.weight_decay)
    p.add_argument("--warmup-epochs", type=float, default=d.warmup_epochs)
    p.add_argument("--schedule", default=d.schedule, choices=["cosine", "constant"])
    p.add_argument("--balance", default=d.balance, choices=["weights", "sampler", "none"],
                   help="class imbalance: weighted loss (default), balanced sampler, or nothing")
    p.add_argument("--no-augment", dest="augment", action="store_false")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--threads", type=int, default=d.threads)
    p.add_argument("--output-dir", default=DEFAULT_RUNS, help="runs are written to OUTPUT_DIR/RUN_NAME/")
    p.add_argument("--run-name", default=None, help="run folder name (default: the model name)")
    p.add_argument("--cache-dir", default=str(Path(DEFAULT_RUNS) / "cache"),
                   help="preprocessed-tensor cache ('' to disable)")
    p.add_argument("--limit-train", type=int, default=None, help="stratified subset of the training split")
    p.add_argument("--limit-val", type=int, default=None)
    p.add_argument("--resume", default=None, help="continue from a last.pt checkpoint")
    p.add_argument("--no-progress", dest="progress", action="store_false")


def _train_config(a):
    from .train import TrainConfig
    return TrainConfig(data=a.data, model=a.model, batchnorm=a.batchnorm, head=a.head, dropout=a.dropout,
                       epochs=a.epochs,
                       batch_size=a.batch_size, lr=a.lr, weight_decay=a.weight_decay,
                       warmup_epochs=a.warmup_epochs, schedule=a.schedule, balance=a.balance,
                       augment=a.augment, seed=a.seed, threads=a.threads, output_dir=a.output_dir,
                       run_name=a.run_name, cache_dir=a.cache_dir or None, limit_train=a.limit_train,
                       limit_val=a.limit_val)


def cmd_train(a):
    from .train import train
    s = train(_train_config(a), resume=a.resume, progress=a.progress)
    print(f"best epoch {s['best_epoch']} validation AUC {s['best_val_auc']:.4f}; "
          f"{s['train_time_s']:.0f}s training")


def cmd_verify(a):
    from . import data
    try:
        counts = data.verify(a.data, check_hashes=not a.no_hashes)
    except data.DataSetError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 2
    for k, v in sorted(counts.items()):
        print(f"{k}\t{v}")
    print(f"OK: {sum(counts.values())} files match {a.data}/MANIFEST.tsv "
          f"(sha256 {data.manifest_sha256(a.data)})")
    return 0


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
    p.set_defaults(func=cmd_verify)

    try:
        from . import cli_extra
        cli_extra.register(sub)
    except ImportError:
        pass

    a = ap.parse_args(argv)
    rc = a.func(a)
    return rc or 0


if __name__ == "__main__":
    sys.exit(main())
