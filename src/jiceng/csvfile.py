"""The one CSV reader: stream a table's records, remembering where each sits in the file.

Everything that reads a table (validate, locate, releases, diff, records, source texts,
vocabularies, counts, ``fmt``) goes through :func:`iter_records` or :class:`RowStream`,
so the row cap, the ``csv.Error`` message and the "empty cell → None" rule live here once.
The standard ``csv`` module parses (quickly, in C); we keep each record's physical
start line so that a problem can be reported as ``path:line:column`` even when a quoted
cell spans several lines. Columns are character positions in the line, computed only
for the cells that a problem points at.
"""

from __future__ import annotations

import codecs
import csv
import io
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

csv.field_size_limit(2**31 - 1)


class TextFileError(Exception):
    """A file cannot be read as UTF-8 text; carries the place of the first bad byte."""

    def __init__(self, message: str, line: int = 1, column: int = 1, check: str = "file") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.check = check


class EmptyFileError(TextFileError):
    """A table file without even a header row."""

    def __init__(self) -> None:
        super().__init__("the file is empty; it needs at least a header row", 1, 1, "csv-structure")


def open_binary(path: Path) -> BinaryIO:
    """Open a file for reading; a missing or unreadable file raises TextFileError."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise TextFileError(f"file not found: {path.name}; restore it or fix the path that names it") from None
    except OSError as error:
        raise TextFileError(f"cannot read file: {error.strerror}") from None


def read_utf8(path: Path) -> str:
    """Decode a file as strict UTF-8, reporting the line and column of any bad byte."""
    with open_binary(path) as handle:
        data = handle.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
        raise TextFileError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8 "
            "(it may be GBK/GB18030 or Latin-1)",
            line,
            column,
            "encoding",
        ) from None


class LineIndex:
    """Where each line of a file starts, in bytes, found on first use: a streamed record's
    raw text is read back only when a problem has to be placed in it, so that reading a
    table costs no Python work per line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.starts: array | None = None

    def lines(self, first: int, last: int) -> str:
        """The text of physical lines ``first`` to ``last`` (1-based, inclusive)."""
        if self.starts is None:
            self.starts = array("q", [0])
            with self.path.open("rb") as handle:
                for line in handle:
                    self.starts.append(self.starts[-1] + len(line))
        with self.path.open("rb") as handle:
            handle.seek(self.starts[first - 1])
            end = self.starts[last] if last < len(self.starts) else self.starts[-1]
            return handle.read(end - self.starts[first - 1]).decode("utf-8", errors="replace")


@dataclass
class Record:
    """One CSV record: its cells and the physical lines it occupies (1-based). Its raw
    text, from which a cell's column is computed, is given or read back from ``source``."""

    cells: list[str]
    start_line: int
    end_line: int
    text: str | None = None
    source: LineIndex | None = None

    @property
    def raw(self) -> str:
        if self.text is None:
            self.text = self.source.lines(self.start_line, self.end_line) if self.source else ""
        return self.text

    def position(self, index: int) -> tuple[int, int]:
        """Physical (line, column) of cell ``index``, both 1-based."""
        chunk = self.raw.rstrip("\n")
        offset = cell_offset(chunk, index)
        line = self.start_line + chunk.count("\n", 0, offset)
        column = offset - (chunk.rfind("\n", 0, offset) + 1) + 1
        return line, column


def cell_offset(chunk: str, index: int) -> int:
    """Offset of the start of cell ``index`` in the text of one record."""
    cell = 0
    quoted = False
    position = 0
    at_cell_start = True
    while position < len(chunk):
        if cell == index:
            return position
        char = chunk[position]
        if at_cell_start and char == '"':
            quoted = True
        elif quoted and char == '"':
            if chunk[position + 1 : position + 2] == '"':
                position += 1
            else:
                quoted = False
        elif not quoted and char == ",":
            cell += 1
            at_cell_start = True
            position += 1
            continue
        at_cell_start = False
        position += 1
    return position if cell == index else len(chunk)


DEFAULT_MAX_ROWS = 1_000_000


BOM_BYTES = b"\xef\xbb\xbf"


def check_utf8_lines(path: Path) -> None:
    """A file is UTF-8 without byte-order mark or CR line ends: checked a MiB at a time
    (in C); only a file with a problem is scanned line by line to say where it is.

    Raises TextFileError at the first bad byte's line and column."""
    handle = open_binary(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    with handle:
        chunk = handle.read(CHUNK)
        try:
            if chunk.startswith(BOM_BYTES):
                raise ValueError
            while chunk:
                if b"\r" in chunk:
                    raise ValueError
                decoder.decode(chunk)
                chunk = handle.read(CHUNK)
            decoder.decode(b"", final=True)
        except ValueError:  # UnicodeDecodeError is one
            locate_text_error(path)


CHUNK = 1 << 20


def locate_text_error(path: Path) -> None:
    """Scan a file line by line and raise TextFileError at its first bad byte."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1 and line.startswith(BOM_BYTES):
                raise TextFileError("starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", 1, 1, "encoding")
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as error:
                column = len(line[: error.start].decode("utf-8", errors="replace")) + 1
                raise TextFileError(
                    f"not valid UTF-8 (byte 0x{line[error.start]:02x}); save the file as UTF-8 "
                    "(it may be GBK/GB18030 or Latin-1)", number, column, "encoding") from None
            if "\r" in text:
                raise TextFileError("has CR (Windows or old Mac) line ends; save it with LF line ends",
                                    number, text.index("\r") + 1, "encoding")
    raise TextFileError("not valid UTF-8 (it ends inside a character); save the file as UTF-8",
                        number, len(line) + 1, "encoding")


def iter_records(path: Path, max_rows: int = DEFAULT_MAX_ROWS, source: LineIndex | None = None) -> Iterator[Record]:
    """Stream the records of a UTF-8 CSV file (header first), parsed by the csv module
    straight from the file; each record can read back its raw text through ``source``.

    Blank lines come through as records without cells. Raises TextFileError on malformed
    CSV and past ``max_rows`` data rows, which bounds time and memory on a runaway file."""
    source = source or LineIndex(path)
    # utf-8-sig: a byte-order mark is not part of the first column's name (validate
    # reports it on its own, before reading records)
    with io.TextIOWrapper(open_binary(path), encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        previous_end = 0
        count = 0
        try:
            for cells in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                count += 1
                if count > max_rows + 1:
                    raise TextFileError(
                        f"more than {max_rows:,} rows; the validator stops here to bound its time and memory "
                        "(raise the limit with --max-rows if the table is really this large)",
                        start, 1, "csv-structure")
                yield Record(cells, start, previous_end, source=source)
        except csv.Error as error:
            raise TextFileError(
                f"malformed CSV from this line on ({error}); check for an unterminated or stray "
                'double quote (write a literal " as "")',
                previous_end + 1, 1, "csv-structure") from None
        except UnicodeDecodeError:
            read_utf8(path)  # raises with the bad byte's line and column
            raise


def iter_cells(path: Path) -> Iterator[list[str]]:
    """The cells of every record, nothing else: for a pass that needs no places (in C)."""
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.reader(handle, strict=True)


def row_of(header: list[str], cells: list[str], empty: str | None = None) -> dict[str, str | None]:
    """A record's cells by column name: empty and missing cells are ``empty`` (None for
    readers, "" for a command that writes the row back), extra cells dropped."""
    return {column: (cells[index] or empty) if index < len(cells) else empty
            for index, column in enumerate(header)}


class RowStream:
    """The data rows of a CSV file, streamed as (record, cells by column name).

    The header is read on construction (an empty file raises TextFileError); blank
    lines are skipped, as ``csv.DictReader`` skips them."""

    def __init__(self, path: Path, max_rows: int = DEFAULT_MAX_ROWS, source: LineIndex | None = None) -> None:
        self.path = path
        self._records = iter_records(path, max_rows, source)
        first = next(self._records, None)
        if first is None or not any(first.cells):
            raise EmptyFileError
        self.header: list[str] = first.cells

    def __iter__(self) -> Iterator[tuple[Record, dict[str, str | None]]]:
        header = self.header
        for record in self._records:
            if record.cells:
                yield record, row_of(header, record.cells)

    def position(self, record: Record, column: str) -> tuple[int, int]:
        """(line, column) of a named cell of a record; the record's first cell when the
        header has no such column."""
        return record.position(self.header.index(column) if column in self.header else 0)
