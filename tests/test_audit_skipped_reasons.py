"""A source whose numbers cannot be audited is named with the reason, so that the curator
knows which row to fix before completeness can be checked."""

from __future__ import annotations


def skipped_lines(outcome) -> list[str]:
    return [line for line in outcome.lines() if line.startswith("completeness not checked for ")]


def test_a_source_whose_file_is_not_as_recorded_is_skipped_with_the_reason(run_cli, package_copy):
    source = package_copy.rows("sources")[0]
    package_copy.set_cell("sources", 0, "sha256", "0" * 64)
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 1
    (line,) = [line for line in skipped_lines(outcome) if source["path"] in line]
    assert f"{source['source_id']}: its source file or span is not as recorded" in line
    assert line.endswith("; fix those rows and run again")


def test_a_source_with_a_metric_quote_off_its_offsets_is_skipped_with_the_reason(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    rows[0]["quote_start"] = str(int(rows[0]["quote_start"]) + 1)
    rows[0]["quote_end"] = str(int(rows[0]["quote_end"]) + 1)
    package_copy.write_rows("metrics", rows)
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 1
    assert any(f"{rows[0]['source_id']}: a quote of data/metrics.csv is not at its offsets" in line
               for line in skipped_lines(outcome)), outcome.out
