"""The report's compute ceiling: the model's GFLOP/s against a MatMul measured with the same engine and threads,
never against a peak computed from /proc/cpuinfo."""
import json
import re
import shutil
from pathlib import Path

import report

KEPT_RAW = Path(__file__).resolve().parents[2] / "docs" / "benchmarks" / "raw"


def ort(*cells):
    """(threads, batch, images/s) -> the report's ORT table (graph optimisation ALL)."""
    return {("ALL", t, b): {"batchSize": b, "imagesPerSecond": ips, "medianMs": 1000 * b / ips} for t, b, ips in cells}


def gemm(*rows):
    """(threads, n, GFLOP/s) -> inference.json's gemm_ceiling as BenchCli inference --gemm-graph writes it."""
    return {"gemm_ceiling": {"graph": "gemm.onnx", "rows": [
        {"threads": t, "n": n, "runs": 10, "seconds": 2.0, "gflops": g, "gflopsAtMedian": g, "medianMs": 5.0,
         "p90Ms": 5.5, "minMs": 4.9} for t, n, g in rows]}}


# a run like the kept one: 385 GFLOP/s achieved, and a nominal 332 GFLOP/s peak in its flops.json
NOMINAL = {"gflop_per_image": 1.0, "cpu": {"ghz": 2.6, "flags": ["avx512f"], "peak_gflops": 332.0,
                                           "derivation": "2 cores x 2.60 GHz x 2 FMA units x 16 fp32 lanes x 2"}}


def percentages(lines):
    return [int(p) for p in re.findall(r"\*\*(\d+)%\*\*", "\n".join(lines))]


def test_the_ceiling_at_each_thread_count_is_the_best_size_measured():
    ceilings = report.gemm_ceilings(gemm((1, 512, 90.0), (1, 1024, 100.0), (2, 512, 190.0), (2, 1024, 180.0)))

    assert {t: (c["n"], c["gflops"]) for t, c in ceilings.items()} == {1: (1024, 100.0), 2: (512, 190.0)}


def test_the_ratio_divides_by_the_measured_ceiling_at_the_same_thread_count():
    table = ort((1, 32, 60.0), (1, 128, 80.0), (2, 32, 150.0), (2, 128, 140.0))
    ceilings = report.gemm_ceilings(gemm((1, 1024, 100.0), (2, 1024, 200.0)))

    rows = report.ceiling_rows(table, 1.0, ceilings)

    assert percentages(rows) == [80, 75]  # 80 of 100 at 1 thread (batch 128), 150 of 200 at 2 (batch 32)
    assert "80.0 GFLOP/s (batch 128) of 100.0 (MatMul 1024x1024" in rows[0]
    assert "332" not in "\n".join(rows)


def test_the_measured_ceiling_is_used_even_where_a_nominal_peak_is_recorded():
    table = ort((2, 128, 385.0))
    ceilings = report.gemm_ceilings(gemm((2, 1024, 440.0)))

    rows = report.ceiling_rows(table, NOMINAL["gflop_per_image"], ceilings)
    machine, text = report.ceiling_text(NOMINAL, ceilings, 385.0)

    assert percentages(rows) == [88]
    assert "not measured" not in "\n".join(rows + machine + text)
    assert "332" not in "\n".join(rows + machine + text)
    assert "2 thread(s): **440.0 GFLOP/s** (MatMul 1024x1024" in machine[1]


def test_a_run_without_a_measured_ceiling_says_so_and_gives_no_ratio():
    table = ort((1, 128, 200.0), (2, 128, 385.0))

    rows = report.ceiling_rows(table, 1.0, report.gemm_ceilings({"rows": []}))
    machine, text = report.ceiling_text(NOMINAL, {}, 385.0)

    assert rows == ["| achieved vs measured GEMM ceiling | 385.0 GFLOP/s (batch 128, 2 threads; 1.000 GFLOP per "
                    "image); **ceiling not measured in this run**, so no ratio |"]
    assert percentages(rows) == []
    assert machine[1] == "| fp32 GEMM ceiling (measured) | not measured in this run |"
    # the nominal figure is explained, not used: it was below what the model achieved because of the clock
    assert "This run measured no ceiling" in text[-1]
    assert "332 GFLOP/s" in text[-1] and "116% of it" in text[-1] and "base clock the VM shows" in text[-1]


def test_a_thread_count_without_a_ceiling_gets_no_ratio():
    rows = report.ceiling_rows(ort((1, 32, 60.0), (2, 32, 150.0)), 1.0, report.gemm_ceilings(gemm((2, 512, 200.0))))

    assert rows[0].endswith("ceiling not measured at 1 thread(s) |")
    assert percentages(rows) == [75]


def render(raw: Path, tmp_path: Path) -> str:
    doc = tmp_path / "benchmarks.md"
    report.main(["--raw", str(raw), "--doc", str(doc), "--plots", str(tmp_path / "plots"),
                 "--commands", str(raw / "commands.txt")])
    return doc.read_text()


def headline(md: str) -> str:
    return md.split("## Headline", 1)[1].split("\n## ", 1)[0]


def test_the_kept_run_renders_without_a_ratio_over_100_percent(tmp_path):
    md = render(KEPT_RAW, tmp_path)

    assert "ceiling not measured in this run" in headline(md)
    assert not [p for p in re.findall(r"(\d+)%", headline(md)) if int(p) > 100]
    assert "| fp32 GEMM ceiling (measured) | not measured in this run |" in md


def test_the_kept_run_with_a_measured_ceiling_takes_its_ratio_from_it(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(KEPT_RAW, raw)
    inference = json.loads((raw / "inference.json").read_text())
    inference.update(gemm((1, 1024, 230.0), (2, 1024, 440.0)))
    (raw / "inference.json").write_text(json.dumps(inference))

    head = headline(render(raw, tmp_path))

    assert "| achieved vs measured GEMM ceiling, 2 ORT thread(s) | 385.0 GFLOP/s (batch 128) of 440.0" in head
    assert "= **88%**" in head and "not measured" not in head and "332" not in head
