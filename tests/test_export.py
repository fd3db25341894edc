"""`jiceng export`: every format holds the values of the CSV text, typed by the schema, with version and licence."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import assert_csv_values

import jiceng
from jiceng.cli import main
from jiceng.loading import resource_schema

TABLES = jiceng.tables()
VOCABULARIES = jiceng.vocabularies()
EXPORTED = TABLES + [f"vocab_{name}" for name in VOCABULARIES]
DESTINATIONS = {"parquet": "parquet", "sqlite": "jiceng.db", "xlsx": "jiceng.xlsx", "json": "jiceng.json"}
PYTHON_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}


def loader_name(name: str) -> str:
    return name.removeprefix("vocab_")


def resource_of(name: str) -> str:
    return ("vocab-" if name.startswith("vocab_") else "") + loader_name(name).replace("_", "-")


def schema_fields(name: str) -> list[dict]:
    return resource_schema(resource_of(name))["fields"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    """Run `jiceng export` once per format."""
    directory = tmp_path_factory.mktemp("export")
    paths = {}
    for format_, name in DESTINATIONS.items():
        assert main(["export", "--format", format_, str(directory / name)]) == 0
        paths[format_] = directory / name
    return paths


# --- Parquet ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXPORTED)
def test_parquet_holds_the_values_of_the_csv_text(exported, name):
    assert_csv_values(pq.read_table(exported["parquet"] / f"{name}.parquet").to_pylist(), resource_of(name))


@pytest.mark.parametrize("name", TABLES)
def test_parquet_columns_have_arrow_types_from_the_schema(exported, name):
    schema = pq.read_schema(exported["parquet"] / f"{name}.parquet")
    for field in schema_fields(name):
        arrow = schema.field(field["name"])
        if "enum" in field.get("constraints", {}):
            assert pa.types.is_dictionary(arrow.type) and arrow.type.value_type == pa.string()
        else:
            assert arrow.type == {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
                                  "boolean": pa.bool_()}[field["type"]], field["name"]
        assert arrow.nullable == (not field.get("constraints", {}).get("required", False))
        assert arrow.metadata[b"description"].decode() == field["description"]


def test_parquet_files_carry_version_and_licence(exported):
    metadata = pq.read_schema(exported["parquet"] / "metrics.parquet").metadata
    assert metadata[b"version"].decode() == jiceng.__version__
    assert metadata[b"license"] == b"CC-BY-4.0"
    assert metadata[b"table"] == b"metrics"


# --- SQLite -----------------------------------------------------------------------------


@pytest.fixture
def database(exported):
    connection = sqlite3.connect(exported["sqlite"])
    connection.execute("PRAGMA foreign_keys = ON")
    yield connection
    connection.close()


@pytest.mark.parametrize("name", EXPORTED)
def test_sqlite_holds_the_values_of_the_csv_text(database, name):
    cursor = database.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
    columns = [description[0] for description in cursor.description]
    assert_csv_values([dict(zip(columns, row)) for row in cursor], resource_of(name))


@pytest.mark.parametrize("name", TABLES)
def test_sqlite_stores_each_column_with_its_schema_type(database, name):
    declared = {row[1]: row[2] for row in database.execute(f'PRAGMA table_info("{name}")')}
    storage = {"string": "text", "integer": "integer", "number": "real", "boolean": "integer"}
    for field in schema_fields(name):
        column = field["name"]
        assert declared[column] == {"text": "TEXT", "integer": "INTEGER", "real": "REAL"}[storage[field["type"]]]
        stored = {row[0] for row in database.execute(f'SELECT DISTINCT typeof("{column}") FROM "{name}"')}
        assert stored <= {storage[field["type"]], "null"}, (column, stored)


def test_sqlite_declares_primary_and_foreign_keys(database):
    primary = [row[1] for row in database.execute('PRAGMA table_info("metrics")') if row[5]]
    assert primary == ["metric_id"]
    references = {(row[3], row[2], row[4]) for row in database.execute('PRAGMA foreign_key_list("metrics")')}
    assert ("source_id", "sources", "source_id") in references
    assert ("initiative_id", "initiatives", "initiative_id") in references
    assert ("unit", "vocab_units", "code") in references
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []


def test_sqlite_refuses_a_dangling_reference(database):
    columns = [row[1] for row in database.execute('PRAGMA table_info("metrics")')]
    row = dict(zip(columns, database.execute('SELECT * FROM "metrics" LIMIT 1').fetchone()))
    row["metric_id"] = "ffffffffffffffff-1-m001"
    row["source_id"] = "ffffffffffffffff-1"
    columns = ", ".join(f'"{column}"' for column in row)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        database.execute(f'INSERT INTO "metrics" ({columns}) VALUES ({", ".join("?" for _ in row)})',
                         list(row.values()))


def test_sqlite_refuses_a_code_outside_its_vocabulary(database):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        database.execute('UPDATE "metrics" SET "unit" = ? WHERE rowid = 1', ("furlong",))


@pytest.mark.parametrize(("column", "declared"), [("quote_start", "INTEGER"), ("value", "REAL")])
def test_sqlite_refuses_a_value_of_the_wrong_type(database, column, declared):
    with pytest.raises(sqlite3.IntegrityError, match=f"cannot store TEXT value in {declared} column metrics.{column}"):
        database.execute(f'UPDATE "metrics" SET "{column}" = ? WHERE rowid = 1', ("three hundred",))


def test_sqlite_carries_version_licence_and_data_dictionary(database):
    metadata = dict(database.execute("SELECT key, value FROM jiceng_metadata"))
    assert metadata["version"] == jiceng.__version__
    assert metadata["license"] == "CC-BY-4.0"
    assert jiceng.__version__ in metadata["citation"]
    described = database.execute("SELECT COUNT(*) FROM jiceng_data_dictionary").fetchone()[0]
    texts = len(database.execute("PRAGMA table_info(source_texts)").fetchall())
    assert texts == 5 and described == sum(len(schema_fields(name)) for name in EXPORTED) + texts


# --- Excel ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(exported):
    book = openpyxl.load_workbook(exported["xlsx"], read_only=True)
    yield book
    book.close()


def sheet_records(workbook, name: str) -> list[dict]:
    """The cells as openpyxl reads them (a DataFrame would turn None into NaN)."""
    rows = list(workbook[name].iter_rows(values_only=True))
    header = list(rows[0])
    return [dict(zip(header, list(row) + [None] * (len(header) - len(row)))) for row in rows[1:]]


def test_workbook_has_one_sheet_per_table_and_a_data_dictionary(workbook):
    assert workbook.sheetnames == ["about", *TABLES, "source_texts", *EXPORTED[len(TABLES):], "data_dictionary"]


@pytest.mark.parametrize("name", EXPORTED)
def test_xlsx_holds_the_values_of_the_csv_text(workbook, name):
    assert_csv_values(sheet_records(workbook, name), resource_of(name))


@pytest.mark.parametrize("name", TABLES)
def test_xlsx_cells_have_their_schema_types(workbook, name):
    records = sheet_records(workbook, name)
    for field in schema_fields(name):
        values = [record[field["name"]] for record in records if record[field["name"]] is not None]
        allowed = PYTHON_TYPES[field["type"]]  # Excel keeps every number as a double: 47.0 reads back as 47
        assert all(type(value) in allowed for value in values), (field["name"], {type(v) for v in values})


def test_xlsx_carries_version_and_licence(workbook, exported):
    about = dict(workbook["about"].iter_rows(min_row=2, values_only=True))
    assert about["version"] == jiceng.__version__ and about["license"] == "CC-BY-4.0"
    assert openpyxl.load_workbook(exported["xlsx"]).properties.version == jiceng.__version__


def test_every_xlsx_sheet_keeps_its_header_in_view_and_filters_every_row(exported):
    book = openpyxl.load_workbook(exported["xlsx"])
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        last_column = openpyxl.utils.get_column_letter(len(rows[0]))
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{last_column}{len(rows)}", sheet.title


# --- JSON -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def document(exported):
    return json.loads(exported["json"].read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", EXPORTED)
def test_json_holds_the_values_of_the_csv_text(document, name):
    assert_csv_values(document["tables"][name], resource_of(name))


@pytest.mark.parametrize("name", TABLES)
def test_json_values_have_their_schema_types(document, name):
    for field in schema_fields(name):
        values = [record[field["name"]] for record in document["tables"][name] if record[field["name"]] is not None]
        expected_type = {"string": str, "integer": int, "number": float, "boolean": bool}[field["type"]]
        assert all(type(value) is expected_type for value in values), field["name"]


def test_json_carries_version_and_licence(document):
    assert document["version"] == jiceng.__version__
    assert document["license"] == "CC-BY-4.0"
    assert list(document["tables"]) == [*TABLES, "source_texts", *EXPORTED[len(TABLES):]]


# --- the command ------------------------------------------------------------------------


def test_export_to_a_directory_as_a_file_is_a_message(run_cli, tmp_path):
    outcome = run_cli("export", "--format", "sqlite", str(tmp_path))
    assert outcome.exit_code == 1
    assert "is a directory" in outcome.err and "Traceback" not in outcome.err


def test_export_replaces_an_earlier_export(run_cli, tmp_path):
    destination = tmp_path / "jiceng.json"
    destination.write_text("stale", encoding="utf-8")
    assert run_cli("export", "--format", "json", str(destination)).exit_code == 0
    assert json.loads(destination.read_text(encoding="utf-8"))["version"] == jiceng.__version__
    assert [path.name for path in tmp_path.iterdir()] == ["jiceng.json"]


def test_exports_are_not_on_the_import_path():
    # pandas itself may import pyarrow for its string dtype; the export modules must not load.
    modules = "('pyarrow', 'openpyxl', 'daff', 'jiceng.export', 'jiceng.diff', 'jiceng.releases', 'jiceng.citation')"
    code = (f"import sys, jiceng; before = sorted(m for m in {modules} if m in sys.modules); jiceng.load_all(); "
            f"print(before, sorted(m for m in {modules} if m in sys.modules and m != 'pyarrow'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[] []"
