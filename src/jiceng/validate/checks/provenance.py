"""Layer 3, provenance: source files are what sources.csv records, essays sit where
recorded and do not overlap, and every quote is found at its offsets inside its own source.

Documents are read through a small cache, one at a time, so that a corpus of thousands
of documents is never all in memory.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ...columns import COLUMNS
from ...csvfile import Record, TextFileError, read_utf8
from ...locate import nearest_passage
from ...pathsafety import unsafe_reason
from ...registry import QUOTED_TABLES
from ..check import Check
from ..report import ProblemType
from ..streams import TableStream
from .files import PATH_SAFETY, line_of

if TYPE_CHECKING:
    from ...models import Quoted

# The largest source file the validator reads (bytes). The bundled documents are about
# 20 KB; a whole newspaper issue in one file stays well under a megabyte. A larger file
# is an error at its row rather than an unbounded read.
MAX_SOURCE_BYTES = 16 * 2**20

SOURCE_HASH = ProblemType("source-hash", 3, "Source file changed",
                          "A source file's sha256 or length differs from what sources.csv records.")
SOURCE_TEXT = ProblemType("source-text", 3, "Source text not canonical",
                          "A source text must be UTF-8, NFC-normalised, with LF line ends, so that offsets count "
                          "the same code points everywhere, and at most 16 MiB (MAX_SOURCE_BYTES).")
SOURCE_SPAN = ProblemType("source-span", 3, "Source span wrong",
                          "A source's span does not start with its heading, does not contain its byline, overlaps "
                          "another source's span, or does not sit on paragraph boundaries.")
QUOTE_OFFSETS = ProblemType("quote-offsets", 3, "Quote not at its offsets",
                            "text[quote_start:quote_end] differs from the quote; `jiceng locate` repairs offsets.")
QUOTE_SELECTOR = ProblemType("quote-selector", 3, "Quote ambiguous or misplaced",
                             "A quote occurring more than once lacks the prefix/suffix that picks its occurrence, a "
                             "prefix/suffix does not match the text around it, or the quote lies outside its "
                             "source's span.")
QUOTE_CONTENT = ProblemType("quote-content", 3, "Quote does not contain the row's words",
                            "A metric's value_text must occur in its quote (value_occurrence picks one of several "
                            "occurrences) and its period_text in its quote; "
                            "an initiative named as written must have its name in its quote.")
ATTRIBUTION = ProblemType("attribution", 3, "Row attributed to another district",
                          "A row's district differs from the district of its source.")
LOCATE = ProblemType("locate", 3, "Quote cannot be located",
                     "A quote's offsets cannot be filled because its source is unknown or the quote is not "
                     "exactly in the source text (reported by `jiceng locate`).", command="locate")

# The problem types that say a source or quote is not where it is recorded: after any of
# them, spans are not to be trusted (completeness and annotation links skip what they touch).
MISPLACED = (QUOTE_OFFSETS, QUOTE_SELECTOR, SOURCE_HASH, SOURCE_SPAN, SOURCE_TEXT)

# The quoted tables whose numbers the number accounting checks against their source
AUDITED_QUOTES = ("metrics", "non_metric_numbers")
# Per quoted table, the columns the row's place is checked against (present in its model)
WITH_DISTRICT = tuple(name for name in QUOTED_TABLES if "district_id" in COLUMNS[name])
WITH_RELATED_SPAN = tuple(name for name in QUOTED_TABLES if "related_source_id" in COLUMNS[name])

Problem = Callable[[str, ProblemType, str], None]


def cell_reporter(run: Any, table: TableStream, record: Record) -> Problem:
    """``problem(column, type, message)`` for one record."""
    return lambda column, problem_type, message: run.add(table, record, column, problem_type, message)


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
    sha256: str = ""

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


class Provenance(Check):
    problem_types = (SOURCE_HASH, SOURCE_TEXT, SOURCE_SPAN, QUOTE_OFFSETS, QUOTE_SELECTOR, QUOTE_CONTENT,
                     ATTRIBUTION, LOCATE)  # LOCATE: the same placing of quotes, by `jiceng locate`
    order = 40
    tables = ("sources", "districts") + QUOTED_TABLES

    def start(self) -> None:
        self.documents: dict[str, SourceSpan] = {}  # path → the span of its first source
        self.digests: dict[str, str] = {}  # path → the file's sha256
        self.source_rows: list[tuple[int, SourceSpan]] = []  # sources whose file could be read, by row number

    def row(self, table: TableStream, number: int, record: Record, row: Any) -> None:
        name = table.name
        if name == "sources":
            before = self.report.count(*MISPLACED)
            self.check_source(table, number, record, row)
            if self.report.count(*MISPLACED) > before:
                self.run.unaudited.setdefault(row.source_id, "its source file or span is not as recorded")
        elif name == "districts":
            check_goals(table, record, row, self.run.sources, self.run)
        elif name in AUDITED_QUOTES:  # counted only where the number accounting needs it (a count a row)
            before = self.report.count(*MISPLACED)
            check_quote(table, record, row, self.run.sources, cell_reporter(self.run, table, record))
            if self.report.count(*MISPLACED) > before:
                self.run.unaudited.setdefault(row.source_id, f"a quote of data/{name}.csv is not at its offsets")
        else:
            check_quote(table, record, row, self.run.sources, cell_reporter(self.run, table, record))

    def check_source(self, table: TableStream, number: int, record: Record, row: Any) -> None:
        """A source's file is read once per document; its hash, length and span are checked."""
        first = self.documents.get(row.path)
        problem = cell_reporter(self.run, table, record)
        text = first.text if first else read_source(self.run, row, problem)
        span = SourceSpan(row.source_id, row.district_id, row.path, row.span_start, row.span_end, self.run.root,
                          text is not None, row.sha256)
        self.run.sources[row.source_id] = span
        self.documents.setdefault(row.path, span)
        if text is None:
            return
        if first is None:
            self.digests[row.path] = check_hash(self.run.root, row, problem)
        else:
            check_same_hash(row, self.digests[row.path], first, problem)
        check_length(row, text, problem)
        check_span(row, text, problem)
        self.source_rows.append((number, span))

    def end(self) -> None:
        """Texts cut from one document do not overlap."""
        by_document: dict[str, list[tuple[int, SourceSpan]]] = defaultdict(list)
        for item in self.source_rows:
            by_document[item[1].path].append(item)
        problems: dict[int, list[tuple[str, ProblemType, str]]] = defaultdict(list)
        for members in by_document.values():
            ordered = sorted(members, key=lambda item: item[1].start)
            for (_, left), (number, right) in zip(ordered, ordered[1:]):
                if right.start < left.end:
                    problems[number].append(("span_start", SOURCE_SPAN,
                                             f"span [{right.start}, {right.end}) overlaps {left.source_id} "
                                             f"[{left.start}, {left.end})"))
        self.run.add_at_rows(self.run.tables.get("sources"), problems)


def read_source(run: Any, row: Any, problem: Problem) -> str | None:
    """The source file's text, if it can be read safely; problems of the file are reported
    at the file itself where they have a place in it, else at the row's path cell."""
    report = run.report
    reason = unsafe_reason(run.root, row.path)
    if reason:
        problem("path", PATH_SAFETY, f"path {row.path!r} {reason}")
        return None
    size = file_size(run.root / row.path)
    if size > MAX_SOURCE_BYTES:
        problem("path", SOURCE_TEXT,
                f"source file {row.path} has {size:,} bytes, more than the {MAX_SOURCE_BYTES:,} a source file may "
                "have (jiceng.validate.checks.provenance.MAX_SOURCE_BYTES); store one document (a page, an essay) "
                "per file")
        return None
    try:
        text = read_utf8(run.root / row.path)
    except TextFileError as error:
        if error.check == "encoding":
            report.add(row.path, error.line, error.column, SOURCE_TEXT, f"source file {row.path}: {error.message}")
        else:
            problem("path", SOURCE_HASH if error.check == "file" else SOURCE_TEXT,
                    f"source file {row.path}: {error.message}")
        return None
    if "\r" in text:
        bad_line, bad_col = line_of(text, "\r")
        report.add(row.path, bad_line, bad_col, SOURCE_TEXT, "has CR line ends; sources must use LF")
    if not unicodedata.is_normalized("NFC", text):
        offset = next(i for i, char in enumerate(text) if not unicodedata.is_normalized("NFC", text[max(0, i - 1): i + 2]))
        bad_line = text.count("\n", 0, offset) + 1
        report.add(row.path, bad_line, offset - text.rfind("\n", 0, offset), SOURCE_TEXT,
                   "is not NFC-normalised; offsets would differ between tools (normalise with unicodedata.normalize('NFC', ...))")
    return text


def file_size(path: Path) -> int:
    """Bytes of a file; 0 when it cannot be read (read_utf8 then says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def check_hash(root: Path, row: Any, problem: Problem) -> str:
    """The file's bytes are those recorded (hashed once per document); return the digest,
    which the document's other rows must record too."""
    digest = hashlib.sha256((root / row.path).read_bytes()).hexdigest()
    if digest != row.sha256:
        problem("sha256", SOURCE_HASH,
                f"{row.path} has sha256 {digest}, not the recorded {row.sha256}: the verbatim "
                "source was changed; restore it byte-for-byte (never edit sources)")
    return digest


def check_same_hash(row: Any, digest: str, first: SourceSpan, problem: Problem) -> None:
    """A later text cut from the same file records its digest too. A row that agrees with
    the file or with the document's first row is not blamed: a changed file is reported
    once, at the first row."""
    if row.sha256 not in (digest, first.sha256):
        problem("sha256", SOURCE_HASH,
                f"{row.path} has sha256 {digest}, not the recorded {row.sha256}: "
                "texts cut from one file record the file's one digest")


def check_length(row: Any, text: str, problem: Problem) -> None:
    """Every text cut from a file records the file's length in code points."""
    if len(text) != row.document_length:
        problem("document_length", SOURCE_HASH,
                f"{row.path} has {len(text)} code points, not the recorded {row.document_length}")


def check_span(row: Any, text: str, problem: Problem) -> None:
    if row.span_end > len(text):
        problem("span_end", SOURCE_SPAN, f"span_end {row.span_end} is past the end of {row.path} ({len(text)} code points)")
        return
    essay = text[row.span_start : row.span_end]
    if not essay.startswith(row.heading_zh):
        problem("span_start", SOURCE_SPAN, f"the text at span_start does not begin with the heading {row.heading_zh!r} "
                                           f"(it begins {essay[:20]!r})")
    if row.byline_zh and row.byline_zh not in essay:
        problem("byline_zh", SOURCE_SPAN, f"the byline {row.byline_zh!r} is not inside the span")
    if row.span_start > 0 and text[row.span_start - 1] != "\n":
        problem("span_start", SOURCE_SPAN, "span_start is not at the beginning of a paragraph")
    if row.span_end < len(text) and text[row.span_end] != "\n":
        problem("span_end", SOURCE_SPAN, "span_end is not at the end of a paragraph")


def check_quote(table: TableStream, record: Record, row: Quoted, sources: dict[str, SourceSpan], problem: Problem) -> None:
    source = sources.get(row.source_id)
    text = source.text if source is not None else None
    if text is None:
        return  # reported as a foreign-key or source problem already
    found = text[row.quote_start : row.quote_end]
    if found != row.quote:
        occurrences = find_all(text, row.quote)
        hint = (f"it occurs at {', '.join(map(str, occurrences[:5]))}" if occurrences
                else "it does not occur in the source at all: " + nearest_passage(text, row.quote, source.start, source.end))
        problem("quote_start", QUOTE_OFFSETS,
                f"text[{row.quote_start}:{row.quote_end}] is {found[:30]!r}, not the quote ({hint}); "
                "run `jiceng locate --write` to refill the offsets")
        return
    if not (source.start <= row.quote_start and row.quote_end <= source.end):
        problem("quote_start", QUOTE_SELECTOR,
                f"the quote lies outside source {row.source_id}'s span [{source.start}, {source.end}); "
                "cite the printing inside the row's own source")
    check_selector(text, (source.start, source.end), row, problem)
    QUOTE_CONTENT_RULES.get(table.name, no_content_rule)(row, problem)
    if table.name in WITH_DISTRICT and row.district_id != source.district_id:
        problem("district_id", ATTRIBUTION,
                f"district {row.district_id} differs from source {row.source_id}'s district {source.district_id}")
    if table.name in WITH_RELATED_SPAN and row.related_source_id:
        other = sources.get(row.related_source_id)
        if other is not None and not (other.start <= row.related_start and row.related_end <= other.end):
            problem("related_start", QUOTE_SELECTOR,
                    f"related span [{row.related_start}, {row.related_end}) is outside source "
                    f"{row.related_source_id}'s span")


def find_all(text: str, needle: str) -> list[int]:
    positions = []
    if not needle:
        return positions
    start = text.find(needle)
    while start >= 0:
        positions.append(start)
        start = text.find(needle, start + 1)
    return positions


def check_selector(text: str, span: tuple[int, int], row: Quoted, problem: Problem) -> None:
    """The TextQuoteSelector must pick exactly one occurrence within the row's own source.

    A page may print several sources (and reprint a passage of one inside another), so a
    selector is scoped to its source's span, as W3C selectors are scoped to their source.
    """
    prefix, suffix = row.quote_prefix or "", row.quote_suffix or ""
    if prefix and text[row.quote_start - len(prefix) : row.quote_start] != prefix:
        problem("quote_prefix", QUOTE_SELECTOR, f"quote_prefix {prefix!r} is not the text just before the quote")
        return
    if suffix and text[row.quote_end : row.quote_end + len(suffix)] != suffix:
        problem("quote_suffix", QUOTE_SELECTOR, f"quote_suffix {suffix!r} is not the text just after the quote")
        return
    start, end = span
    needle = prefix + row.quote + suffix
    first = text.find(needle, start, end)
    if first >= 0 and text.find(needle, first + 1, end) >= 0:
        problem("quote", QUOTE_SELECTOR,
                f"the quote occurs {len(find_all(text, row.quote))} times in the source file; add a "
                "quote_prefix or quote_suffix that picks this occurrence (`jiceng locate` suggests one)")


def metric_content(row: Any, problem: Problem) -> None:
    """A metric's value_text (its value_occurrence-th occurrence) and period_text are in its quote."""
    value_text = row.value_text
    count = len(find_all(row.quote, value_text))
    occurrence = row.value_occurrence
    if count == 0:
        problem("value_text", QUOTE_CONTENT, f"value_text {value_text!r} is not in the quote")
    elif count > 1 and occurrence is None:
        problem("value_text", QUOTE_CONTENT,
                f"value_text {value_text!r} occurs {count} times in the quote; set value_occurrence "
                f"to the one that is this value (1 to {count})")
    elif occurrence is not None and (count == 1 or occurrence > count):
        problem("value_occurrence", QUOTE_CONTENT,
                f"value_occurrence is {occurrence} but value_text {value_text!r} occurs {count} time(s) "
                "in the quote; " + ("leave it empty" if count == 1 else f"give 1 to {count}"))
    period = row.period_text
    if period and period not in row.quote:
        problem("period_text", QUOTE_CONTENT, f"period_text {period!r} is not in the quote")


def initiative_content(row: Any, problem: Problem) -> None:
    """An initiative named as written has its name in its quote."""
    if row.name_basis == "as_written" and row.name_zh not in row.quote:
        problem("name_zh", QUOTE_CONTENT, f"name_zh {row.name_zh!r} is marked as_written but is not in the quote")


def number_content(row: Any, problem: Problem) -> None:
    """A non-metric row's number_text is in its quote."""
    if row.number_text is not None and row.number_text not in row.quote:
        problem("number_text", QUOTE_CONTENT, f"number_text {row.number_text!r} is not in the quote")


def no_content_rule(row: Any, problem: Problem) -> None:
    """An annotation's quote is the passage it is about: it says nothing more to find there."""


QUOTE_CONTENT_RULES: dict[str, Callable[[Any, Problem], None]] = {
    "metrics": metric_content, "initiatives": initiative_content, "non_metric_numbers": number_content,
    "annotations": no_content_rule,
}


def check_goals(table: TableStream, record: Record, row: Any, sources: dict[str, SourceSpan], run: Any) -> None:
    if not row.goals_source_id or row.goals_quote is None:
        return
    source = sources.get(row.goals_source_id)
    text = source.text if source is not None else None
    if text is None:
        return
    found = text[row.goals_quote_start : row.goals_quote_end]
    if found != row.goals_quote or not (source.start <= row.goals_quote_start and row.goals_quote_end <= source.end):
        run.add(table, record, "goals_quote_start", QUOTE_OFFSETS,
                f"text[{row.goals_quote_start}:{row.goals_quote_end}] of {row.goals_source_id} is "
                f"{found[:30]!r}, not the goals_quote")
