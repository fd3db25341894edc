"""``jiceng audit``: account for every number printed in every source.

A number-like token of a source text (Arabic digits, or a run of Chinese numerals) must
be either part of a metric — inside the occurrence of its ``value_text`` or
``period_text`` within its quote — or inside the quote of a ``non_metric_numbers`` row
that says why it is not a claim. Anything else is a gap in the curation.

The audit also reads each metric's ``value_text`` with the quantity parser and checks
that the normalised value, range and qualifier agree with the row.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from .quantity import QuantityError, find_number_tokens, parse_quantity

FLOAT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def covering(token: Token, starts: list[int], spans: list[tuple[int, int, int]], longest: int) -> list[int]:
    """Rows of the spans (sorted by start) that contain the whole token: a bisect, then a
    short walk back over the spans that start within ``longest`` before the token."""
    found = []
    index = bisect.bisect_right(starts, token.start) - 1
    while index >= 0 and starts[index] >= token.start - longest:
        start, end, row = spans[index]
        if token.end <= end:
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
            token = Token(start, end, token_text)
            metric_rows = covering(token, metric_starts, metric, metric_longest)
            number_rows = covering(token, number_starts, number, number_longest)
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
        return (f"value_text {row.value_text!r} reads as {parsed.value:g}, but value is {row.value:g} "
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
