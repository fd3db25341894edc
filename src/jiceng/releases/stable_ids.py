"""The stable-ID check (``validate --against``, and the release gate): every ID of an
earlier version still exists, and while active still names the same thing.

The new package is streamed, one table at a time: per row only its ID is kept (to say
which IDs exist); the cells of the rows that break the rule are the only cells held."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..csvfile import RowStream, TextFileError
from .identity import rule_for
from .snapshot import RowDigest, Snapshot, TableSnapshot, package_tables

SUPERSEDED_BY = re.compile(r"superseded by[:\s]+([0-9A-Za-z][0-9A-Za-z-]*[0-9A-Za-z])", re.IGNORECASE)


@dataclass(frozen=True)
class StableIdBreak:
    """A broken stable-ID promise at a place in the new package."""

    path: str
    line: int
    column: int
    message: str


class ReleasedRows:
    """The released rows of one table, read in their order as the new table asks for them.

    Rows keep their order from one version to the next, so a released row is usually
    the next one read; only rows read ahead of the new table (reordered, or missing from
    it) are held, besides a hash of every released ID to tell new rows at once."""

    def __init__(self, table: TableSnapshot | None) -> None:
        self.ids = {hash(row_id) for row_id, _ in table.items()} if table else set()
        self.stream = table.items() if table else iter(())
        self.ahead: dict[str, tuple[int, RowDigest]] = {}
        self.read = 0

    def take(self, row_id: str) -> tuple[int, RowDigest] | None:
        """(position among the released rows, digest) of ``row_id``; None for a new row."""
        if hash(row_id) not in self.ids:
            return None
        if row_id in self.ahead:
            return self.ahead.pop(row_id)
        for found, row in self.stream:
            self.read += 1
            if found == row_id:
                return self.read, row
            self.ahead[found] = (self.read, row)
        return None

    def left(self) -> Iterator[tuple[int, str]]:
        """(position, ID) of every released row never taken: missing from the new table."""
        yield from ((position, row_id) for row_id, (position, _) in self.ahead.items())
        for row_id, _ in self.stream:
            self.read += 1
            yield self.read, row_id


def check_against(root: Path, old: Snapshot, label: str | None = None) -> list[StableIdBreak]:
    """Every ID of ``old`` must still exist; active rows must still name the same thing.

    Tables that cannot be read are skipped: ``jiceng validate`` reports them already, and
    it checks that a withdrawn row's replacement exists (``validate/checks/withdrawn.py``).
    Both versions are streamed side by side (:class:`ReleasedRows`); the IDs of the new
    package are kept as hashes, as ``jiceng.keys`` keeps them.
    """
    version = label or f"release {old.version}"
    breaks: list[StableIdBreak] = []
    for name, (path, key) in package_tables(root, vocabularies=False).items():
        released = ReleasedRows(old.tables.get(name))
        rule = rule_for(name)
        seen: set[int] = set()
        found: list[tuple[int, StableIdBreak]] = []
        try:
            stream = RowStream(root / path)
            if key not in stream.header:
                continue
            for record, row in stream:
                row_id = row[key]
                if row_id is None or hash(row_id) in seen:
                    continue
                seen.add(hash(row_id))
                taken = released.take(row_id)
                if row.get("status") == "withdrawn":
                    continue
                difference = taken and rule.difference(taken[1].identity, rule.identity(row))
                if difference:
                    column, reason = difference
                    line, position = stream.position(record, column)
                    found.append((taken[0], StableIdBreak(
                        path, line, position,
                        f"ID {row_id} now names a different thing than in {version} ({reason}); identity of "
                        f"{name}: {rule.text}. IDs are never reused: restore the released row (or withdraw it) "
                        "and give the new row a new ID")))
        except TextFileError:
            continue
        found += [(position, StableIdBreak(path, 1, 1, f"ID {row_id} of {version} is missing; IDs are never "
                                           "deleted, renamed or reused: restore the row and set its status to "
                                           "withdrawn (write 'superseded by NEW_ID' in its notes if another row "
                                           "replaces it)"))
                  for position, row_id in released.left()]
        breaks += [item for _, item in sorted(found, key=lambda pair: pair[0])]
    return breaks


def superseded_cells(row: dict[str, object]) -> list[tuple[str, str]]:
    """(column, ID) for each 'superseded by ID' a withdrawn row writes in a text cell."""
    return [(column, match[1]) for column, value in row.items() if isinstance(value, str)
            for match in SUPERSEDED_BY.finditer(value)]


def superseded_by(row: dict[str, object]) -> list[str]:
    """The IDs a withdrawn row names as its replacements ('superseded by ID' in any text cell)."""
    return [row_id for _, row_id in superseded_cells(row)]
