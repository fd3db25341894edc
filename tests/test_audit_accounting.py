"""The audit's accounting on hand-made documents and spans: which numbers a span covers,
what is reported as uncovered, in conflict or unused, and how a value_text is checked
against its row."""

from __future__ import annotations

from array import array
from types import SimpleNamespace

import pytest

from jiceng.models import Metric
from jiceng.validate.checks.number_accounting import Finding, audit_documents, check_value_text, covering, line_and_column, metric_spans


def flat(*spans: tuple[int, int, int]) -> array:
    return array("q", [value for span in spans for value in span])


def test_a_span_covers_a_token_only_wholly():
    spans = [(0, 5, 1), (3, 9, 2), (10, 12, 3)]
    starts = [0, 3, 10]
    assert covering(3, 5, starts, spans, longest=6) == [2, 1]
    assert covering(4, 7, starts, spans, longest=6) == [2]
    assert covering(8, 11, starts, spans, longest=6) == []
    assert covering(10, 12, starts, spans, longest=6) == [3]
    assert covering(12, 13, starts, spans, longest=6) == []


def test_metric_spans_are_its_value_and_period_words_inside_its_quote():
    row = quoted_metric(quote="近两年投入约2000万元", quote_start=100, value_text="约2000万元", period_text="近两年")
    assert metric_spans(row) == [(105, 112), (100, 103)]
    missing = quoted_metric(quote="投入约2000万元", quote_start=0, value_text="约2000万元", period_text="三年")
    assert metric_spans(missing) == [(2, 9)]
    second = quoted_metric(quote="去年3个街道、3个社区", quote_start=10, value_text="3个", period_text="去年",
                           value_occurrence=2)
    assert metric_spans(second) == [(17, 19), (10, 12)]


def quoted_metric(value_occurrence: int | None = None, **cells) -> SimpleNamespace:
    """The cells metric_spans reads, with the model's own value_offset."""
    row = SimpleNamespace(value_occurrence=value_occurrence, **cells)
    row.value_offset = lambda: Metric.value_offset(row)
    return row


def test_every_number_is_accounted_for_once():
    text = "共有12个社区，3年来，五个中心。"
    documents = {"doc.txt": text}
    metrics = {"doc.txt": flat((2, 5, 7))}           # 12个
    numbers = {"doc.txt": flat((8, 10, 4), (12, 14, 9))}  # 3年, 五个
    findings, tokens = audit_documents(documents, metrics, numbers)
    assert (findings, tokens) == ([], 3)


def test_uncovered_conflicting_and_unused_rows_are_found():
    text = "共有12个社区，3年来，五个中心。"
    documents = {"doc.txt": text}
    metrics = {"doc.txt": flat((2, 5, 7), (8, 10, 8))}
    numbers = {"doc.txt": flat((8, 10, 4), (16, 17, 5)), "gone.txt": flat((0, 1, 6))}
    findings, tokens = audit_documents(documents, metrics, numbers)
    assert tokens == 3
    assert findings == [
        Finding("conflict", "doc.txt", 8, "3", metric_row=8, number_row=4),
        Finding("uncovered", "doc.txt", 12, "五", "个社区，3年来，五个中心。"),
        Finding("unused", "doc.txt", 0, number_row=5),
        Finding("unused", "gone.txt", 0, number_row=6),
    ]


def test_finding_messages_name_the_number_and_the_rows():
    assert Finding("conflict", "d", 1, "3").message("m-1", "n-1") == (
        "the quote of non-metric row n-1 covers '3', a number of metric m-1; shorten the quote so that it "
        "leaves the metric's number out (or keep only one of the rows)")
    assert Finding("unused", "d", 0).message(None, "n-2") == (
        "non-metric row n-2 covers no number of its source; correct its quote or withdraw it")
    assert Finding("uncovered", "d", 1, "五", "五个中心").message() == (
        "number '五' (…五个中心…) is in no metric's value_text or period_text and not in non_metric_numbers.csv; "
        "add a metrics row, or a non-metric row with the reason")


def metric(value_text: str, value: float, value_max: float | None = None, qualifier: str = "exact"):
    return SimpleNamespace(value_text=value_text, value=value, value_max=value_max, qualifier=qualifier)


@pytest.mark.parametrize("row", [
    metric("47个", 47), metric("6.4万余人次", 64000, qualifier="at_least"), metric("约2000万元", 2e7, qualifier="approximate"),
    metric("3至5个", 3, 5, "range"), metric("47个", 47, qualifier="approximate"),
])
def test_value_text_that_agrees_with_its_row_passes(row):
    assert check_value_text(row) is None


def test_value_text_disagreements_say_what_the_words_give():
    assert check_value_text(metric("6.4万人", 6.4)) == (
        "value_text '6.4万人' reads as 64000, but value is 6.4 (normalise 万 = 10^4, 亿 = 10^8)")
    assert check_value_text(metric("3至5个", 3)) == "value_text '3至5个' gives value_max 5.0, but the row has None"
    assert check_value_text(metric("3至5个", 3, 6, "range")) == (
        "value_text '3至5个' gives value_max 5.0, but the row has 6")
    assert check_value_text(metric("47个", 47, 50, "range")) == "value_text '47个' gives value_max None, but the row has 50"
    assert check_value_text(metric("约47个", 47)) == (
        "value_text '约47个' marks the value as approximate, but qualifier is exact")
    assert check_value_text(metric("若干", 1)).startswith("value_text '若干' cannot be read as a quantity (")


def test_value_within_rounding_of_a_float_agrees():
    assert check_value_text(metric("0.3万", 3000.0000000001)) is None
    assert check_value_text(metric("0.3万", 3000.001)) is not None


def test_line_and_column_count_from_one():
    text = "ab\ncd\n\nef"
    assert [line_and_column(text, offset) for offset in (0, 1, 3, 4, 6, 7, 8)] == [
        (1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (4, 1), (4, 2)]
    assert line_and_column(text, 8, [0, 3, 6, 7]) == (4, 2)
