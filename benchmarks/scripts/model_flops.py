"""FLOPs per image of an ONNX CNN, read from its graph, and this CPU's fp32 peak.

FLOPs = 2 x MACs (one multiply-add = 2 floating-point operations), counted for the layers that dominate:
  Conv:         MACs = C_out x H_out x W_out x (C_in / groups) x k_h x k_w
  MatMul/Gemm:  MACs = K x N (per image: a [1, K] row times a [K, N] weight)
Output shapes come from ONNX shape inference with the batch fixed to 1. Element-wise ops (normalisation,
ReLU, max-pool, BatchNorm when not folded, softmax) are left out: together they are well under 1% here.

Peak fp32 = cores x GHz x FMA units per core x fp32 lanes per FMA x 2 (an FMA is 2 FLOPs).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import onnx
from onnx import shape_inference


def _shapes(model: onnx.ModelProto) -> dict[str, list[int]]:
    graph_input = model.graph.input[0]
    graph_input.type.tensor_type.shape.dim[0].dim_value = 1
    inferred = shape_inference.infer_shapes(model)
    shapes = {}
    for value in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        shapes[value.name] = [d.dim_value for d in value.type.tensor_type.shape.dim]
    for init in model.graph.initializer:
        shapes[init.name] = list(init.dims)
    return shapes


def layer_macs(model_path: Path) -> list[dict]:
    model = onnx.load(str(model_path))
    shapes = _shapes(model)
    layers = []
    for node in model.graph.node:
        if node.op_type == "Conv":
            c_out, c_in_per_group, kh, kw = shapes[node.input[1]]
            _, _, h_out, w_out = shapes[node.output[0]]
            macs = c_out * h_out * w_out * c_in_per_group * kh * kw
            layers.append({"op": "Conv", "shape": f"{c_in_per_group}->{c_out} {kh}x{kw} @ {h_out}x{w_out}",
                           "macs": macs})
        elif node.op_type in ("MatMul", "Gemm"):
            weight = shapes[node.input[1]]
            trans_b = any(a.name == "transB" and a.i == 1 for a in node.attribute)
            k, n = (weight[1], weight[0]) if trans_b else (weight[0], weight[1])
            layers.append({"op": node.op_type, "shape": f"{k}->{n}", "macs": k * n})
    return layers


def cpu_peak() -> dict:
    """fp32 peak from /proc/cpuinfo: the clock it reports (base/TSC clock in a VM: turbo is not visible)."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    mhz = [float(m) for m in re.findall(r"^cpu MHz\s*:\s*([\d.]+)", info, re.M)]
    flags = set(re.search(r"^flags\s*:(.*)$", info, re.M).group(1).split()) if "flags" in info else set()
    model = (re.search(r"^model name\s*:\s*(.*)$", info, re.M) or [None, "unknown"])[1]
    cores = os.cpu_count() or 1
    ghz = (sum(mhz) / len(mhz) / 1000) if mhz else float("nan")
    lanes = 16 if "avx512f" in flags else 8 if "avx2" in flags else 4
    fma_units = 2  # Xeon Scalable Gold/Platinum (and Sapphire Rapids) have two 512-bit FMA ports per core
    return {"model_name": model, "cores": cores, "ghz": ghz, "fp32_lanes": lanes, "fma_units": fma_units,
            "peak_gflops": cores * ghz * fma_units * lanes * 2,
            "derivation": f"{cores} cores x {ghz:.2f} GHz (/proc/cpuinfo 'cpu MHz') x {fma_units} FMA units x "
                          f"{lanes} fp32 lanes ({'AVX-512' if lanes == 16 else 'AVX2' if lanes == 8 else 'SSE'})"
                          f" x 2 FLOPs per FMA",
            "flags": sorted(f for f in flags if f.startswith(("avx", "amx", "fma")))}


def lscpu_summary() -> dict:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    keep = ("Model name", "CPU(s)", "Thread(s) per core", "Core(s) per socket", "Socket(s)", "L2 cache",
            "L3 cache", "Hypervisor vendor", "Vendor ID", "Model")
    rows = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    return {k: rows[k].strip() for k in keep if k in rows}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", default="models/triagenet/2.0.0")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    layers = layer_macs(Path(args.model_dir) / "model.onnx")
    macs = sum(layer["macs"] for layer in layers)
    model_file = Path(args.model_dir) / "model.onnx"
    metadata = {p.key: p.value for p in onnx.load(str(model_file)).metadata_props}
    model = {"dir": args.model_dir, "sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
             "model_name": metadata.get("model_name"), "model_version": metadata.get("model_version"),
             "architecture": metadata.get("architecture")}
    report = {"model": model, "layers": layers, "macs_per_image": macs, "gflop_per_image": 2 * macs / 1e9,
              "cpu": cpu_peak(), "lscpu": lscpu_summary()}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2))
    print(f"{2 * macs / 1e9:.3f} GFLOP per image ({macs / 1e6:.1f} M MACs); CPU peak "
          f"{report['cpu']['peak_gflops']:.0f} GFLOP/s = {report['cpu']['derivation']}")


if __name__ == "__main__":
    main()
