"""Chinese search: teach the segmenter the dataset's own terms.

Material's search plugin cuts Chinese text into words with jieba at build time (joined
by zero-width spaces, which the search ``separator`` splits on), and in the browser
cuts a query greedily into words that the index knows. jieba's general dictionary
splits the dataset's coinages (街巷长 → 街巷/长, 小巷管家 → 小巷/管家), so a search for
them would match only by accident. The glossary, the short initiative names and the
place names become a user dictionary here, before any page is indexed.

Long terms are left out: a word is found by its beginning only (the query becomes a
prefix search), so indexing 软弱涣散基层党组织 as one word would hide 基层党组织 inside it.
"""

from __future__ import annotations

import re

from .data import SiteData

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
