"""Layer 3, annotation links: metrics and initiatives link exactly the annotations near
them: those whose span overlaps the row's quote, and those that a consistency check
naming the row is tied to.

Skipped when the annotations were not read or quotes are misplaced (spans would lie)."""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ...csvfile import Record
from ..check import Check
from ..report import ProblemType
from ..streams import TableStream
from .provenance import MISPLACED

ANNOTATION_LINK = ProblemType("annotation-link", 3, "Annotation link missing or unrelated",
                              "A metric's or initiative's annotation_ids must name exactly the annotations whose span "
                              "overlaps its quote and those that a consistency check naming the row is tied to: a "
                              "missing link names the annotation to add, a link to an unrelated or withdrawn "
                              "annotation the one to remove.")

LINKING = ("metrics", "initiatives")


class AnnotationLinks(Check):
    problem_types = (ANNOTATION_LINK,)
    order = 70
    tables = ("consistency_checks",) + LINKING + ("annotations",)

    def start(self) -> None:
        self.tied: dict[str, set[str]] = defaultdict(set)  # metric ID → annotations its checks are tied to
        # by table and document: flat (quote start, quote end, row number) of each row
        self.spans: dict[str, dict[str, array]] = defaultdict(lambda: defaultdict(lambda: array("q")))
        self.links: dict[tuple[str, int], tuple[str, ...]] = {}
        self.row_tied: dict[tuple[str, int], set[str]] = {}
        self.annotation_spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self.withdrawn: set[str] = set()

    def row(self, table: TableStream, number: int, record: Record, row: Any) -> None:
        name = table.name
        if name == "consistency_checks":
            if row.annotation_id:
                for metric_id in row.metrics:
                    self.tied[metric_id].add(row.annotation_id)
            return
        source = self.run.sources.get(row.source_id)
        path = source.path if source else ""
        if name == "annotations":
            if row.status == "withdrawn":
                self.withdrawn.add(row.annotation_id)
            else:
                self.annotation_spans[path].append((row.quote_start, row.quote_end, row.annotation_id))
            return
        self.spans[name][path].extend((row.quote_start, row.quote_end, number))
        if row.annotation_ids:
            self.links[(name, number)] = tuple(row.annotation_ids.split())
        tied = self.tied.get(row.metric_id) if name == "metrics" else None
        if tied:
            self.row_tied[(name, number)] = tied

    def end(self) -> None:
        if "annotations" not in self.run.tables or self.run.invalid["annotations"]:
            return
        if self.report.count(*MISPLACED):
            return
        by_path = {path: sorted(items) for path, items in self.annotation_spans.items()}
        for name in LINKING:
            problems: dict[int, list[tuple[str, ProblemType, str]]] = defaultdict(list)
            for path, flat in self.spans.get(name, {}).items():
                annotations = by_path.get(path, [])
                starts = [start for start, _, _ in annotations]
                longest = max((end - start for start, end, _ in annotations), default=0)
                for start, end, number in zip(flat[0::3], flat[1::3], flat[2::3]):
                    overlapping = set(overlaps(start, end, annotations, starts, longest))
                    tied = self.row_tied.get((name, number), set())
                    message = link_problems(self.links.get((name, number), ()), overlapping, tied, self.withdrawn)
                    if message:
                        problems[number].append(("annotation_ids", ANNOTATION_LINK, message))
            self.run.add_at_rows(self.run.tables.get(name), problems)


def overlaps(start: int, end: int, annotations: list[tuple[int, int, str]], starts: list[int], longest: int) -> Iterator[str]:
    """IDs of the annotations (sorted by start) whose span overlaps [start, end)."""
    index = bisect.bisect_left(starts, end) - 1
    while index >= 0 and starts[index] >= start - longest:
        if annotations[index][1] > start:
            yield annotations[index][2]
        index -= 1


def link_problems(given: tuple[str, ...], overlapping: set[str], tied: set[str], withdrawn: set[str]) -> str | None:
    """One message for a row's annotation_ids cell, or None when its links are exactly right."""
    parts = []
    for missing in sorted((overlapping | tied) - set(given)):
        why = "its span overlaps the quote" if missing in overlapping else "a consistency check of this metric names it"
        parts.append(f"add {missing} to annotation_ids ({why})")
    for link in dict.fromkeys(given):
        if link in withdrawn:
            parts.append(f"remove {link} from annotation_ids: it is withdrawn")
        elif link not in overlapping and link not in tied:
            parts.append(f"remove {link} from annotation_ids: no annotation with that ID overlaps the quote "
                         "or is named by a consistency check of this row")
    if len(given) != len(set(given)):
        parts.append("annotation_ids names an annotation twice")
    return "; ".join(parts) or None
