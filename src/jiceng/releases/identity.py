"""What a row names: the identity rule of each table, compared between versions to catch
an ID that was reused for something else."""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import CODE_IDENTITY, DATA_TABLES, IdentitySpec


@dataclass(frozen=True, slots=True)
class Identity:
    """What a row names: compared between versions to catch a reused ID.

    Two identities are the same thing when every part present on both sides agrees:
    the same ``source``; overlapping ``span`` (so a corrected quote still matches); at
    least one ``names`` entry in common (so one of two names may be corrected).
    """

    source: str | None = None
    span: tuple[int, int] | None = None
    names: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        entry: dict[str, object] = {}
        if self.source is not None:
            entry["source"] = self.source
        if self.span is not None:
            entry["span"] = list(self.span)
        if self.names:
            entry["names"] = list(self.names)
        return entry

    @classmethod
    def from_json(cls, entry: dict[str, object]) -> Identity:
        span = entry.get("span")
        return cls(
            source=entry.get("source"),  # type: ignore[arg-type]
            span=(int(span[0]), int(span[1])) if isinstance(span, list) and len(span) == 2 else None,
            names=tuple(entry.get("names") or ()),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class IdentityRule:
    """How one table decides that an ID still names the same thing, and which cells say
    so: its identity spec in the table registry, applied to a row."""

    spec: IdentitySpec

    @property
    def text(self) -> str:
        return self.spec.text

    @property
    def source_column(self) -> str:
        return self.spec.source or "source_id"

    @property
    def span_column(self) -> str:
        return self.spec.words or (self.spec.span[0] if self.spec.span else "quote_start")

    @property
    def span_label(self) -> str:
        return f"{self.spec.words} position" if self.spec.words else self.spec.span_label

    def identity(self, row: dict[str, str | None]) -> Identity:
        """What ``row`` names."""
        spec = self.spec
        if spec.words:
            span = words_span(row, spec.words)
        else:
            span = span_of(row, *spec.span) if spec.span else None
        if spec.names_split:
            names = tuple((row.get(spec.names[0]) or "").split())
        else:
            names = present(*(row.get(column) for column in spec.names))
        return Identity(row.get(spec.source) if spec.source else None, span, names)

    def difference(self, old: Identity, new: Identity) -> tuple[str, str] | None:
        """(column, why) when ``new`` names something else than ``old``; None when it is the same thing."""
        if old.source is not None and new.source is not None and old.source != new.source:
            return self.source_column, f"{self.source_column} {old.source} → {new.source}"
        if old.span and new.span and not overlaps(old.span, new.span):
            return self.span_column, (f"{self.span_label} {old.span[0]}–{old.span[1]} → "
                                      f"{new.span[0]}–{new.span[1]}, which do not overlap")
        if old.names and new.names and not set(old.names) & set(new.names):
            label = " / ".join(self.spec.names)
            return self.spec.names[0], f"{label} {' / '.join(old.names)} → {' / '.join(new.names)}"
        return None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a == b or (a[0] < b[1] and b[0] < a[1])


def integer(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def span_of(row: dict[str, str | None], start: str, end: str) -> tuple[int, int] | None:
    first, last = integer(row.get(start)), integer(row.get(end))
    return (first, last) if first is not None and last is not None else None


def words_span(row: dict[str, str | None], column: str) -> tuple[int, int] | None:
    """Where ``column``'s words sit in the source: finer than the quote, which siblings share."""
    quote, words, start = row.get("quote") or "", row.get(column) or "", integer(row.get("quote_start"))
    if start is None:
        return None
    at = quote.find(words) if words else -1
    for _ in range((integer(row.get("value_occurrence")) or 1) - 1 if column == "value_text" else 0):
        at = quote.find(words, at + 1) if at >= 0 else -1
    if at < 0:
        return span_of(row, "quote_start", "quote_end")
    return (start + at, start + at + len(words))


def present(*values: str | None) -> tuple[str, ...]:
    return tuple(value for value in values if value)


RULES: dict[str, IdentityRule] = {name: IdentityRule(entry.identity) for name, entry in DATA_TABLES.items()}
VOCABULARY_RULE = IdentityRule(CODE_IDENTITY)


def rule_for(table: str) -> IdentityRule:
    return RULES.get(table, VOCABULARY_RULE)
