"""The one canonical CSV form of a table, and the one function that writes it.

Every command that writes a table (``fmt``, ``locate --write``, ``add-source``, ``draft``)
goes through :func:`write_table`, so a file written by any of them is byte-for-byte what
``jiceng fmt`` would write and ``jiceng validate`` accepts without a ``[format]`` problem.

The form, in words (CONTRIBUTING.md repeats it): UTF-8 without byte-order mark; LF line
ends, including after the last row; the header and cells in the column order of the
schema; a cell is quoted with ``"`` only when it holds a comma, a double quote or a line
break, and a ``"`` inside it is doubled. This is what Python's ``csv`` module writes with
``lineterminator="\\n"``.

Rows are filled generically from the model's columns, so a column added to a model later
is written empty until someone fills it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .csvfile import TextFileError, iter_cells, iter_records, row_of

BATCH = 1_000  # rows rendered and compared at a time: bounds memory on wide Chinese tables


def render(rows: Iterable[list[str]]) -> str:
    """Rows of cells (header first) as canonical CSV text."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename: all or nothing."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def cells_of(columns: list[str], row: Mapping[str, object]) -> list[str]:
    """A row (by column name) as cells in column order; missing or None cells empty."""
    cells = []
    for column in columns:
        value = row.get(column)
        if value is None:
            cells.append("")
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        elif isinstance(value, float) and value.is_integer():
            cells.append(str(int(value)))
        else:
            cells.append(str(value))
    return cells


def write_table(path: Path, columns: list[str], rows: Iterable[Mapping[str, object]]) -> None:
    """Write a whole table in canonical form, atomically."""
    atomic_write(path, render([columns, *(cells_of(columns, row) for row in rows)]))


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows (text cells by column name) of a CSV file that a command
    rewrites; an empty file has no header. Raises TextFileError when unreadable."""
    records = iter_records(path)
    first = next(records, None)
    header = first.cells if first else []
    return header, [row_of(header, record.cells, empty="") for record in records if record.cells]


class TableShapeError(Exception):
    """A table's header is not its schema's columns, so rewriting it would lose cells."""


def read_table_rows(path: Path, columns: list[str]) -> list[dict[str, str]]:
    """The rows of a table that a command is about to rewrite with rows added; refuses
    a table whose columns are not the schema's."""
    try:
        header, rows = read_rows(path)
    except TextFileError as error:
        raise TableShapeError(f"{path}: cannot be read ({error.message}); run `jiceng validate`") from None
    if header != columns:
        raise TableShapeError(f"{path}: its columns are not the schema's; run `jiceng validate` and fix the header "
                              "first")
    return rows


ID_NUMBER = re.compile(r"^(?P<stem>.+-[a-z])(?P<number>[0-9]+)$")


def next_free_numbers(ids: Iterable[str]) -> dict[str, int]:
    """For every ID stem (source ID and letter: ``…-1-m``), the next unused number."""
    highest: dict[str, int] = {}
    for row_id in ids:
        match = ID_NUMBER.match(row_id or "")
        if match:
            stem = match["stem"]
            highest[stem] = max(highest.get(stem, 0), int(match["number"]))
    return {stem: number + 1 for stem, number in highest.items()}


def new_id(source_id: str, letter: str, free: dict[str, int]) -> str:
    """The next free ID of a source and letter; ``free`` is updated."""
    stem = f"{source_id}-{letter}"
    number = free.get(stem, 1)
    free[stem] = number + 1
    return f"{stem}{number:03d}"


def first_difference(path: Path) -> tuple[int, int] | None:
    """(line, column) where a CSV file first differs from its canonical form, or None."""
    form = CanonicalForm(path)
    for cells in iter_cells(path):
        form.feed(cells)
    return form.finish()


# One cell of canonical CSV, in bytes: quoted when it holds a comma, a double quote (doubled)
# or a line feed, else plain (none of those, nor a CR). Possessive quantifiers: no backtracking;
# the quoted text as runs of one character class (``[^"]*+(?:""[^"]*+)*+``, twice as fast as
# an alternation repeated character by character).
_CELL = rb'(?:"[^",\n]*+(?:[,\n]|"")[^"]*+(?:""[^"]*+)*+"|[^,"\n\r]*+)'
CANONICAL_LINES = re.compile(rb"(?:%s(?:,%s)*+\n)*+" % (_CELL, _CELL))
SCAN_CHUNK = 1 << 20


def is_canonical(path: Path, chunk_size: int = SCAN_CHUNK) -> bool:
    """True when a file's bytes are canonical CSV throughout, by one scan in C: what
    :func:`render` would write back from what the csv module parses of them. False says
    only "not shown": a file with a record longer than a chunk is not shown canonical
    here, and :class:`CanonicalForm` compares it record by record to find where it differs."""
    with path.open("rb") as raw:
        if raw.read(len(BOM)) == BOM:
            return False
        raw.seek(0)
        rest = b""
        while chunk := raw.read(chunk_size):
            text = rest + chunk
            rest = text[CANONICAL_LINES.match(text).end():]
            if len(rest) > chunk_size:  # a non-canonical line stops the match for good
                return False
        return not rest  # the file ends with a whole canonical line


BOM = "\ufeff".encode()


class CanonicalForm:
    """Compares the records of a file, as they are parsed, with the file's own bytes.

    Records are fed in order (header first) by whoever parses the file, so the check
    costs no second parse: a batch of records is rendered at a time (in C) and compared
    with the same stretch of the file, which bounds memory on wide tables. The file is
    opened only for the moment of a comparison, so a pass that stops early leaks nothing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.batch: list[list[str]] = []
        self.offset = 0  # bytes of the file compared so far
        self.line = 1
        self.place: tuple[int, int] | None = None

    def feed(self, cells: list[str]) -> None:
        self.batch.append(cells)
        if len(self.batch) >= BATCH:
            self.compare()

    def compare(self) -> None:
        batch, self.batch = self.batch, []
        if self.place is not None or not batch:
            return
        expected = render(batch).encode("utf-8")
        with self.path.open("rb") as raw:
            raw.seek(self.offset)
            actual = raw.read(len(expected))
        if actual != expected:
            self.place = place_of_difference(actual.decode("utf-8", errors="replace"), expected.decode("utf-8"),
                                             self.line)
        self.offset += len(expected)
        self.line += expected.count(b"\n")

    def finish(self) -> tuple[int, int] | None:
        """The first difference, once every record has been fed (a file longer than its
        records differs where they end)."""
        self.compare()
        if self.place is None and self.path.stat().st_size > self.offset:
            self.place = self.line, 1
        return self.place


def place_of_difference(actual: str, expected: str, first_line: int) -> tuple[int, int]:
    index = next((i for i, (a, b) in enumerate(zip(actual, expected)) if a != b), min(len(actual), len(expected)))
    before = expected[:index]
    return first_line + before.count("\n"), index - (before.rfind("\n") + 1) + 1
