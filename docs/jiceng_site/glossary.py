"""The glossary page, for readers who start from English.

Each term shows its pinyin (from pypinyin, word by word as jieba cuts the term), the
rows whose quotes use it and the paragraphs of the sources where it is printed; an
index by the first letter of the pinyin leads into the table, which a filter box
narrows (``docs/assets/site.js``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jiceng.stats import counted

from .data import GLOSSARY, SiteData, source_uri
from .markup import WITHDRAWN_BADGE, esc, href, link, raw_block, table, tag
from .reader import paragraph_anchor

QUOTED_TABLES = ("initiatives", "metrics", "non_metric_numbers", "annotations")
SHOWN_ROWS = 3


# Hanyu pinyin is written word by word (GB/T 16159, Basic rules of the Hanyu Pinyin
# orthography): the syllables of a word together, words apart. jieba finds the words; it
# does not know these words of the dataset, and it cuts some phrases as one word.
WORDS = ("群团", "组织", "双创", "双修", "报到", "共驻", "两委")
PHRASES = (("群团", "组织"), ("服务", "中心"), ("领导", "小组"), ("联席", "会议"), ("党员", "干部"),
           ("文明", "城市"), ("实施", "方案"), ("软弱", "涣散"), ("进", "社区"), ("双创", "双修"))
OPENING = "“‘《（(「『"
CLOSING = "”’》）)」』、，。；：！？,.;:!?"
PUNCTUATION = str.maketrans({"、": ",", "，": ",", "。": ".", "；": ";", "：": ":", "！": "!", "？": "?"})
VOWEL_INITIAL = re.compile(r"^[aoeāáǎàōóǒòēéěè]", re.IGNORECASE)


@cache
def tokenizer() -> Any:
    """A jieba tokenizer of its own, taught the words above (the search segmenter is left alone)."""
    import jieba

    cutter = jieba.Tokenizer()
    for word in WORDS:
        cutter.add_word(word, freq=10**6)
    for phrase in PHRASES:
        cutter.suggest_freq(phrase, tune=True)
    return cutter


def joined(syllables: list[str]) -> str:
    """The syllables of one word together; an apostrophe before a non-initial syllable that
    starts with a, o or e (fāng'àn), so that the syllable break can be read."""
    word = ""
    for syllable in syllables:
        syllable = syllable.strip()
        word += ("'" if word and VOWEL_INITIAL.match(syllable) else "") + syllable
    return word


@cache
def pinyin(term: str) -> str:
    """Hanyu pinyin with tone marks, word by word: 党建 → dǎngjiàn, 实施方案 → shíshī fāng'àn,
    社区“两委” → shèqū “liǎngwěi”."""
    from pypinyin import Style
    from pypinyin import pinyin as to_pinyin

    text = ""
    for word in tokenizer().cut(term):
        reading = joined([reading[0] for reading in to_pinyin(word, style=Style.TONE)]).translate(PUNCTUATION)
        if not reading:
            continue
        if text and not text.endswith(tuple(OPENING)) and not reading.startswith(tuple(CLOSING)):
            text += " "
        text += reading
    return text


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
        found.rows.sort(key=lambda row: not counted(row.status))  # active rows first, withdrawn ones marked
        shown = [link(row_id, href(GLOSSARY, *data.row_pages[row_id]), class_="jc-rowid")
                 + (" " + WITHDRAWN_BADGE if data.withdrawn(row_id) else "")
                 for row_id in (getattr(row, row.table.primary_key) for row in found.rows[:SHOWN_ROWS])]
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
