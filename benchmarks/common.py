"""Shared helpers for the benchmark scripts: timing child processes, medians, tables, JSON.

Every benchmark measures *ours* and a *baseline* in the same run, interleaved, so that
a ratio compares like with like on whatever machine it runs on. Child processes are
timed with a monotonic clock around ``Popen``/``wait4``; ``wait4`` also returns the
child's own ``ru_maxrss`` (peak resident memory), so no ``/usr/bin/time`` is needed.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
PYTHON = sys.executable


def console_script(name: str) -> list[str]:
    """The console script installed next to this interpreter, else ``python -m name``."""
    candidate = Path(PYTHON).parent / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return [str(candidate)]
    return [PYTHON, "-m", name]


@dataclass
class Run:
    """One timed child process."""

    seconds: float
    max_rss_kib: int
    returncode: int
    cpu_seconds: float = 0.0  # user + system time of the child and its reaped children
    tree_peak_kib: int = 0  # sampled peak of the whole process tree's PSS (forked workers included)
    killed: str | None = None
    stdout_tail: str = ""
    stderr_tail: str = ""
    stdout: str = field(default="", repr=False)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.killed is None


def _status_kib(pid: int, key: str = "VmRSS:") -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _pss_kib(pid: int) -> int:
    """Proportional set size: shared pages (a forked child's) split between the sharers."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return _status_kib(pid)


def _tree(pid: int) -> list[int]:
    """pid and all its descendants (the validator may fork a worker process)."""
    found, frontier = [pid], [pid]
    while frontier:
        current = frontier.pop()
        try:
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as handle:
                children = [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            children = []
        found.extend(children)
        frontier.extend(children)
    return found


def tree_memory_kib(pid: int) -> int:
    """Memory of a process tree now: the sum of the processes' PSS."""
    return sum(_pss_kib(member) for member in _tree(pid))


def run_once(
    command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = None,
    max_rss_gib: float | None = None,
    capture: bool = True,
    sample_memory: bool = True,
) -> Run:
    """Run ``command`` once; wall time, peak RSS (ru_maxrss of this child) and exit code.

    ``timeout`` (seconds) and ``max_rss_gib`` kill the child when exceeded (polled every
    0.2 s), so a run that would exhaust the machine ends cleanly and says why.
    """
    full_env = {**os.environ, **(env or {})}
    stdout = subprocess.PIPE if capture else subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(list(command), env=full_env, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE)
    killed: list[str] = []
    outputs: dict[str, bytes] = {}

    def drain(name: str, stream: Any) -> None:
        outputs[name] = stream.read() if stream is not None else b""

    readers = [threading.Thread(target=drain, args=("out", process.stdout), daemon=True),
               threading.Thread(target=drain, args=("err", process.stderr), daemon=True)]
    for reader in readers:
        reader.start()
    limit_kib = int(max_rss_gib * 1024 * 1024) if max_rss_gib else None
    done = threading.Event()
    tree_peak = [0]

    def monitor() -> None:
        # Samples the memory of the child's process tree (a forked worker's too, which
        # ru_maxrss does not add up) and kills the tree when it overruns. The main
        # thread's blocking wait4 keeps the timing exact.
        interval = 0.05
        while not done.wait(interval):
            interval = 0.05 if time.perf_counter() - start < 2 else 0.25
            members = _tree(process.pid)
            memory = sum(_pss_kib(member) for member in members)
            tree_peak[0] = max(tree_peak[0], memory)
            if timeout is not None and time.perf_counter() - start > timeout:
                killed.append(f"timeout after {timeout:.0f} s")
            elif limit_kib is not None and memory > limit_kib:
                killed.append(f"memory of the process tree above {max_rss_gib:g} GiB "
                              f"after {time.perf_counter() - start:.0f} s")
            else:
                continue
            for member in reversed(members):
                try:
                    os.kill(member, 9)
                except OSError:
                    pass
            return

    guard = None
    if sample_memory or timeout is not None or limit_kib is not None:
        guard = threading.Thread(target=monitor, daemon=True)
        guard.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    if guard is not None:
        guard.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    out = outputs.get("out", b"").decode("utf-8", "replace")
    err = outputs.get("err", b"").decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss, process.returncode, usage.ru_utime + usage.ru_stime,
               max(tree_peak[0], usage.ru_maxrss), killed[0] if killed else None, out[-2000:], err[-2000:], out)


def run_json(command: Sequence[str], **options: Any) -> tuple[Run, dict[str, Any] | None]:
    """Run a worker that prints one JSON object on its last line; return the run and the object."""
    run = run_once(command, **options)
    lines = run.stdout.strip().splitlines()
    try:
        return run, (json.loads(lines[-1]) if run.ok and lines else None)
    except json.JSONDecodeError:
        return run, None


def worker(mode: str, root: Path, *options: str) -> list[str]:
    return [PYTHON, str(BENCH_DIR / "_worker.py"), mode, str(root), *options]


def median_of(values: Sequence[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


@dataclass
class Series:
    """Repeated runs of one command."""

    label: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)

    @property
    def times(self) -> list[float]:
        return [run.seconds for run in self.runs if run.ok]

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def cpu_median(self) -> float | None:
        cpu = [run.cpu_seconds for run in self.runs if run.ok]
        return statistics.median(cpu) if cpu else None

    @property
    def max_rss_mib(self) -> float | None:
        peaks = [run.max_rss_kib for run in self.runs if run.ok]
        return max(peaks) / 1024 if peaks else None

    @property
    def tree_peak_mib(self) -> float | None:
        peaks = [run.tree_peak_kib for run in self.runs if run.ok]
        return max(peaks) / 1024 if peaks else None

    @property
    def failed(self) -> Run | None:
        return next((run for run in self.runs if not run.ok), None)

    def summary(self) -> dict[str, Any]:
        failed = self.failed
        return {
            "label": self.label,
            "command": self.command,
            "n": len(self.times),
            "median_s": self.median,
            "min_s": min(self.times) if self.times else None,
            "max_s": max(self.times) if self.times else None,
            "times_s": self.times,
            "cpu_median_s": self.cpu_median,
            "cpu_times_s": [run.cpu_seconds for run in self.runs if run.ok],
            "peak_rss_mib": self.max_rss_mib,
            "tree_peak_mib": self.tree_peak_mib,
            "failed": None if failed is None else {
                "returncode": failed.returncode, "killed": failed.killed, "seconds": failed.seconds,
                "tree_peak_mib": failed.tree_peak_kib / 1024,
                "stdout_tail": failed.stdout_tail[-800:], "stderr_tail": failed.stderr_tail[-800:]},
        }


def compare(
    commands: dict[str, Sequence[str]],
    *,
    repeat: int,
    warmup: int = 1,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    max_rss_gib: float | None = None,
    budget_s: float | None = None,
    progress: bool = True,
) -> dict[str, Series]:
    """Run several commands ``repeat`` times each, interleaved (A B A B ...).

    Interleaving spreads any drift of the machine (frequency scaling, a neighbour's job)
    over all commands alike. ``warmup`` untimed rounds fill the page cache first. When
    ``budget_s`` is given, stop repeating once a round has used more than the budget
    (large sizes then get fewer repetitions; the JSON records how many).
    """
    series = {label: Series(label, list(command)) for label, command in commands.items()}
    for _ in range(warmup):
        for command in commands.values():
            run_once(command, env=env, timeout=timeout, max_rss_gib=max_rss_gib)
    started = time.perf_counter()
    for index in range(repeat):
        for label, command in commands.items():
            run = run_once(command, env=env, timeout=timeout, max_rss_gib=max_rss_gib)
            series[label].runs.append(run)
            if progress:
                state = "ok" if run.ok else f"FAILED ({run.killed or 'exit ' + str(run.returncode)})"
                print(f"    {label:<28} run {index + 1}/{repeat}: {run.seconds:8.3f} s (cpu {run.cpu_seconds:7.3f}), "
                      f"{run.tree_peak_kib / 1024:8.1f} MiB {state}", file=sys.stderr, flush=True)
        if any(s.failed for s in series.values()):
            break
        if budget_s is not None and time.perf_counter() - started > budget_s:
            break
    return series


def ratio(ours: float | None, baseline: float | None) -> float | None:
    if ours is None or baseline is None or baseline == 0:
        return None
    return ours / baseline


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> str:
    """Print (and return) a plain-text table; numbers right-aligned."""
    cells = [[fmt(cell) if not isinstance(cell, str) else cell for cell in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in cells)) if cells else len(str(h)) for i, h in enumerate(headers)]
    lines = []
    if title:
        lines.append(title)
    lines.append("  ".join(str(h).ljust(w) for h, w in zip(headers, widths)))
    lines.append("  ".join("-" * w for w in widths))
    for row, raw in zip(cells, rows):
        lines.append("  ".join(
            cell.rjust(w) if isinstance(value, (int, float)) or value is None else cell.ljust(w)
            for cell, w, value in zip(row, widths, raw)))
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def load_average() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


def warn_if_busy() -> None:
    """Say so when other processes compete for the CPUs: wall times are then inflated."""
    load = load_average()
    cpus = os.cpu_count() or 1
    if load and load[0] > 0.5 * cpus:
        print(f"  note: load average {load[0]:.1f} on {cpus} CPUs; other processes compete, so wall "
              "times are inflated; compare the CPU-time columns", file=sys.stderr, flush=True)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    info: dict[str, Any] = {
        "load_average_at_end": load_average(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "executable": PYTHON,
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as handle:
            info["memory_gib"] = round(int(handle.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        from importlib.metadata import version

        info["versions"] = {name: version(name) for name in ("jiceng", "pandas", "pydantic", "frictionless", "cn2an")}
    except Exception:  # noqa: BLE001 - informational only
        pass
    if shutil.which("git") and (REPO / ".git").exists():
        try:
            head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                  capture_output=True, text=True, timeout=10).stdout.strip()
            dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src"],
                                   capture_output=True, text=True, timeout=10).stdout.strip()
            info["commit"] = head + ("+uncommitted src changes" if dirty else "")
        except (OSError, subprocess.SubprocessError):
            pass
    return info


def write_results(name: str, payload: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/NAME-latest.json`` and a timestamped copy; return the path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    document = {"benchmark": name, "when": _dt.datetime.now().isoformat(timespec="seconds"),
                "machine": machine(), **payload}
    text = json.dumps(document, ensure_ascii=False, indent=2, default=_default)
    (RESULTS / f"{name}-{stamp}.json").write_text(text + "\n", encoding="utf-8")
    latest = RESULTS / f"{name}-latest.json"
    latest.write_text(text + "\n", encoding="utf-8")
    print(f"\nwrote {latest.relative_to(REPO)}", flush=True)
    return latest


def _default(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value).__name__)


def parse_sizes(text: str) -> list[int]:
    """'1e3,1e4,100000' -> [1000, 10000, 100000]."""
    return [int(float(part)) for part in text.split(",") if part.strip()]


def human_rows(n: int) -> str:
    exponent = len(str(n)) - 1
    return f"10^{exponent}" if n == 10**exponent else f"{n:,}"
