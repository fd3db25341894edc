"""How the loader names tables and types their columns: every spelling of a table name a
user may type, the message for an unknown one, and one dtype per Table Schema type."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

import jiceng
from jiceng.bundle import package_root
from jiceng.loading import pandas_dtype, resource_name, vocabulary_names

DESCRIPTOR = json.loads((package_root() / "datapackage.json").read_text(encoding="utf-8"))
VOCABULARIES = sorted(item["name"][len("vocab-"):].replace("-", "_") for item in DESCRIPTOR["resources"]
                      if item["name"].startswith("vocab-"))


@pytest.mark.parametrize(
    ("typed", "resource"),
    [("non_metric_numbers", "non-metric-numbers"), ("non-metric-numbers", "non-metric-numbers"),
     (" Metrics ", "metrics"), ("units", "vocab-units"), ("vocab-units", "vocab-units"),
     ("NON_METRIC_REASONS", "vocab-non-metric-reasons")],
)
def test_table_names_are_accepted_in_every_spelling(typed, resource):
    assert resource_name(typed) == resource


def test_unknown_table_name_suggests_the_nearest_and_lists_the_tables_and_vocabularies():
    with pytest.raises(ValueError) as raised:
        resource_name("metric")
    message = str(raised.value)
    assert message.startswith("jiceng has no table called 'metric'; did you mean metrics? Tables: sources, districts, "
                              "initiatives, metrics, annotations, non_metric_numbers, consistency_checks, glossary. "
                              "Vocabularies: ")
    assert message.endswith(".") and all(name in message for name in VOCABULARIES)


def test_a_name_like_no_table_gets_no_suggestion():
    with pytest.raises(ValueError, match=r"^jiceng has no table called 'zzzz'\. Tables: sources, "):
        resource_name("zzzz")


def test_vocabulary_names_are_the_descriptors_vocabularies_in_snake_case():
    assert sorted(vocabulary_names()) == VOCABULARIES


@pytest.mark.parametrize(
    ("field", "dtype"),
    [({"type": "string"}, pd.StringDtype()), ({"type": "integer"}, pd.Int64Dtype()),
     ({"type": "number"}, pd.Float64Dtype()), ({"type": "boolean"}, pd.BooleanDtype()),
     ({"type": "string", "constraints": {"enum": ["a", "b"]}}, pd.CategoricalDtype(["a", "b"])),
     ({"type": "string", "constraints": {"required": True}}, pd.StringDtype())],
)
def test_each_table_schema_type_has_its_pandas_dtype(field, dtype):
    assert pandas_dtype(field) == dtype


def test_loaded_frame_names_its_table_and_version():
    frame = jiceng.load("non_metric_numbers")
    assert (frame.attrs["jiceng_table"], frame.attrs["jiceng_version"]) == ("non-metric-numbers", DESCRIPTOR["version"])
    assert set(frame.attrs["column_descriptions"]) == set(frame.columns)


def test_empty_cells_load_as_missing_and_text_as_written():
    with (package_root() / "data" / "metrics.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    frame = jiceng.load("metrics")
    assert [cell == "" for cell in (row["initiative_id"] for row in rows)] == frame["initiative_id"].isna().tolist()
    assert frame["value_text"].tolist() == [row["value_text"] for row in rows]
    assert frame["quote_start"].tolist() == [int(row["quote_start"]) for row in rows]
    assert frame["value"].tolist() == [float(row["value"]) for row in rows]


AWKWARD_CELLS = ['two\nlines', 'a "quoted", comma', 'crlf\r\ninside', 'NA', 'null', ' padded ', '0012', '1e3']


def test_awkward_cells_load_as_the_csv_module_reads_them(package_copy):
    rows = package_copy.rows("metrics")
    for row, text in zip(rows, AWKWARD_CELLS):
        row["notes"] = text
    package_copy.write_rows("metrics", rows)
    frame = jiceng.load("metrics", package=package_copy.root)
    assert frame["notes"].tolist()[: len(AWKWARD_CELLS)] == AWKWARD_CELLS
    assert frame["unit"].notna().all()
    assert len(frame) == len(rows)


def test_a_cell_of_the_wrong_type_names_the_file_and_the_command_that_finds_it(package_copy):
    rows = package_copy.rows("metrics")
    rows[3]["quote_start"] = "twelve"
    package_copy.write_rows("metrics", rows)
    with pytest.raises(ValueError, match=r"metrics\.csv:5:\d+: quote_start \(column \d+\) 'twelve' is not a whole "
                                         r"number; run `jiceng validate`"):
        jiceng.load("metrics", package=package_copy.root)
