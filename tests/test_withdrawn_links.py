"""A withdrawn row is out of the current data: plain `jiceng validate` reports a current
row still pointing at one (naming its replacement), and a withdrawn row whose
'superseded by ID' names no row, at the cell to edit."""

from __future__ import annotations

from conftest import assert_reported


def linked_metric(copy) -> tuple[int, dict[str, str]]:
    """The last metric tied to an initiative, and its index."""
    rows = copy.rows("metrics")
    index = max(i for i, row in enumerate(rows) if row["initiative_id"])
    return index, rows[index]


def withdraw(copy, table: str, key: str, row_id: str, notes: str, column: str = "notes") -> int:
    rows = copy.rows(table)
    index = next(i for i, row in enumerate(rows) if row[key] == row_id)
    rows[index].update({"status": "withdrawn", column: notes})
    copy.write_rows(table, rows)
    return index


def test_an_active_metric_naming_a_withdrawn_initiative_is_told_its_replacement(run_cli, package_copy):
    index, metric = linked_metric(package_copy)
    initiatives = package_copy.rows("initiatives")
    replacement = next(row["initiative_id"] for row in reversed(initiatives)
                       if row["initiative_id"] != metric["initiative_id"])
    withdraw(package_copy, "initiatives", "initiative_id", metric["initiative_id"], f"superseded by {replacement}")
    line = assert_reported(run_cli, package_copy, package_copy.find("metrics", index, "initiative_id"),
                           "withdrawn-link")
    assert f"names withdrawn initiative {metric['initiative_id']}; point it at its replacement {replacement}" in line


def test_a_withdrawn_initiative_without_a_replacement_asks_for_another_or_an_empty_cell(run_cli, package_copy):
    index, metric = linked_metric(package_copy)
    withdraw(package_copy, "initiatives", "initiative_id", metric["initiative_id"], "Not a distinct measure.")
    line = assert_reported(run_cli, package_copy, package_copy.find("metrics", index, "initiative_id"),
                           "withdrawn-link")
    assert "names no replacement" in line and metric["metric_id"] in line


def test_a_reference_read_before_its_table_is_found_too(run_cli, package_copy):
    """Consistency checks stream before annotations: the link is found after both are read."""
    checks = package_copy.rows("consistency_checks")
    index = next(i for i, row in enumerate(checks) if row["annotation_id"])
    annotation = checks[index]["annotation_id"]
    withdraw(package_copy, "annotations", "annotation_id", annotation, "Withdrawn.", column="description_en")
    line = assert_reported(run_cli, package_copy, package_copy.find("consistency_checks", index, "annotation_id"),
                           "withdrawn-link")
    assert f"withdrawn annotation {annotation}" in line


def test_a_withdrawn_row_may_still_name_a_withdrawn_row(run_cli, package_copy):
    _, metric = linked_metric(package_copy)
    withdraw(package_copy, "initiatives", "initiative_id", metric["initiative_id"], "Not a distinct measure.")
    withdraw(package_copy, "metrics", "metric_id", metric["metric_id"], "Not a claim of the essay.")
    outcome = run_cli("validate", str(package_copy.root), "--format", "json")
    assert "withdrawn-link" not in outcome.out


def test_superseded_by_an_unknown_id_fails_without_against_and_by_a_known_one_passes(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    index = withdraw(package_copy, "metrics", "metric_id", rows[0]["metric_id"],
                     "Duplicate; superseded by 1f5f9208bb5fe543-9-m999.")
    line = assert_reported(run_cli, package_copy, package_copy.find("metrics", index, "notes"), "withdrawn-link")
    assert "superseded by 1f5f9208bb5fe543-9-m999, which is no row of this package" in line
    withdraw(package_copy, "metrics", "metric_id", rows[0]["metric_id"], f"Duplicate; superseded by {rows[1]['metric_id']}.")
    assert run_cli("validate", str(package_copy.root)).exit_code == 0


def test_a_replacement_printed_before_the_withdrawn_row_counts(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    withdraw(package_copy, "metrics", "metric_id", rows[-1]["metric_id"], f"superseded by {rows[0]['metric_id']}")
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out


def test_a_row_naming_a_withdrawn_row_of_a_table_read_before_it_is_reported_at_once(run_cli, package_copy):
    """Sources stream before metrics: a metric of a withdrawn source is found as it streams past."""
    sources = package_copy.rows("sources")
    withdrawn, replacement = sources[-1]["source_id"], sources[0]["source_id"]
    withdraw(package_copy, "sources", "source_id", withdrawn, f"superseded by {replacement}")
    index = next(i for i, row in enumerate(package_copy.rows("metrics")) if row["source_id"] == withdrawn)
    line = assert_reported(run_cli, package_copy, package_copy.find("metrics", index, "source_id"), "withdrawn-link")
    assert f"names withdrawn source {withdrawn}; point it at its replacement {replacement}" in line


def test_a_replacement_earlier_in_the_same_source_counts(run_cli, package_copy):
    """The replacement streamed past before the row naming it, within the source being read."""
    rows = package_copy.rows("initiatives")
    source = rows[-1]["source_id"]
    same = [row["initiative_id"] for row in rows if row["source_id"] == source and row["status"] == "active"]
    withdraw(package_copy, "initiatives", "initiative_id", same[-1], f"superseded by {same[0]}")
    metrics = package_copy.rows("metrics")
    for metric in metrics:  # current metrics of the withdrawn row move to its replacement
        if metric["initiative_id"] == same[-1]:
            metric["initiative_id"] = same[0]
    package_copy.write_rows("metrics", metrics)
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out


def test_a_consistency_check_listing_a_withdrawn_metric_is_reported_at_its_metric_ids(run_cli, package_copy):
    """metric_ids lists keys separated by spaces: no declared foreign key, but no current row may
    list a withdrawn metric either (consistency checks stream before metrics)."""
    checks = package_copy.rows("consistency_checks")
    listed = checks[0]["metric_ids"].split()[-1]
    metrics = package_copy.rows("metrics")
    replacement = next(row["metric_id"] for row in metrics if row["metric_id"] not in checks[0]["metric_ids"])
    withdraw(package_copy, "metrics", "metric_id", listed, f"superseded by {replacement}")
    line = assert_reported(run_cli, package_copy, package_copy.find("consistency_checks", 0, "metric_ids"),
                           "withdrawn-link")
    assert f"metric_ids names withdrawn metric {listed}; point it at its replacement {replacement}" in line
