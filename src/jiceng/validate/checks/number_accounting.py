"""Layer 4, number accounting (what ``jiceng audit`` reports): every number printed in
every source is accounted for.

A number-like token of a source text (Arabic digits, or a run of Chinese numerals) must
be either part of a metric — inside the occurrence of its ``value_text`` or
``period_text`` within its quote — or inside the quote of a ``non_metric_numbers`` row
that says why it is not a claim. Anything else is a gap in the curation.

The audit also reads each metric's ``value_text`` with the quantity parser and checks
that the normalised value, range and qualifier agree with the row.
"""

from __future__ import annotations

import bisect
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from ...csvfile import Record
from ...quantity import QuantityError, find_number_tokens, parse_quantity
from ...registry import number
from ..check import Check
from ..report import ProblemType
from ..streams import TableStream, primary_key
from .keys import FOREIGN_KEY
from .provenance import LazyDocuments, SourceSpan

AUDIT = ProblemType("audit", 4, "Number not accounted for",
                    "A number printed in a source is in no metric's value_text or period_text and in no "
                    "non-metric row; or it is in both; or a non-metric row covers no number.")
VALUE_TEXT = ProblemType("value-text", 4, "Value disagrees with its words",
                         "Read with the quantity parser, a metric's value_text gives another value, range or "
                         "qualifier than the row states.")

FLOAT_TOLERANCE = 1e-9


def covering(token_start: int, token_end: int, starts: list[int], spans: list[tuple[int, int, int]],
             longest: int) -> list[int]:
    """Rows of the spans (sorted by start) that contain the whole token [token_start, token_end):
    a bisect, then a short walk back over the spans that start within ``longest`` before it."""
    found = []
    index = bisect.bisect_right(starts, token_start) - 1
    while index >= 0 and starts[index] >= token_start - longest:
        start, end, row = spans[index]
        if token_end <= end:
            found.append(row)
        index -= 1
    return found


def metric_spans(row: Any) -> list[tuple[int, int]]:
    """The document spans of a metric's value_text (its value_occurrence-th occurrence)
    and period_text inside its quote."""
    spans = []
    value_at = row.value_offset()
    if value_at is not None:
        spans.append((row.quote_start + value_at, row.quote_start + value_at + len(row.value_text)))
    period_at = row.quote.find(row.period_text) if row.period_text else -1
    if period_at >= 0:
        spans.append((row.quote_start + period_at, row.quote_start + period_at + len(row.period_text)))
    return spans


@dataclass(frozen=True)
class Finding:
    """A gap or clash in the accounting of a document's numbers; rows are named by their
    row number in metrics.csv or non_metric_numbers.csv (the caller looks up their IDs)."""

    kind: str  # "uncovered", "conflict" or "unused"
    path: str
    offset: int
    token: str = ""
    context: str = ""
    metric_row: int | None = None
    number_row: int | None = None

    def message(self, metric_id: str | None = None, number_id: str | None = None) -> str:
        if self.kind == "conflict":
            return (f"the quote of non-metric row {number_id} covers {self.token!r}, a number of metric {metric_id}; "
                    "shorten the quote so that it leaves the metric's number out (or keep only one of the rows)")
        if self.kind == "unused":
            return f"non-metric row {number_id} covers no number of its source; correct its quote or withdraw it"
        return (f"number {self.token!r} (…{self.context}…) is in no metric's value_text or period_text and "
                "not in non_metric_numbers.csv; add a metrics row, or a non-metric row with the reason")


def triples(flat: Any) -> list[tuple[int, int, int]]:
    """(start, end, row) spans sorted by start, from a flat array of start, end, row, ..."""
    return sorted(zip(flat[0::3], flat[1::3], flat[2::3]))


def audit_documents(documents: Any, metric_spans_by_path: dict[str, Any],
                    number_spans_by_path: dict[str, Any]) -> tuple[list[Finding], int]:
    """Return the findings and the number of tokens read; no findings means every number
    of every document is covered. ``documents`` yields (path, text) from ``items()``, one
    at a time; spans are flat arrays of (start, end, row number) in document offsets,
    kept compact because a national corpus has millions of them."""
    findings: list[Finding] = []
    tokens = 0
    for path, text in documents.items():
        metric = triples(metric_spans_by_path.get(path, ()))
        number = triples(number_spans_by_path.get(path, ()))
        metric_starts, number_starts = [span[0] for span in metric], [span[0] for span in number]
        metric_longest = max((end - start for start, end, _ in metric), default=0)
        number_longest = max((end - start for start, end, _ in number), default=0)
        used: set[int] = set()
        for start, end, token_text in find_number_tokens(text):
            tokens += 1
            metric_rows = covering(start, end, metric_starts, metric, metric_longest)
            number_rows = covering(start, end, number_starts, number, number_longest)
            used.update(number_rows)
            if metric_rows and number_rows:
                findings.append(Finding("conflict", path, start, token_text,
                                        metric_row=metric_rows[0], number_row=number_rows[0]))
            elif not metric_rows and not number_rows:
                context = text[max(0, start - 8) : end + 8].replace("\n", " ")
                findings.append(Finding("uncovered", path, start, token_text, context))
        for row in dict.fromkeys(row for _, _, row in number if row not in used):
            findings.append(Finding("unused", path, 0, number_row=row))
    for path, flat in number_spans_by_path.items():
        if path not in documents:  # rows whose source text could not be read
            findings.extend(Finding("unused", path, 0, number_row=row) for row in dict.fromkeys(flat[2::3]))
    return findings, tokens


def check_value_text(row: Any) -> str | None:
    """Disagreement between a metric's value_text and its value, range or qualifier."""
    try:
        parsed = parse_quantity(row.value_text)
    except QuantityError as error:
        return f"value_text {row.value_text!r} cannot be read as a quantity ({error})"
    if abs(float(parsed.value) - row.value) > FLOAT_TOLERANCE * max(1.0, abs(row.value)):
        return (f"value_text {row.value_text!r} reads as {number(parsed.value, grouped=False)}, but value is "
                f"{number(row.value, grouped=False)} "
                "(normalise 万 = 10^4, 亿 = 10^8)")
    parsed_max = None if parsed.value_max is None else float(parsed.value_max)
    if (parsed_max is None) != (row.value_max is None) or (
        parsed_max is not None and abs(parsed_max - row.value_max) > FLOAT_TOLERANCE * max(1.0, parsed_max)
    ):
        return f"value_text {row.value_text!r} gives value_max {parsed_max}, but the row has {row.value_max}"
    if parsed.qualifier != "exact" and parsed.qualifier != row.qualifier:
        return f"value_text {row.value_text!r} marks the value as {parsed.qualifier}, but qualifier is {row.qualifier}"
    return None


def line_and_column(text: str, offset: int, line_starts: list[int] | None = None) -> tuple[int, int]:
    """1-based line and column of a code-point offset."""
    if line_starts is None:
        line_starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
    line = bisect.bisect_right(line_starts, offset)
    return line, offset - line_starts[line - 1] + 1


def spans() -> array:
    return array("q")


class NumberAccounting(Check):
    """Metrics' numbers and non-metric rows' quotes are remembered as flat arrays of
    (start, end, row number) by document; at the end, every number token of every
    document whose rows are all in place is looked up among them."""

    problem_types = (AUDIT, VALUE_TEXT)
    order = 50
    tables = ("sources", "metrics", "non_metric_numbers")

    def start(self) -> None:
        self.metric_spans: dict[str, array] = defaultdict(spans)
        self.number_spans: dict[str, array] = defaultdict(spans)
        self.reasons: Counter = Counter()
        self.number_ids: set[str] = set()
        self.related: set[str] = set()  # related_ids not yet found among the numbers and metrics

    def row(self, table: TableStream, number: int, record: Record, row: Any) -> None:
        if table.name == "sources":
            return
        source = self.run.sources.get(row.source_id)
        path = source.path if source else ""
        if table.name == "metrics":
            self.related.discard(row.metric_id)
            for start, end in metric_spans(row):
                self.metric_spans[path].extend((start, end, number))
            message = check_value_text(row)
            if message:
                self.run.add(table, record, "value_text", VALUE_TEXT, message)
        else:
            self.number_ids.add(row.number_id)
            self.reasons[row.reason] += 1
            self.number_spans[path].extend((row.quote_start, row.quote_end, number))
            if row.related_id == row.number_id:
                self.run.add(table, record, "related_id", FOREIGN_KEY,
                             "related_id points at the row itself; give the row that covers the original printing")
            elif row.related_id is not None:
                self.related.add(row.related_id)

    def table_end(self, table: TableStream) -> None:
        if table.name == "non_metric_numbers":
            self.related -= self.number_ids
            self.number_ids = set()

    def end(self) -> None:
        self.check_related_ids(self.run.tables.get("non_metric_numbers"))
        self.check_completeness()

    def check_related_ids(self, table: TableStream | None) -> None:
        """A repeat of a duplicated passage points at the row covering the original printing.

        The related IDs wait in a set; the numbers table and then the metrics strike off
        those they hold, and the rows naming what is left are found by reading the table again."""
        if table is None or not self.related:
            return
        for _, record, values in table.rows(self.report.max_rows):
            if values.get("related_id") in self.related:
                self.run.add(table, record, "related_id", FOREIGN_KEY,
                             f"related_id {values['related_id']!r} is neither a metric_id nor a number_id of this package")

    def check_completeness(self) -> None:
        """Every number of every source is a metric or a listed non-metric number.

        Checked for every document whose sources' rows all parsed and sit at their offsets;
        the others are skipped, and ``report.skipped`` says which and why, because the audit
        would report gaps there that are not there."""
        run, report, tables = self.run, self.report, self.run.tables
        missing = [name for name in self.tables if name not in tables]
        if missing:
            report.skipped.append(f"every source: data/{missing[0]}.csv could not be read")
            return
        audited = audited_sources(run.sources, run.unaudited, report.skipped)
        paths = {span.path for span in audited.values()}
        documents = LazyDocuments(audited)
        metric_spans_here = {path: flat for path, flat in self.metric_spans.items() if path in paths}
        number_spans_here = {path: flat for path, flat in self.number_spans.items() if path in paths}
        findings, tokens = audit_documents(documents, metric_spans_here, number_spans_here)
        metric_ids = row_ids(tables["metrics"], {f.metric_row for f in findings if f.metric_row}, report.max_rows)
        number_ids = row_ids(tables["non_metric_numbers"], {f.number_row for f in findings if f.number_row},
                             report.max_rows)
        at_rows: dict[int, list[tuple[str, ProblemType, str]]] = defaultdict(list)
        for finding in findings:
            message = finding.message(metric_ids.get(finding.metric_row), number_ids.get(finding.number_row))
            if finding.kind in ("unused", "conflict"):
                at_rows[finding.number_row].append(("quote", AUDIT, message))
            else:
                line, col = line_and_column(documents[finding.path], finding.offset)
                report.add(finding.path, line, col, AUDIT, message)
        run.add_at_rows(tables["non_metric_numbers"], at_rows)
        report.audit_summary = {
            "number_tokens": tokens,
            "metrics": run.valid["metrics"],
            "metric_spans": sum(len(spans) // 3 for spans in metric_spans_here.values()),
            "non_metric_rows": run.valid["non_metric_numbers"],
            "non_metric_reasons": dict(sorted(self.reasons.items())),
            "uncovered": sum(1 for finding in findings if finding.kind == "uncovered"),
            "documents_audited": len(paths),
            "skipped": report.skipped,
        }


def audited_sources(sources: dict[str, SourceSpan], unaudited: dict[str, str], skipped: list[str]) -> dict[str, SourceSpan]:
    """The sources of the documents whose every source is in place; say in ``skipped``
    which documents are not, and why."""
    by_document: dict[str, list[SourceSpan]] = defaultdict(list)
    for span in sources.values():
        by_document[span.path].append(span)
    # A source whose own row is invalid has no known path, but its ID names its document
    # (``<document id>-<n>``): its siblings' document is skipped too, or the audit would
    # report every number of its essay as unaccounted for.
    unplaced: dict[str, list[str]] = defaultdict(list)
    for source_id, reason in unaudited.items():
        if source_id not in sources:
            skipped.append(f"{source_id}: {reason}")
            unplaced[document_of(source_id)].append(source_id)
    audited: dict[str, SourceSpan] = {}
    for path, members in by_document.items():
        reasons = [f"{span.source_id}: {unaudited[span.source_id]}" for span in members
                   if span.source_id in unaudited]
        documents_here = {document_of(span.source_id) for span in members}
        reasons += [f"{source_id} of the same document: its row is invalid"
                    for document in sorted(documents_here) for source_id in unplaced.get(document, ())]
        if not all(span.readable for span in members):
            reasons.append("the text cannot be read")
        if reasons:
            skipped.append(f"{path} (sources {', '.join(span.source_id for span in members)}): " + "; ".join(reasons))
        else:
            audited.update({span.source_id: span for span in members})
    return audited


def document_of(source_id: str) -> str:
    """The document a source ID names: the ID without its ``-<n>`` essay number."""
    return source_id.rsplit("-", 1)[0]


def row_ids(table: TableStream, numbers: set[int], max_rows: int) -> dict[int, str]:
    """The IDs of the rows with these row numbers (the table is read again, if need be)."""
    found: dict[int, str] = {}
    if numbers:
        key_column = primary_key(table.name)
        for number, _, values in table.rows(max_rows):
            if number in numbers:
                found[number] = values.get(key_column) or ""
    return found
