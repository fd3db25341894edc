"""Recompute related figures that a source states together (validate layer 5)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple


class Figure(NamedTuple):
    """What a check needs of a metric (kept for the few metrics that checks name, not the row)."""

    metric_id: str
    value: float
    value_type: str
    value_text: str


class Check(NamedTuple):
    """What the validator keeps of a consistency_checks row until the metrics are read."""

    check_id: str
    kind: str
    metrics: tuple[str, ...]
    annotation_id: str | None
    outcome: str = "agrees"
    recomputed: float = math.nan


@dataclass(frozen=True)
class Outcome:
    """The result of one consistency check, with the figure recomputed (NaN when the
    metrics do not fit the check's kind)."""

    agrees: bool
    explanation: str
    figure: float = math.nan

    @property
    def code(self) -> str:
        """The consistency_outcomes code of this result."""
        return "agrees" if self.agrees else "disagrees"


RECOMPUTED_TOLERANCE = 0.005  # the recorded figure is the recomputed one to two decimals


def recorded_differently(check: Check, outcome: Outcome) -> list[tuple[str, str]]:
    """(column, message) for each recorded result of a check that its recomputation contradicts."""
    problems = []
    if check.outcome != outcome.code:
        problems.append(("outcome", f"outcome is {check.outcome!r}, but recomputed the figures {outcome.code[:-1]} "
                                    f"({outcome.explanation}); record {outcome.code!r}"))
    if math.isfinite(outcome.figure) and not math.isclose(check.recomputed, outcome.figure, abs_tol=RECOMPUTED_TOLERANCE):
        problems.append(("recomputed", f"recomputed is {check.recomputed:g}, but the figures give {outcome.figure:.2f} "
                                       f"({outcome.explanation}); record {round(outcome.figure, 2):g}"))
    return problems


def decimals(text: str) -> int:
    """Digits after the decimal point of the number in a value_text (108% → 0)."""
    digits = "".join(char for char in text if char.isdigit() or char in ".．")
    return len(digits.replace("．", ".").split(".", 1)[1]) if "." in digits.replace("．", ".") else 0


def growth_rate(increase: Any, level: Any, rate: Any) -> Outcome:
    base = level.value - increase.value
    if base <= 0:
        return Outcome(False, f"new level {level.value:g} is not above the increase {increase.value:g}")
    computed = increase.value / base * 100
    step = 10 ** -decimals(rate.value_text)
    truncated = math.floor(computed / step + 1e-9) * step
    rounded = round(computed / step) * step
    agrees = math.isclose(rate.value, truncated) or math.isclose(rate.value, rounded)
    return Outcome(agrees, f"{increase.value:g} / ({level.value:g} − {increase.value:g}) = {computed:.2f}%, "
                           f"stated {rate.value:g}%", computed)


def share_of_whole(share: Any, whole: Any) -> Outcome:
    part = share.value * whole.value / 100
    agrees = math.isclose(part, round(part), abs_tol=1e-9)
    return Outcome(agrees, f"{share.value:g}% of {whole.value:g} = {part:g}"
                           + ("" if agrees else ", not a whole number"), part)


def sum_of_parts(whole: Any, *parts: Any) -> Outcome:
    total = sum(part.value for part in parts)
    return Outcome(math.isclose(total, whole.value), f"parts add up to {total:g}, whole is {whole.value:g}", total)


KINDS = {
    "growth_rate": (growth_rate, (("increase",), ("level", "total", "cumulative"), ("rate",))),
    "share_of_whole": (share_of_whole, (("share",), ("level", "total", "cumulative"))),
    "sum_of_parts": (sum_of_parts, None),
}


def evaluate(kind: str, metrics: list[Any]) -> Outcome:
    """Recompute one check; a check whose metrics do not fit its kind disagrees, saying why."""
    function, expected_types = KINDS[kind]
    if expected_types is not None:
        if len(metrics) != len(expected_types):
            return Outcome(False, f"{kind} takes {len(expected_types)} metrics, got {len(metrics)}")
        for metric, allowed in zip(metrics, expected_types):
            if metric.value_type not in allowed:
                return Outcome(False, f"{metric.metric_id} is a {metric.value_type}; {kind} expects {'/'.join(allowed)} here")
    elif len(metrics) < 3:
        return Outcome(False, f"{kind} takes a whole and at least two parts")
    return function(*metrics)
