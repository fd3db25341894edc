"""What the provenance checks say: each defect of a source row, a quote or a selector is
reported at the cell to fix, with a message naming the numbers and words involved."""

from __future__ import annotations

import pytest
from conftest import assert_reported

SOURCE_1 = "1f5f9208bb5fe543-1"


def source_text(copy) -> str:
    return (copy.root / copy.rows("sources")[0]["path"]).read_text(encoding="utf-8")


def test_quote_at_wrong_offsets_says_where_it_does_occur(run_cli, package_copy):
    row = package_copy.rows("metrics")[0]
    start, end = int(row["quote_start"]), int(row["quote_end"])
    package_copy.set_cell("metrics", 0, "quote_end", str(end + 2))
    cell = package_copy.set_cell("metrics", 0, "quote_start", str(start + 2))
    line = assert_reported(run_cli, package_copy, cell, "quote-offsets")
    found = source_text(package_copy)[start + 2: end + 2][:30]
    assert line.endswith(f"text[{start + 2}:{end + 2}] is {found!r}, not the quote (it occurs at {start}); "
                         "run `jiceng locate --write` to refill the offsets")


def test_quote_found_nowhere_says_so(run_cli, package_copy):
    rows = package_copy.rows("annotations")
    assert len(rows[0]["quote"]) == 8
    rows[0]["quote"] = "不在原文中的话语"
    package_copy.write_rows("annotations", rows)
    cell = package_copy.find("annotations", 0, "quote_start")
    line = assert_reported(run_cli, package_copy, cell, "quote-offsets")
    assert "(it does not occur in the source at all: " in line  # followed by the nearest passage


def test_a_quote_one_character_longer_than_its_span_points_to_locate_for_the_difference(run_cli, package_copy):
    """A space typed into a quote: locate --write cannot fix that, locate shows the difference."""
    rows = package_copy.rows("metrics")
    rows[0]["quote"] = rows[0]["quote"][:2] + " " + rows[0]["quote"][2:]
    package_copy.write_rows("metrics", rows)
    cell = package_copy.find("metrics", 0, "quote_end")
    line = assert_reported(run_cli, package_copy, cell, "row-model")
    assert "`jiceng locate` shows where the quote differs from the source" in line
    located = run_cli("locate", str(package_copy.root))
    assert located.exit_code == 1
    assert "[ ]" in located.out  # the typed space, bracketed against the source


@pytest.mark.parametrize(("column", "message"), [
    ("quote_prefix", "quote_prefix '错' is not the text just before the quote"),
    ("quote_suffix", "quote_suffix '错' is not the text just after the quote"),
])
def test_selector_words_that_do_not_surround_the_quote_are_reported(run_cli, package_copy, column, message):
    cell = package_copy.set_cell("initiatives", 3, column, "错")
    line = assert_reported(run_cli, package_copy, cell, "quote-selector")
    assert line.endswith(message)


def test_quote_occurring_twice_in_its_essay_needs_a_selector(run_cli, package_copy):
    text = source_text(package_copy)
    source = package_copy.rows("sources")[0]
    words = "基层党组织"
    start = text.index(words, int(source["span_start"]))
    rows = package_copy.rows("annotations")
    rows[0].update(quote=words, quote_start=str(start), quote_end=str(start + len(words)), quote_prefix="",
                   quote_suffix="")
    package_copy.write_rows("annotations", rows)
    cell = package_copy.find("annotations", 0, "quote")
    line = assert_reported(run_cli, package_copy, cell, "quote-selector")
    assert f"the quote occurs {text.count(words)} times in the source file; add a quote_prefix" in line


def test_value_text_must_be_in_the_quote(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "value_text", "99个")
    line = assert_reported(run_cli, package_copy, cell, "quote-content")
    assert line.endswith("value_text '99个' is not in the quote")


def test_period_text_must_be_in_the_quote(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 13, "period_text", "近三年")
    line = assert_reported(run_cli, package_copy, cell, "quote-content")
    assert line.endswith("period_text '近三年' is not in the quote")


def test_name_written_as_in_the_source_must_be_in_the_quote(run_cli, package_copy):
    cell = package_copy.set_cell("initiatives", 0, "name_zh", "四基建设")
    line = assert_reported(run_cli, package_copy, cell, "quote-content")
    assert line.endswith("name_zh '四基建设' is marked as_written but is not in the quote")


def test_descriptive_name_need_not_be_in_the_quote(run_cli, package_copy):
    package_copy.set_cell("initiatives", 3, "name_zh", "不在引文中的名称")
    assert "[quote-content]" not in run_cli("validate", str(package_copy.root)).out


def test_number_text_must_be_in_the_quote(run_cli, package_copy):
    cell = package_copy.set_cell("non_metric_numbers", 0, "number_text", "两条红线")
    line = assert_reported(run_cli, package_copy, cell, "quote-content")
    assert "number_text '两条红线' is not in the quote" in line


def test_row_attributed_to_another_district_than_its_source(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "district_id", "220521")
    line = assert_reported(run_cli, package_copy, cell, "attribution")
    assert line.endswith(f"district 220521 differs from source {SOURCE_1}'s district 140110")


def test_related_span_outside_its_source_is_reported(run_cli, package_copy):
    package_copy.set_cell("annotations", 4, "related_source_id", "1f5f9208bb5fe543-2")
    cell = package_copy.find("annotations", 4, "related_start")
    line = assert_reported(run_cli, package_copy, cell, "quote-selector")
    assert line.endswith("related span [1488, 1504) is outside source 1f5f9208bb5fe543-2's span")


def test_goals_quote_at_wrong_offsets_is_reported(run_cli, package_copy):
    cell = package_copy.set_cell("districts", 0, "goals_quote_start", "109")
    line = assert_reported(run_cli, package_copy, cell, "quote-offsets")
    assert f"of {SOURCE_1} is " in line and "not the goals_quote" in line


@pytest.mark.parametrize(("column", "value", "message"), [
    ("span_start", "3", "span_start is not at the beginning of a paragraph"),
    ("span_end", "2580", "span_end is not at the end of a paragraph"),
    ("byline_zh", "■某某区委书记 某某", "the byline '■某某区委书记 某某' is not inside the span"),
])
def test_essay_span_defects_are_reported_at_their_cell(run_cli, package_copy, column, value, message):
    cell = package_copy.set_cell("sources", 0, column, value)
    assert_reported(run_cli, package_copy, cell, "source-span")
    place = f"{package_copy.root / cell.path}:{cell.line}:{cell.column}: [source-span] "
    row_id = package_copy.rows("sources")[0]["source_id"]
    assert f"{place}row {row_id}: {message}" in run_cli("validate", str(package_copy.root)).lines()


def test_span_past_the_end_of_its_file_is_reported(run_cli, package_copy):
    package_copy.set_cell("sources", 0, "document_length", "9000")
    cell = package_copy.set_cell("sources", 0, "span_end", "9000")
    line = assert_reported(run_cli, package_copy, cell, "source-span")
    assert line.endswith("span_end 9000 is past the end of data/sources/000_1f5f9208bb5fe543.txt (7363 code points)")


def test_span_not_starting_with_its_heading_shows_how_it_begins(run_cli, package_copy):
    package_copy.set_cell("sources", 0, "heading_zh", "不是标题")
    cell = package_copy.find("sources", 0, "span_start")
    line = assert_reported(run_cli, package_copy, cell, "source-span")
    assert line.endswith("the text at span_start does not begin with the heading '不是标题' "
                         "(it begins '山西省太原市晋源区： 强化党建引领 提升')")


def test_recorded_document_length_must_be_the_files(run_cli, package_copy):
    cell = package_copy.set_cell("sources", 1, "document_length", "7364")
    line = assert_reported(run_cli, package_copy, cell, "source-hash")
    assert line.endswith("data/sources/000_1f5f9208bb5fe543.txt has 7363 code points, not the recorded 7364")


def test_source_file_linked_outside_the_package_is_refused_at_its_path(run_cli, package_copy, tmp_path):
    source = package_copy.rows("sources")[0]
    inside = package_copy.root / source["path"]
    outside = tmp_path / "outside.txt"
    outside.write_bytes(inside.read_bytes())
    inside.unlink()
    inside.symlink_to(outside)
    cell = package_copy.find("sources", 0, "path")
    line = assert_reported(run_cli, package_copy, cell, "path-safety")
    assert line.endswith(f"path {source['path']!r} is a symbolic link to a file outside the package")
