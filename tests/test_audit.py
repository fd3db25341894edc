"""``jiceng audit`` and validate layers 4–5: every number accounted for, figures recomputed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import Cell, assert_reported

from jiceng.validate.checks.consistency import growth_rate, share_of_whole, sum_of_parts


def source_cell(copy, source_id: str, words: str) -> Cell:
    """Line and column of ``words`` in a source's file, found by plain text search."""
    source = next(row for row in copy.rows("sources") if row["source_id"] == source_id)
    text = (copy.root / source["path"]).read_text(encoding="utf-8")
    offset = text.index(words, int(source["span_start"]))
    return Cell(source["path"], text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset))


def assert_audit_reports(run_cli, copy, cell: Cell, check: str = "audit") -> str:
    return assert_reported(run_cli, copy, cell, check, command="audit")


def test_bundled_package_audits_clean(run_cli):
    outcome = run_cli("audit")
    assert outcome.exit_code == 0, outcome.out
    assert "unaccounted for: 0" in outcome.out


def test_a_table_in_another_csv_form_is_for_validate_not_the_audit(run_cli, package_copy):
    """A metrics table written by another tool (a cell quoted that need not be) is still
    read by the audit; only validate asks for the canonical form."""
    path = package_copy.root / "data" / "metrics.csv"
    header, first, rest = path.read_text(encoding="utf-8").split("\n", 2)
    cell, tail = first.split(",", 1)
    path.write_text(f'{header}\n"{cell}",{tail}\n{rest}', encoding="utf-8", newline="")
    assert "[format]" in run_cli("validate", str(package_copy.root)).out
    outcome = run_cli("audit", str(package_copy.root))
    assert outcome.exit_code == 0 and "[format]" not in outcome.out, outcome.out


def test_every_number_of_the_page_is_counted_in_the_summary(run_cli):
    from jiceng.quantity import find_number_tokens
    from jiceng.sourcetext import document_text

    import jiceng

    paths = set(jiceng.sources()["path"])
    tokens = sum(len(find_number_tokens(document_text(path))) for path in paths)
    assert f"numbers in sources: {tokens};" in run_cli("audit").out


def test_number_whose_non_metric_row_is_removed_is_uncovered(run_cli, package_copy):
    rows = package_copy.rows("non_metric_numbers")
    target = next(row for row in rows if row["reason"] == "version_label")
    package_copy.write_rows("non_metric_numbers", [row for row in rows if row is not target])
    cell = source_cell(package_copy, target["source_id"], target["number_text"])
    line = assert_audit_reports(run_cli, package_copy, cell)
    assert "not in non_metric_numbers.csv" in line


def test_number_whose_metric_is_removed_is_uncovered(run_cli, package_copy):
    checked = {metric for row in package_copy.rows("consistency_checks") for metric in row["metric_ids"].split()}
    rows = package_copy.rows("metrics")
    target = next(row for row in rows if row["metric_id"] not in checked and "人次" in row["value_text"])
    package_copy.write_rows("metrics", [row for row in rows if row is not target])
    quote_offset = target["quote"].index(target["value_text"])
    cell = source_cell(package_copy, target["source_id"], target["quote"])
    cell = Cell(cell.path, cell.line, cell.column + quote_offset)
    assert_audit_reports(run_cli, package_copy, cell)


def test_number_in_a_metric_and_a_non_metric_row_is_a_conflict(run_cli, package_copy):
    metric = package_copy.rows("metrics")[0]
    rows = package_copy.rows("non_metric_numbers")
    clone = dict(rows[0])
    number_id = f"{metric['source_id']}-n999"
    clone.update(number_id=number_id, source_id=metric["source_id"], number_text=metric["value_text"],
                 quote=metric["quote"], quote_prefix=metric["quote_prefix"], quote_suffix=metric["quote_suffix"],
                 quote_start=metric["quote_start"], quote_end=metric["quote_end"], related_id="")
    package_copy.write_rows("non_metric_numbers", rows + [clone])
    cell = package_copy.find("non_metric_numbers", len(rows), "quote")
    line = assert_audit_reports(run_cli, package_copy, cell)
    assert f"non-metric row {number_id} covers" in line
    assert f"metric {metric['metric_id']}; shorten the quote" in line


def test_non_metric_row_that_covers_no_number_is_reported(run_cli, package_copy):
    source = package_copy.rows("sources")[0]
    text = (package_copy.root / source["path"]).read_text(encoding="utf-8")
    words = "晋源区深入贯彻"
    start = text.index(words)
    rows = package_copy.rows("non_metric_numbers")
    index = next(i for i, row in enumerate(rows) if row["source_id"] == source["source_id"] and not row["related_id"])
    rows[index].update(quote=words, number_text="晋源", quote_prefix="", quote_suffix="",
                       quote_start=str(start), quote_end=str(start + len(words)))
    package_copy.write_rows("non_metric_numbers", rows)
    line = assert_audit_reports(run_cli, package_copy, package_copy.find("non_metric_numbers", index, "quote"))
    assert f"non-metric row {rows[index]['number_id']} covers no number" in line


def test_audit_reads_only_the_tables_it_needs(run_cli, package_copy):
    """A broken glossary or initiatives table is validate's business; the audit reads
    sources, metrics, non-metric numbers and consistency checks only."""
    package_copy.set_cell("glossary", 0, "term_id", "not an id")
    package_copy.set_cell("initiatives", 0, "quote_start", "x")
    assert run_cli("validate", str(package_copy.root)).exit_code == 1
    outcome = run_cli("audit", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out
    assert "unaccounted for: 0" in outcome.out


def test_value_that_disagrees_with_its_words_is_a_value_text_error(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    index = next(i for i, row in enumerate(rows) if "万" in row["value_text"])
    wrong = str(int(float(rows[index]["value"]) // 10)) if float(rows[index]["value"]) >= 10 else "1"
    package_copy.set_cell("metrics", index, "value", wrong)
    line = assert_audit_reports(run_cli, package_copy, package_copy.find("metrics", index, "value_text"), "value-text")
    assert "万 = 10^4" in line


def test_disagreement_without_an_annotation_is_a_consistency_error(run_cli, package_copy):
    rows = package_copy.rows("consistency_checks")
    index = next(i for i, row in enumerate(rows) if row["kind"] == "share_of_whole")
    cell = package_copy.set_cell("consistency_checks", index, "annotation_id", "")
    line = assert_audit_reports(run_cli, package_copy, cell, "consistency")
    assert "15.2" in line


def metric(value, value_type="level", value_text="", metric_id="m"):
    return SimpleNamespace(value=value, value_type=value_type, value_text=value_text, metric_id=metric_id)


def test_growth_rate_accepts_truncation_and_rounding_to_the_stated_precision():
    increase, level = metric(88, "increase"), metric(169)
    assert growth_rate(increase, level, metric(108, "rate", "108%")).agrees
    assert growth_rate(increase, level, metric(109, "rate", "109%")).agrees
    assert not growth_rate(increase, level, metric(110, "rate", "110%")).agrees
    assert not growth_rate(increase, level, metric(108.7, "rate", "108.7%")).agrees


def test_share_of_a_whole_must_give_a_whole_number_of_parts():
    assert share_of_whole(metric(25, "share"), metric(76)).agrees
    assert not share_of_whole(metric(20, "share"), metric(76)).agrees


@pytest.mark.parametrize(("whole", "parts", "agrees"), [
    (10, (4, 6), True),
    (0.3, (0.1, 0.2), True),  # 0.1 + 0.2 is 0.30000000000000004 in binary: no disagreement
    (120_000_000, (70_000_000, 50_000_000), True),
    (120_000_000, (70_000_000, 50_000_001), False),  # one in 1.2亿 over
    (120_000_000, (70_000_000, 49_999_999), False),  # one in 1.2亿 under
    (100, (50, 51), False),  # 1 % over
    (100, (50, 49), False),  # 1 % under
    (10, (4, 5), False),
], ids=["exact", "binary-rounding", "large-exact", "large-one-over", "large-one-under",
        "one-percent-over", "one-percent-under", "ten-percent-under"])
def test_parts_must_add_up_to_their_whole_exactly(whole, parts, agrees):
    assert sum_of_parts(metric(whole), *(metric(part) for part in parts)).agrees is agrees


@pytest.mark.parametrize(("stated", "agrees"), [
    ("52%", True),  # 52.08 % truncated to the stated precision
    ("52.1%", True),  # rounded
    ("52.0%", True),  # truncated at one decimal
    ("52.2%", False),
    ("51.9%", False),
    ("53%", False),
    ("51%", False),
])
def test_growth_rate_agrees_only_within_its_stated_precision(stated, agrees):
    # 1000 more on a base of 1920 (new level 2920): 52.083 %
    rate = metric(float(stated.rstrip("%")), "rate", stated)
    assert growth_rate(metric(1000, "increase"), metric(2920), rate).agrees is agrees


@pytest.mark.parametrize(("share", "agrees"), [(25, True), (25.01, False), (24.99, False), (50, True)])
def test_share_of_a_whole_is_exact_on_both_sides(share, agrees):
    assert share_of_whole(metric(share, "share"), metric(76)).agrees is agrees


def test_audit_names_the_annotation_of_a_recorded_disagreement_instead_of_clean(run_cli):
    outcome = run_cli("audit")
    disagreeing = [line for line in outcome.lines() if line.startswith("consistency ") and "disagrees" in line]
    assert disagreeing, outcome.out
    assert "disagrees, recorded as annotation 1f5f9208bb5fe543-" in outcome.lines()[-1]
    assert not outcome.lines()[-1].endswith("clean")


def test_disagreement_recorded_as_a_curator_note_is_a_consistency_error(run_cli, package_copy):
    check = next(row for row in package_copy.rows("consistency_checks") if row["outcome"] == "disagrees")
    annotations = package_copy.rows("annotations")
    index = next(i for i, row in enumerate(annotations) if row["annotation_id"] == check["annotation_id"])
    package_copy.set_cell("annotations", index, "kind", "curator_note")
    rows = package_copy.rows("consistency_checks")
    line = assert_reported(run_cli, package_copy,
                           package_copy.find("consistency_checks", rows.index(check), "annotation_id"), "consistency")
    assert "inconsistent_value" in line


@pytest.mark.parametrize(("kind", "column", "recorded", "expected"), [
    ("growth_rate", "outcome", "disagrees", "record 'agrees'"),
    ("share_of_whole", "recomputed", "15", "record 15.2"),
])
def test_recorded_result_that_the_recomputation_contradicts_is_a_consistency_error(
        run_cli, package_copy, kind, column, recorded, expected):
    rows = package_copy.rows("consistency_checks")
    index = next(i for i, row in enumerate(rows) if row["kind"] == kind)
    line = assert_audit_reports(run_cli, package_copy, package_copy.set_cell("consistency_checks", index, column, recorded),
                                "consistency")
    assert expected in line


def test_recomputed_figure_is_the_rate_the_part_or_the_sum():
    assert round(growth_rate(metric(88, "increase"), metric(169), metric(108, "rate", "108%")).figure, 2) == 108.64
    assert share_of_whole(metric(20, "share"), metric(76)).figure == 15.2
    assert sum_of_parts(metric(10), metric(4), metric(5)).figure == 9
