"""The report's shadow section: the live path at the same rate as served and with a shadow model scoring every batch,
from the shadow pair's e2e report (`BenchCli e2e --shadow-fractions`), and a pair run on its own later
(`bin/bench --only shadow`) added to a kept run without changing its figures."""
import json
import shutil
from pathlib import Path

import report

KEPT_RAW = Path(__file__).resolve().parents[2] / "docs" / "benchmarks" / "raw"
GROUPS = ["stream_threads", "decode_pool", "onnxruntime", "streams_clients", "broker", "load_generator", "jvm_gc",
          "jvm_compiler", "other"]


def row(name, p50, p99, service, jvm, shadow=None, rate=96.0, events=2880):
    cpu = {g: 0.0 for g in GROUPS}
    cpu.update(stream_threads=service, ended_threads=0.0, registry=0.1, this_jvm=jvm)
    s = {"name": name, "settings": {"max_batch": 32, "offered_events_per_s": rate, "events": events,
                                    "load_fraction": 0.5},
         "results": events, "dead_letters": 0, "complete": True, "wall_s": 30.0, "throughput_events_per_s": rate,
         "latency_ms": {"p50": p50, "p95": p99 / 2, "p99": p99, "max": 2 * p99}, "images_by_batch_size": {"1": events},
         "mean_batch_size": 1.0, "process_cpu_cores": 1.3, "machine_busy_fraction": 0.7, "cpu_ms_per_event": cpu,
         "service_cpu_ms_per_event": service}
    if shadow is not None:
        s["settings"]["shadow"] = True
        s["shadow"] = shadow
    return s


def shadow_of(results, model_dir="models/triagenet/2.0.0", model="triagenet:2.0.0-shadow", **skipped):
    return {"model": model, "model_dir": model_dir, "topic": "triage-shadow-results-x", "results_on_topic": results,
            "results_per_event": results / 2880, "results_counted": results, "skipped": skipped}


def pair_run(shadow):
    return {"label": "shadow pair", "model": {"dir": "models/triagenet/2.0.0"},
            "scenarios": [row("saturation", 500, 900, 7.0, 14.0, rate=0, events=1000),
                          row("rate-50pct", 13, 70, 8.0, 14.0), row("shadow-50pct", 20, 140, 12.0, 18.0, shadow)]}


def test_the_pair_is_compared_at_the_same_rate_with_the_shadow_s_results_counted():
    lines = report.shadow_section(pair_run(shadow_of(2880)))
    text = "\n".join(lines)

    assert lines[0] == "## Shadow scoring: the live path with and without a shadow model"
    live = next(line for line in lines if line.startswith("| rate-50pct |"))
    shadowed = next(line for line in lines if line.startswith("| shadow-50pct |"))
    assert live.startswith("| rate-50pct | 96.0 | 2880 | 13 | 35 | 70 | 140 |") and live.endswith("| n/a | n/a |")
    assert shadowed.startswith("| shadow-50pct | 96.0 | 2880 | 20 | 70 | 140 | 280 |")
    assert shadowed.endswith("| 12.00 | 18.00 | 70% | 2,880 / 2,880 | none |")
    assert ("| **shadow-50pct / rate-50pct** | | | **1.54x** | 2.00x | **2.00x** | 2.00x | | **1.50x** | 1.29x "
            "| | | |") in lines
    assert "live p99 was **140 ms** against 70 ms as served (**2.00x**)" in text
    assert "The shadow wrote 2,880 results for 2,880 live ones (100%), skipped: none." in text
    # 12 ms x 96 ev/s against 7 ms x 0 ev/s at saturation: the hand-made saturation row reached no throughput
    assert "cores at this rate" not in text


def test_the_shadow_s_cpu_is_set_against_what_the_service_used_at_saturation():
    run = pair_run(shadow_of(2880))
    run["scenarios"][0]["throughput_events_per_s"] = 160.0  # 7 ms x 160 ev/s = 1.12 cores at saturation

    near = "\n".join(report.shadow_section(run))  # 12 ms x 96 ev/s = 1.15 cores with the shadow
    run["scenarios"][2]["service_cpu_ms_per_event"] = 9.0  # 0.86 cores
    below = "\n".join(report.shadow_section(run))

    assert ("With the shadow the service's threads used 1.15 cores at this rate, 1.03x the 1.12 they used at "
            "saturation as served: as much as a saturated service, so a little less CPU for it (a busier machine) "
            "builds a queue.") in near
    assert ("With the shadow the service's threads used 0.86 cores at this rate, 0.77x the 1.12 they used at "
            "saturation as served.") in below


def test_the_served_model_loaded_again_is_named_as_the_worst_case_and_another_by_its_folder():
    same = "\n".join(report.shadow_section(pair_run(shadow_of(2880))))
    int8 = "\n".join(report.shadow_section(pair_run(shadow_of(2880, "models/triagenet/2.0.0-int8",
                                                                "triagenet:2.0.0-int8"))))

    assert "loaded a second time" in same and "the worst case" in same and "`triagenet:2.0.0-shadow`" in same
    assert "`models/triagenet/2.0.0-int8` (`triagenet:2.0.0-int8`) in a session of its own" in int8
    assert "worst case" not in int8


def test_skipped_shadow_batches_are_reported_by_reason():
    text = "\n".join(report.shadow_section(pair_run(shadow_of(2000, lag=800, not_ready=80))))

    assert "| 2,000 / 2,000 | lag 800, not_ready 80 |" in text
    assert "The shadow wrote 2,000 results for 2,880 live ones (69%), skipped: 800 for lag, 80 for not_ready." in text


def test_no_section_without_a_shadow_pair():
    no_pair = pair_run(shadow_of(2880))
    no_pair["scenarios"] = no_pair["scenarios"][:2]

    assert report.shadow_section(None) == []
    assert report.shadow_section(no_pair) == []


def test_a_pair_run_later_says_when_where_and_how_busy_the_machine_was():
    rerun = {"busy_fraction": 0.62, "loadavg": ["1.90", "1.70", "1.50"], "top_processes": ["60.0% python3 -m x"],
             "at": "2026-12-08 10:00:00 UTC", "commit": "abc1234", "cpu": "2-core Intel(R) Xeon(R) Processor"}

    elsewhere = "\n".join(report.shadow_section(pair_run(shadow_of(2880)), rerun, "2-core AMD EPYC"))
    same = "\n".join(report.shadow_section(pair_run(shadow_of(2880)), rerun, "2-core Intel(R) Xeon(R) Processor"))

    assert ("Run again on its own later, with `bin/bench --only`, at commit abc1234 (2026-12-08 10:00:00 UTC) on a "
            "2-core Intel(R) Xeon(R) Processor: the machine was 62% busy before it, load average 1.90 1.70 1.50; "
            "busiest: 60.0% python3 -m x. The rest of this report ran on a 2-core AMD EPYC: compare this run's rows "
            "with each other, not with the other sections.") in elsewhere
    assert "busiest: 60.0% python3 -m x." in same and "The rest of this report" not in same


def render(raw: Path, tmp_path: Path, name: str) -> list[str]:
    doc = tmp_path / name / "benchmarks.md"
    report.main(["--raw", str(raw), "--doc", str(doc), "--plots", str(tmp_path / name / "plots"),
                 "--commands", str(raw / "commands.txt")])
    return doc.read_text().splitlines()


def test_a_pair_run_later_is_added_to_the_kept_run_without_changing_its_figures(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(KEPT_RAW, raw)
    for kept in raw.glob("*shadow*"):  # the kept run as it was before any shadow pair
        kept.unlink()
    before = render(raw, tmp_path, "before")
    (raw / "e2e-shadow.json").write_text(json.dumps({
        **json.loads((raw / "e2e.json").read_text()), "label": "shadow pair",
        "scenarios": pair_run(shadow_of(2880))["scenarios"]}))
    (raw / "rerun-e2e-shadow.json").write_text(json.dumps({
        "busy_fraction": 0.5, "loadavg": ["1", "1", "1"], "top_processes": [], "at": "later", "commit": "abc1234",
        "cpu": "2-core Intel(R) Xeon(R) Processor"}))
    (raw / "rerun-e2e-shadow.txt").write_text("java ... BenchCli e2e --shadow-fractions 0.5 # 170 s\n")

    after = render(raw, tmp_path, "after")

    changed = [line for line in before if line not in after]
    assert len(changed) == 1 and changed[0].startswith("CPU benchmarks of the served model")
    header = next(line for line in after if line.startswith("CPU benchmarks of the served model"))
    assert header.endswith("Except `e2e-shadow.json`: run again on its own later with `bin/bench --only` (its "
                           "section says when).")
    assert "## Shadow scoring: the live path with and without a shadow model" in after
    assert "### Shadow pair" in after
    # the kept run's machine.json has no CPU name: its lscpu names it
    assert "The rest of this report ran on a 2-core AMD EPYC" in "\n".join(after)
    later = after.index("Run again later on its own (`bin/bench --only`, commit abc1234, later), `e2e-shadow.json`:")
    assert after[later + 3] == "java ... BenchCli e2e --shadow-fractions 0.5 # 170 s"
    # the kept run's own commands stay its own, and its duration does not take the later run in
    assert commands(after) == commands(before)


def commands(lines: list[str]) -> list[str]:
    """The commands block of the run the report is from."""
    start = lines.index("## Commands of this run") + 3
    return lines[start:lines.index("```", start)]
