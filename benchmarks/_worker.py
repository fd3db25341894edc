"""In-process measurements, run in a fresh child process by the benchmark scripts.

    python benchmarks/_worker.py validate ROOT [--sublayers] [--no-gc]
                                                 # validate_package, timed layer by layer
    python benchmarks/_worker.py load ROOT       # jiceng.load_all() on the package at ROOT
    python benchmarks/_worker.py read_csv ROOT   # baseline: pandas.read_csv of the same tables

Prints one JSON object on the last line of stdout. Each call is a new process, so no
cache of an earlier run helps a later one.

Layer timing wraps, for the duration of the run, every module-level function of
``jiceng.validate`` that ``validate_package`` calls by name (read from its bytecode), so
it follows the validator as it changes: a new or renamed layer shows up under its own
name. Nested calls of wrapped functions are counted once, in the outer one. For memory,
each layer records the process's resident set after it and how much it raised the peak
(``ru_maxrss``).
"""

from __future__ import annotations

import gc
import inspect
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

LAYER_NAMES = {
    "read_descriptor": "0 files: descriptor",
    "check_paths": "0 files: path safety",
    "read_tables": "0 files: read + parse CSV",
    "check_schema_drift": "1 standard: schema drift",
    "check_with_frictionless": "1 standard: frictionless",
    "check_models": "2 models: pydantic rows",
    "check_provenance": "3 provenance: hashes, spans, quotes",
    "check_completeness": "4 completeness: audit",
    "check_consistency": "5 consistency",
    "check_rows": "2-5 rows, streamed: models, provenance, audit, consistency",
    "start_frictionless": "1 standard: frictionless (forked, runs alongside)",
    "add_frictionless_errors": "1 standard: map frictionless errors",
}


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

    from jiceng import validate as module

    # Modules the layers import on first use (cn2an alone takes ~0.15 s): load them now,
    # so that each layer's time is its work, not an import. The cold command-line runs
    # include these imports.
    for name in ("jiceng.audit", "jiceng.quantity", "jiceng.consistency", "jiceng.tableschema", "jiceng.models"):
        try:
            __import__(name)
        except ImportError:
            pass

    imported = time.perf_counter() - started
    layers: dict[str, dict[str, float]] = {}
    depth = [0]

    def wrap(name: str, function: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if depth[0]:
                return function(*args, **kwargs)
            depth[0] += 1
            peak_before = peak_mib()
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
                depth[0] -= 1
                entry = layers.setdefault(name, {"seconds": 0.0, "cpu_seconds": 0.0, "calls": 0,
                                                 "rss_after_mib": 0.0, "peak_raise_mib": 0.0})
                entry["seconds"] += elapsed
                entry["cpu_seconds"] += cpu
                entry["calls"] += 1
                entry["rss_after_mib"] = rss_mib()
                entry["peak_raise_mib"] += max(0.0, peak_mib() - peak_before)

        return timed

    def own_functions(code: Any) -> list[str]:
        """jiceng's functions that ``code`` calls through the validate module's names
        (the layers live in modules of their own and are imported into it)."""
        return [name for name in code.co_names
                if inspect.isfunction(getattr(module, name, None))
                and getattr(module, name).__module__.startswith("jiceng.")]

    top = own_functions(module.validate_package.__code__)
    sublayers: dict[str, dict[str, float]] = {}
    if "--sublayers" in options:
        # Two levels further down (check_completeness inside check_rows, say), timed with
        # clocks only. Functions called once per row add about a microsecond per call.
        def wrap_nested(name: str, function: Any) -> Any:
            def timed(*args: Any, **kwargs: Any) -> Any:
                t0, c0 = time.perf_counter(), time.process_time()
                try:
                    return function(*args, **kwargs)
                finally:
                    entry = sublayers.setdefault(name, {"seconds": 0.0, "cpu_seconds": 0.0, "calls": 0})
                    entry["seconds"] += time.perf_counter() - t0
                    entry["cpu_seconds"] += time.process_time() - c0
                    entry["calls"] += 1

            return timed

        nested: set[str] = set()
        frontier = list(top)
        for _ in range(2):  # two levels: check_rows -> check_row -> check_quote
            frontier = [n for name in frontier for n in own_functions(getattr(module, name).__code__)
                        if n not in nested and n not in top]
            nested.update(frontier)
        for name in sorted(nested):
            setattr(module, name, wrap_nested(name, getattr(module, name)))
    for name in top:
        setattr(module, name, wrap(name, getattr(module, name)))
    rss_before = rss_mib()
    guards = {}
    if "max_rows" in inspect.signature(module.validate_package).parameters:
        guards["max_rows"] = 10**9  # lift the size guard, as the command-line runs do
    children_before = children_cpu()
    t0, c0 = time.perf_counter(), time.process_time()
    report = module.validate_package(root, str(root), **guards)
    total, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    wait_for_children()
    forked_cpu = children_cpu() - children_before
    accounted = sum(entry["seconds"] for entry in layers.values())
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
        "layers": [{"function": name, "layer": LAYER_NAMES.get(name, name), **entry}
                   for name, entry in layers.items()],
        "sublayers": [{"function": name, **entry} for name, entry in sublayers.items()],
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
