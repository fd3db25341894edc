"""Controlled vocabularies: small CSV tables of codes with English and Chinese labels.

Vocabularies are data, not code: each is a CSV file under ``data/vocabularies/`` with
at least ``code,label_en,label_zh,definition_en``. The row models check codes against
them and the generated Table Schemas turn them into ``enum`` constraints, so adding a
code is a one-line data change that flows everywhere on the next ``jiceng schemas``.

This module reads the files with the standard library only, so that it can sit on the
fast loading path.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .bundle import package_root

VOCABULARY_DIR = "data/vocabularies"


@dataclass(frozen=True)
class VocabularySpec:
    """What a vocabulary is for and which extra columns its file carries."""

    name: str
    title: str
    description: str
    extra_columns: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return f"{VOCABULARY_DIR}/{self.name}.csv"

    @property
    def resource_name(self) -> str:
        return "vocab-" + self.name.replace("_", "-")


VOCABULARIES: dict[str, VocabularySpec] = {
    spec.name: spec
    for spec in (
        VocabularySpec(
            "units",
            "Units",
            "Units of measurement for metric values; money is always Chinese yuan (CNY).",
            ("quantity_kind", "integer", "zh_forms"),
        ),
        VocabularySpec(
            "qualifiers",
            "Qualifiers",
            "How exact a stated value is: exact, approximate, a lower or upper bound, a range.",
        ),
        VocabularySpec(
            "value_types",
            "Value types",
            "What kind of figure a metric is: a level, a total, an increase, a rate, a standard...",
            ("quantity_kinds",),
        ),
        VocabularySpec(
            "initiative_kinds",
            "Initiative kinds",
            "What sort of thing an initiative is: a policy document, a mechanism, a body, a platform...",
        ),
        VocabularySpec(
            "initiative_categories",
            "Initiative categories",
            "The policy area an initiative belongs to.",
        ),
        VocabularySpec(
            "scopes",
            "Scopes",
            "Whose initiative a row is: the reporting district's own, or of the prefecture, province "
            "or national level, reported by the district.",
        ),
        VocabularySpec(
            "metric_topics",
            "Metric topics",
            "What kind of thing a metric counts (Party organisations, Party members, money...).",
        ),
        VocabularySpec(
            "annotation_kinds",
            "Annotation kinds",
            "Kinds of known defects of a source text and of curator notes.",
        ),
        VocabularySpec(
            "non_metric_reasons",
            "Non-metric reasons",
            "Why a number printed in a source is not a quantitative claim.",
        ),
        VocabularySpec(
            "consistency_kinds",
            "Consistency kinds",
            "How related figures of a source are recomputed against each other.",
        ),
        VocabularySpec(
            "consistency_outcomes",
            "Consistency outcomes",
            "Whether the figures of a consistency check agree when recomputed.",
        ),
        VocabularySpec(
            "district_levels",
            "District levels",
            "The administrative level of a county-level division.",
        ),
        VocabularySpec(
            "published_basis",
            "Publication basis",
            "Whether a source's publication details are stated, inferred or not stated.",
        ),
        VocabularySpec(
            "name_bases",
            "Name bases",
            "Whether an initiative's Chinese name is printed as such or described in the text.",
        ),
        VocabularySpec(
            "row_statuses",
            "Row statuses",
            "Whether a row is a draft awaiting review, current, or withdrawn (IDs are never reused).",
        ),
    )
}


@dataclass(frozen=True)
class Term:
    """One vocabulary entry."""

    code: str
    label_en: str
    label_zh: str
    definition_en: str
    extra: dict[str, str] = field(default_factory=dict)


def read_vocabulary(root: Path, name: str) -> dict[str, Term]:
    """Read one vocabulary file of the package at ``root``; codes map to terms."""
    spec = VOCABULARIES[name]
    path = root / spec.path
    terms: dict[str, Term] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = (row.get("code") or "").strip()
            if not code:
                continue
            terms[code] = Term(
                code=code,
                label_en=row.get("label_en") or "",
                label_zh=row.get("label_zh") or "",
                definition_en=row.get("definition_en") or "",
                extra={column: row.get(column) or "" for column in spec.extra_columns},
            )
    return terms


class Vocabularies:
    """All vocabularies of one package directory, read lazily and cached."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, dict[str, Term]] = {}

    def terms(self, name: str) -> dict[str, Term]:
        if name not in self._cache:
            try:
                self._cache[name] = read_vocabulary(self.root, name)
            except (OSError, UnicodeDecodeError, csv.Error):
                # A missing or unreadable vocabulary is reported by the validator's
                # file checks; here it simply has no codes.
                self._cache[name] = {}
        return self._cache[name]

    def codes(self, name: str) -> list[str]:
        return list(self.terms(name))


@cache
def bundled() -> Vocabularies:
    """The vocabularies shipped with the package."""
    return Vocabularies(package_root())
