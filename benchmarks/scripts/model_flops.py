"""FLOPs per image of an ONNX CNN, read from its graph, and the MatMul graph that measures this CPU's fp32 ceiling.

FLOPs = 2 x MACs (one multiply-add = 2 floating-point operations), counted for the layers that dominate:
  Conv:         MACs = C_out x H_out x W_out x (C_in / groups) x k_h x k_w
  MatMul/Gemm:  MACs = K x N (per image: a [1, K] row times a [K, N] weight)
Output shapes come from ONNX shape inference with the batch fixed to 1. Element-wise ops (normalisation,
ReLU, max-pool, BatchNorm when not folded, softmax) are left out: together they are well under 1% here.

No fp32 peak is computed here: /proc/cpuinfo in a VM shows the base/TSC clock, not the boost clock the cores run
at, and the flags do not tell how many FMA units a core has or how wide they are (Zen 4 runs AVX-512 on 256-bit
halves, Zen 5 has full 512-bit datapaths, Xeon Gold/Platinum two 512-bit FMA units, many other Intel parts one), so
a peak from a formula can be off by 2x either way. Instead, --gemm-graph writes a MatMul-only graph,
[n, n] x [n, n] fp32 with both operands graph inputs (no weights: the file is a few hundred bytes and the same on
every run); `BenchCli inference --gemm-graph` times it with the model's engine, session options and thread counts,
and its sustained GFLOP/s is the ceiling the report compares the model with.
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
from onnx import TensorProto, helper, shape_inference


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


def cpu_facts() -> dict:
    """What /proc/cpuinfo says, as reported: model name, logical CPUs, the clock it shows (in a VM the base/TSC
    clock, not the boost clock) and the SIMD/matrix flags. No peak is derived from them (see the module's doc)."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    mhz = [float(m) for m in re.findall(r"^cpu MHz\s*:\s*([\d.]+)", info, re.M)]
    flags = set(re.search(r"^flags\s*:(.*)$", info, re.M).group(1).split()) if "flags" in info else set()
    model = (re.search(r"^model name\s*:\s*(.*)$", info, re.M) or [None, "unknown"])[1]
    return {"model_name": model, "cores": os.cpu_count() or 1,
            "ghz": (sum(mhz) / len(mhz) / 1000) if mhz else None,
            "flags": sorted(f for f in flags if f.startswith(("avx", "amx", "fma")))}


def gemm_graph() -> onnx.ModelProto:
    """C = A x B, A and B [n, n] fp32 graph inputs with a symbolic n: one small, deterministic file for every size."""
    a, b, c = (helper.make_tensor_value_info(name, TensorProto.FLOAT, ["n", "n"]) for name in "ABC")
    graph = helper.make_graph([helper.make_node("MatMul", ["A", "B"], ["C"])], "gemm_ceiling", [a, b], [c])
    model = helper.make_model(graph, producer_name="lesiontriage-benchmarks",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # opset 17's IR version, as the served model has; ONNX Runtime 1.29 reads it
    onnx.checker.check_model(model)
    return model


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
    ap.add_argument("--gemm-graph", help="also write the MatMul-only graph that measures the fp32 ceiling here "
                                         "(BenchCli inference --gemm-graph)")
    args = ap.parse_args(argv)
    layers = layer_macs(Path(args.model_dir) / "model.onnx")
    macs = sum(layer["macs"] for layer in layers)
    model_file = Path(args.model_dir) / "model.onnx"
    metadata = {p.key: p.value for p in onnx.load(str(model_file)).metadata_props}
    model = {"dir": args.model_dir, "sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
             "model_name": metadata.get("model_name"), "model_version": metadata.get("model_version"),
             "architecture": metadata.get("architecture")}
    report = {"model": model, "layers": layers, "macs_per_image": macs, "gflop_per_image": 2 * macs / 1e9,
              "cpu": cpu_facts(), "lscpu": lscpu_summary()}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2))
    print(f"{2 * macs / 1e9:.3f} GFLOP per image ({macs / 1e6:.1f} M MACs)")
    if args.gemm_graph:
        Path(args.gemm_graph).parent.mkdir(parents=True, exist_ok=True)
        onnx.save(gemm_graph(), args.gemm_graph)
        print(f"MatMul graph for the fp32 ceiling: {args.gemm_graph}")


if __name__ == "__main__":
    main()
