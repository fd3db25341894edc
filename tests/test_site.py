"""The site generator (docs/jiceng_site): pure functions from the package to Markdown and HTML.

These run without MkDocs; tests/test_docs_build.py builds the real site and
tests/test_docs_browser.py opens it in a browser.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import jiceng_site as site
from jiceng.bundle import package_root
from jiceng.models import TABLES
from jiceng.vocab import VOCABULARIES
from jiceng_site.data import Cited, district_uri, source_uri, table_uri
from jiceng_site.markup import esc, href, md_escape
from jiceng_site.reader import reader_html, segments


@pytest.fixture(scope="module")
def data() -> site.SiteData:
    return site.load(package_root())


@pytest.fixture(scope="module")
def pages(data) -> dict[str, str]:
    return site.generated_pages(data, package_root())


class Ids(HTMLParser):
    """Collects the id attributes and the hrefs of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "a" and "href" in attributes:
            self.hrefs.append(attributes["href"])


def parsed(markdown: str) -> Ids:
    parser = Ids()
    parser.feed(markdown)
    return parser


# --- escaping -------------------------------------------------------------------------------


def test_esc_turns_markup_into_text():
    assert esc('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def test_md_escape_neutralises_markdown_and_html():
    escaped = md_escape("**bold** [x](http://e) <b>#1</b> a|b {: .c}")
    assert "<" not in escaped and "**" not in escaped and "](" not in escaped
    assert r"\*\*bold\*\*" in escaped and r"a\|b" in escaped and r"\{" in escaped


def test_reader_escapes_the_source_text_and_keeps_every_character():
    text = "甲<script>alert(1)</script>乙**粗**丙"
    span = Cited("x-1-i001", "initiative", "x-1", 1, 9, "<b>label</b>")

    class Data:  # the reader needs only the row's page and status from the data
        row_pages = {"x-1-i001": ("districts/1.md", "x-1-i001")}
        annotations: dict = {}

        def withdrawn(self, row_id: str) -> bool:
            return False

    shown = reader_html(Data(), "sources/x-1.md", text, 0, len(text), [span], set())
    assert "<script>" not in shown and "<b>label" not in shown
    assert "&lt;script&gt;" in shown and "**粗**" in shown


# --- links -----------------------------------------------------------------------------------


def test_href_is_relative_between_built_files():
    assert href("sources/a.md", "districts/1.md", "r") == "../districts/1.html#r"
    assert href("index.md", "districts/index.md") == "districts/index.html"
    assert href("annotations.md", "annotations.md", "x") == "#x"


# --- what the pages contain ----------------------------------------------------------------------


def test_there_is_a_page_per_table_vocabulary_district_and_source(pages, data):
    expected = {table_uri(name) for name in TABLES} | {f"vocabularies/{name}.md" for name in VOCABULARIES}
    expected |= {district_uri(d) for d in data.districts} | {source_uri(s) for s in data.sources}
    assert expected <= set(pages)


def test_table_page_lists_every_field_of_its_model_with_its_chinese_title(pages):
    page = pages[table_uri("metrics")]
    for name, info in TABLES["metrics"].model_fields.items():
        assert f'id="field-{name}"' in page
        assert info.json_schema_extra["title_zh"] in page


def test_vocabulary_field_shows_allowed_values_with_both_labels(pages, data):
    page = pages[table_uri("metrics")]
    for term in data.vocabularies.terms("qualifiers").values():
        assert esc(term.label_en) in page and esc(term.label_zh) in page


def test_district_page_has_a_row_for_each_of_its_initiatives_and_metrics(pages, data):
    for district_id in data.districts:
        ids = set(parsed(pages[district_uri(district_id)]).ids)
        for table in ("initiatives", "metrics", "non_metric_numbers"):
            for row in data.rows_of_district(table, district_id):
                assert getattr(row, row.table.primary_key) in ids


def test_metric_values_read_as_people_read_them(data):
    labels = {row.value_text: data.value_label(row) for row in data.rows["metrics"]}
    assert labels["6.4万余人次"] == "≥ 64,000 person-times"
    assert labels["108%"] == "108%"
    assert any(label.endswith(" yuan") for label in labels.values())


def test_unit_labels_follow_the_vocabulary(data):
    assert data.unit_label("person", plural=True) == "persons"
    assert data.unit_label("person", plural=False) == "person"
    assert data.unit_label("facility", plural=True) == "facilities"
    assert data.unit_label("yuan", plural=True) == "yuan"


def test_source_reader_anchors_every_row_that_quotes_the_source(pages, data):
    for source_id, spans in data.cited.items():
        ids = set(parsed(pages[source_uri(source_id)]).ids)
        missing = [span.row_id for span in spans if f"q-{span.row_id}" not in ids]
        assert not missing


def test_source_reader_explains_every_annotation_next_to_its_words(pages, data):
    for row in data.rows["annotations"]:
        page = pages[source_uri(row.source_id)]
        assert f'id="note-{row.annotation_id}"' in page
        assert esc(row.description_en) in page


def test_source_reader_shows_the_whole_source_text(pages, data):
    for source_id, source in data.sources.items():
        page = re.sub(r'<a [^>]*class="jc-defect-mark"[^>]*>⚠</a>', "", pages[source_uri(source_id)])
        paragraphs = re.findall(r'<p class="jc-para[^"]*"[^>]*>(.*?)</p>', page, flags=re.S)
        shown = html.unescape(re.sub(r"<[^>]+>", "", "".join(paragraphs)))
        assert shown == data.text_of(source_id)[source.span_start : source.span_end].replace("\n", "")


def test_overlapping_spans_cut_into_segments_that_know_all_their_rows():
    a = Cited("s-1-i001", "initiative", "s-1", 0, 10, "")
    b = Cited("s-1-m001", "metric", "s-1", 4, 6, "")
    cut = segments("0123456789", 0, 10, [a, b])
    assert [(s.start, s.end) for s in cut] == [(0, 4), (4, 6), (6, 10)]
    assert [r.row_id for r in cut[1].rows] == ["s-1-m001", "s-1-i001"]  # most specific first


def test_every_marker_of_the_hand_written_pages_is_known(data):
    from pathlib import Path

    known = site.pages.markers(data, package_root())
    for path in (Path(__file__).resolve().parents[1] / "docs").rglob("*.md"):
        for name in site.MARKER.findall(path.read_text(encoding="utf-8")):
            assert name in known, f"{path.name}: unknown marker {name}"


def test_unknown_marker_stops_the_build(data):
    with pytest.raises(ValueError, match="unknown marker"):
        site.fill_markers("<!-- jiceng:nonsense -->", data, package_root(), "x.md")


def test_nav_sections_list_their_generated_pages(data):
    nav = site.expand_nav([{"Districts": "districts/index.md"}], site.nav_children(data))
    (section,) = nav
    assert section["Districts"][0] == "districts/index.md"
    assert len(section["Districts"]) == 1 + len(data.districts)


def test_a_section_too_long_for_the_navigation_is_left_to_its_index_page(data):
    """A corpus of thousands of districts must not print them all on every page; the index
    pages still link every district and source page."""
    children = site.nav_children(data, limit=len(data.districts) - 1)
    assert children[site.DISTRICT_INDEX] == [] and children[site.SOURCE_INDEX] == []
    assert len(children[site.DICTIONARY]) == len(site.TABLES)
    pages = site.generated_pages(data, package_root())
    for district in data.rows["districts"]:
        assert f'href="{district.district_id}.html"' in pages[site.DISTRICT_INDEX]
    for source in data.rows["sources"]:
        assert f'href="{source.source_id}.html"' in pages[site.SOURCE_INDEX]


# --- Chinese search ---------------------------------------------------------------------------------


def test_user_dictionary_holds_the_datasets_terms(data):
    words = site.user_dictionary(data)
    assert {"街巷长", "小巷管家", "红色物业"} <= set(words)
    assert all(len(word) <= site.search.MAX_TERM_LENGTH for word in words)


def test_docs_hook_teaches_the_search_segmenter_every_dataset_term():
    """What docs/hooks.py does before indexing, in a fresh interpreter (jieba's tokenizer is global)."""
    code = (
        "import json, jieba, jiceng_site as site\n"
        "from jiceng.bundle import package_root\n"
        "words = site.user_dictionary(site.load(package_root()))\n"
        "split = [word for word in words if jieba.lcut(word) != [word]]\n"
        "site.teach_jieba(words)\n"
        "print(json.dumps({'split_before': split, 'split_after': [w for w in words if jieba.lcut(w) != [w]],\n"
        "                  'sentence': jieba.lcut('全区共设街巷长27名')}, ensure_ascii=False))\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(Path(site.__file__).parent.parent)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)
    report = json.loads(result.stdout)
    assert "街巷长" in report["split_before"], "the general dictionary alone cuts the dataset's coinages"
    assert report["split_after"] == []
    assert "街巷长" in report["sentence"]


# --- finishing the built pages ----------------------------------------------------------------


class Untagged(HTMLParser):
    """The Han characters of a page's text whose nearest ``lang`` is not Chinese, and the
    English words whose nearest ``lang`` is Chinese."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = [("", "en")]
        self.untagged: list[str] = []
        self.english: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in {"br", "img", "meta", "link", "input", "hr", "wbr", "source"}:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        if any(tag in {"script", "style", "title", "svg"} for tag, _ in self.stack):
            return
        lang = next(lang for _, lang in reversed(self.stack) if lang)
        if not lang.startswith("zh") or "-Latn" in lang:  # zh-Latn-pinyin is Chinese in Latin letters
            self.untagged += re.findall(r"[\u4e00-\u9fff]+", data)
        else:
            self.english += re.findall(r"[A-Za-z]{2,}(?: [A-Za-z]{2,})+", data)


def untagged_chinese(page: str) -> list[str]:
    parser = Untagged()
    parser.feed(page)
    return parser.untagged


def english_in_chinese(page: str) -> list[str]:
    """Runs of two or more English words whose nearest ``lang`` is Chinese."""
    parser = Untagged()
    parser.feed(page)
    return parser.english


def test_chinese_runs_get_a_chinese_lang_and_nothing_else_changes():
    page = ('<html lang="en"><head><title>基层</title></head><body><h1>jiceng 基层</h1>'
            '<p>governance (城市基层党建与基层治理), counted as 6.4万人次.</p>'
            '<div lang="zh-Hans"><p>已是中文</p></div><script>var s = "中文";</script></body></html>')
    assert untagged_chinese(page)  # the checker sees the runs a screen reader would misread
    finished = site.tag_chinese(page)
    assert untagged_chinese(finished) == []
    assert '<h1>jiceng <span lang="zh-Hans">基层</span></h1>' in finished
    assert '(<span lang="zh-Hans">城市基层党建与基层治理</span>)' in finished
    assert '<span lang="zh-Hans">万人次</span>' in finished
    assert "<title>基层</title>" in finished and 'var s = "中文";' in finished  # no markup where none may go
    assert finished.count("<span") == 3  # the Chinese <div> is left alone
    assert re.sub(r'</?span[^>]*>', "", finished) == page


def test_search_index_loses_its_zero_width_spaces_but_keeps_the_word_breaks(tmp_path):
    index = tmp_path / "search_index.json"
    text = "<p>governance (\u200b城市\u200b基层党建\u200b与\u200b基层治理\u200b), \u200b街巷长\u200b</p>"
    title = "\u200b强化\u200b党建\u200b引领\u200b \u200b提升\u200b"  # a space as printed, between two words
    index.write_text(json.dumps({"config": {}, "docs": [{"location": "a.html", "title": title, "text": text}]}),
                     encoding="utf-8")
    site.compact_search_index(index)
    stored = index.read_text(encoding="utf-8")
    assert "\u200b" not in stored and "\\u200b" not in stored
    doc = json.loads(stored)["docs"][0]
    assert doc == {"location": "a.html", "title": "强化 党建 引领  提升",
                   "text": "<p>governance ( 城市 基层党建 与 基层治理 ),  街巷长</p>"}
    assert "城市" in stored  # UTF-8, not \\u escapes


def test_pages_keep_only_the_assets_they_use():
    head = ('<link rel="stylesheet" href="../assets/_mkdocstrings.css">'
            '<script src="../assets/site.js"></script><script src="../assets/reader.js"></script>')
    plain = site.prune_assets(head + "<p>text</p>")
    assert "_mkdocstrings.css" not in plain and "reader.js" not in plain and "site.js" in plain
    reader = site.prune_assets(head + '<div class="jc-reader" lang="zh-Hans"></div>')
    assert "reader.js" in reader and "_mkdocstrings.css" not in reader
    api = site.prune_assets(head + '<div class="doc doc-object"></div>')
    assert "_mkdocstrings.css" in api and "reader.js" not in api
