"""Every export carries the source texts, line by line with their offsets, so that a reader
of the export alone can check each quote against the words it was taken from."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from jiceng.bundle import package_root
from jiceng.cli import main
from jiceng.registry import QUOTED_TABLES

DESTINATIONS = {"parquet": "parquet", "sqlite": "jiceng.db", "xlsx": "jiceng.xlsx", "json": "jiceng.json"}
COLUMNS = ["path", "line", "start", "end", "text"]


def csv_rows(table: str) -> list[dict[str, str]]:
    with (package_root() / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_lines(format_: str, destination: Path) -> list[tuple]:
    """(path, line, start, end, text) rows of the export's source_texts, read back with
    each format's own reader."""
    if format_ == "parquet":
        table = pq.read_table(destination / "source_texts.parquet").to_pydict()
        return list(zip(*(table[column] for column in COLUMNS)))
    if format_ == "sqlite":
        with sqlite3.connect(destination) as connection:
            return connection.execute("SELECT path, line, start, \"end\", text FROM source_texts").fetchall()
    if format_ == "xlsx":
        book = openpyxl.load_workbook(destination, read_only=True)
        rows = list(book["source_texts"].iter_rows(values_only=True))
        book.close()
        assert list(rows[0]) == COLUMNS
        return [tuple("" if cell is None else cell for cell in row) for row in rows[1:]]
    records = json.loads(destination.read_text(encoding="utf-8"))["tables"]["source_texts"]
    return [tuple(record[column] for column in COLUMNS) for record in records]


@pytest.fixture(scope="module", params=list(DESTINATIONS))
def documents(request, tmp_path_factory) -> dict[str, str]:
    """Each document rebuilt from the export's lines: path → text."""
    destination = tmp_path_factory.mktemp("texts") / DESTINATIONS[request.param]
    assert main(["export", "--format", request.param, str(destination)]) == 0
    lines = sorted(read_lines(request.param, destination))
    rebuilt: dict[str, list[str]] = {}
    for path, number, start, end, text in lines:
        rebuilt.setdefault(path, []).append(text)
        assert number == len(rebuilt[path]) and end - start == len(text)
        assert start == sum(len(line) + 1 for line in rebuilt[path][:-1])
    return {path: "\n".join(texts) for path, texts in rebuilt.items()}


def test_every_document_is_rebuilt_from_the_export_byte_for_byte(documents):
    stored = {row["path"]: row["sha256"] for row in csv_rows("sources")}
    assert set(documents) == set(stored)
    for path, text in documents.items():
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == stored[path]


def test_every_quote_is_found_at_its_offsets_in_the_exported_text(documents):
    path_of = {row["source_id"]: row["path"] for row in csv_rows("sources")}
    checked = 0
    for table in QUOTED_TABLES:
        for row in csv_rows(table):
            if row.get("quote_start"):
                text = documents[path_of[row["source_id"]]]
                assert text[int(row["quote_start"]):int(row["quote_end"])] == row["quote"], row
                checked += 1
    assert checked


def test_a_cell_longer_than_excel_holds_is_refused_naming_its_sheet_row_and_column(run_cli, tmp_path, monkeypatch):
    import re

    import jiceng.export as export

    monkeypatch.setattr(export, "EXCEL_CELL", 300)  # as if some cells were longer than Excel's limit
    outcome = run_cli("export", "--format", "xlsx", str(tmp_path / "out.xlsx"))
    assert outcome.exit_code == 1 and "Traceback" not in outcome.err
    found = re.search(r"jiceng export: (\w+), row (\d+), (\w+): a cell of ([\d,]+) characters is longer than "
                      r"Excel's 300; export to parquet, sqlite or json instead", outcome.err)
    assert found, outcome.err
    table, row, column, length = found[1], int(found[2]), found[3], int(found[4].replace(",", ""))
    assert len(csv_rows(table)[row - 2][column]) == length > 300  # the cell named is that long
    assert list(tmp_path.iterdir()) == []


def test_a_quote_within_one_line_is_found_by_sql_over_the_database_alone(tmp_path):
    """What the README says a reader of the SQLite export can do, without the package."""
    database = tmp_path / "jiceng.db"
    assert main(["export", "--format", "sqlite", str(database)]) == 0
    with sqlite3.connect(database) as connection:
        found = connection.execute(
            "SELECT m.metric_id, m.quote, substr(t.text, m.quote_start - t.start + 1, m.quote_end - m.quote_start) "
            "FROM metrics m JOIN sources s ON s.source_id = m.source_id "
            "JOIN source_texts t ON t.path = s.path AND t.start <= m.quote_start AND m.quote_end <= t.\"end\"").fetchall()
    quoted = {row["metric_id"]: row["quote"] for row in csv_rows("metrics") if row["quote_start"]}
    one_line = {metric_id for metric_id, quote in quoted.items() if "\n" not in quote}
    assert {metric_id for metric_id, _, _ in found} == one_line  # every one, and only those
    assert all(in_text == quote == quoted[metric_id] for metric_id, quote, in_text in found)


def test_every_quote_is_found_by_sql_in_the_documents_joined_from_their_lines(tmp_path):
    """The README's recipe for any quote, also across a paragraph break: the lines joined."""
    database = tmp_path / "jiceng.db"
    assert main(["export", "--format", "sqlite", str(database)]) == 0
    with sqlite3.connect(database) as connection:
        found = dict(connection.execute(
            "WITH documents AS (SELECT path, group_concat(text, char(10)) AS text "
            "FROM (SELECT path, text FROM source_texts ORDER BY path, line) GROUP BY path) "
            "SELECT m.metric_id, substr(d.text, m.quote_start + 1, m.quote_end - m.quote_start) "
            "FROM metrics m JOIN sources s ON s.source_id = m.source_id JOIN documents d ON d.path = s.path"))
    quoted = {row["metric_id"]: row["quote"] for row in csv_rows("metrics") if row["quote_start"]}
    assert found == quoted
