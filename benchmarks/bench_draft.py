"""How much of a curated essay ``jiceng draft`` recovers: a quality benchmark, not a speed one.

For each source of the bundled package: copy the package, remove that source's rows from
metrics, non-metric numbers, initiatives, annotations and consistency checks, draft the
source again, and count

- metrics: curated active metrics for which a draft metric has the same value, unit and
  qualifier on the same value_text span (the same offsets in the document);
- non-metric numbers: number tokens inside curated non-metric rows' number_text that a
  draft non-metric row covers (and of those, how many with the same reason);
- quoted initiatives: curated initiatives whose name is printed in “…” or 《…》 in the
  essay, proposed with that name.

The drafter is not tuned to these essays; the figures say how well its general rules
work on them. Run: ``.venv/bin/python benchmarks/bench_draft.py [--json]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jiceng.draft import TABLE_MODELS, draft  # noqa: E402
from jiceng.quantity import find_number_tokens  # noqa: E402
from jiceng.tablefile import read_rows, write_table  # noqa: E402

PACKAGE_PARTS = ("datapackage.json", "data", "schemas")


def rows(root: Path, table: str) -> list[dict[str, str]]:
    return read_rows(root / "data" / f"{table}.csv")[1]


def value_span(row: dict[str, str]) -> tuple[int, int]:
    start = int(row["quote_start"]) + row["quote"].find(row["value_text"])
    return start, start + len(row["value_text"])


def measure(source: dict[str, str], scratch: Path) -> dict[str, object]:
    package = scratch / source["source_id"]
    package.mkdir()
    for part in PACKAGE_PARTS:
        origin = REPO / part
        (shutil.copytree if origin.is_dir() else shutil.copy2)(origin, package / part)
    curated = {name: [row for row in rows(package, name) if row["source_id"] == source["source_id"]]
               for name in TABLE_MODELS}
    for name, model in TABLE_MODELS.items():
        kept = [row for row in rows(package, name) if row["source_id"] != source["source_id"]]
        write_table(package / model.table.path, model.columns(), kept)
    started = time.perf_counter()
    drafted, _ = draft(package, source["source_id"])
    seconds = time.perf_counter() - started

    proposed = {value_span(row): row for row in drafted.rows["metrics"]}
    metrics = [row for row in curated["metrics"] if row["status"] == "active"]
    recovered = 0
    for row in metrics:
        match = proposed.get(value_span(row))
        if match and float(match["value"]) == float(row["value"]) and match["unit"] == row["unit"] \
                and match["qualifier"] == row["qualifier"]:
            recovered += 1

    text = (package / source["path"]).read_text(encoding="utf-8")
    draft_spans = [(int(row["quote_start"]), int(row["quote_end"]), row["reason"])
                   for row in drafted.rows["non_metric_numbers"]]
    tokens = covered = same_reason = 0
    for row in curated["non_metric_numbers"]:
        if row["status"] != "active":
            continue
        start = int(row["quote_start"]) + row["quote"].find(row["number_text"])
        for token_start, token_end, _ in find_number_tokens(text[start:start + len(row["number_text"])]):
            tokens += 1
            spans = [reason for lo, hi, reason in draft_spans if lo <= start + token_start and start + token_end <= hi]
            covered += bool(spans)
            same_reason += row["reason"] in spans

    essay = text[int(source["span_start"]):int(source["span_end"])]
    quoted = {row["name_zh"] for row in curated["initiatives"]
              if row["status"] == "active" and (f"“{row['name_zh']}”" in essay or f"《{row['name_zh']}》" in essay)}
    named = {row["name_zh"] for row in drafted.rows["initiatives"]}
    return {
        "source_id": source["source_id"],
        "metrics": [recovered, len(metrics)],
        "non_metric_tokens": [covered, tokens],
        "non_metric_same_reason": [same_reason, tokens],
        "quoted_initiatives": [len(quoted & named), len(quoted)],
        "draft_rows": drafted.count(),
        "seconds": round(seconds, 3),
    }


def percent(pair: list[int]) -> str:
    found, total = pair
    return f"{found}/{total} ({100 * found / total:.0f} %)" if total else "0/0"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    sources = [row for row in rows(REPO, "sources") if row["status"] == "active"]
    with tempfile.TemporaryDirectory(prefix="jiceng-draft-") as scratch:
        results = [measure(source, Path(scratch)) for source in sources]
    if arguments.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print("| source | metrics (value, unit, qualifier on the same span) | non-metric numbers covered "
          "| … with the same reason | quoted initiatives proposed | draft rows (m / n / i / a / c) |")
    print("|---|---:|---:|---:|---:|---|")
    for result in results:
        counts = " / ".join(str(count) for count in result["draft_rows"].values())
        print(f"| {result['source_id']} | {percent(result['metrics'])} | {percent(result['non_metric_tokens'])} "
              f"| {percent(result['non_metric_same_reason'])} | {percent(result['quoted_initiatives'])} | {counts} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
