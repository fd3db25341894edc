"""A metric's value and value_max are finite numbers: inf and nan are read by Python's
float() and by Table Schema's number type, so the row models refuse them
(``allow_inf_nan=False``)."""

from __future__ import annotations

import pytest
from conftest import assert_reported
from pydantic import ValidationError

from jiceng.models import Metric


def metric_row(package_copy, **changes) -> dict:
    row = {key: (value or None) for key, value in package_copy.rows("metrics")[0].items()}
    return {**row, **changes}


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")], ids=["inf", "-inf", "nan"])
def test_value_that_is_not_finite_is_rejected_by_the_model(package_copy, value):
    with pytest.raises(ValidationError, match="value\n.*should be a finite number"):
        Metric.model_validate(metric_row(package_copy, value=value))


def test_value_max_that_is_not_finite_is_rejected_by_the_model(package_copy):
    with pytest.raises(ValidationError, match="value_max\n.*should be a finite number"):
        Metric.model_validate(metric_row(package_copy, qualifier="range", value_max=float("inf")))


@pytest.mark.parametrize("text", ["inf", "NaN"])
def test_value_that_is_not_finite_is_reported_at_its_cell(run_cli, package_copy, text):
    cell = package_copy.set_cell("metrics", 0, "value", text)
    line = assert_reported(run_cli, package_copy, cell, "row-model")
    assert "finite" in line
