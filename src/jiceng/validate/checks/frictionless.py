"""Layer 1, the Frictionless checks: types and constraints of cells, by frictionless-py.

When the schemas are exactly what the models generate (the schema drift check found no
difference), the row models check every type and constraint the schemas state, so
Frictionless needs to see only the rows a model rejects: they are written to a temporary
copy of their tables, and Frictionless names what is wrong with each cell (its messages
say what to write). A valid package is never read by Frictionless at all. When a schema
or the descriptor was edited by hand, the models no longer cover what it says, and
Frictionless checks the whole package as written, once the rows have streamed past (in
a second process, whose memory goes back to the system when it ends). Primary and foreign keys are left to the keys check, which needs a
fraction of the memory: they are stripped from the schemas Frictionless sees. Its errors
come back by row number and are placed at their cells by reading those tables again.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
import shutil
import tempfile
from array import array
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...bundle import DESCRIPTOR
from ...csvfile import Record
from ..check import Check
from ..report import ProblemType
from ..streams import TableStream, model_of, primary_key
from .files import DESCRIPTOR_PROBLEM
from .keys import PRIMARY_KEY

TYPE_ERROR = ProblemType("type-error", 1, "Wrong type",
                         "A cell cannot be read as its field's type (integer, number, boolean).")
CONSTRAINT_ERROR = ProblemType("constraint-error", 1, "Constraint violated",
                               "A cell breaks a field constraint: required, pattern, minimum, maximum length or enum "
                               "(vocabulary code).")

# Frictionless error types reported here; structure and encoding errors are the files
# check's, which reports them with their place in the file. Frictionless sees no keys, but
# a "unique" constraint added to a schema by hand is a duplicate ID all the same.
REPORTED = {"type-error": TYPE_ERROR, "constraint-error": CONSTRAINT_ERROR, "unique-error": PRIMARY_KEY}

# Errors Frictionless collects before it stops: fixed, so that which cells it reports (and
# which the row model reports instead) never depends on how many problems are displayed.
ERROR_LIMIT = 10_000


@dataclass(frozen=True)
class FrictionlessError:
    """A frictionless error, reduced to what can cross a process boundary."""

    place: str
    type: str
    row_number: int
    field_name: str | None
    cell: Any
    note: str
    message: str


def frictionless_errors(root: str, descriptor: dict[str, Any], limit: int) -> list[FrictionlessError]:
    """The Frictionless checks (types and constraints) on the safe resources."""
    import frictionless

    try:
        result = frictionless.Package(descriptor, basepath=root).validate(limit_errors=limit)
    except Exception as error:  # frictionless raises FrictionlessException on bad descriptors
        return [FrictionlessError("", "package", 0, None, None, "", f"frictionless cannot open the package: {error}")]
    errors = [
        FrictionlessError(task.place if isinstance(task.place, str) else "", error.type,
                          getattr(error, "row_number", None) or 0, getattr(error, "field_name", None),
                          getattr(error, "cell", None), error.note or "", error.message)
        for task in result.tasks
        for error in task.errors
    ]
    errors += [FrictionlessError("", "package", 0, None, None, "", error.message) for error in result.errors]
    return errors


def without_keys(root: Path, resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as frictionless checks it: its schema inline, without primary and
    foreign keys, which the keys check checks in a fraction of the memory frictionless
    needs for them. A schema that cannot be read is left for frictionless to report."""
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


def start_frictionless(root: Path, descriptor: dict[str, Any], limit: int = ERROR_LIMIT) -> Any:
    """Run the Frictionless checks on a whole package in a second process, whose memory
    (Frictionless holds much of the package) goes back to the system when it ends. Where
    processes cannot be forked, the checks run here."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if not descriptor["resources"]:
        return Finished([])
    if "fork" not in multiprocessing.get_all_start_methods():
        return Finished(frictionless_errors(str(root), descriptor, limit))
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    return Running(executor, executor.submit(frictionless_errors, str(root), descriptor, limit))


class Running:
    """The Frictionless checks running in another process; ``result()`` waits and cleans up."""

    def __init__(self, executor: Any, future: Any) -> None:
        self.executor = executor
        self.future = future

    def result(self) -> Any:
        try:
            return self.future.result()
        finally:
            self.executor.shutdown(wait=True)


class Frictionless(Check):
    problem_types = (TYPE_ERROR, CONSTRAINT_ERROR)
    order = 90
    whole_package = True
    final = True

    def start(self) -> None:
        self.rejected_rows: dict[str, RejectedRows] = {}
        self.whole = bool(self.run.drifted)  # hand-edited schemas: the models do not cover them

    def resources(self, wanted: Any) -> list[dict[str, Any]]:
        """The safe resources of the sound tables that ``wanted`` picks, without keys."""
        sound = {table.relative: table for table in self.run.tables.values() if table.sound}
        return [without_keys(self.run.root, item) for item in self.run.safe_resources
                if item.get("path") in sound and wanted(sound[item["path"]])]

    def rejected(self, table: TableStream, number: int, record: Record) -> None:
        if self.whole or not table.sound:
            return
        if table.name not in self.rejected_rows:
            self.rejected_rows[table.name] = RejectedRows(table)
        self.rejected_rows[table.name].add(number, record)

    def end(self) -> None:
        self.report.step("waiting for the Frictionless checks")
        if self.whole:  # the tables' soundness is known once they have streamed past
            pending = start_frictionless(self.run.root, {**self.run.descriptor, "resources": self.resources(bool)})
        else:
            pending = Finished(self.check_rejected_rows())
        try:
            errors = pending.result()
        except Exception as error:  # the worker process died (killed, out of memory...)
            errors = [FrictionlessError("", "package", 0, None, None, "", f"the standard checks stopped: {error}")]
        add_frictionless_errors(errors, self.run.tables, self.report)
        self.report.step("waiting for the Frictionless checks", finished=True)

    def check_rejected_rows(self) -> list[FrictionlessError]:
        """Frictionless on a temporary package of the rejected rows; errors renumbered to
        the rows of the package's own tables."""
        if not self.rejected_rows:
            return []
        names = {rows.table.relative: rows for rows in self.rejected_rows.values()}
        resources = self.resources(lambda table: table.relative in names)
        directory = Path(tempfile.mkdtemp(prefix="jiceng-rejected-"))
        try:
            for rows in self.rejected_rows.values():
                rows.close(directory)
            errors = frictionless_errors(str(directory), {**self.run.descriptor, "resources": resources}, ERROR_LIMIT)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return [names[error.place].renumbered(error) if error.place in names else error for error in errors]


class RejectedRows:
    """The rows of one table that its model rejected, kept in a temporary file (cells as
    read, in the canonical CSV form) with their row numbers in the table."""

    def __init__(self, table: TableStream) -> None:
        self.table = table
        self.numbers = array("q")
        self.handle = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(table.header)

    def add(self, number: int, record: Record) -> None:
        self.numbers.append(number)
        self.writer.writerow(record.cells)

    def close(self, directory: Path) -> None:
        """Write the rows at the table's own path under ``directory``."""
        path = directory / self.table.relative
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle.seek(0)
        with path.open("w", encoding="utf-8", newline="") as target:
            shutil.copyfileobj(self.handle, target)
        self.handle.close()

    def renumbered(self, error: FrictionlessError) -> FrictionlessError:
        """The error with the row number of its row in the table (the header is row 1)."""
        if error.row_number < 2:
            return error
        return FrictionlessError(error.place, error.type, self.numbers[error.row_number - 2], error.field_name,
                                 error.cell, error.note, error.message)


def add_frictionless_errors(errors: list[FrictionlessError], tables: dict[str, TableStream], report: Any) -> None:
    """Report frictionless errors at their cells: the tables with errors are streamed again
    to find the records they point at."""
    by_path = {table.relative: table for table in tables.values()}
    pending: dict[str, dict[int, list[tuple[ProblemType, FrictionlessError]]]] = defaultdict(lambda: defaultdict(list))
    for error in errors:
        if error.type == "package":
            report.add(DESCRIPTOR, 1, 1, DESCRIPTOR_PROBLEM, error.message)
            continue
        table = by_path.get(error.place)
        problem_type = REPORTED.get(error.type)
        if table is None or problem_type is None:
            continue  # unreadable files, structure and encoding are reported by the files check
        if '"maxLength"' in (error.note or ""):
            continue  # the row model reports an oversized cell, once, with its length and the limit
        if error.row_number < 2:
            report.add(table.relative, 1, 1, problem_type, error.message)
            continue
        pending[table.relative][error.row_number].append((problem_type, error))
    for relative, rows in pending.items():
        table = by_path[relative]
        for number, record in table.records(report.max_rows):
            for problem_type, error in rows.pop(number, ()):
                add_frictionless_error(table, record, error, problem_type, report)
            if not rows:
                break


def add_frictionless_error(table: TableStream, record: Record, error: FrictionlessError, problem_type: ProblemType,
                           report: Any) -> None:
    """Report a frictionless error at its cell, now that the record is in hand."""
    column = error.field_name
    line, col = table.position(record, column) if column else (record.start_line, 1)
    cell = error.cell
    if problem_type is TYPE_ERROR:
        expected = re.search(r'"(\w+)', error.note or "")
        kind = expected.group(1) if expected else "of the right type"
        article = "an" if kind[0] in "aeiou" else "a"
        example = {"integer": "42", "number": "64000 or 6.5", "boolean": "true or false"}.get(kind, "")
        message = f"field {column!r}: {cell!r} is not {article} {kind}; write it like {example}"
    elif problem_type is PRIMARY_KEY:
        message = f"duplicate ID {table.cell(record, column)!r} ({error.note}); IDs must be unique and are never reused"
    else:
        if (report.allow_drafts and '"required"' in (error.note or "") and table.cell(record, "status") == "draft"
                and column in model_of(table.name).english_fields()):
            return  # a draft may leave its English empty
        row_id = table.cell(record, primary_key(table.name)) if table.header else ""
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
    report.add(table.relative, line, col, problem_type, message)
