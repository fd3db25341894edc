"""In-process measurements, run in a fresh child process by the benchmark scripts.

    python benchmarks/_worker.py validate ROOT [--no-gc]
                                                 # validate_package, timed check by check
    python benchmarks/_worker.py load ROOT       # jiceng.load_all() on the package at ROOT
    python benchmarks/_worker.py read_csv ROOT   # baseline: pandas.read_csv of the same tables

Prints one JSON object on the last line of stdout. Each call is a new process, so no
cache of an earlier run helps a later one.

Layer timing comes from the validator itself: ``validate_package(..., timed=True)``
times every check's hooks (``report.timings``, by check module), so a new or renamed
check shows up under its own name. The Frictionless check's process is measured by the
CPU of the forked children.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any



def rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_pids() -> list[int]:
    pids = []
    for task in Path("/proc/self/task").glob("*"):
        try:
            pids += [int(pid) for pid in (task / "children").read_text().split()]
        except (OSError, ValueError):
            pass
    return pids


def wait_for_children(timeout: float = 30.0) -> None:
    """Let forked workers finish and be reaped (by whoever started them), so that
    RUSAGE_CHILDREN counts their CPU time."""
    deadline = time.monotonic() + timeout
    while child_pids() and time.monotonic() < deadline:
        time.sleep(0.01)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def validate(root: Path, options: list[str]) -> dict[str, Any]:
    if "--no-gc" in options:
        gc.disable()
    started = time.perf_counter()
    import frictionless  # noqa: F401 - imported here so that the layers' times exclude imports
    import pydantic  # noqa: F401

    from jiceng.validate import validate_package
    from jiceng.validate.runner import check_classes

    # Modules the checks import on first use (cn2an alone takes ~0.15 s): load them now,
    # so that each check's time is its work, not an import. The cold command-line runs
    # include these imports.
    for name in ("jiceng.quantity", "jiceng.tableschema", "jiceng.models"):
        __import__(name)
    layer_of = {cls.__module__.rsplit(".", 1)[-1]: min((t.layer for t in cls.problem_types), default=0)
                for cls in check_classes()}

    imported = time.perf_counter() - started
    rss_before = rss_mib()
    children_before = children_cpu()
    t0, c0 = time.perf_counter(), time.process_time()
    report = validate_package(root, str(root), max_rows=10**9, timed=True)  # no size guard, as on the command line
    total, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    wait_for_children()
    forked_cpu = children_cpu() - children_before
    layers = [{"function": name, "layer": f"{layer_of.get(name, '?')} {name}", "seconds": spent["wall_s"],
               "cpu_seconds": spent["cpu_s"], "rss_after_mib": None, "peak_raise_mib": None}
              for name, spent in sorted(report.timings.items(), key=lambda item: layer_of.get(item[0], 0))]
    accounted = sum(entry["seconds"] for entry in layers)
    return {
        "mode": "validate",
        "valid": report.valid,
        "problem_count": len(report.problems) + sum(report.suppressed.values()),
        "first_problems": [problem.text() for problem in report.problems[:5]],
        "row_counts": report.row_counts,
        "rows": sum(report.row_counts.values()),
        "import_s": imported,
        "validate_s": total,
        "validate_cpu_s": total_cpu,
        "forked_cpu_s": forked_cpu,
        "validate_cpu_total_s": total_cpu + forked_cpu,
        "forked_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "unaccounted_s": total - accounted,
        "layers": layers,
        "sublayers": [],
        "rss_before_mib": rss_before,
        "peak_rss_mib": peak_mib(),
        "gc": "disabled" if "--no-gc" in options else "enabled",
    }


def load(root: Path, options: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    import pandas  # noqa: F401

    import jiceng
    import jiceng.loading as loading

    imported = time.perf_counter() - started
    # load_all() reads the bundled package; point the loader at ROOT instead.
    loading.package_root = lambda: root
    loading.descriptor.cache_clear()
    loading.resource_schema.cache_clear()
    t0, c0 = time.perf_counter(), time.process_time()
    frames = jiceng.load_all()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"mode": "load", "import_s": imported, "load_s": elapsed, "load_cpu_s": cpu,
            "rows": sum(len(frame) for frame in frames.values()),
            "row_counts": {name: len(frame) for name, frame in frames.items()},
            "memory_usage_mib": sum(frame.memory_usage(deep=True).sum() for frame in frames.values()) / 2**20,
            "peak_rss_mib": peak_mib()}


def read_csv(root: Path, options: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    import pandas as pd

    from jiceng.loading import TABLE_NAMES

    imported = time.perf_counter() - started
    t0, c0 = time.perf_counter(), time.process_time()
    frames = {name: pd.read_csv(root / "data" / f"{name}.csv") for name in TABLE_NAMES}
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"mode": "read_csv", "import_s": imported, "load_s": elapsed, "load_cpu_s": cpu,
            "rows": sum(len(frame) for frame in frames.values()), "peak_rss_mib": peak_mib()}


MODES = {"validate": validate, "load": load, "read_csv": read_csv}


def main() -> None:
    mode, root, *options = sys.argv[1:]
    result = MODES[mode](Path(root), options)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
