"""model_flops.py: the FLOP count of the served model, and the MatMul graph that measures the fp32 ceiling."""
import hashlib
from pathlib import Path

import onnx

import model_flops

ROOT = Path(__file__).resolve().parents[2]


def test_the_served_model_costs_two_flops_per_mac_of_its_convs_and_fcs_over_both_views():
    layers = model_flops.layer_macs(ROOT / "models" / "triagenet" / "2.0.0" / "model.onnx")

    # by hand: C_out x H_out x W_out x C_in x 3 x 3 per conv (128x128 input, same padding, 2x2 pool after each),
    # then FC 256 -> 256 and 256 -> 2
    one_view = (32 * 128 * 128 * 3 * 9 + 64 * 64 * 64 * 32 * 9 + 128 * 32 * 32 * 64 * 9 + 256 * 16 * 16 * 128 * 9
                + 256 * 8 * 8 * 256 * 9 + 256 * 256 + 256 * 2)
    assert sum(layer["macs"] for layer in layers) == 2 * one_view == 556_925_952  # 1.114 GFLOP per image


def test_the_gemm_graph_is_one_square_matmul_of_two_inputs_and_the_same_bytes_every_time():
    graph = model_flops.gemm_graph()

    assert [n.op_type for n in graph.graph.node] == ["MatMul"]
    assert not graph.graph.initializer
    assert [[d.dim_param for d in i.type.tensor_type.shape.dim] for i in graph.graph.input] == [["n", "n"]] * 2
    assert graph.SerializeToString() == model_flops.gemm_graph().SerializeToString()


def test_the_java_tests_run_the_graph_this_script_writes(tmp_path):
    out = tmp_path / "gemm.onnx"
    model_flops.main(["--out", str(tmp_path / "flops.json"), "--gemm-graph", str(out),
                      "--model-dir", str(ROOT / "models" / "triagenet" / "2.0.0")])

    java_copy = ROOT / "benchmarks" / "src" / "test" / "resources" / "gemm.onnx"
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(java_copy.read_bytes()).digest()
    onnx.checker.check_model(onnx.load(str(out)))


def test_no_peak_is_computed_from_proc_cpuinfo():
    cpu = model_flops.cpu_facts()

    assert "peak_gflops" not in cpu and set(cpu) == {"model_name", "cores", "ghz", "flags"}
