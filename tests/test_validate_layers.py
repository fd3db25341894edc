"""The file and descriptor layers of `jiceng validate` and its report: what each defect of
a descriptor, a schema file or a CSV file's shape is called and where, and how the report
counts, caps and orders problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Cell, assert_reported

import jiceng.validate.checks.frictionless as frictionless_check
from jiceng.validate import Report
from jiceng.validate.checks.files import header_message
from jiceng.validate.checks.schema_drift import first_difference_line


def lines_of(run_cli, copy) -> list[str]:
    return run_cli("validate", str(copy.root)).lines()


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")


# --- the report ---------------------------------------------------------------------------


def test_report_keeps_one_copy_of_a_problem_and_caps_each_check():
    report = Report(root=Path("."), display_root="pkg", max_per_check=2)
    for line in (1, 1, 2, 3):
        report.add("data/a.csv", line, 1, "type-error", "bad")
    report.add("data/a.csv", 9, 1, "foreign-key", "dangling")
    assert [(p.path, p.line, p.check) for p in report.problems] == [
        ("pkg/data/a.csv", 1, "type-error"), ("pkg/data/a.csv", 2, "type-error"), ("pkg/data/a.csv", 9, "foreign-key")]
    assert report.as_dict() == {
        "valid": False, "package": "pkg", "row_counts": {}, "problem_count": 4,
        "problems": [p.as_dict() for p in report.problems], "suppressed": {"type-error": 1},
        "checks": {"type-error": 3, "foreign-key": 1}, "warnings": [], "skipped": []}


def test_a_held_problem_is_dropped_where_any_problem_was_reported_shown_or_not():
    report = Report(root=Path("."), display_root="", max_per_check=1)
    report.add("data/a.csv", 1, 1, "type-error", "bad")
    report.add("data/a.csv", 2, 1, "type-error", "also bad")  # counted, not shown
    for line in (1, 2, 3):
        report.add_unless_placed("data/a.csv", line, 1, "row-model", f"field problem on line {line}")
    report.release_held()
    assert [(p.line, p.check) for p in report.problems] == [(1, "type-error"), (3, "row-model")]
    assert report.as_dict()["problem_count"] == 3


def test_report_without_problems_is_valid_and_names_the_current_package():
    report = Report(root=Path("."), display_root="")
    assert report.valid and report.display("data/a.csv") == "data/a.csv"
    assert report.as_dict()["package"] == "." and report.as_dict()["problem_count"] == 0
    assert Report(root=Path("."), display_root="a/./b").display("../c.csv") == "a/c.csv"


def test_first_difference_line_counts_from_one():
    assert first_difference_line("a\nb\nc", "a\nx\nc") == 2
    assert first_difference_line("a\nb", "a\nb\nc") == 3
    assert first_difference_line("x", "y") == 1


def test_header_message_names_missing_unknown_and_misordered_columns():
    assert header_message(["a", "c"], ["a", "b"]) == (
        "missing column(s) b; unknown column(s) 'c'. The header must be exactly: a,b")
    assert header_message(["b", "a"], ["a", "b"]) == "columns are in the wrong order. The header must be exactly: a,b"
    extra = ["a", "b", "c1", "c2", "c3", "c4", "c5", "c6", "c7"]
    assert header_message(extra, ["a", "b"]).startswith(
        "unknown column(s) 'c1', 'c2', 'c3', 'c4', 'c5' and 2 more. ")


def test_header_message_shows_five_unknown_columns_and_counts_the_sixth():
    five = ["c1", "c2", "c3", "c4", "c5"]
    assert header_message(five, []).startswith("unknown column(s) 'c1', 'c2', 'c3', 'c4', 'c5'. ")
    assert header_message([*five, "c6"], []).startswith(
        "unknown column(s) 'c1', 'c2', 'c3', 'c4', 'c5' and 1 more. ")


# --- descriptor and paths -------------------------------------------------------------------


@pytest.mark.parametrize("text", ['["resources"]', '{"name": "jiceng"}', '{"resources": {}}'])
def test_descriptor_without_a_resources_list_is_reported(run_cli, package_copy, text):
    (package_copy.root / "datapackage.json").write_text(text, encoding="utf-8")
    line = assert_reported(run_cli, package_copy, Cell("datapackage.json", 1, 1), "descriptor")
    assert line.endswith("must be a JSON object with a 'resources' list")


def test_resource_that_is_not_an_object_is_reported(run_cli, package_copy):
    path = package_copy.root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"].append("data/extra.csv")
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert f"{package_copy.root}/datapackage.json:1:1: [descriptor] every resource must be a JSON object" in \
        lines_of(run_cli, package_copy)


def test_schema_path_leaving_the_package_is_reported_with_its_resource(run_cli, package_copy):
    path = package_copy.root / "datapackage.json"
    rewrite(path, '"schema": "schemas/glossary.json"', '"schema": "../glossary.json"')
    text = path.read_text(encoding="utf-8").split("\n")
    line = next(i for i, item in enumerate(text, start=1) if "../glossary.json" in item)
    cell = Cell("datapackage.json", line, text[line - 1].index('"../glossary.json"') + 1)
    message = assert_reported(run_cli, package_copy, cell, "path-safety")
    assert message.endswith("resource 'glossary': schema '../glossary.json' climbs out of the package "
                            "('..' or backslash); use a path inside it")


# --- generated files --------------------------------------------------------------------------


def test_edited_schema_is_drift_at_its_first_changed_line(run_cli, package_copy):
    path = package_copy.root / "schemas" / "glossary.json"
    text = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, item in enumerate(text, start=1) if '"description"' in item)
    text[number - 1] = text[number - 1].replace('"description": "', '"description": "Edited. ', 1)
    path.write_text("\n".join(text), encoding="utf-8")
    line = assert_reported(run_cli, package_copy, Cell("schemas/glossary.json", number, 1), "schema-drift")
    assert line.endswith("differs from what the models generate; never edit it by hand — change "
                         "src/jiceng/models.py or a vocabulary, then run `jiceng schemas`")


def test_missing_schema_is_drift(run_cli, package_copy):
    (package_copy.root / "schemas" / "glossary.json").unlink()
    line = assert_reported(run_cli, package_copy, Cell("schemas/glossary.json", 1, 1), "schema-drift")
    assert line.endswith("missing or unreadable; run `jiceng schemas` to regenerate it")


def test_descriptor_of_another_version_is_not_drift(run_cli, package_copy):
    path = package_copy.root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    rewrite(path, f'  "version": "{descriptor["version"]}"', '  "version": "0.0.1"')
    assert "[schema-drift]" not in " ".join(lines_of(run_cli, package_copy))


# --- CSV shape ------------------------------------------------------------------------------------


def test_empty_table_file_is_reported(run_cli, package_copy):
    (package_copy.root / "data" / "glossary.csv").write_text("", encoding="utf-8")
    line = assert_reported(run_cli, package_copy, Cell("data/glossary.csv", 1, 1), "csv-structure")
    assert line.endswith("the file is empty; it needs at least a header row")


def test_table_with_a_header_and_no_rows_is_reported(run_cli, package_copy):
    path = package_copy.root / "data" / "glossary.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    line = assert_reported(run_cli, package_copy, Cell("data/glossary.csv", 1, 1), "csv-structure")
    assert line.endswith("the table has a header but no rows; a released table is never empty")


def test_blank_row_is_reported_at_its_line(run_cli, package_copy):
    path = package_copy.root / "data" / "glossary.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    blank = len(lines[0].split(",")) - 1
    path.write_text("\n".join(lines[:3] + ["," * blank] + lines[3:]), encoding="utf-8")
    line = assert_reported(run_cli, package_copy, Cell("data/glossary.csv", 4, 1), "csv-structure")
    assert line.endswith("blank row; delete the line (a row needs its ID and required fields)")


def test_row_with_too_many_cells_is_reported_where_the_extra_cell_starts(run_cli, package_copy):
    path = package_copy.root / "data" / "glossary.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    width = len(lines[0].split(","))
    lines[1] = lines[1] + ",extra"
    path.write_text("\n".join(lines), encoding="utf-8")
    column = len(lines[1]) - len("extra") + 1
    line = assert_reported(run_cli, package_copy, Cell("data/glossary.csv", 2, column), "csv-structure")
    assert line.endswith(f"row has {width + 1} cells but the header has {width}; "
                         "check for an unquoted comma or a missing cell")


def test_row_with_too_few_cells_is_reported_at_its_start(run_cli, package_copy):
    path = package_copy.root / "data" / "glossary.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = "g-short,短"
    path.write_text("\n".join(lines), encoding="utf-8")
    line = assert_reported(run_cli, package_copy, Cell("data/glossary.csv", 3, 1), "csv-structure")
    assert "row has 2 cells but the header has" in line


# --- the run ------------------------------------------------------------------------------------


def test_a_standard_check_process_that_dies_is_reported_not_raised(run_cli, package_copy, monkeypatch):
    class Died:
        def result(self):
            raise RuntimeError("killed")

    schema = package_copy.root / "schemas" / "glossary.json"  # hand-edited: Frictionless reads every table
    schema.write_text(schema.read_text(encoding="utf-8").replace('"description": "', '"description": "Edited. ', 1),
                      encoding="utf-8")
    monkeypatch.setattr(frictionless_check, "start_frictionless", lambda root, descriptor: Died())
    line = assert_reported(run_cli, package_copy, Cell("datapackage.json", 1, 1), "descriptor")
    assert line.endswith("the standard checks stopped: killed")


def test_problems_are_printed_by_file_line_and_column(run_cli, package_copy):
    package_copy.set_cell("metrics", 5, "value", "x")
    package_copy.set_cell("metrics", 2, "unit", "nope")
    package_copy.set_cell("glossary", 1, "term_id", "G")
    places = [line.split(": [")[0] for line in lines_of(run_cli, package_copy) if ": [" in line]
    keys = [(place.rsplit(":", 2)[0], int(place.rsplit(":", 2)[1]), int(place.rsplit(":", 2)[2])) for place in places]
    assert len(keys) >= 3 and keys == sorted(keys)
    assert [key[0].rsplit('/', 1)[1] for key in keys][0] == "glossary.csv"
