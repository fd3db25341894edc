"""``jiceng add-source``: register a text file as a source document of the package.

It computes what a curator used to type: the stored file's name, sha256 and length, the
essays' spans, the ``sources`` rows (heading, title, byline, author and office where the
byline states them) and, for a district new to the package, its ``districts`` row from
GB/T 2260. What the text does not state stays empty (``published_basis`` ``not_stated``);
every row written has status ``draft`` until the curator has reviewed it.

The text is stored byte for byte. A file that is not UTF-8, NFC with LF line ends is
refused at the first offending place; ``--normalise`` stores a normalised copy instead
and says what changed (the input file is never edited).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .csvfile import TextFileError
from .divisions import Division, DivisionError, lookup
from .models import DOCUMENT_ID, District, Source
from .tablefile import TableShapeError, atomic_write, read_table_rows, write_table

SOURCES_DIR = "data/sources"
MARKERS = "■●◆▲◇□"
# A byline: an optional marker, the office (ending in a title), a space, the name.
BYLINE = re.compile(
    rf"^[{MARKERS}]?[ \u3000]*(?P<role>\S*?(?:书记|区长|县长|市长|旗长|主任|部长|局长|主席|委员))"
    r"[ \u3000]+(?P<name>[\u4e00-\u9fff·]{2,6})[ \u3000]*$")
SPANS = re.compile(r"^\d+:\d+(?:,\d+:\d+)*$")


class AddSourceError(Exception):
    """Bad input: says where (file, line, column) and what to do."""

    def __init__(self, message: str, place: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.place = place


@dataclass
class Essay:
    """One authored text inside a document: its span and what its first lines state."""

    start: int
    end: int
    heading: str
    byline: str | None = None
    role: str | None = None
    author: str | None = None


@dataclass
class Added:
    """What ``add-source`` wrote, for the summary it prints."""

    path: str
    document_id: str
    sha256: str
    length: int
    sources: list[dict[str, str]] = field(default_factory=list)
    districts: list[Division] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def place(path: Path, text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{path}:{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def checked_text(path: Path, normalise: bool) -> tuple[str, list[str]]:
    """The text of ``path`` if it is UTF-8, NFC, LF; with ``normalise``, the normalised
    text and what was changed. Raises AddSourceError at the first offending place."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise AddSourceError(f"cannot read {path}: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8", errors="replace")
        raise AddSourceError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x}); convert the file to UTF-8 first "
            "(it may be GBK/GB18030: iconv -f GB18030 -t UTF-8)", place(path, before, len(before))) from None
    changes = []
    if text.startswith("\ufeff"):
        if not normalise:
            raise AddSourceError("starts with a byte-order mark; remove it or pass --normalise", f"{path}:1:1")
        text = text[1:]
        changes.append("removed the byte-order mark")
    if "\r" in text:
        if not normalise:
            raise AddSourceError("has CR (Windows or old Mac) line ends; save it with LF line ends or pass "
                                 "--normalise", place(path, text, text.index("\r")))
        count = text.count("\r\n") + text.replace("\r\n", "").count("\r")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        changes.append(f"turned {count} CR or CRLF line end(s) into LF")
    if not unicodedata.is_normalized("NFC", text):
        offset = next(i for i in range(len(text)) if not unicodedata.is_normalized("NFC", text[max(0, i - 1): i + 2]))
        if not normalise:
            raise AddSourceError(f"is not NFC-normalised (at {text[offset]!r}, U+{ord(text[offset]):04X}); pass "
                                 "--normalise to store an NFC copy", place(path, text, offset))
        normalised = unicodedata.normalize("NFC", text)
        changes.append(f"NFC-normalised the text ({len(text) - len(normalised)} code point(s) fewer; first change "
                       f"at line {text.count(chr(10), 0, offset) + 1})")
        text = normalised
    if not text.strip():
        raise AddSourceError("the file is empty", f"{path}:1:1")
    return text, changes


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line."""
    found, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            found.append((offset, offset + len(line)))
        offset += len(line) + 1
    return found


def split_essays(text: str) -> list[Essay]:
    """Essays by their heading line and byline (``■…书记 NAME``); the whole text as one
    essay when no line is a byline."""
    lines = paragraphs(text)
    starts = []
    for index, (start, end) in enumerate(lines):
        match = BYLINE.match(text[start:end].strip())
        if match and index > 0:
            starts.append((index - 1, index, match))
    if not starts:
        first, last = lines[0], lines[-1]
        return [Essay(first[0], last[1], text[first[0]:first[1]].rstrip())]
    essays = []
    for number, (heading_index, byline_index, match) in enumerate(starts):
        following = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        start, end = lines[heading_index][0], lines[following - 1][1]
        byline_start, byline_end = lines[byline_index]
        essays.append(Essay(start, end, text[start:lines[heading_index][1]].rstrip(),
                            text[byline_start:byline_end].strip(), match["role"], match["name"]))
    return essays


def essays_from_spans(text: str, spans: str) -> list[Essay]:
    """Essays at the curator's spans (``START:END,START:END``), read like split_essays."""
    if not SPANS.match(spans):
        raise AddSourceError(f"--spans {spans!r}: give START:END pairs separated by commas, e.g. 2:2581,2583:4730")
    essays = []
    for pair in spans.split(","):
        start, end = (int(part) for part in pair.split(":"))
        if not 0 <= start < end <= len(text):
            raise AddSourceError(f"--spans {pair}: need 0 <= START < END <= {len(text)} (the text's length)")
        found = split_essays(text[start:end])
        heading, byline = found[0].heading, found[0].byline if len(found) == 1 else None
        essay = Essay(start, end, heading, byline, found[0].role, found[0].author)
        essays.append(essay)
    return essays


def next_file_number(directory: Path) -> int:
    numbers = [int(path.name[:3]) for path in directory.glob("[0-9][0-9][0-9]_*.txt")]
    return max(numbers, default=-1) + 1


def new_document_id(root: Path, wanted: str | None, used: set[str]) -> str:
    if wanted is not None:
        if not re.match(DOCUMENT_ID, wanted):
            raise AddSourceError(f"--document-id {wanted!r}: give 16 lowercase hexadecimal digits, e.g. "
                                 f"{secrets.token_hex(8)}")
        if wanted in used or any((root / SOURCES_DIR).glob(f"*_{wanted}.txt")):
            raise AddSourceError(f"--document-id {wanted} is already used in this package; IDs are never reused "
                                 f"(leave it out to get a new one)")
        return wanted
    while (candidate := secrets.token_hex(8)) in used:
        pass
    return candidate


def add_source(root: Path, file: Path, district_codes: list[str], document_id: str | None = None,
               normalise: bool = False, spans: str | None = None) -> Added:
    """Store ``file`` in the package at ``root`` and write its sources (and new districts) rows."""
    text, changes = checked_text(file, normalise)
    essays = essays_from_spans(text, spans) if spans else split_essays(text)
    if len(district_codes) not in (1, len(essays)):
        raise AddSourceError(f"found {len(essays)} essay(s) but got {len(district_codes)} --district code(s); give "
                             "one code for all essays or one per essay, in order")
    codes = district_codes * len(essays) if len(district_codes) == 1 else district_codes
    source_columns, source_rows = existing(root, Source)
    district_columns, district_rows = existing(root, District)
    known = {row["district_id"] for row in district_rows}
    divisions: dict[str, Division] = {}
    for code in dict.fromkeys(codes):
        try:
            divisions[code] = lookup(code)
        except DivisionError as error:
            if code not in known:
                raise AddSourceError(f"--district {error}") from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    stored = next((row for row in source_rows if row.get("sha256") == digest), None)
    if stored:
        raise AddSourceError(f"this text is already stored, as {stored['path']} (document {stored['document_id']}, "
                             "the same sha256); draft its rows with `jiceng draft " + stored["document_id"] + "`")
    document = new_document_id(root, document_id, {row["document_id"] for row in source_rows})
    directory = root / SOURCES_DIR
    relative = f"{SOURCES_DIR}/{next_file_number(directory):03d}_{document}.txt"
    added = Added(relative, document, digest, len(text), changes=changes)
    for number, (essay, code) in enumerate(zip(essays, codes), start=1):
        division = divisions.get(code)
        row = source_row(essay, code, division, added, f"{document}-{number}")
        if division and not essay.heading.startswith(division.heading_prefix):
            added.warnings.append(f"{row['source_id']}: the heading does not begin with {division.heading_prefix!r} "
                                  "(province, prefecture, district); check the span and the district code")
        added.sources.append(row)
    added.districts = [division for code, division in divisions.items() if code not in known]
    directory.mkdir(parents=True, exist_ok=True)
    atomic_write(root / relative, text)
    write_table(root / Source.table.path, source_columns, source_rows + added.sources)
    if added.districts:
        new = [{**division.row(), "status": "draft"} for division in added.districts]
        write_table(root / District.table.path, district_columns, district_rows + new)
    return added


def existing(root: Path, model) -> tuple[list[str], list[dict[str, str]]]:
    columns = model.columns()
    try:
        return columns, read_table_rows(root / model.table.path, columns)
    except TableShapeError as error:
        raise AddSourceError(str(error)) from None


def source_row(essay: Essay, code: str, division: Division | None, added: Added, source_id: str) -> dict[str, str]:
    """A sources row with what the text states; the rest empty, status draft."""
    title = essay.heading
    if division and title.startswith(division.heading_prefix):
        title = title[len(division.heading_prefix):].lstrip("：: \u3000")
    author_en = None
    if essay.author:
        from .divisions import romanise

        author_en = f"{romanise(essay.author[0])} {romanise(essay.author[1:])}"
    return {
        "source_id": source_id, "document_id": added.document_id, "district_id": code, "path": added.path,
        "sha256": added.sha256, "document_length": str(added.length), "span_start": str(essay.start),
        "span_end": str(essay.end), "heading_zh": essay.heading, "title_zh": title, "byline_zh": essay.byline,
        "author_zh": essay.author, "author_en": author_en, "author_role_zh": essay.role,
        "published_basis": "not_stated", "language": "zh-Hans", "status": "draft",
    }


def to_fill(added: Added) -> list[str]:
    """What the curator must still fill or check, one line per row."""
    lines = []
    for row in added.sources:
        items = ["title_en"]
        if row.get("author_role_zh"):
            items.append("author_role_en")
        if row.get("author_en"):
            items.append(f"check author_en {row['author_en']!r} (surname first; pinyin of names can be ambiguous)")
        else:
            items.append("byline, author and office if the text states them")
        items.append("publication_zh/publication_en/published and published_basis if the document states them")
        lines.append(f"data/sources.csv {row['source_id']}: " + "; ".join(items))
    for division in added.districts:
        lines.append(f"data/districts.csv {division.code}: check name_en {division.name_en!r}; development goals if "
                     "the text states them")
    return lines


def added_lines(added: Added, file: str) -> list[str]:
    """What ``jiceng add-source`` reports: what was normalised and stored, the rows written,
    warnings, and what the curator must still fill."""
    lines = [f"normalised: {change} (the stored copy differs from {file}; the file itself is unchanged)"
             for change in added.changes]
    lines.append(f"stored {added.path}: sha256 {added.sha256}, {added.length:,} code points, "
                 f"{len(added.sources)} essay(s)")
    for row in added.sources:
        lines.append(f"data/sources.csv: added {row['source_id']} [{row['span_start']}, {row['span_end']}) "
                     f"{row['heading_zh']}" + (f" — {row['byline_zh']}" if row.get("byline_zh") else ""))
    for division in added.districts:
        lines.append(f"data/districts.csv: added {division.code} {division.name_zh} {division.name_en} "
                     f"({division.prefecture_zh}, {division.province_zh}; GB/T 2260 revision {division.revision})")
    lines += [f"warning: {warning}" for warning in added.warnings]
    lines.append("still to fill (the rows are drafts until you have checked them and set status to active):")
    lines += [f"  {line}" for line in to_fill(added)]
    return lines
