"""(c) Scale-up: validate and load a generated package at 10^3 ... 10^6 metric rows.

For each size, ``synthetic.py`` builds (and caches in the temp directory) a valid
package of at least that many metric rows, with every other table in proportion. Then:

* ``jiceng validate PATH`` and ``frictionless validate PATH/datapackage.json``, cold
  command-line runs, interleaved, both pinned to one core (``taskset -c 0``), and ``jiceng
  validate`` once more on both cores for its wall time there: median time and CPU, ratios
  (targets: CPU ≤ 1.0x from 10^5 metric rows up, time ≤ 1.5x at every size), peak
  resident memory (target < 1 GiB at 10^6), and time per 1,000 metric rows — flat
  within 1.3x from 10^4 to 10^6 if validation is linear;
* one in-process ``validate_package`` run per size, timed layer by layer (imports
  excluded), to show which layer grows faster than the rows;
* ``jiceng.load_all()`` on the package, in-process after imports, against
  ``pandas.read_csv`` of the same files;
* the other commands that read whole tables, against ``jiceng validate`` on the same
  package (time and peak memory ratios; targets: ``locate`` ≤ 2× the time, and
  ``validate --against``, ``release`` and ``diff`` ≤ 1.5× the peak memory): ``jiceng
  locate``, ``jiceng validate --against RELEASES``, ``jiceng release`` (the release is
  recorded once beforehand, so each timed run validates, snapshots and finds it
  unchanged) and ``jiceng diff RELEASE PACKAGE`` (a snapshot whose tables are not in git:
  compared by IDs and digests).

Default sizes are 10^3, 10^4 and 10^5 (a few minutes); ``--full`` adds 10^6, which needs
about 3 GB of disk and, at the time of writing, far more memory than 1 GiB: runs are
killed when they pass ``--max-rss-gib`` (default 16) or ``--timeout`` seconds.

    python benchmarks/bench_scale.py [--full] [--sizes 1e3,1e4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_validate import BASELINE, OURS, layer_runs, print_layers, validate_commands, validate_options  # noqa: E402
from common import (  # noqa: E402
    RESULTS,
    compare,
    console_script,
    human_rows,
    machine,
    median_of,
    parse_sizes,
    print_table,
    ratio,
    run_json,
    run_once,
    warn_if_busy,
    worker,
    write_results,
)
from synthetic import cached_package  # noqa: E402

DEFAULT_SIZES = "1e3,1e4,1e5"
FULL_SIZES = "1e3,1e4,1e5,1e6"
TARGET_RATIO = 1.5
TARGET_CPU_RATIO = 1.0  # one core each, from JUDGED_CPU_FROM metric rows up
JUDGED_CPU_FROM = 10**5
TARGET_FLAT = 1.3
TARGET_PEAK_GIB = 1.0
TARGET_LOCATE_TIME = 2.0
TARGET_READER_PEAK = 1.5


def per_thousand(seconds: float | None, rows: int) -> float | None:
    return None if seconds is None or not rows else seconds / (rows / 1000)


def measure_size(size: int, arguments: argparse.Namespace) -> dict[str, Any]:
    root, generated = cached_package(size, workdir=arguments.workdir)
    metric_rows = generated["row_counts"]["metrics"]
    rows = generated["rows"]
    print(f"\n== {human_rows(size)} metric rows: {metric_rows:,} metrics, {rows:,} rows, "
          f"{generated['bytes'] / 1e6:,.1f} MB ({root})", file=sys.stderr, flush=True)
    limits = {"timeout": arguments.timeout, "max_rss_gib": arguments.max_rss_gib}
    if arguments.only_readers:
        return {"size": size, "metric_rows": metric_rows, "rows": rows, "package": str(root),
                "readers": measure_readers(root, arguments, limits)}
    commands = {label: one_core(command) for label, command in validate_commands(root).items()}
    commands[OURS_TWO_CORES] = validate_commands(root)[OURS]
    series = compare(commands, repeat=arguments.repeat, warmup=0 if size >= 10**5 else 1,
                     budget_s=arguments.budget, **limits)
    base, ours = series[BASELINE].median, series[OURS].median
    result: dict[str, Any] = {
        "size": size, "metric_rows": metric_rows, "rows": rows, "package": str(root), "generated": generated,
        "validate": {label: s.summary() for label, s in series.items()},
        "baseline_median_s": base, "ours_median_s": ours, "ratio": ratio(ours, base),
        "baseline_cpu_s": series[BASELINE].cpu_median, "ours_cpu_s": series[OURS].cpu_median,
        "cpu_ratio": ratio(series[OURS].cpu_median, series[BASELINE].cpu_median),
        "ours_two_cores_s": series[OURS_TWO_CORES].median, "ours_two_cores_cpu_s": series[OURS_TWO_CORES].cpu_median,
        "ours_cpu_per_1000_metric_rows_s": per_thousand(series[OURS].cpu_median, metric_rows),
        "ours_per_1000_metric_rows_s": per_thousand(ours, metric_rows),
        "baseline_per_1000_metric_rows_s": per_thousand(base, metric_rows),
        "ours_per_1000_rows_s": per_thousand(ours, rows),
        # peak memory of the whole process tree (validate may fork frictionless into a worker)
        "ours_peak_rss_mib": series[OURS].tree_peak_mib, "baseline_peak_rss_mib": series[BASELINE].tree_peak_mib,
        "ours_largest_process_rss_mib": series[OURS].max_rss_mib,
        "failed": {label: s.summary()["failed"] for label, s in series.items() if s.failed},
    }
    if not arguments.no_layers and not series[OURS].failed:
        layers = layer_runs(root, 1, **limits)
        result["layers"] = layers
        result["in_process_validate_s"] = layers.get("validate_s")
        result["in_process_per_1000_metric_rows_s"] = per_thousand(layers.get("validate_s"), metric_rows)
        result["in_process_cpu_per_1000_metric_rows_s"] = per_thousand(
            layers.get("validate_cpu_total_s") or layers.get("validate_cpu_s"), metric_rows)
    if not arguments.no_readers:
        result["readers"] = measure_readers(root, arguments, limits)
    if not arguments.no_load:
        result["load"] = measure_load(root, metric_rows, arguments.repeat, limits)
    return result


def reader_commands(root: Path, releases: Path) -> dict[str, list[str]]:
    """The commands that read whole tables, with ``jiceng validate`` first (the baseline)."""
    jiceng = console_script("jiceng")
    return {
        "validate": [*jiceng, "validate", str(root), *validate_options()],
        "locate": [*jiceng, "locate", str(root)],
        "validate --against": [*jiceng, "validate", str(root), "--against", str(releases), *validate_options()],
        "release": [*jiceng, "release", str(root), "--releases", str(releases)],
        "diff": [*jiceng, "diff", str(releases), str(root)],
    }


def measure_readers(root: Path, arguments: argparse.Namespace, limits: dict[str, Any]) -> dict[str, Any]:
    """Time and peak memory of each reader command against validate's, interleaved."""
    releases = Path(tempfile.mkdtemp(prefix="jiceng-bench-releases-"))
    try:
        recorded = run_once([*console_script("jiceng"), "release", str(root), "--releases", str(releases)], **limits)
        if not recorded.ok:
            return {"failed": {"release": recorded.stderr_tail[-800:]}}
        series = compare(reader_commands(root, releases), repeat=arguments.repeat, warmup=0,
                         budget_s=arguments.budget, **limits)
    finally:
        shutil.rmtree(releases, ignore_errors=True)
    base = series["validate"]
    return {label: s.summary() | {"time_ratio": ratio(s.median, base.median),
                                  "cpu_ratio": ratio(s.cpu_median, base.cpu_median),
                                  "peak_ratio": ratio(s.tree_peak_mib, base.tree_peak_mib)}
            for label, s in series.items()}


# jiceng validate once more on both cores, for its wall time there; the ratios pin both sides
# to one core, so that neither gains from a second process or thread
OURS_TWO_CORES = "jiceng validate, two cores"


def one_core(command: list[str]) -> list[str]:
    """Pin a command to the first CPU (``taskset -c 0``) where taskset exists, so that
    neither side of a ratio gains from a second core."""
    return ["taskset", "-c", "0", *command] if shutil.which("taskset") else command


def measure_load(root: Path, metric_rows: int, repeat: int, limits: dict[str, Any]) -> dict[str, Any]:
    """load_all() against untyped read_csv of the same files, interleaved, both on one core."""
    loads, baselines, cpus, base_cpus, peaks = [], [], [], [], []
    for _ in range(repeat):
        _, ours_load = run_json(one_core(worker("load", root)), **limits)
        _, base_load = run_json(one_core(worker("read_csv", root)), **limits)
        if ours_load is None or base_load is None:
            break
        loads.append(ours_load["load_s"])
        baselines.append(base_load["load_s"])
        cpus.append(ours_load["load_cpu_s"])
        base_cpus.append(base_load["load_cpu_s"])
        peaks.append(ours_load["peak_rss_mib"])
    load_s, read_s = median_of(loads), median_of(baselines)
    cpu_s, read_cpu_s = median_of(cpus), median_of(base_cpus)
    return {"n": len(loads), "load_all_s": load_s, "read_csv_s": read_s, "ratio": ratio(load_s, read_s),
            "load_all_cpu_s": cpu_s, "read_csv_cpu_s": read_cpu_s, "cpu_ratio": ratio(cpu_s, read_cpu_s),
            "per_1000_metric_rows_s": per_thousand(load_s, metric_rows),
            "peak_rss_mib": max(peaks) if peaks else None}


def flatness(results: list[dict[str, Any]], key: str) -> float | None:
    """max/min of a per-1,000-rows figure over the sizes from 10^4 up."""
    values = [r.get(key) for r in results if r["size"] >= 10**4 and r.get(key) is not None]
    return max(values) / min(values) if len(values) >= 2 else None


def growth(results: list[dict[str, Any]], key: str) -> float | None:
    """Per-1,000-rows figure at the largest size ÷ at 10^4: above 1 grows faster than the
    rows (non-linear); below 1, fixed costs are being spread over more rows."""
    values = [(r["size"], r.get(key)) for r in results if r["size"] >= 10**4 and r.get(key) is not None]
    return values[-1][1] / values[0][1] if len(values) >= 2 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help=f"metric rows, comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--full", action="store_true", help=f"sizes {FULL_SIZES}")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command per size (default 3)")
    parser.add_argument("--budget", type=float, default=240,
                        help="stop repeating a size once its runs took this many seconds (default 240)")
    parser.add_argument("--timeout", type=float, default=3600, help="kill a run after this many seconds")
    parser.add_argument("--max-rss-gib", type=float, default=16, help="kill a run above this resident memory")
    parser.add_argument("--no-layers", action="store_true", help="skip the in-process layer breakdown")
    parser.add_argument("--no-load", action="store_true", help="skip the load_all() timing")
    parser.add_argument("--no-readers", action="store_true",
                        help="skip locate, validate --against, release and diff against validate")
    parser.add_argument("--only-readers", action="store_true",
                        help="measure only locate, validate --against, release and diff against validate")
    parser.add_argument("--workdir", type=Path, help="where generated packages are cached (default: temp dir)")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other sizes of the previous results/scale-latest.json (e.g. add 10^6 "
                             "to an earlier run); each size records when and on which commit it was measured")
    arguments = parser.parse_args(argv)
    sizes = parse_sizes(arguments.sizes or (FULL_SIZES if arguments.full else DEFAULT_SIZES))
    warn_if_busy()
    kept: list[dict[str, Any]] = []
    previous = RESULTS / "scale-latest.json"
    if arguments.merge and previous.is_file():
        kept = [r for r in json.loads(previous.read_text(encoding="utf-8")).get("results", [])
                if r["size"] not in sizes]
    results: list[dict[str, Any]] = []
    results.extend(kept)
    for size in sizes:
        result = measure_size(size, arguments)
        result["when"] = dt.datetime.now().isoformat(timespec="seconds")
        result["commit"] = machine().get("commit")
        results.append(result)
        results.sort(key=lambda r: r["size"])
        if "layers" in result:
            print_layers(result["layers"], f"\nlayers at {human_rows(size)} metric rows (in-process, one run)")
        if not arguments.only_readers:
            write_results("scale", {"sizes": sizes, "results": results, "partial": True})
    if any("readers" in r for r in results):
        print()
        print_table(["metric rows", "command", "median s", "cpu s", "peak MiB", "time ÷ validate",
                     "peak ÷ validate"],
                    [[f"{r['metric_rows']:,}", label, item.get("median_s"), item.get("cpu_median_s"),
                      item.get("tree_peak_mib"), item.get("time_ratio"), item.get("peak_ratio")]
                     for r in results for label, item in r.get("readers", {}).items() if label != "failed"],
                    title="(c) commands that read whole tables, against jiceng validate on the same package")
        for r in results:
            readers = r.get("readers", {})
            locate = (readers.get("locate") or {}).get("time_ratio")
            peaks = [(readers.get(label) or {}).get("peak_ratio") for label in ("validate --against", "release", "diff")]
            print(f"  {r['metric_rows']:,} metric rows: locate {locate and round(locate, 2)}x validate's time "
                  f"(target ≤ {TARGET_LOCATE_TIME}x); --against / release / diff peak "
                  f"{' / '.join(str(peak and round(peak, 2)) for peak in peaks)}x validate's "
                  f"(target ≤ {TARGET_READER_PEAK}x)")
    if arguments.only_readers:
        write_results("scale-readers", {"sizes": sizes, "results": results})
        return 0
    print()
    print_table(
        ["metric rows", "all rows", "frictionless s", "jiceng s", "ratio", "cpu ratio", "jiceng s, two cores",
         "jiceng s/1k metrics", "jiceng cpu s/1k", "frictionless s/1k", "jiceng peak MiB", "frictionless peak MiB"],
        [[f"{r['metric_rows']:,}", f"{r['rows']:,}", r["baseline_median_s"], r["ours_median_s"], r["ratio"],
          r["cpu_ratio"], r.get("ours_two_cores_s"), r["ours_per_1000_metric_rows_s"], r["ours_cpu_per_1000_metric_rows_s"],
          r["baseline_per_1000_metric_rows_s"], r["ours_peak_rss_mib"], r["baseline_peak_rss_mib"]]
         for r in results],
        title="(c) validate at scale: cold command-line runs on one core (medians), and jiceng on two")
    if any("layers" in r for r in results):
        names = []
        for r in results:
            for layer in r.get("layers", {}).get("layers", []):
                if layer["function"] not in names:
                    names.append(layer["function"])
        rows = []
        for name in names:
            row: list[Any] = [name]
            for r in results:
                layer = next((l for l in r.get("layers", {}).get("layers", []) if l["function"] == name), None)
                row.append(None if layer is None else per_thousand(layer.get("cpu_seconds") or layer["seconds"],
                                                                   r["metric_rows"]))
            rows.append(row)
        rows.append(["(forked workers)"] + [
            per_thousand(r.get("layers", {}).get("forked_cpu_s"), r["metric_rows"]) for r in results])
        rows.append(["validate_package (in-process, all CPU)"] + [
            per_thousand(r.get("layers", {}).get("validate_cpu_total_s") or r.get("layers", {}).get("validate_cpu_s"),
                         r["metric_rows"]) for r in results])
        rows.append(["validate_package (in-process, wall)"] + [
            per_thousand(r.get("layers", {}).get("validate_s"), r["metric_rows"]) for r in results])
        print()
        print_table(["cpu seconds per 1,000 metric rows"] + [human_rows(r["size"]) for r in results], rows,
                    title="(c) layers: CPU seconds per 1,000 metric rows (flat = linear)")
    if any("load" in r for r in results):
        print()
        print_table(["metric rows", "load_all s", "read_csv s", "ratio", "cpu ratio", "load_all s/1k metrics", "peak MiB"],
                    [[f"{r['metric_rows']:,}", r["load"]["load_all_s"], r["load"]["read_csv_s"], r["load"]["ratio"],
                      r["load"].get("cpu_ratio"), r["load"]["per_1000_metric_rows_s"], r["load"]["peak_rss_mib"]]
                     for r in results if "load" in r],
                    title="(c) load_all() at scale, in-process after imports, on one core, vs untyped "
                          "pandas.read_csv of the same files")
    flat = flatness(results, "ours_per_1000_metric_rows_s")
    flat_cpu = flatness(results, "ours_cpu_per_1000_metric_rows_s")
    flat_in = flatness(results, "in_process_cpu_per_1000_metric_rows_s")
    grow_in = growth(results, "in_process_cpu_per_1000_metric_rows_s")
    worst_ratio = max((r["ratio"] for r in results if r["ratio"] is not None), default=None)
    worst_cpu = max((r["cpu_ratio"] for r in results if r["cpu_ratio"] is not None), default=None)
    top = max(results, key=lambda r: r["size"])
    peak = top["ours_peak_rss_mib"]
    print("\ntargets:")
    print(f"  jiceng/frictionless ≤ {TARGET_RATIO}x at every size: worst {worst_ratio and round(worst_ratio, 2)}x "
          f"(cpu {worst_cpu and round(worst_cpu, 2)}x) "
          f"-> {'PASS' if worst_ratio is not None and worst_ratio <= TARGET_RATIO else 'MISS'}")
    judged = [r for r in results if r["size"] >= JUDGED_CPU_FROM and r["cpu_ratio"] is not None]
    worst_judged = max((r["cpu_ratio"] for r in judged), default=None)
    print(f"  jiceng/frictionless CPU on one core ≤ {TARGET_CPU_RATIO}x from {human_rows(JUDGED_CPU_FROM)} metric rows: "
          + (f"worst {worst_judged:.2f}x -> {'PASS' if worst_judged <= TARGET_CPU_RATIO else 'MISS'}"
             if worst_judged is not None else "not measured at that size"))
    if flat is not None:
        # the verdict: in-process CPU (no start-up hides growth), else the command's CPU; wall
        # time last, since other jobs inflate it
        judged_flat = next(value for value in (flat_in, flat_cpu, flat) if value is not None)
        shown = {label: "not measured" if value is None else f"{value:.2f}x"
                 for label, value in (("in", flat_in), ("cpu", flat_cpu), ("grow", grow_in))}
        print(f"  time per 1,000 rows flat within {TARGET_FLAT}x from 10^4 up: {flat:.2f}x (command line), "
              f"{shown['cpu']} (cpu), {shown['in']} (in-process cpu) -> "
              f"{'PASS' if judged_flat <= TARGET_FLAT else 'MISS'}; "
              f"in-process cpu, largest ÷ 10^4 = {shown['grow']} (above 1: grows faster than the rows)")
    if peak is not None:
        verdict = "PASS" if top["size"] >= 10**6 and peak < TARGET_PEAK_GIB * 1024 else (
            "MISS" if peak >= TARGET_PEAK_GIB * 1024 else "not measured at 10^6")
        print(f"  peak memory of validate < {TARGET_PEAK_GIB} GiB at 10^6: {peak:,.0f} MiB at "
              f"{human_rows(top['size'])} -> {verdict}")
    sizes = [r["size"] for r in results]
    write_results("scale", {"sizes": sizes, "results": results, "partial": False,
                            "flatness_command_line": flat, "flatness_in_process": flat_in,
                            "flatness_cpu": flat_cpu, "growth_in_process": grow_in, "worst_cpu_ratio": worst_cpu, "worst_ratio": worst_ratio, "worst_judged_cpu_ratio": worst_judged,
                            "targets": {"ratio": TARGET_RATIO, "cpu_ratio": TARGET_CPU_RATIO, "flat": TARGET_FLAT,
                                                                    "peak_gib": TARGET_PEAK_GIB}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
