"""The stable-ID check (``validate --against``, and the release gate): every ID of an
earlier version still exists, and while active still names the same thing.

The new package is streamed, one table at a time: per row only its ID is kept (to say
which IDs exist); the cells of the rows that break the rule, and of withdrawn rows that
name a replacement, are the only cells held."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..csvfile import Record, RowStream, TextFileError
from .identity import rule_for
from .snapshot import Snapshot, package_tables

SUPERSEDED_BY = re.compile(r"superseded by[:\s]+([0-9A-Za-z][0-9A-Za-z-]*[0-9A-Za-z])", re.IGNORECASE)


@dataclass(frozen=True)
class StableIdBreak:
    """A broken stable-ID promise at a place in the new package."""

    path: str
    line: int
    column: int
    message: str


@dataclass
class Replacement:
    """A withdrawn row's 'superseded by ID', checked once every ID of the package is known."""

    path: str
    line: int
    column: int
    row_id: str


def check_against(root: Path, old: Snapshot, label: str | None = None) -> list[StableIdBreak]:
    """Every ID of ``old`` must still exist; active rows must still name the same thing.

    Tables that cannot be read are skipped: ``jiceng validate`` reports them already.
    """
    version = label or f"release {old.version}"
    breaks: list[StableIdBreak] = []
    present_ids: set[str] = set()
    replacements: list[Replacement] = []
    for name, (path, key) in package_tables(root, vocabularies=False).items():
        old_rows = old.tables[name].rows if name in old.tables else {}
        rule = rule_for(name)
        seen: set[str] = set()
        changed: dict[str, StableIdBreak] = {}
        withdrawn: list[Replacement] = []
        try:
            stream = RowStream(root / path)
            if key not in stream.header:
                continue
            for record, row in stream:
                row_id = row[key]
                if row_id is None or row_id in seen:
                    continue
                seen.add(row_id)
                if row.get("status") == "withdrawn":
                    withdrawn += named_replacements(path, stream, record, row)
                    continue
                entry = old_rows.get(row_id)
                difference = entry and rule.difference(entry.identity, rule.identity(row))
                if difference:
                    column, reason = difference
                    line, position = stream.position(record, column)
                    changed[row_id] = StableIdBreak(
                        path, line, position,
                        f"ID {row_id} now names a different thing than in {version} ({reason}); identity of "
                        f"{name}: {rule.text}. IDs are never reused: restore the released row (or withdraw it) "
                        "and give the new row a new ID")
        except TextFileError:
            continue
        present_ids |= seen
        replacements += withdrawn
        for row_id in old_rows:
            if row_id not in seen:
                breaks.append(StableIdBreak(path, 1, 1, f"ID {row_id} of {version} is missing; IDs are never "
                                            "deleted, renamed or reused: restore the row and set its status to "
                                            "withdrawn (write 'superseded by NEW_ID' in its notes if another row "
                                            "replaces it)"))
            elif row_id in changed:
                breaks.append(changed[row_id])
    for item in replacements:
        if item.row_id not in present_ids:
            breaks.append(StableIdBreak(item.path, item.line, item.column,
                                        f"withdrawn row says it is superseded by {item.row_id}, which is no row "
                                        "of this package; name the ID of the row that replaces it"))
    return breaks


def named_replacements(path: str, stream: RowStream, record: Record, row: dict[str, str | None]) -> list[Replacement]:
    """The 'superseded by ID' of a withdrawn row, each at its cell."""
    found = []
    for column, value in row.items():
        for match in SUPERSEDED_BY.finditer(value or ""):
            line, position = stream.position(record, column)
            found.append(Replacement(path, line, position, match[1]))
    return found


def superseded_by(row: dict[str, object]) -> list[str]:
    """The IDs a withdrawn row names as its replacements ('superseded by ID' in any text cell)."""
    found: list[str] = []
    for value in row.values():
        if isinstance(value, str):
            found += [match[1] for match in SUPERSEDED_BY.finditer(value)]
    return found
