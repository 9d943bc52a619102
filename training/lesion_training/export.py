"""ONNX export: calibrated softmax head, dynamic batch, metadata_props; a run exported into a model folder.

Output 0 is always `probabilities` [N, 2], what the service reads. A model with an activation map
(mobilenet_v2) adds output 1, `cam` [N, h, w]: the class activation map of the melanoma logit over the last
feature map (uncalibrated logit units; its mean over h, w plus the head's melanoma bias is the melanoma
logit), computed in the same forward pass.
"""
from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn

from . import card, contract, golden, models, utils

INPUT_NAME = "image"
OUTPUT_NAME = "probabilities"
CAM_NAME = "cam"
CAM_METADATA = ("class activation map of the melanoma logit over the last feature map, [N, h, w] (h, w = input "
                "side / 32, rounded up), row 0 at the top of the image; logit units before the temperature: "
                "mean over h, w plus the head's melanoma bias is the melanoma logit")
OPSET = 17
METADATA_KEYS = ("model_name", "model_version", "architecture", "class_labels", "preprocessing",
                 "threshold", "temperature", "data_manifest_sha256", "test_metrics", "trained_at")
# Where a run read and wrote on its machine: not part of what the model is, so never in the exported file.
MACHINE_PATHS = ("data", "ham10000", "output_dir", "cache_dir")


class CalibratedClassifier(nn.Module):
    """image [N,3,S,S] -> probabilities [N,2] = softmax(logits / temperature); with cam=True also the
    activation map of a model that has one (`has_cam`)."""

    def __init__(self, net: nn.Module, temperature: float = 1.0, cam: bool = False):
        super().__init__()
        self.net, self.cam = net, cam
        self.register_buffer("inv_temperature", torch.tensor(1.0 / float(temperature), dtype=torch.float32))

    def forward(self, image):
        if self.cam:
            logits, cam = self.net.logits_and_cam(image)
            return torch.softmax(logits * self.inv_temperature, dim=1), cam
        return torch.softmax(self.net(image) * self.inv_temperature, dim=1)


def input_size(net: nn.Module) -> tuple:
    return contract.square(getattr(net, "image_size", contract.INPUT_SIZE[0]))


def load_checkpoint(path):
    ck = torch.load(path, map_location="cpu")
    cfg = ck["config"]
    net = models.build_from_config(cfg)
    net.load_state_dict(ck["model_state"])
    net.eval()
    return net, ck


def export_onnx(net: nn.Module, temperature: float, path, metadata: dict, doc: str = "") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cam = getattr(net, "has_cam", False)
    wrapper = CalibratedClassifier(net, temperature, cam=cam).eval()
    dummy = torch.zeros(1, 3, *input_size(net))
    tmp = path.with_name(path.name + ".tmp")
    outputs = [OUTPUT_NAME] + ([CAM_NAME] if cam else [])
    with torch.no_grad():
        torch.onnx.export(wrapper, dummy, str(tmp), input_names=[INPUT_NAME], output_names=outputs,
                          dynamic_axes={INPUT_NAME: {0: "N"}, **{o: {0: "N"} for o in outputs}},
                          opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(str(tmp))
    tmp.unlink()
    if cam:  # the padding arithmetic of the stride-2 convolutions leaves the map's sides symbolic: state them
        with torch.no_grad():
            side = wrapper(dummy)[1].shape[1:]
        for dim, value in zip(m.graph.output[1].type.tensor_type.shape.dim[1:], side):
            dim.Clear()
            dim.dim_value = int(value)
    missing = [k for k in METADATA_KEYS if k not in metadata]
    if missing:
        raise ValueError(f"metadata lacks {missing}")
    if cam:
        metadata = {**metadata, CAM_NAME: CAM_METADATA}
    del m.metadata_props[:]
    for k, v in metadata.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v if isinstance(v, str) else json.dumps(v)
    m.doc_string = doc
    m.producer_name = "lesion_training"
    onnx.checker.check_model(m)
    onnx.save(m, str(path))
    return path


def declared_contract(path) -> tuple:
    """(contract version, (height, width)) that a model.onnx declares in its `preprocessing` metadata."""
    pre = json.loads(read_metadata(path).get("preprocessing", "{}"))
    version = pre.get("contract_version", contract.CONTRACT_VERSION)
    resize = pre.get("resize", {})
    return version, (resize.get("height", contract.INPUT_SIZE[0]), resize.get("width", contract.INPUT_SIZE[1]))


def read_metadata(path) -> dict:
    m = onnx.load(str(path))
    return {p.key: p.value for p in m.metadata_props}


def io_signature(path) -> dict:
    m = onnx.load(str(path))

    def sig(v):
        t = v.type.tensor_type
        dims = [d.dim_param or d.dim_value for d in t.shape.dim]
        return {"name": v.name, "elem_type": onnx.TensorProto.DataType.Name(t.elem_type), "shape": dims}
    return {"inputs": [sig(v) for v in m.graph.input], "outputs": [sig(v) for v in m.graph.output],
            "opset": m.opset_import[0].version}


def torch_probabilities(net, temperature: float, images: np.ndarray) -> np.ndarray:
    wrapper = CalibratedClassifier(net, temperature).eval()
    with torch.no_grad():
        return wrapper(torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))).numpy()


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def test_metrics_json(t: dict) -> str:
    """The test block of an evaluation as the model's metadata holds it (the consistency check reads it)."""
    keys = ("auc", "auc_ci", "sensitivity", "specificity", "accuracy", "balanced_accuracy", "ece", "confusion_matrix",
            "ece_uncalibrated", "accuracy_argmax", "n", "n_melanoma", "confusion_matrix_layout")
    return json.dumps({k: t[k] for k in keys}, sort_keys=True)


def build_metadata(report: dict, name: str, version: str, trained_at: str) -> dict:
    return {
        "model_name": name, "model_version": version,
        "architecture": f"{report['architecture']}: {report['description']}",
        "class_labels": json.dumps(contract.CLASS_LABELS),
        "preprocessing": contract.contract_json(*reversed(contract.of_config(report["config"]))),
        "threshold": repr(float(report["threshold"])),
        "temperature": repr(float(report["temperature"])),
        "data_manifest_sha256": report["data_manifest_sha256"],
        "test_metrics": test_metrics_json(report["test"]),
        "trained_at": trained_at,
        # how to rebuild the network in PyTorch (benchmarks compare the same graph in both runtimes)
        "training_config": json.dumps({k: v for k, v in report["config"].items() if k not in MACHINE_PATHS},
                                      sort_keys=True),
    }


def default_out_dir(report_path, models_dir, version: str) -> Path:
    """models/NAME/VERSION, NAME being the evaluated run's model."""
    return Path(models_dir) / utils.read_json(report_path)["model"] / version


def export_model(run, report_path, out_dir, version: str, docs_card=None, comparison=None, note: str = "",
                 notes_md: str = "") -> dict:
    """RUN/best.pt with the temperature and threshold of its evaluation (report_path) into out_dir: model.onnx,
    golden files, the report's plots, model-card.json/.md (and the docs model card when docs_card is given).
    comparison: a comparison.json (from compare) whose table goes into the cards, if the file exists."""
    run, report_path, out_dir = Path(run), Path(report_path), Path(out_dir)
    report = utils.read_json(report_path)
    net, _ = load_checkpoint(run / "best.pt")
    name = report["model"]
    trained_at = datetime.fromtimestamp((run / "best.pt").stat().st_mtime, timezone.utc).replace(
        microsecond=0).isoformat()
    meta = build_metadata(report, name, version, trained_at)
    out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = export_onnx(net, report["temperature"], out_dir / "model.onnx", meta,
                            doc=f"{name} {version}: melanoma triage CNN; not for diagnosis")
    g = golden.write_golden(net, report["temperature"], onnx_path, out_dir / "golden")
    for png in report.get("plots", {}).values():
        shutil.copy2(report_path.parent / png, out_dir / png)
    sha = utils.sha256_path(onnx_path)
    cj = card.card_json(report, meta, sha, onnx_path.stat().st_size)
    if note:
        cj["training"]["note"] = note
    utils.write_json(out_dir / "model-card.json", cj)
    comp_md, claim = "", ""
    if comparison and Path(comparison).is_file():
        comp = utils.read_json(comparison)
        comp_md, claim = comp["table"], comp["claim"]
    (out_dir / "model-card.md").write_text(
        card.card_markdown(cj, (report_path.parent / "report.md").read_text(), comp_md, claim, notes_md))
    if docs_card:
        Path(docs_card).write_text(card.docs_model_card(cj, out_dir, comp_md, claim, notes_md))
    return {"onnx_path": onnx_path, "bytes": onnx_path.stat().st_size, "sha256": sha, "golden": g}
