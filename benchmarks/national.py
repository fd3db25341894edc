"""(f) A national corpus, projected from measured per-row costs; and past one machine,
the Parquet export read by DuckDB.

A national corpus: every county-level division (2,850) reporting for ``--years`` years
with ``--essays`` essays a year. Its size in rows and text comes from the bundled
package's proportions (metric rows, all rows and bytes of source text per essay); its
time and memory from the commands measured here on two generated packages (by default
10^4 and 10^5 metric rows; ``--sizes 1e5,1e6`` for the large one), fitted as a fixed
cost plus a cost per metric row and extrapolated. Commands are run cold, one at a time,
on one core (``taskset -c 0``), with the whole process tree's peak memory.

On the largest package it also writes the Parquet export (``jiceng export --format
parquet``) and runs one DuckDB query over it, timed cold (a new process) and warm. DuckDB
is not a dependency of jiceng: ``pip install -e '.[bench]'``.

    python benchmarks/national.py [--sizes 1e4,1e5] [--query-size 1e6] [--essays 3] [--years 10]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import console_script, fmt, human_rows, parse_sizes, print_table, run_once, warn_if_busy, write_results  # noqa: E402
from jiceng.bundle import PACKAGE_VARIABLE  # noqa: E402
from synthetic import DEFAULT_DISTRICTS, cached_package, template_root  # noqa: E402

QUERY = """
SELECT d.province_en AS province, m.topic, count(*) AS metrics, count(DISTINCT m.district_id) AS districts,
       round(median(m.value)) AS median_value
FROM read_parquet('{root}/metrics.parquet') AS m
JOIN read_parquet('{root}/districts.parquet') AS d USING (district_id)
WHERE m.unit = 'person' AND m.value_type IN ('level', 'total')
GROUP BY ALL ORDER BY metrics DESC LIMIT 5
"""

# `jiceng export` always exports the bundled package: point the loader at the generated one.
# The package to export is named by JICENG_PACKAGE, as the site's Downloads page does for a
# package other than the bundled one: every reader of the package (tables, source texts) sees it.
EXPORT_SCRIPT = """
import sys
from pathlib import Path
from jiceng.export import export
export("parquet", Path(sys.argv[1]))
"""

DUCKDB_SCRIPT = """
import json, sys, time
started = time.perf_counter()
import duckdb
connection = duckdb.connect()
query = sys.argv[1]
first = time.perf_counter()
rows = connection.execute(query).fetchall()
cold = time.perf_counter() - first
again = time.perf_counter()
connection.execute(query).fetchall()
warm = time.perf_counter() - again
print(json.dumps({"cold_s": cold, "warm_s": warm, "rows": [list(map(str, row)) for row in rows],
                  "columns": [d[0] for d in connection.description]}))
"""


def one_core(command: list[str]) -> list[str]:
    return ["taskset", "-c", "0", *command] if shutil.which("taskset") else command


def template_proportions() -> dict[str, float]:
    """Metric rows, rows of every table but the glossary, and bytes of source text per essay
    in the bundled package."""
    root = template_root()
    counts = {}
    for path in sorted((root / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            counts[path.stem] = sum(1 for _ in csv.DictReader(handle))
    essays = counts["sources"]
    text = sum(path.stat().st_size for path in (root / "data" / "sources").rglob("*.txt"))
    return {"essays": essays, "metrics_per_essay": counts["metrics"] / essays,
            "rows_per_essay": sum(n for name, n in counts.items() if name != "glossary") / essays,
            "text_bytes_per_essay": text / essays}


def measure(size: int, timeout: float) -> dict[str, Any]:
    root, generated = cached_package(size)
    metrics = generated["row_counts"]["metrics"]
    print(f"\n== {human_rows(size)}: {metrics:,} metric rows, {generated['rows']:,} rows", file=sys.stderr, flush=True)
    jiceng = console_script("jiceng")
    commands = {
        "validate": [*jiceng, "validate", "--max-rows", "100000000", str(root)],
        "audit": [*jiceng, "audit", str(root)],
        "load_all": [sys.executable, "-c", "import sys, jiceng; jiceng.load_all(package=sys.argv[1])", str(root)],
    }
    result: dict[str, Any] = {"size": size, "metric_rows": metrics, "rows": generated["rows"],
                              "text_bytes": generated["source_text_bytes"], "package": str(root)}
    for name, command in commands.items():
        run = run_once(one_core(command), timeout=timeout, max_rss_gib=16)
        result[name] = {"wall_s": run.seconds, "cpu_s": run.cpu_seconds, "peak_mib": run.tree_peak_kib / 1024,
                        "ok": run.ok or (name == "audit" and run.returncode in (0, 1) and not run.killed)}
        print(f"    {name:10s} {run.seconds:8.1f} s wall {run.cpu_seconds:8.1f} s cpu "
              f"{run.tree_peak_kib / 1024:8.0f} MiB{'' if result[name]['ok'] else '  FAILED ' + (run.killed or run.stderr_tail[-200:])}",
              file=sys.stderr, flush=True)
    return result


def duckdb_query(root: Path, timeout: float) -> dict[str, Any]:
    """Export the package to Parquet, then one DuckDB query over it (cold and warm)."""
    destination = Path(tempfile.mkdtemp(prefix="jiceng-parquet-"))
    try:
        export = run_once(one_core([sys.executable, "-c", EXPORT_SCRIPT, str(destination / "parquet")]),
                          env={**os.environ, PACKAGE_VARIABLE: str(root)}, timeout=timeout)
        if not export.ok:
            print(f"    export FAILED: {export.stderr_tail[-300:]}", file=sys.stderr, flush=True)
        parquet = destination / "parquet"
        size = sum(path.stat().st_size for path in parquet.glob("*.parquet")) if parquet.is_dir() else 0
        query = QUERY.format(root=parquet)
        run = run_once(one_core([sys.executable, "-c", DUCKDB_SCRIPT, query]), timeout=timeout)
        answer = json.loads(run.stdout.strip().splitlines()[-1]) if run.ok else {}
        return {"export_wall_s": export.seconds, "export_cpu_s": export.cpu_seconds, "export_ok": export.ok,
                "export_error": "" if export.ok else export.stderr_tail[-300:], "parquet_mb": size / 1e6,
                "query": " ".join(QUERY.split()), "process_wall_s": run.seconds, "peak_mib": run.tree_peak_kib / 1024,
                **answer}
    finally:
        shutil.rmtree(destination, ignore_errors=True)


def fit(small: dict[str, Any], large: dict[str, Any], command: str, key: str) -> tuple[float, float]:
    """(fixed, per metric row) through the two measurements."""
    x0, x1 = small["metric_rows"], large["metric_rows"]
    y0, y1 = small[command][key], large[command][key]
    slope = (y1 - y0) / (x1 - x0)
    return y0 - slope * x0, slope


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e4,1e5", help="two package sizes in metric rows (default 1e4,1e5)")
    parser.add_argument("--districts", type=int, default=DEFAULT_DISTRICTS, help="county-level divisions (2,850)")
    parser.add_argument("--years", type=int, default=10, help="years of reporting (default 10)")
    parser.add_argument("--essays", type=float, default=3, help="essays per district and year (default 3)")
    parser.add_argument("--query-size", help="metric rows of the package exported to Parquet for the DuckDB query "
                                             "(default: the larger of --sizes; e.g. 1e6)")
    parser.add_argument("--timeout", type=float, default=3600, help="kill a command after this many seconds")
    arguments = parser.parse_args(argv)
    sizes = parse_sizes(arguments.sizes)
    if len(sizes) != 2:
        parser.error("--sizes takes two sizes")
    warn_if_busy()
    shape = template_proportions()
    essays = arguments.districts * arguments.years * arguments.essays
    national = {"essays": essays, "metric_rows": essays * shape["metrics_per_essay"],
                "rows": essays * shape["rows_per_essay"], "text_mb": essays * shape["text_bytes_per_essay"] / 1e6}
    small, large = (measure(size, arguments.timeout) for size in sizes)
    projected = {}
    for command in ("validate", "audit", "load_all"):
        for key in ("cpu_s", "wall_s", "peak_mib"):
            fixed, per_row = fit(small, large, command, key)
            projected[f"{command}_{key}"] = fixed + per_row * national["metric_rows"]
    query_size = int(float(arguments.query_size)) if arguments.query_size else large["size"]
    query_root, query_package = cached_package(query_size)
    query = {"size": query_size, "metric_rows": query_package["row_counts"]["metrics"],
             **duckdb_query(query_root, arguments.timeout)}
    payload = {"shape": shape, "national": national, "measured": [small, large], "projected": projected,
               "duckdb": query, "arguments": vars(arguments)}
    write_results("national", payload)
    print_table(["", *(f"{human_rows(m['size'])} measured" for m in (small, large)), "national corpus (projected)"],
                [["essays", "", "", f"{essays:,.0f}"],
                 ["metric rows", f"{small['metric_rows']:,}", f"{large['metric_rows']:,}", f"{national['metric_rows']:,.0f}"],
                 ["rows", f"{small['rows']:,}", f"{large['rows']:,}", f"{national['rows']:,.0f}"],
                 ["source text MB", fmt(small["text_bytes"] / 1e6, 1), fmt(large["text_bytes"] / 1e6, 1),
                  fmt(national["text_mb"], 1)]]
                + [[f"{command} {label}", fmt(small[command][key], 1), fmt(large[command][key], 1),
                    fmt(projected[f"{command}_{key}"], 1)]
                   for command in ("validate", "audit", "load_all")
                   for key, label in (("cpu_s", "cpu s"), ("wall_s", "wall s"), ("peak_mib", "peak MiB"))],
                title=f"(f) national corpus: {arguments.districts:,} districts × {arguments.years} years × "
                      f"{arguments.essays:g} essays, from costs measured on one core")
    print(f"\nParquet export of {human_rows(query_size)} ({query['metric_rows']:,} metric rows): {fmt(query.get('export_wall_s'), 1)} s, "
          f"{fmt(query.get('parquet_mb'), 1)} MB; DuckDB query cold {fmt(query.get('cold_s'))} s, "
          f"warm {fmt(query.get('warm_s'))} s")
    for row in query.get("rows", []):
        print("   ", " | ".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
