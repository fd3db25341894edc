"""``jiceng audit``'s own pass: is every number of the sources accounted for?

The audit answers that one question; whether the tables are well formed is
``jiceng validate``'s (contributors run both). So this pass reads the four tables the
accounting needs column by column with pyarrow, takes from each row only the cells the
accounting uses (IDs, sources and their files, offsets, quotes, value words and figures,
the consistency checks) and runs validate's own functions on them: the provenance of
sources and quotes, the value-text and consistency checks, and the completeness audit.
Row models, cell text, ID gaps and the canonical form are left to ``jiceng validate``.

It vouches only for what it has checked. Anything it cannot vouch for — a file or cell it
cannot read, a quote off its offsets, a cell over its length, a draft, a number
unaccounted for, figures that disagree unrecorded — makes ``audit_package`` return None,
and the command then runs validate's checks on the four tables
(``validate_package(only=AUDIT_TABLES)``), which name each problem's file, line, column
and row. A clean package, the everyday case, is audited at the speed of the accounting;
a broken one is reported exactly as validate's checks report it.
"""

from __future__ import annotations

import math
import mmap
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ..columns import COLUMNS, MAX_LENGTHS, VOCABULARY_COLUMNS
from ..csvfile import DEFAULT_MAX_ROWS, TextFileError, read_utf8
from ..pathsafety import unsafe_reason
from ..registry import DATA_TABLES
from ..sourcetext import occurrence
from ..vocab import Vocabularies
from .checks.consistency import RecordedCheck, evaluate, recorded_differently
from .checks.number_accounting import audit_documents, check_value_text, metric_spans
from .checks.provenance import (
    MAX_SOURCE_BYTES,
    LazyDocuments,
    SourceSpan,
    check_hash,
    check_length,
    check_quote,
    check_same_hash,
    check_span,
    file_size,
)
from .report import Report

NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
BOM = b"\xef\xbb\xbf"


class Doubt(Exception):
    """Something this pass cannot vouch for; validate's checks will say what and where."""


def doubt(column: str, problem_type: Any, message: str) -> None:
    """The ``problem`` callback of the provenance functions: any problem is a doubt."""
    raise Doubt(f"{column}: {message}")


class MetricCells(SimpleNamespace):
    """The cells of a metrics row that the accounting reads, typed."""

    def value_offset(self) -> int | None:  # as the row model's
        return occurrence(self.quote, self.value_text, self.value_occurrence)


ACCOUNTING = "checking sources, quotes, values and every number"


def audit_package(root: Path, display_root: str = "", allow_drafts: bool = False,
                  max_rows: int = DEFAULT_MAX_ROWS, progress: Any = None) -> Report | None:
    """The audit's report on a package it can vouch for, or None (then run
    ``validate_package(only=AUDIT_TABLES)`` to report what is wrong, and where).
    ``progress`` (a ``progress.Progress``) hears of each table and of the accounting."""
    report = Report(root=root, display_root=display_root, max_rows=max_rows, allow_drafts=allow_drafts,
                    progress=progress)
    try:
        Accounting(root, report).run()
    except (Doubt, TextFileError, OSError, UnicodeError, ValueError, KeyError):
        return None  # pyarrow's ArrowInvalid is a ValueError
    return report


def integer(text: str) -> int:
    if not (text.isascii() and text.isdigit()):  # (stricter than the schema's form, which allows a sign)
        raise Doubt(f"{text!r} is not an integer")
    return int(text)


def optional_integer(text: str) -> int | None:
    return integer(text) if text else None


def number(text: str) -> float:
    value = float(text) if NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value):
        raise Doubt(f"{text!r} is not a number")
    return value


def optional_number(text: str) -> float | None:
    return number(text) if text else None


class Columns(dict):
    """A table's columns as lists of strings (empty cells as ""), each converted from
    Arrow when first asked for: the accounting reads few of them."""

    def __init__(self, table: Any) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, column: str) -> list[str]:
        self[column] = cells = self.table.column(column).to_pylist()
        return cells

    def integers(self, column: str) -> list[int]:
        """A column of offsets or lengths as ints, each cell only ASCII digits (as ``integer``
        requires), checked and converted by Arrow rather than one Python call a cell."""
        import pyarrow as pa

        cells = self.table.column(column)
        digits = compute("and", compute("string_is_ascii", cells), compute("utf8_is_digit", cells))
        if not compute("all", digits).as_py():
            raise Doubt(f"a {column} cell is not an integer")
        return compute("cast", cells, to=pa.int64()).to_pylist()


def read_columns(root: Path, name: str, report: Report) -> Columns:
    """A table's columns (see ``Columns``), after the checks that
    are cheap on whole columns: header, width, UTF-8 without BOM or CR, row count, cell
    lengths, vocabulary codes and drafts. No Python value goes into a pyarrow function:
    converting one imports pandas, which costs more than auditing a small package."""
    import pyarrow as pa
    import pyarrow.csv as pv

    relative = DATA_TABLES[name].path
    if unsafe_reason(root, relative):
        raise Doubt(f"{relative}: unsafe path")
    report.step(f"reading {relative}")
    with open(root / relative, "rb") as handle:  # mapped, not copied: the page cache is read in place
        raw = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)  # (an empty file is a ValueError)
    if raw[:len(BOM)] == BOM or raw.find(b"\r") >= 0:
        raise Doubt(f"{relative}: BOM or CR")
    columns = list(COLUMNS[name])
    table = pv.read_csv(
        pa.py_buffer(raw),
        read_options=pv.ReadOptions(use_threads=False),
        parse_options=pv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pv.ConvertOptions(column_types={column: pa.string() for column in columns},
                                          strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    if table.column_names != columns or not 0 < table.num_rows <= report.max_rows:
        raise Doubt(f"{relative}: header or row count")
    vocabularies = Vocabularies(root)
    for column, limit in MAX_LENGTHS[name].items():
        if compute("max", compute("utf8_length", table.column(column))).as_py() > limit:
            raise Doubt(f"{relative}: a {column} cell is longer than {limit}")
    for column, (vocabulary, required) in VOCABULARY_COLUMNS[name].items():
        codes = set(vocabularies.codes(vocabulary)) | (set() if required else {""})
        if not codes.issuperset(compute("unique", table.column(column)).to_pylist()):
            raise Doubt(f"{relative}: a {column} cell is not a code of {vocabulary}")
    if not report.allow_drafts and "draft" in compute("unique", table.column("status")).to_pylist():
        raise Doubt(f"{relative}: a draft row")
    report.row_counts[name] = table.num_rows
    report.step(f"reading {relative}", table.num_rows, finished=True)
    return Columns(table)


def compute(function: str, *columns: Any, to: Any = None) -> Any:
    """A pyarrow compute function called by name (``to``: the type a cast converts to):
    ``pyarrow.compute`` itself builds a Python wrapper of every function when imported, a
    tenth of a small audit."""
    try:
        from pyarrow._compute import CastOptions, call_function
    except ImportError:  # where a pyarrow release moves them, the public wrapper module has them
        from pyarrow.compute import CastOptions, call_function
    return call_function(function, list(columns), CastOptions.safe(to) if to is not None else None)


def unique(ids: list[str], table: str) -> set[str]:
    found = set(ids)
    if len(found) != len(ids) or "" in found:
        raise Doubt(f"{table}: an empty or repeated ID")
    return found


class Accounting:
    """One pass: sources, then consistency checks, non-metric numbers and metrics (the
    order validate streams them in), then the completeness audit."""

    def __init__(self, root: Path, report: Report) -> None:
        self.root, self.report = root, report
        self.sources: dict[str, SourceSpan] = {}

    def run(self) -> None:
        self.read_sources(read_columns(self.root, "sources", self.report))
        checks = read_columns(self.root, "consistency_checks", self.report)
        numbers = read_columns(self.root, "non_metric_numbers", self.report)
        metrics = read_columns(self.root, "metrics", self.report)
        self.report.step(ACCOUNTING)
        wanted = {metric_id for cell in checks["metric_ids"] for metric_id in cell.split()}
        number_spans, reasons = self.read_numbers(numbers, set(metrics["metric_id"]))
        metric_spans_by_path, figures = self.read_metrics(metrics, wanted)
        self.recompute(checks, figures)
        documents = LazyDocuments(self.sources)
        findings, tokens = audit_documents(documents, metric_spans_by_path, number_spans)
        if findings:
            raise Doubt(f"{len(findings)} number(s) not accounted for")
        self.report.step(ACCOUNTING, finished=True)
        self.report.audit_summary = {
            "number_tokens": tokens,
            "metrics": len(metrics["metric_id"]),
            "metric_spans": sum(len(spans) // 3 for spans in metric_spans_by_path.values()),
            "non_metric_rows": len(numbers["number_id"]),
            "non_metric_reasons": dict(sorted(reasons.items())),
            "uncovered": 0,
            "documents_audited": len({span.path for span in self.sources.values()}),
            "skipped": self.report.skipped,
        }

    def read_sources(self, cells: Columns) -> None:
        """Each source's file is read once per document and is what its rows record;
        texts cut from one document sit on paragraph boundaries and do not overlap."""
        unique(cells["source_id"], "sources")
        texts: dict[str, str] = {}
        digests: dict[str, str] = {}
        firsts: dict[str, SourceSpan] = {}
        for index, source_id in enumerate(cells["source_id"]):
            row = SimpleNamespace(
                source_id=source_id, path=cells["path"][index], sha256=cells["sha256"][index],
                document_length=integer(cells["document_length"][index]),
                span_start=integer(cells["span_start"][index]), span_end=integer(cells["span_end"][index]),
                heading_zh=cells["heading_zh"][index], byline_zh=cells["byline_zh"][index] or None)
            if row.path not in texts:
                texts[row.path] = self.read_source(row.path)
                digests[row.path] = check_hash(self.root, row, doubt)
            else:
                check_same_hash(row, digests[row.path], firsts[row.path], doubt)
            check_length(row, texts[row.path], doubt)
            check_span(row, texts[row.path], doubt)
            span = SourceSpan(source_id, cells["district_id"][index], row.path, row.span_start, row.span_end,
                              self.root, True, row.sha256)
            firsts.setdefault(row.path, span)
            self.sources[source_id] = span
        by_document: dict[str, list[SourceSpan]] = defaultdict(list)
        for span in self.sources.values():
            by_document[span.path].append(span)
        for spans in by_document.values():
            ordered = sorted(spans, key=lambda span: span.start)
            if any(right.start < left.end for left, right in zip(ordered, ordered[1:])):
                raise Doubt("overlapping sources")

    def read_source(self, path: str) -> str:
        if unsafe_reason(self.root, path) or file_size(self.root / path) > MAX_SOURCE_BYTES:
            raise Doubt(f"{path}: unsafe or too large")
        text = read_utf8(self.root / path)
        if "\r" in text or not unicodedata.is_normalized("NFC", text):
            raise Doubt(f"{path}: CR or not NFC")
        return text

    def quoted(self, table: Any, row: Any) -> str:
        """The row's quote is at its offsets in its own source; return the source's path."""
        source = self.sources.get(row.source_id)
        if source is None or not row.row_id.startswith(row.source_id + "-"):
            raise Doubt(f"{row.row_id}: unknown source {row.source_id}")
        check_quote(table, None, row, self.sources, doubt)
        return source.path

    def read_numbers(self, cells: Columns, metric_ids: set[str]) -> tuple[dict[str, array], Counter]:
        number_ids = unique(cells["number_id"], "non_metric_numbers")
        spans: dict[str, array] = defaultdict(lambda: array("q"))
        related = set()
        table = SimpleNamespace(name="non_metric_numbers")
        rows = zip(cells["number_id"], cells["source_id"], cells["quote"], cells["quote_prefix"],
                   cells["quote_suffix"], cells.integers("quote_start"), cells.integers("quote_end"),
                   cells["number_text"], cells["related_id"])
        for index, (number_id, source_id, quote, prefix, suffix, start, end, words, related_id) in enumerate(rows):
            row = SimpleNamespace(row_id=number_id, source_id=source_id, quote=quote, quote_prefix=prefix,
                                  quote_suffix=suffix, quote_start=start, quote_end=end, number_text=words or None)
            path = self.quoted(table, row)
            spans[path].extend((start, end, index))
            if related_id == number_id:
                raise Doubt(f"{number_id}: related_id points at the row itself")
            if related_id:
                related.add(related_id)
        if related - number_ids - metric_ids:
            raise Doubt("a related_id names no row")
        return spans, Counter(cells["reason"])

    def read_metrics(self, cells: Columns, wanted: set[str]) -> tuple[dict[str, array], dict[str, Any]]:
        """Each metric's quote is in place and its value_text reads as its value; return
        the spans of its number words by document, and the figures the checks name."""
        unique(cells["metric_id"], "metrics")
        spans: dict[str, array] = defaultdict(lambda: array("q"))
        figures: dict[str, Any] = {}
        agreeing: set[tuple] = set()  # (value_text, value, value_max, qualifier) read as agreeing
        table = SimpleNamespace(name="metrics")
        rows = zip(cells["metric_id"], cells["source_id"], cells["district_id"], cells["quote"],
                   cells["quote_prefix"], cells["quote_suffix"], cells.integers("quote_start"),
                   cells.integers("quote_end"), cells["value"], cells["value_max"], cells["qualifier"],
                   cells["value_type"], cells["value_text"], cells["period_text"], cells["value_occurrence"])
        for index, (metric_id, source_id, district_id, quote, prefix, suffix, start, end, value, value_max,
                    qualifier, value_type, value_text, period_text, nth) in enumerate(rows):
            row = MetricCells(
                row_id=metric_id, metric_id=metric_id, source_id=source_id, district_id=district_id, quote=quote,
                quote_prefix=prefix, quote_suffix=suffix, quote_start=start, quote_end=end,
                value=number(value), value_max=optional_number(value_max), qualifier=qualifier,
                value_type=value_type, value_text=value_text, period_text=period_text or None,
                value_occurrence=optional_integer(nth))
            if (row.qualifier == "range") != (row.value_max is not None) or (
                    row.value_max is not None and row.value > row.value_max):
                raise Doubt(f"{metric_id}: qualifier and value_max disagree")
            path = self.quoted(table, row)
            for words_start, words_end in metric_spans(row):
                spans[path].extend((words_start, words_end, index))
            words = (row.value_text, row.value, row.value_max, row.qualifier)
            if words not in agreeing:
                if check_value_text(row):
                    raise Doubt(f"{metric_id}: value_text disagrees with the value")
                agreeing.add(words)
            if metric_id in wanted:
                figures[metric_id] = row
        return spans, figures

    def recompute(self, cells: Columns, figures: dict[str, Any]) -> None:
        """Each consistency check agrees, or its disagreement is recorded as an annotation."""
        unique(cells["check_id"], "consistency_checks")
        for index, check_id in enumerate(cells["check_id"]):
            if cells["source_id"][index] not in self.sources:
                raise Doubt(f"{check_id}: unknown source")
            check = RecordedCheck(check_id, cells["kind"][index], tuple(cells["metric_ids"][index].split()),
                                  cells["annotation_id"][index] or None, cells["outcome"][index],
                                  number(cells["recomputed"][index]))
            if any(metric_id not in figures for metric_id in check.metrics):
                raise Doubt(f"{check_id}: unknown metric")
            outcome = evaluate(check.kind, [figures[metric_id] for metric_id in check.metrics])
            if recorded_differently(check, outcome) or not (outcome.agrees or check.annotation_id):
                raise Doubt(f"{check_id}: recorded differently or disagrees unrecorded")
            self.report.consistency.append((check_id, outcome.agrees, outcome.explanation, check.annotation_id))
