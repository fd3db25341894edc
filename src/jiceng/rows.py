"""Turn CSV records into pydantic rows, keeping each record's place in its file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bundle import package_root
from .csvfile import CsvTable, Record, TextFileError, parse_csv, read_utf8
from .models import TABLES, Row
from .vocab import Vocabularies


@dataclass
class RowRecord:
    """A CSV record with its cells by column name (empty cells as None)."""

    record: Record
    values: dict[str, Any]


def read_table(root: Path, name: str) -> tuple[CsvTable, list[RowRecord]]:
    """Read one table of the package at ``root``; raises TextFileError when unreadable."""
    model = TABLES[name]
    path = root / model.table.path
    table = parse_csv(path, read_utf8(path))
    header = table.header.cells
    rows = []
    for record in table.records:
        values = {column: (cell if cell != "" else None) for column, cell in zip(header, record.cells)}
        rows.append(RowRecord(record, values))
    return table, rows


def read_records(resource: str, root: Path | None = None) -> list[Row]:
    """Validated row objects of one table; a bad row raises with its line number."""
    name = resource.replace("-", "_")
    if name not in TABLES:
        raise ValueError(f"{resource!r} has no row model; tables: {', '.join(TABLES)}")
    root = root or package_root()
    context = {"vocabularies": Vocabularies(root)}
    try:
        _, rows = read_table(root, name)
    except TextFileError as error:
        raise ValueError(f"{TABLES[name].table.path}:{error.line}:{error.column}: {error.message}") from None
    model = TABLES[name]
    result = []
    for row in rows:
        try:
            result.append(model.model_validate(row.values, context=context))
        except Exception as error:
            raise ValueError(
                f"{model.table.path}:{row.record.start_line}: invalid row; run `jiceng validate` "
                f"for details ({error})"
            ) from None
    return result
