"""(a) Cold start: ``import jiceng; jiceng.load_all()`` against ``import pandas``.

Each command runs in a new interpreter (files in the page cache, nothing else warm), the
two interleaved, ``--repeat`` times after ``--warmup`` untimed rounds. ``import pandas``
is the floor for any API that returns DataFrames; the target is ours within 1.2x of it.
``python -c pass`` (the bare interpreter) and ``import jiceng`` alone are timed too, for
context, and one ``-X importtime`` run lists the slowest imports of ours.

    python benchmarks/bench_import.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, compare, print_table, ratio, warn_if_busy, write_results  # noqa: E402

TARGET = 1.2
OURS = "import jiceng; jiceng.load_all()"
BASELINE = "import pandas"


def importtime(top: int = 12) -> list[dict[str, object]]:
    """The heaviest top-level packages imported by ours (cumulative ms, from -X importtime).

    Nested packages count inside their importer (numpy inside pandas), so the figures
    overlap; they show what load_all() pulls in, e.g. whether pydantic sneaks onto the path.
    """
    result = subprocess.run([PYTHON, "-X", "importtime", "-c", OURS], capture_output=True, text=True)
    totals: dict[str, int] = {}
    pattern = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)")
    for line in result.stderr.splitlines():
        match = pattern.match(line)
        if match and "." not in match.group(3):
            module, cumulative_us = match.group(3), int(match.group(2))
            totals[module] = max(totals.get(module, 0), cumulative_us)
    return [{"module": name, "cumulative_ms": round(us / 1000, 1)}
            for name, us in sorted(totals.items(), key=lambda item: -item[1])[:top]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each command (default 15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed rounds first (default 2)")
    arguments = parser.parse_args(argv)
    commands = {
        "python -c pass": [PYTHON, "-c", "pass"],
        BASELINE: [PYTHON, "-c", BASELINE],
        "import jiceng": [PYTHON, "-c", "import jiceng"],
        OURS: [PYTHON, "-c", OURS],
    }
    print(f"(a) cold start, median of {arguments.repeat} interleaved runs", file=sys.stderr)
    warn_if_busy()
    series = compare(commands, repeat=arguments.repeat, warmup=arguments.warmup)
    base = series[BASELINE].median
    base_cpu = series[BASELINE].cpu_median
    rows = [[label, s.median, min(s.times) if s.times else None, s.cpu_median, s.tree_peak_mib,
             ratio(s.median, base), ratio(s.cpu_median, base_cpu)] for label, s in series.items()]
    print()
    print_table(["command", "median s", "min s", "cpu s", "peak MiB", "÷ import pandas", "cpu ÷ pandas"], rows,
                title="(a) cold start: python -c '...'")
    ours = series[OURS].median
    r = ratio(ours, base)
    verdict = "PASS" if r is not None and r <= TARGET else "MISS"
    print(f"\nimport jiceng; load_all(): {ours:.3f} s vs import pandas {base:.3f} s = {r:.2f}x "
          f"(target ≤ {TARGET}x): {verdict}; extra {1000 * (ours - base):.0f} ms")
    slow = importtime()
    print_table(["package imported by ours", "cumulative ms"], [[i["module"], i["cumulative_ms"]] for i in slow],
                title="\nslowest imports of ours (-X importtime, one run)")
    write_results("import", {
        "repeat": arguments.repeat,
        "series": {label: s.summary() for label, s in series.items()},
        "baseline": BASELINE, "ours": OURS,
        "baseline_median_s": base, "ours_median_s": ours, "ratio": r, "target_ratio": TARGET,
        "verdict": verdict, "importtime_top": slow,
        "cpu_ratio": ratio(series[OURS].cpu_median, base_cpu),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
