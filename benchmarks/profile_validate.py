"""Where validate's time and memory go, on a generated package (default 10^5 metric rows).

    python benchmarks/profile_validate.py [--metrics 1e5] [--time] [--memory]
    python benchmarks/profile_validate.py --time --metrics 1e4,1e5   # which functions grow?

--time    samples the in-process validate worker with py-spy (``pip install py-spy``)
          at 100 Hz, forked workers included, and aggregates the stacks: inclusive and self
          share per function, and the share of each validate layer and of what it calls. The raw collapsed stacks are kept in
          benchmarks/results/ (open them in https://www.speedscope.app).
--memory  runs validate_package under tracemalloc: allocated memory after each check's
          start and end, the peak, and by allocating source line what is alive after the
          files are read and when the number accounting ends (what the checks kept of the
          rows). Slower (about 3x).

Without either flag, does both.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, PYTHON, RESULTS, human_rows, parse_sizes, print_table, write_results  # noqa: E402
from synthetic import cached_package  # noqa: E402

MEMORY_SCRIPT = r"""
import json, sys, time, tracemalloc
from pathlib import Path
import frictionless, pydantic  # imports are not what we measure
from jiceng.validate import validate_package
from jiceng.validate.runner import check_classes
import jiceng.quantity, jiceng.tableschema

def where(frame):
    name = frame.filename.split('site-packages/')[-1].split('/src/')[-1]
    return f"{name}:{frame.lineno}"

snapshots = {}
layers = []

def snapshot(name):
    stats = tracemalloc.take_snapshot().statistics("lineno")
    snapshots[name] = [{"where": where(s.traceback[0]), "mib": s.size / 2**20, "blocks": s.count} for s in stats[:12]]

def measured(cls, hook):
    # memory after each check's start and end; the rows' state is looked at when the
    # files are read and when the number accounting (the completeness audit) ends
    original = getattr(cls, hook)
    name = f"{cls.__module__.rsplit('.', 1)[-1]}.{hook}"
    def run(self, *args):
        if name == "number_accounting.end":
            snapshot("entering " + name)
        result = original(self, *args)
        current, peak = tracemalloc.get_traced_memory()
        layers.append({"function": name, "current_mib": current / 2**20, "peak_so_far_mib": peak / 2**20})
        if name == "files.start":
            snapshot(name)
        return result
    setattr(cls, hook, run)

for cls in check_classes():
    for hook in ("start", "end"):
        if hook in vars(cls):
            measured(cls, hook)
tracemalloc.start(1)
t0 = time.perf_counter()
report = validate_package(Path(sys.argv[1]), sys.argv[1], max_rows=10**9)
elapsed = time.perf_counter() - t0
current, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
print(json.dumps({"valid": report.valid, "seconds": elapsed, "current_mib": current / 2**20, "peak_mib": peak / 2**20,
                  "layers": layers, "snapshots": snapshots}))
"""


def frame_name(frame: str) -> str:
    """"function (path/to/file.py:123)" -> "function (file.py)"."""
    function, _, where = frame.partition(" (")
    filename = where.rsplit(":", 1)[0].split("site-packages/")[-1].split("/src/")[-1]
    return f"{function} ({filename})"


def aggregate_raw(path: Path) -> dict[str, object]:
    """Inclusive and self samples per function from py-spy's collapsed stacks, and per
    layer: the function validate_package called, and the one that called below it.

    Samples of a forked worker (the frictionless checks, in the streaming validator) are
    attributed to the worker's function, marked "(forked)"."""
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    layers: collections.Counter = collections.Counter()
    sublayers: collections.Counter = collections.Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        # Leave out py-spy's process labels and the benchmark worker's timing wrappers.
        frames = [frame for frame in stack.split(";")
                  if not frame.startswith("process ") and ".<locals>.wrap" not in frame.partition(" (")[0]]
        names = [frame_name(frame) for frame in frames]
        for name in set(names):
            inclusive[name] += count
        if names:
            own[names[-1]] += count
        functions = [frame.partition(" (")[0] for frame in frames]
        layer, sublayer = "(outside validate_package: imports, start-up, exit)", ""
        if "frictionless_errors" in functions and "_process_worker" in functions:
            # a forked worker keeps a copy of its parent's stack under its own
            index = functions.index("frictionless_errors")
            layer = "frictionless_errors (forked worker)"
            sublayer = names[index + 1] if index + 1 < len(names) else "(itself)"
        elif "validate_package" in functions:
            index = functions.index("validate_package")
            layer = functions[index + 1] if index + 1 < len(functions) else "validate_package (itself: waiting)"
            sublayer = names[index + 2] if index + 2 < len(names) else "(itself)"
        elif any(f.startswith(("_worker", "_process_worker")) for f in functions):
            layer = "(forked worker, outside the checks)"
        layers[layer] += count
        sublayers[(layer, sublayer)] += count
    return {"samples": total, "inclusive": inclusive.most_common(45), "self": own.most_common(30),
            "layers": layers.most_common(),
            "sublayers": [[layer, sub, count] for (layer, sub), count in sublayers.most_common(30)]}


def profile_time(root: Path, rate: int, label: str = "") -> dict[str, object]:
    spy = shutil.which("py-spy") or str(Path(PYTHON).parent / "py-spy")
    if not Path(spy).exists():
        return {"skipped": "py-spy is not installed: pip install py-spy"}
    RESULTS.mkdir(parents=True, exist_ok=True)
    raw = RESULTS / f"profile-validate-pyspy{label}.txt"
    command = [spy, "record", "--subprocesses", "-r", str(rate), "-f", "raw", "-o", str(raw), "--",
               PYTHON, str(BENCH_DIR / "_worker.py"), "validate", str(root)]
    print("$ " + " ".join(command), file=sys.stderr, flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    result = aggregate_raw(raw)
    total = result["samples"] or 1
    print()
    print_table(["layer", "% of samples"], [[name, 100 * count / total] for name, count in result["layers"]],
                title=f"time by layer (py-spy, {total:,} samples at {rate} Hz, all processes)")
    print()
    print_table(["layer", "called function", "% of samples"],
                [[layer, sub, 100 * count / total] for layer, sub, count in result["sublayers"]],
                title="time by layer and the function it called (top 30)")
    print()
    print_table(["function (inclusive)", "%"], [[name, 100 * count / total] for name, count in result["inclusive"]],
                title="inclusive share per function (top 40)")
    print()
    print_table(["function (self)", "%"], [[name, 100 * count / total] for name, count in result["self"]],
                title="self share per function (top 30)")
    result["raw"] = str(raw)
    return result


def profile_memory(root: Path) -> dict[str, object]:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(MEMORY_SCRIPT)
    print(f"$ tracemalloc run on {root}", file=sys.stderr, flush=True)
    result = subprocess.run([PYTHON, handle.name, str(root)], capture_output=True, text=True)
    Path(handle.name).unlink()
    if result.returncode != 0:
        return {"failed": result.stderr[-2000:]}
    data = json.loads(result.stdout.strip().splitlines()[-1])
    print()
    print(f"tracemalloc (Python allocations only; RSS is higher): peak {data['peak_mib']:,.0f} MiB, "
          f"{data['current_mib']:,.0f} MiB still allocated when validate_package returns")
    print_table(["after layer", "allocated MiB", "peak so far MiB"],
                [[l["function"], l["current_mib"], l["peak_so_far_mib"]] for l in data["layers"]],
                title="allocated memory after each layer")
    for name, top in data["snapshots"].items():
        print()
        print_table(["allocated at", "MiB", "blocks"], [[t["where"], t["mib"], t["blocks"]] for t in top],
                    title=f"allocated after {name}, by line (top 12)")
    return data


def growth_table(profiles: dict[int, dict[str, object]], rate: int) -> list[list[object]]:
    """Seconds per 1,000 metric rows of each function at each size: a function whose
    figure grows with the size is what makes validation non-linear."""
    sizes = sorted(profiles)
    largest = profiles[sizes[-1]]
    names = [name for name, _ in largest["inclusive"]][:30]
    rows = []
    for name in names:
        row: list[object] = [name]
        for size in sizes:
            counts = dict(profiles[size]["inclusive"])
            rows_k = profiles[size]["metric_rows"] / 1000
            row.append(counts.get(name, 0) / rate / rows_k)
        first, last = row[1], row[-1]
        row.append(last / first if first else None)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--metrics", default="1e5",
                        help="metric rows of the package; several (1e4,1e5) also compare s/1k per function "
                             "(default 1e5)")
    parser.add_argument("--time", action="store_true", help="py-spy sampling profile")
    parser.add_argument("--memory", action="store_true", help="tracemalloc profile (of the largest size)")
    parser.add_argument("--rate", type=int, default=100, help="py-spy samples per second (default 100)")
    arguments = parser.parse_args(argv)
    both = not arguments.time and not arguments.memory
    sizes = parse_sizes(arguments.metrics)
    payload: dict[str, object] = {"sizes": sizes}
    if arguments.time or both:
        profiles = {}
        for size in sizes:
            root, generated = cached_package(size)
            print(f"\n== py-spy, {generated['row_counts']['metrics']:,} metric rows", flush=True)
            result = profile_time(root, arguments.rate, f"-{size}")
            if "skipped" in result:
                print(result["skipped"])
                break
            result["metric_rows"] = generated["row_counts"]["metrics"]
            profiles[size] = result
        payload["time"] = {str(size): result for size, result in profiles.items()}
        if len(profiles) > 1:
            print()
            print_table(["function (inclusive)"] + [human_rows(size) for size in sorted(profiles)] + ["growth"],
                        growth_table(profiles, arguments.rate),
                        title="seconds per 1,000 metric rows, by function (growth = largest ÷ smallest size)")
    if arguments.memory or both:
        root, generated = cached_package(sizes[-1])
        payload["memory"] = profile_memory(root)
    write_results("profile-validate", payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
