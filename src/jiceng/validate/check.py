"""What a check is: a unit that declares the problem types it reports and hears of the
package as the runner streams it (``start``, each row, each table's end, ``end``).

Modelled on frictionless-py's ``Check`` (``validate_start`` / ``validate_row`` /
``validate_end``). A check keeps its own state; the few facts that several checks need
(where each source is, which rows were valid) live on the ``Run`` they all share.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ..csvfile import Record
from .report import ProblemType, Report
from .streams import TableStream, primary_key


@dataclass
class Run:
    """One validation run: its inputs, its report, and the facts checks share.

    ``sources`` (source ID → its place) is filled by the provenance check, ``valid`` and
    ``invalid`` (row counts by table) and ``unaudited`` (source ID → why its numbers
    cannot be accounted for) by the checks that find those rows wanting, ``drifted``
    (the schema files and descriptor that differ from what the models generate) by the
    schema drift check."""

    root: Path
    report: Report
    only: tuple[str, ...] | None = None
    against: tuple[str, ...] = ()
    descriptor: dict[str, Any] | None = None
    safe_resources: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, TableStream] = field(default_factory=dict)
    vocabularies: Any = None
    sources: dict[str, Any] = field(default_factory=dict)
    valid: Counter = field(default_factory=Counter)
    invalid: Counter = field(default_factory=Counter)
    unaudited: dict[str, str] = field(default_factory=dict)
    drifted: set[str] = field(default_factory=set)

    @property
    def whole_package(self) -> bool:
        """Every table is checked (``jiceng audit`` reads a few only)."""
        return self.only is None

    def add(self, table: TableStream, record: Record, column: str, problem_type: ProblemType, message: str) -> None:
        """Report a problem at a cell of a streamed record, naming the record's row ID (what a
        curator searches for) unless the message names it already."""
        line, col = table.position(record, column)
        self.report.add(table.relative, line, col, problem_type, row_named(table, record, message))

    def drop(self, table: TableStream, error: Any) -> None:
        """A table that cannot be read to its end (malformed CSV, too many rows): reported
        where the reading stopped; later checks skip it, as if it were missing."""
        self.report.add(table.relative, error.line, error.column, error.check, error.message)
        del self.tables[table.name]
        self.report.row_counts.pop(table.name, None)

    def add_at_rows(self, table: TableStream | None, problems: dict[int, list[tuple[str, ProblemType, str]]]) -> None:
        """Report (column, type, message) problems found after a table streamed past, by
        row number: the table is read again, up to the last row named."""
        if table is None or not problems:
            return
        last = max(problems)
        for number, record in table.records(self.report.max_rows):
            for column, problem_type, message in problems.get(number, ()):
                self.add(table, record, column, problem_type, message)
            if number >= last:
                break


def row_named(table: TableStream, record: Record, message: str) -> str:
    """The message with the record's row ID in front (what a curator searches for), unless
    it names the row already."""
    row_id = table.cell(record, primary_key(table.name)) if table.is_row(record) else ""
    return f"row {row_id}: {message}" if row_id and row_id not in message else message


class Check:
    """A check of ``jiceng validate``; subclasses override the hooks they need.

    ``order`` places the check in the run (problems at one place keep this order);
    ``tables`` names the tables whose rows it hears of (None: every table);
    ``whole_package`` checks are skipped by ``jiceng audit``, which reads a few tables;
    ``final`` checks end after the others have (they collect work done elsewhere)."""

    problem_types: ClassVar[tuple[ProblemType, ...]] = ()
    order: ClassVar[int] = 50
    tables: ClassVar[tuple[str, ...] | None] = None
    whole_package: ClassVar[bool] = False
    final: ClassVar[bool] = False

    def __init__(self, run: Run) -> None:
        self.run = run
        self.report = run.report

    def start(self) -> None:
        """Before any row: read what the check needs of the package."""

    def batch(self, table: TableStream, records: list[tuple[int, Record]]) -> None:
        """The next records of a table, (row number, record), before any of them is heard
        of one by one: work done once for many rows (a scan in C) instead of once a row."""

    def malformed(self, table: TableStream, number: int, record: Record) -> None:
        """Every record that is not a row: blank, or not as wide as the header."""

    def cells(self, table: TableStream, number: int, record: Record, values: dict[str, Any]) -> None:
        """Every well-formed row, before its model: cells by column, empty cells as None."""

    def row(self, table: TableStream, number: int, record: Record, row: Any) -> None:
        """Every row its pydantic model accepts."""

    def rejected(self, table: TableStream, number: int, record: Record) -> None:
        """Every row its pydantic model rejects (its problems already reported)."""

    def table_end(self, table: TableStream) -> None:
        """A table has streamed past."""

    def end(self) -> None:
        """Every table has streamed past: checks across rows and tables."""
