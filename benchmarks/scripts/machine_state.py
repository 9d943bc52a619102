"""Is the machine quiet? CPU busy over a short sample, load average and the busiest processes, as JSON."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path


def _ticks():
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields), fields[3] + fields[4]


def _without_paths(ps_line: str) -> str:
    """'12.3 /usr/bin/python3 -m pkg --dir /x/y' -> '12.3 python3 -m pkg --dir': no machine paths in reports."""
    pcpu, *argv = ps_line.split()
    words = [Path(argv[0]).name] + [w for w in argv[1:8] if "/" not in w and "=" not in w] if argv else []
    return f"{pcpu}% {' '.join(words)}"


def _cpu() -> str:
    """'2-core Intel(R) Xeon(R) Processor': which machine ran, for results measured on their own later."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    return f"{os.cpu_count()}-core {model}"


def sample(seconds: float = 2.0) -> dict:
    total0, idle0 = _ticks()
    time.sleep(seconds)
    total1, idle1 = _ticks()
    busy = 1 - (idle1 - idle0) / max(1, total1 - total0)
    top = subprocess.run(["ps", "-eo", "pcpu,args", "--sort=-pcpu"], capture_output=True, text=True).stdout
    top = [_without_paths(line) for line in top.splitlines()[1:6]]
    return {"busy_fraction": round(busy, 3), "loadavg": Path("/proc/loadavg").read_text().split()[:3],
            "top_processes": top, "at": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "cpu": _cpu()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--commit", help="the commit measured, recorded with the state (bin/bench --only)")
    args = ap.parse_args(argv)
    state = sample(args.seconds)
    if args.commit:
        state["commit"] = args.commit
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(state, indent=2))
    print(f"machine busy {state['busy_fraction'] * 100:.0f}% over {args.seconds:.1f} s, load {state['loadavg']}")


if __name__ == "__main__":
    main()
