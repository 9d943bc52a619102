"""Training step time on this CPU: fp32 vs bf16 autocast, glibc's default malloc vs large thresholds.

    /usr/bin/python3 training/tools/step_time.py [--model triagenet] [--threads 2] [--steps 14]

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


def one(model: str, threads: int, steps: int, bf16: bool) -> float:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import torch
    import torch.nn.functional as F
    from lesion_training import models, presets
    torch.set_num_threads(threads)
    net = models.build_model(model, True, 0.5, "gap" if model == "triagenet" else "flatten",
                             "shades_of_gray" if model == "triagenet" else "none")
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    augment = presets.BatchAugment()
    x, y = torch.rand(32, 3, 128, 128), torch.randint(0, 2, (32,))
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = net(augment(x))
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
    ap.add_argument("--one", choices=("fp32", "bf16"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.one:
        print(f"{one(a.model, a.threads, a.steps, a.one == 'bf16'):.1f}")
        return 0
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


if __name__ == "__main__":
    sys.exit(main())
