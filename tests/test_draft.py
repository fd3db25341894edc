"""``jiceng draft``: rows proposed from a source's text, all drafts until a curator reviews them.

The essays drafted here are invented for the tests (the fixture essay and short texts
below), so the drafter is checked on text it was not written against.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cell, assert_reported

FIXTURE = Path(__file__).parent / "fixtures" / "invented_essay" / "essay.txt"
DOCUMENT = "0f1c2e3d4b5a6978"


@pytest.fixture
def drafted(run_cli, package_copy):
    """A package copy with the invented essay added and drafted."""
    added = run_cli("add-source", str(FIXTURE), "--district", "610113", "--document-id", DOCUMENT,
                    "--package", str(package_copy.root))
    assert added.exit_code == 0, added.err
    outcome = run_cli("draft", DOCUMENT, "--package", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.err
    return package_copy


def rows_of(package_copy, table: str) -> list[dict[str, str]]:
    return [row for row in package_copy.rows(table) if row["source_id"].startswith(DOCUMENT)]


def test_every_figure_becomes_a_metric_with_its_value_bound_and_unit(drafted):
    metrics = {row["value_text"]: row for row in rows_of(drafted, "metrics")}
    assert (metrics["约2300万元"]["value"], metrics["约2300万元"]["unit"], metrics["约2300万元"]["qualifier"]) == (
        "23000000", "yuan", "approximate")
    assert (metrics["4—6名"]["value"], metrics["4—6名"]["value_max"], metrics["4—6名"]["qualifier"]) == ("4", "6", "range")
    assert (metrics["95%以上"]["unit"], metrics["95%以上"]["qualifier"]) == ("percent", "at_least")
    assert metrics["不低于300平方米"]["unit"] == "square_metre"
    assert metrics["8.6万余人次"]["period_text"] == "去年以来"
    assert metrics["8万元"]["value_type"] == "increase"
    assert all(row["status"] == "draft" and row["subject_en"] == "" for row in metrics.values())


def test_numbers_inside_words_names_and_titles_become_non_metric_rows(drafted):
    reasons = {row["number_text"]: row["reason"] for row in rows_of(drafted, "non_metric_numbers")}
    assert reasons["进一步"] == reasons["千家万户"] == reasons["下一步"] == "lexical"
    assert reasons["三问三访"] == "name_or_slogan"
    assert reasons["三级"] == "structural"
    assert "2023年" not in reasons  # a period of metrics, not a non-metric number


def test_quoted_names_become_initiatives_with_a_kind_from_their_type_word(drafted):
    kinds = {row["name_zh"]: row["kind"] for row in rows_of(drafted, "initiatives")}
    assert kinds["网格连心"] == "mechanism" and kinds["一网通办"] == "platform"
    assert kinds["雁塔区社区治理三年行动方案"] == "policy_document"
    assert "最后一米" not in kinds  # an ordinary phrase in quotes is not a name


def test_a_cut_sentence_and_parts_that_do_not_add_up_are_annotation_candidates(drafted):
    annotations = {row["kind"]: row for row in rows_of(drafted, "annotations")}
    assert "\n\n" in annotations["split_sentence"]["quote"]
    check = rows_of(drafted, "consistency_checks")[0]
    assert check["kind"] == "sum_of_parts" and check["annotation_id"] == annotations["inconsistent_value"]["annotation_id"]
    values = {row["metric_id"]: row["value"] for row in rows_of(drafted, "metrics")}
    assert [values[metric_id] for metric_id in check["metric_ids"].split()] == ["86", "30", "50"]


def test_drafts_are_canonical_and_their_offsets_need_no_locate(run_cli, drafted):
    assert run_cli("fmt", "--check", str(drafted.root)).exit_code == 0
    outcome = run_cli("locate", str(drafted.root))
    assert outcome.exit_code == 0 and "0 offset pair(s)" in outcome.out


def test_drafting_again_proposes_nothing_already_proposed(run_cli, drafted):
    before = drafted.digest()
    outcome = run_cli("draft", DOCUMENT, "--package", str(drafted.root))
    assert outcome.exit_code == 0
    assert "metrics 0, non_metric_numbers 0, initiatives 0, annotations 0, consistency_checks 0" in outcome.out
    assert drafted.digest() == before


def test_an_initiative_the_curator_deleted_is_not_proposed_again(run_cli, drafted):
    initiatives = drafted.rows("initiatives")
    deleted = next(row for row in initiatives if row["source_id"].startswith(DOCUMENT))
    drafted.write_rows("initiatives", [row for row in initiatives if row is not deleted])
    outcome = run_cli("draft", DOCUMENT, "--package", str(drafted.root))
    assert outcome.exit_code == 0
    assert "initiatives 0" in outcome.out and "initiatives not proposed again for" in outcome.out
    assert deleted["name_zh"] not in [row["name_zh"] for row in drafted.rows("initiatives")]
    again = run_cli("draft", DOCUMENT, "--package", str(drafted.root), "--initiatives-again")
    assert again.exit_code == 0
    assert [row["name_zh"] for row in rows_of(drafted, "initiatives")].count(deleted["name_zh"]) == 1


def test_every_number_of_a_curated_source_is_accounted_for_so_draft_proposes_none(run_cli, package_copy):
    """The audit's rule seen from the drafter: a source whose numbers are all rows (a figure
    recurring in its quote included, as value_occurrence says) gets no new number rows."""
    active = [row["source_id"] for row in package_copy.rows("sources") if row["status"] == "active"]
    assert active
    for source_id in active:
        outcome = run_cli("draft", source_id, "--package", str(package_copy.root), "--dry-run")
        assert outcome.exit_code == 0, outcome.err
        assert "metrics 0, non_metric_numbers 0," in outcome.out, outcome.out


def test_initiatives_again_skips_names_already_decided_or_in_a_reprinted_passage(run_cli, package_copy):
    """Inside an existing initiative's quote, or a passage printed twice or in the wrong essay
    (its names belong to the essay it came from)."""
    source_id = package_copy.rows("sources")[0]["source_id"]
    spans = [(int(row["quote_start"]), int(row["quote_end"])) for row in package_copy.rows("initiatives")
             if row["source_id"] == source_id]
    spans += [(int(row["quote_start"]), int(row["quote_end"])) for row in package_copy.rows("annotations")
              if row["source_id"] == source_id and row["kind"] in ("misplaced_passage", "duplicated_passage")]
    before = len(package_copy.rows("initiatives"))
    outcome = run_cli("draft", source_id, "--package", str(package_copy.root), "--initiatives-again")
    assert outcome.exit_code == 0, outcome.err
    text = (package_copy.root / package_copy.rows("sources")[0]["path"]).read_text(encoding="utf-8")
    for row in package_copy.rows("initiatives")[before:]:
        start = text.index(row["name_zh"], int(row["quote_start"]))
        assert not any(lo <= start and start + len(row["name_zh"]) <= hi for lo, hi in spans), row["name_zh"]


def test_parts_that_name_no_noun_count_what_their_total_counts(run_cli, package_copy, tmp_path):
    """其中新建32个、改造提升14个: the parts' unit comes from the total's noun; 32 + 14 is not 48."""
    text = tmp_path / "essay.txt"
    text.write_text("测试用的虚构标题\n\n全区新建小区党群服务站48个，其中新建32个、改造提升14个。\n", encoding="utf-8")
    added = run_cli("add-source", str(text), "--district", "140110", "--package", str(package_copy.root))
    assert added.exit_code == 0, added.err
    source_id = package_copy.rows("sources")[-1]["source_id"]
    outcome = run_cli("draft", source_id, "--package", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.err
    metrics = {row["value"]: row for row in package_copy.rows("metrics") if row["source_id"] == source_id}
    assert {metrics[value]["unit"] for value in ("48", "32", "14")} == {metrics["48"]["unit"]}
    (check,) = [row for row in package_copy.rows("consistency_checks") if row["source_id"] == source_id]
    assert check["kind"] == "sum_of_parts" and float(check["recomputed"]) == 46
    assert check["metric_ids"].split() == [metrics[value]["metric_id"] for value in ("48", "32", "14")]


def test_validate_reports_each_draft_row_unless_drafts_are_allowed(run_cli, drafted):
    index = next(i for i, row in enumerate(drafted.rows("metrics")) if row["source_id"].startswith(DOCUMENT))
    cell = drafted.find("metrics", index, "status")
    line = assert_reported(run_cli, drafted, Cell(cell.path, cell.line, cell.column), "draft")
    assert f"{DOCUMENT}-1-m001 is a draft" in line
    allowed = run_cli("validate", "--allow-drafts", str(drafted.root))
    assert "[draft]" not in allowed.out


def test_an_unknown_id_is_refused_with_the_nearest_ids(run_cli, package_copy):
    known = package_copy.rows("sources")[0]["source_id"]
    outcome = run_cli("draft", known[:-1] + "9", "--package", str(package_copy.root))
    assert outcome.exit_code == 1 and "did you mean" in outcome.err and known in outcome.err


def test_a_bare_text_without_figures_gets_no_metric(run_cli, package_copy, tmp_path):
    text = tmp_path / "essay.txt"
    text.write_text("标题\n\n我们要进一步加强学习，统一思想。", encoding="utf-8")
    assert run_cli("add-source", str(text), "--district", "140110", "--package", str(package_copy.root)).exit_code == 0
    document = package_copy.rows("sources")[-1]["document_id"]
    outcome = run_cli("draft", document, "--package", str(package_copy.root))
    assert "metrics 0, non_metric_numbers 2," in outcome.out


def test_a_missing_source_text_is_one_message_not_a_traceback(run_cli, package_copy):
    source = package_copy.rows("sources")[0]
    (package_copy.root / source["path"]).unlink()
    outcome = run_cli("draft", source["source_id"], "--package", str(package_copy.root))
    assert outcome.exit_code == 1 and "Traceback" not in outcome.err
    assert f"source {source['source_id']}" in outcome.err and "jiceng validate" in outcome.err


def test_cells_a_tool_can_fill_are_filled_for_the_curator_to_check(drafted):
    """Topic guessed, scope district, each drafted check's outcome and recomputed figure, and
    the annotation links the validator expects: none of these cells is typed by hand."""
    metrics = {row["value_text"]: row for row in rows_of(drafted, "metrics")}
    assert metrics["约2300万元"]["topic"] == "money"
    assert metrics["86个"]["topic"] == "party_organisations"
    assert metrics["612个"]["topic"] == "governance_units"
    assert {row["scope"] for row in rows_of(drafted, "initiatives")} == {"district"}
    (check,) = rows_of(drafted, "consistency_checks")
    assert (check["outcome"], float(check["recomputed"])) == ("disagrees", 30 + 50)  # 86 stated, 其中 30 and 50
    annotation = check["annotation_id"]
    named = set(check["metric_ids"].split())
    for row in rows_of(drafted, "metrics"):
        assert (annotation in row["annotation_ids"].split()) == (row["metric_id"] in named), row["metric_id"]


def test_drafted_links_to_a_split_sentence_are_the_ones_validate_expects(run_cli, drafted):
    outcome = run_cli("validate", "--allow-drafts", str(drafted.root))
    assert "[annotation-link]" not in outcome.out, outcome.out


@pytest.mark.parametrize("text, word", [("首批重点实施了项目", "首批"), ("今年首次召开会议", "首次")])
def test_shou_before_a_measure_word_is_drafted_as_an_ordinal(text, word):
    from jiceng.draftwords import number_word
    from jiceng.quantity import find_number_tokens

    [(start, end, _)] = find_number_tokens(text)
    first, last, reason = number_word(text, start, end, 0, len(text), {})
    assert (text[first:last], reason) == (word, "ordinal")
