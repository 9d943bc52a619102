"""The e2e report's CPU tables and "Done when" verdicts, on a hand-made e2e report."""
import cpu_report

GROUPS = ["stream_threads", "decode_pool", "onnxruntime", "streams_clients", "broker", "load_generator", "jvm_gc",
          "jvm_compiler", "other"]


def row(name, rate, throughput, p99, service, max_batch=32, broker=1.0, registry=0.5):
    cpu = {g: 0.0 for g in GROUPS}
    cpu.update(stream_threads=service, broker=broker, ended_threads=0.0, registry=registry,
               this_jvm=service + broker)
    return {"name": name, "settings": {"max_batch": max_batch, "offered_events_per_s": rate, "events": 100},
            "throughput_events_per_s": throughput, "latency_ms": {"p50": p99 / 2, "p99": p99},
            "cpu_ms_per_event": cpu, "service_cpu_ms_per_event": service, "work_cpu_ms_per_event": 3.0,
            "pipeline_efficiency": 3.0 / service}


def run(*rows, ceiling=200.0):
    return {"label": "as served", "settings": {"threads": 2}, "raw_ceiling": {"imagesPerSecond": ceiling},
            "cpu_groups": GROUPS, "service_cpu_groups": GROUPS[:4], "scenarios": list(rows)}


def verdicts(e2e):
    return [c["passed"] for c in cpu_report.done_when(e2e)]


def test_all_four_criteria_pass_at_their_limits():
    e2e = run(row("saturation", 0, 100.0, 900, 4.0), row("per-record", 0, 100.0, 900, 6.0, max_batch=1),
              row("rate-25pct", 25.0, 25.0, 40, 6.0), row("rate-50pct", 50.0, 50.0, 50, 5.0))

    assert verdicts(e2e) == [True, True, True, True]


def test_each_criterion_fails_on_its_own_figure():
    e2e = run(row("saturation", 0, 99.0, 900, 4.0), row("per-record", 0, 120.0, 900, 6.0, max_batch=1),
              row("rate-25pct", 25.0, 25.0, 40, 6.1), row("rate-50pct", 50.0, 50.0, 51, 5.0))

    assert verdicts(e2e) == [False, False, False, False]
    assert "6.10 / 4.00 ms = 1.52x" in cpu_report.done_when(e2e)[3]["measured"]


def test_a_scenario_the_run_did_not_have_is_not_measured_rather_than_failed():
    e2e = run(row("saturation", 0, 150.0, 900, 4.0))

    assert verdicts(e2e) == [True, None, None, None]
    assert "not measured" in "\n".join(cpu_report.done_when_block(e2e, "triagenet 2.0.0"))


def test_the_cpu_table_has_a_column_per_group_and_the_service_sum():
    e2e = run(row("saturation", 0, 100.0, 900, 4.0), row("rate-25pct", 25.0, 25.0, 40, 6.0))

    header, _, saturation, quarter = cpu_report.cpu_table(e2e)[2:]

    # scenario, offered, 4 service groups, service, 5 other groups, ended, this JVM, registry, work, efficiency
    assert header.count("|") - 1 == 17
    assert "**service**" in header and "registry (own JVM)" in header
    assert saturation.startswith("| saturation | max | 4.00 |") and "| **4.00** |" in saturation
    assert quarter.startswith("| rate-25pct | 25.0 |") and saturation.endswith("| 0.75 |")


def test_shares_are_of_the_jvm_and_the_registry_together():
    e2e = run(row("saturation", 0, 100.0, 900, 3.0, broker=1.0, registry=1.0))

    line = cpu_report.shares_table(e2e)[-1]

    assert line == "| saturation | 60% | 20% | 20% | 0% | 0% | 0% | 5.00 |"


def test_at_least_once_is_judged_as_the_alternative_only_when_it_was_measured():
    served = run(row("saturation", 0, 100.0, 900, 4.0), row("rate-50pct", 50.0, 50.0, 240, 5.0))
    at_least_once = run(row("saturation", 0, 110.0, 900, 4.0), row("rate-50pct", 55.0, 55.0, 45, 5.0))

    assert len(cpu_report.done_when(served)) == 4
    with_alternative = cpu_report.done_when(served, at_least_once)
    assert [c["passed"] for c in with_alternative[2:4]] == [False, True]
    assert with_alternative[3]["measured"] == "45 ms at 55.0 ev/s"
