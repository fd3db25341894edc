"""Provenance at the edges: a quote must lie wholly inside its own essay, and every essay
cut from one file must record that file's one digest, reported at the row that is wrong."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import Cell, PackageCopy, assert_reported


def essay(copy: PackageCopy, number: int) -> tuple[dict[str, str], str]:
    """The sources row of an essay and the text of its file, read without jiceng."""
    row = next(row for row in copy.rows("sources") if row["source_id"].endswith(f"-{number}"))
    return row, (copy.root / row["path"]).read_text(encoding="utf-8")


def requote(copy: PackageCopy, table: str, index: int, start: int, end: int, text: str) -> None:
    """Point a row's quote at text[start:end], so that only its place can be wrong."""
    rows = copy.rows(table)
    rows[index].update(quote=text[start:end], quote_start=str(start), quote_end=str(end),
                       quote_prefix="", quote_suffix="")
    copy.write_rows(table, rows)


def quote_start_cell(copy: PackageCopy, index: int) -> Cell:
    """Where an initiative's quote_start sits when its quote spans lines: the cells before
    it rendered as the csv module writes them into the file (a cell holding a newline is
    quoted), then lines and columns counted."""
    rows = copy.rows("initiatives")
    header = list(rows[0])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([rows[index][name] for name in header])
    lines_before = (copy.root / "data" / "initiatives.csv").read_text(encoding="utf-8").split(buffer.getvalue())[0]
    cells = buffer.getvalue()
    prefix = cells[: cells.index(f",{rows[index]['quote_start']},{rows[index]['quote_end']},") + 1]
    before = lines_before + prefix
    return Cell("data/initiatives.csv", before.count("\n") + 1, len(before) - before.rfind("\n"))


def stretch(copy: PackageCopy, number: int, edge: str, overhang: int) -> int:
    """Move one edge of the quote of an essay's first (edge "start") or last (edge "end")
    initiative to the essay's span edge, ``overhang`` code points outside it; return the row."""
    source, text = essay(copy, number)
    rows = copy.rows("initiatives")
    own = [i for i, row in enumerate(rows) if row["source_id"] == source["source_id"]]
    pick = min if edge == "start" else max
    index = pick(own, key=lambda i: int(rows[i]["quote_start"]))
    start, end = int(rows[index]["quote_start"]), int(rows[index]["quote_end"])
    if edge == "start":
        start = int(source["span_start"]) - overhang
    else:
        end = int(source["span_end"]) + overhang
    requote(copy, "initiatives", index, start, end, text)
    return index


@pytest.mark.parametrize(("number", "edge"), [(1, "end"), (2, "start"), (3, "start")])
def test_quote_reaching_outside_its_essay_is_reported(run_cli, package_copy, number, edge):
    index = stretch(package_copy, number, edge, overhang=2)
    line = assert_reported(run_cli, package_copy, quote_start_cell(package_copy, index), "quote-selector")
    assert "outside source" in line


def test_quote_reaching_exactly_to_both_ends_of_its_essay_is_inside_it(run_cli, package_copy):
    stretch(package_copy, 1, "start", overhang=0)
    stretch(package_copy, 1, "end", overhang=0)
    outcome = run_cli("validate", str(package_copy.root))
    assert "quote-selector" not in outcome.out
    # the stretched quote now overlaps annotations it does not link: that, and only that, is reported
    others = [line for line in outcome.lines() if ": [" in line and "[annotation-link]" not in line]
    assert not others, outcome.out


def test_wrong_digest_on_a_later_essay_of_the_file_is_reported_at_that_row(run_cli, package_copy):
    cell = package_copy.set_cell("sources", 1, "sha256", "0" * 64)
    line = assert_reported(run_cli, package_copy, cell, "source-hash")
    assert line.endswith(f"not the recorded {'0' * 64}: texts cut from one file record the file's one digest")
    outcome = run_cli("validate", str(package_copy.root))
    elsewhere = [item for item in outcome.lines() if "[source-hash]" in item and item != line]
    assert elsewhere == []


def test_wrong_digest_on_the_last_essay_of_the_file_is_reported_at_that_row(run_cli, package_copy):
    cell = package_copy.set_cell("sources", 2, "sha256", "f" * 64)
    assert_reported(run_cli, package_copy, cell, "source-hash")


def test_changed_source_file_is_reported_once_at_its_first_essay(run_cli, package_copy):
    source, text = essay(package_copy, 1)
    (package_copy.root / source["path"]).write_text(text.replace("晋源区", "晋原区", 1), encoding="utf-8",
                                                    newline="")
    cell = package_copy.find("sources", 0, "sha256")
    assert_reported(run_cli, package_copy, cell, "source-hash")
    outcome = run_cli("validate", str(package_copy.root))
    assert sum("[source-hash]" in line for line in outcome.lines()) == 1
