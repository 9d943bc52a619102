"""The end-to-end benchmark's CPU accounting and acceptance criteria, as report.py puts them in docs/benchmarks.md.

Reads the e2e JSON (`BenchCli e2e`): per scenario row, `cpu_ms_per_event` by thread group of the benchmark JVM
(from /proc, see `ThreadCpuMeter`), the registry's process, `service_cpu_ms_per_event` and `pipeline_efficiency`.
"""
from __future__ import annotations

# The "Done when" targets.
MIN_CEILING_FRACTION = 0.5
MAX_P99_MS_AT_HALF_LOAD = 50.0
MAX_CPU_RATIO_QUARTER_TO_SATURATION = 1.5

GROUP_LABELS = {
    "stream_threads": "stream threads", "decode_pool": "decode pool", "onnxruntime": "ONNX Runtime pool",
    "streams_clients": "streams clients", "broker": "broker", "load_generator": "load gen + collector",
    "jvm_gc": "JVM GC", "jvm_compiler": "JVM JIT", "other": "other", "ended_threads": "ended threads",
    "this_jvm": "this JVM", "registry": "registry (own JVM)"}

DEFINITIONS = (
    "CPU is read from Linux's /proc between the first send and the last result of each scenario: "
    "utime + stime of every thread of the benchmark JVM (`/proc/self/task/*/stat`, 10 ms ticks) and of the "
    "registry's process. Threads are grouped by their name as Linux keeps it (15 characters: the streams app's "
    "client id is `triage`, so stream threads show as `triage-StreamTh`; the decode pool's as `triage-preproce`; "
    "ONNX Runtime's native pool threads inherit the name of the thread that created the session, `ort-intra-op`; "
    "GC, G1 and the VM thread count as JVM GC, C1/C2 as JVM JIT) and, where names are shared (every Kafka "
    "producer's network thread is `kafka-producer-`), by which component was starting when the thread was born. "
    "ONNX Runtime runs part of every inference on the calling stream thread, so the stream threads' column holds "
    "inference too. *Ended threads* = the JVM's total minus its live threads (clients closed during the scenario, "
    "and rounding). **Service CPU per event** = stream threads + decode pool + ONNX Runtime pool + streams clients "
    "(their producers' network threads, consumer heartbeat, admin client, state updater); JVM GC and JIT are left "
    "out, because the JVM also hosts the broker and the load generator and their share cannot be split fairly. "
    "**Pipeline efficiency** = the work per event / service CPU per event, where the work is JPEG decode + "
    "preprocess (ms per image on one thread) + inference at the max batch (ms per image x the ONNX Runtime "
    "threads), both from the stage profile below; 1.0 would mean the service spends CPU on nothing but decoding "
    "and batched inference.")


def setting(run: dict, key: str, default=None):
    return run.get("settings", {}).get(key, default)


def scenario(run: dict, name: str) -> dict | None:
    return next((s for s in run["scenarios"] if s["name"] == name), None)


def offered_label(row: dict) -> str:
    rate = row["settings"]["offered_events_per_s"]
    return "max" if rate == 0 else f"{rate:,.1f}"


def _ms(value) -> str:
    return "n/a" if value is None else f"{value:,.2f}"


def cpu_table(run: dict) -> list[str]:
    """CPU ms per event by thread group and process, one row per scenario."""
    rows = [s for s in run["scenarios"] if "cpu_ms_per_event" in s]
    if not rows:
        return []
    service = run["service_cpu_groups"]
    rest = [g for g in run["cpu_groups"] if g not in service] + ["ended_threads"]
    head = (["scenario", "offered (ev/s)"] + [GROUP_LABELS.get(g, g) for g in service] + ["**service**"]
            + [GROUP_LABELS.get(g, g) for g in rest] + ["this JVM", "registry (own JVM)", "work", "efficiency"])
    lines = ["CPU ms per event by stage and process:", "", "| " + " | ".join(head) + " |",
             "|---|" + "---:|" * (len(head) - 1)]
    for s in rows:
        cpu = s["cpu_ms_per_event"]
        cells = ([s["name"], offered_label(s)] + [_ms(cpu.get(g)) for g in service]
                 + [f"**{_ms(s['service_cpu_ms_per_event'])}**"] + [_ms(cpu.get(g)) for g in rest]
                 + [_ms(cpu.get("this_jvm")), _ms(cpu.get("registry")), _ms(s.get("work_cpu_ms_per_event")),
                    "n/a" if s.get("pipeline_efficiency") is None else f"{s['pipeline_efficiency']:.2f}"])
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def shares_table(run: dict) -> list[str]:
    """Each part's share of all the CPU the run used (the benchmark JVM + the registry's)."""
    rows = [s for s in run["scenarios"] if "cpu_ms_per_event" in s]
    if not rows:
        return []
    parts = {"service": lambda s, c: s["service_cpu_ms_per_event"], "broker": lambda s, c: c["broker"],
             "registry": lambda s, c: c.get("registry") or 0.0,
             "load gen + collector": lambda s, c: c["load_generator"],
             "JVM GC + JIT": lambda s, c: c["jvm_gc"] + c["jvm_compiler"],
             "other + ended": lambda s, c: c["other"] + c["ended_threads"]}
    lines = ["Shares of all CPU used (this JVM + the registry's):", "",
             "| scenario | " + " | ".join(parts) + " | all (ms/event) |", "|---|" + "---:|" * (len(parts) + 1)]
    for s in rows:
        cpu = s["cpu_ms_per_event"]
        total = cpu["this_jvm"] + (cpu.get("registry") or 0.0)
        cells = [f"{100 * part(s, cpu) / total:.0f}%" if total > 0 else "n/a" for part in parts.values()]
        lines.append(f"| {s['name']} | " + " | ".join(cells) + f" | {total:,.2f} |")
    return lines


def quarter_to_saturation(run: dict) -> tuple[float, float] | None:
    """Service CPU per event at a quarter of saturation and at saturation."""
    quarter, sat = scenario(run, "rate-25pct"), scenario(run, "saturation")
    if not quarter or not sat or "service_cpu_ms_per_event" not in sat:
        return None
    return quarter["service_cpu_ms_per_event"], sat["service_cpu_ms_per_event"]


def done_when(run: dict, alternative: dict | None = None) -> list[dict]:
    """The issue's four criteria: what was measured and whether it passes (None: the run did not measure it).

    `alternative`: the at-least-once run, whose p99 at half of its saturation is the documented alternative to
    exactly-once's."""
    sat, per_record, half = scenario(run, "saturation"), scenario(run, "per-record"), scenario(run, "rate-50pct")
    ceiling = run["raw_ceiling"]["imagesPerSecond"]
    sat_tp = sat["throughput_events_per_s"] if sat else None
    criteria = []

    fraction = sat_tp / ceiling if sat_tp is not None and ceiling else None
    criteria.append({"criterion": f"saturation / raw inference ceiling >= {MIN_CEILING_FRACTION}",
                     "measured": "n/a" if fraction is None else
                     f"{sat_tp:,.1f} / {ceiling:,.1f} ev/s = {fraction:.2f}",
                     "passed": None if fraction is None else fraction >= MIN_CEILING_FRACTION})

    per_tp = per_record["throughput_events_per_s"] if per_record else None
    criteria.append({"criterion": "batched never slower than per-record (saturation throughput)",
                     "measured": "n/a" if per_tp is None or sat_tp is None else
                     f"batched {sat_tp:,.1f} vs per-record {per_tp:,.1f} ev/s ({sat_tp / per_tp:.2f}x)",
                     "passed": None if per_tp is None or sat_tp is None else sat_tp >= per_tp})

    p99 = half["latency_ms"]["p99"] if half else None
    criteria.append({"criterion": f"p99 <= {MAX_P99_MS_AT_HALF_LOAD:.0f} ms at half of saturation",
                     "measured": "n/a" if p99 is None else
                     f"{p99:,.0f} ms at {half['settings']['offered_events_per_s']:,.1f} ev/s",
                     "passed": None if p99 is None else p99 <= MAX_P99_MS_AT_HALF_LOAD})
    alt_half = scenario(alternative, "rate-50pct") if alternative else None
    if alt_half:
        alt_p99 = alt_half["latency_ms"]["p99"]
        criteria.append({"criterion": f"... or at-least-once (the documented alternative): p99 <= "
                                      f"{MAX_P99_MS_AT_HALF_LOAD:.0f} ms at half of its saturation",
                         "measured": f"{alt_p99:,.0f} ms at {alt_half['settings']['offered_events_per_s']:,.1f} ev/s",
                         "passed": alt_p99 <= MAX_P99_MS_AT_HALF_LOAD})

    cpu = quarter_to_saturation(run)
    criteria.append({"criterion": f"service CPU per event at a quarter of saturation <= "
                                  f"{MAX_CPU_RATIO_QUARTER_TO_SATURATION} x at saturation",
                     "measured": "n/a" if cpu is None else
                     f"{cpu[0]:.2f} / {cpu[1]:.2f} ms = {cpu[0] / cpu[1]:.2f}x",
                     "passed": None if cpu is None or cpu[1] == 0 else
                     cpu[0] <= MAX_CPU_RATIO_QUARTER_TO_SATURATION * cpu[1]})
    return criteria


def done_when_block(run: dict, label: str, alternative: dict | None = None) -> list[str]:
    verdict = {True: "**PASS**", False: "**FAIL**", None: "not measured"}
    lines = [f"## Done when ({label})", "", "| criterion | measured | |", "|---|---|---|"]
    lines += [f"| {c['criterion']} | {c['measured']} | {verdict[c['passed']]} |" for c in done_when(run, alternative)]
    return lines


def draw_cpu(ax, runs: list[tuple[str, dict]]):
    """Service CPU ms per event (solid) and the whole JVM's (dotted) against the load each scenario got."""
    for label, run in runs:
        rows = [s for s in run["scenarios"] if "cpu_ms_per_event" in s and s["settings"]["max_batch"] > 1]
        # a fixed rate is plotted at the rate offered; saturation at the rate it reached
        points = sorted(((s["settings"]["offered_events_per_s"] or s["throughput_events_per_s"], s) for s in rows),
                        key=lambda p: p[0])
        if not points:
            continue
        x = [p[0] for p in points]
        line, = ax.plot(x, [p[1]["service_cpu_ms_per_event"] for p in points], "-", marker="o",
                        label=f"{label}: service")
        ax.plot(x, [p[1]["cpu_ms_per_event"]["this_jvm"] for p in points], ":", marker=".", color=line.get_color(),
                label=f"{label}: whole JVM")
    ax.set_ylim(bottom=0)
