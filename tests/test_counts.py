"""Every count the package prints counts active rows and says how many withdrawn rows it left out."""

from __future__ import annotations

import jiceng
from jiceng.stats import counts_markdown


def withdraw_first_active(copy, table: str) -> dict[str, str]:
    """Withdraw the first active row of ``table`` in the copy; the row as it was."""
    rows = copy.rows(table)
    index = next(i for i, row in enumerate(rows) if row["status"] == "active")
    before = dict(rows[index])
    copy.set_cell(table, index, "status", "withdrawn")
    return before


def active_of_district(copy, table: str, district_id: str) -> tuple[int, int]:
    """(active, withdrawn) rows of a district, counted from the CSV files directly."""
    sources = {row["source_id"] for row in copy.rows("sources") if row["district_id"] == district_id}
    statuses = [row["status"] for row in copy.rows(table) if row["source_id"] in sources]
    return statuses.count("active"), statuses.count("withdrawn")


def district_of(copy, row: dict[str, str]) -> str:
    return next(s["district_id"] for s in copy.rows("sources") if s["source_id"] == row["source_id"])


def test_info_leaves_a_withdrawn_row_out_of_its_district_and_table_and_says_so(package_copy, run_cli):
    row = withdraw_first_active(package_copy, "initiatives")
    district = district_of(package_copy, row)
    active, withdrawn = active_of_district(package_copy, "initiatives", district)
    total_active = sum(r["status"] == "active" for r in package_copy.rows("initiatives"))
    total_withdrawn = sum(r["status"] == "withdrawn" for r in package_copy.rows("initiatives"))
    lines = run_cli("info", "--package", str(package_copy.root)).lines()
    table_line = next(line for line in lines if line.strip().startswith("initiatives "))
    assert table_line.split()[1:] == [str(total_active), "rows", f"({total_withdrawn}", "withdrawn", "not", "counted)"]
    district_line = next(line for line in lines if line.strip().startswith(district))
    assert f"initiatives {active} ({withdrawn} withdrawn not counted)" in district_line


def test_readme_counts_leave_withdrawn_rows_out(package_copy):
    row = withdraw_first_active(package_copy, "metrics")
    district = district_of(package_copy, row)
    active, withdrawn = active_of_district(package_copy, "metrics", district)
    markdown = counts_markdown(package_copy.root)
    district_row = next(line for line in markdown.splitlines() if f"| {district} |" in line)
    assert f"| {active} ({withdrawn} withdrawn not counted) |" in district_row


def test_district_repr_counts_active_rows_like_info(package_copy):
    row = withdraw_first_active(package_copy, "annotations")
    district = district_of(package_copy, row)
    active, withdrawn = active_of_district(package_copy, "annotations", district)
    shown = repr(jiceng.district(district, package=package_copy.root))
    assert f"annotations {active} ({withdrawn} withdrawn not counted)" in shown
