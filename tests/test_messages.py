"""Messages a contributor can act on: each names the row, the place and what to do."""

from __future__ import annotations

import json

from conftest import assert_reported


def test_a_quote_with_a_wrong_character_shows_the_nearest_passage_marked(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    index = next(i for i, row in enumerate(rows) if "，" in row["quote"])
    quote = rows[index]["quote"]
    package_copy.set_cell("metrics", index, "quote", quote.replace("，", ",", 1))
    outcome = run_cli("locate", str(package_copy.root))
    assert outcome.exit_code == 1
    line = next(line for line in outcome.lines() if "nearest passage" in line)
    start = int(rows[index]["quote_start"])
    assert f"at {start}–{start + len(quote)}" in line
    assert "[，]" in line and "[,]" in line


def test_an_unknown_code_is_reported_once_with_did_you_mean(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "unit", "organisations")
    line = assert_reported(run_cli, package_copy, cell, "constraint-error")
    assert "did you mean 'organisation'?" in line
    outcome = run_cli("validate", str(package_copy.root))
    assert sum("'organisations'" in line for line in outcome.lines()) == 1


def test_a_missing_required_cell_names_its_row(run_cli, package_copy):
    row_id = package_copy.rows("initiatives")[2]["initiative_id"]
    cell = package_copy.set_cell("initiatives", 2, "name_en", "")
    line = assert_reported(run_cli, package_copy, cell, "constraint-error")
    assert f"row {row_id}: field 'name_en' is empty but required" in line


def test_a_duplicate_id_names_the_next_free_id(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    source = rows[0]["source_id"]
    highest = max(int(row["metric_id"].rsplit("-m", 1)[1]) for row in rows if row["source_id"] == source)
    cell = package_copy.set_cell("metrics", 1, "metric_id", rows[0]["metric_id"])
    line = assert_reported(run_cli, package_copy, cell, "primary-key")
    assert f"the next free ID is {source}-m{highest + 1:03d}" in line


def test_an_id_gap_inside_a_source_is_a_warning_only(run_cli, package_copy):
    numbers = package_copy.rows("non_metric_numbers")
    last = max(i for i, row in enumerate(numbers) if row["source_id"] == numbers[0]["source_id"])
    skipped = numbers[last]["number_id"][:-3] + f"{int(numbers[last]['number_id'][-3:]) + 2:03d}"
    cell = package_copy.set_cell("non_metric_numbers", last, "number_id", skipped)
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out
    check = "id-gap"
    expected = f"{package_copy.root / cell.path}:{cell.line}:{cell.column}: [{check}] warning: ID gap"
    assert any(line.startswith(expected) for line in outcome.lines()), outcome.out


def test_completeness_says_what_it_skipped_and_why(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "value", "not-a-number")
    outcome = run_cli("audit", str(package_copy.root))
    source = package_copy.rows("metrics")[0]["source_id"]
    assert outcome.exit_code == 1
    assert any(line.startswith("completeness not checked for") and f"{source}: a row of data/metrics.csv is invalid"
               in line for line in outcome.lines()), outcome.out
    report = json.loads(run_cli("validate", "--format", "json", str(package_copy.root)).out)
    assert any(source in item for item in report["skipped"])
    assert cell.path == "data/metrics.csv"


def test_against_says_what_it_compared(run_cli):
    outcome = run_cli("validate", "--against", "releases")
    line = next(line for line in outcome.lines() if line.startswith("--against releases: checked "))
    assert "IDs of releases/" in line and line.endswith(" tables: every one still there, naming the same thing")


def test_a_document_with_an_invalid_sources_row_is_not_audited_at_all(run_cli, package_copy):
    """The invalid row's essay has no known span, so its siblings' document is skipped too:
    auditing it would report every number of that essay as unaccounted for."""
    source_id = package_copy.rows("sources")[0]["source_id"]
    package_copy.set_cell("sources", 0, "published_basis", "no_such_code")
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 1
    assert not [line for line in outcome.lines() if "[audit]" in line], outcome.out
    skipped = [line for line in outcome.lines() if line.startswith("completeness not checked for ")]
    assert any(f"{source_id} of the same document" in line for line in skipped), outcome.out
