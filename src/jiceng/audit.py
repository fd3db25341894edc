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


def covering(token: Token, starts: list[int], spans: list[tuple[int, int, str]], longest: int) -> list[str]:
    """IDs of the spans (sorted by start) that contain the whole token: a bisect, then a
    short walk back over the spans that start within ``longest`` before the token."""
    found = []
    index = bisect.bisect_right(starts, token.start) - 1
    while index >= 0 and starts[index] >= token.start - longest:
        start, end, row_id = spans[index]
        if token.end <= end:
            found.append(row_id)
        index -= 1
    return found


def metric_spans(row: Any) -> list[tuple[int, int, str]]:
    """The document spans of a metric's value_text and period_text inside its quote."""
    spans = []
    for words in (row.value_text, row.period_text):
        if words:
            index = row.quote.find(words)
            if index >= 0:
                spans.append((row.quote_start + index, row.quote_start + index + len(words), row.metric_id))
    return spans


def audit_documents(
    documents: Any,
    metric_spans_by_path: dict[str, list[tuple[int, int, str]]],
    number_spans_by_path: dict[str, list[tuple[int, int, str]]],
) -> tuple[list[tuple[str, str, int, str]], int]:
    """Return (kind, path or row ID, offset, message) findings and the number of tokens
    read; no findings means every number of every document is covered. ``documents``
    yields (path, text) from ``items()``, one at a time; spans are (start, end, row ID)
    in document offsets."""
    findings: list[tuple[str, str, int, str]] = []
    used: set[str] = set()
    tokens = 0
    for path, text in documents.items():
        metric = sorted(metric_spans_by_path.get(path, []))
        number = sorted(number_spans_by_path.get(path, []))
        metric_starts, number_starts = [span[0] for span in metric], [span[0] for span in number]
        metric_longest = max((end - start for start, end, _ in metric), default=0)
        number_longest = max((end - start for start, end, _ in number), default=0)
        for start, end, token_text in find_number_tokens(text):
            tokens += 1
            token = Token(start, end, token_text)
            metric_ids = covering(token, metric_starts, metric, metric_longest)
            number_ids = covering(token, number_starts, number, number_longest)
            used.update(number_ids)
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
    for spans in number_spans_by_path.values():
        for _, _, number_id in spans:
            if number_id not in used:
                findings.append(("unused", number_id, 0,
                                 f"non-metric row {number_id} covers no number of its source; correct "
                                 "its quote or withdraw it"))
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
