"""What `jiceng validate` says about a cell the standard checks (types, constraints) refuse:
the cell as written, the kind of value wanted, the codes allowed, and what a draft may
leave empty under `--allow-drafts`."""

from __future__ import annotations

import multiprocessing

from conftest import assert_reported


def message_of(line: str) -> str:
    """The message of a problem line, after its ``[check] ``."""
    return line.split("] ", 1)[1]


def test_type_error_quotes_the_cell_also_when_the_checks_run_in_this_process(run_cli, package_copy, monkeypatch):
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    cell = package_copy.set_cell("metrics", 1, "value", "many")
    line = assert_reported(run_cli, package_copy, cell, "type-error")
    assert message_of(line) == "field 'value': 'many' is not a number; write it like 64000 or 6.5"


def test_a_yes_in_a_boolean_column_asks_for_true_or_false(run_cli, package_copy):
    cell = package_copy.set_cell("vocabularies/units", 0, "integer", "yes")
    line = assert_reported(run_cli, package_copy, cell, "type-error")
    assert message_of(line) == "field 'integer': 'yes' is not a boolean; write it like true or false"


def test_a_code_like_no_other_lists_the_codes_without_a_guess(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "unit", "qqqq")
    metric_id = package_copy.rows("metrics")[0]["metric_id"]
    line = assert_reported(run_cli, package_copy, cell, "constraint-error")
    assert message_of(line).startswith(
        f"row {metric_id}: field 'unit': 'qqqq' is not a code of its vocabulary; use one of: person, person_time, ")


def test_an_empty_id_is_reported_without_a_row_name(run_cli, package_copy):
    cell = package_copy.set_cell("glossary", 1, "term_id", "")
    line = assert_reported(run_cli, package_copy, cell, "constraint-error")
    assert message_of(line) == "field 'term_id' is empty but required; fill it in (see the data dictionary)"


def draft_without_english(copy, index: int = 0) -> str:
    """Make a metric a draft whose English subject is still empty; return its ID."""
    rows = copy.rows("metrics")
    rows[index].update(status="draft", subject_en="")
    copy.write_rows("metrics", rows)
    return rows[index]["metric_id"]


def test_a_draft_may_leave_its_english_empty_under_allow_drafts(run_cli, package_copy):
    draft_without_english(package_copy)
    outcome = run_cli("validate", "--allow-drafts", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out
    assert "subject_en" not in outcome.out


def test_an_active_row_must_fill_its_english_even_under_allow_drafts(run_cli, package_copy):
    metric_id = draft_without_english(package_copy, 0)
    cell = package_copy.set_cell("metrics", 1, "subject_en", "")
    active_id = package_copy.rows("metrics")[1]["metric_id"]
    line = assert_reported(run_cli, package_copy, cell, "constraint-error", "validate", "--allow-drafts")
    assert message_of(line) == (f"row {active_id}: field 'subject_en' is empty but required; "
                                "fill it in (see the data dictionary)")
    assert metric_id not in run_cli("validate", "--allow-drafts", str(package_copy.root)).out


def test_without_allow_drafts_a_draft_is_reported_at_its_status(run_cli, package_copy):
    metric_id = draft_without_english(package_copy)
    line = assert_reported(run_cli, package_copy, package_copy.find("metrics", 0, "status"), "draft")
    assert message_of(line) == (f"{metric_id} is a draft: check it against the source, fill what is empty and set "
                                "status to active (or withdraw it); `--allow-drafts` accepts drafts while you work")


