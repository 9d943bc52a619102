"""Turns the raw benchmark JSON written by bin/bench into docs/benchmarks.md and its PNG plots.

Every figure in the report comes from the JSON of one bin/bench run; the prose around the numbers is written
from them too, so a rerun cannot leave a stale claim behind.
"""
from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import cpu_report  # noqa: E402
from cpu_report import scenario, setting  # noqa: E402


def load(raw: Path, name: str):
    path = raw / name
    return json.loads(path.read_text()) if path.exists() else None


def ort_table(inference: dict) -> dict:
    return {(r["opt_level"], r["threads"], r["result"]["batchSize"]): r["result"] for r in inference["rows"]}


def torch_table(torch_report: dict | None) -> dict:
    if not torch_report:
        return {}
    return {(r["threads"], r["result"]["batchSize"]): r["result"] for r in torch_report["rows"]}


def fmt(value, digits=1):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def plot_throughput(ort: dict, torch: dict, out: Path):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for (level, style) in (("ALL", "-"), ("BASIC", ":")):
        for threads, color in ((1, "tab:blue"), (2, "tab:orange")):
            points = sorted((b, r["imagesPerSecond"]) for (lv, t, b), r in ort.items() if lv == level and t == threads)
            if points:
                ax.plot(*zip(*points), style, marker="o", color=color, label=f"ORT Java {level}, {threads} thr")
    for threads, color in ((1, "tab:green"), (2, "tab:red")):
        points = sorted((b, r["imagesPerSecond"]) for (t, b), r in torch.items() if t == threads)
        if points:
            ax.plot(*zip(*points), "--", marker="s", color=color, label=f"PyTorch eager, {threads} thr")
    ax.set_xscale("log", base=2)
    finish(fig, ax, out, "batch size", "images / s", "CPU inference throughput of the served model")


def plot_latency(e2e_runs: list[tuple[str, dict]], out: Path):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, e2e in e2e_runs:
        rows = sorted((s for s in e2e["scenarios"] if s["name"].startswith("rate-")),
                      key=lambda s: s["throughput_events_per_s"])
        if not rows:
            continue
        x = [s["throughput_events_per_s"] for s in rows]
        for pct, style in (("p50", "-"), ("p99", "--")):
            ax.plot(x, [s["latency_ms"][pct] for s in rows], style, marker="o", label=f"{label} {pct}")
    ax.axhline(cpu_report.MAX_P99_MS_AT_HALF_LOAD, color="grey", lw=0.8)
    ax.set_yscale("log")
    finish(fig, ax, out, "offered load, events / s", "end-to-end latency, ms",
           "Latency vs load (record timestamp to committed result)")


def plot_cpu(e2e_runs: list[tuple[str, dict]], out: Path):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    cpu_report.draw_cpu(ax, e2e_runs)
    finish(fig, ax, out, "offered load, events / s (saturation: as reached)", "CPU ms per event",
           "CPU per event vs load (service threads, whole JVM)")


def finish(fig, ax, out: Path, xlabel: str, ylabel: str, title: str):
    """Labels, grid and legend as every plot of the report has them; saves and closes the figure."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def nearest_batch_ms_per_image(ort: dict, threads: int, batch: float) -> float | None:
    sizes = sorted(b for (lv, t, b) in ort if lv == "ALL" and t == threads)
    if not sizes:
        return None
    nearest = min(sizes, key=lambda b: abs(b - batch))
    return ort[("ALL", threads, nearest)]["medianMs"] / nearest


def gemm_ceilings(inference: dict) -> dict[int, dict]:
    """The measured fp32 ceiling by ONNX Runtime thread count: the best sustained MatMul of `BenchCli inference
    --gemm-graph` over the sizes it tried. Empty for a run that did not measure one."""
    best: dict[int, dict] = {}
    for r in (inference.get("gemm_ceiling") or {}).get("rows", []):
        if r["threads"] not in best or r["gflops"] > best[r["threads"]]["gflops"]:
            best[r["threads"]] = r
    return best


def ceiling_rows(ort: dict, gflop: float, ceilings: dict[int, dict]) -> list[str]:
    """Headline rows: the model's best GFLOP/s at each thread count against the MatMul ceiling measured with the same
    engine, session options and threads. Without a measured ceiling there is no ratio: a peak from a formula is
    no denominator (see ceiling_text)."""
    best_by_threads = {}
    for (level, t, b), r in ort.items():
        best = best_by_threads.get(t)
        if level == "ALL" and (best is None or r["imagesPerSecond"] > best[1]["imagesPerSecond"]):
            best_by_threads[t] = (b, r)
    if not ceilings:
        t, (b, r) = max(best_by_threads.items(), key=lambda kv: kv[1][1]["imagesPerSecond"])
        return [f"| achieved vs measured GEMM ceiling | {fmt(r['imagesPerSecond'] * gflop)} GFLOP/s (batch {b}, "
                f"{t} threads; {gflop:.3f} GFLOP per image); **ceiling not measured in this run**, so no ratio |"]
    rows = []
    for t, (b, r) in sorted(best_by_threads.items()):
        achieved = r["imagesPerSecond"] * gflop
        c = ceilings.get(t)
        if c is None:
            rows.append(f"| achieved vs measured GEMM ceiling, {t} ORT thread(s) | {fmt(achieved)} GFLOP/s "
                        f"(batch {b}); ceiling not measured at {t} thread(s) |")
            continue
        share = 100 * achieved / c["gflops"]
        rows.append(f"| achieved vs measured GEMM ceiling, {t} ORT thread(s) | {fmt(achieved)} GFLOP/s (batch {b}) of "
                    f"{fmt(c['gflops'])} (MatMul {c['n']}x{c['n']}, same engine, options and threads) = "
                    f"**{share:.0f}%** ({gflop:.3f} GFLOP per image)"
                    + ("; the model's conv kernels outran ONNX Runtime's MatMul here" if share > 100 else "") + " |")
    return rows


def ceiling_text(flops: dict, ceilings: dict[int, dict], best_gflops: float) -> tuple[list[str], list[str]]:
    """The machine section's rows on the ceiling, and the paragraph on why it is measured rather than computed."""
    ghz = flops["cpu"].get("ghz")
    rows = [f"| clock in /proc/cpuinfo | {fmt(ghz, 2)} GHz ('cpu MHz': in a VM the base/TSC clock, not the boost "
            "clock) |" if ghz else "| clock in /proc/cpuinfo | not reported |"]
    if ceilings:
        rows.append("| fp32 GEMM ceiling (measured) | " + "; ".join(
            f"{t} thread(s): **{fmt(c['gflops'])} GFLOP/s** (MatMul {c['n']}x{c['n']}, median run "
            f"{fmt(c['medianMs'], 2)} ms)" for t, c in sorted(ceilings.items())) + " |")
    else:
        rows.append("| fp32 GEMM ceiling (measured) | not measured in this run |")
    text = ["", "The model's GFLOP/s are compared with a ceiling measured on the machine, not with a peak from a "
            "formula: `model_flops.py --gemm-graph` writes a MatMul-only graph (C = A x B, A and B [n, n] fp32), and "
            "`BenchCli inference --gemm-graph` runs it with the model's engine (ONNX Runtime Java), the service's CPU "
            "session options and each thread count of the sweep; the ceiling is the best sustained GFLOP/s over the "
            "sizes tried (2 n^3 FLOPs per product x runs / seconds). A ratio near 100% means the model runs as fast "
            "as ONNX Runtime's own MatMul does here. No nominal peak is given: /proc/cpuinfo in a VM shows the "
            "base/TSC clock, not the boost clock the cores run at, and the flags do not tell how many FMA units a "
            "core has or how wide they are (Zen 4 runs AVX-512 on 256-bit halves, Zen 5 has full 512-bit datapaths, "
            "Xeon Gold/Platinum two 512-bit FMA units per core, many other Intel parts one), so cores x clock x FMA "
            "units x lanes x 2 can be off by 2x either way."]
    nominal = flops["cpu"].get("peak_gflops")
    if not ceilings:
        text[-1] += (" This run measured no ceiling (its `inference.json` has no `gemm_ceiling`; `bin/bench` measures "
                     "it now), so the headline gives the model's GFLOP/s without a ratio.")
        if nominal:
            # a run from before the ceiling was measured: say why its nominal figure was no bound
            text[-1] += (f" Its `flops.json` still holds a peak computed that way, {fmt(nominal, 0)} GFLOP/s "
                         f"({flops['cpu'].get('derivation', 'from /proc/cpuinfo')}); the model achieved "
                         f"{fmt(best_gflops)} GFLOP/s, {100 * best_gflops / nominal:.0f}% of it, because that "
                         "formula takes the base clock the VM shows, not the boost clock the cores ran at, and "
                         "assumes the FMA units and width. It is not a ceiling and is not used as one.")
    return rows, text


def e2e_section(e2e: dict, ort: dict, title: str) -> list[str]:
    max_batch = setting(e2e, "max_batch")
    lines = [f"### {title}", "",
             "Settings: " + ", ".join(f"{k} `{v if isinstance(v, str) else json.dumps(v)}`"
                                      for k, v in e2e["settings"].items()) + ".", "",
             f"Corpus: {e2e['corpus']}, mean event {e2e['mean_event_bytes'] / 1024:.1f} KiB. Raw inference ceiling "
             f"at batch {max_batch} with the same {setting(e2e, 'threads')} ONNX Runtime threads, measured in the "
             f"same JVM just before: **{e2e['raw_ceiling']['imagesPerSecond']:.1f} images/s**.", "",
             "| scenario | max batch | offered (ev/s) | events | throughput (ev/s) | p50 ms | p95 ms | p99 ms "
             "| max ms | mean batch | CPU (cores, this JVM) | machine busy |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in e2e["scenarios"]:
        lat = s["latency_ms"]
        lines.append(f"| {s['name']} | {s['settings']['max_batch']} | {cpu_report.offered_label(s)} | "
                     f"{s['settings']['events']} | "
                     f"{fmt(s['throughput_events_per_s'])} | {fmt(lat['p50'], 0)} | {fmt(lat['p95'], 0)} | "
                     f"{fmt(lat['p99'], 0)} | {fmt(lat['max'], 0)} | {fmt(s['mean_batch_size'])} | "
                     f"{fmt(s['process_cpu_cores'], 2)} | {fmt(s['machine_busy_fraction'] * 100, 0)}% |")
    incomplete = [s["name"] for s in e2e["scenarios"] if not s["complete"]]
    if incomplete:
        lines += ["", f"**Incomplete (timed out before every result arrived):** {', '.join(incomplete)}."]
    lines += ["", "Batch sizes the model ran (share of images, from `TriageResult.batch_size`):", ""]
    for s in e2e["scenarios"]:
        total = sum(s["images_by_batch_size"].values()) or 1
        top = sorted(s["images_by_batch_size"].items(), key=lambda kv: -kv[1])[:6]
        lines.append(f"- {s['name']}: " + ", ".join(f"{k}: {100 * v / total:.0f}%" for k, v in top))
    lines += [""] + latency_parts_table(e2e)
    for table in (cpu_report.cpu_table(e2e), cpu_report.shares_table(e2e)):
        lines += [""] + table if table else []
    cpu = cpu_report.quarter_to_saturation(e2e)
    if cpu:
        lines += ["", f"Service CPU per event at a quarter of saturation / at saturation: {cpu[0]:.2f} / "
                  f"{cpu[1]:.2f} ms = **{cpu[0] / cpu[1]:.2f}x** (target <= "
                  f"{cpu_report.MAX_CPU_RATIO_QUARTER_TO_SATURATION})."]
    return lines


def side_by_side(runs: list[tuple[str, dict]]) -> list[str]:
    """One row per run of this bin/bench: the figures the issue asks about, with ratios to the run as served."""
    served_sat = scenario(runs[0][1], "saturation")
    lines = ["## Side by side (one bin/bench run)", "",
             "Every variant ran in the same `bin/bench` invocation, one after another on the same machine; ratios are "
             "to the run as served. Latency is p50 / p99 ms; CPU is the service's ms per event.", "",
             "| run | saturation ev/s | vs served | of its raw ceiling | quarter load p50 / p99 | half load p50 / p99 "
             "| CPU at saturation | CPU at quarter | quarter / saturation |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, run in runs:
        sat, quarter, half = scenario(run, "saturation"), scenario(run, "rate-25pct"), scenario(run, "rate-50pct")
        if not sat:
            continue
        tp = sat["throughput_events_per_s"]
        lat = lambda s: f"{fmt(s['latency_ms']['p50'], 0)} / {fmt(s['latency_ms']['p99'], 0)}" if s else "n/a"  # noqa: E731
        cpu_sat = sat.get("service_cpu_ms_per_event")
        cpu_q = quarter.get("service_cpu_ms_per_event") if quarter else None
        lines.append(f"| {label} | {fmt(tp)} | {fmt(ratio(tp, served_sat['throughput_events_per_s']), 2)}x | "
                     f"{fmt(ratio(tp, run['raw_ceiling']['imagesPerSecond']), 2)} | {lat(quarter)} | {lat(half)} | "
                     f"{fmt(cpu_sat, 2)} | {fmt(cpu_q, 2)} | {fmt(ratio(cpu_q, cpu_sat), 2)} |")
    return lines


def rerun_note(rerun: dict | None, report_cpu: str | None = None) -> str:
    """Where a result measured after the rest of the report came from (`bin/bench --only`), or nothing.
    `report_cpu`: the machine of the rest of the report, named when the later run had another."""
    if not rerun:
        return ""
    cpu = rerun.get("cpu")
    other = (f" The rest of this report ran on a {report_cpu}: compare this run's rows with each other, not with "
             "the other sections." if cpu and report_cpu and cpu != report_cpu else "")
    return (f" Run again on its own later, with `bin/bench --only`, at commit {rerun.get('commit', 'unknown')} "
            f"({rerun['at']}){' on a ' + cpu if cpu else ''}: the machine was {rerun['busy_fraction'] * 100:.0f}% "
            f"busy before it, load average {' '.join(rerun['loadavg'])}; busiest: "
            f"{'; '.join(rerun['top_processes'][:3])}.{other}")


def shadow_model_text(run: dict, shadow: dict) -> str:
    """Which model scored in shadow: the served one loaded a second time (the worst case), or another."""
    live_dir = run.get("model", {}).get("dir")
    if shadow.get("model_dir") == live_dir:
        return (f"the served model's own file (`{live_dir}`) loaded a second time, in a session of its own, as "
                f"version `{shadow['model']}`: a shadow of the same size, so the live path pays for one more model run "
                "of the same cost per batch, the worst case")
    return (f"`{shadow.get('model_dir', '?')}` (`{shadow['model']}`) in a session of its own, beside the served "
            f"`{live_dir}`")


def service_cores(row: dict) -> float | None:
    cpu = row.get("service_cpu_ms_per_event")
    return None if cpu is None else cpu * row["throughput_events_per_s"] / 1000


def headroom(run: dict, shadowed: dict) -> str:
    """The service's CPU with the shadow against what it used at saturation as served: how near the shadow brings
    the live path to the point where a queue builds (then the latency is a backlog's)."""
    sat = scenario(run, "saturation")
    with_shadow, saturated = service_cores(shadowed), sat and service_cores(sat)
    if not with_shadow or not saturated:
        return ""
    return (f" With the shadow the service's threads used {with_shadow:.2f} cores at this rate, "
            f"{with_shadow / saturated:.2f}x the {saturated:.2f} they used at saturation as served"
            + (": as much as a saturated service, so a little less CPU for it (a busier machine) builds a queue."
               if with_shadow >= 0.9 * saturated else "."))


def shadow_section(run: dict | None, rerun: dict | None = None, report_cpu: str | None = None) -> list[str]:
    """The live path with and without a shadow model at the same load, back to back in one run of `BenchCli e2e
    --shadow-fractions` (bin/bench's shadow pair): live latency, CPU and what the shadow produced."""
    if not run:
        return []
    pairs = [(scenario(run, "rate-" + s["name"][len("shadow-"):]), s) for s in run["scenarios"]
             if s["name"].startswith("shadow-") and "shadow" in s]
    pairs = [(live, shadowed) for live, shadowed in pairs if live]
    if not pairs:
        return []
    lines = ["## Shadow scoring: the live path with and without a shadow model", "",
             f"From `e2e-shadow.json` ({run.get('label', 'shadow pair')}): one `BenchCli e2e` measured saturation as "
             "served, then ran each rate below as served and right after, at the same offered rate on fresh topics, "
             "with a shadow model scoring every batch in the same stream task and transaction, its results on a "
             f"shadow results topic of its own. The shadow: {shadow_model_text(run, pairs[0][1]['shadow'])}. Latency "
             "is the live results', end to end (the input record's timestamp to the live result visible to a "
             "read_committed reader); CPU is the service's ms per event (stream threads, decode pool, the ONNX "
             "Runtime pools of both models, streams clients) and the whole JVM's. Shadow results are counted on "
             "their topic (read_committed) and by the service's `triage.shadow.results` / `triage.shadow.skipped` "
             "counters." + rerun_note(rerun, report_cpu), "",
             "| scenario | offered (ev/s) | events | p50 ms | p95 ms | p99 ms | max ms | mean batch "
             "| service CPU ms/event | this JVM ms/event | machine busy | shadow results (topic / counted) "
             "| shadow skipped |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    summary = []
    for live, shadowed in pairs:
        for s in (live, shadowed):
            lat, sh = s["latency_ms"], s.get("shadow")
            skipped = ", ".join(f"{k} {v}" for k, v in sorted(sh["skipped"].items())) or "none" if sh else ""
            lines.append(f"| {s['name']} | {cpu_report.offered_label(s)} | {s['settings']['events']} | "
                         f"{fmt(lat['p50'], 0)} | {fmt(lat['p95'], 0)} | {fmt(lat['p99'], 0)} | {fmt(lat['max'], 0)} | "
                         f"{fmt(s['mean_batch_size'])} | {fmt(s.get('service_cpu_ms_per_event'), 2)} | "
                         f"{fmt(s.get('cpu_ms_per_event', {}).get('this_jvm'), 2)} | "
                         f"{fmt(s['machine_busy_fraction'] * 100, 0)}% | "
                         + (f"{sh['results_on_topic']:,} / {sh['results_counted']:,} | {skipped} |" if sh else
                            "n/a | n/a |"))
        ratios = {k: ratio(shadowed["latency_ms"][k], live["latency_ms"][k]) for k in ("p50", "p95", "p99", "max")}
        cpu = ratio(shadowed.get("service_cpu_ms_per_event"), live.get("service_cpu_ms_per_event"))
        jvm = ratio(shadowed.get("cpu_ms_per_event", {}).get("this_jvm"), live.get("cpu_ms_per_event", {}).get("this_jvm"))
        lines.append(f"| **{shadowed['name']} / {live['name']}** | | | **{fmt(ratios['p50'], 2)}x** | "
                     f"{fmt(ratios['p95'], 2)}x | **{fmt(ratios['p99'], 2)}x** | {fmt(ratios['max'], 2)}x | | "
                     f"**{fmt(cpu, 2)}x** | {fmt(jvm, 2)}x | | | |")
        sh = shadowed["shadow"]
        fraction = live["settings"].get("load_fraction")
        load = f"at {fraction * 100:.0f}% of saturation" if fraction is not None else "at the same rate"
        summary.append(
            f"{load.capitalize()} ({cpu_report.offered_label(live)} ev/s), with a shadow the live p99 was "
            f"**{fmt(shadowed['latency_ms']['p99'], 0)} ms** against {fmt(live['latency_ms']['p99'], 0)} ms as served "
            f"(**{fmt(ratios['p99'], 2)}x**), p50 {fmt(shadowed['latency_ms']['p50'], 0)} against "
            f"{fmt(live['latency_ms']['p50'], 0)} ms; the service's CPU per event "
            f"{fmt(shadowed.get('service_cpu_ms_per_event'), 2)} against {fmt(live.get('service_cpu_ms_per_event'), 2)} "
            f"ms ({fmt(cpu, 2)}x). The shadow wrote {sh['results_on_topic']:,} results for {shadowed['results']:,} "
            f"live ones ({sh['results_per_event'] * 100:.0f}%), skipped: "
            + (", ".join(f"{v} for {k}" for k, v in sorted(sh["skipped"].items())) or "none") + "."
            + headroom(run, shadowed))
    incomplete = [s["name"] for pair in pairs for s in pair if not s["complete"]]
    if incomplete:
        lines += ["", f"**Incomplete (timed out before every result arrived):** {', '.join(incomplete)}."]
    lines += [""] + summary + ["", "The whole run, its saturation and the latency and CPU by part: "
                                   "[Shadow pair](#shadow-pair) below."]
    return lines


def latency_parts_table(e2e: dict) -> list[str]:
    """Where each result's latency went (from the result's received_at and scored_at), and the stream thread's time."""
    rows = [s for s in e2e["scenarios"] if "latency_parts_ms" in s]
    if not rows:
        return []
    parts = (("sent_to_read", "sent -> read by the service"), ("read_to_scored", "read -> scored (batch wait + model)"),
             ("scored_to_visible", "scored -> visible (commit + fetch)"))
    head = [f"{label} p50 / p99 ms" for _, label in parts]
    lines = ["Latency by part, and the stream thread's time (Kafka Streams' thread metrics over their last 30 s):",
             "", "| scenario | " + " | ".join(head) + " | commits/s | commit ms avg / max "
             "| images to the changelog per event |",
             "|---|" + "---:|" * (len(head) + 3)]
    for s in rows:
        cells = [f"{fmt(s['latency_parts_ms'][k].get('p50'), 0)} / {fmt(s['latency_parts_ms'][k].get('p99'), 0)}"
                 for k, _ in parts]
        t = s.get("stream_thread_time", {})
        cells += [fmt(t.get("commit_rate")), f"{fmt(t.get('commit_latency_avg'), 1)} / {fmt(t.get('commit_latency_max'), 0)}",
                  fmt(s.get("changelog", {}).get("images_written_per_event"), 2)]
        lines.append(f"| {s['name']} | " + " | ".join(cells) + " |")
    return lines


def limits_section(e2e: dict, ort: dict) -> list[str]:
    stages = e2e["stage_ms_per_image"]
    sat = scenario(e2e, "saturation")
    if not sat:
        return []
    threads = setting(e2e, "threads")
    max_batch = setting(e2e, "max_batch")
    max_delay = setting(e2e, "max_delay_ms")
    mean_batch = max(1.0, sat["mean_batch_size"])
    inference_at_mean = nearest_batch_ms_per_image(ort, threads, mean_batch) if ort else None
    if inference_at_mean is None:
        inference_at_mean = stages["inference_at_max_batch"]
    serial = (stages["avro_decode_event"] + stages["image_decode_preprocess"] + inference_at_mean
              + stages["result_build_serialize"])
    measured_ms = 1000 / sat["throughput_events_per_s"]
    lines = ["| stage (one thread, ms per image) | ms | alone would allow (images/s) |", "|---|---:|---:|"]
    names = {"avro_decode_event": "Avro decode of the event", "image_decode_preprocess":
             "JPEG decode + resize + normalise (ImagePreprocessor)",
             "inference_at_max_batch": f"model, per image at batch {max_batch} ({threads} ORT threads, wall)",
             "result_build_serialize": "build + Avro-serialize the TriageResult"}
    for key, label in names.items():
        lines.append(f"| {label} | {stages[key]:.3f} | {fmt(1000 / stages[key], 0)} |")
    lines.append(f"| model, per image at the observed mean batch {mean_batch:.1f} (from the sweep) | "
                 f"{inference_at_mean:.3f} | {fmt(1000 / inference_at_mean, 0)} |")
    cpu = sat.get("cpu_ms_per_event")
    if not cpu:
        return lines
    # At saturation the cores are the limit: what each part costs in CPU per event decides the rate.
    machine_ms = cpu["this_jvm"] + (cpu.get("registry") or 0.0)
    service_ms = sat["service_cpu_ms_per_event"]
    model_cpu = stages["inference_at_max_batch"] * threads
    parts = {"inference (ONNX Runtime, batch "
             f"{max_batch}: wall x {threads} threads, an upper bound)": model_cpu,
             "image decode + preprocess": stages["image_decode_preprocess"],
             "the rest of the service (Kafka clients, batching, serdes, commits)": max(0.0, service_ms - model_cpu
                                                                                        - stages["image_decode_preprocess"]),
             "the co-located broker": cpu["broker"],
             "JVM JIT + GC (the broker's and load generator's code too)": cpu["jvm_compiler"] + cpu["jvm_gc"],
             "load generator + result reader": cpu["load_generator"],
             "schema registry": cpu.get("registry") or 0.0}
    cores = os.cpu_count() or 1
    lines += ["", f"Decoding runs on its own thread (`PreprocessingPool`) beside the stream thread, and ONNX Runtime "
              f"spreads each batch over {threads} threads, so at saturation the limit is the {cores} cores, not one "
              f"thread's serial work. Measured at saturation: {1000 / measured_ms:.1f} events/s, "
              f"{sat['machine_busy_fraction'] * 100:.0f}% of the machine busy, {machine_ms:.2f} ms of CPU per event "
              f"in all (this JVM + the registry's), of which:", "",
              "| part | CPU ms per event | share |", "|---|---:|---:|"]
    for name, ms in parts.items():
        lines.append(f"| {name} | {ms:.2f} | {100 * ms / machine_ms:.0f}% |")
    largest = max(parts, key=parts.get)
    lines += ["", f"**What limits throughput now: {largest}**, {parts[largest]:.2f} of {machine_ms:.2f} ms of CPU per "
              f"event. {cores} cores / {machine_ms:.2f} ms = {cores * 1000 / machine_ms:.0f} events/s if every core "
              f"were busy all the time; the service's own CPU per event is {service_ms:.2f} ms, of which decode + "
              f"inference are {sat.get('work_cpu_ms_per_event', 0):.2f} (pipeline efficiency "
              f"{sat.get('pipeline_efficiency', 0):.2f})."]
    return lines


def gpu_section(folder: Path, model: dict, e2e: dict) -> list[str]:
    """The GPU ceiling measured on a GPU machine (benchmarks/scripts/gpu_ceiling.py), kept beside the report because
    bin/bench runs where there may be no GPU."""
    md = ["", "## GPU ceiling", "",
          "`benchmarks/scripts/gpu_ceiling.py` measures the served network on an NVIDIA GPU: Python onnxruntime with "
          "the CUDA and TensorRT execution providers where that onnxruntime has them, and the same network in PyTorch "
          "(colour constancy and mirror views included), fp32 and fp16, batch 1 to 1024, the input already on the "
          "GPU (the compute ceiling, without host-to-device copies):", "",
          "```sh", f"python3 benchmarks/scripts/gpu_ceiling.py --model-dir {model.get('dir', '?')} "
          "--out gpu-ceiling.json", "```", ""]
    files = sorted(folder.glob("gpu-ceiling-*.json")) if folder.is_dir() else []
    if not files:
        return md + ["No GPU figures are kept with this report (none under `docs/benchmarks/gpu/`).", ""]
    cpu = e2e.get("raw_ceiling", {}).get("imagesPerSecond")
    for f in files:
        run = json.loads(f.read_text())
        meta = run.get("measured", {})
        md += [f"From [{f.name}](benchmarks/gpu/{f.name}), {meta.get('at', '?')}: {meta.get('machine', run.get('gpu'))}, "
               f"PyTorch {meta.get('torch', '?')}, onnxruntime {run.get('onnxruntime')}. {meta.get('note', '')}", "",
               "| engine | precision | batch | images/s | median ms per batch |" + (" x the CPU ceiling |" if cpu else ""),
               "|---|---|---:|---:|---:|" + ("---:|" if cpu else "")]
        for r in run["rows"]:
            if r["batch"] in (1, 8, 32, 128, 1024):
                md.append(f"| {r['engine']} | {r['precision']} | {r['batch']} | {r['images_per_s']:,.0f} | "
                          f"{r['median_ms']:.2f} |" + (f" {r['images_per_s'] / cpu:.1f}x |" if cpu else ""))
        md.append("")
    if cpu:
        md += [f"The CPU ceiling is this report's: {cpu:.1f} images/s at batch 32 with 2 ONNX Runtime threads. On the "
               "GPU a batch of 1 costs about what a batch of 32 costs (kernel launches, not arithmetic), so there the "
               "service should batch: `triage.batch.max-size` 128 or more and a max-delay of tens of milliseconds "
               "(docs/deploy.md).", ""]
    return md


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", required=True, help="folder with the JSON of one bin/bench run")
    ap.add_argument("--doc", required=True, help="markdown file to write")
    ap.add_argument("--plots", required=True, help="folder for the PNG plots")
    ap.add_argument("--commands", required=True, help="text file with the commands that ran")
    args = ap.parse_args(argv)
    raw, doc, plots = Path(args.raw), Path(args.doc), Path(args.plots)
    plots.mkdir(parents=True, exist_ok=True)
    flops, inference, torch_report = load(raw, "flops.json"), load(raw, "inference.json"), load(raw, "torch.json")
    e2e = load(raw, "e2e.json")
    alts = [json.loads(p.read_text()) for p in sorted(raw.glob("e2e-alt-*.json"))]
    shadow = load(raw, "e2e-shadow.json")
    # results measured after the rest, on their own (bin/bench --only): rerun-<raw file's stem>.json and .txt
    reruns = {p.stem[len("rerun-"):]: json.loads(p.read_text()) for p in sorted(raw.glob("rerun-*.json"))}
    before, after = load(raw, "machine-before.json"), load(raw, "machine-after.json")
    ort, torch = ort_table(inference), torch_table(torch_report)
    # the machine of this run, as machine_state.py names it, for results measured later on another
    report_cpu = (before or {}).get("cpu") or (f"{flops['lscpu'].get('CPU(s)', '?')}-core "
                                                f"{flops['lscpu'].get('Model name', '?')}")
    gflop = flops["gflop_per_image"]
    ceilings = gemm_ceilings(inference)
    rel = lambda p: os.path.relpath(p, doc.parent)  # noqa: E731
    plot_throughput(ort, torch, plots / "throughput_vs_batch.png")
    runs = [(e2e.get("label", "as served"), e2e)] + [(alt["label"], alt) for alt in alts]
    plot_latency(runs, plots / "latency_vs_load.png")
    plot_cpu(runs, plots / "cpu_vs_load.png")

    batches = sorted({b for (_, _, b) in ort})
    threads = sorted({t for (_, t, _) in ort})
    best_all = max(((k, r) for k, r in ort.items() if k[0] == "ALL"), key=lambda kr: kr[1]["imagesPerSecond"])
    best_gflops = best_all[1]["imagesPerSecond"] * gflop
    sat, per_record = scenario(e2e, "saturation"), scenario(e2e, "per-record")
    half = scenario(e2e, "rate-50pct")
    ceiling = e2e["raw_ceiling"]["imagesPerSecond"]
    quiet = before and before["busy_fraction"] < 0.15

    command_lines = Path(args.commands).read_text().strip().splitlines()
    total_s = sum(int(m.group(1)) for m in (re.search(r"# (\d+) s$", c) for c in command_lines) if m)
    # name and version from the ONNX metadata (as the service reads it), not from the folder's name
    model = {**{k: v for k, v in flops.get("model", {}).items() if v},
             **{f"model_{k}" if k in ("name", "version") else k: v for k, v in e2e.get("model", {}).items()}}
    model_label = f"{model.get('model_name', '?')} {model.get('model_version', '?')}"
    commit = (raw / "commit.txt").read_text().strip() if (raw / "commit.txt").exists() else "unknown"
    md = ["# Benchmarks", "",
          f"CPU benchmarks of the served model ({model_label}, "
          f"`{model.get('dir', '?')}`, sha256 {model.get('sha256', '?')[:12]}) and of the triage service end to "
          f"end, all from one `bin/bench` run at commit {commit} ({before['at'] if before else 'time unknown'}, "
          f"{total_s / 60:.1f} minutes). Regenerate with `bin/bench`; `bin/bench --smoke` checks the harness in "
          "about a minute (it starts a broker and a registry) without touching this file."
          + (f" Except {', '.join(f'`{stem}.json`' for stem in reruns)}: run again on its own later with "
             "`bin/bench --only` (its section says when)." if reruns else ""), ""]
    if not quiet:
        md += [f"> **The machine was not quiet when this run started** (CPU {before['busy_fraction'] * 100:.0f}% busy, "
               f"load {' '.join(before['loadavg'])}; busiest: {'; '.join(before['top_processes'][:3])}). Treat the "
               "absolute figures as a lower bound; the ratios measured back to back are less affected.", ""]
    # the documented alternative: at-least-once with the settings of docs/operations.md (no commit per batch), not
    # whichever at-least-once run happened to have the lowest p99
    at_least_once = next((alt for alt in alts if setting(alt, "processing_guarantee") == "at_least_once"
                          and setting(alt, "commit_each_batch") is False), None)
    md += cpu_report.done_when_block(e2e, f"{model_label}, {e2e.get('label', 'as served')}", at_least_once) + [""]
    md += side_by_side(runs) + [""]
    md += shadow_section(shadow, reruns.get("e2e-shadow"), report_cpu) + ([""] if shadow else [])
    md += ["## Headline (one run)", "",
           "| what | value |", "|---|---|",
           f"| service at saturation / raw inference ceiling (same {setting(e2e, 'threads')} ORT threads, batch "
           f"{setting(e2e, 'max_batch')}) | {fmt(sat['throughput_events_per_s'])} / {fmt(ceiling)} = "
           f"**{fmt(ratio(sat['throughput_events_per_s'], ceiling), 2)}** (target >= "
           f"{cpu_report.MIN_CEILING_FRACTION}) |"]
    if per_record:
        md.append(f"| batched (max {setting(e2e, 'max_batch')}) / per-record (max 1), service throughput | "
                  f"{fmt(sat['throughput_events_per_s'])} / {fmt(per_record['throughput_events_per_s'])} = "
                  f"**{fmt(ratio(sat['throughput_events_per_s'], per_record['throughput_events_per_s']), 2)}** |")
    if half:
        md.append(f"| p99 latency at half of saturation ({cpu_report.offered_label(half)} ev/s) | "
                  f"**{fmt(half['latency_ms']['p99'], 0)} ms** (target <= {cpu_report.MAX_P99_MS_AT_HALF_LOAD:.0f} "
                  f"ms; p50 {fmt(half['latency_ms']['p50'], 0)} ms) |")
    cpu_ratio = cpu_report.quarter_to_saturation(e2e)
    if cpu_ratio:
        md.append(f"| service CPU per event, quarter of saturation / saturation | {cpu_ratio[0]:.2f} / "
                  f"{cpu_ratio[1]:.2f} ms = **{cpu_ratio[0] / cpu_ratio[1]:.2f}** (target <= "
                  f"{cpu_report.MAX_CPU_RATIO_QUARTER_TO_SATURATION}) |")
    if sat and sat.get("pipeline_efficiency") is not None:
        md.append(f"| pipeline efficiency at saturation (work / service CPU per event) | "
                  f"{sat['work_cpu_ms_per_event']:.2f} / {sat['service_cpu_ms_per_event']:.2f} ms = "
                  f"**{sat['pipeline_efficiency']:.2f}** |")
    for t in threads:
        key = ("ALL", t, 32) if ("ALL", t, 32) in ort else ("ALL", t, batches[-1])
        if (t, key[2]) in torch:
            md.append(f"| ORT Java / PyTorch eager, batch {key[2]}, {t} thread(s) | "
                      f"{fmt(ort[key]['imagesPerSecond'])} / {fmt(torch[(t, key[2])]['imagesPerSecond'])} = "
                      f"**{fmt(ratio(ort[key]['imagesPerSecond'], torch[(t, key[2])]['imagesPerSecond']), 2)}** |")
    md += [f"| best ORT Java throughput | {fmt(best_all[1]['imagesPerSecond'])} images/s (batch {best_all[0][2]}, "
           f"{best_all[0][1]} threads) |"]
    md += ceiling_rows(ort, gflop, ceilings) + [""]

    md += ["## The machine", "", "| | |", "|---|---|"]
    md += [f"| {k} | {v} |" for k, v in flops["lscpu"].items()]
    ceiling_machine_rows, ceiling_paragraph = ceiling_text(flops, ceilings, best_gflops)
    md += [f"| SIMD/matrix flags | {' '.join(flops['cpu']['flags'])} |"] + ceiling_machine_rows
    md += [f"| before the run | CPU {before['busy_fraction'] * 100:.0f}% busy over 2 s, load average "
           f"{' '.join(before['loadavg'])} |" if before else "| before the run | not recorded |"]
    if after:
        md.append(f"| after the run | load average {' '.join(after['loadavg'])}; busiest: "
                  f"{'; '.join(after['top_processes'][:3])} |")
    md += ceiling_paragraph + [""]

    md += ["## Model cost", "",
           "FLOPs per image = 2 x MACs of the conv and fully connected layers, read from the ONNX graph "
           "(`benchmarks/scripts/model_flops.py`): conv MACs = C_out x H_out x W_out x C_in x k_h x k_w, FC MACs = "
           "K x N. ReLU, pooling, normalisation and softmax are left out (under 1%).", "",
           "| layer | shape | M MACs |", "|---|---|---:|"]
    md += [f"| {layer['op']} | {layer['shape']} | {layer['macs'] / 1e6:.2f} |" for layer in flops["layers"]]
    md += [f"| **total** | | **{flops['macs_per_image'] / 1e6:.1f}** = {gflop:.3f} GFLOP per image |", ""]

    md += ["## Inference (ONNX Runtime Java vs PyTorch eager)", "",
           f"![throughput vs batch]({rel(plots / 'throughput_vs_batch.png')})", "",
           "ONNX Runtime Java 1.29.0 (CPU) through the service's `LesionClassifier` (graph optimisation ALL, "
           "reused direct buffer), and ONNX Runtime used directly at BASIC for comparison; PyTorch "
           f"{torch_report['torch_version'] if torch_report else 'n/a'} eager (`torch.inference_mode`, "
           "`torch.set_num_threads`), same architecture, random weights (speed does not depend on the weights). "
           f"Each cell: warm-up {inference['loop']['warmUpSeconds']} s, then at least "
           f"{inference['loop']['minRuns']} runs and {inference['loop']['measureSeconds']} s; median latency per "
           "batch.", "",
           "| batch | " + " | ".join(f"ORT ALL {t}t img/s (ms)" for t in threads) + " | "
           + " | ".join(f"ORT BASIC {t}t img/s" for t in threads) + " | "
           + " | ".join(f"PyTorch {t}t img/s (ms)" for t in threads) + " | "
           + " | ".join(f"GFLOP/s ORT {t}t" for t in threads) + " | "
           + " | ".join(f"ORT/PyTorch {t}t" for t in threads) + " |",
           "|" + "---:|" * (1 + 5 * len(threads))]
    for b in batches:
        cells = [str(b)]
        for t in threads:
            r = ort.get(("ALL", t, b))
            cells.append(f"{fmt(r['imagesPerSecond'])} ({fmt(r['medianMs'], 2)})" if r else "n/a")
        for t in threads:
            r = ort.get(("BASIC", t, b))
            cells.append(fmt(r["imagesPerSecond"]) if r else "n/a")
        for t in threads:
            r = torch.get((t, b))
            cells.append(f"{fmt(r['imagesPerSecond'])} ({fmt(r['medianMs'], 2)})" if r else "n/a")
        for t in threads:
            r = ort.get(("ALL", t, b))
            cells.append(fmt(r["imagesPerSecond"] * gflop) if r else "n/a")
        for t in threads:
            a, p = ort.get(("ALL", t, b)), torch.get((t, b))
            cells.append(fmt(ratio(a and a["imagesPerSecond"], p and p["imagesPerSecond"]), 2))
        md.append("| " + " | ".join(cells) + " |")
    basic_gain = [ratio(ort[("BASIC", t, b)]["imagesPerSecond"], ort[("ALL", t, b)]["imagesPerSecond"])
                  for (lv, t, b) in ort if lv == "ALL" and ("BASIC", t, b) in ort]
    if basic_gain:
        md += ["", f"BASIC / ALL throughput over all cells: {min(basic_gain):.2f} to {max(basic_gain):.2f} "
               f"(median {sorted(basic_gain)[len(basic_gain) // 2]:.2f}). "
               + ("ALL, as served, stays: BASIC does not beat it consistently."
                  if sorted(basic_gain)[len(basic_gain) // 2] < 1.05 else
                  "BASIC is consistently faster here: worth switching `OnnxSessionFactory` to it.")]
    md += ["", "Reduced precision: an int8 (static QDQ) variant of the model, `models/triagenet/2.0.0-int8` "
           "(`training/cli.sh quantize`), runs about 2x the images per second of fp32 in ONNX Runtime Java "
           "(`BenchCli precision --variant-dir models/triagenet/2.0.0-int8`) with ISIC 2017 test AUC 0.7118 against "
           "0.7119 (7-bit weights, the same on CPUs with and without VNNI); it has its own golden check and is not "
           "served by default (see docs/model-card.md). Its end-to-end run is in the side-by-side table (the run's "
           "model sha256 says which file it measured). bf16 is not possible here: ONNX opset 17 has no bf16 Conv or MaxPool, "
           "and ONNX Runtime 1.29's CPU provider has no bf16 kernels for MatMul, Add or Relu.", ""]

    md += ["## End to end (broker, registry, topology under exactly-once)", "",
           f"![latency vs load]({rel(plots / 'latency_vs_load.png')}) "
           f"![CPU per event vs load]({rel(plots / 'cpu_vs_load.png')})", "",
           "The load generator (`benchmarks/`, `e2e`) starts a real KRaft broker in its JVM and the real schema "
           "registry in another, builds the service's topology with `TriageTopologyFactory` in a KafkaStreams "
           "instance with the service's settings (exactly_once_v2, poll.ms 10, lz4; each run lists its own settings), "
           "publishes pre-serialized events (open loop: at max rate, then at fixed fractions of the measured "
           "saturation) and reads results with a read_committed consumer. Latency = time the result became "
           "visible minus the input record's timestamp (the result keeps it). Throughput = outcomes / (last "
           "result - first send). CPU (cores) = this JVM's CPU time / wall (broker, streams, model, load generator). "
           "The broker, the registry and the load generator share the cores with the service here, so the service "
           "figures are a lower bound for a deployment with the broker elsewhere.", "",
           cpu_report.DEFINITIONS, ""]
    md += e2e_section(e2e, ort, f"{e2e.get('label', 'as served').capitalize()}: {setting(e2e, 'stream_threads')} "
                                f"stream thread(s), {setting(e2e, 'threads')} ONNX Runtime threads, max delay "
                                f"{setting(e2e, 'max_delay_ms')} ms")
    for alt in alts:
        md += [""] + e2e_section(alt, ort, f"Tried: {alt['label']}")
        alt_sat, alt_half = scenario(alt, "saturation"), scenario(alt, "rate-50pct")
        if alt_sat:
            md += ["", f"{alt['label']} vs as served, at saturation: {fmt(alt_sat['throughput_events_per_s'])} vs "
                   f"{fmt(sat['throughput_events_per_s'])} events/s "
                   f"(**{fmt(ratio(alt_sat['throughput_events_per_s'], sat['throughput_events_per_s']), 2)}x**), "
                   f"{fmt(ratio(alt_sat['throughput_events_per_s'], alt['raw_ceiling']['imagesPerSecond']), 2)} of "
                   f"its own raw ceiling"
                   + (f"; p99 at its half load {fmt(alt_half['latency_ms']['p99'], 0)} ms." if alt_half else ".")]
    if shadow:
        section = e2e_section(shadow, ort, "Shadow pair")
        md += ["", section[0], "", f"{shadow['label'].capitalize()}; the table under [Shadow scoring]"
               "(#shadow-scoring-the-live-path-with-and-without-a-shadow-model) compares the two."
               + rerun_note(reruns.get("e2e-shadow"), report_cpu)] + section[1:]
    md += ["", "## Where the time goes", ""] + limits_section(e2e, ort)
    if half and half["latency_ms"]["p99"] > cpu_report.MAX_P99_MS_AT_HALF_LOAD and "latency_parts_ms" in half:
        parts = half["latency_parts_ms"]
        cpu = half.get("cpu_ms_per_event", {})
        md += ["", f"Latency: at half load p99 is {half['latency_ms']['p99']:.0f} ms (p50 "
               f"{half['latency_ms']['p50']:.0f} ms). No single step holds it: the p99 of each part is "
               f"{parts['sent_to_read']['p99']:.0f} ms from the send to the service reading the record, "
               f"{parts['read_to_scored']['p99']:.0f} ms from reading to scoring (batch wait and model) and "
               f"{parts['scored_to_visible']['p99']:.0f} ms from scoring to the result being visible (transaction "
               f"commit and the reader's fetch); their p50s are "
               f"{parts['sent_to_read']['p50']:.0f}, {parts['read_to_scored']['p50']:.0f} and "
               f"{parts['scored_to_visible']['p50']:.0f} ms. The tail is the "
               f"{os.cpu_count()} shared cores: at this load the machine was "
               f"{half['machine_busy_fraction'] * 100:.0f}% busy, and besides the service's "
               f"{half.get('service_cpu_ms_per_event', 0):.1f} ms per event the co-located broker took "
               f"{cpu.get('broker', 0):.1f} ms and the JIT compiler {cpu.get('jvm_compiler', 0):.1f} ms "
               f"(it still compiles the light-load paths of broker and clients after the "
               f"{setting(e2e, 'rate_warmup_seconds', 0):.0f} s warm-up), so every hand-over between threads "
               "can wait for a core while a model run holds both."]

    md += gpu_section(doc.parent / "benchmarks" / "gpu", model, e2e)

    md += ["## Commands of this run", "", "```sh"] + command_lines + ["```", ""]
    for stem, rerun in reruns.items():
        later = raw / f"rerun-{stem}.txt"
        md += [f"Run again later on its own (`bin/bench --only`, commit {rerun.get('commit', 'unknown')}, "
               f"{rerun['at']}), `{stem}.json`:", "", "```sh"]
        md += (later.read_text().strip().splitlines() if later.exists() else []) + ["```", ""]
    md += [f"Raw reports: [{rel(raw)}]({rel(raw)}/).", ""]
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text("\n".join(md))
    print(f"wrote {doc} and plots under {plots}")


if __name__ == "__main__":
    main()
