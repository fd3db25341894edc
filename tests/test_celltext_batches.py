"""Cell text is scanned a batch of records at a time, and a record is looked at on its own
only where the batch scan found something: a defect anywhere in a batch (its first or last
record, a record's first or last cell, a cell spanning lines) is still reported at its cell."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import jiceng.validate.runner
from jiceng.csvfile import Record
from jiceng.validate import validate_package
from jiceng.validate.checks.celltext import check_cell_text, suspect_rows

# Pieces of cells: plain text, and every kind of text the cell-text checks look for
PIECES = ["a", "中", "人", " ", "\t", "\n", "=", "+", "-", "@", "\u200b", "\u0000", "\ufeff", "\u0301",
          "e", "\u00e9", "６", "．", "1"]
# The first column is free text here (in the tables it is an ID), so that a defect in a
# record's first cell, which no newline of its own record precedes, is tried too
COLUMNS = ["name", "value", "code", "notes"]
KINDS = {"name": "text", "value": "integer", "code": "code", "notes": "text"}

cells = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)
records = st.lists(st.lists(cells, min_size=len(COLUMNS), max_size=len(COLUMNS)), min_size=1, max_size=6)


class Table:
    """Just what check_cell_text asks of a table: its path and a cell's place."""

    relative = "data/table.csv"

    def position(self, record: Record, column: str) -> tuple[int, int]:
        return record.start_line, COLUMNS.index(column) + 1


class Problems:
    def __init__(self) -> None:
        self.lines: list[int] = []

    def add(self, relative: str, line: int, column: int, check: object, message: str) -> None:
        self.lines.append(line)


@given(records)
@example([["  ", "", "", ""]])  # a blank first cell of the batch
@example([["a", "", " b", ""], ["\t", "", "", ""]])  # a blank first cell after a record the same scan found
def test_every_record_with_a_cell_text_problem_is_a_suspect_of_its_batch(rows):
    batch = [(number, Record(cells, number, number, text="")) for number, cells in enumerate(rows, start=2)]
    problems = Problems()
    for _, record in batch:
        check_cell_text(Table(), record, dict(zip(COLUMNS, [cell or None for cell in record.cells])), KINDS, problems)
    assert set(problems.lines) <= suspect_rows(batch)


def test_a_batch_of_clean_records_has_no_suspects():
    batch = [(2, Record(["r1", "12", "社区 党委", "notes\nover two lines"], 2, 3, text="")),
             (3, Record(["r2", "", "网格", "e\u0301".replace("e\u0301", "\u00e9")], 4, 4, text=""))]
    assert suspect_rows(batch) == set()


@pytest.mark.parametrize("size", [1, 2, 3])
def test_defects_at_batch_edges_are_reported_whatever_the_batch_size(package_copy, monkeypatch, size):
    rows = package_copy.rows("glossary")
    rows[0]["usage_note"] = "   "  # a blank cell in the first record of the first batch
    rows[1]["term_en"] = "\u200b" + rows[1]["term_en"]  # the first text cell of the next record
    rows[2]["definition_en"] = "=SUM(A1)"  # a formula
    rows[3]["usage_note"] = unicodedata.normalize("NFD", "café")  # not NFC, in a record's last cell
    rows[-1]["usage_note"] = "\ufeffnote"  # the last record of the last batch
    package_copy.write_rows("glossary", rows)
    expected = [package_copy.find("glossary", index, column) for index, column in
                [(0, "usage_note"), (1, "term_en"), (2, "definition_en"), (3, "usage_note"),
                 (len(rows) - 1, "usage_note")]]
    monkeypatch.setattr(jiceng.validate.runner, "BATCH", size)
    report = validate_package(package_copy.root)
    found = [(problem.line, problem.column) for problem in report.problems
             if problem.path.endswith("glossary.csv") and problem.check in ("cell-text", "injection")]
    assert found == [(cell.line, cell.column) for cell in expected]


def test_records_read_before_a_table_stops_are_still_checked(package_copy):
    rows = package_copy.rows("glossary")
    rows[1]["term_en"] = "\u200b" + rows[1]["term_en"]
    package_copy.write_rows("glossary", rows)
    defect = package_copy.find("glossary", 1, "term_en")
    report = validate_package(package_copy.root, max_rows=3)  # the table stops at its fourth row
    found = [(problem.check, problem.line, problem.column) for problem in report.problems
             if problem.path.endswith("glossary.csv")]
    assert ("cell-text", defect.line, defect.column) in found
    assert [check for check, _, _ in found].count("csv-structure") == 1
