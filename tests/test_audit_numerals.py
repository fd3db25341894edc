"""`jiceng audit` accounts for numbers written in Chinese numerals (九条措施, 两个覆盖) as for
Arabic digits: one whose non-metric row is removed is reported where it is printed."""

from __future__ import annotations

import re

import pytest
from conftest import Cell, assert_reported

NUMERAL_LED = ["九条措施", "两个覆盖", "六大能力"]


@pytest.mark.parametrize("number_text", NUMERAL_LED)
def test_chinese_numeral_whose_non_metric_row_is_removed_is_uncovered(run_cli, package_copy, number_text):
    rows = package_copy.rows("non_metric_numbers")
    target = next(row for row in rows if row["number_text"] == number_text)
    package_copy.write_rows("non_metric_numbers", [row for row in rows if row is not target])
    source = next(row for row in package_copy.rows("sources") if row["source_id"] == target["source_id"])
    text = (package_copy.root / source["path"]).read_text(encoding="utf-8")
    offset = int(target["quote_start"]) + target["quote"].index(number_text)
    cell = Cell(source["path"], text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset))
    line = assert_reported(run_cli, package_copy, cell, "audit", command="audit")
    assert re.search(rf"number '{number_text[0]}\w*'", line), line
    assert "not in non_metric_numbers.csv" in line


def test_audit_summary_counts_an_uncovered_chinese_numeral(run_cli, package_copy):
    rows = package_copy.rows("non_metric_numbers")
    package_copy.write_rows("non_metric_numbers", [row for row in rows if row["number_text"] != "两个覆盖"])
    outcome = run_cli("audit", str(package_copy.root))
    assert outcome.exit_code == 1
    assert "unaccounted for: 1" in outcome.out
