"""`jiceng diff` on cells that start or end empty: filling an empty cell, emptying a full
one and a value that differs only in whitespace are all changes, shown old → new."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PackageCopy, copy_package


@pytest.fixture
def versions(tmp_path: Path) -> tuple[PackageCopy, PackageCopy]:
    return PackageCopy(copy_package(tmp_path / "old")), PackageCopy(copy_package(tmp_path / "new"))


def changed_rows(run_cli, old: PackageCopy, new: PackageCopy, table: str) -> list[dict]:
    outcome = run_cli("diff", str(old.root), str(new.root), "--format", "json")
    assert outcome.exit_code == 0, outcome.err
    return json.loads(outcome.out)["tables"][table]["changed"]


def set_cell(copy: PackageCopy, table: str, index: int, column: str, value: str) -> str:
    rows = copy.rows(table)
    rows[index][column] = value
    copy.write_rows(table, rows)
    return rows[index][next(iter(rows[index]))]


def test_filling_an_empty_cell_is_a_change_from_nothing(run_cli, versions):
    old, new = versions
    index = next(i for i, row in enumerate(old.rows("metrics")) if not row["notes"])
    row_id = set_cell(new, "metrics", index, "notes", "Checked against the printed page.")
    assert changed_rows(run_cli, old, new, "metrics") == [
        {"id": row_id, "changes": {"notes": {"old": None, "new": "Checked against the printed page."}}}
    ]


def test_emptying_a_cell_is_a_change_to_nothing(run_cli, versions):
    old, new = versions
    index = next(i for i, row in enumerate(old.rows("metrics")) if row["notes"])
    before = old.rows("metrics")[index]["notes"]
    row_id = set_cell(new, "metrics", index, "notes", "")
    assert changed_rows(run_cli, old, new, "metrics") == [
        {"id": row_id, "changes": {"notes": {"old": before, "new": None}}}
    ]


def test_filling_an_empty_cell_is_shown_from_the_empty_sign_in_text(run_cli, versions):
    old, new = versions
    index = next(i for i, row in enumerate(old.rows("initiatives")) if not row["notes"])
    row_id = set_cell(new, "initiatives", index, "notes", "new note")
    outcome = run_cli("diff", str(old.root), str(new.root))
    assert "initiatives: 1 changed" in outcome.lines()
    assert f"  changed    {row_id}" in outcome.out
    assert '             notes: ∅ → "new note"' in outcome.lines()


def test_a_value_differing_only_by_a_trailing_space_is_a_change(run_cli, versions):
    old, new = versions
    before = old.rows("glossary")[0]["term_en"]
    row_id = set_cell(new, "glossary", 0, "term_en", before + " ")
    assert changed_rows(run_cli, old, new, "glossary") == [
        {"id": row_id, "changes": {"term_en": {"old": before, "new": before + " "}}}
    ]


def test_identical_packages_have_no_changes(run_cli, versions):
    old, new = versions
    outcome = run_cli("diff", str(old.root), str(new.root), "--format", "json")
    report = json.loads(outcome.out)
    assert report["summary"] == {"added": 0, "withdrawn": 0, "changed": 0, "removed": 0}
