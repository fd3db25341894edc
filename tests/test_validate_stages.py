"""What a validation run reports besides its problems: the stages it announces as it goes,
the figures a consistency check recomputed, and the limit it asks of Frictionless; and a
few places where a problem is reported."""

from __future__ import annotations

import multiprocessing

from conftest import Cell, assert_reported

import jiceng.validate.checks.frictionless as frictionless_check
from jiceng.validate import validate_package


def test_a_run_announces_its_stages_in_order(package_copy):
    heard: list[tuple[str, bool]] = []
    validate_package(package_copy.root, progress=lambda stage, rows, finished: heard.append((stage, finished)))
    stages = list(dict.fromkeys(stage for stage, _ in heard))
    assert stages[0] == "reading the tables (UTF-8, CSV structure)"
    assert stages[1:3] == ["checking data/sources.csv", "checking data/districts.csv"]
    assert stages[-2:] == ["checking across tables (keys, spans, audit, consistency)",
                           "waiting for the Frictionless checks"]
    finished = [stage for stage, done in heard if done]
    assert "checking across tables (keys, spans, audit, consistency)" in finished
    assert finished[-1] == "waiting for the Frictionless checks"


def test_a_check_naming_an_unknown_metric_is_reported_at_its_metric_ids(run_cli, package_copy):
    rows = package_copy.rows("consistency_checks")
    ids = rows[0]["metric_ids"].split()
    cell = package_copy.set_cell("consistency_checks", 0, "metric_ids", " ".join(ids[:2] + ["1f5f9208bb5fe543-1-m999"]))
    line = assert_reported(run_cli, package_copy, cell, "consistency")
    assert line.endswith("unknown metric(s): 1f5f9208bb5fe543-1-m999; give the metric_id of rows in metrics.csv")


def test_a_check_naming_an_invalid_metric_leaves_the_report_to_the_metric_row(package_copy):
    """Only the root cause: the metric's own row-model problem, not a follow-on at the check."""
    check = package_copy.rows("consistency_checks")[0]
    named = check["metric_ids"].split()[0]
    index = next(i for i, row in enumerate(package_copy.rows("metrics")) if row["metric_id"] == named)
    package_copy.set_cell("metrics", index, "unit", "facilty")
    problems = validate_package(package_copy.root).problems
    assert len(problems) == 1 and problems[0].check != "consistency"
    assert problems[0].path.endswith("metrics.csv") and "facilty" in problems[0].message


def test_a_metrics_table_that_cannot_be_read_gives_no_follow_on_consistency_problems(package_copy):
    path = package_copy.root / "data" / "metrics.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    problems = validate_package(package_copy.root).problems
    assert problems and not [problem for problem in problems if problem.check == "consistency"]
    assert any(problem.path.endswith("metrics.csv") and "CR" in problem.message for problem in problems)


def test_the_summary_names_a_table_it_could_not_read(run_cli, package_copy):
    path = package_copy.root / "data" / "glossary.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    summary = run_cli("validate", str(package_copy.root)).lines()[-1]
    assert "; not read: glossary)" in summary and " glossary " not in summary.split("; not read")[0]


def test_the_report_keeps_each_recomputed_check(package_copy):
    rows = package_copy.rows("consistency_checks")
    report = validate_package(package_copy.root)
    assert [(check_id, annotation) for check_id, _, _, annotation in report.consistency] == [
        (row["check_id"], row["annotation_id"]) for row in rows]
    assert all(isinstance(agrees, bool) and explanation for _, agrees, explanation, _ in report.consistency)


def test_frictionless_is_asked_for_as_many_errors_whatever_the_report_shows(package_copy, monkeypatch):
    package_copy.set_cell("metrics", 3, "value", "many")
    asked = []
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(frictionless_check, "frictionless_errors", lambda root, descriptor, limit: asked.append(limit) or [])
    validate_package(package_copy.root, max_per_check=20_000)
    validate_package(package_copy.root, max_per_check=5)
    assert len(asked) == 2 and asked[0] == asked[1] >= 1_000


def test_district_naming_a_goals_source_without_goals_is_valid(run_cli, package_copy):
    rows = package_copy.rows("districts")
    index = next(i for i, row in enumerate(rows) if not row["development_goals_zh"])
    package_copy.set_cell("districts", index, "goals_source_id", rows[0]["goals_source_id"])
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out


def test_the_first_carriage_return_of_a_source_is_reported(run_cli, package_copy):
    source = package_copy.rows("sources")[0]
    path = package_copy.root / source["path"]
    text = path.read_text(encoding="utf-8")
    first = text.index("\n", 100)
    second = text.index("\n", first + 200)
    path.write_bytes((text[:first] + "\r" + text[first:second] + "\r" + text[second:]).encode("utf-8"))
    line = text.count("\n", 0, first) + 1
    column = first - text.rfind("\n", 0, first)
    message = assert_reported(run_cli, package_copy, Cell(source["path"], line, column), "source-text")
    assert message.endswith("has CR line ends; sources must use LF")
