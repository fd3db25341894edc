"""Everything the site shows, read once from one package directory.

The site is built from a package root given by the caller (the docs hook reads
``JICENG_PACKAGE_ROOT``), not from the bundled data, so that tests can build it from a
temporary copy holding rows they wrote. Rows are read through the row models, so the
site never shows a row that ``jiceng.records()`` would reject.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jiceng.models import TABLES, Quoted, Row
from jiceng.quantity import format_value
from jiceng.registry import table
from jiceng.releases import superseded_by
from jiceng.rows import read_records
from jiceng.stats import Tally, counted, tally
from jiceng.sourcetext import document_text
from jiceng.vocab import Term, Vocabularies

# Where each kind of page lives (MkDocs source URIs; built with use_directory_urls: false).
HOME = "index.md"
DICTIONARY = "dictionary/index.md"
VOCABULARY_INDEX = "vocabularies/index.md"
GLOSSARY = "glossary.md"
DISTRICT_INDEX = "districts/index.md"
SOURCE_INDEX = "sources/index.md"
ANNOTATIONS = "annotations.md"
CLI = "reference/cli.md"
CITATION = "citation.md"


def table_name(resource: str) -> str:
    """The table a datapackage resource holds (``non-metric-numbers`` → ``non_metric_numbers``)."""
    return table(resource).name


def table_uri(name: str) -> str:
    return f"dictionary/{name}.md"


def vocabulary_uri(name: str) -> str:
    return f"vocabularies/{name}.md"


def district_uri(district_id: str) -> str:
    return f"districts/{district_id}.md"


def source_uri(source_id: str) -> str:
    return f"sources/{source_id}.md"


def source_title(source: Any) -> str:
    """A source's Chinese title and its English one: the reader's heading and navigation entry."""
    return f"{source.title_zh} — {source.title_en}" if source.title_en else source.title_zh


def quote_anchor(row_id: str) -> str:
    """The anchor of a row's words in the source reader."""
    return f"q-{row_id}"


@dataclass(frozen=True)
class Cited:
    """A span of a source that a row cites, with what the reader needs to link it."""

    row_id: str
    kind: str  # initiative, metric, number, goal, annotation
    source_id: str
    start: int
    end: int
    label: str  # short human label: the initiative's name, the metric's subject...


@dataclass
class SiteData:
    """The tables, vocabularies and source texts of one package directory."""

    root: Path
    rows: dict[str, list[Row]] = field(default_factory=dict)
    repo_url: str | None = None  # where the data error form lives (mkdocs.yml's repo_url)

    @classmethod
    def load(cls, root: Path) -> SiteData:
        data = cls(root=root)
        for name in TABLES:
            data.rows[name] = read_records(name, root)
        return data

    # --- package ----------------------------------------------------------------------

    @cached_property
    def descriptor(self) -> dict[str, Any]:
        return json.loads((self.root / "datapackage.json").read_text(encoding="utf-8"))

    @property
    def version(self) -> str:
        return str(self.descriptor["version"])

    @cached_property
    def vocabularies(self) -> Vocabularies:
        return Vocabularies(self.root)

    def term(self, vocabulary: str, code: str) -> Term:
        return self.vocabularies.terms(vocabulary)[code]

    # --- rows by key --------------------------------------------------------------------

    @cached_property
    def sources(self) -> dict[str, Any]:
        return {row.source_id: row for row in self.rows["sources"]}

    @cached_property
    def districts(self) -> dict[str, Any]:
        return {row.district_id: row for row in self.rows["districts"]}

    @cached_property
    def initiatives(self) -> dict[str, Any]:
        return {row.initiative_id: row for row in self.rows["initiatives"]}

    @cached_property
    def metrics(self) -> dict[str, Any]:
        return {row.metric_id: row for row in self.rows["metrics"]}

    @cached_property
    def annotations(self) -> dict[str, Any]:
        return {row.annotation_id: row for row in self.rows["annotations"]}

    def district_of(self, row: Row) -> str:
        """The district a row is attributed to: through its source, as ``jiceng info`` counts."""
        return self.sources[row.source_id].district_id

    def rows_of_district(self, table: str, district_id: str) -> list[Any]:
        return self.by_district[table].get(district_id, [])

    def counted_of_district(self, table: str, district_id: str) -> list[Any]:
        """A district's rows that its counts count (:func:`jiceng.stats.counted`)."""
        return [row for row in self.rows_of_district(table, district_id) if counted(getattr(row, "status", None))]

    def tally_of_district(self, table: str, district_id: str) -> Tally:
        return tally(getattr(row, "status", None) for row in self.rows_of_district(table, district_id))

    def tally(self, table: str) -> Tally:
        return tally(getattr(row, "status", None) for row in self.rows[table])

    @cached_property
    def row_by_id(self) -> dict[str, Any]:
        """Every row of a data table by its ID."""
        return {getattr(row, row.table.primary_key): row for rows in self.rows.values() for row in rows}

    def withdrawn(self, row_id: str) -> bool:
        return getattr(self.row_by_id.get(row_id), "status", None) == "withdrawn"

    def row_classes(self, row_ids: list[str]) -> list[str | None]:
        """The class that marks a withdrawn row's table row (its badge says it in words)."""
        return ["jc-withdrawn" if self.withdrawn(row_id) else None for row_id in row_ids]

    def replacements(self, row_id: str) -> list[str]:
        """The rows a withdrawn row says it is superseded by (its notes: 'superseded by ID')."""
        row = self.row_by_id.get(row_id)
        return superseded_by(row.model_dump()) if row is not None and self.withdrawn(row_id) else []

    def sources_of_district(self, district_id: str) -> list[Any]:
        return self.by_district["sources"].get(district_id, [])

    @cached_property
    def by_district(self) -> dict[str, dict[str, list[Any]]]:
        """Table → district → its rows, in table order: built once, because every district
        page and chart asks, and scanning the tables for each made the build quadratic."""
        grouped: dict[str, dict[str, list[Any]]] = {}
        for table, rows in self.rows.items():
            if table == "sources" or "source_id" in TABLES[table].model_fields:
                grouped[table] = defaultdict(list)
                for row in rows:
                    grouped[table][row.district_id if table == "sources" else self.district_of(row)].append(row)
        return grouped

    @cached_property
    def annotations_by_source(self) -> dict[str, list[Any]]:
        """Source → its annotations, in table order; and, under ``("related", source)``, the
        annotations whose other printing is in that source."""
        grouped: dict[Any, list[Any]] = defaultdict(list)
        for row in self.rows["annotations"]:
            grouped[row.source_id].append(row)
            if row.related_source_id is not None:
                grouped[("related", row.related_source_id)].append(row)
        return grouped

    def text_of(self, source_id: str) -> str:
        """The whole document a source is cut from (offsets count in it)."""
        return document_text(self.sources[source_id].path, self.root)

    # --- where each row is shown ----------------------------------------------------------

    @cached_property
    def row_pages(self) -> dict[str, tuple[str, str]]:
        """Row ID → (page URI, anchor) of the place where the row is shown in full.

        Initiatives, metrics, non-metric numbers and consistency checks live on their
        district's page, annotations on the annotations page; a district's development
        goals are cited under the district's own ID.
        """
        pages: dict[str, tuple[str, str]] = {}
        for table in ("initiatives", "metrics", "non_metric_numbers", "consistency_checks"):
            for row in self.rows[table]:
                row_id = getattr(row, row.table.primary_key)
                pages[row_id] = (district_uri(self.district_of(row)), row_id)
        for row in self.rows["annotations"]:
            pages[row.annotation_id] = (ANNOTATIONS, row.annotation_id)
        for row in self.rows["districts"]:
            pages[row.district_id] = (district_uri(row.district_id), "goals")
        return pages

    @cached_property
    def cited(self) -> dict[str, list[Cited]]:
        """Every cited span, by source, in text order."""
        spans: dict[str, list[Cited]] = defaultdict(list)
        for row in self.rows["initiatives"]:
            spans[row.source_id].append(cited(row, "initiative", f"{row.name_zh} {row.name_en}"))
        for row in self.rows["metrics"]:
            spans[row.source_id].append(cited(row, "metric", f"{row.subject_en}: {self.value_label(row)}"))
        for row in self.rows["non_metric_numbers"]:
            spans[row.source_id].append(cited(row, "number", f"{row.number_text} (not a metric)"))
        for row in self.rows["annotations"]:
            term = self.term("annotation_kinds", row.kind)
            spans[row.source_id].append(cited(row, "annotation", f"{term.label_en} {term.label_zh}"))
        for row in self.rows["districts"]:
            if row.goals_source_id and row.goals_quote_start is not None and row.goals_quote_end is not None:
                spans[row.goals_source_id].append(
                    Cited(row.district_id, "goal", row.goals_source_id, row.goals_quote_start,
                          row.goals_quote_end, f"Development goals of {row.name_en}")
                )
        for items in spans.values():
            items.sort(key=lambda item: (item.start, -item.end, item.row_id))
        return dict(spans)

    # --- values as people read them ----------------------------------------------------------

    def unit_label(self, code: str, plural: bool) -> str:
        """The unit as it follows a number: "person-times", "yuan", "%".

        Derived from the vocabulary's English label: a unit written % in Chinese is shown
        as %, a bracketed note is dropped, money is not pluralised, and the first letter is
        lowered ("Person-time" → "person-times").
        """
        term = self.term("units", code)
        if "%" in term.zh_forms:
            return "%"
        label = term.label_en.split(" (")[0]
        label = label[:1].lower() + label[1:]
        if not plural or term.quantity_kind == "money":
            return label
        if label.endswith("y") and label[-2:-1] not in "aeiou":
            return label[:-1] + "ies"
        return label + "s"

    def value_label(self, metric: Any) -> str:
        """A metric's value the way a person reads it: "≥ 64,000 person-times"."""
        plural = not (metric.value == 1 and metric.value_max is None)
        return format_value(metric.value, metric.value_max, metric.qualifier, self.unit_label(metric.unit, plural))


def cited(row: Quoted, kind: str, label: str) -> Cited:
    return Cited(getattr(row, row.table.primary_key), kind, row.source_id, row.quote_start, row.quote_end, label)
