"""How `jiceng diff` prints a comparison, on a hand-made diff: the text for a terminal, the
Markdown of the pull-request comment, the JSON report, and the short label of a row."""

from __future__ import annotations

from jiceng.diff import Diff, RowChange, TableDiff, as_json, as_markdown, as_text, label_of, markdown_cell
from jiceng.releases import OpenedVersion, Snapshot


def side(label: str, version: str | None) -> OpenedVersion:
    return OpenedVersion(label, Snapshot(version, {}), {})


def sample_diff() -> Diff:
    glossary = TableDiff("glossary", added=[RowChange("g-new", "新词 new term", row={"term_id": "g-new"})],
                         columns_added=["usage_note"])
    metrics = TableDiff("metrics", changed=[
        RowChange("m-1", "党员 5个", changes={"value": ("5", "6"), "notes": (None, "a | b\nc")}),
    ], withdrawn=[RowChange("m-2", "", changes={"status": ("active", "withdrawn")})],
        removed=[RowChange("m-3", "旧")])
    return Diff(side("main", "0.1.0"), side(".", None), [glossary, TableDiff("districts"), metrics])


def test_text_lists_tables_rows_and_changed_fields():
    assert as_text(sample_diff()) == "\n".join([
        "jiceng diff main (0.1.0) → .",
        "",
        "glossary: 1 added",
        "  (columns added: usage_note)",
        "  added      g-new  新词 new term",
        "",
        "metrics: 1 withdrawn, 1 changed, 1 removed",
        "  (removed IDs break the stable-ID rule: restore them with status withdrawn)",
        "  withdrawn  m-2",
        '             status: "active" → "withdrawn"',
        "  changed    m-1  党员 5个",
        '             value: "5" → "6"',
        '             notes: ∅ → "a | b\\nc"',
        "  removed    m-3  旧",
        "",
        "total: 1 added, 1 withdrawn, 1 changed, 1 removed (in 2 of 3 tables)",
        "",
    ])


def test_text_limit_hides_rows_and_says_how_many():
    diff = Diff(side("a", None), side("b", None), [TableDiff("glossary", added=[RowChange(f"g-{i}") for i in range(5)])])
    lines = as_text(diff, limit=2).splitlines()
    assert lines[3:6] == ["  added      g-0", "  added      g-1", "  … and 3 more added (raise --limit to see them)"]


def test_text_of_identical_versions_says_so():
    diff = Diff(side("a", "1.0.0"), side("b", "1.0.0"), [TableDiff("glossary")])
    assert as_text(diff).splitlines() == ["jiceng diff a (1.0.0) → b (1.0.0)", "no differences", "",
                                          "total: 0 added, 0 withdrawn, 0 changed, 0 removed (in 0 of 1 tables)"]


def test_markdown_comment_has_a_summary_table_and_one_section_per_changed_table():
    assert as_markdown(sample_diff()) == "\n".join([
        "### jiceng diff: main (0.1.0) → .",
        "",
        "| table | added | withdrawn | changed | removed |",
        "|---|---:|---:|---:|---:|",
        "| glossary | 1 | 0 | 0 | 0 |",
        "| metrics | 0 | 1 | 1 | 1 |",
        "",
        "#### glossary",
        "",
        "_columns added: usage_note_  ",
        "",
        "| | ID | field | old | new |",
        "|---|---|---|---|---|",
        "| added | `g-new` |  | | 新词 new term |",
        "",
        "#### metrics",
        "",
        "_removed IDs break the stable-ID rule: restore them with status withdrawn_  ",
        "",
        "| | ID | field | old | new |",
        "|---|---|---|---|---|",
        '| withdrawn | `m-2` | status | "active" | "withdrawn" |',
        '| changed | `m-1` | value | "5" | "6" |',
        '| | | notes | ∅ | "a \\| b\\\\nc" |',
        "| removed | `m-3` |  | | 旧 |",
        "",
        "Total: 1 added, 1 withdrawn, 1 changed, 1 removed.",
        "",
    ])


def test_markdown_limit_and_no_difference():
    diff = Diff(side("a", None), side("b", None), [TableDiff("glossary", added=[RowChange(f"g-{i}") for i in range(3)])])
    assert "| … | 2 more added | | | |" in as_markdown(diff, limit=1).splitlines()
    empty = Diff(side("a", None), side("b", None), [TableDiff("glossary")])
    assert as_markdown(empty) == "### jiceng diff: a → b\n\nNo differences in any table.\n"


def test_markdown_cell_escapes_pipes_backslashes_and_line_breaks():
    assert markdown_cell("a|b\\c\r\nd\ne") == "a\\|b\\\\c<br>d<br>e"


def test_json_report_carries_sides_counts_and_every_table():
    report = as_json(sample_diff())
    assert report["old"] == {"label": "main", "version": "0.1.0"}
    assert report["new"] == {"label": ".", "version": None}
    assert report["summary"] == {"added": 1, "withdrawn": 1, "changed": 1, "removed": 1}
    assert list(report["tables"]) == ["glossary", "districts", "metrics"]
    assert report["tables"]["glossary"] == {
        "detail": "cells", "table_added": False, "table_removed": False, "columns_added": ["usage_note"],
        "columns_removed": [], "added": [{"id": "g-new", "row": {"term_id": "g-new"}}], "withdrawn": [],
        "changed": [], "removed": []}
    assert report["tables"]["metrics"]["changed"] == [
        {"id": "m-1", "changes": {"value": {"old": "5", "new": "6"}, "notes": {"old": None, "new": "a | b\nc"}}}]
    assert report["tables"]["metrics"]["removed"] == [{"id": "m-3"}]


def test_label_joins_the_label_columns_and_shortens_long_ones():
    assert label_of("metrics", {"subject_zh": "党员  人数", "value_text": "5个"}) == "党员 人数 5个"
    assert label_of("metrics", {"subject_zh": "", "value_text": "5个"}) == "5个"
    assert label_of("glossary", None) == ""
    assert label_of("vocabulary", {"label_en": "person"}) == "person"
    long = label_of("initiatives", {"name_zh": "长" * 50})
    assert long == "长" * 39 + "…" and len(long) == 40
    assert label_of("initiatives", {"name_zh": "长" * 40}) == "长" * 40


def test_notes_say_when_a_table_is_new_removed_or_compared_by_ids():
    from jiceng.diff import table_notes

    assert table_notes(TableDiff("glossary", table_added=True)) == ["new table"]
    assert table_notes(TableDiff("glossary", table_removed=True, columns_removed=["a", "b"])) == [
        "table removed", "columns removed: a, b"]
    assert table_notes(TableDiff("glossary", detail="ids"))[0].startswith(
        "compared by ID and digest only: the released table is not in this git repository")
