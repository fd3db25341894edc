"""The glossary page, for readers who start from English.

Each term shows its pinyin (from pypinyin, word by word as jieba cuts the term), the
rows whose quotes use it and the paragraphs of the sources where it is printed; an
index by the first letter of the pinyin leads into the table, which a filter box
narrows (``docs/assets/site.js``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .data import GLOSSARY, SiteData, source_uri
from .markup import esc, href, link, raw_block, table, tag
from .reader import paragraph_anchor

QUOTED_TABLES = ("initiatives", "metrics", "non_metric_numbers", "annotations")
SHOWN_ROWS = 3


@cache
def pinyin(term: str) -> str:
    """Hanyu pinyin with tone marks, syllables of a word joined: 党建 → dǎngjiàn."""
    import jieba
    from pypinyin import Style
    from pypinyin import pinyin as to_pinyin

    words = []
    for word in jieba.cut(term):
        syllables = [reading[0] for reading in to_pinyin(word, style=Style.TONE)]
        words.append("".join(syllables).strip())
    return " ".join(word for word in words if word)


def toneless(reading: str) -> str:
    """Pinyin without tone marks (dǎngjiàn → dangjian, lǜ → lu), as most readers type it."""
    return "".join(c for c in unicodedata.normalize("NFKD", reading) if not unicodedata.combining(c))


def initial(term: str) -> str:
    """The letter the term is filed under: the pinyin's first letter without its tone mark."""
    letters = [c for c in toneless(pinyin(term)) if c.isascii() and c.isalpha()]
    return letters[0].upper() if letters else "#"


@dataclass
class Occurrences:
    rows: list[Any] = field(default_factory=list)
    paragraphs: list[tuple[str, int]] = field(default_factory=list)  # (source ID, paragraph offset)


def occurrences(data: SiteData, term: str) -> Occurrences:
    """Rows whose quote holds the term, and the paragraphs of each essay that print it."""
    found = Occurrences()
    for name in QUOTED_TABLES:
        found.rows += [row for row in data.rows[name] if term in row.quote]
    for source in data.rows["sources"]:
        text = data.text_of(source.source_id)
        at = text.find(term, source.span_start, source.span_end)
        if at >= 0:
            found.paragraphs.append((source.source_id, text.rfind("\n", 0, at) + 1))
    return found


def where_used(data: SiteData, term: str) -> str:
    found = occurrences(data, term)
    if not found.rows and not found.paragraphs:
        return "—"
    parts = []
    if found.rows:
        shown = [link(getattr(row, row.table.primary_key), href(GLOSSARY, *data.row_pages[getattr(row, row.table.primary_key)]),
                      class_="jc-rowid") for row in found.rows[:SHOWN_ROWS]]
        more = f" and {len(found.rows) - SHOWN_ROWS} more" if len(found.rows) > SHOWN_ROWS else ""
        parts.append(f"{len(found.rows)} row{'s' if len(found.rows) != 1 else ''}: " + ", ".join(shown) + esc(more))
    if found.paragraphs:
        parts.append("first printed in " + ", ".join(
            link(data.districts[data.sources[source_id].district_id].name_en,
                 href(GLOSSARY, source_uri(source_id), paragraph_anchor(offset)),
                 title=f"the source reader at the first paragraph of {data.sources[source_id].title_en} that uses it")
            for source_id, offset in found.paragraphs))
    return "<br>".join(parts)


def glossary_page(data: SiteData) -> str:
    terms = sorted(data.rows["glossary"], key=lambda t: (toneless(pinyin(t.term_zh)).lower(), t.term_id))
    first_of: dict[str, str] = {}
    for term in terms:
        first_of.setdefault(initial(term.term_zh), term.term_id)
    letters = tag("nav", " ".join(link(letter, f"#{term_id}") for letter, term_id in first_of.items()),
                  class_="jc-letters", aria_label="Terms by the first letter of their pinyin", data_search_exclude=True)
    rows = [(
        tag("span", esc(term.term_zh), lang="zh-Hans", class_="jc-term") + "<br>"
        + tag("span", esc(pinyin(term.term_zh)), class_="jc-pinyin", lang="zh-Latn-pinyin"),
        tag("strong", esc(term.term_en)),
        esc(term.definition_en),
        esc(term.usage_note or ""),
        where_used(data, term.term_zh),
        tag("code", esc(term.term_id)),
    ) for term in terms]
    return (
        "# Glossary\n\nRecurring political and administrative terms, each with the single English rendering "
        "the dataset uses for it (table `glossary`, see its [dictionary page](dictionary/glossary.md)), its "
        "pinyin, the rows whose quotes use it and where the sources first print it. Terms are in the order "
        "of their pinyin; type in the filter box to narrow the table by any word, Chinese or English.\n"
        + raw_block(letters)
        + raw_block(table(("term · pinyin", "English", "meaning", "usage", "where it is used", "ID"), rows,
                          row_ids=[term.term_id for term in terms], css="jc-glossary jc-filterable"))
    )
