"""The parts every export is made of: its metadata, its data dictionary (read against the
schema files), plain Python values, and the messages for a destination it cannot write."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import jiceng
from jiceng.bundle import package_root
from jiceng.export import (
    ExportError,
    Resource,
    data_dictionary,
    export,
    export_name,
    metadata,
    python_values,
    references,
    temporary_for,
    version_number,
)

DESCRIPTOR = json.loads((package_root() / "datapackage.json").read_text(encoding="utf-8"))


def schema_of(name: str) -> dict:
    return json.loads((package_root() / "schemas" / f"{name}.json").read_text(encoding="utf-8"))


def test_export_names_use_underscores():
    assert export_name("non-metric-numbers") == "non_metric_numbers"
    assert export_name("vocab-units") == "vocab_units"


def test_metadata_carries_name_version_licence_and_citation():
    licence = DESCRIPTOR["licenses"][0]
    data = metadata()
    assert {key: data[key] for key in ("name", "title", "version", "license", "license_title", "license_url")} == {
        "name": DESCRIPTOR["name"], "title": DESCRIPTOR["title"], "version": DESCRIPTOR["version"],
        "license": licence["name"], "license_title": licence["title"], "license_url": licence["path"]}
    assert data["citation"].endswith(f"Version {DESCRIPTOR['version']} [dataset].")
    assert data["created_by"] == f"jiceng {jiceng.__version__} (jiceng export)"
    assert "remain the work of their authors and publishers" in data["source_texts_rights"]


def test_version_number_packs_major_minor_patch():
    major, minor, patch = (int(part) for part in DESCRIPTOR["version"].split("."))
    assert version_number() == major * 1_000_000 + minor * 1_000 + patch


def test_data_dictionary_describes_every_column_from_its_schema():
    schema = schema_of("metrics")
    item = Resource("metrics", "metrics", jiceng.load("metrics"), schema)
    entries = {entry["column"]: entry for entry in data_dictionary([item])}
    assert list(entries) == [field["name"] for field in schema["fields"]]
    metric_id = entries["metric_id"]
    assert metric_id["primary_key"] and metric_id["required"] and metric_id["type"] == "string"
    assert metric_id["pattern"] == next(f for f in schema["fields"] if f["name"] == "metric_id")["constraints"]["pattern"]
    assert entries["source_id"]["references"] == "sources.source_id"
    assert entries["initiative_id"]["references"] == "initiatives.initiative_id"
    assert not entries["initiative_id"]["required"] and not entries["initiative_id"]["primary_key"]
    assert entries["unit"]["vocabulary"] == "units" and entries["unit"]["references"] == "vocab_units.code"
    assert entries["value"]["dtype"] == "Float64" and entries["quote_start"]["dtype"] == "Int64"
    assert entries["unit"]["dtype"] == "category"
    field = next(f for f in schema["fields"] if f["name"] == "value")
    assert entries["value"]["description"] == field["description"] and entries["value"]["title_zh"] == field["title"]


def test_data_dictionary_gives_the_unit_each_schema_field_declares():
    schema = schema_of("sources")
    entries = data_dictionary([Resource("sources", "sources", jiceng.load("sources"), schema)])
    units = {entry["column"]: entry["unit"] for entry in entries}
    assert units == {field["name"]: field.get("x-unit", "") for field in schema["fields"]}
    assert any(units.values())


def test_references_are_the_schemas_foreign_keys_and_the_vocabularies():
    schema = schema_of("annotations")
    keys = references(Resource("annotations", "annotations", jiceng.load("annotations"), schema))
    assert keys == {"source_id": ("sources", "source_id"), "related_source_id": ("sources", "source_id"),
                    "kind": ("vocab_annotation_kinds", "code"), "status": ("vocab_row_statuses", "code")}


def test_python_values_follow_the_schema_types():
    schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "x", "type": "number"},
                         {"name": "b", "type": "boolean"}, {"name": "s", "type": "string"}]}
    frame = pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "x": pd.array([2.5, None], dtype="Float64"),
                          "b": pd.array([True, None], dtype="boolean"), "s": pd.array(["a", None], dtype="string")})
    values = python_values(Resource("t", "t", frame, schema))
    assert values == [(1, 2.5, True, "a"), (None, None, None, None)]
    assert [type(value) for value in values[0]] == [int, float, bool, str]
    assert python_values(Resource("t", "t", pd.DataFrame(), {"fields": []})) == []


def test_destination_that_is_a_directory_or_in_no_directory_is_refused(tmp_path):
    with pytest.raises(ExportError, match=r"is a directory; give the name of the file to write"):
        temporary_for(tmp_path)
    with pytest.raises(ExportError, match=r"/missing: no such directory"):
        temporary_for(tmp_path / "missing" / "x.json")
    stale = tmp_path / ".x.json.tmp"
    stale.write_text("old", encoding="utf-8")
    assert temporary_for(tmp_path / "x.json") == stale and not stale.exists()


def test_unknown_format_names_the_known_ones(tmp_path):
    with pytest.raises(ExportError, match=r"unknown format 'csv'; use one of parquet, sqlite, xlsx, json"):
        export("csv", tmp_path / "x.csv")


def test_write_failure_is_a_message_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / ".x.json.tmp"))

    monkeypatch.setattr(json, "dump", full)
    with pytest.raises(ExportError, match=r"\.x\.json\.tmp: cannot write \(No space left on device\)"):
        export("json", tmp_path / "x.json")
    assert list(tmp_path.iterdir()) == []


def test_table_statement_without_strict_types_is_valid_sql_for_older_sqlite():
    import sqlite3

    from jiceng.export import create_table, resources

    item = next(entry for entry in resources() if entry.name == "glossary")
    for strict in (False, True):
        statement = create_table(item, strict)
        assert statement.endswith("\n) STRICT" if strict else "\n)")
        with sqlite3.connect(":memory:") as connection:
            connection.execute(statement)


def test_column_without_a_pattern_has_an_empty_pattern_in_the_dictionary():
    item = Resource("metrics", "metrics", jiceng.load("metrics"), schema_of("metrics"))
    entries = {entry["column"]: entry for entry in data_dictionary([item])}
    assert entries["value"]["pattern"] == "" and entries["value"]["references"] == ""


def test_parquet_columns_carry_their_description_and_chinese_title(tmp_path):
    import pyarrow.parquet as pq

    export("parquet", tmp_path / "out")
    schema = pq.read_schema(tmp_path / "out" / "glossary.parquet")
    field = next(item for item in schema_of("glossary")["fields"] if item["name"] == "term_zh")
    metadata = {key.decode(): value.decode() for key, value in schema.field("term_zh").metadata.items()}
    assert metadata == {"description": field["description"], "title_zh": field["title"]}


def test_workbook_has_an_about_sheet_with_the_metadata(tmp_path):
    import openpyxl

    export("xlsx", tmp_path / "out.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    rows = list(workbook["about"].iter_rows(values_only=True))
    assert rows[0] == ("key", "value")
    assert ("version", DESCRIPTOR["version"]) in rows


def test_sqlite_table_refuses_an_empty_required_cell_and_accepts_an_empty_optional_one():
    import sqlite3

    from jiceng.export import create_table, resources

    item = next(entry for entry in resources() if entry.name == "glossary")
    with sqlite3.connect(":memory:") as connection:
        connection.execute(create_table(item, strict=True))
        connection.execute("INSERT INTO glossary VALUES ('g-a', '词', 'term', 'Def.', NULL, 'active')")
        with pytest.raises(sqlite3.IntegrityError, match="NOT NULL constraint failed: glossary.term_en"):
            connection.execute("INSERT INTO glossary VALUES ('g-b', '词', NULL, 'Def.', NULL, 'active')")


def test_every_xlsx_sheet_shows_its_header_row_alone_in_bold(tmp_path):
    import openpyxl

    export("xlsx", tmp_path / "jiceng.xlsx")
    book = openpyxl.load_workbook(tmp_path / "jiceng.xlsx")
    for sheet in book.worksheets:
        header, first_row = list(sheet.iter_rows(max_row=2))
        assert all(cell.font.b for cell in header), sheet.title
        assert not any(cell.font.b for cell in first_row), sheet.title


def test_xlsx_document_properties_carry_version_licence_and_citation(tmp_path):
    import openpyxl

    export("xlsx", tmp_path / "jiceng.xlsx")
    properties = {item.name: item.value for item in openpyxl.load_workbook(tmp_path / "jiceng.xlsx").custom_doc_props}
    licence = DESCRIPTOR["licenses"][0]
    assert {key: properties[key] for key in ("jiceng_version", "jiceng_license", "jiceng_license_url")} == {
        "jiceng_version": DESCRIPTOR["version"], "jiceng_license": licence["name"], "jiceng_license_url": licence["path"]}
    assert properties["jiceng_citation"].endswith(f"{DESCRIPTOR['title']}. Version {DESCRIPTOR['version']} [dataset].")


def test_xlsx_export_refuses_a_table_name_too_long_for_a_sheet_and_leaves_no_file(tmp_path, monkeypatch):
    import jiceng.export

    glossary = next(item for item in jiceng.export.resources() if item.name == "glossary")
    name = "glossary_of_grassroots_party_building"
    monkeypatch.setattr(jiceng.export, "resources",
                        lambda: [Resource(name, glossary.resource, glossary.frame, glossary.schema)])
    with pytest.raises(ExportError, match=f"^table name '{name}' is longer than Excel's 31-character sheet names$"):
        export("xlsx", tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []
