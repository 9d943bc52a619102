"""Check a committed model folder: metadata, card, data manifest, test metrics recomputed from model.onnx, and for
an int8 model that it computes the same on every x86 CPU.

python3 -m lesion_training.consistency models/triagenet/2.0.0 [--data DATA] [--skip-test-eval]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import onnx

from . import contract, data as data_mod, export, metrics, onnx_eval, quantize, utils


def check(model_dir, data_root=None, test_eval: bool = True) -> dict:
    d = Path(model_dir)
    onnx_path = d / "model.onnx"
    meta = export.read_metadata(onnx_path)
    problems = [f"metadata key {k} missing" for k in export.METADATA_KEYS if k not in meta]
    sig = export.io_signature(onnx_path)
    outputs = [o["name"] for o in sig["outputs"]]
    # output 0 is what the service reads; a model may add its activation map as output 1
    if [i["name"] for i in sig["inputs"]] != [export.INPUT_NAME] or \
            outputs not in ([export.OUTPUT_NAME], [export.OUTPUT_NAME, export.CAM_NAME]):
        problems.append(f"unexpected inputs/outputs {sig}")
    in_shape = sig["inputs"][0]["shape"]
    size = tuple(in_shape[2:])
    if len(in_shape) != 4 or in_shape[1] != 3 or not all(isinstance(d, int) and d > 0 for d in size) or \
            sig["outputs"][0]["shape"][1:] != [2]:
        problems.append(f"unexpected shapes {sig}")
    if len(outputs) == 2 and (len(sig["outputs"][1]["shape"]) != 3 or export.CAM_NAME not in meta):
        problems.append(f"unexpected activation map output {sig['outputs'][1]} (or no '{export.CAM_NAME}' metadata)")
    if json.loads(meta.get("class_labels", "[]")) != contract.CLASS_LABELS:
        problems.append("class_labels differ from the contract")
    declared = json.loads(meta.get("preprocessing", "{}"))
    try:  # the contract this package writes for the declared version at the model's input size
        expected = contract.contract_description(size, declared.get("contract_version"))
    except (ValueError, TypeError) as e:
        expected = {"error": str(e)}
    if declared != expected:
        problems.append(f"preprocessing metadata differs from this package's contract at the input size {size}")
    for node in quantize.saturating_nodes(onnx.load(str(onnx_path))):
        problems.append(f"{node['op']} {node['node']}: int8 weights up to {node['largest_weight']} can saturate the "
                        "16-bit sums of CPUs without VNNI (its probabilities would depend on the CPU)")
    card_path = d / "model-card.json"
    tm = json.loads(meta.get("test_metrics", "{}"))
    if card_path.is_file():
        card = utils.read_json(card_path)
        if card["artifact"]["sha256"] != utils.sha256_path(onnx_path):
            problems.append("model-card.json sha256 differs from model.onnx")
        if abs(card["decision_rule"]["threshold"] - float(meta["threshold"])) > 0:
            problems.append("threshold in card and metadata differ")
        if abs(card["calibration"]["temperature"] - float(meta["temperature"])) > 0:
            problems.append("temperature in card and metadata differ")
        if abs(card["metrics"]["test"]["auc"] - tm.get("auc", -1)) > 1e-12:
            problems.append("test AUC in card and metadata differ")
    else:
        problems.append("model-card.json missing")
    result = {"metadata_keys": sorted(meta)}
    if data_root is not None:
        sha = data_mod.manifest_sha256(data_root)
        if sha != meta.get("data_manifest_sha256"):
            problems.append(f"model was trained on manifest {meta.get('data_manifest_sha256')}, data folder has {sha}")
        elif test_eval:
            test = data_mod.load_split(data_root, "test", None, verify_first=True, size=size)
            probs = np.concatenate([onnx_eval.run(str(onnx_path), {"image": test.images[i:i + 50]})["probabilities"]
                                    for i in range(0, len(test), 50)])
            p = probs[:, 1].astype(np.float32)
            thr = np.float32(float(meta["threshold"]))
            auc = metrics.roc_auc(test.labels, p)
            sens, spec = metrics.sens_spec(test.labels, p, thr)
            cm = metrics.confusion_matrix(test.labels, (p >= thr).astype(int)).tolist()
            result.update({"recomputed_auc": auc, "recomputed_sensitivity": sens,
                           "recomputed_specificity": spec, "recomputed_confusion_matrix": cm})
            if abs(auc - tm["auc"]) > 2e-3:
                problems.append(f"test AUC from model.onnx {auc:.4f} differs from metadata {tm['auc']:.4f}")
            # cases right at the threshold may flip between float64 and float32 evaluation; allow one
            if np.abs(np.array(cm) - np.array(tm["confusion_matrix"])).sum() > 2:
                problems.append(f"confusion matrix from model.onnx {cm} differs from metadata "
                                f"{tm['confusion_matrix']}")
    if problems:
        raise AssertionError("model folder check failed:\n  " + "\n  ".join(problems))
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("model_dir")
    ap.add_argument("--data", default=None)
    ap.add_argument("--skip-test-eval", action="store_true")
    a = ap.parse_args(argv)
    try:
        r = check(a.model_dir, a.data, not a.skip_test_eval)
    except AssertionError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 1
    print(f"model folder OK: {json.dumps(r)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
