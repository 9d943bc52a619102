"""Version 3's network: ImageNet MobileNetV2 features, a pooled linear head, the melanoma activation map as a
second output, the input size as an option, fine-tuning options in training. No data set and no published
weights: the ImageNet file is the synthetic Keras-layout fixture of test_imagenet_weights, or none at all."""
import json

import numpy as np
import onnx
import pytest
import torch

from lesion_training import consistency, contract, export, imagenet_weights as iw, models, utils
from lesion_training.evaluate import evaluate
from lesion_training.train import TrainConfig, make_optimizer, seed_everything, set_frozen, train, training_bf16
from test_imagenet_weights import write_keras_file


@pytest.fixture(scope="module")
def weights_folder(tmp_path_factory):
    """A folder laid out like ../shared/weights/imagenet, holding a synthetic width-0.35 file."""
    folder = tmp_path_factory.mktemp("imagenet")
    write_keras_file(iw.weights_file(0.35, folder), 0.35)
    return folder


@pytest.mark.parametrize("size", [128, 160, 224])
@pytest.mark.parametrize("width", [0.35, 0.5])
def test_builds_at_both_widths_and_three_sizes(width, size):
    m = models.build_model("mobilenet_v2", dropout=0.2, colour="shades_of_gray", tta=2, image_size=size,
                           width=width).eval()
    x = torch.rand(3, 3, size, size)
    with torch.no_grad():
        logits, cam = m.logits_and_cam(x)
        torch.testing.assert_close(m(x), logits)
    side = size // 32
    assert logits.shape == (3, 2) and cam.shape == (3, side, side)
    assert m.classifier.in_features == 1280 and m.image_size == size
    assert models.architecture_name("mobilenet_v2", True, image_size=size, width=width,
                                    colour="shades_of_gray", tta=2) == f"mobilenet_v2-{width:g}-{size}px-sog-tta2"
    m.train()
    assert m(x).shape == (3, 2)


def test_input_is_scaled_to_minus_one_one_as_the_keras_weights_expect():
    m = models.build_model("mobilenet_v2")
    x = torch.rand(2, 3, 64, 64)
    torch.testing.assert_close(m.normalize(x), 2 * x - 1)
    assert m.fixed_input_scaling


def test_cam_is_features_times_the_melanoma_weights():
    torch.manual_seed(0)
    m = models.build_model("mobilenet_v2", image_size=160).eval()
    x = torch.rand(2, 3, 160, 160)
    with torch.no_grad():
        logits, cam = m.logits_and_cam(x)
        f = m.feature_map(x).double()
    w, b = m.classifier.weight.detach().double(), m.classifier.bias.detach().double()
    by_hand = np.einsum("nchw,c->nhw", f.numpy(), w[models.MELANOMA].numpy())
    np.testing.assert_allclose(cam.double().numpy(), by_hand, atol=1e-4, rtol=1e-4)
    # the map is the melanoma logit spread over the image: its mean plus the bias is the logit
    np.testing.assert_allclose(by_hand.mean(axis=(1, 2)) + b[models.MELANOMA].item(),
                               logits[:, models.MELANOMA].numpy(), atol=1e-4)


def test_cam_of_flipped_views_is_flipped_back_before_averaging():
    torch.manual_seed(1)
    m = models.build_model("mobilenet_v2", image_size=128, tta=2).eval()
    x = torch.rand(2, 3, 128, 128)
    with torch.no_grad():
        _, cam = m.logits_and_cam(x)
        _, a = m.view_logits_and_cam(x)
        _, b = m.view_logits_and_cam(torch.flip(x, dims=(3,)))
    torch.testing.assert_close(cam, (a + torch.flip(b, dims=(2,))) / 2)


def test_cam_carries_no_gradient():
    m = models.build_model("mobilenet_v2").train()
    logits, cam = m.logits_and_cam(torch.rand(2, 3, 64, 64))
    assert logits.requires_grad and not cam.requires_grad


def test_pretrained_features_come_from_the_imagenet_file(weights_folder):
    m = models.build_model("mobilenet_v2", width=0.35)
    info = models.load_imagenet(m, weights_folder)
    path = iw.weights_file(0.35, weights_folder)
    assert info == {"file": path.name, "sha256": utils.sha256_path(path)}
    want = iw.load_keras_mobilenet_v2(path, 0.35).state_dict()
    for k, v in m.features.state_dict().items():
        torch.testing.assert_close(v, want[k], rtol=0, atol=0)
    bns = [b for b in m.features.modules() if isinstance(b, torch.nn.BatchNorm2d)]
    assert all(b.eps == 1e-3 and b.momentum == models.FINE_TUNE_BN_MOMENTUM for b in bns)
    with pytest.raises(FileNotFoundError, match="no-pretrained"):
        models.load_imagenet(models.build_model("mobilenet_v2", width=0.5), weights_folder)


@pytest.mark.parametrize("bad", [dict(width=0.75), dict(image_size=150), dict(image_size=0)])
def test_unsupported_widths_and_sizes_are_refused(bad):
    with pytest.raises(ValueError):
        models.build_model("mobilenet_v2", **bad)


def test_discriminative_learning_rates_and_frozen_features():
    m = models.build_model("mobilenet_v2")
    cfg = TrainConfig(model="mobilenet_v2", optimizer="adamw", backbone_lr_factor=0.1, weight_decay=0.01)
    opt = make_optimizer(m, cfg)
    assert isinstance(opt, torch.optim.AdamW)
    features, head = opt.param_groups
    assert features["lr_scale"] == 0.1 and head["lr_scale"] == 1.0
    assert len(features["params"]) == len(list(m.features.parameters()))
    assert {id(p) for p in head["params"]} == {id(p) for p in m.classifier.parameters()}
    one = make_optimizer(m, TrainConfig(model="mobilenet_v2"))  # factor 1: one group, as before
    assert isinstance(one, torch.optim.Adam) and len(one.param_groups) == 1
    set_frozen(m, True)
    assert not any(p.requires_grad for p in m.features.parameters())
    assert all(p.requires_grad for p in m.classifier.parameters())
    set_frozen(m, False)
    assert all(p.requires_grad for p in m.parameters())


def test_trains_in_fp32_and_channels_last():
    m = models.build_model("mobilenet_v2")
    assert training_bf16(m, "auto") is False and training_bf16(m, "fp32") is False
    with pytest.raises(ValueError, match="bf16"):
        training_bf16(m, "bf16")
    assert training_bf16(models.build_model("triagenet"), "bf16") is True
    m = m.to(memory_format=torch.channels_last)
    x = torch.rand(2, 3, 64, 64)
    m.eval()
    with torch.no_grad():  # same function in either layout
        ref = models.build_model("mobilenet_v2").eval()
        ref.load_state_dict(m.state_dict())
        torch.testing.assert_close(m(x.contiguous(memory_format=torch.channels_last)), ref(x), atol=1e-5,
                                   rtol=1e-4)


def _metadata(cfg: dict) -> dict:
    meta = {k: "x" for k in export.METADATA_KEYS}
    meta.update(class_labels=json.dumps(contract.CLASS_LABELS), threshold="0.3", temperature="1.25",
                test_metrics=json.dumps({"auc": 0.5}),
                preprocessing=contract.contract_json(*reversed(contract.of_config(cfg))))
    return meta


def test_onnx_export_keeps_probabilities_first_and_adds_the_cam(tmp_path):
    cfg = TrainConfig(model="mobilenet_v2", image_size=160, colour="shades_of_gray", tta=2).to_dict()
    net = models.build_from_config(cfg).eval()
    path = export.export_onnx(net, 1.25, tmp_path / "model.onnx", _metadata(cfg))
    onnx.checker.check_model(onnx.load(str(path)))
    sig = export.io_signature(path)
    assert sig["inputs"] == [{"name": "image", "elem_type": "FLOAT", "shape": ["N", 3, 160, 160]}]
    assert sig["outputs"] == [{"name": "probabilities", "elem_type": "FLOAT", "shape": ["N", 2]},
                              {"name": "cam", "elem_type": "FLOAT", "shape": ["N", 5, 5]}]
    meta = export.read_metadata(path)
    assert meta["cam"] == export.CAM_METADATA
    pre = json.loads(meta["preprocessing"])
    assert pre["contract_version"] == 2 and pre["resize"]["height"] == pre["resize"]["width"] == 160
    assert export.declared_contract(path) == (2, (160, 160))
    # the folder check reads the size from the model and accepts the second output
    utils.write_json(tmp_path / "model-card.json", {
        "artifact": {"sha256": utils.sha256_path(path)}, "decision_rule": {"threshold": 0.3},
        "calibration": {"temperature": 1.25}, "metrics": {"test": {"auc": 0.5}}})
    assert "cam" in consistency.check(tmp_path)["metadata_keys"]
    # ... and refuses a preprocessing entry for another size
    m = onnx.load(str(path))
    for p in m.metadata_props:
        if p.key == "preprocessing":
            p.value = contract.contract_json((128, 128), contract.SIZED_CONTRACT_VERSION)
    onnx.save(m, str(path))
    utils.write_json(tmp_path / "model-card.json", {
        "artifact": {"sha256": utils.sha256_path(path)}, "decision_rule": {"threshold": 0.3},
        "calibration": {"temperature": 1.25}, "metrics": {"test": {"auc": 0.5}}})
    with pytest.raises(AssertionError, match="input size"):
        consistency.check(tmp_path)


def test_fine_tuning_run_freezes_then_resumes(synthetic_folder, weights_folder, tmp_path, monkeypatch):
    """Pretrained features, frozen for one epoch, then at lr x 0.1; resumed from last.pt for the second."""
    monkeypatch.setattr(iw, "DEFAULT_WEIGHTS", weights_folder)
    cfg = TrainConfig(data=str(synthetic_folder), model="mobilenet_v2", image_size=64, width=0.35,
                      colour="shades_of_gray", tta=2, dropout=0.2, optimizer="adamw", backbone_lr_factor=0.1,
                      freeze_epochs=1, epochs=1, batch_size=8, output_dir=str(tmp_path), cache_dir=str(tmp_path / "c"),
                      threads=2, precision="fp32")
    s1 = train(cfg, progress=False)
    run = tmp_path / "mobilenet_v2"
    ck = torch.load(run / "last.pt", map_location="cpu")
    assert s1["imagenet_weights"]["file"] == iw.weights_file(0.35).name
    assert s1["architecture"] == "mobilenet_v2-0.35-64px-sog-tta2"
    assert next((tmp_path / "c").glob("items-*.npy")) is not None
    start = iw.load_keras_mobilenet_v2(iw.weights_file(0.35, weights_folder), 0.35).state_dict()
    convs = [k for k in start if k.endswith("weight") and start[k].dim() == 4]
    for k in convs:  # frozen: the convolutions are still ImageNet's
        torch.testing.assert_close(ck["model_state"]["features." + k], start[k], rtol=0, atol=0)
    lrs = [g["lr"] for g in ck["optimizer_state"]["param_groups"]]
    assert lrs[0] == pytest.approx(0.1 * lrs[1])
    cfg.epochs = 2
    s2 = train(cfg, resume=str(run / "last.pt"), progress=False)
    assert [h["epoch"] for h in s2["history"]] == [1, 2]
    ck2 = torch.load(run / "last.pt", map_location="cpu")
    assert any(not torch.equal(ck2["model_state"]["features." + k], start[k]) for k in convs)
    net, ck_best = export.load_checkpoint(run / "best.pt")
    assert net.image_size == 64 and contract.of_config(ck_best["config"]) == (2, (64, 64))
    seed_everything(0)  # the checkpoint rebuilds without the weight file
    assert models.build_from_config(ck_best["config"]).width == 0.35
    report = evaluate(run / "best.pt", str(synthetic_folder), run / "eval", None, n_boot=20, plots=False)
    assert report["architecture"] == "mobilenet_v2-0.35-64px-sog-tta2" and report["test"]["n"] == 16
    assert report["imagenet_weights"]["file"] == iw.weights_file(0.35).name
