"""``jiceng validate``: check a copy of the data package, layer by layer.

Layers (see ``problems.CHECKS`` for every check):

0. files: every table and source file is readable UTF-8 without BOM, with LF line ends;
1. standard: the descriptor's paths are safe and its schemas match the models; then
   frictionless checks types and constraints, in a second process, while this one checks
   primary and foreign keys (``keys.py``: frictionless would hold every key in memory);
2. models: every row against its pydantic model, including cross-field rules;
3. provenance: source files have their recorded sha256, essays sit where recorded,
   every quote is found at its offsets inside its own source.

Every problem is reported at ``path:line:column`` of the file to edit. Inputs are only
ever read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .audit import audit_documents, check_value_text, line_and_column, metric_spans
from .bundle import DESCRIPTOR
from .csvfile import DEFAULT_MAX_ROWS, LineIndex, Record, TextFileError, check_utf8_lines, iter_records, read_utf8
from .keys import Keys, key_hash, primary_key
from .models import TABLES, Quoted
from .problems import Problem
from .vocab import VOCABULARIES, Vocabularies

DEFAULT_MAX_PER_CHECK = 200

FRICTIONLESS_CHECKS = {
    "type-error": "type-error",
    "constraint-error": "constraint-error",
    "primary-key": "primary-key",
    "unique-error": "primary-key",
    "foreign-key": "foreign-key",
    "blank-row": "csv-structure",
    "extra-cell": "csv-structure",
    "missing-cell": "csv-structure",
    "extra-label": "csv-structure",
    "missing-label": "csv-structure",
    "incorrect-label": "csv-structure",
    "duplicate-label": "csv-structure",
    "blank-label": "csv-structure",
    "encoding-error": "encoding",
}


@dataclass
class Report:
    """What a validation run found."""

    root: Path
    display_root: str
    problems: list[Problem] = field(default_factory=list)
    suppressed: Counter = field(default_factory=Counter)
    row_counts: dict[str, int] = field(default_factory=dict)
    max_per_check: int = DEFAULT_MAX_PER_CHECK
    max_rows: int = DEFAULT_MAX_ROWS
    audit_summary: dict[str, Any] = field(default_factory=dict)
    consistency: list[tuple[str, bool, str, str | None]] = field(default_factory=list)
    _per_check: Counter = field(default_factory=Counter)
    _seen: set = field(default_factory=set)

    @property
    def valid(self) -> bool:
        return not self.problems

    def display(self, relative: str) -> str:
        return os.path.normpath(os.path.join(self.display_root, relative)) if self.display_root else relative

    def add(self, relative: str, line: int, column: int, check: str, message: str) -> None:
        key = (relative, line, column, check, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self._per_check[check] += 1
        if self._per_check[check] > self.max_per_check:
            self.suppressed[check] += 1
            return
        self.problems.append(Problem(self.display(relative), line, column, check, message))

    def has_problem_at(self, relative: str, line: int, column: int) -> bool:
        path = self.display(relative)
        return any(p.path == path and p.line == line and p.column == column for p in self.problems)

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "package": self.display_root or ".",
            "row_counts": self.row_counts,
            "problem_count": len(self.problems) + sum(self.suppressed.values()),
            "problems": [problem.as_dict() for problem in self.problems],
            "suppressed": dict(self.suppressed),
            "checks": dict(self._per_check),
        }


@dataclass
class LoadedTable:
    """A table that passed the file checks: where it is, its header, and how to stream it.

    Rows are never all held in memory: each pass streams the file again, and a problem's
    column is computed from the raw text of the one record it is in."""

    name: str
    relative: str
    path: Path
    header: list[str]
    sound: bool = True
    row_count: int = 0
    lines: LineIndex = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.path)

    def records(self, max_rows: int) -> Iterator[tuple[int, Record]]:
        """(row number as frictionless counts it, record) for every data record."""
        for number, record in enumerate(iter_records(self.path, max_rows, self.lines), start=1):
            if number > 1:
                yield number, record

    def rows(self, max_rows: int) -> Iterator[tuple[int, Record, dict[str, Any]]]:
        """Well-formed rows with cells by column name (empty cells as None)."""
        width = len(self.header)
        for number, record in self.records(max_rows):
            if len(record.cells) == width and any(record.cells):
                yield number, record, {c: (v if v != "" else None) for c, v in zip(self.header, record.cells)}

    def position(self, record: Record, column: str) -> tuple[int, int]:
        index = self.header.index(column) if column in self.header else 0
        return record.position(index)


AUDIT_TABLES = ("sources", "metrics", "non_metric_numbers", "consistency_checks")


def validate_package(
    root: Path, display_root: str = "", max_per_check: int = DEFAULT_MAX_PER_CHECK, max_rows: int = DEFAULT_MAX_ROWS,
    only: tuple[str, ...] | None = None,
) -> Report:
    """Validate the data package in directory ``root`` (never modifies it).

    ``only`` restricts the run to some tables (and the vocabularies), without the standard
    layer: ``jiceng audit`` reads just ``AUDIT_TABLES``, which is all the audit needs."""
    report = Report(root=root, display_root=display_root, max_per_check=max_per_check, max_rows=max_rows)
    descriptor = read_descriptor(root, report)
    if descriptor is None:
        return report
    safe_resources = check_paths(root, descriptor, report)
    tables = read_tables(root, report, only)
    if only is None:
        check_schema_drift(root, report)
        sound_paths = {table.relative for table in tables.values() if table.sound}
        resources = [without_keys(root, item) for item in safe_resources if item.get("path") in sound_paths]
        standard = start_frictionless(root, {**descriptor, "resources": resources}, report)
    else:
        standard = Finished([])
    deferred = check_rows(root, tables, Vocabularies(root), report)
    try:
        errors = standard.result()
    except Exception as error:  # the worker process died (killed, out of memory...)
        errors = [StandardError("", "package", 0, None, None, "", f"the standard checks stopped: {error}")]
    add_frictionless_errors(errors, tables, report)
    for relative, line, column, message in deferred:
        if not report.has_problem_at(relative, line, column):
            report.add(relative, line, column, "row-model", message)
    report.problems.sort(key=lambda problem: (problem.path, problem.line, problem.column))
    return report


# -- layer 0 and 1: descriptor and files ----------------------------------------------


def read_descriptor(root: Path, report: Report) -> dict[str, Any] | None:
    path = root / DESCRIPTOR
    try:
        text = read_utf8(path)
        descriptor = json.loads(text)
    except TextFileError as error:
        report.add(DESCRIPTOR, error.line, error.column, error.check, error.message)
        return None
    except json.JSONDecodeError as error:
        report.add(DESCRIPTOR, error.lineno, error.colno, "descriptor",
                   f"not valid JSON: {error.msg}; regenerate it with `jiceng schemas`")
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        report.add(DESCRIPTOR, 1, 1, "descriptor", "must be a JSON object with a 'resources' list")
        return None
    return descriptor


def line_of(text: str, needle: str) -> tuple[int, int]:
    """Line and column of the first occurrence of ``needle`` (1, 1 if absent)."""
    offset = text.find(needle)
    if offset < 0:
        return 1, 1
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def unsafe_reason(root: Path, relative: Any) -> str | None:
    """Why a path named by the descriptor may not be opened, or None if it is safe."""
    if not isinstance(relative, str) or not relative:
        return "must be a non-empty relative path"
    if "://" in relative or relative.startswith(("//", "\\\\")):
        return "is a URL; resources must be files inside the package (nothing is fetched)"
    if os.path.isabs(relative) or relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        return "is absolute; use a path relative to datapackage.json"
    if ".." in Path(relative).parts or "\\" in relative:
        return "climbs out of the package ('..' or backslash); use a path inside it"
    resolved = (root / relative).resolve()
    if not resolved.is_relative_to(root.resolve()):
        return "is a symbolic link to a file outside the package"
    return None


def check_paths(root: Path, descriptor: dict[str, Any], report: Report) -> list[dict[str, Any]]:
    """Report unsafe resource and schema paths; return the resources that are safe to open."""
    text = (root / DESCRIPTOR).read_text(encoding="utf-8")
    safe_resources = []
    for resource in descriptor["resources"]:
        if not isinstance(resource, dict):
            report.add(DESCRIPTOR, 1, 1, "descriptor", "every resource must be a JSON object")
            continue
        safe = True
        for key in ("path", "schema"):
            value = resource.get(key)
            if key == "schema" and isinstance(value, dict):
                continue
            reason = unsafe_reason(root, value)
            if reason:
                line, column = line_of(text, json.dumps(value, ensure_ascii=False))
                report.add(DESCRIPTOR, line, column, "path-safety",
                           f"resource {resource.get('name')!r}: {key} {value!r} {reason}")
                safe = False
        if safe:
            safe_resources.append(resource)
    return safe_resources


def check_schema_drift(root: Path, report: Report) -> None:
    from .tableschema import generated_files

    for relative, expected in generated_files(Vocabularies(root)).items():
        path = root / relative
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            report.add(relative, 1, 1, "schema-drift", "missing or unreadable; run `jiceng schemas` to regenerate it")
            continue
        if relative == DESCRIPTOR:
            current, expected = without_version_line(current), without_version_line(expected)
        if current != expected:
            line = first_difference_line(current, expected)
            report.add(relative, line, 1, "schema-drift",
                       "differs from what the models generate; never edit it by hand — change "
                       "src/jiceng/models.py or a vocabulary, then run `jiceng schemas`")


def without_version_line(text: str) -> str:
    """The descriptor without its version line, which an older release may differ in.

    The line is blanked rather than removed so that line numbers stay those of the file."""
    return "\n".join("" if line.startswith('  "version": ') else line for line in text.split("\n"))


def first_difference_line(current: str, expected: str) -> int:
    for number, (left, right) in enumerate(zip(current.splitlines(), expected.splitlines()), start=1):
        if left != right:
            return number
    return min(len(current.splitlines()), len(expected.splitlines())) + 1


def read_tables(root: Path, report: Report, only: tuple[str, ...] | None = None) -> dict[str, LoadedTable]:
    """Layer 0: every table (or those named in ``only``) and vocabulary file is UTF-8 CSV
    of the right shape.

    One streaming pass per file; nothing but the header and counts is kept."""
    relatives = {name: model.table.path for name, model in TABLES.items() if only is None or name in only}
    relatives.update({f"vocabulary:{name}": spec.path for name, spec in VOCABULARIES.items()})
    tables = {}
    for name, relative in relatives.items():
        path = root / relative
        try:
            if path.is_symlink() and unsafe_reason(root, relative):
                raise TextFileError("is a symbolic link leading outside the package; replace it with the file", 1, 1, "path-safety")
            check_utf8_lines(path)
            records = iter_records(path, report.max_rows)
            header = next(records, None)
            if header is None or not any(header.cells):
                raise TextFileError("the file is empty; it needs at least a header row", 1, 1, "csv-structure")
            expected = list(expected_columns(name))
            if header.cells != expected:
                raise TextFileError(header_message(header.cells, expected), header.start_line, 1, "csv-structure")
            table = LoadedTable(name, relative, path, expected)
            for record in records:
                check_structure(table, record, report)
        except TextFileError as error:
            report.add(relative, error.line, error.column, error.check, error.message)
            continue
        if not table.row_count and not name.startswith("vocabulary:"):
            report.add(relative, header.end_line, 1, "csv-structure",
                       "the table has a header but no rows; a released table is never empty")
        tables[name] = table
        if not name.startswith("vocabulary:"):
            report.row_counts[name] = table.row_count
    return tables


def check_structure(table: LoadedTable, record: Record, report: Report) -> None:
    if not any(record.cells):
        table.sound = False
        report.add(table.relative, record.start_line, 1, "csv-structure",
                   "blank row; delete the line (a row needs its ID and required fields)")
        return
    width = len(table.header)
    if len(record.cells) != width:
        table.sound = False
        line, column = record.position(min(len(record.cells), width))
        report.add(table.relative, line, column if len(record.cells) > width else 1, "csv-structure",
                   f"row has {len(record.cells)} cells but the header has {width}; "
                   "check for an unquoted comma or a missing cell")
        return
    table.row_count += 1


INVISIBLE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
FULL_WIDTH_DIGITS = re.compile("[\uff10-\uff19\uff0e]")
FORMULA_START = re.compile(r'(?:^|[,\n])"?[=+\-@\t]')
FORMULA_PREFILTER = re.compile(r"\n[=+\-@\t]")  # a cell start, in the cells joined by newlines
# One character class for both kinds of suspect character: an alternation with the formula
# pattern would make the engine try every branch at every position (several times slower).
SUSPECT_CHARACTER = re.compile(f"[{INVISIBLE.pattern[1:-1]}{FULL_WIDTH_DIGITS.pattern[1:-1]}]")


def check_cell_text(table: LoadedTable, record: Record, values: dict[str, Any], kinds: dict[str, str], report: Report) -> None:
    """Text that looks right but is not: invisible characters, non-NFC forms, full-width
    digits in numbers, spreadsheet formulas. Each test first runs on all the cells joined
    into one string (fast, in C) and only looks cell by cell where it found something."""
    raw = "\n".join(record.cells)
    first_cell_formula = raw[:1] in ("=", "+", "-", "@", "\t")
    clean = not SUSPECT_CHARACTER.search(raw) and not FORMULA_PREFILTER.search(raw) and not first_cell_formula
    if clean and (raw.isascii() or unicodedata.is_normalized("NFC", raw)):
        return

    def problem(column: str, check: str, message: str) -> None:
        line, col = table.position(record, column)
        report.add(table.relative, line, col, check, message)

    if INVISIBLE.search(raw):
        for column, value in values.items():
            found = INVISIBLE.search(value or "")
            if found:
                problem(column, "cell-text",
                        f"field {column!r} contains the invisible character U+{ord(found.group()):04X}; delete it")
    if not raw.isascii() and not unicodedata.is_normalized("NFC", raw):
        for column, value in values.items():
            if value and not unicodedata.is_normalized("NFC", value):
                problem(column, "cell-text",
                        f"field {column!r} is not NFC-normalised (it would not match the source text); "
                        "retype it or normalise with unicodedata.normalize('NFC', ...)")
    if FULL_WIDTH_DIGITS.search(raw):
        for column, value in values.items():
            if value and kinds[column] in ("integer", "number") and FULL_WIDTH_DIGITS.search(value):
                problem(column, "type-error",
                        f"field {column!r}: {value!r} has full-width digits; write ASCII digits (64, not ６４)")
    if FORMULA_START.search(raw):
        for column, value in values.items():
            if value and kinds[column] == "text" and value[0] in "=+-@\t":
                problem(column, "injection",
                        f"field {column!r} starts with {value[0]!r}: spreadsheet programs would run it as a "
                        "formula; rephrase it so that it starts with a word")


def column_types(name: str) -> dict[str, str]:
    """Column → 'integer', 'number', 'boolean', 'code' (patterned or vocabulary) or 'text'."""
    from .tableschema import field_python_type

    if name.startswith("vocabulary:"):
        from .models import vocabulary_model

        model = vocabulary_model(name.split(":", 1)[1])
    else:
        model = TABLES[name]
    kinds = {}
    for column, info in model.model_fields.items():
        python_type, _ = field_python_type(info)
        extra = info.json_schema_extra or {}
        constrained = any(getattr(item, "pattern", None) for item in info.metadata) or extra.get("vocabulary")
        kinds[column] = {int: "integer", float: "number", bool: "boolean"}.get(
            python_type, "code" if constrained else "text")
    return kinds


def expected_columns(name: str) -> list[str]:
    if name.startswith("vocabulary:"):
        from .models import vocabulary_model

        return list(vocabulary_model(name.split(":", 1)[1]).model_fields)
    return TABLES[name].columns()


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


@dataclass(frozen=True)
class StandardError:
    """A frictionless error, reduced to what can cross a process boundary."""

    place: str
    type: str
    row_number: int
    field_name: str | None
    cell: Any
    note: str
    message: str


def frictionless_errors(root: str, descriptor: dict[str, Any], limit: int) -> list[StandardError]:
    """Layer 1: the Frictionless standard checks (types, constraints, keys) on safe resources."""
    import frictionless

    try:
        result = frictionless.Package(descriptor, basepath=root).validate(limit_errors=limit)
    except Exception as error:  # frictionless raises FrictionlessException on bad descriptors
        return [StandardError("", "package", 0, None, None, "", f"frictionless cannot open the package: {error}")]
    errors = [
        StandardError(task.place if isinstance(task.place, str) else "", error.type,
                      getattr(error, "row_number", None) or 0, getattr(error, "field_name", None),
                      getattr(error, "cell", None), error.note or "", error.message)
        for task in result.tasks
        for error in task.errors
    ]
    errors += [StandardError("", "package", 0, None, None, "", error.message) for error in result.errors]
    return errors


def without_keys(root: Path, resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as frictionless checks it: its schema inline, without primary and
    foreign keys, which keys.py checks in a fraction of the memory frictionless needs
    for them. A schema that cannot be read is left for frictionless to report."""
    schema = resource.get("schema")
    if isinstance(schema, str):
        try:
            schema = json.loads((root / schema).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return resource
    if not isinstance(schema, dict):
        return resource
    return {**resource, "schema": {key: value for key, value in schema.items() if key not in ("primaryKey", "foreignKeys")}}


class Finished:
    """A result already computed, with the interface of a future."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


def start_frictionless(root: Path, descriptor: dict[str, Any], report: Report) -> Any:
    """Run the standard checks in a second process while this one checks the rows.

    Both passes stream the same files; on a machine with two cores the whole validation
    then takes little longer than frictionless alone. Where processes cannot be forked,
    the checks run here, one after the other."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    limit = max(10_000, report.max_per_check + 1)
    if not descriptor["resources"]:
        return Finished([])
    if "fork" not in multiprocessing.get_all_start_methods():
        return Finished(frictionless_errors(str(root), descriptor, limit))
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    return Running(executor, executor.submit(frictionless_errors, str(root), descriptor, limit))


class Running:
    """The standard checks running in another process; ``result()`` waits and cleans up."""

    def __init__(self, executor: Any, future: Any) -> None:
        self.executor = executor
        self.future = future

    def result(self) -> Any:
        try:
            return self.future.result()
        finally:
            self.executor.shutdown(wait=True)


def add_frictionless_errors(errors: list[StandardError], tables: dict[str, LoadedTable], report: Report) -> None:
    """Report frictionless errors at their cells: the tables with errors are streamed again
    to find the records they point at."""
    by_path = {table.relative: table for table in tables.values()}
    pending: dict[str, dict[int, list[tuple[str, StandardError]]]] = defaultdict(lambda: defaultdict(list))
    for error in errors:
        if error.type == "package":
            report.add(DESCRIPTOR, 1, 1, "descriptor", error.message)
            continue
        table = by_path.get(error.place)
        check = FRICTIONLESS_CHECKS.get(error.type)
        if table is None or check is None or check in ("csv-structure", "encoding"):
            continue  # unreadable files, structure and encoding are reported by read_tables
        if error.row_number < 2:
            report.add(table.relative, 1, 1, check, error.message)
            continue
        pending[table.relative][error.row_number].append((check, error))
    for relative, rows in pending.items():
        table = by_path[relative]
        for number, record in table.records(report.max_rows):
            for check, error in rows.pop(number, ()):
                add_frictionless_error(table, record, error, check, report)
            if not rows:
                break


def add_frictionless_error(table: LoadedTable, record: Record, error: Any, check: str, report: Report) -> None:
    """Report a frictionless error at its cell, now that the record is in hand."""
    column = getattr(error, "field_name", None) or key_column(table, check, error)
    line, col = table.position(record, column) if column else (record.start_line, 1)
    cell = getattr(error, "cell", None)
    if check == "type-error":
        expected = re.search(r'"(\w+)', error.note or "")
        kind = expected.group(1) if expected else "of the right type"
        article = "an" if kind[0] in "aeiou" else "a"
        example = {"integer": "42", "number": "64000 or 6.5", "boolean": "true or false"}.get(kind, "")
        message = f"field {column!r}: {cell!r} is not {article} {kind}; write it like {example}"
    elif check == "constraint-error":
        message = f"field {column!r}: {cell!r} breaks the constraint: {error.note}"
    elif check == "primary-key":
        message = f"duplicate ID {table_cell(table, record, column)!r} ({error.note}); IDs must be unique and are never reused"
    else:
        message = f"{error.note}; add the referenced row or correct the ID"
    report.add(table.relative, line, col, check, message)


def key_column(table: LoadedTable, check: str, error: Any) -> str | None:
    name = table.name.split(":", 1)[-1]
    if table.name.startswith("vocabulary:"):
        return "code"
    model = TABLES[name]
    if check == "primary-key":
        return model.table.primary_key
    note = getattr(error, "note", "") or ""
    for column in model.model_fields:
        if f'"{column}"' in note:
            return column
    return None


def table_cell(table: LoadedTable, record: Record, column: str) -> str:
    return record.cells[table.header.index(column)] if column in table.header else ""


# -- layers 2 to 5: one streaming pass over the rows -------------------------------------

# Tables referred to by later tables come first while they are small (sources, districts);
# big tables come after the tables that refer to them (numbers before metrics, metrics
# before initiatives), so that references wait in small sets (see keys.py).
ROW_ORDER = ("sources", "districts", "consistency_checks", "non_metric_numbers", "metrics",
             "initiatives", "annotations", "glossary")


def spans() -> array:
    return array("q")


@dataclass
class Collected:
    """The little that later checks need from rows already streamed past: numbers and
    short strings, never whole rows. Rows are named by their row number and read again
    in the rare case that a later check finds a problem in one of them."""

    sources: dict[str, SourceSpan] = field(default_factory=dict)
    documents: dict[str, SourceSpan] = field(default_factory=dict)
    source_rows: list[tuple[int, SourceSpan, str]] = field(default_factory=list)
    checks: list[tuple[int, Any]] = field(default_factory=list)
    wanted_metrics: set[str] = field(default_factory=set)
    metrics_by_id: dict[str, Any] = field(default_factory=dict)
    number_ids: set[str] = field(default_factory=set)
    related: set[str] = field(default_factory=set)
    metric_spans: dict[str, array] = field(default_factory=lambda: defaultdict(spans))
    number_spans: dict[str, array] = field(default_factory=lambda: defaultdict(spans))
    reasons: Counter = field(default_factory=Counter)
    valid: Counter = field(default_factory=Counter)
    invalid: Counter = field(default_factory=Counter)


def check_rows(root: Path, tables: dict[str, LoadedTable], vocabularies: Vocabularies, report: Report) -> list[tuple[str, int, int, str]]:
    """Layers 2–5, streaming each table once: keys, model rules, provenance, then the
    checks that need the whole package (overlaps, references, the audit, consistency).

    Returns the problems of single fields (wrong type, bad code...), which are reported
    only where the standard layer has not already reported the same cell."""
    from pydantic import ValidationError

    from .models import vocabulary_model

    context = {"vocabularies": vocabularies}
    state = Collected()
    deferred: list[tuple[str, int, int, str]] = []
    names = [name for name in list(ROW_ORDER) + [f"vocabulary:{name}" for name in VOCABULARIES] if name in tables]
    keys = Keys(names)
    for name in names:
        table = tables[name]
        model = vocabulary_model(name.split(":", 1)[1]) if name.startswith("vocabulary:") else TABLES[name]
        kinds = column_types(name)
        for number, record, values in table.rows(report.max_rows):
            check_cell_text(table, record, values, kinds, report)
            for reference, value in keys.row(name, values):
                line, col = table.position(record, reference.column)
                report.add(table.relative, line, col, "foreign-key", reference.message(value))
            try:
                row = model.model_validate(values, context=context)
            except ValidationError as error:
                state.invalid[name] += 1
                for item in error.errors(include_url=False):
                    add_model_error(table, record, item, report, deferred)
                continue
            state.valid[name] += 1
            check_row(root, name, table, number, record, row, state, report)
        keys.finish(name)
        if name == "non_metric_numbers":
            state.related -= state.number_ids
            state.number_ids = set()
    check_keys_again(tables, keys, report)
    check_source_overlaps(tables.get("sources"), state, report)
    check_related_ids(tables.get("non_metric_numbers"), state, report)
    check_completeness(tables, state, report)
    check_consistency(tables.get("consistency_checks"), state, report)
    return deferred


def check_row(root: Path, name: str, table: LoadedTable, number: int, record: Record, row: Any,
              state: Collected, report: Report) -> None:
    """Per-row provenance, and what later checks need to remember of the row."""
    if name == "sources":
        check_source(root, table, number, record, row, state, report)
    elif name == "districts":
        check_goals(table, record, row, state.sources, report)
    elif name == "consistency_checks":
        state.checks.append((number, row))
        state.wanted_metrics.update(row.metrics)
    elif name in ("metrics", "non_metric_numbers", "initiatives", "annotations"):
        check_quote(table, record, row, state.sources, report)
        source = state.sources.get(row.source_id)
        path = source.path if source else ""
        if name == "metrics":
            state.related.discard(row.metric_id)
            if row.metric_id in state.wanted_metrics:
                state.metrics_by_id[row.metric_id] = row
            for start, end in metric_spans(row):
                state.metric_spans[path].extend((start, end, number))
            message = check_value_text(row)
            if message:
                line, col = table.position(record, "value_text")
                report.add(table.relative, line, col, "value-text", message)
        elif name == "non_metric_numbers":
            state.number_ids.add(row.number_id)
            state.reasons[row.reason] += 1
            state.number_spans[path].extend((row.quote_start, row.quote_end, number))
            if row.related_id == row.number_id:
                line, col = table.position(record, "related_id")
                report.add(table.relative, line, col, "foreign-key",
                           "related_id points at the row itself; give the row that covers the original printing")
            elif row.related_id is not None:
                state.related.add(row.related_id)


def report_at_rows(table: LoadedTable | None, problems: dict[int, list[tuple[str, str, str]]], report: Report) -> None:
    """Report (column, check, message) problems found after a table streamed past, by row
    number: the table is read again, up to the last row named."""
    if table is None or not problems:
        return
    last = max(problems)
    for number, record in table.records(report.max_rows):
        for column, check, message in problems.get(number, ()):
            line, col = table.position(record, column)
            report.add(table.relative, line, col, check, message)
        if number >= last:
            break


def check_keys_again(tables: dict[str, LoadedTable], keys: Keys, report: Report) -> None:
    """Second pass over the tables where keys may repeat or references dangle: compare the
    real IDs of rows whose hashes repeat; report each row holding a dangling reference."""
    for name, recheck in keys.rechecks.items():
        table = tables[name]
        key_column = primary_key(name)
        first_line: dict[str, int] = {}
        for _, record, values in table.rows(report.max_rows):
            key = values.get(key_column)
            if key is not None and key_hash(key) in recheck.duplicate_hashes:
                if key in first_line:
                    line, col = table.position(record, key_column)
                    report.add(table.relative, line, col, "primary-key",
                               f"duplicate ID {key!r} (first on line {first_line[key]}); "
                               "IDs must be unique and are never reused")
                else:
                    first_line[key] = record.start_line
            for reference, missing in recheck.dangling.items():
                value = values.get(reference.column)
                if value is not None and value in missing:
                    line, col = table.position(record, reference.column)
                    report.add(table.relative, line, col, "foreign-key", reference.message(value))


def add_model_error(table: LoadedTable, record: Record, item: dict[str, Any], report: Report,
                    deferred: list[tuple[str, int, int, str]]) -> None:
    header = table.header
    location = [part for part in item.get("loc", ()) if isinstance(part, str)]
    message = str(item.get("msg", "")).removeprefix("Value error, ")
    column = location[0] if location else message.split(" ", 1)[0].rstrip(":")
    if column not in header:
        column = header[0]
    line, col = table.position(record, column)
    if location:
        deferred.append((table.relative, line, col, f"field {column!r}: {message}"))
    else:
        report.add(table.relative, line, col, "row-model", message)


# -- layer 3: provenance ----------------------------------------------------------------


@dataclass
class SourceSpan:
    """A source's place in its document; the text is fetched from a small cache on demand,
    so that a corpus of thousands of documents is never all in memory."""

    source_id: str
    district_id: str
    path: str
    start: int
    end: int
    root: Path
    readable: bool

    @property
    def text(self) -> str | None:
        return cached_document(self.root, self.path) if self.readable else None


@lru_cache(maxsize=64)
def cached_document(root: Path, path: str) -> str:
    return read_utf8(root / path)


class LazyDocuments:
    """Document texts by path, read one at a time through the cache."""

    def __init__(self, sources: dict[str, SourceSpan]) -> None:
        self.spans = {span.path: span for span in sources.values()}

    def __getitem__(self, path: str) -> str:
        return self.spans[path].text

    def __contains__(self, path: str) -> bool:
        return path in self.spans

    def items(self):
        for path, span in self.spans.items():
            yield path, span.text


def check_source(root: Path, table: LoadedTable, number: int, record: Record, row: Any, state: Collected,
                 report: Report) -> None:
    """A source's file is read once per document; its hash, length and span are checked."""
    first = state.documents.get(row.path)
    text = first.text if first else read_source(root, table, record, row, report)
    span = SourceSpan(row.source_id, row.district_id, row.path, row.span_start, row.span_end, root, text is not None)
    state.sources[row.source_id] = span
    state.documents.setdefault(row.path, span)
    if text is None:
        return
    if first is None:
        check_hash(root, table, record, row, report)
    check_length(table, record, row, text, report)
    check_span(table, record, row, text, report)
    state.source_rows.append((number, span, row.sha256))


def check_source_overlaps(table: LoadedTable | None, state: Collected, report: Report) -> None:
    """Texts cut from one document do not overlap, and all record the file's one digest."""
    by_document: dict[str, list[tuple[int, SourceSpan, str]]] = defaultdict(list)
    for item in state.source_rows:
        by_document[item[1].path].append(item)
    problems: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for members in by_document.values():
        ordered = sorted(members, key=lambda item: item[1].start)
        for (_, left, _), (number, right, _) in zip(ordered, ordered[1:]):
            if right.start < left.end:
                problems[number].append(("span_start", "source-span",
                                         f"span [{right.start}, {right.end}) overlaps {left.source_id} "
                                         f"[{left.start}, {left.end})"))
        if len({digest for _, _, digest in members}) > 1:
            number, span, _ = ordered[-1]
            problems[number].append(("sha256", "source-hash",
                                     f"texts cut from {span.path} record different sha256 values; "
                                     "record the file's one digest"))
    report_at_rows(table, problems, report)


def check_related_ids(table: LoadedTable | None, state: Collected, report: Report) -> None:
    """A repeat of a duplicated passage points at the row covering the original printing.

    The related IDs wait in a set; the numbers table and then the metrics strike off those
    they hold, and the rows naming what is left are found by reading the table again."""
    if table is None or not state.related:
        return
    for _, record, values in table.rows(report.max_rows):
        if values.get("related_id") in state.related:
            line, col = table.position(record, "related_id")
            report.add(table.relative, line, col, "foreign-key",
                       f"related_id {values['related_id']!r} is neither a metric_id nor a number_id of this package")


def read_source(root: Path, table: LoadedTable, record: Record, row: Any, report: Report) -> str | None:
    line, col = table.position(record, "path")
    reason = unsafe_reason(root, row.path)
    if reason:
        report.add(table.relative, line, col, "path-safety", f"path {row.path!r} {reason}")
        return None
    try:
        text = read_utf8(root / row.path)
    except TextFileError as error:
        report.add(row.path if error.check == "encoding" else table.relative,
                   error.line if error.check == "encoding" else line,
                   error.column if error.check == "encoding" else col,
                   "source-hash" if error.check == "file" else "source-text", f"source file {row.path}: {error.message}")
        return None
    if "\r" in text:
        bad_line, bad_col = line_of(text, "\r")
        report.add(row.path, bad_line, bad_col, "source-text", "has CR line ends; sources must use LF")
    if not unicodedata.is_normalized("NFC", text):
        offset = next(i for i, char in enumerate(text) if not unicodedata.is_normalized("NFC", text[max(0, i - 1): i + 2]))
        bad_line = text.count("\n", 0, offset) + 1
        report.add(row.path, bad_line, offset - text.rfind("\n", 0, offset), "source-text",
                   "is not NFC-normalised; offsets would differ between tools (normalise with unicodedata.normalize('NFC', ...))")
    return text


def check_hash(root: Path, table: LoadedTable, record: Record, row: Any, report: Report) -> None:
    """The file's bytes are those recorded (checked once per document)."""
    digest = hashlib.sha256((root / row.path).read_bytes()).hexdigest()
    if digest != row.sha256:
        line, col = table.position(record, "sha256")
        report.add(table.relative, line, col, "source-hash",
                   f"{row.path} has sha256 {digest}, not the recorded {row.sha256}: the verbatim "
                   "source was changed; restore it byte-for-byte (never edit sources)")


def check_length(table: LoadedTable, record: Record, row: Any, text: str, report: Report) -> None:
    """Every text cut from a file records the file's length in code points."""
    if len(text) != row.document_length:
        line, col = table.position(record, "document_length")
        report.add(table.relative, line, col, "source-hash",
                   f"{row.path} has {len(text)} code points, not the recorded {row.document_length}")


def check_span(table: LoadedTable, record: Record, row: Any, text: str, report: Report) -> None:
    def problem(column: str, message: str) -> None:
        line, col = table.position(record, column)
        report.add(table.relative, line, col, "source-span", message)

    if row.span_end > len(text):
        problem("span_end", f"span_end {row.span_end} is past the end of {row.path} ({len(text)} code points)")
        return
    essay = text[row.span_start : row.span_end]
    if not essay.startswith(row.heading_zh):
        problem("span_start", f"the text at span_start does not begin with the heading {row.heading_zh!r} "
                              f"(it begins {essay[:20]!r})")
    if row.byline_zh and row.byline_zh not in essay:
        problem("byline_zh", f"the byline {row.byline_zh!r} is not inside the span")
    if row.span_start > 0 and text[row.span_start - 1] != "\n":
        problem("span_start", "span_start is not at the beginning of a paragraph")
    if row.span_end < len(text) and text[row.span_end] != "\n":
        problem("span_end", "span_end is not at the end of a paragraph")


def check_quote(table: LoadedTable, record: Record, row: Quoted, sources: dict[str, SourceSpan], report: Report) -> None:
    source = sources.get(row.source_id)
    if source is None or source.text is None:
        return  # reported as a foreign-key or source problem already
    text = source.text

    def problem(column: str, check: str, message: str) -> None:
        line, col = table.position(record, column)
        report.add(table.relative, line, col, check, message)

    found = text[row.quote_start : row.quote_end]
    if found != row.quote:
        occurrences = find_all(text, row.quote)
        hint = (f"it occurs at {', '.join(map(str, occurrences[:5]))}" if occurrences
                else "it does not occur in the source at all")
        problem("quote_start", "quote-offsets",
                f"text[{row.quote_start}:{row.quote_end}] is {found[:30]!r}, not the quote ({hint}); "
                "run `jiceng locate --write` to refill the offsets")
        return
    if not (source.start <= row.quote_start and row.quote_end <= source.end):
        problem("quote_start", "quote-selector",
                f"the quote lies outside source {row.source_id}'s span [{source.start}, {source.end}); "
                "cite the printing inside the row's own source")
    check_selector(text, (source.start, source.end), row, problem)
    check_quote_content(row, problem)
    fields = row.__dict__  # not getattr: a pydantic model is slow to say it lacks a field
    district = fields.get("district_id")
    if district is not None and district != source.district_id:
        problem("district_id", "attribution",
                f"district {district} differs from source {row.source_id}'s district {source.district_id}")
    related = fields.get("related_source_id")
    if related:
        other = sources.get(related)
        if other is not None and not (other.start <= row.related_start and row.related_end <= other.end):
            problem("related_start", "quote-selector",
                    f"related span [{row.related_start}, {row.related_end}) is outside source {related}'s span")


def find_all(text: str, needle: str) -> list[int]:
    positions = []
    if not needle:
        return positions
    start = text.find(needle)
    while start >= 0:
        positions.append(start)
        start = text.find(needle, start + 1)
    return positions


def check_selector(text: str, span: tuple[int, int], row: Quoted, problem: Any) -> None:
    """The TextQuoteSelector must pick exactly one occurrence within the row's own source.

    A page may print several sources (and reprint a passage of one inside another), so a
    selector is scoped to its source's span, as W3C selectors are scoped to their source.
    """
    prefix, suffix = row.quote_prefix or "", row.quote_suffix or ""
    if prefix and text[row.quote_start - len(prefix) : row.quote_start] != prefix:
        problem("quote_prefix", "quote-selector", f"quote_prefix {prefix!r} is not the text just before the quote")
        return
    if suffix and text[row.quote_end : row.quote_end + len(suffix)] != suffix:
        problem("quote_suffix", "quote-selector", f"quote_suffix {suffix!r} is not the text just after the quote")
        return
    start, end = span
    needle = prefix + row.quote + suffix
    first = text.find(needle, start, end)
    if first >= 0 and text.find(needle, first + 1, end) >= 0:
        problem("quote", "quote-selector",
                f"the quote occurs {len(find_all(text, row.quote))} times in the source file; add a "
                "quote_prefix or quote_suffix that picks this occurrence (`jiceng locate` suggests one)")


def check_quote_content(row: Quoted, problem: Any) -> None:
    fields = row.__dict__
    value_text = fields.get("value_text")
    if value_text is not None:
        count = len(find_all(row.quote, value_text))
        if count != 1:
            problem("value_text", "quote-content",
                    f"value_text {value_text!r} occurs {count} times in the quote; it must occur exactly once")
        period = fields.get("period_text")
        if period and period not in row.quote:
            problem("period_text", "quote-content", f"period_text {period!r} is not in the quote")
    if fields.get("name_basis") == "as_written" and row.name_zh not in row.quote:
        problem("name_zh", "quote-content",
                f"name_zh {row.name_zh!r} is marked as_written but is not in the quote")
    number_text = fields.get("number_text")
    if number_text is not None and number_text not in row.quote:
        problem("number_text", "quote-content", f"number_text {number_text!r} is not in the quote")


def check_goals(table: LoadedTable, record: Record, row: Any, sources: dict[str, SourceSpan], report: Report) -> None:
    if not row.goals_source_id or row.goals_quote is None:
        return
    source = sources.get(row.goals_source_id)
    if source is None or source.text is None:
        return
    found = source.text[row.goals_quote_start : row.goals_quote_end]
    if found != row.goals_quote or not (source.start <= row.goals_quote_start and row.goals_quote_end <= source.end):
        line, col = table.position(record, "goals_quote_start")
        report.add(table.relative, line, col, "quote-offsets",
                   f"text[{row.goals_quote_start}:{row.goals_quote_end}] of {row.goals_source_id} is "
                   f"{found[:30]!r}, not the goals_quote")


# -- layers 4 and 5: completeness and consistency ---------------------------------------

PROVENANCE_CHECKS = ("quote-offsets", "quote-selector", "source-hash", "source-span", "source-text")


def check_completeness(tables: dict[str, LoadedTable], state: Collected, report: Report) -> None:
    """Layer 4: every number of every source is a metric or a listed non-metric number.

    Skipped when a table it needs is missing or has invalid rows, or when sources or quotes
    are misplaced: the audit would then report gaps that are not there."""
    needed = ("sources", "metrics", "non_metric_numbers")
    if any(name not in tables or state.invalid[name] for name in needed):
        return
    if any(not span.readable for span in state.sources.values()):
        return
    if any(report._per_check[check] for check in PROVENANCE_CHECKS):
        return
    documents = LazyDocuments(state.sources)
    findings, tokens = audit_documents(documents, state.metric_spans, state.number_spans)
    metric_ids = row_ids(tables["metrics"], {f.metric_row for f in findings if f.metric_row}, report)
    number_ids = row_ids(tables["non_metric_numbers"], {f.number_row for f in findings if f.number_row}, report)
    unused: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for finding in findings:
        message = finding.message(metric_ids.get(finding.metric_row), number_ids.get(finding.number_row))
        if finding.kind == "unused":
            unused[finding.number_row].append(("quote", "audit", message))
        else:
            line, col = line_and_column(documents[finding.path], finding.offset)
            report.add(finding.path, line, col, "audit", message)
    report_at_rows(tables["non_metric_numbers"], unused, report)
    report.audit_summary = {
        "number_tokens": tokens,
        "metrics": state.valid["metrics"],
        "metric_spans": sum(len(spans) // 3 for spans in state.metric_spans.values()),
        "non_metric_rows": state.valid["non_metric_numbers"],
        "non_metric_reasons": dict(sorted(state.reasons.items())),
        "uncovered": sum(1 for finding in findings if finding.kind == "uncovered"),
    }


def row_ids(table: LoadedTable, numbers: set[int], report: Report) -> dict[int, str]:
    """The IDs of the rows with these row numbers (the table is read again, if need be)."""
    found: dict[int, str] = {}
    if numbers:
        key_column = primary_key(table.name)
        for number, _, values in table.rows(report.max_rows):
            if number in numbers:
                found[number] = values.get(key_column) or ""
    return found


def check_consistency(table: LoadedTable | None, state: Collected, report: Report) -> None:
    """Layer 5: recompute related figures; a disagreement must be tied to an annotation."""
    from .consistency import evaluate

    if table is None:
        return
    problems: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for number, check in state.checks:
        missing = [metric_id for metric_id in check.metrics if metric_id not in state.metrics_by_id]
        if missing:
            problems[number].append(("metric_ids", "consistency", f"unknown or invalid metric(s): {', '.join(missing)}"))
            continue
        outcome = evaluate(check.kind, [state.metrics_by_id[metric_id] for metric_id in check.metrics])
        report.consistency.append((check.check_id, outcome.agrees, outcome.explanation, check.annotation_id))
        if not outcome.agrees and not check.annotation_id:
            problems[number].append(("annotation_id", "consistency",
                                     f"figures disagree ({outcome.explanation}); record the defect in "
                                     "annotations.csv and give its annotation_id here"))
    report_at_rows(table, problems, report)
