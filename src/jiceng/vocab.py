"""Controlled vocabularies: small CSV tables of codes with English and Chinese labels.

Vocabularies are data, not code: each is a CSV file under ``data/vocabularies/`` with
at least ``code,label_en,label_zh,definition_en``. The row models check codes against
them and the generated Table Schemas turn them into ``enum`` constraints, so adding a
code is a one-line data change that flows everywhere on the next ``jiceng schemas``.

This module reads the files with the standard library only, so that it can sit on the
fast loading path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .bundle import package_root
from .csvfile import RowStream, TextFileError
from .registry import VOCABULARIES


@dataclass(frozen=True)
class Term:
    """One vocabulary entry. ``extra`` keeps the vocabulary's further columns as written
    (for display); the vocabularies that carry any are read into the typed subclasses
    below, which is what code should use."""

    code: str
    label_en: str
    label_zh: str
    definition_en: str
    extra: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def typed_fields(extra: dict[str, str]) -> dict[str, object]:
        """The subclass's own fields, parsed once from the further columns' cells."""
        return {}


@dataclass(frozen=True)
class Unit(Term):
    """A unit: the kind of quantity it measures, whether its values are whole numbers,
    and the Chinese unit words that map to it."""

    quantity_kind: str = ""
    integer: bool = False
    zh_forms: tuple[str, ...] = ()

    @staticmethod
    def typed_fields(extra: dict[str, str]) -> dict[str, object]:
        return {"quantity_kind": extra.get("quantity_kind", ""), "integer": extra.get("integer", "").lower() == "true",
                "zh_forms": tuple(extra.get("zh_forms", "").split())}


@dataclass(frozen=True)
class ValueType(Term):
    """A value type, with the kinds of quantity it may have."""

    quantity_kinds: tuple[str, ...] = ()

    @staticmethod
    def typed_fields(extra: dict[str, str]) -> dict[str, object]:
        return {"quantity_kinds": tuple(extra.get("quantity_kinds", "").split())}


TERM_TYPES: dict[str, type[Term]] = {"units": Unit, "value_types": ValueType}


def read_vocabulary(root: Path, name: str) -> dict[str, Term]:
    """Read one vocabulary file of the package at ``root``; codes map to terms (typed:
    :class:`Unit`, :class:`ValueType`, else :class:`Term`)."""
    spec = VOCABULARIES[name]
    kind = TERM_TYPES.get(name, Term)
    terms: dict[str, Term] = {}
    for _, row in RowStream(root / spec.path):
        code = (row.get("code") or "").strip()
        if not code:
            continue
        extra = {column: row.get(column) or "" for column in spec.extra_columns}
        terms[code] = kind(
            code=code,
            label_en=row.get("label_en") or "",
            label_zh=row.get("label_zh") or "",
            definition_en=row.get("definition_en") or "",
            extra=extra,
            **kind.typed_fields(extra),
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
            except TextFileError:
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
