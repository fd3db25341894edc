"""Primary and foreign keys, which the validator checks itself (keys.py) rather than
through frictionless, to keep memory low on a national corpus."""

from __future__ import annotations

from array import array
from collections import Counter

import jiceng.validate.checks.keys as keys_check
from conftest import assert_reported
from hypothesis import given
from hypothesis import strategies as st
from jiceng.validate.checks.keys import Keys, duplicate_hashes
from jiceng.validate.streams import ROW_ORDER


@given(st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.integers(-3, 3), max_size=300))
def test_numpy_and_set_paths_find_the_same_repeated_hashes(values):
    hashes = array("q", values)
    repeated = {value for value, count in Counter(values).items() if count > 1}
    assert duplicate_hashes(hashes, small=10**9) == repeated
    assert duplicate_hashes(hashes, small=0) == repeated


def test_only_the_small_tables_keep_their_keys():
    """Every other reference waits for its target to stream past: memory stays at the
    referenced IDs, not every ID of metrics, initiatives or numbers."""
    assert Keys(ROW_ORDER).keep == {"sources", "districts"}


def test_hash_collisions_alone_are_not_duplicates(run_cli, package_copy, monkeypatch):
    monkeypatch.setattr(keys_check, "key_hash", lambda key: 7)
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out


def test_duplicate_among_colliding_hashes_is_reported_once_at_the_repeat(run_cli, package_copy, monkeypatch):
    monkeypatch.setattr(keys_check, "key_hash", lambda key: 7)
    first = package_copy.rows("initiatives")[3]["initiative_id"]
    cell = package_copy.set_cell("initiatives", 9, "initiative_id", first)
    line = assert_reported(run_cli, package_copy, cell, "primary-key")
    assert first in line and "first on line 5" in line
    outcome = run_cli("validate", str(package_copy.root))
    assert sum("[primary-key]" in text for text in outcome.lines()) == 1


def test_reference_to_a_table_read_later_is_reported_at_its_cell(run_cli, package_copy):
    """sources.csv is read before districts.csv: its district_id waits, then dangles."""
    cell = package_copy.set_cell("sources", 1, "district_id", "110101")
    line = assert_reported(run_cli, package_copy, cell, "foreign-key")
    assert "'110101' is not a district_id of districts.csv" in line


def test_every_row_holding_a_dangling_reference_is_reported(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    linked = [index for index, row in enumerate(rows) if row["initiative_id"]][:3]
    for index in linked:
        rows[index]["initiative_id"] = "1f5f9208bb5fe543-1-i999"
    package_copy.write_rows("metrics", rows)
    outcome = run_cli("validate", str(package_copy.root))
    reported = [line for line in outcome.lines() if "[foreign-key]" in line and "i999" in line]
    assert len(reported) == 3
    for index in linked:
        cell = package_copy.find("metrics", index, "initiative_id")
        assert any(line.startswith(f"{package_copy.root / cell.path}:{cell.line}:{cell.column}:") for line in reported)


def test_related_id_may_name_a_metric_or_a_number_before_or_after_it(run_cli, package_copy):
    rows = package_copy.rows("non_metric_numbers")
    metric_id = package_copy.rows("metrics")[0]["metric_id"]
    related = [index for index, row in enumerate(rows) if row["related_id"]]
    rows[related[0]]["related_id"] = metric_id
    rows[related[1]]["related_id"] = rows[-1]["number_id"]  # a row further down
    rows[related[2]]["related_id"] = rows[0]["number_id"]  # a row further up
    package_copy.write_rows("non_metric_numbers", rows)
    outcome = run_cli("validate", str(package_copy.root))
    assert not [line for line in outcome.lines() if "[foreign-key]" in line], outcome.out


def test_related_id_naming_no_row_is_a_foreign_key_error(run_cli, package_copy):
    rows = package_copy.rows("non_metric_numbers")
    index = next(i for i, row in enumerate(rows) if row["related_id"])
    cell = package_copy.set_cell("non_metric_numbers", index, "related_id", "1f5f9208bb5fe543-2-n999")
    line = assert_reported(run_cli, package_copy, cell, "foreign-key")
    assert "neither a metric_id nor a number_id" in line


def test_a_mistyped_reference_to_a_table_read_before_names_the_nearest_key(run_cli, package_copy):
    """metrics stream after sources: a source ID with one character wrong is looked up at once."""
    source_id = package_copy.rows("metrics")[0]["source_id"]
    typo = source_id[:-3] + ("0" if source_id[-3] != "0" else "1") + source_id[-2:]
    cell = package_copy.set_cell("metrics", 0, "source_id", typo)
    line = assert_reported(run_cli, package_copy, cell, "foreign-key")
    assert f"did you mean {source_id!r}?" in line


def test_a_mistyped_reference_to_a_table_read_later_names_the_nearest_key_of_its_source(run_cli, package_copy):
    """metrics stream before initiatives: the dangling ID is matched when the initiatives are read
    again, among the IDs of the same source."""
    rows = package_copy.rows("metrics")
    index = next(index for index, row in enumerate(rows) if row["initiative_id"])
    linked = rows[index]["initiative_id"]
    typo = linked[:-4] + "j" + linked[-3:]  # the letter i typed as j
    cell = package_copy.set_cell("metrics", index, "initiative_id", typo)
    line = assert_reported(run_cli, package_copy, cell, "foreign-key")
    assert f"did you mean {linked!r}?" in line


def test_a_reference_like_no_key_gets_no_suggestion(run_cli, package_copy):
    cell = package_copy.set_cell("sources", 1, "district_id", "999999")
    line = assert_reported(run_cli, package_copy, cell, "foreign-key")
    assert "did you mean" not in line
