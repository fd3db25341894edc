"""Layer 5, consistency: recompute related figures that a source states together; a
disagreement must be tied to an annotation of kind inconsistent_value."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, NamedTuple

from ...csvfile import Record
from ...registry import number
from ..check import Check
from ..report import ProblemType
from ..streams import TableStream

CONSISTENCY = ProblemType("consistency", 5, "Related figures disagree",
                          "Recomputed from related metrics (a growth rate, a share of a whole, a sum of parts), "
                          "the figures disagree and no inconsistent_value annotation records it; the recorded "
                          "outcome or recomputed figure differs from the recomputation; or a check names "
                          "metrics that do not fit its kind.")


class Figure(NamedTuple):
    """What a check needs of a metric (kept for the few metrics that checks name, not the row)."""

    metric_id: str
    value: float
    value_type: str
    value_text: str


class RecordedCheck(NamedTuple):
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


def recorded_differently(check: RecordedCheck, outcome: Outcome) -> list[tuple[str, str]]:
    """(column, message) for each recorded result of a check that its recomputation contradicts."""
    problems = []
    if check.outcome != outcome.code:
        problems.append(("outcome", f"outcome is {check.outcome!r}, but recomputed the figures {outcome.code[:-1]} "
                                    f"({outcome.explanation}); record {outcome.code!r}"))
    if math.isfinite(outcome.figure) and not math.isclose(check.recomputed, outcome.figure, abs_tol=RECOMPUTED_TOLERANCE):
        problems.append(("recomputed", f"recomputed is {number(check.recomputed, grouped=False)}, but the figures give "
                                       f"{outcome.figure:.2f} ({outcome.explanation}); record "
                                       f"{number(round(outcome.figure, 2), grouped=False)}"))
    return problems


def decimals(text: str) -> int:
    """Digits after the decimal point of the number in a value_text (108% → 0)."""
    digits = "".join(char for char in text if char.isdigit() or char in ".．")
    return len(digits.replace("．", ".").split(".", 1)[1]) if "." in digits.replace("．", ".") else 0


def growth_rate(increase: Any, level: Any, rate: Any) -> Outcome:
    base = level.value - increase.value
    if base <= 0:
        return Outcome(False, f"new level {number(level.value)} is not above the increase {number(increase.value)}")
    computed = increase.value / base * 100
    step = 10 ** -decimals(rate.value_text)
    truncated = math.floor(computed / step + 1e-9) * step
    rounded = round(computed / step) * step
    agrees = math.isclose(rate.value, truncated) or math.isclose(rate.value, rounded)
    explanation = (f"{number(increase.value)} / ({number(level.value)} − {number(increase.value)}) = "
                   f"{computed:.2f}%, stated {number(rate.value)}%")
    return Outcome(agrees, explanation, computed)


def share_of_whole(share: Any, whole: Any) -> Outcome:
    part = share.value * whole.value / 100
    agrees = math.isclose(part, round(part), abs_tol=1e-9)
    return Outcome(agrees, f"{number(share.value)}% of {number(whole.value)} = {number(part)}"
                           + ("" if agrees else ", not a whole number"), part)


def sum_of_parts(whole: Any, *parts: Any) -> Outcome:
    total = sum(part.value for part in parts)
    return Outcome(math.isclose(total, whole.value), f"parts add up to {number(total)}, whole is {number(whole.value)}",
                   total)


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


class Consistency(Check):
    problem_types = (CONSISTENCY,)
    order = 60
    tables = ("consistency_checks", "metrics", "annotations")

    def start(self) -> None:
        self.checks: list[tuple[int, RecordedCheck]] = []  # by row number
        self.wanted_metrics: set[str] = set()
        self.metrics_by_id: dict[str, Figure] = {}  # only the metrics a check names
        self.annotation_kinds: dict[str, str | None] = {}  # of the annotations a check is tied to
        self.invalid_metrics: set[str] = set()  # rows their model rejected: reported there already

    def rejected(self, table: TableStream, number: int, record: Record) -> None:
        if table.name == "metrics":
            self.invalid_metrics.add(table.cell(record, "metric_id"))

    def row(self, table: TableStream, number: int, record: Record, row: Any) -> None:
        if table.name == "consistency_checks":
            self.checks.append((number, RecordedCheck(row.check_id, row.kind, tuple(row.metrics), row.annotation_id,
                                                      row.outcome, row.recomputed)))
            self.wanted_metrics.update(row.metrics)
            if row.annotation_id:
                self.annotation_kinds[row.annotation_id] = None
        elif table.name == "metrics":
            if row.metric_id in self.wanted_metrics:
                self.metrics_by_id[row.metric_id] = Figure(row.metric_id, row.value, row.value_type, row.value_text)
        elif row.annotation_id in self.annotation_kinds:
            self.annotation_kinds[row.annotation_id] = row.kind

    def end(self) -> None:
        """Recompute each check; a disagreement must be tied to an annotation."""
        table = self.run.tables.get("consistency_checks")
        if table is None:
            return
        problems: dict[int, list[tuple[str, ProblemType, str]]] = defaultdict(list)
        metrics = self.run.tables.get("metrics")
        every_metric_read = metrics is not None and metrics.sound  # else its own problems are reported
        for number, check in self.checks:
            missing = [metric_id for metric_id in check.metrics if metric_id not in self.metrics_by_id]
            unknown = [metric_id for metric_id in missing if metric_id not in self.invalid_metrics]
            if unknown and every_metric_read:
                problems[number].append(("metric_ids", CONSISTENCY, f"unknown metric(s): {', '.join(unknown)}; "
                                         "give the metric_id of rows in metrics.csv"))
            if missing:  # recomputed once the metrics are there and valid
                continue
            outcome = evaluate(check.kind, [self.metrics_by_id[metric_id] for metric_id in check.metrics])
            self.report.consistency.append((check.check_id, outcome.agrees, outcome.explanation, check.annotation_id))
            for column, message in recorded_differently(check, outcome):
                problems[number].append((column, CONSISTENCY, message))
            kind = self.annotation_kinds.get(check.annotation_id or "")
            if not outcome.agrees and not check.annotation_id:
                problems[number].append(("annotation_id", CONSISTENCY,
                                         f"figures disagree ({outcome.explanation}); record the defect in "
                                         "annotations.csv as an inconsistent_value and give its annotation_id here"))
            elif not outcome.agrees and kind is not None and kind != "inconsistent_value":
                problems[number].append(("annotation_id", CONSISTENCY,
                                         f"figures disagree ({outcome.explanation}) but annotation {check.annotation_id} "
                                         f"is a {kind}; record the disagreement as kind inconsistent_value"))
        self.run.add_at_rows(table, problems)
