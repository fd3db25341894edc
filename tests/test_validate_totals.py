"""Each bad cell is reported once, under one check, and the number of problems a run finds
does not depend on how many it is asked to show (``--max-errors``)."""

from __future__ import annotations

import csv
import io

from jiceng.validate import validate_package

BAD_ROWS = 50_000


def with_bad_metrics(package_copy, count: int) -> list[str]:
    """Replace metrics.csv by ``count`` copies of its first row, each with its own ID and
    ``quote_end`` = ``abc``; return the IDs."""
    path = package_copy.root / "data" / "metrics.csv"
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    header = next(reader)
    first = next(reader)
    key, end = header.index("metric_id"), header.index("quote_end")
    stem = first[key].rsplit("-m", 1)[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    ids = []
    for number in range(1, count + 1):
        row = list(first)
        row[key] = f"{stem}-m{number:05d}"
        row[end] = "abc"
        ids.append(row[key])
        writer.writerow(row)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return ids


def test_the_total_is_the_same_whatever_the_display_cap_and_each_bad_cell_counts_once(package_copy):
    with_bad_metrics(package_copy, BAD_ROWS)
    capped = validate_package(package_copy.root, max_per_check=10).as_dict()
    uncapped = validate_package(package_copy.root, max_per_check=1_000_000)
    assert capped["problem_count"] == uncapped.as_dict()["problem_count"]
    assert capped["checks"] == uncapped.as_dict()["checks"]
    assert len(capped["problems"]) < len(uncapped.problems) == uncapped.as_dict()["problem_count"]
    at_bad_cells = [problem for problem in uncapped.problems
                    if problem.path == "data/metrics.csv" and "quote_end" in problem.message]
    rows = [problem.line for problem in at_bad_cells]
    assert len(rows) == len(set(rows)) == BAD_ROWS
