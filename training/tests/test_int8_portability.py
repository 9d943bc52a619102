"""An int8 model must give the same probabilities on every x86 CPU. Without VNNI, ONNX Runtime's uint8 x int8
kernels add each pair of products in a saturating 16-bit lane (VPMADDUBSW); with VNNI the sums are 32-bit. These
tests emulate the 16-bit path in NumPy and check the property that makes both paths agree, on any machine."""
from pathlib import Path

import numpy as np
import onnx
import pytest

from lesion_training import onnx_eval, quantize

from test_quantize import tiny_model

REPO = Path(__file__).resolve().parents[2]


def pairwise_16bit_dot(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """a [M, K] uint8 . w [K, N] int8 as VPMADDUBSW + VPMADDWD compute it: adjacent pairs along K summed and
    saturated to int16, then the pair sums added in int32."""
    k = a.shape[1]
    if k % 2:  # the kernels pad K with zeros to an even length
        a, w = np.pad(a, ((0, 0), (0, 1))), np.pad(w, ((0, 1), (0, 0)))
    products = a.astype(np.int32)[:, :, None] * w.astype(np.int32)[None, :, :]
    pairs = np.clip(products[:, 0::2] + products[:, 1::2], -32768, 32767)
    return pairs.sum(axis=1)


def exact_dot(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    return a.astype(np.int64) @ w.astype(np.int64)


def test_the_weight_bound_is_the_largest_that_never_saturates():
    a = np.array([[255, 255]], dtype=np.uint8)
    for limit in (quantize.WEIGHT_MAX, -quantize.WEIGHT_MAX):
        w = np.full((2, 1), limit, dtype=np.int8)
        np.testing.assert_array_equal(pairwise_16bit_dot(a, w), exact_dot(a, w))
    one_more = np.full((2, 1), quantize.WEIGHT_MAX + 1, dtype=np.int8)
    assert pairwise_16bit_dot(a, one_more)[0, 0] == 32767 < exact_dot(a, one_more)[0, 0]


def _quantised_tiny(monkeypatch, weight_max):
    monkeypatch.setattr(quantize, "WEIGHT_MAX", weight_max)
    model = tiny_model()
    plan = quantize.plan_qdq(model)
    images = np.random.default_rng(1).random((16, 3, 8, 8), dtype=np.float32)
    return quantize.quantize_model(model, plan, quantize.calibrate(model, plan, images, batch=8, input_name="x"))


def _first_conv_operands(q: onnx.ModelProto, image: np.ndarray):
    """The uint8 im2col rows [positions, C*3*3] of the first convolution's input and its int8 weights [C*3*3, O]."""
    x_q = onnx_eval.run(q, {"x": image}, keep=["x_quantized"])["x_quantized"].astype(np.uint8)
    padded = np.pad(x_q[0], ((0, 0), (1, 1), (1, 1)))  # the input's zero point is 0 (its range starts at 0)
    rows = np.stack([padded[:, i:i + 3, j:j + 3].reshape(-1) for i in range(8) for j in range(8)])
    w = next(onnx.numpy_helper.to_array(i) for i in q.graph.initializer if i.name == "w1_quantized")
    return rows, w.reshape(w.shape[0], -1).T


@pytest.mark.parametrize("weight_max, same_on_both_paths", [(quantize.WEIGHT_MAX, True), (127, False)])
def test_a_convolution_computes_the_same_integers_on_both_kernel_paths_only_with_7_bit_weights(
        monkeypatch, weight_max, same_on_both_paths):
    q = _quantised_tiny(monkeypatch, weight_max)
    bright = np.full((1, 3, 8, 8), 0.999, dtype=np.float32)  # activations at the top of the calibrated range
    rows, w = _first_conv_operands(q, bright)
    assert rows.max() >= 250
    agree = np.array_equal(pairwise_16bit_dot(rows, w), exact_dot(rows, w))
    assert agree is same_on_both_paths
    assert (quantize.saturating_nodes(q) == []) is same_on_both_paths


def test_a_full_range_graph_is_flagged_at_every_quantised_node(monkeypatch):
    q = _quantised_tiny(monkeypatch, 127)
    flagged = quantize.saturating_nodes(q)
    assert [f["node"] for f in flagged] == ["conv1", "conv2", "fc"]
    assert all(f["largest_weight"] == 127 and f["worst_pair_sum"] > quantize.INT16_MAX for f in flagged)


def test_every_committed_quantised_model_computes_the_same_on_every_cpu():
    quantised = [p for p in sorted(REPO.glob("models/*/*/model.onnx"))
                 if any(n.op_type == "DequantizeLinear" for n in onnx.load(str(p)).graph.node)]
    assert quantised, "no quantised model is committed: this test would check nothing"
    for path in quantised:
        assert quantize.saturating_nodes(onnx.load(str(path))) == [], path.relative_to(REPO)
