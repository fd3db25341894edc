"""Layer 1, the standard checks: Frictionless on the package, in a second process.

Frictionless checks types, constraints and CSV structure while the main process checks
the rows (on two cores the whole validation takes little longer than either); keys are
left to ``keys.py``. Its errors come back by row number and are placed at their cells by
reading those tables again.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bundle import DESCRIPTOR
from .keys import primary_key
from .models import TABLES

if TYPE_CHECKING:
    from .csvfile import Record
    from .validate import LoadedTable, Report


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
        if '"maxLength"' in (error.note or ""):
            continue  # the row model reports an oversized cell, once, with its length and the limit
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
        if (report.allow_drafts and '"required"' in (error.note or "") and table_cell(table, record, "status") == "draft"
                and column in TABLES[table.name].english_fields()):
            return  # a draft may leave its English empty
        row_id = table_cell(table, record, primary_key(table.name)) if table.header else ""
        named = f"row {row_id}: " if row_id else ""
        if '"required"' in (error.note or "") and column in ("quote_start", "quote_end"):
            message = (f"{named}{column} is empty: run `jiceng locate --write` to fill the offsets; if it cannot, "
                       "it says why (often: the quote is not exactly in the source)")
        elif '"required"' in (error.note or ""):
            message = f"{named}field {column!r} is empty but required; fill it in (see the data dictionary)"
        elif '"enum"' in (error.note or ""):
            codes = re.findall(r"'([^']*)'", error.note.split('"enum" is', 1)[-1])
            close = difflib.get_close_matches(str(cell), codes, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            message = f"{named}field {column!r}: {cell!r} is not a code of its vocabulary; {hint}use one of: {', '.join(codes)}"
        else:
            message = f"{named}field {column!r}: {cell!r} breaks the constraint: {error.note}"
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
