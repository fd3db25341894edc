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
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .quantity import QuantityError, find_number_tokens, parse_quantity

FLOAT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass
class Coverage:
    """Spans of one document that metrics and non-metric rows account for."""

    metric: list[tuple[int, int, str]]
    non_metric: list[tuple[int, int, str]]

    @staticmethod
    def covering(token: Token, spans: list[tuple[int, int, str]]) -> list[str]:
        """IDs of the rows whose span contains the whole token."""
        return [row_id for start, end, row_id in spans if start <= token.start and token.end <= end]


def metric_spans(row: Any) -> list[tuple[int, int, str]]:
    """The document spans of a metric's value_text and period_text inside its quote."""
    spans = []
    for words in (row.value_text, row.period_text):
        if words:
            index = row.quote.find(words)
            if index >= 0:
                spans.append((row.quote_start + index, row.quote_start + index + len(words), row.metric_id))
    return spans


def audit_documents(documents: dict[str, str], sources: list[Any], metrics: list[Any], non_metrics: list[Any]) -> list[tuple[str, str, int, str]]:
    """Return (kind, path, offset_or_row, message) findings; empty means every number is covered.

    ``documents`` maps a source file path to its text; the rows are validated models.
    """
    findings: list[tuple[str, str, int, str]] = []
    path_of = {source.source_id: source.path for source in sources}
    coverage: dict[str, Coverage] = defaultdict(lambda: Coverage([], []))
    for row in metrics:
        coverage[path_of.get(row.source_id, "")].metric.extend(metric_spans(row))
    for row in non_metrics:
        coverage[path_of.get(row.source_id, "")].non_metric.append((row.quote_start, row.quote_end, row.number_id))
    used_non_metric: set[str] = set()
    for path, text in documents.items():
        spans = coverage[path]
        for start, end, token_text in find_number_tokens(text):
            token = Token(start, end, token_text)
            metric_ids = spans.covering(token, spans.metric)
            number_ids = spans.covering(token, spans.non_metric)
            used_non_metric.update(number_ids)
            if metric_ids and number_ids:
                findings.append(("conflict", path, start,
                                 f"number {token_text!r} is both in metric {metric_ids[0]} and listed as "
                                 f"non-metric in {number_ids[0]}; keep one"))
            elif not metric_ids and not number_ids:
                context = text[max(0, start - 8) : end + 8].replace("\n", " ")
                findings.append(("uncovered", path, start,
                                 f"number {token_text!r} (…{context}…) is in no metric's value_text or "
                                 "period_text and not in non_metric_numbers.csv; add a metrics row, or a "
                                 "non-metric row with the reason"))
    for row in non_metrics:
        if row.number_id not in used_non_metric:
            findings.append(("unused", row.number_id, 0,
                             f"non-metric row {row.number_id} covers no number of its source; correct "
                             "its quote or withdraw it"))
    return findings


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
