"""How a citation reads, on hand-made citations: the reference to paste into a
bibliography whatever the source states (or does not), and the text `jiceng cite` prints."""

from __future__ import annotations

import pytest

from jiceng.citation import Citation, summary_of, typed

SOURCE = {"source_id": "abc-1", "path": "data/sources/abc.txt", "sha256": "0123456789abcdef" * 4,
          "span_start": 5, "span_end": 40,
          "author_zh": "李某", "author_en": "Li Mou", "author_role_zh": "区委书记", "author_role_en": "Secretary",
          "title_zh": "标题", "title_en": "Title", "publication_zh": None, "publication_en": None, "published": None}


def citation(**changes) -> Citation:
    fields = dict(row_id="abc-1-m001", table="metrics", status="active", version="2.0.0", summary="a summary",
                  quote="原话", quote_start=10, quote_end=12, source=dict(SOURCE), dataset="X. Data. Version 2.0.0.",
                  licence="CC-BY-4.0")
    return Citation(**{**fields, **changes})


def test_reference_names_author_office_title_and_what_the_source_does_not_state():
    assert citation().reference() == (
        "Li Mou 李某, 区委书记 [Secretary]. “标题” [Title]. Publication and date not stated in the source. "
        "Quoted and curated in: X. Data. Version 2.0.0. Row abc-1-m001 (metrics). Licence CC-BY-4.0.")


def test_reference_gives_the_publication_and_date_when_stated():
    source = {**SOURCE, "publication_zh": "人民日报", "publication_en": "People's Daily", "published": "2020-01-02"}
    assert citation(source=source).source_reference() == (
        "Li Mou 李某, 区委书记 [Secretary]. “标题” [Title]. 人民日报 [People's Daily], 2020-01-02.")
    dated = {**SOURCE, "published": "2020-01-02"}
    assert citation(source=dated).source_reference().endswith("“标题” [Title]. 2020-01-02.")


def test_reference_without_author_says_so():
    source = {**SOURCE, "author_zh": None, "author_en": None, "author_role_zh": None, "author_role_en": None}
    assert citation(source=source).source_reference().startswith("Author not stated. “标题”")
    role_only = {**SOURCE, "author_zh": None, "author_en": None, "author_role_en": None}
    assert citation(source=role_only).source_reference().startswith("区委书记. “标题”")


def test_row_without_source_is_cited_as_the_dataset():
    assert citation(source=None).reference() == "X. Data. Version 2.0.0. Row abc-1-m001 (metrics). Licence CC-BY-4.0."


def test_text_shows_row_quote_source_and_reference():
    assert citation().text().splitlines() == [
        "abc-1-m001 (metrics, active, jiceng 2.0.0)",
        "  a summary",
        "Quote: “原话” (characters 10–12 of the document data/sources/abc.txt; source abc-1 is characters 5–40 of it)",
        "Source: abc-1, data/sources/abc.txt (sha256 0123456789ab…)",
        "Cite as: " + citation().reference(),
    ]


def test_quotes_and_titles_that_hold_quotation_marks_are_set_in_corner_brackets_verbatim():
    cited = citation(quote="新建党组织54个，“两个覆盖”质量稳步提升", source={**SOURCE, "title_zh": "“一体化”党建"})
    assert "Quote: 「新建党组织54个，“两个覆盖”质量稳步提升」 (characters" in cited.text()
    assert ". 「“一体化”党建」 [Title]. " in cited.reference()


def test_a_draft_row_and_a_source_without_english_title_show_no_none():
    source = {**SOURCE, "title_en": None}
    assert citation(source=source).source_reference().startswith("Li Mou 李某, 区委书记 [Secretary]. “标题”. ")
    row = {"metric_id": "abc-1-m001", "subject_en": None, "value": 45.0, "value_max": None, "unit": "person",
           "qualifier": "exact", "value_type": "total", "value_text": "45名"}
    assert "None" not in summary_of("metrics", row) and summary_of("metrics", row).startswith("—: 45")


def test_withdrawn_row_says_so_with_or_without_a_replacement():
    lines = citation(status="withdrawn", superseded_by=["abc-1-m002", "abc-1-m003"]).text().splitlines()
    assert lines[2] == "  WITHDRAWN: not part of the current data; superseded by abc-1-m002, abc-1-m003"
    assert citation(status="withdrawn").text().splitlines()[2] == "  WITHDRAWN: not part of the current data"


def test_quote_without_offsets_is_shown_without_a_place():
    assert "Quote: “原话”" in citation(quote_start=None).text().splitlines()


def test_json_form_adds_the_reference():
    data = citation().as_dict()
    assert data["reference"] == citation().reference()
    assert data["row_id"] == "abc-1-m001" and data["source"]["source_id"] == "abc-1"


def test_cells_take_their_table_schema_types():
    schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "x", "type": "number"},
                         {"name": "b", "type": "boolean"}, {"name": "s", "type": "string"}]}
    assert typed({"n": "3", "x": "2.5", "b": "true", "s": "7"}, schema) == {"n": 3, "x": 2.5, "b": True, "s": "7"}
    assert typed({"n": None, "x": "abc", "b": "false"}, schema) == {"n": None, "x": "abc", "b": False}


@pytest.mark.parametrize(("table", "row", "summary"), [
    ("metrics", {"subject_en": "members", "value": 5.0, "value_max": None, "unit": "person", "qualifier": "exact",
                 "value_type": "level", "value_text": "5人"}, "members: 5 persons (exact, level); as written: 5人"),
    ("metrics", {"subject_en": "members", "value": 5.0, "value_max": 8.0, "unit": "person", "qualifier": "range",
                 "value_type": "level", "value_text": "5至8人"}, "members: 5–8 persons (range, level); as written: 5至8人"),
    ("initiatives", {"name_zh": "名", "name_en": "Name", "kind": "mechanism", "category": "c"},
     "名 (Name): mechanism, c"),
    ("annotations", {"kind": "typo", "description_en": "d"}, "typo: d"),
    ("non_metric_numbers", {"number_text": "一", "reason": "lexical", "explanation_en": "e"},
     "一: not a metric (lexical): e"),
    ("consistency_checks", {"description_en": "d"}, "d"),
    ("glossary", {"term_zh": "词", "term_en": "term", "definition_en": "Def."}, "词: term. Def."),
    ("districts", {"name_zh": "区", "name_en": "District", "prefecture_en": "P", "province_en": "Q",
                   "district_id": "110101"}, "区 District, P, Q (GB/T 2260 110101)"),
    ("sources", {"title_zh": "题", "title_en": "Title"}, "题 [Title]"),
])
def test_summary_of_each_table(table, row, summary):
    assert summary_of(table, row) == summary
