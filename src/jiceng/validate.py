"""``jiceng validate``: check a copy of the data package, layer by layer.

Layers (see ``problems.CHECKS`` for every check), each in a module of its own where it
has more than a few lines (``standard``, ``keys``, ``celltext``, ``provenance``, ``audit``,
``consistency``); this one reads the files and streams the rows through them:

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

import bisect
import json
import os
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .audit import audit_documents, check_value_text, line_and_column, metric_spans
from .bundle import DESCRIPTOR
from .celltext import check_cell_text
from .consistency import Check, Figure, evaluate, recorded_differently
from .csvfile import DEFAULT_MAX_ROWS, LineIndex, Record, TextFileError, check_utf8_lines, iter_records, read_utf8
from .keys import Keys, key_hash, primary_key
from .models import TABLES
from .pathsafety import unsafe_reason
from .problems import Problem
from .progress import EVERY
from .provenance import LazyDocuments, SourceSpan, check_goals, check_quote, check_source, line_of
from .standard import Finished, StandardError, add_frictionless_errors, start_frictionless, without_keys
from .tablefile import ID_NUMBER, first_difference, new_id, next_free_numbers
from .vocab import VOCABULARIES, Vocabularies

DEFAULT_MAX_PER_CHECK = 200


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
    progress: Any = None  # a progress.Progress, or None for silence
    allow_drafts: bool = False
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what completeness did not check, and why
    _per_check: Counter = field(default_factory=Counter)
    _seen: set = field(default_factory=set)

    def step(self, stage: str, rows: int = 0, finished: bool = False) -> None:
        if self.progress is not None:
            self.progress(stage, rows, finished)

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

    def warn(self, relative: str, line: int, column: int, check: str, message: str) -> None:
        """A finding that does not make the package invalid (an ID gap)."""
        self.warnings.append(Problem(self.display(relative), line, column, check, message))

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
            "warnings": [warning.as_dict() for warning in self.warnings],
            "skipped": self.skipped,
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
    only: tuple[str, ...] | None = None, progress: Any = None, allow_drafts: bool = False,
) -> Report:
    """Validate the data package in directory ``root`` (never modifies it).

    ``only`` restricts the run to some tables (and the vocabularies), without the standard
    layer: ``jiceng audit`` reads just ``AUDIT_TABLES``, which is all the audit needs.
    ``progress`` (a ``progress.Progress``) hears of each table as it is read. Rows with
    status ``draft`` are problems unless ``allow_drafts``."""
    report = Report(root=root, display_root=display_root, max_per_check=max_per_check, max_rows=max_rows,
                    progress=progress, allow_drafts=allow_drafts)
    descriptor = read_descriptor(root, report)
    if descriptor is None:
        return report
    safe_resources = check_paths(root, descriptor, report)
    report.step("reading the tables (UTF-8, CSV structure)")
    tables = read_tables(root, report, only)
    report.step("reading the tables (UTF-8, CSV structure)", sum(report.row_counts.values()), finished=True)
    if only is None:
        check_schema_drift(root, report)
        sound_paths = {table.relative for table in tables.values() if table.sound}
        resources = [without_keys(root, item) for item in safe_resources if item.get("path") in sound_paths]
        standard = start_frictionless(root, {**descriptor, "resources": resources}, report)
    else:
        standard = Finished([])
    deferred = check_rows(root, tables, Vocabularies(root), report)
    report.step("checking across tables (keys, spans, audit, consistency)", finished=True)
    if only is None:
        report.step("waiting for the Frictionless checks")
    try:
        errors = standard.result()
    except Exception as error:  # the worker process died (killed, out of memory...)
        errors = [StandardError("", "package", 0, None, None, "", f"the standard checks stopped: {error}")]
    add_frictionless_errors(errors, tables, report)
    for relative, line, column, message in deferred:
        if not report.has_problem_at(relative, line, column):
            report.add(relative, line, column, "row-model", message)
    report.problems.sort(key=lambda problem: (problem.path, problem.line, problem.column))
    if only is None:
        report.step("waiting for the Frictionless checks", finished=True)
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
    """Layer 0: every table (or those named in ``only``, without the canonical-form check)
    and vocabulary file is UTF-8 CSV of the right shape.

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
            if table.sound and only is None:  # the canonical form is validate's concern, not the audit's
                check_format(table, report)
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


def check_format(table: LoadedTable, report: Report) -> None:
    """A sound table is in the canonical form that every jiceng command writes."""
    place = first_difference(table.path)
    if place is not None:
        command = f"jiceng fmt {report.display_root}".rstrip()
        report.add(table.relative, place[0], place[1], "format",
                   f"not in the canonical CSV form from here on (quote a cell only when it holds a comma, "
                   f"a double quote or a line break; LF line ends; a final newline); run `{command}` to rewrite it")


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
    digests: dict[str, str] = field(default_factory=dict)
    source_rows: list[tuple[int, SourceSpan]] = field(default_factory=list)
    checks: list[tuple[int, Check]] = field(default_factory=list)
    wanted_metrics: set[str] = field(default_factory=set)
    metrics_by_id: dict[str, Figure] = field(default_factory=dict)
    number_ids: set[str] = field(default_factory=set)
    related: set[str] = field(default_factory=set)
    metric_spans: dict[str, array] = field(default_factory=lambda: defaultdict(spans))
    number_spans: dict[str, array] = field(default_factory=lambda: defaultdict(spans))
    reasons: Counter = field(default_factory=Counter)
    tied: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    check_annotation_kinds: dict[str, str | None] = field(default_factory=dict)
    fact_spans: dict[str, dict[str, array]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(spans)))
    fact_links: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)
    fact_tied: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    annotation_spans: dict[str, list[tuple[int, int, str]]] = field(default_factory=lambda: defaultdict(list))
    withdrawn_annotations: set[str] = field(default_factory=set)
    valid: Counter = field(default_factory=Counter)
    invalid: Counter = field(default_factory=Counter)
    unaudited: dict[str, str] = field(default_factory=dict)  # source_id → why its numbers cannot be audited
    id_numbers: dict[tuple[str, str], array] = field(default_factory=lambda: defaultdict(spans))


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
        stage = None if name.startswith("vocabulary:") else f"checking {table.relative}"
        if stage:
            report.step(stage)
        for number, record, values in table.rows(report.max_rows):
            if stage and not number % EVERY:
                report.step(stage, number - 1)
            check_cell_text(table, record, values, kinds, report)
            if values.get("status") == "draft":
                if not report.allow_drafts:
                    report_draft(table, record, values, report)
                elif not name.startswith("vocabulary:"):
                    values = {**values, **{c: "" for c in model.english_fields() if values.get(c) is None}}
            for reference, value in keys.row(name, values):
                line, col = table.position(record, reference.column)
                report.add(table.relative, line, col, "foreign-key", reference.message(value))
            if name in ID_TABLES:
                remember_id_number(name, number, values, state)
            try:
                row = model.model_validate(values, context=context)
            except ValidationError as error:
                state.invalid[name] += 1
                if name in AUDITED + ("sources",) and values.get("source_id"):
                    state.unaudited.setdefault(values["source_id"], f"a row of data/{name}.csv is invalid")
                for item in error.errors(include_url=False):
                    add_model_error(table, record, item, report, deferred)
                continue
            state.valid[name] += 1
            check_row(root, name, table, number, record, row, state, report)
        if stage:
            report.step(stage, state.valid[name] + state.invalid[name], finished=True)
        keys.finish(name)
        if name == "non_metric_numbers":
            state.related -= state.number_ids
            state.number_ids = set()
    report.step("checking across tables (keys, spans, audit, consistency)")
    check_keys_again(tables, keys, report)
    check_id_gaps(tables, state, report)
    check_source_overlaps(tables.get("sources"), state, report)
    check_related_ids(tables.get("non_metric_numbers"), state, report)
    check_completeness(tables, state, report)
    check_consistency(tables.get("consistency_checks"), state, report)
    check_annotation_links(tables, state, report)
    return deferred


def report_draft(table: LoadedTable, record: Record, values: dict[str, Any], report: Report) -> None:
    line, col = table.position(record, "status")
    row_id = values.get(primary_key(table.name)) or "this row"
    report.add(table.relative, line, col, "draft",
               f"{row_id} is a draft: check it against the source, fill what is empty and set status to active "
               "(or withdraw it); `--allow-drafts` accepts drafts while you work")


def check_row(root: Path, name: str, table: LoadedTable, number: int, record: Record, row: Any,
              state: Collected, report: Report) -> None:
    """Per-row provenance, and what later checks need to remember of the row."""
    if name == "sources":
        before = sum(report._per_check[check] for check in PROVENANCE_CHECKS)
        check_source(root, table, number, record, row, state, report)
        if sum(report._per_check[check] for check in PROVENANCE_CHECKS) > before:
            state.unaudited.setdefault(row.source_id, "its source file or span is not as recorded")
    elif name == "districts":
        check_goals(table, record, row, state.sources, report)
    elif name == "consistency_checks":
        state.checks.append((number, Check(row.check_id, row.kind, tuple(row.metrics), row.annotation_id,
                                           row.outcome, row.recomputed)))
        state.wanted_metrics.update(row.metrics)
        if row.annotation_id:
            state.check_annotation_kinds[row.annotation_id] = None
            for metric_id in row.metrics:
                state.tied[metric_id].add(row.annotation_id)
    elif name in ("metrics", "non_metric_numbers", "initiatives", "annotations"):
        before = sum(report._per_check[check] for check in PROVENANCE_CHECKS)
        check_quote(table, record, row, state.sources, report)
        if name in AUDITED and sum(report._per_check[check] for check in PROVENANCE_CHECKS) > before:
            state.unaudited.setdefault(row.source_id, f"a quote of data/{name}.csv is not at its offsets")
        source = state.sources.get(row.source_id)
        path = source.path if source else ""
        if name in ("metrics", "initiatives"):
            remember_links(name, number, path, row, state)
        elif name == "annotations":
            if row.annotation_id in state.check_annotation_kinds:
                state.check_annotation_kinds[row.annotation_id] = row.kind
            if row.status == "withdrawn":
                state.withdrawn_annotations.add(row.annotation_id)
            else:
                state.annotation_spans[path].append((row.quote_start, row.quote_end, row.annotation_id))
        if name == "metrics":
            state.related.discard(row.metric_id)
            if row.metric_id in state.wanted_metrics:
                state.metrics_by_id[row.metric_id] = Figure(row.metric_id, row.value, row.value_type, row.value_text)
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


def remember_links(name: str, number: int, path: str, row: Any, state: Collected) -> None:
    """What the annotation-link check needs of a metric or initiative: its quote's span,
    its links (if any) and the annotations that consistency checks tie it to."""
    state.fact_spans[name][path].extend((row.quote_start, row.quote_end, number))
    if row.annotation_ids:
        state.fact_links[(name, number)] = tuple(row.annotation_ids.split())
    tied = state.tied.get(row.metric_id) if name == "metrics" else None
    if tied:
        state.fact_tied[(name, number)] = tied


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
        duplicates = []
        keys_seen = []
        for _, record, values in table.rows(report.max_rows):
            key = values.get(key_column)
            if key is not None and recheck.duplicate_hashes:
                keys_seen.append(key)
            if key is not None and key_hash(key) in recheck.duplicate_hashes:
                if key in first_line:
                    duplicates.append((record, key))
                else:
                    first_line[key] = record.start_line

            for reference, missing in recheck.dangling.items():
                value = values.get(reference.column)
                if value is not None and value in missing:
                    line, col = table.position(record, reference.column)
                    report.add(table.relative, line, col, "foreign-key", reference.message(value))
        free = next_free_numbers(keys_seen)
        for record, key in duplicates:
            line, col = table.position(record, key_column)
            stem = ID_NUMBER.match(key)
            suggestion = f"; the next free ID is {new_id(stem['stem'][:-2], stem['stem'][-1], free)}" if stem else ""
            report.add(table.relative, line, col, "primary-key",
                       f"duplicate ID {key!r} (first on line {first_line[key]}); IDs must be unique and are never "
                       f"reused{suggestion}")


def add_model_error(table: LoadedTable, record: Record, item: dict[str, Any], report: Report,
                    deferred: list[tuple[str, int, int, str]]) -> None:
    header = table.header
    location = [part for part in item.get("loc", ()) if isinstance(part, str)]
    message = str(item.get("msg", "")).removeprefix("Value error, ")
    column = location[0] if location else message.split(" ", 1)[0].rstrip(":,")
    if column not in header:
        column = header[0]
    line, col = table.position(record, column)
    if item.get("type") == "string_too_long":  # frictionless leaves this cell to the model
        length, limit = len(item.get("input") or ""), item["ctx"]["max_length"]
        report.add(table.relative, line, col, "constraint-error",
                   f"field {column!r} has {length:,} characters, more than the {limit:,} it may have; "
                   "shorten it (the data dictionary gives every column's limit)")
    elif location:
        deferred.append((table.relative, line, col, f"field {column!r}: {message}"))
    elif " is not a code of the " in message:
        deferred.append((table.relative, line, col, message))  # the standard layer may report the cell
    else:
        report.add(table.relative, line, col, "row-model", message)


# -- checks across rows, after the pass ---------------------------------------------------


def check_source_overlaps(table: LoadedTable | None, state: Collected, report: Report) -> None:
    """Texts cut from one document do not overlap."""
    by_document: dict[str, list[tuple[int, SourceSpan]]] = defaultdict(list)
    for item in state.source_rows:
        by_document[item[1].path].append(item)
    problems: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for members in by_document.values():
        ordered = sorted(members, key=lambda item: item[1].start)
        for (_, left), (number, right) in zip(ordered, ordered[1:]):
            if right.start < left.end:
                problems[number].append(("span_start", "source-span",
                                         f"span [{right.start}, {right.end}) overlaps {left.source_id} "
                                         f"[{left.start}, {left.end})"))
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


# -- layers 4 and 5: completeness and consistency ---------------------------------------

PROVENANCE_CHECKS = ("quote-offsets", "quote-selector", "source-hash", "source-span", "source-text")


AUDITED = ("metrics", "non_metric_numbers")
ID_TABLES = tuple(name for name, model in TABLES.items() if model.table.id_letter)


def check_completeness(tables: dict[str, LoadedTable], state: Collected, report: Report) -> None:
    """Layer 4: every number of every source is a metric or a listed non-metric number.

    Checked for every document whose sources' rows all parsed and sit at their offsets;
    the others are skipped, and ``report.skipped`` says which and why, because the audit
    would report gaps there that are not there."""
    needed = ("sources", "metrics", "non_metric_numbers")
    missing = [name for name in needed if name not in tables]
    if missing:
        report.skipped.append(f"every source: data/{missing[0]}.csv could not be read")
        return
    by_document: dict[str, list[SourceSpan]] = defaultdict(list)
    for span in state.sources.values():
        by_document[span.path].append(span)
    # A source whose own row is invalid has no known path, but its ID names its document
    # (``<document id>-<n>``): its siblings' document is skipped too, or the audit would
    # report every number of its essay as unaccounted for.
    unplaced: dict[str, list[str]] = defaultdict(list)
    for source_id, reason in state.unaudited.items():
        if source_id not in state.sources:
            report.skipped.append(f"{source_id}: {reason}")
            unplaced[document_of(source_id)].append(source_id)
    audited: dict[str, SourceSpan] = {}
    for path, members in by_document.items():
        reasons = [f"{span.source_id}: {state.unaudited[span.source_id]}" for span in members
                   if span.source_id in state.unaudited]
        documents_here = {document_of(span.source_id) for span in members}
        reasons += [f"{source_id} of the same document: its row is invalid"
                    for document in sorted(documents_here) for source_id in unplaced.get(document, ())]
        if not all(span.readable for span in members):
            reasons.append("the text cannot be read")
        if reasons:
            report.skipped.append(f"{path} (sources {', '.join(span.source_id for span in members)}): "
                                  + "; ".join(reasons))
        else:
            audited.update({span.source_id: span for span in members})
    paths = {span.path for span in audited.values()}
    documents = LazyDocuments(audited)
    metric_spans = {path: flat for path, flat in state.metric_spans.items() if path in paths}
    number_spans = {path: flat for path, flat in state.number_spans.items() if path in paths}
    findings, tokens = audit_documents(documents, metric_spans, number_spans)
    metric_ids = row_ids(tables["metrics"], {f.metric_row for f in findings if f.metric_row}, report)
    number_ids = row_ids(tables["non_metric_numbers"], {f.number_row for f in findings if f.number_row}, report)
    at_rows: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for finding in findings:
        message = finding.message(metric_ids.get(finding.metric_row), number_ids.get(finding.number_row))
        if finding.kind in ("unused", "conflict"):
            at_rows[finding.number_row].append(("quote", "audit", message))
        else:
            line, col = line_and_column(documents[finding.path], finding.offset)
            report.add(finding.path, line, col, "audit", message)
    report_at_rows(tables["non_metric_numbers"], at_rows, report)
    report.audit_summary = {
        "number_tokens": tokens,
        "metrics": state.valid["metrics"],
        "metric_spans": sum(len(spans) // 3 for spans in metric_spans.values()),
        "non_metric_rows": state.valid["non_metric_numbers"],
        "non_metric_reasons": dict(sorted(state.reasons.items())),
        "uncovered": sum(1 for finding in findings if finding.kind == "uncovered"),
        "documents_audited": len(paths),
        "skipped": report.skipped,
    }


def document_of(source_id: str) -> str:
    """The document a source ID names: the ID without its ``-<n>`` essay number."""
    return source_id.rsplit("-", 1)[0]


def remember_id_number(name: str, number: int, values: dict[str, Any], state: Collected) -> None:
    """Keep each per-source ID's number and row number (two integers), to find gaps."""
    match = ID_NUMBER.match(values.get(primary_key(name)) or "")
    if match:
        state.id_numbers[(name, match["stem"])].extend((int(match["number"]), number))


def check_id_gaps(tables: dict[str, LoadedTable], state: Collected, report: Report) -> None:
    """An ID number skipped inside a source (n005, then n007) is a warning: numbers are
    given in order, so a gap usually means a row was deleted instead of withdrawn."""
    warnings: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for (name, stem), flat in state.id_numbers.items():
        pairs = sorted(zip(flat[0::2], flat[1::2]))
        for (previous, _), (current, row_number) in zip(pairs, pairs[1:]):
            if current > previous + 1:
                missing = f"{stem}{previous + 1:03d}" + (f" to {stem}{current - 1:03d}" if current > previous + 2 else "")
                warnings[name][row_number].append(
                    f"ID gap: {missing} missing before this row; a released row is withdrawn, never deleted, "
                    "and new rows take the next free number")
    for name, by_row in warnings.items():
        table = tables[name]
        last = max(by_row)
        for number, record in table.records(report.max_rows):
            for message in by_row.get(number, ()):
                line, col = table.position(record, primary_key(name))
                report.warn(table.relative, line, col, "id-gap", message)
            if number >= last:
                break


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
        for column, message in recorded_differently(check, outcome):
            problems[number].append((column, "consistency", message))
        kind = state.check_annotation_kinds.get(check.annotation_id or "")
        if not outcome.agrees and not check.annotation_id:
            problems[number].append(("annotation_id", "consistency",
                                     f"figures disagree ({outcome.explanation}); record the defect in "
                                     "annotations.csv as an inconsistent_value and give its annotation_id here"))
        elif not outcome.agrees and kind is not None and kind != "inconsistent_value":
            problems[number].append(("annotation_id", "consistency",
                                     f"figures disagree ({outcome.explanation}) but annotation {check.annotation_id} "
                                     f"is a {kind}; record the disagreement as kind inconsistent_value"))
    report_at_rows(table, problems, report)


def check_annotation_links(tables: dict[str, LoadedTable], state: Collected, report: Report) -> None:
    """Metrics and initiatives link exactly the annotations near them: those whose span
    overlaps the row's quote, and those that a consistency check naming the row is tied to.

    Skipped when the annotations were not read or quotes are misplaced (spans would lie)."""
    if "annotations" not in tables or state.invalid["annotations"]:
        return
    if any(report._per_check[check] for check in PROVENANCE_CHECKS):
        return
    by_path = {path: sorted(items) for path, items in state.annotation_spans.items()}
    for name in ("metrics", "initiatives"):
        problems: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for path, flat in state.fact_spans.get(name, {}).items():
            annotations = by_path.get(path, [])
            starts = [start for start, _, _ in annotations]
            longest = max((end - start for start, end, _ in annotations), default=0)
            for start, end, number in zip(flat[0::3], flat[1::3], flat[2::3]):
                overlapping = set(overlaps(start, end, annotations, starts, longest))
                tied = state.fact_tied.get((name, number), set())
                message = link_problems(state.fact_links.get((name, number), ()), overlapping, tied,
                                        state.withdrawn_annotations)
                if message:
                    problems[number].append(("annotation_ids", "annotation-link", message))
        report_at_rows(tables.get(name), problems, report)


def overlaps(start: int, end: int, annotations: list[tuple[int, int, str]], starts: list[int], longest: int) -> Iterator[str]:
    """IDs of the annotations (sorted by start) whose span overlaps [start, end)."""
    index = bisect.bisect_left(starts, end) - 1
    while index >= 0 and starts[index] >= start - longest:
        if annotations[index][1] > start:
            yield annotations[index][2]
        index -= 1


def link_problems(given: tuple[str, ...], overlapping: set[str], tied: set[str], withdrawn: set[str]) -> str | None:
    """One message for a row's annotation_ids cell, or None when its links are exactly right."""
    parts = []
    for missing in sorted((overlapping | tied) - set(given)):
        why = "its span overlaps the quote" if missing in overlapping else "a consistency check of this metric names it"
        parts.append(f"add {missing} to annotation_ids ({why})")
    for link in dict.fromkeys(given):
        if link in withdrawn:
            parts.append(f"remove {link} from annotation_ids: it is withdrawn")
        elif link not in overlapping and link not in tied:
            parts.append(f"remove {link} from annotation_ids: no annotation with that ID overlaps the quote "
                         "or is named by a consistency check of this row")
    if len(given) != len(set(given)):
        parts.append("annotation_ids names an annotation twice")
    return "; ".join(parts) or None
