"""Verbatim source texts: documents stored byte-for-byte, and each source's span of one."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from .bundle import package_root


@cache
def document_text(path: str, root: Path | None = None) -> str:
    """The whole stored document (UTF-8, NFC, LF) at ``path`` relative to the package."""
    return ((root or package_root()) / path).read_text(encoding="utf-8")


def source_rows(root: Path | None = None) -> dict[str, dict[str, str]]:
    """sources.csv as plain dicts, read with the standard library."""
    path = (root or package_root()) / "data" / "sources.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["source_id"]: row for row in csv.DictReader(handle)}


def text_of_source(source_id: str) -> str:
    """The verbatim text of one source (its span of its document)."""
    rows = source_rows()
    if source_id not in rows:
        raise KeyError(f"no source {source_id!r}; sources: {', '.join(rows)}")
    row = rows[source_id]
    return document_text(row["path"])[int(row["span_start"]) : int(row["span_end"])]
