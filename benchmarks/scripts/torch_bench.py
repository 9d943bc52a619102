"""PyTorch eager CPU inference of the served architecture, timed like the ONNX Runtime Java benchmark.

The network is rebuilt from training/lesion_training (the architecture read off the ONNX graph: conv widths,
flatten or global-average-pool head) with random weights: checkpoints are not committed, and a dense CNN's
speed does not depend on its weight values. BatchNorm stays a separate op here (eval mode), as PyTorch eager
runs it; the ONNX export folds it into the convolutions.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import onnx
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
from lesion_training.models import ConvNet, build_from_config  # noqa: E402


def architecture(model_path: Path) -> dict:
    """Conv widths and head from the ONNX initializers: convs are the 4-d weights with a kernel wider than 1;
    the largest 2-d weight is the hidden FC, whose input is 8x8xC (flatten) or C (global average pool)."""
    model = onnx.load(str(model_path))
    channels = tuple(i.dims[0] for i in model.graph.initializer if len(i.dims) == 4 and i.dims[2] > 1)
    fc = max((list(i.dims) for i in model.graph.initializer if len(i.dims) == 2), key=lambda d: d[0] * d[1])
    side = 128 // 2 ** len(channels)
    flatten = max(fc) == channels[-1] * side * side
    return {"channels": channels, "hidden": min(fc) if flatten else fc[0] if fc[1] == channels[-1] else fc[1],
            "head": "flatten" if flatten else "gap"}


def build(arch: dict, model_path: Path = None) -> torch.nn.Module:
    """The exported network in PyTorch: from the training config in the ONNX metadata when the model has one
    (colour constancy and flipped views included), else from the shapes of its weights."""
    config = None
    if model_path is not None:
        meta = {p.key: p.value for p in onnx.load(str(model_path)).metadata_props}
        config = json.loads(meta["training_config"]) if "training_config" in meta else None
    net = build_from_config(config) if config else ConvNet(arch["channels"], arch["hidden"], 0.5, batchnorm=True,
                                                          head=arch["head"])
    return torch.nn.Sequential(net, torch.nn.Softmax(dim=1)).eval()


def measure(net, batch: int, warmup_s: float, measure_s: float, min_runs: int) -> dict:
    x = torch.rand(batch, 3, 128, 128)
    with torch.inference_mode():
        end, runs = time.perf_counter() + warmup_s, 0
        while runs < 2 or time.perf_counter() < end:
            net(x)
            runs += 1
        millis = []
        start = time.perf_counter()
        while len(millis) < min_runs or time.perf_counter() < start + measure_s:
            t0 = time.perf_counter()
            net(x)
            millis.append((time.perf_counter() - t0) * 1000)
        seconds = time.perf_counter() - start
    millis.sort()
    return {"batchSize": batch, "runs": len(millis), "seconds": seconds,
            "imagesPerSecond": batch * len(millis) / seconds, "medianMs": millis[len(millis) // 2],
            "p90Ms": millis[min(len(millis) - 1, int(0.9 * len(millis)))], "minMs": millis[0]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", default="models/triagenet/2.0.0")
    ap.add_argument("--batches", default="1,4,16,32,64,128,256")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--warmup-s", type=float, default=0.5)
    ap.add_argument("--measure-s", type=float, default=2.0)
    ap.add_argument("--min-runs", type=int, default=3)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    arch = architecture(Path(args.model_dir) / "model.onnx")
    net = build(arch, Path(args.model_dir) / "model.onnx")
    rows = []
    print(f"PyTorch {torch.__version__} eager, {arch}")
    print(f"{'thr':>4} {'batch':>6} {'runs':>5} {'images/s':>10} {'median ms':>10}")
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        for batch in [int(b) for b in args.batches.split(",")]:
            r = measure(net, batch, args.warmup_s, args.measure_s, args.min_runs)
            print(f"{threads:>4} {batch:>6} {r['runs']:>5} {r['imagesPerSecond']:>10.1f} {r['medianMs']:>10.2f}")
            rows.append({"engine": "pytorch-eager", "threads": threads, "result": r})
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"torch_version": torch.__version__, "architecture": arch,
                                          "weights": "random (speed does not depend on them)", "rows": rows},
                                         indent=2))


if __name__ == "__main__":
    main()
