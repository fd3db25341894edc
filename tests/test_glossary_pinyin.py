"""Glossary pinyin is written word by word (GB/T 16159): a word's syllables together, words
apart, an apostrophe before a non-initial syllable starting with a, o or e, and punctuation
against the word it follows or precedes."""

from __future__ import annotations

import re

import pytest

from jiceng_site.glossary import pinyin


@pytest.mark.parametrize(("term", "expected"), [
    ("群团组织", "qúntuán zǔzhī"),
    ("双创双修", "shuāngchuàng shuāngxiū"),
    ("报到", "bàodào"),
    ("实施方案", "shíshī fāng'àn"),
    ("社区“两委”", "shèqū “liǎngwěi”"),
    ("书记抓、抓书记", "shūjì zhuā, zhuā shūjì"),
    ("党建", "dǎngjiàn"),
])
def test_named_terms_read_as_written_pinyin(term, expected):
    assert pinyin(term) == expected


def test_an_apostrophe_marks_every_vowel_initial_syllable_inside_a_word():
    assert pinyin("方案") == "fāng'àn"
    assert pinyin("西安") == "xī'ān"
    assert "'" not in pinyin("安全")  # a word that starts with a vowel needs none


def test_no_space_inside_quotation_marks_or_before_punctuation():
    reading = pinyin("群众吹哨、街居响应、部门报到")
    assert not re.search(r"\s[,”]|“\s", reading)
    assert reading.count(", ") == 2
