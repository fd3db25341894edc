"""Run every benchmark, one fresh interpreter each, then summarise the figures and targets.

    python benchmarks/run_all.py            # default sizes (scale up to 10^5): ~15-25 min
    python benchmarks/run_all.py --quick    # fewer repetitions, sizes up to 10^4: ~3-5 min
    python benchmarks/run_all.py --full     # adds 10^6 metric rows to the scale-up
    python benchmarks/run_all.py --only import,validate
    python benchmarks/run_all.py --summary-only   # re-summarise the latest results

Writes benchmarks/results/summary-latest.json and summary-latest.md (a Markdown table
for the documentation page) next to each benchmark's own JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, PYTHON, RESULTS, fmt, human_rows, machine  # noqa: E402

BENCHMARKS = ("import", "validate", "scale", "audit", "docs")
QUICK = {
    "import": ["--repeat", "5", "--warmup", "1"],
    "validate": ["--repeat", "5", "--layer-repeat", "1"],
    # --merge keeps larger sizes measured before (each records its commit and time)
    "scale": ["--sizes", "1e3,1e4", "--repeat", "2", "--merge"],
    "audit": ["--mb", "5", "--repeat", "3", "--package-metrics", "1e3", "--package-repeat", "1", "--pages", "1,4,16"],
    "docs": ["--sizes", "1e3", "--repeat", "1"],
}
FULL = {"scale": ["--full"]}


def run(name: str, extra: list[str]) -> int:
    script = BENCH_DIR / f"bench_{name}.py"
    print(f"\n######## {name}: {' '.join([script.name, *extra])}", flush=True)
    return subprocess.run([PYTHON, str(script), *extra]).returncode


def latest(name: str, since: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}-latest.json"
    if not path.is_file():
        return None
    document = json.loads(path.read_text(encoding="utf-8"))
    return document if document.get("when", "") >= since else None


def x(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def summary_rows(results: dict[str, dict[str, Any] | None]) -> list[list[str]]:
    """(figure, baseline, ours, ratio, target, verdict) rows."""
    rows: list[list[str]] = []
    imp = results.get("import")
    if imp:
        rows.append(["(a) cold `import jiceng; jiceng.load_all()`", f"`import pandas` {fmt(imp['baseline_median_s'])} s",
                     f"{fmt(imp['ours_median_s'])} s", f"{x(imp['ratio'])} (cpu {x(imp.get('cpu_ratio'))})",
                     "≤ 1.2×", imp["verdict"]])
    val = results.get("validate")
    if val:
        rows.append(["(b) `jiceng validate`, bundled package", f"`frictionless validate` {fmt(val['baseline_median_s'])} s",
                     f"{fmt(val['ours_median_s'])} s", f"{x(val['ratio'])} (cpu {x(val.get('cpu_ratio'))})", "≤ 1.5×",
                     val["verdict"]])
    scale = results.get("scale")
    if scale:
        for r in scale["results"]:
            # from 10^5 metric rows the target is CPU on one core, ≤ 1.0x; below, time ≤ 1.5x
            cpu_judged = r["size"] >= 10**5
            judged, limit = (r.get("cpu_ratio"), 1.0) if cpu_judged else (r["ratio"], 1.5)
            ok = judged is not None and judged <= limit
            two_cores = f"; two cores {fmt(r['ours_two_cores_s'])} s" if r.get("ours_two_cores_s") else ""
            # a size kept from an earlier run (--merge) says when and at which commit it was measured
            kept = f" [{r['when'][:16]}, {r['commit']}]" if r.get("commit") != scale.get("machine", {}).get("commit") else ""
            rows.append([f"(c) validate, {r['metric_rows']:,} metric rows ({r['rows']:,} rows){kept}",
                         f"frictionless {fmt(r['baseline_median_s'])} s (cpu {fmt(r.get('baseline_cpu_s'))} s)",
                         f"{fmt(r['ours_median_s'])} s (cpu {fmt(r.get('ours_cpu_s'))} s){two_cores}; "
                         f"{fmt(r['ours_per_1000_metric_rows_s'])} s/1k metric rows; "
                         f"peak {fmt(r['ours_peak_rss_mib'], 0)} MiB",
                         f"{x(r['ratio'])} (cpu {x(r.get('cpu_ratio'))})",
                         "≤ 1.0× cpu, one core" if cpu_judged else "≤ 1.5×",
                         "PASS" if ok else ("FAILED RUN" if r.get("failed") else "MISS")])
            if r.get("load"):
                # the target is set at 10^5 and 10^6; below, a few milliseconds of fixed cost decide the ratio
                judged = r["size"] >= 10**5
                verdict = "PASS" if (r["load"].get("cpu_ratio") or r["load"]["ratio"] or 99) <= 1.2 else "MISS"
                rows.append([f"(c) load_all(), {r['metric_rows']:,} metric rows", f"pandas.read_csv {fmt(r['load']['read_csv_s'])} s",
                             f"{fmt(r['load']['load_all_s'])} s", f"{x(r['load']['ratio'])} (cpu {x(r['load'].get('cpu_ratio'))})",
                             "≤ 1.2× at 10^5 and 10^6" if judged else "— (target at 10^5, 10^6)",
                             verdict if judged else "reported"])
        per_k = [r.get("in_process_cpu_per_1000_metric_rows_s") for r in scale["results"]
                 if r["size"] >= 10**4 and r.get("in_process_cpu_per_1000_metric_rows_s")]
        if per_k and scale.get("growth_in_process") is None and len(per_k) >= 2:
            scale["growth_in_process"] = per_k[-1] / per_k[0]
        flat = scale.get("flatness_in_process") or scale.get("flatness_command_line")
        if flat is not None:
            rows.append(["(c) time per 1,000 metric rows, max ÷ min from 10^4 up (in-process CPU)", "—",
                         f"largest size ÷ 10^4: {x(scale.get('growth_in_process'))}; command line: wall "
                         f"{x(scale.get('flatness_command_line'))}, cpu {x(scale.get('flatness_cpu'))}",
                         x(flat), "≤ 1.3×", "PASS" if flat <= 1.3 else "MISS"])
        top = max(scale["results"], key=lambda r: r["size"])
        if top["ours_peak_rss_mib"] is not None:
            at_million = top["size"] >= 10**6
            rows.append([f"(c) peak memory of validate at {human_rows(top['size'])}", "—",
                         f"{top['ours_peak_rss_mib']:,.0f} MiB", "—", "< 1 GiB at 10^6",
                         ("PASS" if top["ours_peak_rss_mib"] < 1024 else "MISS") if at_million
                         else ("MISS (already)" if top["ours_peak_rss_mib"] >= 1024 else "not measured at 10^6")])
    audit = results.get("audit")
    if audit:
        parser = audit["parser"]
        for label in ("find_number_tokens", "find_quantities"):
            entry = parser[label]
            rows.append([f"(d) `{label}` on {parser['text_mb']:.0f} MB of Chinese text",
                         f"regex scan {parser['floor: one regex character-class scan']['mb_per_s']:.0f} MB/s",
                         f"{entry['mb_per_s']:.1f} MB/s", "—", "≥ 5 MB/s", "PASS" if entry["mb_per_s"] >= 5 else "MISS"])
        package = audit["package"]
        layer, command = package.get("completeness_layer"), package.get("jiceng_audit_command")
        if layer:
            rows.append([f"(d) audit layer, {package['metric_rows']:,} metric rows ({package['source_mb']:.1f} MB)", "—",
                         f"{layer['mb_per_s']:.1f} MB/s", "—", "≥ 5 MB/s", "PASS" if layer["mb_per_s"] >= 5 else "MISS"])
        if command and command.get("mb_per_s"):
            # The command end to end: start-up, reading the cells the accounting needs, the audit
            # a throughput: on a package of a few MB the command's start-up (about 0.5 s) decides it
            judged = package["metric_rows"] >= 10**5
            rows.append(["(d) `jiceng audit` command, same package (cold, end to end)", "—",
                         f"{command['mb_per_s']:.2f} MB/s", "—",
                         "≥ 5 MB/s" if judged else "— (≥ 5 MB/s judged from 10^5 metric rows)",
                         ("PASS" if command["mb_per_s"] >= 5 else "MISS") if judged else "reported"])
    docs = results.get("docs")
    if docs and docs.get("skipped"):
        rows.append(["(e) docs build", "—", "skipped: " + docs["skipped"], "—", "—", "—"])
    elif docs:
        base = docs["results"][0]
        for r in docs["results"][1:]:
            per_page = r["per_page_s"] / base["per_page_s"] if r.get("per_page_s") and base.get("per_page_s") else None
            rows.append([f"(e) `mkdocs build`, {r['metric_rows']:,} metric rows ({r['pages']} pages), time a page",
                         f"bundled {fmt(base['per_page_s'])} s a page ({base['pages']} pages)",
                         f"{fmt(r['per_page_s'])} s a page; whole build {fmt(r['median_s'])} s",
                         x(per_page), "≤ 1.3× a page", "—" if per_page is None else "PASS" if per_page <= 1.3 else "MISS"])
    return rows


def markdown(rows: list[list[str]], info: dict[str, Any], results: dict[str, dict[str, Any] | None]) -> str:
    headers = ["figure", "baseline (same run)", "ours", "ratio", "target", "verdict"]
    lines = [f"Measured {dt.date.today().isoformat()} on {info.get('cpus')} CPUs ({info.get('cpu', '?')}), "
             f"{info.get('memory_gib', '?')} GiB, Python {info.get('python')}, commit {info.get('commit', '?')}. "
             "Medians of repeated cold runs; ratios against the baseline measured in the same run.", "",
             "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    taken = [f"{name} {document['when']} ({document.get('machine', {}).get('commit', '?')})"
             for name, document in results.items() if document]
    lines += ["", "Results taken: " + "; ".join(taken) + "."]
    return "\n".join(lines) + "\n"


FIGURES_START, FIGURES_END = "<!-- figures:start -->", "<!-- figures:end -->"


def update_readme(path: Path, figures: str) -> None:
    """Replace the figures block of the README (atomically: a temporary file, then rename)."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(FIGURES_START, 1)
    _, tail = rest.split(FIGURES_END, 1)
    temporary = path.with_suffix(".md.tmp")
    temporary.write_text(f"{head}{FIGURES_START}\n{figures}{FIGURES_END}{tail}", encoding="utf-8")
    temporary.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="fewer repetitions, sizes up to 10^4")
    mode.add_argument("--full", action="store_true", help="scale-up to 10^6 metric rows")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    parser.add_argument("--skip", default="", help="comma-separated benchmarks to leave out")
    parser.add_argument("--summary-only", action="store_true",
                        help="run nothing; summarise the latest result of each benchmark, whenever it ran")
    parser.add_argument("--update-readme", action="store_true",
                        help="also write the summary between the figures markers of benchmarks/README.md, "
                        "which the documentation site shows")
    arguments = parser.parse_args(argv)
    chosen = [name for name in (arguments.only.split(",") if arguments.only else BENCHMARKS)
              if name not in arguments.skip.split(",")]
    since = "" if arguments.summary_only else dt.datetime.now().isoformat(timespec="seconds")
    codes = {}
    for name in [] if arguments.summary_only else chosen:
        extra = QUICK.get(name, []) if arguments.quick else (FULL.get(name, []) if arguments.full else [])
        codes[name] = run(name, extra)
    results = {name: latest(name, since) for name in chosen}
    rows = summary_rows(results)
    info = machine()
    print("\n######## summary\n")
    widths = [max(len(r[i]) for r in rows + [["figure", "baseline", "ours", "ratio", "target", "verdict"]])
              for i in range(6)] if rows else []
    for row in [["figure", "baseline", "ours", "ratio", "target", "verdict"]] + rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "summary-latest.json").write_text(json.dumps(
        {"when": since, "machine": info, "exit_codes": codes, "rows": rows}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    (RESULTS / "summary-latest.md").write_text(markdown(rows, info, results), encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(BENCH_DIR.parent)}/summary-latest.md and .json")
    if arguments.update_readme:
        update_readme(BENCH_DIR / "README.md", markdown(rows, info, results))
        print("wrote the figures of benchmarks/README.md")
    return 0 if all(code == 0 for code in codes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
