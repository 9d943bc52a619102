"""Training step time on this CPU: fp32 vs bf16 autocast, glibc's default malloc vs large thresholds.

    /usr/bin/python3 training/tools/step_time.py [--model triagenet] [--threads 2] [--steps 14]
    /usr/bin/python3 training/tools/step_time.py --model mobilenet_v2 --width 0.35 --sizes 128,160,192,224

With --sizes: fp32 vs bf16 at each input size, all with the large malloc thresholds (as training/cli.sh runs).
A model that trains in channels-last layout (mobilenet_v2) is timed in it, as train.py runs it.

Each variant runs in its own process (the malloc thresholds only act when set before the process starts) and
prints the median of the step times after a warm-up; the table is printed at the end. Compare the rows of one
run only: the machine's other load shifts all of them.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

MALLOC = {"MALLOC_MMAP_THRESHOLD_": "17179869184", "MALLOC_TRIM_THRESHOLD_": "17179869184"}


def _clamp_relu6(net) -> None:
    import torch

    class Clamp6(torch.nn.Module):
        def forward(self, x):
            return torch.clamp(x, 0.0, 6.0)
    for parent in list(net.modules()):
        for name, child in parent.named_children():
            if isinstance(child, torch.nn.ReLU6):
                setattr(parent, name, Clamp6())


def one(model: str, threads: int, steps: int, bf16: bool, size: int = 128, width: float = 0.35) -> float:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import torch
    import torch.nn.functional as F
    from lesion_training import models, presets
    torch.set_num_threads(threads)
    net = models.build_model(model, True, 0.2 if model == "mobilenet_v2" else 0.5,
                             "gap" if model == "triagenet" else "flatten",
                             "none" if model in ("proposed", "lknet") else "shades_of_gray",
                             image_size=size, width=width)
    channels_last = getattr(net, "channels_last", False)
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
    if bf16 and not getattr(net, "bf16_training", True):
        _clamp_relu6(net)  # ReLU6 has no bf16 backward (PyTorch 1.13): the same function as a clamp, to time it
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    augment = presets.BatchAugment()
    x, y = torch.rand(32, 3, size, size), torch.randint(0, 2, (32,))
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            xa = augment(x)
            logits = net(xa.contiguous(memory_format=torch.channels_last) if channels_last else xa)
        loss = F.cross_entropy(logits.float(), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
    times = sorted(times[3:])
    return times[len(times) // 2] * 1000


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="triagenet")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=14)
    ap.add_argument("--width", type=float, default=0.35, help="mobilenet_v2's width")
    ap.add_argument("--sizes", default=None, help="input sides to compare, e.g. 128,160,192,224")
    ap.add_argument("--one", choices=("fp32", "bf16"), help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, default=128, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.one:
        print(f"{one(a.model, a.threads, a.steps, a.one == 'bf16', a.size, a.width):.1f}")
        return 0
    if a.sizes:
        return by_size(a)
    rows = []
    for precision in ("fp32", "bf16"):
        for malloc in (False, True):
            env = {k: v for k, v in os.environ.items() if k not in MALLOC}
            if malloc:
                env.update(MALLOC)
            out = subprocess.run([sys.executable, __file__, "--model", a.model, "--threads", str(a.threads),
                                  "--steps", str(a.steps), "--one", precision], env=env, capture_output=True,
                                 text=True, check=True).stdout.strip().splitlines()[-1]
            rows.append((precision, "large thresholds" if malloc else "glibc default", float(out)))
    base = rows[0][2]
    print(f"{a.model}, batch 32, 128 px, {a.threads} thread(s): median ms per training step")
    print("| precision | malloc | ms/step | speed-up |\n|---|---|---:|---:|")
    for precision, malloc, ms in rows:
        print(f"| {precision} | {malloc} | {ms:.0f} | {base / ms:.2f}x |")
    return 0


def by_size(a) -> int:
    env = {**os.environ, **MALLOC, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}  # as cli.sh
    rows = []
    for size in (int(v) for v in a.sizes.split(",")):
        ms = {}
        for precision in ("fp32", "bf16"):
            out = subprocess.run([sys.executable, __file__, "--model", a.model, "--threads", str(a.threads),
                                  "--steps", str(a.steps), "--width", str(a.width), "--size", str(size),
                                  "--one", precision], env=env, capture_output=True, text=True,
                                 check=True).stdout.strip().splitlines()[-1]
            ms[precision] = float(out)
            print(f"{size} px {precision}: {ms[precision]:.0f} ms", file=sys.stderr, flush=True)
        rows.append((size, ms["fp32"], ms["bf16"]))
    name = a.model + (f" x{a.width:g}" if a.model == "mobilenet_v2" else "")
    print(f"{name}, batch 32, {a.threads} thread(s), large malloc thresholds: median s per training step "
          f"(after 3 warm-up steps of {a.steps})")
    print("| input | fp32 s/step | bf16 autocast s/step | bf16 speed-up |\n|---|---:|---:|---:|")
    for size, fp32, bf16 in rows:
        print(f"| {size} px | {fp32 / 1000:.2f} | {bf16 / 1000:.2f} | {fp32 / bf16:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
