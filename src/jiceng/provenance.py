"""Layer 3, provenance: source files are what sources.csv records, essays sit where
recorded, and every quote is found at its offsets inside its own source.

Documents are read through a small cache, one at a time, so that a corpus of thousands
of documents is never all in memory.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .csvfile import TextFileError, read_utf8
from .locate import nearest_passage
from .models import Quoted
from .pathsafety import unsafe_reason

if TYPE_CHECKING:
    from .csvfile import Record
    from .validate import Collected, LoadedTable, Report

# The largest source file the validator reads (bytes). The bundled documents are about
# 20 KB; a whole newspaper issue in one file stays well under a megabyte. A larger file
# is an error at its row rather than an unbounded read.
MAX_SOURCE_BYTES = 16 * 2**20


def line_of(text: str, needle: str) -> tuple[int, int]:
    """Line and column of the first occurrence of ``needle`` (1, 1 if absent)."""
    offset = text.find(needle)
    if offset < 0:
        return 1, 1
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


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


def check_source(root: Path, table: LoadedTable, number: int, record: Record, row: Any, state: Collected,
                 report: Report) -> None:
    """A source's file is read once per document; its hash, length and span are checked."""
    first = state.documents.get(row.path)
    text = first.text if first else read_source(root, table, record, row, report)
    span = SourceSpan(row.source_id, row.district_id, row.path, row.span_start, row.span_end, root, text is not None,
                      row.sha256)
    state.sources[row.source_id] = span
    state.documents.setdefault(row.path, span)
    if text is None:
        return
    if first is None:
        state.digests[row.path] = check_hash(root, table, record, row, report)
    else:
        check_same_hash(table, record, row, state.digests[row.path], first, report)
    check_length(table, record, row, text, report)
    check_span(table, record, row, text, report)
    state.source_rows.append((number, span))


def read_source(root: Path, table: LoadedTable, record: Record, row: Any, report: Report) -> str | None:
    line, col = table.position(record, "path")
    reason = unsafe_reason(root, row.path)
    if reason:
        report.add(table.relative, line, col, "path-safety", f"path {row.path!r} {reason}")
        return None
    size = file_size(root / row.path)
    if size > MAX_SOURCE_BYTES:
        report.add(table.relative, line, col, "source-text",
                   f"source file {row.path} has {size:,} bytes, more than the {MAX_SOURCE_BYTES:,} a source file may "
                   "have (jiceng.provenance.MAX_SOURCE_BYTES); store one document (a page, an essay) per file")
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


def file_size(path: Path) -> int:
    """Bytes of a file; 0 when it cannot be read (read_utf8 then says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def check_hash(root: Path, table: LoadedTable, record: Record, row: Any, report: Report) -> str:
    """The file's bytes are those recorded (hashed once per document); return the digest,
    which the document's other rows must record too."""
    digest = hashlib.sha256((root / row.path).read_bytes()).hexdigest()
    if digest != row.sha256:
        line, col = table.position(record, "sha256")
        report.add(table.relative, line, col, "source-hash",
                   f"{row.path} has sha256 {digest}, not the recorded {row.sha256}: the verbatim "
                   "source was changed; restore it byte-for-byte (never edit sources)")
    return digest


def check_same_hash(table: LoadedTable, record: Record, row: Any, digest: str, first: SourceSpan,
                    report: Report) -> None:
    """A later text cut from the same file records its digest too. A row that agrees with
    the file or with the document's first row is not blamed: a changed file is reported
    once, at the first row."""
    if row.sha256 not in (digest, first.sha256):
        line, col = table.position(record, "sha256")
        report.add(table.relative, line, col, "source-hash",
                   f"{row.path} has sha256 {digest}, not the recorded {row.sha256}: "
                   "texts cut from one file record the file's one digest")


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
                else "it does not occur in the source at all: " + nearest_passage(text, row.quote, source.start, source.end))
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
        occurrence = fields.get("value_occurrence")
        if count == 0:
            problem("value_text", "quote-content", f"value_text {value_text!r} is not in the quote")
        elif count > 1 and occurrence is None:
            problem("value_text", "quote-content",
                    f"value_text {value_text!r} occurs {count} times in the quote; set value_occurrence "
                    f"to the one that is this value (1 to {count})")
        elif occurrence is not None and (count == 1 or occurrence > count):
            problem("value_occurrence", "quote-content",
                    f"value_occurrence is {occurrence} but value_text {value_text!r} occurs {count} time(s) "
                    "in the quote; " + ("leave it empty" if count == 1 else f"give 1 to {count}"))
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
