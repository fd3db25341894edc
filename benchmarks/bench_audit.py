"""(d) The quantity parser and the audit, in MB of Chinese text per second.

MB are 10^6 bytes of UTF-8 (a Chinese character is 3 bytes). Three measurements:

1. parser, in-process, on a large generated text (paragraphs of the bundled documents
   drawn at random until ``--mb`` MB): ``find_number_tokens`` (what the audit scans
   with) and ``find_quantities`` (the full quantity grammar), against a floor of one
   regex character-class scan over the same text; ``parse_quantity`` on every quantity
   found, in expressions per second;
2. audit on a generated package of ``--package-metrics`` metric rows: the completeness
   layer of ``validate_package`` alone (in-process), and the ``jiceng audit`` command
   end to end (cold: start-up, the cells the accounting needs, the audit), both in MB of source text per
   second;
3. audit against document size: the same rows printed K pages to a document
   (K = 1, 4, 16, 64), showing whether the per-document work of the completeness and
   provenance layers grows faster than the text.

Target: at least 5 MB/s.

    python benchmarks/bench_audit.py [--mb 20] [--package-metrics 1e4] [--pages 1,4,16,64]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_validate import layer_runs  # noqa: E402
from common import (  # noqa: E402
    compare,
    console_script,
    parse_sizes,
    print_table,
    warn_if_busy,
    write_results,
)
from synthetic import Template, cached_package, template_root  # noqa: E402

TARGET_MBPS = 5.0
FLOOR = re.compile("[0-9０-９〇零一二两三四五六七八九十百千万亿]")


def chinese_text(megabytes: float, seed: int = 2024) -> str:
    """Paragraphs of the bundled documents in random order, to at least ``megabytes`` MB."""
    template = Template.read(template_root())
    paragraphs = [p for text in template.documents.values() for p in text.split("\n") if p.strip()]
    rng = random.Random(seed)
    parts, size, target = [], 0, megabytes * 1e6
    while size < target:
        paragraph = rng.choice(paragraphs)
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(parts)


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of ``repeat`` calls; the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def parser_figures(megabytes: float, repeat: int) -> dict[str, Any]:
    from jiceng.quantity import QuantityError, find_number_tokens, find_quantities, parse_quantity

    text = chinese_text(megabytes)
    size_mb = len(text.encode("utf-8")) / 1e6
    results: dict[str, Any] = {"text_mb": size_mb, "text_chars": len(text), "repeat": repeat}
    for label, function in (
        ("floor: one regex character-class scan", lambda: FLOOR.findall(text)),
        ("find_number_tokens", lambda: find_number_tokens(text)),
        ("find_quantities", lambda: find_quantities(text)),
    ):
        wall, cpu, found = timed(function, repeat)
        results[label] = {"wall_s": wall, "cpu_s": cpu, "mb_per_s": size_mb / wall, "cpu_mb_per_s": size_mb / cpu,
                          "matches": len(found)}
    quantities = [q.text for q in find_quantities(text)]

    def parse_all() -> int:
        parsed = 0
        for expression in quantities:
            try:
                parse_quantity(expression)
                parsed += 1
            except QuantityError:
                pass
        return parsed

    wall, cpu, parsed = timed(parse_all, repeat)
    results["parse_quantity"] = {"wall_s": wall, "cpu_s": cpu, "expressions": len(quantities),
                                 "parsed": parsed, "expressions_per_s": len(quantities) / wall,
                                 "mb_per_s": sum(len(q.encode()) for q in quantities) / 1e6 / wall}
    return results


def find_layer(layers: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The timing of one check module of validate_package."""
    return next((l for l in layers.get("layers", []) + layers.get("sublayers", []) if l["function"] == name), None)


def package_figures(metrics: int, repeat: int, pages: list[int]) -> dict[str, Any]:
    root, generated = cached_package(metrics)
    mb = generated["source_text_bytes"] / 1e6
    layers = layer_runs(root, repeat)
    layer = find_layer(layers, "number_accounting")
    series = compare({"jiceng audit": [*console_script("jiceng"), "audit", str(root)]}, repeat=repeat)
    audit = series["jiceng audit"]
    shapes = []
    for k in pages:
        shaped_root, shaped = cached_package(85 * k, pages_per_document=k)
        shaped_layers = layer_runs(shaped_root, 1, timeout=1800)
        shaped_mb = shaped["source_text_bytes"] / 1e6
        entry: dict[str, Any] = {"pages_per_document": k, "documents": shaped["documents"],
                                 "document_mb": shaped_mb / max(1, shaped["documents"]), "source_mb": shaped_mb,
                                 "metric_rows": shaped["row_counts"]["metrics"], "valid": shaped_layers.get("valid")}
        # the check modules timed by the runner: number accounting holds the completeness audit
        for name, parts in (("check_completeness", ("number_accounting",)), ("check_provenance", ("provenance",))):
            found = [layer for layer in (find_layer(shaped_layers, part) for part in parts) if layer]
            if found:
                cpu = sum(layer["cpu_seconds"] for layer in found)
                entry[name] = {"cpu_s": cpu, "wall_s": sum(layer["seconds"] for layer in found),
                               "functions": [layer["function"] for layer in found],
                               "cpu_s_per_mb": cpu / shaped_mb, "mb_per_cpu_s": shaped_mb / cpu if cpu else None}
        if "failed" in shaped_layers:
            entry["failed"] = shaped_layers["failed"]
        shapes.append(entry)
    return {
        "package": str(root), "metric_rows": generated["row_counts"]["metrics"], "source_mb": mb,
        "documents": generated["documents"], "valid": layers.get("valid"),
        "completeness_layer": None if layer is None else {
            "wall_s": layer["seconds"], "cpu_s": layer["cpu_seconds"], "mb_per_s": mb / layer["seconds"],
            "cpu_mb_per_s": mb / layer["cpu_seconds"] if layer["cpu_seconds"] else None},
        "jiceng_audit_command": {**audit.summary(), "mb_per_s": mb / audit.median if audit.median else None,
                                 "cpu_mb_per_s": mb / audit.cpu_median if audit.cpu_median else None},
        "by_document_size": shapes,
    }


def verdict(mbps: float | None) -> str:
    return "—" if mbps is None else ("PASS" if mbps >= TARGET_MBPS else "MISS")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20, help="size of the generated text in MB (default 20)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each in-process timing (default 5)")
    parser.add_argument("--package-metrics", type=float, default=1e4,
                        help="metric rows of the package for the audit (default 1e4)")
    parser.add_argument("--package-repeat", type=int, default=3, help="runs of the package audits (default 3)")
    parser.add_argument("--pages", default="1,4,16,64", help="pages per document for part 3 (default 1,4,16,64)")
    arguments = parser.parse_args(argv)
    warn_if_busy()
    print(f"(d) generating {arguments.mb:g} MB of Chinese text ...", file=sys.stderr, flush=True)
    parsing = parser_figures(arguments.mb, arguments.repeat)
    floor = parsing["floor: one regex character-class scan"]
    rows = []
    for label in ("floor: one regex character-class scan", "find_number_tokens", "find_quantities"):
        entry = parsing[label]
        rows.append([label, entry["matches"], entry["wall_s"], entry["mb_per_s"], entry["cpu_mb_per_s"],
                     entry["wall_s"] / floor["wall_s"], "" if label.startswith("floor") else verdict(entry["mb_per_s"])])
    print()
    print_table(["parser", "matches", "median s", "MB/s", "MB/cpu-s", "÷ floor", "≥ 5 MB/s"], rows,
                title=f"(d1) parser on {parsing['text_mb']:.1f} MB of generated Chinese text "
                      f"(median of {arguments.repeat})")
    pq = parsing["parse_quantity"]
    print(f"parse_quantity: {pq['expressions']:,} expressions in {pq['wall_s']:.3f} s = "
          f"{pq['expressions_per_s']:,.0f} expressions/s")
    package = package_figures(int(arguments.package_metrics), arguments.package_repeat, parse_sizes(arguments.pages))
    layer, command = package["completeness_layer"], package["jiceng_audit_command"]
    print()
    print_table(["audit", "MB of source text", "median s", "MB/s", "MB/cpu-s", "≥ 5 MB/s"], [
        ["completeness layer (in-process)", package["source_mb"], layer and layer["wall_s"],
         layer and layer["mb_per_s"], layer and layer["cpu_mb_per_s"], verdict(layer and layer["mb_per_s"])],
        ["jiceng audit PATH (cold, end to end)", package["source_mb"], command["median_s"], command["mb_per_s"],
         command["cpu_mb_per_s"], verdict(command["mb_per_s"])],
    ], title=f"(d2) audit of a generated package: {package['metric_rows']:,} metric rows, "
             f"{package['documents']:,} documents of ~21 KB")
    print()
    print_table(["pages per document", "document MB", "metric rows", "completeness cpu s/MB",
                 "provenance cpu s/MB", "completeness MB/cpu-s"],
                [[s["pages_per_document"], s["document_mb"], s["metric_rows"],
                  s.get("check_completeness", {}).get("cpu_s_per_mb"),
                  s.get("check_provenance", {}).get("cpu_s_per_mb"),
                  s.get("check_completeness", {}).get("mb_per_cpu_s")] for s in package["by_document_size"]],
                title="(d3) audit and provenance against document size (flat s/MB = linear)")
    write_results("audit", {"parser": parsing, "package": package, "target_mb_per_s": TARGET_MBPS})
    return 0


if __name__ == "__main__":
    sys.exit(main())
