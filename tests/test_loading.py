"""The accessor API: typed DataFrames, validated records, the frictionless package."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pandas as pd
import pytest
from conftest import assert_csv_values

import jiceng
from jiceng.bundle import package_root

ROOT = package_root()


def schema_fields(table: str) -> list[dict]:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(item for item in descriptor["resources"] if item["name"] == table.replace("_", "-"))
    return json.loads((ROOT / resource["schema"]).read_text(encoding="utf-8"))["fields"]


EXPECTED_DTYPE = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


@pytest.mark.parametrize("table", jiceng.tables())
def test_each_column_has_the_dtype_its_schema_implies(table):
    frame = jiceng.load(table)
    for field in schema_fields(table):
        dtype = frame[field["name"]].dtype
        if "enum" in field.get("constraints", {}):
            assert isinstance(dtype, pd.CategoricalDtype), field["name"]
            assert list(dtype.categories) == field["constraints"]["enum"]
        else:
            assert str(dtype) == EXPECTED_DTYPE[field["type"]], field["name"]
    assert not any(str(dtype) == "object" for dtype in frame.dtypes)


def python_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Cells as plain Python values, missing ones as None."""
    return [{column: None if pd.isna(value) else value for column, value in row.items()}
            for row in frame.astype(object).to_dict("records")]


@pytest.mark.parametrize("name", [*jiceng.tables(), *jiceng.vocabularies()])
def test_loaded_values_are_the_csv_texts_cells_converted_by_type(name):
    resource = ("vocab-" if name in jiceng.vocabularies() else "") + name.replace("_", "-")
    assert_csv_values(python_records(jiceng.load(name)), resource, same_types=True)


@pytest.mark.parametrize("table", jiceng.tables())
def test_each_table_has_rows_and_the_function_of_its_name_returns_it(table):
    frame = getattr(jiceng, table)()
    assert len(frame) > 0
    pd.testing.assert_frame_equal(frame, jiceng.load(table))


def test_empty_cells_are_missing_values_not_empty_strings():
    metrics = jiceng.metrics()
    assert metrics["value_max"].isna().any()
    assert not (metrics["value_text"] == "").any()


def test_values_are_numbers_and_counts_integers():
    metrics = jiceng.metrics()
    assert metrics["value"].dtype == "Float64"
    assert metrics["quote_start"].dtype == "Int64"


def test_hyphenated_and_underscored_names_load_the_same_table():
    pd.testing.assert_frame_equal(jiceng.load("non-metric-numbers"), jiceng.load("non_metric_numbers"))


def test_unknown_table_name_lists_the_valid_names():
    with pytest.raises(ValueError) as error:
        jiceng.load("metric")
    message = str(error.value)
    assert "'metric'" in message
    assert all(name in message for name in jiceng.tables())


def test_vocabularies_load_with_labels_in_both_languages():
    units = jiceng.vocabulary("units")
    assert {"code", "label_en", "label_zh", "definition_en"} <= set(units.columns)
    assert set(jiceng.metrics()["unit"].cat.categories) == set(units["code"])


def test_asking_for_a_table_as_a_vocabulary_is_an_error():
    with pytest.raises(ValueError, match="is a table"):
        jiceng.vocabulary("metrics")


def test_load_all_returns_every_table():
    frames = jiceng.load_all()
    assert list(frames) == jiceng.tables()


def test_records_are_validated_pydantic_rows():
    from jiceng.models import Metric

    records = jiceng.records("metrics")
    assert all(isinstance(record, Metric) for record in records)
    assert [record.metric_id for record in records] == list(jiceng.metrics()["metric_id"])


def test_package_is_a_frictionless_package_of_every_resource():
    package = jiceng.package()
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert package.resource_names == [item["name"] for item in descriptor["resources"]]


def test_source_text_is_the_sources_span_of_its_file():
    for row in jiceng.sources().itertuples():
        essay = jiceng.source_text(row.source_id)
        assert essay.text.startswith(row.heading_zh)
        assert len(essay.text) == row.span_end - row.span_start == essay.end - essay.start


def test_source_text_of_unknown_source_names_the_known_ones():
    with pytest.raises(KeyError, match="1f5f9208bb5fe543-1"):  # regression fixture: a source of 0.1.0
        jiceng.source_text("nope")


def test_every_quote_is_found_at_its_offsets_through_the_api():
    documents = {row.source_id: (row.path, row.span_start) for row in jiceng.sources().itertuples()}
    for table in ("initiatives", "metrics", "annotations", "non_metric_numbers"):
        for row in jiceng.load(table).itertuples():
            path, _ = documents[row.source_id]
            text = (ROOT / path).read_text(encoding="utf-8")
            assert text[row.quote_start : row.quote_end] == row.quote


SEMANTIC_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def test_version_is_a_semantic_version_shared_by_package_and_descriptor():
    assert SEMANTIC_VERSION.fullmatch(jiceng.__version__), jiceng.__version__
    descriptor = json.loads((package_root() / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == jiceng.__version__


@pytest.mark.parametrize("text", ["a.b.c", "1.2", "1.2.3.4", "01.2.3", "1.2.x", "v1.2.3"])
def test_what_is_not_a_semantic_version(text):
    assert not SEMANTIC_VERSION.fullmatch(text)


def test_import_and_load_all_do_not_import_frictionless_pydantic_or_mkdocs():
    code = (
        "import sys, jiceng; jiceng.load_all(); "
        "print(sorted(m for m in ('frictionless', 'pydantic', 'mkdocs') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_import_alone_does_not_import_pandas():
    code = "import sys, jiceng; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_file_with_every_cell_quoted_loads_its_quoted_empty_cells_as_missing(package_copy):
    import csv

    rows = package_copy.rows("metrics")
    path = package_copy.root / "data" / "metrics.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:  # as some spreadsheet programs save it
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    frame = jiceng.load("metrics", package=package_copy.root)
    empty = [(index, column) for index, row in enumerate(rows) for column, text in row.items() if text == ""]
    assert empty and all(pd.isna(frame.at[index, column]) for index, column in empty)
    assert list(frame["metric_id"]) == [row["metric_id"] for row in rows]


@pytest.mark.parametrize("written", ["TRUE", "True", "1"])
def test_a_boolean_cell_other_than_true_or_false_is_refused_at_its_place(package_copy, written):
    cell = package_copy.set_cell("vocabularies/units", 0, "integer", written)
    number = list(package_copy.rows("vocabularies/units")[0]).index("integer") + 1
    with pytest.raises(ValueError, match=f"^{re.escape(str(package_copy.root / cell.path))}:{cell.line}:{cell.column}: "
                                         f"integer \\(column {number}\\) '{written}' is not true or false; "
                                         "run `jiceng validate`"):
        jiceng.vocabulary("units", package=package_copy.root)


def test_a_code_outside_its_vocabulary_is_refused_not_loaded_as_missing(package_copy):
    cell = package_copy.set_cell("metrics", 3, "unit", "persn")
    columns = list(package_copy.rows("metrics")[0])
    with pytest.raises(ValueError) as raised:
        jiceng.load("metrics", package=package_copy.root, labels=True)
    message = str(raised.value)
    assert message.startswith(f"{package_copy.root / cell.path}:{cell.line}:{cell.column}: "
                              f"unit (column {columns.index('unit') + 1}) 'persn' is not a code of the units vocabulary")
    assert "did you mean 'person'?" in message and "run `jiceng validate`" in message


def test_a_code_with_no_close_match_lists_the_codes(package_copy):
    package_copy.set_cell("metrics", 0, "unit", "furlong")
    with pytest.raises(ValueError, match="'furlong' is not a code of the units vocabulary; use one of: person, "):
        jiceng.metrics(package=package_copy.root)


def test_a_cell_that_is_not_a_number_is_named_by_its_column_counted_from_one(package_copy):
    cell = package_copy.set_cell("metrics", 5, "value", "abc")
    columns = list(package_copy.rows("metrics")[0])
    with pytest.raises(ValueError) as raised:
        jiceng.load("metrics", package=package_copy.root)
    assert str(raised.value).startswith(f"{package_copy.root / cell.path}:{cell.line}:{cell.column}: value "
                                        f"(column {columns.index('value') + 1}) 'abc' is not a number; ")
    assert "CSV column #" not in str(raised.value)
