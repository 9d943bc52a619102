"""Static int8 QDQ quantisation on a tiny synthetic CNN: where the pairs go, what the weights become, and that
the quantised graph still computes nearly what the float graph does (NumPy evaluator)."""
import json

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from lesion_training import onnx_eval, quantize


def tiny_model(seed=0) -> onnx.ModelProto:
    """x [N,3,8,8] -> Conv+Relu -> MaxPool -> Conv+Relu -> GlobalAveragePool -> Flatten -> Gemm -> Softmax."""
    rng = np.random.default_rng(seed)
    w = {"w1": rng.normal(0, 0.5, (4, 3, 3, 3)), "b1": rng.normal(0, 0.1, 4),
         "w2": rng.normal(0, 0.3, (6, 4, 3, 3)), "b2": rng.normal(0, 0.1, 6),
         "w3": rng.normal(0, 0.5, (2, 6)), "b3": rng.normal(0, 0.1, 2)}
    inits = [numpy_helper.from_array(v.astype(np.float32), k) for k, v in w.items()]
    conv = dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", **conv),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], name="conv2", **conv),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["logits"], name="fc", transB=1),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
    ]
    graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 8, 8])],
                              [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.metadata_props.add(key="model_version", value="1.0.0")
    onnx.checker.check_model(model)
    return model


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(1).random((24, 3, 8, 8), dtype=np.float32)


@pytest.fixture(scope="module")
def quantised(images):
    model = tiny_model()
    plan = quantize.plan_qdq(model)
    ranges = quantize.calibrate(model, plan, images[:16], batch=8, input_name="x")
    return model, plan, ranges, quantize.quantize_model(model, plan, ranges)


def _producers(model):
    return {o: n for n in model.graph.node for o in n.output}


def test_plan_quantises_inputs_of_weighted_nodes_and_relu_outputs(quantised):
    model, plan, _, _ = quantised
    assert [model.graph.node[i].name for i in plan.targets] == ["conv1", "conv2", "fc"]
    assert plan.activations == {"x": "x", "r1": "r1", "p1": "r1", "r2": "r2", "f": "f"}
    assert "logits" not in plan.activations and "probabilities" not in plan.activations


def test_every_weighted_node_reads_dequantized_int8_weights_and_int32_bias(quantised):
    _, _, _, q = quantised
    inits = {i.name: numpy_helper.to_array(i) for i in q.graph.initializer}
    producers = _producers(q)
    weighted = [n for n in q.graph.node if n.op_type in ("Conv", "Gemm")]
    assert len(weighted) == 3
    for n in weighted:
        dq = [producers[x] for x in n.input]
        assert [d.op_type for d in dq] == ["DequantizeLinear"] * 3, n.name
        activation, weight, bias = (inits.get(d.input[0]) for d in dq)
        assert activation is None  # comes from a QuantizeLinear, not an initializer
        assert producers[dq[0].input[0]].op_type == "QuantizeLinear"
        assert weight.dtype == np.int8 and np.abs(weight).max() == quantize.WEIGHT_MAX == 64
        w_scale = inits[dq[1].input[1]]
        assert w_scale.shape == (weight.shape[0],)  # one scale per output channel (axis 0, also for transB Gemm)
        assert bias.dtype == np.int32
        x_scale = inits[dq[0].input[1]]
        np.testing.assert_allclose(inits[dq[2].input[1]], x_scale * w_scale, rtol=1e-6)
    assert not {"w1", "w2", "w3", "b1", "b2", "b3"} & set(inits), "float weights are dropped"


def test_relu_outputs_have_zero_point_zero_and_maxpool_keeps_its_input_parameters(quantised):
    _, _, ranges, q = quantised
    quantizers = {n.input[0]: n for n in q.graph.node if n.op_type == "QuantizeLinear"}
    assert set(quantizers) == {"x", "r1", "p1", "r2", "f"}
    inits = {i.name: numpy_helper.to_array(i) for i in q.graph.initializer}
    for relu_out in ("r1", "r2"):
        assert inits[quantizers[relu_out].input[2]] == 0  # lets ONNX Runtime fold the Relu into the Conv
        assert ranges[relu_out][0] == 0.0
    assert quantizers["p1"].input[1:] == quantizers["r1"].input[1:]


def test_quantised_outputs_stay_close_but_not_identical(quantised, images):
    model, _, _, q = quantised
    unseen = images[16:]
    want = onnx_eval.run(model, {"x": unseen})["probabilities"]
    got = onnx_eval.run(q, {"x": unseen})["probabilities"]
    diff = np.abs(got - want).max()
    assert 0 < diff < 0.02
    np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-9)


def test_identity_renamed_weights_are_inlined_and_shared():
    model = tiny_model()
    model.graph.node.insert(0, helper.make_node("Identity", ["w1"], ["w1_view2"]))
    model.graph.node[1].input[1] = "w1_view2"
    quantize.inline_identity_initializers(model)
    assert [n.op_type for n in model.graph.node][0] == "Conv" and model.graph.node[0].input[1] == "w1"


def test_weight_quantisation_is_symmetric_per_channel():
    w = np.array([[1.0, -0.3], [0.1, -0.4]], dtype=np.float32)
    q, scale = quantize.quantize_weight(w, axis=0)
    np.testing.assert_allclose(scale, [1 / 64, 0.4 / 64], rtol=1e-6)
    np.testing.assert_array_equal(q, [[64, -19], [16, -64]])
    q, scale = quantize.quantize_weight(w, axis=0, limit=127)  # the full 8-bit range, as the old scheme had it
    np.testing.assert_array_equal(q, [[127, -38], [32, -127]])


def test_activation_parameters_include_zero():
    scale, zp = quantize.activation_params(0.5, 2.0)  # widened to [0, 2]
    assert zp == 0 and scale == np.float32(2.0 / 255)
    scale, zp = quantize.activation_params(-1.0, 3.0)
    assert zp == 64 and scale == np.float32(4.0 / 255)


def test_numpy_evaluator_quantize_linear_rounds_half_to_even_and_saturates():
    x = np.array([0.5, 1.5, 2.5, -3.0, 300.0])
    q = onnx_eval._quantize(x, np.array(1.0), np.array(2, dtype=np.uint8), axis=1)
    np.testing.assert_array_equal(q, [2, 4, 4, 0, 255])
    np.testing.assert_array_equal(onnx_eval._dequantize(q, np.array(0.5), np.array(2, dtype=np.uint8), 1),
                                  [0, 1, 1, -1, 126.5])


def test_quantize_file_records_how_it_was_made(tmp_path, images):
    src = tmp_path / "model.onnx"
    onnx.save(tiny_model(), str(src))
    model = onnx.load(str(src))
    model.graph.input[0].name = "image"
    for n in model.graph.node:
        n.input[:] = ["image" if x == "x" else x for x in n.input]
    onnx.save(model, str(src))
    summary = quantize.quantize_file(src, tmp_path / "int8" / "model.onnx", images[:8], {"calibration_split": "t"})
    meta = {p.key: p.value for p in onnx.load(str(tmp_path / "int8" / "model.onnx")).metadata_props}
    assert meta["model_version"] == "1.0.0-int8"
    assert json.loads(meta["quantization"]) == summary
    assert summary["calibration_images"] == 8 and summary["calibration_split"] == "t"
    assert summary["quantized_nodes"] == ["Conv conv1", "Conv conv2", "Gemm fc"]
