"""The tables a validation run reads: their names, models and columns, and a handle that
streams one table's records again whenever a check needs to place a problem.

Every table name of a run is spelled as ``registry.DATA_TABLES`` spells it, or ``vocabulary:<name>``
for a vocabulary file; ``model_of``, ``is_vocabulary`` and ``run_table_names`` are the
only places that know those spellings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..columns import COLUMNS
from ..csvfile import LineIndex, Record, iter_records
from ..registry import DATA_TABLES
from ..tablefile import CanonicalForm
from ..vocab import VOCABULARIES

if TYPE_CHECKING:
    from ..models import Row

VOCABULARY_PREFIX = "vocabulary:"


# The order the tables stream in. Tables referred to by later tables come first while they
# are small (sources, districts); big tables come after the tables that refer to them
# (numbers before metrics, metrics before initiatives), so that references wait in small
# sets (see checks/keys.py); the vocabularies come last.
ROW_ORDER = ("sources", "districts", "consistency_checks", "non_metric_numbers", "metrics",
             "initiatives", "annotations", "glossary")


def run_table_names(only: tuple[str, ...] | None = None) -> dict[str, str]:
    """Table name → relative path: the data tables (or those in ``only``), then every vocabulary."""
    paths = {name: table.path for name, table in DATA_TABLES.items() if only is None or name in only}
    paths.update({VOCABULARY_PREFIX + name: spec.path for name, spec in VOCABULARIES.items()})
    return paths


def in_streaming_order(tables: dict[str, Any]) -> dict[str, Any]:
    """The tables in ``ROW_ORDER``, then the vocabularies."""
    order = [name for name in ROW_ORDER if name in tables] + [name for name in tables if is_vocabulary(name)]
    return {name: tables[name] for name in order}


def is_vocabulary(name: str) -> bool:
    return name.startswith(VOCABULARY_PREFIX)


@cache  # asked once a row by the row models: the import statement below is not free
def model_of(name: str) -> type[Row]:
    """The pydantic model of a table's rows (imported here: the audit of a sound package
    streams no table and never needs one)."""
    from ..models import TABLES, vocabulary_model

    return vocabulary_model(name.removeprefix(VOCABULARY_PREFIX)) if is_vocabulary(name) else TABLES[name]


def primary_key(name: str) -> str:
    """The key column of a table; vocabulary tables are keyed by their code."""
    return "code" if is_vocabulary(name) else DATA_TABLES[name].primary_key


def expected_columns(name: str) -> list[str]:
    """The header a table's file must have (a data table's model says its CSV order)."""
    return list(model_of(name).model_fields) if is_vocabulary(name) else list(COLUMNS[name])


def column_types(name: str) -> dict[str, str]:
    """Column → 'integer', 'number', 'boolean', 'code' (patterned or vocabulary) or 'text'."""
    from ..tableschema import field_python_type

    kinds = {}
    for column, info in model_of(name).model_fields.items():
        python_type, _ = field_python_type(info)
        extra = info.json_schema_extra or {}
        constrained = any(getattr(item, "pattern", None) for item in info.metadata) or extra.get("vocabulary")
        kinds[column] = {int: "integer", float: "number", bool: "boolean"}.get(
            python_type, "code" if constrained else "text")
    return kinds


@dataclass
class TableStream:
    """A table that passed the file checks: where it is, its header, and how to stream it.

    Rows are never all held in memory: each pass streams the file again, and a problem's
    column is computed from the raw text of the one record it is in."""

    name: str
    relative: str
    path: Path
    header: list[str]
    header_end_line: int = 1
    sound: bool = True  # no blank or ragged record
    row_count: int = 0
    lines: LineIndex = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.path)

    form: CanonicalForm | None = None  # set when the run checks the canonical form

    def records(self, max_rows: int, check_form: bool = False) -> Iterator[tuple[int, Record]]:
        """(row number as frictionless counts it, record) for every data record; with
        ``check_form``, every record (header included) is also fed to ``form``."""
        form = self.form if check_form else None
        for number, record in enumerate(iter_records(self.path, max_rows, self.lines), start=1):
            if form is not None:
                form.feed(record.cells)
            if number > 1:
                yield number, record

    def rows(self, max_rows: int) -> Iterator[tuple[int, Record, dict[str, Any]]]:
        """Well-formed rows with cells by column name (empty cells as None)."""
        for number, record in self.records(max_rows):
            if self.is_row(record):
                yield number, record, self.values(record)

    def is_row(self, record: Record) -> bool:
        """Not blank, and as wide as the header."""
        return len(record.cells) == len(self.header) and any(record.cells)

    def values(self, record: Record) -> dict[str, Any]:
        """Cells by column name, empty cells as None."""
        return dict(zip(self.header, [cell or None for cell in record.cells]))

    def position(self, record: Record, column: str) -> tuple[int, int]:
        index = self.header.index(column) if column in self.header else 0
        return record.position(index)

    def cell(self, record: Record, column: str) -> str:
        return record.cells[self.header.index(column)] if column in self.header else ""
