"""What a reader finds in the files `jiceng export` writes, each test exporting afresh: the
Parquet schema (dictionary-coded codes, which columns may be empty, the pandas dtypes a
reader gets back), the SQLite file's strict column types and data dictionary, and the
message when a Parquet destination is a file. Expected values come from the Table
Schema files, not from jiceng's own loader."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jiceng.bundle import package_root

PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def schema_fields(table: str) -> list[dict]:
    descriptor = json.loads((package_root() / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [item for item in descriptor["resources"] if item["name"] == table]
    return json.loads((package_root() / resource["schema"]).read_text(encoding="utf-8"))["fields"]


@pytest.fixture
def parquet(run_cli, tmp_path):
    destination = tmp_path / "parquet"
    outcome = run_cli("export", "--format", "parquet", str(destination))
    assert outcome.exit_code == 0, outcome.err
    return destination


@pytest.fixture
def database(run_cli, tmp_path):
    destination = tmp_path / "jiceng.db"
    outcome = run_cli("export", "--format", "sqlite", str(destination))
    assert outcome.exit_code == 0, outcome.err
    connection = sqlite3.connect(destination)
    yield connection
    connection.close()


def test_parquet_codes_are_dictionary_coded_and_only_required_columns_are_not_nullable(parquet):
    schema = pq.read_schema(parquet / "metrics.parquet")
    for field in schema_fields("metrics"):
        arrow = schema.field(field["name"])
        constraints = field.get("constraints", {})
        assert pa.types.is_dictionary(arrow.type) == ("enum" in constraints), field["name"]
        assert arrow.nullable is not bool(constraints.get("required")), field["name"]


def test_parquet_read_with_pandas_gives_nullable_dtypes_and_categories(parquet):
    frame = pd.read_parquet(parquet / "metrics.parquet")
    for field in schema_fields("metrics"):
        expected = "category" if "enum" in field.get("constraints", {}) else PANDAS_DTYPES[field["type"]]
        assert str(frame[field["name"]].dtype) == expected, field["name"]


def test_parquet_keeps_the_package_metadata_beside_the_pandas_metadata(parquet):
    metadata = pq.read_schema(parquet / "glossary.parquet").metadata
    assert metadata[b"table"] == b"glossary"
    assert metadata[b"license"] == b"CC-BY-4.0"
    assert b"pandas" in metadata


def test_parquet_destination_that_is_a_file_is_a_message(run_cli, tmp_path):
    destination = tmp_path / "parquet"
    destination.write_text("not a directory", encoding="utf-8")
    outcome = run_cli("export", "--format", "parquet", str(destination))
    assert outcome.exit_code == 1 and "Traceback" not in outcome.err
    assert f"{destination}: exists and is not a directory; Parquet export writes one file per table" in outcome.err
    assert destination.read_text(encoding="utf-8") == "not a directory"


@pytest.mark.skipif(sqlite3.sqlite_version_info < (3, 37, 0), reason="STRICT tables need SQLite 3.37")
def test_sqlite_tables_are_strict_where_sqlite_supports_it(database):
    (statement,) = database.execute("SELECT sql FROM sqlite_master WHERE name = 'metrics'").fetchone()
    assert statement.rstrip().endswith("STRICT")
    with pytest.raises(sqlite3.IntegrityError, match="cannot store TEXT value in INTEGER column metrics.quote_end"):
        database.execute('UPDATE "metrics" SET "quote_end" = ? WHERE rowid = 1', ("the end",))


def test_sqlite_data_dictionary_names_its_columns_in_lower_case(database):
    cursor = database.execute("SELECT * FROM jiceng_data_dictionary")
    columns = [description[0] for description in cursor.description]
    assert columns[:3] == ["table", "column", "type"]
    rows = [dict(zip(columns, row)) for row in cursor]
    assert [row["column"] for row in rows if row["table"] == "metrics"] == [
        field["name"] for field in schema_fields("metrics")]


def test_sqlite_data_dictionary_leaves_what_does_not_apply_empty_not_null(database):
    (unit,) = database.execute('SELECT "unit" FROM jiceng_data_dictionary '
                               'WHERE "table" = \'glossary\' AND "column" = \'term_en\'').fetchone()
    assert unit == ""


def test_parquet_export_creates_missing_parent_directories(run_cli, tmp_path):
    destination = tmp_path / "exports" / "2026" / "parquet"
    assert run_cli("export", "--format", "parquet", str(destination)).exit_code == 0
    assert (destination / "metrics.parquet").is_file()


def test_workbook_carries_the_version_and_keeps_each_header_in_view(run_cli, tmp_path):
    import openpyxl

    destination = tmp_path / "jiceng.xlsx"
    assert run_cli("export", "--format", "xlsx", str(destination)).exit_code == 0
    descriptor = json.loads((package_root() / "datapackage.json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(destination)
    assert book.properties.version == descriptor["version"]
    assert {sheet.freeze_panes for sheet in book.worksheets} == {"A2"}
    assert book["glossary"]["C2"].data_type == "s"


def test_json_export_is_utf8_under_an_ascii_locale(run_cli, tmp_path, monkeypatch):
    import io

    default = io.text_encoding
    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "ascii")
    outcome = run_cli("export", "--format", "json", str(tmp_path / "jiceng.json"))
    monkeypatch.setattr(io, "text_encoding", default)
    assert outcome.exit_code == 0, outcome.err
    assert "党建" in (tmp_path / "jiceng.json").read_text(encoding="utf-8")


def test_the_xlsx_export_without_openpyxl_says_what_to_install(run_cli, tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)  # as if it were not installed
    outcome = run_cli("export", "--format", "xlsx", str(tmp_path / "out.xlsx"))
    assert outcome.exit_code == 1 and "Traceback" not in outcome.err
    assert "the xlsx export needs openpyxl: pip install openpyxl (or, in a checkout, pip install '.[export]')" in outcome.err
    assert not (tmp_path / "out.xlsx").exists()


def test_an_invalid_package_is_not_exported_and_nothing_is_written(run_cli, package_copy, tmp_path, monkeypatch):
    """A misspelt code would become an empty cell in the export: the export refuses instead."""
    package_copy.set_cell("metrics", 0, "unit", "precent")
    monkeypatch.setenv("JICENG_PACKAGE", str(package_copy.root))
    from jiceng.bundle import package_root

    package_root.cache_clear()
    out = tmp_path / "exports"
    out.mkdir()
    try:
        for format_, name in (("sqlite", "out.db"), ("json", "out.json"), ("parquet", "parquet")):
            outcome = run_cli("export", "--format", format_, str(out / name))
            assert outcome.exit_code == 1 and "Traceback" not in outcome.err
            assert "the package is not valid" in outcome.err and "precent" in outcome.err
            assert "Nothing was written" in outcome.err
        assert list(out.iterdir()) == []
    finally:
        monkeypatch.delenv("JICENG_PACKAGE")
        package_root.cache_clear()


@pytest.mark.parametrize(("name", "written"), [("jiceng.db", "sqlite"), ("jiceng.JSON", "json"),
                                               ("tables.parquet", "parquet")])
def test_the_format_is_told_by_the_destinations_suffix(run_cli, tmp_path, name, written):
    outcome = run_cli("export", str(tmp_path / name))
    assert outcome.exit_code == 0, outcome.err
    assert f"({written}, " in outcome.out
    if written == "sqlite":
        assert sqlite3.connect(tmp_path / name).execute("SELECT COUNT(*) FROM metrics").fetchone()[0] > 0
    elif written == "json":
        assert "tables" in json.loads((tmp_path / name).read_text(encoding="utf-8"))
    else:
        assert (tmp_path / name / "metrics.parquet").is_file()


def test_a_destination_without_a_known_suffix_asks_for_the_format(run_cli, tmp_path):
    outcome = run_cli("export", str(tmp_path / "out.txt"))
    assert outcome.exit_code == 1 and "cannot tell the format from" in outcome.err and "--format" in outcome.err
    assert list(tmp_path.iterdir()) == []
