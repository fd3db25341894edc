"""Row models: the cross-field rules that Table Schema cannot express."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import jiceng
from jiceng.models import Annotation, District, Metric, Source


def first_row(table: str) -> dict:
    """The first row of a bundled table as plain values (None for missing)."""
    record = jiceng.records(table)[0]
    return record.model_dump()


def metric(**changes) -> Metric:
    return Metric.model_validate({**first_row("metrics"), **changes})


def test_bundled_first_metric_is_valid():
    assert metric().metric_id.endswith("m001")


def test_value_max_below_value_is_rejected():
    with pytest.raises(ValidationError, match="greater than value_max"):
        metric(qualifier="range", value=5, value_max=4)


def test_range_requires_value_max_and_value_max_requires_range():
    with pytest.raises(ValidationError, match="if and only if"):
        metric(qualifier="range", value_max=None)
    with pytest.raises(ValidationError, match="if and only if"):
        metric(qualifier="exact", value_max=1e9)


def test_percent_cannot_be_a_level():
    with pytest.raises(ValidationError, match="cannot have"):
        metric(unit="percent", value_type="level")


def test_counts_of_people_must_be_whole_numbers():
    with pytest.raises(ValidationError, match="whole number"):
        metric(unit="person", value_type="level", value=2.5)


def test_only_an_increase_can_be_negative():
    with pytest.raises(ValidationError, match="negative"):
        metric(value=-3)


@pytest.mark.parametrize("column", ["value", "value_max"])
@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan")], ids=["inf", "-inf", "nan"])
def test_value_that_is_not_a_finite_number_is_rejected_as_such(column, number):
    changes = {"qualifier": "range", "value": 1, "value_max": 2, column: number}
    with pytest.raises(ValidationError, match=r"finite number") as caught:
        metric(**changes)
    (error,) = caught.value.errors()
    assert error["loc"] == (column,)


def test_unknown_vocabulary_code_names_the_vocabulary_file():
    with pytest.raises(ValidationError, match=r"data/vocabularies/qualifiers\.csv"):
        metric(qualifier="roughly")


def test_unknown_column_is_rejected():
    with pytest.raises(ValidationError, match="extra"):
        metric(colour="red")


def test_row_id_must_start_with_its_source_id():
    with pytest.raises(ValidationError, match="must start with its source_id"):
        metric(metric_id="1f5f9208bb5fe543-3-m001", source_id="1f5f9208bb5fe543-1")


def test_quote_offsets_must_span_the_quote_length():
    row = first_row("metrics")
    with pytest.raises(ValidationError, match="jiceng locate"):
        metric(quote_end=row["quote_end"] + 1)


def test_source_span_must_lie_inside_the_document():
    row = first_row("sources")
    with pytest.raises(ValidationError, match="span"):
        Source.model_validate({**row, "span_end": row["document_length"] + 1})


def test_inferred_publication_needs_a_reason():
    row = first_row("sources")
    with pytest.raises(ValidationError, match="published_note"):
        Source.model_validate({**row, "published_basis": "inferred", "published": "2020", "published_note": None})


def test_district_code_must_nest_in_its_prefecture():
    row = first_row("districts")
    with pytest.raises(ValidationError, match="not inside prefecture"):
        District.model_validate({**row, "prefecture_id": "110100"})


def test_related_span_needs_all_three_fields():
    row = first_row("annotations")
    with pytest.raises(ValidationError, match="go together"):
        Annotation.model_validate({**row, "related_source_id": row["source_id"], "related_start": None, "related_end": None})
