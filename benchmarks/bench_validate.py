"""(b) ``jiceng validate`` on the bundled package against ``frictionless validate``.

Both are cold command-line runs on the same package, interleaved: ``jiceng validate``
(every layer: files, frictionless standard checks, row models, provenance, completeness,
consistency) and plain ``frictionless validate datapackage.json`` (types, constraints,
primary and foreign keys only). Frictionless is also one of our layers, so the ratio is
what our own layers and our extra imports cost on top of it; the target is ≤ 1.5x.

A separate in-process run times each layer of ``validate_package`` (imports excluded)
and records how much each raised the peak resident memory.

    python benchmarks/bench_validate.py [--repeat 10] [PATH]
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    compare,
    console_script,
    median_of,
    print_table,
    ratio,
    run_json,
    worker,
    warn_if_busy,
    write_results,
)

TARGET = 1.5
OURS = "jiceng validate"
BASELINE = "frictionless validate"


@functools.cache
def validate_options() -> tuple[str, ...]:
    """Options that lift jiceng validate's size guards, where this version has them.

    ``--max-rows`` (default 1,000,000 rows per table) stops reading a larger table with a
    problem; the 10^6 package has 1.7 million initiatives, so the guard is lifted here.
    """
    help_text = subprocess.run([*console_script("jiceng"), "validate", "--help"], capture_output=True,
                               text=True).stdout
    return ("--max-rows", str(10**9)) if "--max-rows" in help_text else ()


def validate_commands(root: Path) -> dict[str, list[str]]:
    return {
        BASELINE: [*console_script("frictionless"), "validate", str(root / "datapackage.json")],
        OURS: [*console_script("jiceng"), "validate", str(root), *validate_options()],
    }


def max_of(values: list[float | None]) -> float | None:
    """The largest of the values measured (None where a worker does not measure it)."""
    known = [value for value in values if value is not None]
    return max(known) if known else None


def layer_runs(root: Path, repeat: int, *, timeout: float | None = None, max_rss_gib: float | None = None,
               options: tuple[str, ...] = ()) -> dict[str, Any]:
    """Median per-layer times over ``repeat`` fresh worker processes."""
    results = []
    tree_peaks = []
    for _ in range(max(1, repeat)):
        run, result = run_json(worker("validate", root, *options), timeout=timeout, max_rss_gib=max_rss_gib)
        if result is None:
            return {"failed": {"returncode": run.returncode, "killed": run.killed, "seconds": run.seconds,
                               "tree_peak_mib": run.tree_peak_kib / 1024, "stderr_tail": run.stderr_tail[-800:]}}
        results.append(result)
        tree_peaks.append(run.tree_peak_kib / 1024)
    names = [layer["function"] for layer in results[0]["layers"]]
    layers = []
    for name in names:
        entries = [next(l for l in r["layers"] if l["function"] == name) for r in results]
        layers.append({
            "function": name,
            "layer": entries[0]["layer"],
            "seconds": median_of([e["seconds"] for e in entries]),
            "cpu_seconds": median_of([e.get("cpu_seconds") for e in entries]),
            "rss_after_mib": max_of([e.get("rss_after_mib") for e in entries]),
            "peak_raise_mib": max_of([e.get("peak_raise_mib") for e in entries]),
        })
    total = median_of([r["validate_s"] for r in results])
    for layer in layers:
        layer["share"] = layer["seconds"] / total if total else None
    sublayers = []
    for name in [entry["function"] for entry in results[0].get("sublayers", [])]:
        entries = [e for r in results for e in r.get("sublayers", []) if e["function"] == name]
        sublayers.append({"function": name, "seconds": median_of([e["seconds"] for e in entries]),
                          "cpu_seconds": median_of([e["cpu_seconds"] for e in entries]),
                          "calls": entries[0]["calls"]})
    last = results[-1]
    return {
        "n": len(results), "valid": all(r["valid"] for r in results), "problem_count": last["problem_count"],
        "first_problems": last["first_problems"], "row_counts": last["row_counts"], "rows": last["rows"],
        "import_s": median_of([r["import_s"] for r in results]), "validate_s": total,
        "validate_cpu_s": median_of([r.get("validate_cpu_s") for r in results]),
        "forked_cpu_s": median_of([r.get("forked_cpu_s") for r in results]),
        "validate_cpu_total_s": median_of([r.get("validate_cpu_total_s") for r in results]),
        "unaccounted_s": median_of([r.get("unaccounted_s") for r in results]),
        "tree_peak_mib": max(tree_peaks),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in results), "layers": layers, "sublayers": sublayers,
    }


def print_layers(layers: dict[str, Any], title: str) -> None:
    if "failed" in layers:
        print(f"{title}: worker failed: {layers['failed']}")
        return
    rows = [[l["layer"], l["function"], l["seconds"], l.get("cpu_seconds"), 100 * (l["share"] or 0),
             l["rss_after_mib"], l["peak_raise_mib"]] for l in layers["layers"]]
    waiting = layers.get("unaccounted_s") or 0.0
    if waiting > 0.01 * (layers["validate_s"] or 1):
        rows.append(["(in validate_package, outside every layer:", "e.g. waiting for a forked worker)",
                     waiting, None, 100 * waiting / layers["validate_s"], None, None])
    if layers.get("forked_cpu_s"):
        rows.append(["(CPU of forked worker processes)", "", None, layers["forked_cpu_s"], None, None,
                     layers.get("tree_peak_mib")])
    rows.append(["total (in-process, imports excluded)", "validate_package", layers["validate_s"],
                 layers.get("validate_cpu_total_s") or layers.get("validate_cpu_s"), 100.0, None,
                 layers.get("tree_peak_mib") or layers["peak_rss_mib"]])
    print_table(["layer", "function", "wall s", "cpu s", "% wall", "RSS after MiB", "peak raise MiB"], rows,
                title=title + " (last rows: CPU incl. forked workers; peak memory of the process tree)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, help="package directory (default: the bundled package)")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of each command (default 10)")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--layer-repeat", type=int, default=3, help="in-process layer runs (default 3)")
    arguments = parser.parse_args(argv)
    if arguments.path is None:
        from jiceng.bundle import package_root

        root = package_root()
    else:
        root = arguments.path.resolve()
    print(f"(b) validate {root}: median of {arguments.repeat} interleaved runs", file=sys.stderr)
    warn_if_busy()
    series = compare(validate_commands(root), repeat=arguments.repeat, warmup=arguments.warmup)
    base, ours = series[BASELINE].median, series[OURS].median
    r = ratio(ours, base)
    print()
    print_table(["command", "median s", "min s", "cpu s", "peak MiB", "÷ frictionless", "cpu ÷ frictionless"],
                [[label, s.median, min(s.times) if s.times else None, s.cpu_median, s.tree_peak_mib,
                  ratio(s.median, base), ratio(s.cpu_median, series[BASELINE].cpu_median)]
                 for label, s in series.items()], title=f"(b) validate the package at {root}")
    failed = [s.failed for s in series.values() if s.failed]
    verdict = "PASS" if r is not None and r <= TARGET and not failed else "MISS"
    if failed:
        print(f"\na command failed: {failed[0]}")
    else:
        print(f"\njiceng validate {ours:.3f} s vs frictionless validate {base:.3f} s = {r:.2f}x "
              f"(target ≤ {TARGET}x): {verdict}")
    layers = layer_runs(root, arguments.layer_repeat)
    print()
    print_layers(layers, f"layers of validate_package (median of {arguments.layer_repeat} fresh processes)")
    write_results("validate", {
        "package": str(root), "repeat": arguments.repeat,
        "series": {label: s.summary() for label, s in series.items()},
        "baseline": BASELINE, "ours": OURS, "baseline_median_s": base, "ours_median_s": ours,
        "ratio": r, "target_ratio": TARGET, "verdict": verdict, "layers": layers,
        "cpu_ratio": ratio(series[OURS].cpu_median, series[BASELINE].cpu_median),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
