"""What a row names, as the stable-ID check compares it between versions (releases.RULES),
and the parts of a release snapshot: digests, identities and the ids.json text."""

from __future__ import annotations

import hashlib
import json

import pytest

from jiceng.releases import (
    RULES,
    Identity,
    ReleaseError,
    RowDigest,
    Snapshot,
    TableSnapshot,
    digest,
    dump_snapshot,
    git_blob_id,
    load_snapshot,
    overlaps,
    rule_for,
    words_span,
)
from jiceng.releases.snapshot import table_rows


@pytest.mark.parametrize(("a", "b", "result"), [
    ((0, 5), (4, 9), True), ((0, 5), (5, 9), False), ((4, 9), (0, 5), True), ((3, 3), (3, 3), True),
    ((0, 10), (2, 3), True), ((6, 9), (0, 5), False),
])
def test_spans_overlap_when_they_share_a_code_point_or_are_equal(a, b, result):
    assert overlaps(a, b) is result


def test_same_thing_when_every_part_present_on_both_sides_agrees():
    rule = RULES["initiatives"]
    old = Identity("s-1", (10, 20), ("名称", "Name"))
    assert rule.difference(old, Identity("s-1", (15, 25), ("名称", "New name"))) is None
    assert rule.difference(old, Identity(None, None, ())) is None
    assert rule.difference(old, Identity("s-2", (10, 20), ("名称",))) == ("source_id", "source_id s-1 → s-2")
    assert rule.difference(old, Identity("s-1", (20, 30), ("名称",))) == (
        "quote_start", "quote span 10–20 → 20–30, which do not overlap")
    assert rule.difference(old, Identity("s-1", (10, 20), ("别名", "Other"))) == (
        "name_zh", "name_zh / name_en 名称 / Name → 别名 / Other")


@pytest.mark.parametrize(("table", "row", "identity"), [
    ("sources", {"document_id": "d", "span_start": "2", "span_end": "90"}, Identity("d", (2, 90))),
    ("districts", {"district_id": "110101", "name_zh": "区"}, Identity()),
    ("initiatives", {"source_id": "s", "quote_start": "5", "quote_end": "9", "name_zh": "名", "name_en": None},
     Identity("s", (5, 9), ("名",))),
    ("metrics", {"source_id": "s", "quote": "共有12个", "quote_start": "100", "quote_end": "105",
                 "value_text": "12个"}, Identity("s", (102, 105))),
    ("annotations", {"source_id": "s", "quote_start": "1", "quote_end": "3", "kind": "typo"},
     Identity("s", (1, 3), ("typo",))),
    ("non_metric_numbers", {"source_id": "s", "quote": "一条红线", "quote_start": "7", "quote_end": "11",
                            "number_text": "一条"}, Identity("s", (7, 9))),
    ("consistency_checks", {"source_id": "s", "metric_ids": "m-1 m-2"}, Identity("s", None, ("m-1", "m-2"))),
    ("glossary", {"term_zh": "基层", "term_en": "grassroots"}, Identity(names=("基层",))),
    ("vocab-units", {"code": "person"}, Identity()),
])
def test_identity_of_each_table(table, row, identity):
    assert rule_for(table).identity(row) == identity


def test_words_not_found_in_the_quote_fall_back_to_the_quote_span():
    row = {"quote": "共有12个", "quote_start": "100", "quote_end": "105", "value_text": "13个"}
    assert words_span(row, "value_text") == (100, 105)
    assert words_span({**row, "value_text": None}, "value_text") == (100, 105)
    assert words_span({**row, "quote_start": "x"}, "value_text") is None


def test_digest_ignores_empty_and_absent_cells_but_not_values():
    row = {"a": "1", "b": None, "c": ""}
    assert digest(row) == digest({"a": "1"})
    assert digest(row) != digest({"a": "2"})
    expected = hashlib.sha256(json.dumps([["a", "1"]]).encode()).hexdigest()[:16]
    assert digest(row) == expected


def test_git_blob_id_is_what_git_hash_object_prints(tmp_path):
    (tmp_path / "hello").write_bytes(b"hello\n")
    (tmp_path / "empty").write_bytes(b"")
    assert git_blob_id(tmp_path / "hello") == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert git_blob_id(tmp_path / "empty") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_table_rows_keep_line_numbers_and_read_empty_cells_as_none(tmp_path):
    file = tmp_path / "glossary.csv"
    file.write_bytes('\ufeffterm_id,term_en\ng-a,"two\nlines"\n\ng-b,\n'.encode())
    rows = table_rows(file, "data/glossary.csv", "term_id")
    assert rows.header == ["term_id", "term_en"]
    read = list(rows)
    assert [row for _, row in read] == [{"term_id": "g-a", "term_en": "two\nlines"}, {"term_id": "g-b", "term_en": None}]
    assert [record.start_line for record, _ in read] == [2, 5]


def test_table_without_its_key_column_cannot_be_compared(tmp_path):
    file = tmp_path / "glossary.csv"
    file.write_text("term_en\nx\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"data/glossary.csv: has no term_id column"):
        table_rows(file, "data/glossary.csv", "term_id")


def test_snapshot_text_round_trips_one_id_per_line(tmp_path):
    rows = {"g-a": RowDigest(None, Identity(names=("词",)), "d1"),
            "g-b": RowDigest("withdrawn", Identity("s", (1, 2)), "d2")}
    snapshot = Snapshot("1.2.3", {"glossary": TableSnapshot("data/glossary.csv", "term_id", ["term_id"], "b1", rows),
                                  "districts": TableSnapshot("data/districts.csv", "district_id", [], None, {})})
    text = dump_snapshot(snapshot)
    assert '        "g-a": {"names": ["词"], "digest": "d1"},' in text.splitlines()
    assert '        "g-b": {"status": "withdrawn", "source": "s", "span": [1, 2], "digest": "d2"}' in text.splitlines()
    path = tmp_path / "ids.json"
    path.write_text(text, encoding="utf-8")
    assert load_snapshot(path) == snapshot
    assert json.loads(text)["identity"] == {name: rule.text for name, rule in RULES.items()}


def test_unreadable_snapshot_is_a_message(tmp_path):
    path = tmp_path / "ids.json"
    path.write_text('{"tables": {"glossary": {}}}', encoding="utf-8")
    with pytest.raises(ReleaseError, match="not a release snapshot written by `jiceng release`"):
        load_snapshot(path)


def test_missing_git_is_a_message(monkeypatch, tmp_path):
    import subprocess

    from jiceng.releases.versions import git

    def not_installed(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(subprocess, "run", not_installed)
    with pytest.raises(ReleaseError, match=r"^git is not installed; give a package directory or a release snapshot "
                                           r"instead$"):
        git(tmp_path, "status")
