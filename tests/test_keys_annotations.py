"""Foreign keys into and out of annotations.csv: an annotation points at its source (and
at the source a repeated passage came from), a consistency check at the annotation that
records its disagreement. Each dangling reference is reported at its own cell."""

from __future__ import annotations

import pytest
from conftest import assert_reported


@pytest.mark.parametrize("column", ["source_id", "related_source_id"])
def test_annotation_naming_a_missing_source_is_a_foreign_key_error(run_cli, package_copy, column):
    index = next(i for i, row in enumerate(package_copy.rows("annotations")) if row["related_source_id"])
    cell = package_copy.set_cell("annotations", index, column, "1f5f9208bb5fe543-9")
    line = assert_reported(run_cli, package_copy, cell, "foreign-key")
    assert f"{column} '1f5f9208bb5fe543-9' is not a source_id of sources.csv" in line


def test_consistency_check_naming_a_missing_annotation_is_a_foreign_key_error(run_cli, package_copy):
    cell = package_copy.set_cell("consistency_checks", 0, "annotation_id", "1f5f9208bb5fe543-1-a999")
    line = assert_reported(run_cli, package_copy, cell, "foreign-key")
    assert "'1f5f9208bb5fe543-1-a999' is not an annotation_id of annotations.csv" in line


def test_duplicated_annotation_id_is_a_primary_key_error(run_cli, package_copy):
    first = package_copy.rows("annotations")[0]["annotation_id"]
    cell = package_copy.set_cell("annotations", 1, "annotation_id", first)
    line = assert_reported(run_cli, package_copy, cell, "primary-key")
    assert first in line
