"""ONNX export: calibrated softmax head, dynamic batch, metadata_props."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn

from . import contract, models

INPUT_NAME = "image"
OUTPUT_NAME = "probabilities"
OPSET = 17
METADATA_KEYS = ("model_name", "model_version", "architecture", "class_labels", "preprocessing",
                 "threshold", "temperature", "data_manifest_sha256", "test_metrics", "trained_at")


class CalibratedClassifier(nn.Module):
    """image [N,3,128,128] -> probabilities [N,2] = softmax(logits / temperature)."""

    def __init__(self, net: nn.Module, temperature: float = 1.0):
        super().__init__()
        self.net = net
        self.register_buffer("inv_temperature", torch.tensor(1.0 / float(temperature), dtype=torch.float32))

    def forward(self, image):
        return torch.softmax(self.net(image) * self.inv_temperature, dim=1)


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
    wrapper = CalibratedClassifier(net, temperature).eval()
    dummy = torch.zeros(1, 3, *contract.INPUT_SIZE)
    tmp = path.with_name(path.name + ".tmp")
    with torch.no_grad():
        torch.onnx.export(wrapper, dummy, str(tmp), input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                          dynamic_axes={INPUT_NAME: {0: "N"}, OUTPUT_NAME: {0: "N"}},
                          opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(str(tmp))
    tmp.unlink()
    missing = [k for k in METADATA_KEYS if k not in metadata]
    if missing:
        raise ValueError(f"metadata lacks {missing}")
    del m.metadata_props[:]
    for k, v in metadata.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v if isinstance(v, str) else json.dumps(v)
    m.doc_string = doc
    m.producer_name = "lesion_training"
    onnx.checker.check_model(m)
    onnx.save(m, str(path))
    return path


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
