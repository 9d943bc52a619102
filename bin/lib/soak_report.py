"""Turns a soak run's samples (soak.csv, soak.json from bin/soak) into soak.md and soak.png in the same folder.

Verdict: heap, RSS and consumer lag are "flat" when the slope of a least-squares line over the second half of the
run (the first half includes warm-up: JIT, heap sizing, page cache) stays under a threshold:
  heap (old generation's live data after GC where the JVM reports it, else heap in use)  <= 2 MiB/min
  RSS                                                                                  <= 2 MiB/min
  consumer lag                                        <= one second of input per 10 minutes (rate/10 events/min)
Exit status 1 when one is not flat, when the run had lost or duplicated events, or had no samples.
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

HEAP_MIB_PER_MIN = 2.0
RSS_MIB_PER_MIN = 2.0


def column(rows: list[dict], name: str) -> np.ndarray:
    return np.array([float(r[name]) if r[name] not in ("", "nan", "NaN") else np.nan for r in rows])


def second_half_fit(t_min: np.ndarray, y: np.ndarray):
    """Slope (per minute) and intercept of a least-squares line over the second half; None without two points."""
    half = t_min >= t_min[-1] / 2
    mask = half & ~np.isnan(y) & (y >= 0)
    if mask.sum() < 2:
        return None
    slope, intercept = np.polyfit(t_min[mask], y[mask], 1)
    return float(slope), float(intercept), mask


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path("target/soak"))
    args = parser.parse_args()
    rows = list(csv.DictReader((args.dir / "soak.csv").open()))
    meta_path = args.dir / "soak.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if len(rows) < 4:
        print(f"soak report: only {len(rows)} samples in {args.dir / 'soak.csv'}")
        return 1
    t = column(rows, "t_s") / 60.0
    heap_used = column(rows, "heap_used_mib")
    heap_live = column(rows, "heap_live_after_gc_mib")
    rss = column(rows, "rss_mib")
    lag = column(rows, "lag")
    p50 = column(rows, "latency_p50_ms")
    p99 = column(rows, "latency_p99_ms")
    throughput = column(rows, "results_per_s")
    rate = float(meta.get("rate_events_per_s") or np.nanmean(throughput))
    lag_threshold = rate / 10.0

    live_usable = np.count_nonzero(~np.isnan(heap_live) & (heap_live > 0)) >= len(rows) // 2
    heap_for_verdict, heap_label = (heap_live, "heap live data after GC") if live_usable else (heap_used, "heap in use")
    checks = [
        (heap_label, "MiB", heap_for_verdict, HEAP_MIB_PER_MIN),
        ("RSS", "MiB", rss, RSS_MIB_PER_MIN),
        ("consumer lag", "events", lag, lag_threshold),
    ]
    fits = {}
    verdict_rows = []
    all_flat = True
    for name, unit, series, threshold in checks:
        fit = second_half_fit(t, series)
        fits[name] = fit
        if fit is None:
            verdict_rows.append(f"| {name} | - | - | {threshold:.2f} {unit}/min | no data |")
            all_flat = False
            continue
        slope, _, mask = fit
        flat = abs(slope) <= threshold
        all_flat &= flat
        verdict_rows.append(f"| {name} | {np.nanmean(series[mask]):.1f} {unit} | {slope:+.3f} {unit}/min "
                            f"| {threshold:.2f} {unit}/min | {'flat' if flat else 'NOT flat'} |")
    heap_used_fit = second_half_fit(t, heap_used)

    ok_counts = meta.get("lost", 1) == 0 and meta.get("duplicated", 1) == 0 and meta.get("all_answered", False)
    passed = all_flat and ok_counts

    fig, axes = plt.subplots(4, 1, figsize=(9, 11), sharex=True)
    axes[0].plot(t, heap_used, label="heap in use", lw=0.8)
    if live_usable:
        axes[0].plot(t, heap_live, label="live data after GC", lw=1.5)
    axes[0].set_ylabel("heap (MiB)")
    axes[1].plot(t, rss, color="tab:purple", lw=1.2)
    axes[1].set_ylabel("RSS (MiB)")
    axes[2].plot(t, lag, color="tab:orange", lw=1.0)
    axes[2].set_ylabel("consumer lag (events)")
    axes[3].plot(t, p50, label="p50", lw=1.0)
    axes[3].plot(t, p99, label="p99", lw=1.0)
    axes[3].set_yscale("log")
    axes[3].set_ylabel("end-to-end latency (ms)")
    axes[3].set_xlabel("minutes under load")
    for ax, name in ((axes[0], heap_label), (axes[1], "RSS"), (axes[2], "consumer lag")):
        fit = fits.get(name)
        if fit is not None:
            slope, intercept, mask = fit
            xs = t[mask]
            ax.plot(xs, slope * xs + intercept, "k--", lw=1, label=f"fit over 2nd half: {slope:+.2f}/min")
        ax.legend(loc="upper left", fontsize=8)
    axes[3].legend(loc="upper left", fontsize=8)
    title = (f"Soak: {meta.get('rate_events_per_s', rate):.1f} events/s "
             f"({100 * meta.get('rate_fraction', 0):.0f}% of a measured {meta.get('saturation_events_per_s') or 0:.1f}/s), "
             f"{t[-1]:.1f} min")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(args.dir / "soak.png", dpi=110)

    minutes = t[-1]
    lines = [
        f"# Soak run {meta.get('started', '')}",
        "",
        f"{minutes:.1f} minutes under load (of {meta.get('minutes', minutes):g} planned) at "
        f"{rate:.1f} events/s, {100 * meta.get('rate_fraction', 0):.0f}% of a saturation of "
        f"{meta.get('saturation_events_per_s') or float('nan'):.1f} events/s measured first on the same stack "
        f"({meta.get('saturation_events', 0)} good events as fast as possible); {meta.get('image_px', '?')} px "
        f"synthetic images, {100 * meta.get('poison_share', 0):.0f}% poison, service -Xmx{meta.get('service_xmx', '?')}; "
        f"a sample every {meta.get('interval_s', 0):.0f} s ({len(rows)} samples).",
        "",
        "| metric | mean over 2nd half | slope over 2nd half | threshold | verdict |",
        "|---|---:|---:|---:|---|",
        *verdict_rows,
        "",
        (f"Heap in use (with the collector's sawtooth) over the second half: {heap_used_fit[0]:+.2f} MiB/min "
         "(not judged)." if live_usable and heap_used_fit else
         "The JVM reported no live data after GC for most samples (G1 ran no concurrent cycle), so the heap "
         "verdict uses the heap in use."),
        "",
        "| latency (ms), per interval | first half | second half |",
        "|---|---:|---:|",
    ]
    half = t >= minutes / 2
    for name, series in (("p50 (median of intervals)", p50), ("p99 (median of intervals)", p99),
                         ("p99 (worst interval)", p99)):
        agg = np.nanmax if "worst" in name else np.nanmedian
        lines.append(f"| {name} | {agg(series[~half]):.0f} | {agg(series[half]):.0f} |")
    lines += [
        f"| results/s (mean) | {np.nanmean(throughput[~half]):.1f} | {np.nanmean(throughput[half]):.1f} |",
        "",
        f"Published {meta.get('published', '?')}, acknowledged {meta.get('acknowledged', '?')}, results "
        f"{meta.get('results', '?')}, dead letters {meta.get('dead_letters', '?')}; lost {meta.get('lost', '?')}, "
        f"duplicated {meta.get('duplicated', '?')}, answered but not as expected {meta.get('not_as_expected', '?')}.",
        "",
        f"Verdict: **{'PASS' if passed else 'FAIL'}** (heap, RSS and lag {'flat' if all_flat else 'not all flat'}; "
        f"{'nothing lost or duplicated' if ok_counts else 'events lost, duplicated or unanswered'}).",
        "",
    ]
    (args.dir / "soak.md").write_text("\n".join(lines))
    print("\n".join(lines))
    print(f"plot: {args.dir / 'soak.png'}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
