"""The image sources the models learn from and are judged on, as one catalogue.

Three folders, two manifest layouts:

isic2017      ISIC 2017 part 3, split/class/file + MANIFEST.tsv (split, class, file, sha256); train,
              validation and test. Diagnoses are only melanoma vs {nevus, seborrheic keratosis}.
ham10000      HAM10000 (ISIC 2018 task 3 training), train/class/file + MANIFEST.tsv (path, sha256, label)
              and labels.tsv (isic_id, dx, lesion_id, ...). Training only.
isic2018-test ISIC 2018 task 3 test, same layout as ham10000. A test set only: never trained or tuned on.

Every image becomes an `Item` (source, split, path, sha256, label, dx, group); `group` is the lesion for
HAM10000 (several images per lesion) and the image itself elsewhere. Arrays go through the one
preprocessing contract (contract.py) whatever the image size, and are cached per list of items. For
resolution matching in training, the images whose short side is above a given one also get a degraded copy
(degrade.py: down to that short side and back up), cached beside the originals (`load_degraded_arrays`).
"""
from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from PIL import Image

from . import contract, data as data_mod, degrade

ISIC2017, HAM10000, ISIC2018_TEST = "isic2017", "ham10000", "isic2018-test"
SOURCES = (ISIC2017, HAM10000, ISIC2018_TEST)
# the diagnoses of HAM10000 / ISIC 2018 (dx column); ISIC 2017 here knows only mel vs not
DIAGNOSES = ("mel", "nv", "bkl", "bcc", "akiec", "vasc", "df")
ISIC2017_BENIGN_DX = "nv/sk"


@dataclass(frozen=True)
class Item:
    source: str
    split: str
    path: Path
    sha256: str
    label: int        # 0 non_melanoma, 1 melanoma
    dx: str
    group: str        # lesion id where known, else the image id

    @property
    def image_id(self) -> str:
        return self.path.stem


def default_roots(shared_data: Path) -> Dict[str, Path]:
    return {ISIC2017: shared_data / "isic", HAM10000: shared_data / "ham10000",
            ISIC2018_TEST: shared_data / "isic2018-test"}


def _isic2017(root: Path) -> List[Item]:
    out = []
    for e in data_mod.read_manifest(root):
        out.append(Item(ISIC2017, e.split, root / e.relpath, e.sha256, e.label,
                        "mel" if e.label == 1 else ISIC2017_BENIGN_DX, Path(e.file).stem))
    return out


def _path_manifest(root: Path, source: str) -> List[Item]:
    """MANIFEST.tsv (path, sha256, label) + labels.tsv (isic_id, dx, lesion_id)."""
    manifest = root / data_mod.MANIFEST_NAME
    if not manifest.is_file():
        raise data_mod.DataSetError(f"{manifest} not found")
    labels = {}
    labels_file = root / "labels.tsv"
    if labels_file.is_file():
        with open(labels_file, newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                labels[row["isic_id"]] = row
    out = []
    with open(manifest, newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        for n, row in enumerate(reader, start=2):
            rel = row["path"]
            if row["label"] not in data_mod.CLASSES:
                raise data_mod.DataSetError(f"{manifest} line {n}: unknown label {row['label']!r}")
            image_id = Path(rel).stem
            meta = labels.get(image_id, {})
            split = rel.split("/", 1)[0]
            out.append(Item(source, split, root / rel, row["sha256"].lower(),
                            data_mod.CLASSES.index(row["label"]), meta.get("dx") or row["label"],
                            meta.get("lesion_id") or image_id))
    return out


def catalogue(source: str, root) -> List[Item]:
    root = Path(root)
    if source == ISIC2017:
        return _isic2017(root)
    if source in (HAM10000, ISIC2018_TEST):
        return _path_manifest(root, source)
    raise ValueError(f"unknown source {source!r}; choose from {', '.join(SOURCES)}")


def verify_items(root, items: Sequence[Item], source: str) -> None:
    """Every listed file is there and has its manifest's sha256; raise DataSetError otherwise."""
    if source == ISIC2017:
        data_mod.verify(root, splits=sorted({i.split for i in items}))
        return
    problems = []
    for it in items:
        if not it.path.is_file():
            problems.append(f"{it.path}: missing")
        elif data_mod.sha256_file(it.path) != it.sha256:
            problems.append(f"{it.path}: sha256 differs from {data_mod.MANIFEST_NAME}")
    if problems:
        raise data_mod.DataSetError(f"data folder {root} does not match its manifest: {len(problems)} problem(s)\n  "
                                    + "\n  ".join(problems[:20]))


def verify_folder(source: str, root) -> dict:
    """Every file of a source folder against its manifest (sha256 included); raises DataSetError."""
    items = catalogue(source, root)
    verify_items(root, items, source)
    return {"images": len(items), "melanoma": sum(i.label for i in items), "manifest_sha256": manifest_sha256(root)}


def manifest_sha256(root) -> str:
    return data_mod.manifest_sha256(root)


@dataclass
class ItemArrays:
    items: List[Item]
    images: np.ndarray   # float32 [N, 3, H, W], contract output (128x128 unless the model's size differs)
    labels: np.ndarray   # int64 [N]

    def __len__(self):
        return len(self.labels)

    def sources(self) -> np.ndarray:
        return np.array([i.source for i in self.items])

    def dxs(self) -> np.ndarray:
        return np.array([i.dx for i in self.items])

    def subset(self, mask: np.ndarray) -> "ItemArrays":
        idx = np.flatnonzero(mask)
        return ItemArrays([self.items[i] for i in idx], self.images[idx], self.labels[idx])


def cache_key(items: Sequence[Item], size=contract.INPUT_SIZE, extra: str = "") -> str:
    """The cache key of a list of items' tensors: the items' hashes, the contract's steps and the size, plus
    `extra` for tensors made by other steps (degrade.cache_key_text)."""
    return hashlib.sha256(("\n".join(f"{i.source}/{i.split}/{i.image_id}\t{i.sha256}" for i in items)
                           + contract.cache_key_text(tuple(size)) + extra).encode()).hexdigest()[:16]


def load_arrays(items: Sequence[Item], cache_dir=None, progress: bool = False,
                size=contract.INPUT_SIZE) -> ItemArrays:
    """Preprocess items with the contract at `size` (height, width); cache keyed on the items' hashes, the
    contract's steps and the size."""
    items, size = list(items), tuple(size)
    key = cache_key(items, size)
    labels = np.array([i.label for i in items], dtype=np.int64)
    cache_file = Path(cache_dir) / f"items-{key}.npy" if cache_dir else None
    if cache_file is not None and cache_file.is_file():
        return ItemArrays(items, np.load(cache_file, mmap_mode=None), labels)
    it = items
    if progress:
        from tqdm import tqdm
        it = tqdm(items, desc="preprocess", unit="img")
    images = np.empty((len(items), 3) + size, np.float32)  # filled in place: no second copy (GBs at 224 px)
    for k, i in enumerate(it):
        images[k] = contract.preprocess_file(i.path, size)
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_name(cache_file.name + f".tmp{os.getpid()}.npy")
        np.save(tmp, images)
        os.replace(tmp, cache_file)
    return ItemArrays(items, images, labels)


@dataclass
class DegradedCopies:
    """Degraded copies of the items whose short side is above `short_side` (the others need none)."""
    short_side: int
    index: np.ndarray    # int64 [M]: positions in the item list of the images that have a copy, ascending
    images: np.ndarray   # float32 [M, 3, H, W]: their contract tensors after degrade.degrade_to

    def __len__(self):
        return len(self.index)


def image_short_side(path) -> int:
    """The stored image's short side, from its header (the EXIF orientation may swap the sides, never change
    the shorter one)."""
    with Image.open(path) as img:
        return min(img.size)


def load_degraded_arrays(items: Sequence[Item], short_side: int, cache_dir=None, progress: bool = False,
                         size=contract.INPUT_SIZE, up: str = "area") -> DegradedCopies:
    """For resolution matching: the contract tensors at `size` of the items whose short side is above
    `short_side`, each taken down to `short_side` and back up first (degrade.preprocess_file, the sharpness
    probe's steps). Made once and cached beside load_arrays' file, keyed on the items, the contract, the size
    and the degradation (short side, upsampling, degrade.DEGRADE_VERSION)."""
    items, size = list(items), tuple(size)
    if short_side <= 0:
        raise ValueError(f"short side {short_side}: must be positive")
    key = cache_key(items, size, degrade.cache_key_text(short_side, up))
    cache_file = Path(cache_dir) / f"degraded-{key}.npz" if cache_dir else None
    if cache_file is not None and cache_file.is_file():
        with np.load(cache_file) as z:
            return DegradedCopies(short_side, z["index"], z["images"])
    index = np.array([k for k, i in enumerate(items) if image_short_side(i.path) > short_side], np.int64)
    it = index
    if progress:
        from tqdm import tqdm
        it = tqdm(index, desc=f"degrade to {short_side} px", unit="img")
    images = np.empty((len(index), 3) + size, np.float32)
    for row, k in enumerate(it):
        images[row] = degrade.preprocess_file(items[k].path, short_side, size, up)
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_name(cache_file.name + f".tmp{os.getpid()}.npz")
        np.savez(tmp, index=index, images=images)
        os.replace(tmp, cache_file)
    return DegradedCopies(short_side, index, images)


def select(items: Sequence[Item], split: Optional[str] = None, limit: Optional[int] = None,
           seed: int = 0) -> List[Item]:
    """Items of one split; with `limit`, a deterministic class-stratified subset."""
    chosen = sorted((i for i in items if split is None or i.split == split), key=lambda i: str(i.path))
    if limit is None or limit >= len(chosen):
        return chosen
    rng = np.random.default_rng(seed)
    out = []
    for label in (0, 1):
        group = [i for i in chosen if i.label == label]
        k = max(1, round(limit * len(group) / len(chosen))) if group else 0
        out.extend(group[j] for j in sorted(rng.permutation(len(group))[:k]))
    return sorted(out, key=lambda i: str(i.path))


def near_duplicate_ids(isic2017_root) -> set:
    """ISIC 2017 test images with a near-duplicate in another split (NEAR_DUPLICATES.tsv)."""
    path = Path(isic2017_root) / "NEAR_DUPLICATES.tsv"
    if not path.is_file():
        return set()
    out = set()
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            for side in ("a", "b"):
                if row[f"split_{side}"] == "test":
                    out.add(row[f"id_{side}"])
    return out
