"""Read CSV tables while remembering where every record sits in the file.

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
from dataclasses import dataclass
from pathlib import Path

csv.field_size_limit(2**31 - 1)

BOM = "\ufeff"


class TextFileError(Exception):
    """A file cannot be read as UTF-8 text; carries the place of the first bad byte."""

    def __init__(self, message: str, line: int = 1, column: int = 1, check: str = "file") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.check = check


def read_utf8(path: Path) -> str:
    """Decode a file as strict UTF-8, reporting the line and column of any bad byte."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TextFileError(f"file not found: {path.name}; restore it or fix the path that names it") from None
    except OSError as error:
        raise TextFileError(f"cannot read file: {error.strerror}") from None
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


@dataclass
class CsvTable:
    path: Path
    text: str
    header: Record
    records: list[Record]

    def cell_position(self, record: Record, index: int) -> tuple[int, int]:
        """Physical (line, column) of cell ``index`` of a record, both 1-based."""
        lines = self.text.split("\n")[record.start_line - 1 : record.end_line]
        return Record(record.cells, record.start_line, record.end_line, "\n".join(lines)).position(index)


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


def parse_csv(path: Path, text: str, max_rows: int = DEFAULT_MAX_ROWS) -> CsvTable:
    """Parse CSV text; raises TextFileError with a position on malformed input.

    Blank lines are kept as records without cells so that they can be reported. Reading
    stops with an error past ``max_rows`` data rows, which bounds time and memory on a
    runaway file.
    """
    if not text.strip():
        raise TextFileError("the file is empty; it needs at least a header row", 1, 1, "csv-structure")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[Record] = []
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            records.append(Record(cells, start, reader.line_num))
            if len(records) > max_rows + 1:
                raise TextFileError(
                    f"more than {max_rows:,} rows; the validator stops here to bound its time and memory "
                    "(raise the limit with --max-rows if the table is really this large)",
                    start, 1, "csv-structure")
    except csv.Error as error:
        line = previous_end + 1
        raise TextFileError(
            f"malformed CSV from this line on ({error}); check for an unterminated or stray "
            'double quote (write a literal " as "")',
            line,
            1,
            "csv-structure",
        ) from None
    return CsvTable(path=path, text=text, header=records[0], records=records[1:])


BOM_BYTES = b"\xef\xbb\xbf"


def check_utf8_lines(path: Path) -> None:
    """A file is UTF-8 without byte-order mark or CR line ends: checked a MiB at a time
    (in C); only a file with a problem is scanned line by line to say where it is.

    Raises TextFileError at the first bad byte's line and column."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise TextFileError(f"file not found: {path.name}; restore it or fix the path that names it") from None
    except OSError as error:
        raise TextFileError(f"cannot read file: {error.strerror}") from None
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


def iter_records(path: Path, max_rows: int = DEFAULT_MAX_ROWS, source: LineIndex | None = None):
    """Stream the records of a UTF-8 CSV file (header first), parsed by the csv module
    straight from the file; each record can read back its raw text through ``source``.

    Blank lines come through as records without cells. Raises TextFileError on malformed
    CSV and past ``max_rows`` data rows, which bounds time and memory on a runaway file."""
    source = source or LineIndex(path)
    with path.open(encoding="utf-8", newline="") as handle:
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
