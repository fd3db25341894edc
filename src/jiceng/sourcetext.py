"""Verbatim source texts: documents stored byte-for-byte, and each source's span of one.

Every offset in the tables (``quote_start``, ``span_start``, ``related_start``...) counts
code points of the whole stored document file, not of the essay cut from it. The public
functions keep that frame visible: ``jiceng.document_text(source_id)`` is the text the
offsets count in, and :class:`Essay` carries its own start so that it cannot be sliced in the wrong
frame by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .bundle import package_root
from .csvfile import RowStream


@cache
def document_text(path: str, root: Path | None = None) -> str:
    """The whole stored document (UTF-8, NFC, LF) at ``path`` relative to the package
    (``jiceng.document_text`` takes a source ID instead)."""
    return ((root or package_root()) / path).read_text(encoding="utf-8")


def source_rows(root: Path | None = None) -> dict[str, dict[str, str | None]]:
    """sources.csv as plain dicts (empty cells as None), without the row models."""
    return {row["source_id"]: row for _, row in RowStream((root or package_root()) / "data" / "sources.csv")}


def source_row(source_id: str, root: Path | None = None) -> dict[str, str | None]:
    rows = source_rows(root)
    if source_id not in rows:
        raise KeyError(f"no source {source_id!r}; sources: {', '.join(rows)}")
    return rows[source_id]


def source_document_text(source_id: str, root: Path | None = None) -> str:
    """The whole document that a source was cut from: the text its offsets count in."""
    return document_text(source_row(source_id, root)["path"], root)


@dataclass(frozen=True)
class Essay:
    """One source's text with where it sits in its document (``start`` included, ``end``
    excluded, document offsets).

    It is not a string on purpose: the tables' offsets count in the whole document, so
    ``essay[quote_start:quote_end]`` would be wrong text. Use ``essay.at(start, end)``
    with document offsets, ``essay.text`` for the words, or ``jiceng.document_text``.
    """

    source_id: str
    text: str
    start: int
    end: int
    path: str

    def at(self, start: int, end: int) -> str:
        """The text between two document offsets (a row's ``quote_start``, ``quote_end``)."""
        if not self.start <= start <= end <= self.end:
            raise ValueError(
                f"characters {start}–{end} of {self.path} are not inside source {self.source_id} "
                f"(characters {self.start}–{self.end}); use jiceng.document_text({self.source_id!r})"
            )
        return self.text[start - self.start : end - self.start]

    def __getitem__(self, key: object) -> str:
        raise TypeError(
            f"source {self.source_id} starts at character {self.start} of its document, and the "
            "tables' offsets count in the whole document: slice jiceng.document_text(source_id), "
            "call .at(quote_start, quote_end), or slice .text for offsets within the essay"
        )

    def __str__(self) -> str:
        return self.text

    def __len__(self) -> int:
        return len(self.text)

    def __contains__(self, words: str) -> bool:
        return words in self.text

    def __repr__(self) -> str:
        head = self.text[:20].replace("\n", " ")
        return f"Essay({self.source_id!r}, characters {self.start}–{self.end} of {self.path}: {head!r}…)"


def essay(source_id: str, root: Path | None = None) -> Essay:
    row = source_row(source_id, root)
    start, end = int(row["span_start"]), int(row["span_end"])
    text = document_text(row["path"], root)[start:end]
    return Essay(source_id, text, start, end, row["path"])


def text_of_source(source_id: str, root: Path | None = None) -> str:
    """The words of one source (its span of its document), in the essay's own frame."""
    return essay(source_id, root).text


def occurrence(text: str, words: str, nth: int | None) -> int | None:
    """Where the nth occurrence of words starts in text (the only one when nth is None), or
    None if there is no such occurrence: a metric's value_text in its quote, for the row model
    and for the audit, which reads the cells without it."""
    at = -1
    for _ in range(nth or 1):
        at = text.find(words, at + 1)
        if at < 0:
            return None
    return at
