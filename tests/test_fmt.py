"""``jiceng fmt``: one canonical CSV form, blank IDs numbered, ``validate`` names the fix;
and ``jiceng info --update-readme`` keeps the README's counts current."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import Cell, assert_reported

from jiceng.tablefile import first_difference, next_free_numbers


def write_quoting_everything(path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def raw_rows(path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_fmt_rewrites_a_table_quoted_another_way_without_changing_a_cell(run_cli, package_copy):
    path = package_copy.root / "data" / "glossary.csv"
    cells = raw_rows(path)
    write_quoting_everything(path, cells)
    assert run_cli("fmt", "--check", str(package_copy.root)).exit_code == 1
    outcome = run_cli("fmt", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out
    assert "glossary.csv:1:1: [format]" in outcome.out
    assert raw_rows(path) == cells
    assert '"' not in path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert run_cli("fmt", "--check", str(package_copy.root)).exit_code == 0


def test_fmt_turns_crlf_line_ends_into_lf_inside_quoted_cells_too_and_then_settles(run_cli, package_copy):
    """What an editor or git's autocrlf does to a table: CRLF everywhere, multi-line cells included."""
    path = package_copy.root / "data" / "metrics.csv"
    original = path.read_bytes()
    assert b"\n" in b"".join(cell.encode() for row in raw_rows(path) for cell in row), "no multi-line cell to test"
    path.write_bytes(original.replace(b"\n", b"\r\n"))
    assert run_cli("validate", str(package_copy.root)).exit_code == 1
    outcome = run_cli("fmt", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out
    assert "metrics.csv:1:" in outcome.out and "[format] rewritten" in outcome.out
    assert path.read_bytes() == original
    assert run_cli("fmt", "--check", str(package_copy.root)).exit_code == 0
    assert run_cli("validate", str(package_copy.root)).exit_code == 0


def test_fmt_names_files_as_typed_and_a_file_it_cannot_format_is_not_called_canonical(run_cli, package_copy,
                                                                                     monkeypatch):
    """Run from the package's parent with a relative path, as a contributor would."""
    monkeypatch.chdir(package_copy.root.parent)
    relative = package_copy.root.name
    path = package_copy.root / "data" / "glossary.csv"
    path.write_text(path.read_text(encoding="utf-8") + '"unterminated,quote\n', encoding="utf-8", newline="")
    outcome = run_cli("fmt", relative)
    assert outcome.exit_code == 1
    assert outcome.out.startswith(f"{relative}/data/glossary.csv:") and "malformed CSV" in outcome.out
    assert "1 file(s) could not be formatted" in outcome.out and "already canonical" not in outcome.out


def test_shown_path_is_relative_inside_the_current_directory_and_absolute_outside(tmp_path, monkeypatch):
    from jiceng.reporting import shown_path

    monkeypatch.chdir(tmp_path)
    assert shown_path(tmp_path / "package") == Path("package")
    assert shown_path(Path("/elsewhere/package")) == Path("/elsewhere/package")


def test_fmt_check_reports_and_changes_nothing(run_cli, package_copy):
    path = package_copy.root / "data" / "metrics.csv"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8", newline="")
    before = package_copy.digest()
    outcome = run_cli("fmt", "--check", str(package_copy.root))
    assert outcome.exit_code == 1
    assert "metrics.csv" in outcome.out and f"jiceng fmt {package_copy.root}" in outcome.out
    assert package_copy.digest() == before


def test_fmt_puts_columns_in_the_schema_order(run_cli, package_copy):
    path = package_copy.root / "data" / "glossary.csv"
    cells = raw_rows(path)
    swapped = [[row[1], row[0], *row[2:]] for row in cells]
    write_quoting_everything(path, swapped)
    assert run_cli("fmt", str(package_copy.root)).exit_code == 0
    assert raw_rows(path) == cells


def test_fmt_numbers_blank_ids_after_the_highest_of_their_source(run_cli, package_copy):
    rows = package_copy.rows("non_metric_numbers")
    source = rows[0]["source_id"]
    highest = max(int(row["number_id"].rsplit("-n", 1)[1]) for row in rows if row["source_id"] == source)
    copies = [dict(rows[0], number_id=""), dict(rows[0], number_id="")]
    package_copy.write_rows("non_metric_numbers", rows + copies)
    outcome = run_cli("fmt", str(package_copy.root))
    assert outcome.exit_code == 0 and "2 blank ID(s) numbered" in outcome.out
    new_ids = [row["number_id"] for row in package_copy.rows("non_metric_numbers")[-2:]]
    assert new_ids == [f"{source}-n{highest + 1:03d}", f"{source}-n{highest + 2:03d}"]


def test_next_free_number_is_counted_per_source_and_letter():
    free = next_free_numbers(["0123456789abcdef-1-m002", "0123456789abcdef-1-m010", "0123456789abcdef-2-m001",
                              "0123456789abcdef-1-n004"])
    assert free == {"0123456789abcdef-1-m": 11, "0123456789abcdef-2-m": 2, "0123456789abcdef-1-n": 5}


def test_validate_reports_a_non_canonical_table_at_its_first_differing_line(run_cli, package_copy):
    path = package_copy.root / "data" / "initiatives.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    first, rest = lines[2].split(",", 1)
    lines[2] = f'"{first}",{rest}'
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    line = assert_reported(run_cli, package_copy, Cell("data/initiatives.csv", 3, 1), "format")
    assert f"run `jiceng fmt {package_copy.root}`" in line


def test_update_readme_rewrites_only_the_counts_block(run_cli, package_copy):
    readme = package_copy.root / "README.md"
    readme.write_text("# Title\n\n<!-- counts:start -->\nold\n<!-- counts:end -->\n\nAfter.\n", encoding="utf-8")
    outcome = run_cli("info", "--update-readme", "--package", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.err
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\n<!-- counts:start -->\n| table | rows |") and text.endswith("\n\nAfter.\n")
    metrics = len(package_copy.rows("metrics"))
    assert f"| metrics | {metrics} |" in text
    again = run_cli("info", "--update-readme", "--package", str(package_copy.root))
    assert "already current" in again.out


def test_update_readme_without_markers_says_what_to_add(run_cli, package_copy):
    (package_copy.root / "README.md").write_text("# Title\n", encoding="utf-8")
    outcome = run_cli("info", "--update-readme", "--package", str(package_copy.root))
    assert outcome.exit_code == 1 and "<!-- counts:start -->" in outcome.err


def canonical_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def test_canonical_form_difference_past_the_first_batch_is_placed_at_its_line_and_column(tmp_path):
    # multi-line and Chinese cells before the difference: lines and columns count characters, not bytes
    rows = [["id", "text"]] + [[f"r{n}", "社区\n党建" if n % 7 == 0 else "网格"] for n in range(1, 2501)]
    text = canonical_text(rows)
    line_of_row = text[: text.index("\nr2400,")].count("\n") + 2
    path = tmp_path / "table.csv"
    path.write_text(text.replace("\nr2400,网格\n", '\nr2400,"网格"\n'), encoding="utf-8", newline="")
    assert first_difference(path) == (line_of_row, 7)


def test_canonical_form_of_a_long_canonical_table_has_no_difference(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(canonical_text([["id", "text"]] + [[f"r{n}", "居委会, 业委会"] for n in range(3000)]),
                    encoding="utf-8", newline="")
    assert first_difference(path) is None


def test_canonical_form_reports_a_missing_final_newline_where_the_newline_belongs(tmp_path):
    path = tmp_path / "table.csv"
    # the csv module reads the same records; the file is one byte shorter than their canonical text
    path.write_text(canonical_text([["id"], ["r1"], ["r2"]]).rstrip("\n"), encoding="utf-8", newline="")
    assert first_difference(path) == (3, 3)
