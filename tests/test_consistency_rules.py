"""The consistency rules (validate layer 5), computed by hand: a growth rate stated to the
precision printed, a share that must give whole people, parts that must add up exactly."""

from __future__ import annotations

import pytest

from jiceng.validate.checks.consistency import Figure, decimals, evaluate


def figure(value: float, value_type: str, value_text: str = "", metric_id: str = "m") -> Figure:
    return Figure(metric_id, value, value_type, value_text or f"{value:g}")


@pytest.mark.parametrize(
    ("text", "digits"),
    [("108%", 0), ("12.5%", 1), ("3.25万人", 2), ("１２．５％", 1), ("约40", 0)],
)
def test_decimals_counts_the_digits_printed_after_the_point(text, digits):
    assert decimals(text) == digits


@pytest.mark.parametrize(
    ("increase", "level", "rate", "rate_text", "agrees"),
    [
        (20, 120, 20, "20%", True),          # 20 / 100
        (1, 4, 33, "33%", True),             # 33.33…: truncated
        (1, 4, 33.3, "33.3%", True),         # to the printed decimal
        (2, 5, 66, "66%", True),             # 66.67: truncated
        (2, 5, 67, "67%", True),             # 66.67: rounded
        (2, 5, 66.6, "66.6%", True),         # 66.667 to one decimal, truncated
        (2, 5, 66.7, "66.7%", True),         # 66.667 to one decimal, rounded
        (2, 5, 66.8, "66.8%", False),
        (1, 4, 34, "34%", False),            # neither truncated nor rounded
        (2, 5, 65, "65%", False),
        (1, 4, 33.4, "33.4%", False),        # 33.33 to one decimal is 33.3
        (20, 120, 21, "21%", False),
    ],
)
def test_growth_rate_agrees_only_when_truncated_or_rounded_to_the_printed_precision(
        increase, level, rate, rate_text, agrees):
    outcome = evaluate("growth_rate", [figure(increase, "increase"), figure(level, "level"),
                                       figure(rate, "rate", rate_text)])
    assert outcome.agrees is agrees, outcome.explanation


def test_growth_rate_explains_the_computation():
    outcome = evaluate("growth_rate", [figure(20, "increase"), figure(120, "total"), figure(21, "rate", "21%")])
    assert outcome.explanation == "20 / (120 − 20) = 20.00%, stated 21%"


@pytest.mark.parametrize("level", [10, 5])
def test_growth_rate_with_a_level_not_above_the_increase_disagrees(level):
    outcome = evaluate("growth_rate", [figure(10, "increase"), figure(level, "level"), figure(5, "rate", "5%")])
    assert not outcome.agrees
    assert outcome.explanation == f"new level {level} is not above the increase 10"


@pytest.mark.parametrize(
    ("share", "whole", "agrees"),
    [(25, 8, True), (50, 3, False), (30, 7, False), (12.5, 80, True)],
)
def test_share_of_whole_must_give_a_whole_number(share, whole, agrees):
    outcome = evaluate("share_of_whole", [figure(share, "share"), figure(whole, "level")])
    assert outcome.agrees is agrees
    assert outcome.explanation.startswith(f"{share:g}% of {whole:g} = ")
    assert outcome.explanation.endswith(", not a whole number") is not agrees


def test_share_giving_a_whole_number_but_for_float_noise_agrees():
    assert evaluate("share_of_whole", [figure(1e-9, "share"), figure(0.1, "level")]).agrees
    assert evaluate("share_of_whole", [figure(7, "share"), figure(100, "level")]).agrees
    assert not evaluate("share_of_whole", [figure(1e-5, "share"), figure(1, "level")]).agrees


@pytest.mark.parametrize(
    ("whole", "parts", "agrees"),
    [
        (100, (60, 40), True),
        (100, (50, 30, 20), True),
        (100, (50, 49.5), False),        # half a percent short
        (1000, (600, 401), False),       # a tenth of a percent over
        (10**6, (500_000, 499_999), False),
    ],
)
def test_sum_of_parts_must_add_up_exactly(whole, parts, agrees):
    outcome = evaluate("sum_of_parts", [figure(whole, "total"), *(figure(part, "level") for part in parts)])
    assert outcome.agrees is agrees
    assert outcome.explanation == f"parts add up to {sum(parts):,}, whole is {whole:,}"  # written out, 1,000,000


def test_sum_of_parts_needs_a_whole_and_two_parts():
    outcome = evaluate("sum_of_parts", [figure(100, "total"), figure(100, "level")])
    assert outcome.agrees is False and outcome.code == "disagrees"
    assert outcome.explanation == "sum_of_parts takes a whole and at least two parts"


@pytest.mark.parametrize(
    ("kind", "count"),
    [("growth_rate", 2), ("growth_rate", 4), ("share_of_whole", 3), ("share_of_whole", 1)],
)
def test_check_with_the_wrong_number_of_metrics_disagrees(kind, count):
    metrics = [figure(1, "level")] * count
    outcome = evaluate(kind, metrics)
    expected = 3 if kind == "growth_rate" else 2
    assert not outcome.agrees
    assert outcome.explanation == f"{kind} takes {expected} metrics, got {count}"


@pytest.mark.parametrize(
    ("metrics", "wrong", "expects"),
    [
        ([figure(20, "level", metric_id="a"), figure(120, "level", metric_id="b"), figure(20, "rate", "20%")],
         "a is a level", "increase"),
        ([figure(20, "increase"), figure(120, "rate", metric_id="b"), figure(20, "rate", "20%")],
         "b is a rate", "level/total/cumulative"),
        ([figure(20, "increase"), figure(120, "cumulative"), figure(20, "share", "20%", metric_id="c")],
         "c is a share", "rate"),
    ],
)
def test_growth_rate_names_the_metric_of_the_wrong_type(metrics, wrong, expects):
    outcome = evaluate("growth_rate", metrics)
    assert not outcome.agrees
    assert outcome.explanation == f"{wrong}; growth_rate expects {expects} here"


def test_share_of_whole_accepts_a_total_or_a_cumulative_whole():
    for whole_type in ("level", "total", "cumulative"):
        assert evaluate("share_of_whole", [figure(25, "share"), figure(8, whole_type)]).agrees
