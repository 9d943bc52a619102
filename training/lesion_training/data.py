"""Image-folder data set: split/class/*.jpg, verified against MANIFEST.tsv.

The whole data set is preprocessed once with the contract (contract.py) into a
float32 array and cached on disk, so epochs only do augmentation on tensors.
"""
from __future__ import annotations

import csv
import hashlib
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from . import contract

SPLITS = ("train", "validation", "test")
CLASSES = tuple(contract.CLASS_LABELS)  # index = label: 0 non_melanoma, 1 melanoma
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
MANIFEST_NAME = "MANIFEST.tsv"
MANIFEST_COLUMNS = ("split", "class", "file", "sha256")


class DataSetError(RuntimeError):
    """The data folder does not match its manifest."""


@dataclass(frozen=True)
class Entry:
    split: str
    cls: str
    file: str
    sha256: str

    @property
    def relpath(self) -> str:
        return f"{self.split}/{self.cls}/{self.file}"

    @property
    def label(self) -> int:
        return CLASSES.index(self.cls)


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(root) -> List[Entry]:
    path = Path(root) / MANIFEST_NAME
    if not path.is_file():
        raise DataSetError(f"{path} not found: the data folder needs a {MANIFEST_NAME} "
                           f"(columns {', '.join(MANIFEST_COLUMNS)})")
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        missing = [c for c in MANIFEST_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataSetError(f"{path}: missing column(s) {', '.join(missing)}")
        entries = []
        for n, row in enumerate(reader, start=2):
            if row["split"] not in SPLITS or row["class"] not in CLASSES:
                raise DataSetError(f"{path} line {n}: unknown split/class "
                                   f"{row['split']!r}/{row['class']!r}")
            entries.append(Entry(row["split"], row["class"], row["file"], row["sha256"].lower()))
    return entries


def write_manifest(root) -> Path:
    """Write MANIFEST.tsv for an existing split/class folder (used for new data sets and tests)."""
    root = Path(root)
    rows = []
    for split in SPLITS:
        for cls in CLASSES:
            d = root / split / cls
            if not d.is_dir():
                continue
            for p in sorted(d.iterdir()):
                if p.suffix.lower() in IMAGE_SUFFIXES:
                    rows.append((split, cls, p.name, sha256_file(p)))
    out = root / MANIFEST_NAME
    with open(out, "w", newline="") as fh:
        fh.write("\t".join(MANIFEST_COLUMNS) + "\n")
        for r in rows:
            fh.write("\t".join(r) + "\n")
    return out


def manifest_sha256(root) -> str:
    return sha256_file(Path(root) / MANIFEST_NAME)


def verify(root, splits: Sequence[str] = SPLITS, check_hashes: bool = True,
           max_report: int = 20) -> Dict[str, int]:
    """Check the folder against its manifest; raise DataSetError listing the problems.

    Detects: missing files, files whose sha256 differs (corrupt or replaced),
    files on disk that the manifest does not list, and files sitting in the
    wrong split/class folder (mixed-up labels). Returns counts per split/class.
    """
    root = Path(root)
    if not root.is_dir():
        raise DataSetError(f"data folder {root} does not exist")
    entries = [e for e in read_manifest(root) if e.split in splits]
    by_name = {}
    for e in entries:
        by_name.setdefault(e.file, []).append(e)
    expected = {e.relpath: e for e in entries}
    on_disk = set()
    for split in splits:
        sdir = root / split
        if not sdir.is_dir():
            continue
        for cdir in sorted(sdir.iterdir()):
            if not cdir.is_dir():
                continue
            for p in cdir.iterdir():
                if p.suffix.lower() in IMAGE_SUFFIXES:
                    on_disk.add(f"{split}/{cdir.name}/{p.name}")
    problems: List[str] = []
    for rel in sorted(on_disk - set(expected)):
        name = rel.rsplit("/", 1)[1]
        if name in by_name:
            want = ", ".join(e.relpath for e in by_name[name])
            problems.append(f"{rel}: in the wrong folder, the manifest puts it at {want}")
        else:
            problems.append(f"{rel}: not listed in {MANIFEST_NAME}")
    counts: Dict[str, int] = {}
    for rel, e in sorted(expected.items()):
        if rel not in on_disk:
            problems.append(f"{rel}: missing")
            continue
        if check_hashes and sha256_file(root / rel) != e.sha256:
            problems.append(f"{rel}: sha256 differs from {MANIFEST_NAME} (corrupt or replaced file)")
            continue
        key = f"{e.split}/{e.cls}"
        counts[key] = counts.get(key, 0) + 1
    if problems:
        shown = "\n  ".join(problems[:max_report])
        more = f"\n  ... and {len(problems) - max_report} more" if len(problems) > max_report else ""
        raise DataSetError(f"data folder {root} does not match {MANIFEST_NAME}: "
                           f"{len(problems)} problem(s)\n  {shown}{more}\n"
                           "Refusing to use it; restore the folder or regenerate the manifest on purpose.")
    return counts


def select_entries(entries: Sequence[Entry], limit: Optional[int], seed: int = 0) -> List[Entry]:
    """Deterministic class-stratified subset of at most `limit` entries (None: all)."""
    entries = sorted(entries, key=lambda e: e.relpath)
    if limit is None or limit >= len(entries):
        return list(entries)
    rng = random.Random(seed)
    out: List[Entry] = []
    for cls in CLASSES:
        group = [e for e in entries if e.cls == cls]
        rng.shuffle(group)
        k = max(1, round(limit * len(group) / len(entries))) if group else 0
        out.extend(group[:k])
    return sorted(out, key=lambda e: e.relpath)


@dataclass
class SplitData:
    images: np.ndarray  # float32 [N, 3, H, W], contract output
    labels: np.ndarray  # int64 [N]
    files: List[str]

    def __len__(self):
        return len(self.labels)


def load_split(root, split: str, cache_dir=None, limit: Optional[int] = None,
               verify_first: bool = True, progress: bool = False, size=contract.INPUT_SIZE) -> SplitData:
    """Preprocess one split with the contract at `size`; cache the result keyed on manifest, contract, size."""
    size = tuple(size)
    root = Path(root)
    if verify_first:
        verify(root, splits=(split,))
    entries = select_entries([e for e in read_manifest(root) if e.split == split], limit)
    key = hashlib.sha256(("\n".join(f"{e.relpath}\t{e.sha256}" for e in entries)
                          + contract.cache_key_text(size)).encode()).hexdigest()[:16]
    cache_file = Path(cache_dir) / f"{split}-{key}.npz" if cache_dir else None
    if cache_file is not None and cache_file.is_file():
        z = np.load(cache_file)
        return SplitData(z["images"], z["labels"], [e.relpath for e in entries])
    it = entries
    if progress:
        from tqdm import tqdm
        it = tqdm(entries, desc=f"preprocess {split}", unit="img")
    images = np.stack([contract.preprocess_file(root / e.relpath, size) for e in it]) if entries \
        else np.zeros((0, 3) + size, np.float32)
    labels = np.array([e.label for e in entries], dtype=np.int64)
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".tmp{os.getpid()}.npz")
        np.savez(tmp, images=images, labels=labels)
        os.replace(tmp, cache_file)
    return SplitData(images, labels, [e.relpath for e in entries])


def class_weights(labels: np.ndarray, n_classes: int = len(CLASSES)) -> np.ndarray:
    """Inverse-frequency weights N / (K * n_k): the loss of each class counts equally."""
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    counts[counts == 0] = 1.0
    return (len(labels) / (n_classes * counts)).astype(np.float32)
