"""Chinese search: teach the segmenter the dataset's own terms.

Material's search plugin cuts Chinese text into words with jieba at build time (joined
by zero-width spaces, which the search ``separator`` splits on), and in the browser
cuts a query greedily into words that the index knows. jieba's general dictionary
splits the dataset's coinages (街巷长 → 街巷/长, 小巷管家 → 小巷/管家), so a search for
them would match only by accident. The glossary, the short initiative names and the
place names become a user dictionary here, before any page is indexed.

Long terms are left out: a word is found by its beginning only (the query becomes a
prefix search), so indexing 软弱涣散基层党组织 as one word would hide 基层党组织 inside it.

Material indexes a page by its headings, so a result would open the top of a long page.
:func:`search_entries` adds one entry per glossary term, per initiative, metric and
annotation, and per paragraph of each source, each at its own anchor, so that a result
opens the page where the term, the row or the sentence is. A withdrawn row's entry says
so in its title and is ranked below the active rows (a document boost below 1).
"""

from __future__ import annotations

import re

from .data import ANNOTATIONS, GLOSSARY, SiteData, district_uri, source_uri
from .glossary import pinyin, toneless
from .markup import esc, page_url
from .reader import paragraph_anchor

SEPARATOR = " · "  # between the fields of an entry, as between the cells of a table
WITHDRAWN_BOOST = 0.01  # lunr multiplies a document's score by its boost (0 would count as 1)

MAX_TERM_LENGTH = 6
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def user_dictionary(data: SiteData) -> list[str]:
    """The dataset's Chinese terms, as runs of Han characters jieba can keep whole."""
    candidates = [term.term_zh for term in data.rows["glossary"]]
    candidates += [row.name_zh for row in data.rows["initiatives"] if row.name_basis == "as_written"]
    for district in data.rows["districts"]:
        candidates += [district.name_zh, district.prefecture_zh, district.province_zh]
    words: list[str] = []
    for candidate in candidates:
        for run in _HAN_RUN.findall(candidate):
            if 2 <= len(run) <= MAX_TERM_LENGTH and run not in words:
                words.append(run)
    return words


def teach_jieba(words: list[str]) -> None:
    """Add the words to jieba's default tokenizer, the one Material's search plugin uses."""
    import jieba

    jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise
    for word in words:
        jieba.add_word(word)


def search_entries(data: SiteData) -> list[dict[str, str]]:
    """Index entries (``location``, ``title``, ``text``) that land on a term, a row or a paragraph."""
    entries = []
    for term in data.rows["glossary"]:
        reading = pinyin(term.term_zh)
        entries.append(entry(GLOSSARY, term.term_id, f"{term.term_zh} {reading} · {term.term_en}", term.term_zh,
                             reading, toneless(reading), term.term_en, term.definition_en))
    for row in data.rows["initiatives"]:
        entries.append(row_entry(data, district_uri(data.district_of(row)), row.initiative_id,
                                 f"{row.name_zh} · {row.name_en}", row.initiative_id, row.description_en,
                                 row.description_zh, row.quote))
    for row in data.rows["metrics"]:
        entries.append(row_entry(data, district_uri(data.district_of(row)), row.metric_id,
                                 f"{row.subject_en} · {data.value_label(row)}", row.metric_id, row.subject_zh, row.quote))
    for row in data.rows["annotations"]:
        kind = data.term("annotation_kinds", row.kind)
        entries.append(row_entry(data, ANNOTATIONS, row.annotation_id,
                                 f"{kind.label_en} {kind.label_zh} · {row.annotation_id}", row.description_en, row.quote))
    for source in data.rows["sources"]:
        text = data.text_of(source.source_id)
        offset = source.span_start
        for line in text[source.span_start:source.span_end].split("\n"):
            if line.strip():
                title = line.strip()[:18] + ("…" if len(line.strip()) > 18 else "")
                entries.append(entry(source_uri(source.source_id), paragraph_anchor(offset), title, line.strip()))
            offset += len(line) + 1
    return entries


def row_entry(data: SiteData, page: str, row_id: str, title: str, *fields: str | None) -> dict[str, object]:
    """A row's entry; a withdrawn row's is marked in its title and ranked last."""
    if not data.withdrawn(row_id):
        return entry(page, row_id, title, *fields)
    return {**entry(page, row_id, f"withdrawn · {title}", *fields), "boost": WITHDRAWN_BOOST}


def entry(page: str, anchor: str, title: str, *fields: str | None) -> dict[str, str]:
    """One index entry, its Chinese cut into words as the search plugin cuts a page's."""
    text = SEPARATOR.join(field for field in fields if field)
    return {"location": f"{page_url(page)}#{anchor}", "title": esc(cut(title)), "text": esc(cut(text))}


def cut(text: str) -> str:
    """Runs of Han characters cut into words by jieba (zero-width spaces); other text as it is."""
    import jieba

    return _HAN_RUN.sub(lambda run: "\u200b".join(jieba.cut(run[0])), text)
