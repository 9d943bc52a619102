"""One-epoch training on a synthetic folder, resume, evaluation, export, ONNX checks, golden files, cards."""
import json
from pathlib import Path

import numpy as np
import onnx
import pytest

from lesion_training import card, consistency, contract, export, golden, onnx_eval, utils
from lesion_training.evaluate import evaluate
from lesion_training.train import TrainConfig, train


@pytest.fixture(scope="module")
def exported(synthetic_folder, ham_folder, external_folder, tmp_path_factory):
    """The version-2 recipe end to end: ISIC 2017 + HAM layouts, colour constancy and flips in the graph."""
    tmp = tmp_path_factory.mktemp("run")
    cfg = TrainConfig(data=str(synthetic_folder), ham10000=str(ham_folder), model="triagenet", head="gap",
                      colour="shades_of_gray", tta=2, balance="source_sampler", label_smoothing=0.1,
                      epochs=1, batch_size=8, output_dir=str(tmp / "runs"), cache_dir=None, threads=2)
    s1 = train(cfg, progress=False)
    assert s1["train_counts_by_source"] == {"ham10000": [10, 6], "isic2017": [10, 6]}
    run = tmp / "runs" / "triagenet"
    assert (run / "best.pt").is_file() and (run / "last.pt").is_file() and s1["epochs_run"] == 1
    cfg.epochs = 2
    s2 = train(cfg, resume=str(run / "last.pt"), progress=False)
    assert [h["epoch"] for h in s2["history"]] == [1, 2]
    report = evaluate(run / "best.pt", str(synthetic_folder), run / "eval", None, n_boot=50,
                      external_root=str(external_folder))
    e = export.export_model(run, run / "eval" / "report.json", tmp / "model", "0.0.1")
    out = e["onnx_path"]
    assert e["sha256"] == utils.sha256_path(out) and e["bytes"] == out.stat().st_size
    assert e["golden"]["onnx_vs_torch_max_abs_diff"] <= 1e-5
    return report, out, run


def test_report(exported):
    report, _, run = exported
    t = report["test"]
    for k in ("auc", "auc_ci", "sensitivity", "specificity", "ece", "ece_uncalibrated", "confusion_matrix"):
        assert k in t
    assert np.array(t["confusion_matrix"]).sum() == 16
    assert set(report["test_sets"]) == {"isic2017-test", "isic2018-test"}
    assert report["test_sets"]["isic2018-test"]["n"] == 12
    assert report["urgent_by_diagnosis"]["isic2018-test"]["mel"]["n"] == 4
    assert sum(v["n"] for v in report["urgent_by_diagnosis"]["isic2018-test"].values()) == 12
    assert all(0.0 <= v["auc"] <= 1.0 for v in report["source_probe"].values())
    assert "isic2018-test" in (run / "eval" / "report.md").read_text()
    assert report["validation"]["sensitivity"] >= 0.9
    for png in report["plots"].values():
        assert (run / "eval" / png).stat().st_size > 1000


def test_onnx_checker_metadata_and_signature(exported):
    report, path, _ = exported
    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    assert m.opset_import[0].version >= 13
    meta = export.read_metadata(path)
    assert set(export.METADATA_KEYS) <= set(meta)
    assert json.loads(meta["class_labels"]) == ["non_melanoma", "melanoma"]
    # trained with the size option (at its default, 128): contract version 2, which states the size
    assert json.loads(meta["preprocessing"]) == contract.contract_description((128, 128), 2)
    assert float(meta["threshold"]) == report["threshold"]
    assert float(meta["temperature"]) == report["temperature"]
    assert json.loads(meta["test_metrics"])["auc"] == report["test"]["auc"]
    assert json.loads(meta["test_metrics"]) == json.loads(export.test_metrics_json(report["test"]))
    training_config = json.loads(meta["training_config"])
    assert training_config["model"] == "triagenet" and not set(export.MACHINE_PATHS) & set(training_config)
    sig = export.io_signature(path)
    assert sig["inputs"] == [{"name": "image", "elem_type": "FLOAT", "shape": ["N", 3, 128, 128]}]
    assert sig["outputs"] == [{"name": "probabilities", "elem_type": "FLOAT", "shape": ["N", 2]}]


def test_onnx_matches_pytorch(exported):
    report, path, run = exported
    net, _ = export.load_checkpoint(run / "best.pt")
    x = np.random.default_rng(0).random((5, 3, 128, 128), dtype=np.float32)
    ref = onnx_eval.run(str(path), {"image": x})["probabilities"]
    got = export.torch_probabilities(net, report["temperature"], x)
    np.testing.assert_allclose(ref, got, atol=1e-5)
    np.testing.assert_allclose(ref.sum(axis=1), 1.0, atol=1e-9)
    one = onnx_eval.run(str(path), {"image": x[:1]})["probabilities"]  # dynamic batch
    np.testing.assert_allclose(one, ref[:1], atol=1e-9)


def test_golden_files(exported):
    _, path, _ = exported
    g = path.parent / "golden"
    index = json.loads((g / "index.json").read_text())
    assert set(index) == {"contract_version", "input_size", "model_sha256", "entries"}
    assert index["input_size"] == [128, 128] and len(index["entries"]) >= 12
    assert index["contract_version"] == 2
    media = {e["media_type"] for e in index["entries"]}
    assert media == {"image/jpeg", "image/png"}
    for e in index["entries"]:
        assert set(e) == {"name", "file", "media_type", "width", "height", "tensor", "probabilities"}
        assert (g / e["tensor"]).stat().st_size == 3 * 128 * 128 * 4
        assert e["width"] >= 16 and e["height"] >= 16
    assert golden.check_golden(g, path)["max_tensor_error"] == 0.0
    t = g / index["entries"][0]["tensor"]
    arr = np.fromfile(t, dtype="<f4")
    arr[0] += 0.01
    arr.tofile(t)
    with pytest.raises(AssertionError, match="golden check failed"):
        golden.check_golden(g, path)
    total = sum(f.stat().st_size for f in g.iterdir())
    assert total < 4_000_000


def test_cards_and_comparison(exported, tmp_path):
    report, path, run = exported
    cj = utils.read_json(path.parent / "model-card.json")
    assert cj["model_version"] == "0.0.1" and cj["artifact"]["sha256"] == utils.sha256_path(path)
    assert (path.parent / "model-card.md").read_text().startswith("# Model card: triagenet 0.0.1")
    docs = card.docs_model_card(cj, path.parent, "| table |", "claim.")
    assert docs.startswith("# Model card") and "models/triagenet/0.0.1/model.onnx" in docs
    assert "| table |\nclaim." in docs
    assert export.default_out_dir(run / "eval" / "report.json", tmp_path / "models", "9.9.9") == \
        tmp_path / "models" / "triagenet" / "9.9.9"
    c = card.write_comparison([utils.read_json(run / "eval" / "report.json")], tmp_path / "comparison.md")
    assert (tmp_path / "comparison.md").read_text().startswith("# Model comparison")
    assert c["versions"] in (tmp_path / "comparison.md").read_text()
    js = utils.read_json(tmp_path / "comparison.json")
    assert js["claim"] == c["claim"] == "" and [m["model"] for m in js["models"]] == ["triagenet"]
    assert "(run triagenet)" in card.version_row(report)["label"]


def test_golden_regenerate(exported, tmp_path):
    import shutil
    _, path, run = exported
    folder = tmp_path / "model"
    shutil.copytree(path.parent, folder)
    g = golden.regenerate(folder, run)
    assert g["onnx_vs_torch_max_abs_diff"] <= 1e-5
    assert golden.check_golden(folder / "golden", folder / "model.onnx")["max_tensor_error"] == 0.0
    report = utils.read_json(run / "eval" / "report.json")
    other = tmp_path / "run"
    shutil.copytree(run, other)
    utils.write_json(other / "eval" / "report.json", dict(report, temperature=report["temperature"] * 2))
    with pytest.raises(golden.GoldenError, match="temperature differs"):
        golden.regenerate(folder, other)


def test_consistency_check(exported):
    _, path, _ = exported
    assert "threshold" in consistency.check(path.parent)["metadata_keys"]


@pytest.mark.parametrize("folder", ["proposed/1.0.0", "triagenet/2.0.0", "triagenet/2.0.0-int8"])
def test_committed_models_still_declare_contract_v1(folder):
    """Models trained before the size option keep contract v1, and the folder check still accepts them."""
    path = Path(__file__).resolve().parents[2] / "models" / folder / "model.onnx"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    assert export.declared_contract(path) == (1, (128, 128))
    assert json.loads(export.read_metadata(path)["preprocessing"]) == contract.contract_description()
    consistency.check(path.parent)


def test_numpy_evaluator_refuses_unknown_ops():
    model = onnx.ModelProto()
    node = model.graph.node.add()
    node.op_type, node.input[:], node.output[:] = "Tanh", ["x"], ["y"]
    model.graph.output.add().name = "y"
    with pytest.raises(NotImplementedError):
        onnx_eval.run(model, {"x": np.zeros(1)})
