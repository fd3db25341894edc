"""Figures as a reader writes them: `jiceng cite` gives a unit's plural by the value, and
`jiceng audit` and the validator's messages write numbers out in full, never 1.69e+06;
`dir(jiceng)` shows only the public names."""

from __future__ import annotations

import pytest

import jiceng
from jiceng.registry import number, quantity


@pytest.mark.parametrize(("value", "unit", "value_max", "written"), [
    (47, "organisation", None, "47 organisations"),
    (1, "post", None, "1 post"),
    (1, "hour", 2, "1–2 hours"),
    (3, "person_time", None, "3 person-times"),
    (1, "person_time", None, "1 person-time"),
    (400000, "yuan", None, "400,000 yuan"),
    (108, "percent", None, "108%"),
    (120, "square_metre", None, "120 square metres"),
])
def test_a_quantity_takes_the_plural_its_value_needs(value, unit, value_max, written):
    assert quantity(value, unit, value_max) == written


@pytest.mark.parametrize(("value", "grouped", "written"), [
    (1.69e6, True, "1,690,000"),
    (1.69e6, False, "1690000"),
    (41.2, True, "41.2"),
    (412000.0, True, "412,000"),
    (0.05, True, "0.05"),
    (-3, True, "-3"),
])
def test_numbers_are_written_out_in_full(value, grouped, written):
    assert number(value, grouped) == written


def test_cite_of_a_count_of_organisations_says_organisations(run_cli):
    metrics = jiceng.metrics()
    row = metrics[(metrics["unit"] == "organisation") & (metrics["value"] > 1)].iloc[0]
    outcome = run_cli("cite", row["metric_id"])
    assert outcome.exit_code == 0
    count = f"{int(row['value']):,}"
    assert f": {count} organisations (" in outcome.lines()[1]


def test_audit_writes_a_million_out_in_full(run_cli):
    outcome = run_cli("audit")
    assert outcome.exit_code == 0, outcome.out
    assert "e+0" not in outcome.out
    big = [value for value in jiceng.metrics()["value"] if value >= 10**6]
    lines = [line for line in outcome.lines() if line.startswith("consistency")]
    assert not big or any(f"{int(value):,}" in "".join(lines) for value in big)


def test_dir_of_jiceng_lists_only_its_public_names():
    shown = dir(jiceng)
    assert shown == sorted(jiceng.__all__)
    assert "Path" not in shown and "TYPE_CHECKING" not in shown and "load" in shown
