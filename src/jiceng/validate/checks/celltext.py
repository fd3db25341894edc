"""Layer 1, cell text: text that looks right but is not: invisible characters, non-NFC
forms, full-width digits in numbers, cells that spreadsheet programs would run as formulas."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from typing import Any

from ...csvfile import Record
from ..check import Check
from ..report import ProblemType, Report
from ..streams import TableStream, column_types
from .frictionless import TYPE_ERROR

CELL_TEXT = ProblemType("cell-text", 1, "Invisible or unnormalised text",
                        "A cell holds an invisible character (NUL, zero-width space, bidirectional control...) "
                        "or text that is not NFC-normalised, which would silently break IDs and quotes.")
INJECTION = ProblemType("injection", 1, "Spreadsheet formula",
                        "A free-text cell starts with =, +, -, @ or a tab, which spreadsheet programs run as a "
                        "formula when the CSV is opened.")


INVISIBLE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


FULL_WIDTH_DIGITS = re.compile("[\uff10-\uff19\uff0e]")


BLANK_CELL = re.compile(r"(?:^|\n)[^\S\n]+(?:\n|$)")  # a cell of only spaces, in the cells joined by newlines


CONTEXT_COLUMNS = ("quote_prefix", "quote_suffix")  # a selector's context may be a space or a line break


FORMULA_START = re.compile(r'(?:^|[,\n])"?[=+\-@\t]')


FORMULA_PREFILTER = re.compile(r"\n[=+\-@\t]")  # a cell start, in the cells joined by newlines


# One character class for both kinds of suspect character: an alternation with the formula
# pattern would make the engine try every branch at every position (several times slower).
SUSPECT_CHARACTER = re.compile(f"[{INVISIBLE.pattern[1:-1]}{FULL_WIDTH_DIGITS.pattern[1:-1]}]")


class CellText(Check):
    problem_types = (CELL_TEXT, INJECTION)
    order = 10

    def start(self) -> None:
        self.kinds = {name: column_types(name) for name in self.run.tables}
        self.suspects: set[int] = set()

    def batch(self, table: TableStream, records: list[tuple[int, Record]]) -> None:
        self.suspects = suspect_rows(records)

    def cells(self, table: TableStream, number: int, record: Record, values: dict[str, Any]) -> None:
        if number in self.suspects:
            check_cell_text(table, record, values, self.kinds[table.name], self.report)


LEADING_SPACE = re.compile(r"\n[^\S\n]")  # a cell that starts with a space, as a blank cell does

# What ``check_cell_text`` looks for first, in a batch of records joined by newlines: each
# finds at least what the per-record prefilters find (a blank cell starts with a space;
# the batch's first cell, with no newline before it, is matched on its own).
BATCH_PATTERNS = (SUSPECT_CHARACTER, FORMULA_PREFILTER, LEADING_SPACE)


def suspect_rows(records: list[tuple[int, Record]]) -> set[int]:
    """Row numbers of the records whose cells ``check_cell_text`` must look at: all of a
    batch's cells are scanned as one string, and only the records where a pattern matched
    (or, for a batch that is not NFC, each record) are looked at one by one. A newline is a
    boundary that NFC never composes across, so the batch is NFC if and only if every record is."""
    joined = "\n".join(["\n".join(record.cells) for _, record in records])
    suspects: set[int] = {records[0][0]} if records and BLANK_CELL.match(joined) else set()
    ends: list[int] = []
    for pattern in BATCH_PATTERNS:
        found = pattern.search(joined)
        while found:
            if not ends:
                ends = record_ends(records)
            first, last = bisect_left(ends, found.start()), bisect_left(ends, found.end() - 1)
            suspects.update(number for number, _ in records[first:last + 1])
            found = pattern.search(joined, ends[last])  # the newline before the next record: its ^
    if not joined.isascii() and not unicodedata.is_normalized("NFC", joined):
        suspects.update(number for number, record in records
                        if not unicodedata.is_normalized("NFC", "\n".join(record.cells)))
    return suspects


def record_ends(records: list[tuple[int, Record]]) -> list[int]:
    """Offset of the newline after each record in the joined batch (the last: its length)."""
    ends, at = [], -1
    for _, record in records:
        at += 1 + sum(map(len, record.cells)) + max(len(record.cells) - 1, 0)
        ends.append(at)
    return ends


def check_cell_text(table: TableStream, record: Record, values: dict[str, Any], kinds: dict[str, str], report: Report) -> None:
    """Text that looks right but is not: invisible characters, non-NFC forms, full-width
    digits in numbers, spreadsheet formulas. Each test first runs on all the cells joined
    into one string (fast, in C) and only looks cell by cell where it found something."""
    raw = "\n".join(record.cells)
    # the prefilter does not look at the first cell: an ID or code, never free text
    clean = (not SUSPECT_CHARACTER.search(raw) and not FORMULA_PREFILTER.search(raw)
             and not BLANK_CELL.search(raw))
    if clean and (raw.isascii() or unicodedata.is_normalized("NFC", raw)):
        return

    def problem(column: str, check: ProblemType, message: str) -> None:
        line, col = table.position(record, column)
        report.add(table.relative, line, col, check, message)

    if INVISIBLE.search(raw):
        for column, value in values.items():
            found = INVISIBLE.search(value or "")
            if found and not INVISIBLE.sub("", value).strip():
                problem(column, CELL_TEXT, blank_message(column, f"invisible characters (U+{ord(found.group()):04X})"))
            elif found:
                problem(column, CELL_TEXT,
                        f"field {column!r} contains the invisible character U+{ord(found.group()):04X}; delete it")
    if BLANK_CELL.search(raw):
        for column, value in values.items():
            if (value and kinds[column] == "text" and column not in CONTEXT_COLUMNS and not value.strip()
                    and not INVISIBLE.search(value)):
                problem(column, CELL_TEXT, blank_message(column, "spaces"))
    if not raw.isascii() and not unicodedata.is_normalized("NFC", raw):
        for column, value in values.items():
            if value and not unicodedata.is_normalized("NFC", value):
                problem(column, CELL_TEXT,
                        f"field {column!r} is not NFC-normalised (it would not match the source text); "
                        "retype it or normalise with unicodedata.normalize('NFC', ...)")
    if FULL_WIDTH_DIGITS.search(raw):
        for column, value in values.items():
            if value and kinds[column] in ("integer", "number") and FULL_WIDTH_DIGITS.search(value):
                problem(column, TYPE_ERROR,
                        f"field {column!r}: {value!r} has full-width digits; write ASCII digits (64, not ６４)")
    if FORMULA_START.search(raw):
        for column, value in values.items():
            if value and kinds[column] == "text" and value[0] in "=+-@\t":
                problem(column, INJECTION,
                        f"field {column!r} starts with {value[0]!r}: spreadsheet programs would run it as a "
                        "formula; rephrase it so that it starts with a word")


def blank_message(column: str, what: str) -> str:
    """A cell that looks filled but holds nothing a reader can see: a required column would
    pass as filled in."""
    return (f"field {column!r} holds only {what}: it looks filled in but says nothing; write its text, "
            "or leave the cell empty where the column may be empty")
