"""``jiceng cite ROW_ID``: how to cite one row — the words, who wrote them, which version.

A row is cited as the source essay's words (author, office, title, publication as far
as the source states it, the exact quote and its offsets) curated in a given version of
the dataset. A withdrawn row still resolves, so that old citations can be followed, and
says what superseded it.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .bundle import package_root
from .csvfile import RowStream, TextFileError
from .loading import descriptor, resource_name, resource_schema
from .registry import DATA_TABLES, TABLE_NAMES
from .types import cell_value


EXAMPLE_ID = "1f5f9208bb5fe543-1-m001"


class CiteError(LookupError):
    """The row cannot be cited (unknown ID): a message for the user."""


def dataset_citation(version: str | None = None, root: Path | None = None) -> str:
    """The dataset as a reference: authors, title, version."""
    package = descriptor(root)
    authors = ", ".join(item["title"] for item in package.get("contributors", [])) or "jiceng maintainers"
    return f"{authors}. {package['title']}. Version {version or package['version']} [dataset]."


@dataclass
class Citation:
    row_id: str
    table: str
    status: str
    version: str
    summary: str
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None
    source: dict[str, Any] | None = None
    superseded_by: list[str] = field(default_factory=list)
    dataset: str = ""
    licence: str = ""

    def source_reference(self) -> str | None:
        if not self.source:
            return None
        source = self.source
        author = " ".join(part for part in (source.get("author_en"), source.get("author_zh")) if part)
        role_parts = (source.get("author_role_zh"), bracketed(source.get("author_role_en")))
        role = " ".join(part for part in role_parts if part)
        parts = [", ".join(part for part in (author, role) if part) or "Author not stated"]
        parts.append(" ".join(part for part in (quoted(source["title_zh"]), bracketed(source.get("title_en"))) if part))
        if source.get("publication_zh") or source.get("published"):
            names = (source.get("publication_zh"), bracketed(source.get("publication_en")))
            publication = " ".join(name for name in names if name)
            parts.append(", ".join(p for p in (publication, source.get("published")) if p))
        else:
            parts.append("Publication and date not stated in the source")
        return ". ".join(parts) + "."

    def reference(self) -> str:
        """The one-line reference to paste into a bibliography."""
        dataset = f"{self.dataset} Row {self.row_id} ({self.table}). Licence {self.licence}."
        source = self.source_reference()
        return f"{source} Quoted and curated in: {dataset}" if source else dataset

    def frame(self) -> str:
        """Where the quote's offsets count: the whole document file, not the essay."""
        source = self.source or {}
        return (f"characters {self.quote_start}–{self.quote_end} of the document {source['path']}; "
                f"source {source['source_id']} is characters {source['span_start']}–{source['span_end']} of it")

    def text(self) -> str:
        lines = [f"{self.row_id} ({self.table}, {self.status}, jiceng {self.version})", f"  {self.summary}"]
        if self.status == "withdrawn":
            replacement = f"; superseded by {', '.join(self.superseded_by)}" if self.superseded_by else ""
            lines.append(f"  WITHDRAWN: not part of the current data{replacement}")
        if self.quote:
            where = f" ({self.frame()})" if self.source and self.quote_start is not None else ""
            lines.append(f"Quote: {quoted(self.quote)}{where}")
        if self.source:
            source = self.source
            lines.append(f"Source: {source['source_id']}, {source['path']} (sha256 {source['sha256'][:12]}…)")
        lines.append(f"Cite as: {self.reference()}")
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "reference": self.reference()}


def quoted(text: str) -> str:
    """The words between “”, or between 「」 when they hold “” themselves: quotes are
    verbatim, so their own marks cannot become ‘’ as nesting would ask."""
    return f"「{text}」" if "“" in text or "”" in text else f"“{text}”"


def bracketed(text: str | None) -> str | None:
    return f"[{text}]" if text else None


def typed(row: dict[str, str | None], schema: dict[str, Any]) -> dict[str, Any]:
    """Cells with their Table Schema types (the CSV text otherwise)."""
    types = {field["name"]: field["type"] for field in schema["fields"]}
    return {column: cell_value(types.get(column), value) for column, value in row.items()}


def find_row(row_id: str, root: Path | None = None) -> tuple[str, dict[str, Any]]:
    """The table and cells of the row with this ID, in any table of the package at ``root``."""
    root = root or package_root()
    if not row_id:  # every row whose ID cell is blank would otherwise be "close" to it
        raise CiteError(f"an empty ID names no row; give the ID of a row, such as {EXAMPLE_ID}")
    known = []
    for name in TABLE_NAMES:
        key = DATA_TABLES[name].primary_key
        try:
            rows = RowStream(root / DATA_TABLES[name].path)
        except TextFileError:
            continue
        for _, row in rows:
            if row.get(key) == row_id:
                return name, typed(row, resource_schema(resource_name(name, root), root))
            known.append(row.get(key) or "")
    close = difflib.get_close_matches(row_id, known, n=3, cutoff=0.8)
    hint = f"; did you mean {' or '.join(close)}?" if close else f"; IDs look like {EXAMPLE_ID}"
    raise CiteError(f"no row has the ID {row_id!r} in jiceng {descriptor(root).get('version')}{hint}")


def summary_of(table: str, row: dict[str, Any]) -> str:
    """One line saying what the row states (each table's summary is in the registry); an
    empty cell (a draft's English not written yet) shows as a dash, not as None."""
    shown = {key: "—" if value is None and key.endswith(("_en", "_zh")) else value for key, value in row.items()}
    return DATA_TABLES[table].summary(shown)


def cite(row_id: str, root: Path | None = None) -> Citation:
    """The citation of one row of the package at ``root`` (default: the bundled one)."""
    from .releases import superseded_by

    root = root or package_root()
    table, row = find_row(row_id.strip(), root)
    version = descriptor(root)["version"]
    source_id = row["source_id"] if table == "sources" else row.get("source_id") or row.get("goals_source_id")
    source = None
    if source_id:
        _, source = find_row(source_id, root)
    quote_columns = ("goals_quote", "goals_quote_start", "goals_quote_end") if table == "districts" \
        else ("quote", "quote_start", "quote_end")
    quote, start, end = (row.get(column) for column in quote_columns)
    return Citation(
        row_id=row_id.strip(),
        table=table,
        status=row.get("status") or "active",
        version=version,
        summary=summary_of(table, row),
        quote=quote,
        quote_start=start,
        quote_end=end,
        source=source,
        superseded_by=superseded_by(row) if row.get("status") == "withdrawn" else [],
        dataset=dataset_citation(version, root),
        licence=descriptor(root)["licenses"][0]["name"],
    )
