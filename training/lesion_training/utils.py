"""Small utilities: atomic saves, JSON, hashing."""
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
