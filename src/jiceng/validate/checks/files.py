"""Layers 0 and 1, the files: the descriptor is JSON whose paths are safe, and every table
and vocabulary file is UTF-8 CSV without BOM, LF line ends, the model's header, rows as
wide as the header, in the canonical form every jiceng command writes.

Before any row, this check reads the descriptor, checks each file's bytes and header, and
gives the runner the tables to stream (``Run.tables``); as the rows stream, it hears of
the records that are not rows (blank or ragged), and at each table's end it counts the
rows and checks the canonical form of a sound table."""

from __future__ import annotations

import json
from typing import Any

from ...bundle import DESCRIPTOR
from ...csvfile import Record, TextFileError, check_utf8_lines, iter_records, read_utf8
from ...pathsafety import unsafe_reason
from ...tablefile import CanonicalForm, is_canonical
from ..check import Check
from ..report import ProblemType
from ..streams import TableStream, expected_columns, in_streaming_order, is_vocabulary, run_table_names

FILE = ProblemType("file", 0, "File cannot be read",
                   "A file the descriptor names is missing, unreadable, or not valid UTF-8 text.")
ENCODING = ProblemType("encoding", 0, "Encoding or line ends",
                       "Tables and sources must be UTF-8 without a byte-order mark, with LF line ends.")
DESCRIPTOR_PROBLEM = ProblemType("descriptor", 1, "Invalid descriptor",
                                 "datapackage.json is not valid JSON or not a valid Data Package descriptor.")
PATH_SAFETY = ProblemType("path-safety", 1, "Unsafe resource path",
                          "A resource or schema path is absolute, climbs out of the package with '..', is a URL, "
                          "or is a symbolic link leading outside the package. Nothing is fetched from the network.")
CSV_STRUCTURE = ProblemType("csv-structure", 1, "Malformed CSV",
                            "A header or row is malformed: missing, extra, renamed or reordered columns, ragged rows, "
                            "unterminated quotes.")
FORMAT = ProblemType("format", 1, "Not in the canonical CSV form",
                     "A table is not written as every jiceng command writes it (quoting only where needed, LF "
                     "line ends, a final newline); `jiceng fmt` rewrites it.")

# csvfile.TextFileError names its kind by slug; these are the types it may name
TEXT_FILE_PROBLEMS = {problem_type.slug: problem_type for problem_type in (FILE, ENCODING, PATH_SAFETY, CSV_STRUCTURE)}


class Files(Check):
    problem_types = (FILE, ENCODING, DESCRIPTOR_PROBLEM, PATH_SAFETY, CSV_STRUCTURE, FORMAT)
    order = 0

    def start(self) -> None:
        descriptor = read_descriptor(self.run)
        if descriptor is None:
            self.run.tables = {}
            return
        self.run.descriptor = descriptor
        self.run.safe_resources = check_paths(self.run, descriptor)
        self.report.step("reading the tables (UTF-8, CSV structure)")
        tables = open_tables(self.run)
        self.report.row_counts = {name: 0 for name in tables if not is_vocabulary(name)}
        if self.run.only is None:  # the canonical form is validate's concern, not the audit's
            for table in tables.values():  # one scan shows most files canonical; the others are compared
                table.form = None if is_canonical(table.path) else CanonicalForm(table.path)
        self.run.tables = in_streaming_order(tables)
        self.report.step("reading the tables (UTF-8, CSV structure)", finished=True)

    def malformed(self, table: TableStream, number: int, record: Record) -> None:
        check_structure(table, record, self.report)

    def table_end(self, table: TableStream) -> None:
        if table.sound and table.form is not None:
            check_format(table, self.report)
        if not is_vocabulary(table.name):
            self.report.row_counts[table.name] = table.row_count
            if not table.row_count:
                self.report.add(table.relative, table.header_end_line, 1, CSV_STRUCTURE,
                                "the table has a header but no rows; a released table is never empty")


def add_text_file_error(run: Any, relative: str, error: TextFileError) -> None:
    run.report.add(relative, error.line, error.column, TEXT_FILE_PROBLEMS[error.check], error.message)


def read_descriptor(run: Any) -> dict[str, Any] | None:
    path = run.root / DESCRIPTOR
    try:
        text = read_utf8(path)
        descriptor = json.loads(text)
    except TextFileError as error:
        add_text_file_error(run, DESCRIPTOR, error)
        return None
    except json.JSONDecodeError as error:
        run.report.add(DESCRIPTOR, error.lineno, error.colno, DESCRIPTOR_PROBLEM,
                       f"not valid JSON: {error.msg}; regenerate it with `jiceng schemas`")
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        run.report.add(DESCRIPTOR, 1, 1, DESCRIPTOR_PROBLEM, "must be a JSON object with a 'resources' list")
        return None
    return descriptor


def line_of(text: str, needle: str) -> tuple[int, int]:
    """Line and column of the first occurrence of ``needle`` (1, 1 if absent)."""
    offset = text.find(needle)
    if offset < 0:
        return 1, 1
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def check_paths(run: Any, descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """Report unsafe resource and schema paths; return the resources that are safe to open."""
    text = (run.root / DESCRIPTOR).read_text(encoding="utf-8")
    safe_resources = []
    for resource in descriptor["resources"]:
        if not isinstance(resource, dict):
            run.report.add(DESCRIPTOR, 1, 1, DESCRIPTOR_PROBLEM, "every resource must be a JSON object")
            continue
        safe = True
        for key in ("path", "schema"):
            value = resource.get(key)
            if key == "schema" and isinstance(value, dict):
                continue
            reason = unsafe_reason(run.root, value)
            if reason:
                line, column = line_of(text, json.dumps(value, ensure_ascii=False))
                run.report.add(DESCRIPTOR, line, column, PATH_SAFETY,
                               f"resource {resource.get('name')!r}: {key} {value!r} {reason}")
                safe = False
        if safe:
            safe_resources.append(resource)
    return safe_resources


def open_tables(run: Any) -> dict[str, TableStream]:
    """Every table (or those the run is limited to) and vocabulary file is UTF-8 without
    BOM or CR, with the header of its model; its rows are checked as the runner streams them."""
    report = run.report
    tables = {}
    for name, relative in run_table_names(run.only).items():
        path = run.root / relative
        try:
            if path.is_symlink() and unsafe_reason(run.root, relative):
                raise TextFileError("is a symbolic link leading outside the package; replace it with the file", 1, 1,
                                    PATH_SAFETY.slug)
            check_utf8_lines(path)
            records = iter_records(path, report.max_rows)
            header = next(records, None)
            if header is None or not any(header.cells):
                raise TextFileError("the file is empty; it needs at least a header row", 1, 1, CSV_STRUCTURE.slug)
            expected = expected_columns(name)
            if header.cells != expected:
                raise TextFileError(header_message(header.cells, expected), header.start_line, 1, CSV_STRUCTURE.slug)
            records.close()
            tables[name] = TableStream(name, relative, path, expected, header_end_line=header.end_line)
        except TextFileError as error:
            add_text_file_error(run, relative, error)
    return tables


def check_format(table: TableStream, report: Any) -> None:
    """A sound table is in the canonical form that every jiceng command writes (its
    records were compared with its text as they streamed past)."""
    place = table.form.finish()
    if place is not None:
        command = f"jiceng fmt {report.display_root}".rstrip()
        report.add(table.relative, place[0], place[1], FORMAT,
                   f"not in the canonical CSV form from here on (quote a cell only when it holds a comma, "
                   f"a double quote or a line break; LF line ends; a final newline); run `{command}` to rewrite it")


def check_structure(table: TableStream, record: Record, report: Any) -> None:
    """A record that is not a row: blank, or not as wide as the header."""
    if not any(record.cells):
        table.sound = False
        report.add(table.relative, record.start_line, 1, CSV_STRUCTURE,
                   "blank row; delete the line (a row needs its ID and required fields)")
        return
    width = len(table.header)
    if len(record.cells) != width:
        table.sound = False
        line, column = record.position(min(len(record.cells), width))
        report.add(table.relative, line, column if len(record.cells) > width else 1, CSV_STRUCTURE,
                   f"row has {len(record.cells)} cells but the header has {width}; "
                   "check for an unquoted comma or a missing cell")


def header_message(header: list[str], expected: list[str]) -> str:
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    parts = []
    if missing:
        parts.append(f"missing column(s) {', '.join(missing)}")
    if extra:
        shown = ", ".join(repr(c) for c in extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        parts.append(f"unknown column(s) {shown}")
    if not parts:
        parts.append("columns are in the wrong order")
    return "; ".join(parts) + f". The header must be exactly: {','.join(expected)}"
