"""Progress on standard error for the commands that take minutes on a large corpus."""

from __future__ import annotations

import io

from jiceng.progress import Progress


def test_validate_with_progress_names_every_data_table_on_stderr_only(run_cli, package_copy):
    quiet = run_cli("validate", str(package_copy.root))
    loud = run_cli("validate", "--progress", str(package_copy.root))
    assert loud.out == quiet.out and loud.exit_code == quiet.exit_code == 0
    for table in ("metrics", "initiatives", "non_metric_numbers"):
        count = len(package_copy.rows(table))
        assert f"jiceng: checking data/{table}.csv: {count:,} rows (" in loud.err
    assert "vocabularies" not in loud.err
    assert "waiting for the Frictionless checks" in loud.err


def test_audit_with_progress_names_each_table_it_reads_on_stderr_only(run_cli, package_copy):
    quiet = run_cli("audit", str(package_copy.root))
    loud = run_cli("audit", "--progress", str(package_copy.root))
    assert loud.out == quiet.out and loud.exit_code == quiet.exit_code == 0
    for table in ("sources", "metrics", "non_metric_numbers", "consistency_checks"):
        assert f"jiceng: reading data/{table}.csv: {len(package_copy.rows(table)):,} rows (" in loud.err
    assert "jiceng: checking sources, quotes, values and every number (" in loud.err


def test_progress_is_silent_when_standard_error_is_not_a_terminal(run_cli):
    outcome = run_cli("audit")
    assert outcome.exit_code == 0 and outcome.err == ""


def test_a_terminal_sees_one_line_rewritten_in_place():
    stream = io.StringIO()
    progress = Progress(stream, live=True)
    progress("checking data/metrics.csv")
    progress("checking data/metrics.csv", 50_000)
    progress("checking data/metrics.csv", 60_000, finished=True)
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.count("\r") == 3
    assert text.rstrip().rsplit("\r", 1)[1].startswith("jiceng: checking data/metrics.csv: 60,000 rows (")


def test_a_log_gets_one_line_per_finished_stage():
    stream = io.StringIO()
    progress = Progress(stream, live=False)
    progress("checking data/metrics.csv", 50_000)
    progress("checking data/metrics.csv", 60_000, finished=True)
    assert stream.getvalue().splitlines() == [stream.getvalue().strip()]
    assert "60,000 rows" in stream.getvalue() and "\r" not in stream.getvalue()
