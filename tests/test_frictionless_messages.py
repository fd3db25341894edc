"""The Frictionless check of `jiceng validate` (validate/checks/frictionless.py): its errors reported at their
cells with a message saying what to write, the same whether or not it runs in a second
process, and the schemas it is given without the keys that jiceng checks itself."""

from __future__ import annotations

import json
import multiprocessing

import pytest
from conftest import assert_reported

import jiceng.validate.checks.frictionless as frictionless_check
from jiceng.validate import validate_package


@pytest.mark.parametrize(
    ("table", "column", "value", "expected"),
    [
        ("metrics", "value", "sixty-four", "field 'value': 'sixty-four' is not a number; write it like 64000 or 6.5"),
        ("metrics", "quote_start", "3x", "field 'quote_start': '3x' is not an integer; write it like 42"),
        ("sources", "document_length", "1.5", "field 'document_length': '1.5' is not an integer; write it like 42"),
    ],
)
def test_type_error_says_what_the_cell_should_look_like(run_cli, package_copy, table, column, value, expected):
    cell = package_copy.set_cell(table, 0, column, value)
    line = assert_reported(run_cli, package_copy, cell, "type-error")
    assert line.endswith(expected)


def test_constraint_error_quotes_the_cell_and_the_constraint(run_cli, package_copy):
    cell = package_copy.set_cell("glossary", 2, "term_id", "G-Upper")
    line = assert_reported(run_cli, package_copy, cell, "constraint-error")
    assert "field 'term_id': 'G-Upper' breaks the constraint: constraint \"pattern\" is" in line


def test_unique_constraint_added_to_a_schema_is_reported_as_a_duplicate_id(run_cli, package_copy):
    path = package_copy.root / "schemas" / "glossary.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    field = next(item for item in schema["fields"] if item["name"] == "term_en")
    field.setdefault("constraints", {})["unique"] = True
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    rows = package_copy.rows("glossary")
    cell = package_copy.set_cell("glossary", 2, "term_en", rows[1]["term_en"])
    line = assert_reported(run_cli, package_copy, cell, "primary-key")
    assert f"duplicate ID {rows[1]['term_en']!r} (" in line
    assert line.endswith("); IDs must be unique and are never reused")


def test_errors_are_the_same_when_the_standard_checks_cannot_fork(run_cli, package_copy, monkeypatch):
    cell = package_copy.set_cell("metrics", 1, "value", "many")
    forked = run_cli("validate", str(package_copy.root)).lines()
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    line = assert_reported(run_cli, package_copy, cell, "type-error")
    assert line in forked
    assert run_cli("validate", str(package_copy.root)).lines() == forked


def test_descriptor_frictionless_cannot_open_is_reported_on_the_descriptor():
    errors = frictionless_check.frictionless_errors("/nonexistent", {"resources": [{"name": 5}]}, 10)
    assert errors and all(error.type == "package" for error in errors)


def test_schemas_are_given_without_primary_and_foreign_keys(package_copy):
    descriptor = json.loads((package_copy.root / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(item for item in descriptor["resources"] if item["name"] == "metrics")
    stripped = frictionless_check.without_keys(package_copy.root, resource)
    schema = json.loads((package_copy.root / resource["schema"]).read_text(encoding="utf-8"))
    assert "primaryKey" in schema and "foreignKeys" in schema
    assert stripped["schema"] == {key: value for key, value in schema.items()
                                  if key not in ("primaryKey", "foreignKeys")}
    assert stripped["name"] == "metrics" and stripped["path"] == resource["path"]


def test_unreadable_or_odd_schema_is_left_for_frictionless_to_report(package_copy):
    missing = {"name": "x", "path": "data/x.csv", "schema": "schemas/none.json"}
    assert frictionless_check.without_keys(package_copy.root, missing) is missing
    listed = {"name": "x", "path": "data/x.csv", "schema": ["not", "a", "schema"]}
    assert frictionless_check.without_keys(package_copy.root, listed) is listed
    inline = {"name": "x", "schema": {"fields": [], "primaryKey": ["id"]}}
    assert frictionless_check.without_keys(package_copy.root, inline)["schema"] == {"fields": []}


def test_package_with_no_resources_starts_no_second_process(package_copy):
    started = frictionless_check.start_frictionless(package_copy.root, {"resources": []})
    assert isinstance(started, frictionless_check.Finished) and started.result() == []


def test_package_level_errors_of_frictionless_come_back_with_their_message(monkeypatch):
    import frictionless

    class Report:
        tasks: list = []
        errors = [type("Error", (), {"message": "the package is broken"})()]

    class Package:
        def __init__(self, descriptor, basepath):
            pass

        def validate(self, limit_errors):
            return Report()

    monkeypatch.setattr(frictionless, "Package", Package)
    assert frictionless_check.frictionless_errors("/nowhere", {"resources": []}, 10) == [
        frictionless_check.FrictionlessError("", "package", 0, None, None, "", "the package is broken")]


def test_frictionless_never_reads_a_package_whose_rows_its_models_accept(package_copy, monkeypatch):
    asked = []
    monkeypatch.setattr(frictionless_check, "frictionless_errors", lambda *arguments: asked.append(arguments) or [])
    monkeypatch.setattr(frictionless_check, "start_frictionless", lambda *arguments: asked.append(arguments))
    assert validate_package(package_copy.root).valid
    assert asked == []


def test_rejected_rows_are_reported_at_their_own_lines_in_their_table(run_cli, package_copy):
    last = len(package_copy.rows("metrics")) - 1
    cells = [package_copy.set_cell("metrics", index, "value", f"many{index}") for index in (2, last)]
    cells.append(package_copy.set_cell("glossary", 4, "term_id", "G"))
    for cell, check in zip(cells, ("type-error", "type-error", "constraint-error")):
        line = assert_reported(run_cli, package_copy, cell, check)
        assert "many" in line or "'G'" in line


def test_a_hand_edited_schema_makes_frictionless_read_the_whole_table(package_copy, monkeypatch):
    schema = package_copy.root / "schemas" / "metrics.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"description": "', '"description": "Edited. ', 1),
                      encoding="utf-8")
    seen = []
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(frictionless_check, "frictionless_errors",
                        lambda root, descriptor, limit: seen.extend(r["path"] for r in descriptor["resources"]) or [])
    validate_package(package_copy.root)
    assert {"data/metrics.csv", "data/sources.csv", "data/glossary.csv"} <= set(seen)
