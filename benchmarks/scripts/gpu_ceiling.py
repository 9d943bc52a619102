"""GPU inference ceiling of the served model: Python onnxruntime (CUDA, TensorRT) and PyTorch, fp32 and fp16.

For a machine with an NVIDIA GPU (no JDK needed). The input stays on the GPU (ONNX Runtime I/O binding,
a CUDA tensor for PyTorch), so the figures are the model's compute ceiling, without host-to-device copies.
The PyTorch network has the served architecture (read off the ONNX graph) and random weights: speed does
not depend on the weight values.

  /usr/bin/python3 benchmarks/scripts/gpu_ceiling.py --model-dir models/triagenet/2.0.0 --out gpu-ceiling.json

Exit status 3 when there is no GPU (or nothing that can use it); --allow-cpu runs PyTorch on the CPU instead,
only to check this script.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

NO_GPU = 3


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", default="models/triagenet/2.0.0")
    ap.add_argument("--batches", default=",".join(str(2 ** i) for i in range(11)), help="default 1,2,4,...,1024")
    ap.add_argument("--precisions", default="fp32,fp16")
    ap.add_argument("--engines", default="ort-cuda,ort-tensorrt,torch")
    ap.add_argument("--warmup-s", type=float, default=1.0)
    ap.add_argument("--measure-s", type=float, default=2.0)
    ap.add_argument("--min-runs", type=int, default=5)
    ap.add_argument("--out", default="gpu-ceiling.json")
    ap.add_argument("--allow-cpu", action="store_true", help="run PyTorch on the CPU to test the script")
    args = ap.parse_args(argv)
    args.batches = [int(b) for b in args.batches.split(",")]
    args.precisions = args.precisions.split(",")
    args.engines = args.engines.split(",")
    unknown = set(args.precisions) - {"fp32", "fp16"} | set(args.engines) - {"ort-cuda", "ort-tensorrt", "torch"}
    if unknown:
        ap.error(f"unknown precision/engine: {', '.join(sorted(unknown))}")
    return args


def timed(run, sync, batch: int, warmup_s: float, measure_s: float, min_runs: int) -> dict:
    end, runs = time.perf_counter() + warmup_s, 0
    while runs < 3 or time.perf_counter() < end:
        run()
        runs += 1
    sync()
    millis = []
    start = time.perf_counter()
    while len(millis) < min_runs or time.perf_counter() < start + measure_s:
        t0 = time.perf_counter()
        run()
        sync()
        millis.append((time.perf_counter() - t0) * 1000)
    seconds = time.perf_counter() - start
    millis.sort()
    return {"batch": batch, "runs": len(millis), "images_per_s": batch * len(millis) / seconds,
            "median_ms": millis[len(millis) // 2], "min_ms": millis[0]}


def torch_rows(args, device: str) -> list[dict]:
    import torch
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from torch_bench import architecture, build
    torch.backends.cudnn.benchmark = True
    rows = []
    onnx_file = Path(args.model_dir) / "model.onnx"
    base = build(architecture(onnx_file), onnx_file).to(device)
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    for precision in args.precisions:
        if precision == "fp16" and device == "cpu":
            continue  # fp16 convolutions are a GPU feature; on the CPU they would time an emulation
        net = base.half() if precision == "fp16" else base.float()
        dtype = torch.float16 if precision == "fp16" else torch.float32
        for batch in args.batches:
            x = torch.rand(batch, 3, 128, 128, device=device, dtype=dtype)
            with torch.inference_mode():
                r = timed(lambda: net(x), sync, batch, args.warmup_s, args.measure_s, args.min_runs)
            rows.append({"engine": f"torch-{device}", "precision": precision, **r})
            print_row(rows[-1])
    return rows


def ort_rows(args, ort, engine: str) -> list[dict]:
    provider = {"ort-cuda": "CUDAExecutionProvider", "ort-tensorrt": "TensorrtExecutionProvider"}[engine]
    if provider not in ort.get_available_providers():
        print(f"{engine}: skipped, this onnxruntime has no {provider} ({ort.get_available_providers()})")
        return []
    rows = []
    model = str(Path(args.model_dir) / "model.onnx")
    for precision in args.precisions:
        if engine == "ort-cuda" and precision == "fp16":
            # The CUDA provider runs the graph's own types: fp16 would need a converted model; TensorRT
            # converts by itself (trt_fp16_enable), so fp16 is measured there.
            print("ort-cuda fp16: skipped (needs an fp16 model; see ort-tensorrt fp16)")
            continue
        options = {"device_id": 0}
        if engine == "ort-tensorrt":
            options = {"device_id": 0, "trt_fp16_enable": precision == "fp16", "trt_engine_cache_enable": True,
                       "trt_engine_cache_path": str(Path(args.out).with_suffix("")) + "-trt-cache"}
        runner = ort.InferenceSession(model, providers=[(provider, options), "CPUExecutionProvider"])
        input_name, output_name = runner.get_inputs()[0].name, runner.get_outputs()[0].name
        for batch in args.batches:
            x = ort.OrtValue.ortvalue_from_numpy(np.random.rand(batch, 3, 128, 128).astype(np.float32), "cuda", 0)
            binding = runner.io_binding()
            binding.bind_ortvalue_input(input_name, x)
            binding.bind_output(output_name, "cuda", 0)
            r = timed(lambda: runner.run_with_iobinding(binding), binding.synchronize_outputs, batch,
                      args.warmup_s, args.measure_s, args.min_runs)
            rows.append({"engine": engine, "precision": precision, **r})
            print_row(rows[-1])
    return rows


def print_header():
    print(f"{'engine':<14} {'prec':<5} {'batch':>6} {'runs':>5} {'images/s':>12} {'median ms':>10}")


def print_row(r: dict):
    print(f"{r['engine']:<14} {r['precision']:<5} {r['batch']:>6} {r['runs']:>5} {r['images_per_s']:>12.1f} "
          f"{r['median_ms']:>10.3f}")


def gpu_name() -> str | None:
    try:
        import torch
        if torch.cuda.is_available():
            return torch.cuda.get_device_name(0)
    except ImportError:
        pass
    return None


def main(argv=None) -> int:
    args = parse_args(argv)
    if not (Path(args.model_dir) / "model.onnx").exists():
        print(f"No model at {Path(args.model_dir) / 'model.onnx'} (pass --model-dir)", file=sys.stderr)
        return 2
    try:
        import onnxruntime as ort
    except ImportError:
        ort = None
    gpu = gpu_name()
    ort_gpu = ort is not None and any(p in ort.get_available_providers()
                                      for p in ("CUDAExecutionProvider", "TensorrtExecutionProvider"))
    if not gpu and not ort_gpu and not args.allow_cpu:
        print("No NVIDIA GPU here: PyTorch sees no CUDA device and "
              + ("onnxruntime is not installed" if ort is None else
                 f"onnxruntime has only {ort.get_available_providers()}")
              + ". Run this on a GPU machine (onnxruntime-gpu and a CUDA PyTorch), or pass --allow-cpu to test "
                "the script with PyTorch on the CPU.", file=sys.stderr)
        return NO_GPU
    print(f"GPU: {gpu or 'none'}; onnxruntime: {ort.__version__ if ort else 'not installed'}")
    print_header()
    rows = []
    for engine in args.engines:
        if engine == "torch":
            rows += torch_rows(args, "cuda" if gpu else "cpu")
        elif ort is None:
            print(f"{engine}: skipped, onnxruntime is not installed")
        elif ort_gpu:
            rows += ort_rows(args, ort, engine)
    Path(args.out).write_text(json.dumps({"gpu": gpu, "onnxruntime": ort.__version__ if ort else None,
                                          "input_on_device": True, "rows": rows}, indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
