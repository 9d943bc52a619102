"""Small utilities: atomic saves, JSON, hashing, what the CPU computes natively."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import torch


def save_atomic(obj, path):
    path = Path(path)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def write_json(path, obj):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "w") as fh:
        json.dump(obj, fh, indent=2, sort_keys=False)
        fh.write("\n")
    os.replace(tmp, path)


def read_json(path):
    with open(path) as fh:
        return json.load(fh)


def sha256_bytes(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def sha256_path(path) -> str:
    return sha256_bytes(Path(path).read_bytes())


# CPU features that run bfloat16 arithmetic natively; without them PyTorch emulates bf16 in fp32 and is slower
NATIVE_BF16_FLAGS = ("avx512_bf16", "amx_bf16")


def cpu_flags(cpuinfo: str = None) -> set:
    """The feature flags of /proc/cpuinfo (empty where there is none)."""
    if cpuinfo is None:
        path = Path("/proc/cpuinfo")
        cpuinfo = path.read_text() if path.exists() else ""
    line = next((ln for ln in cpuinfo.splitlines() if ln.startswith("flags")), "")
    return set(line.partition(":")[2].split())


def use_bf16(precision: str, flags: set = None) -> bool:
    """precision auto|bf16|fp32: auto turns bf16 autocast on only where the CPU computes bf16 natively."""
    if precision == "auto":
        return bool(set(NATIVE_BF16_FLAGS) & (cpu_flags() if flags is None else flags))
    return precision == "bf16"
