"""Bounded inputs: every free-text column has a maximum length, and an oversized cell, an
oversized source file or a table past --max-rows is one clear error at its place."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import ROOT, assert_reported

from jiceng.validate.checks import provenance
from jiceng.models import TABLES, vocabulary_model
from jiceng.vocab import VOCABULARIES

ROOM_TO_GROW = 3  # the longest bundled cell of a column is at most a third of its limit


def schema_of(relative: str) -> list[dict]:
    return json.loads((ROOT / relative).read_text(encoding="utf-8"))["fields"]


def free_text_fields() -> list[tuple[str, str, dict]]:
    """(data file, column, schema field) of every string column without pattern or vocabulary,
    read from the generated schemas the way a user outside Python would."""
    found = []
    for model in TABLES.values():
        for item in schema_of(f"schemas/{model.table.name}.json"):
            found.append((model.table.path, item))
    for spec in VOCABULARIES.values():
        for item in schema_of(f"schemas/vocabularies/{spec.name}.json"):
            found.append((spec.path, item))
    return [(path, item["name"], item) for path, item in found
            if item["type"] == "string" and not {"pattern", "enum"} & set(item.get("constraints", {}))]


FREE_TEXT = free_text_fields()


def test_there_are_free_text_columns_in_every_table():
    assert {path for path, _, _ in FREE_TEXT} >= {model.table.path for model in TABLES.values()}


@pytest.mark.parametrize(("path", "column", "schema"), FREE_TEXT, ids=[f"{p}:{c}" for p, c, _ in FREE_TEXT])
def test_each_free_text_column_has_a_maximum_length_with_room_to_grow(path, column, schema):
    limit = schema.get("constraints", {}).get("maxLength")
    assert isinstance(limit, int) and limit > 0, f"{path}:{column} has no maxLength"
    with (ROOT / path).open(encoding="utf-8", newline="") as handle:
        longest = max((len(row[column]) for row in csv.DictReader(handle)), default=0)
    assert longest * ROOM_TO_GROW <= limit, f"{path}:{column}: longest cell {longest}, limit {limit}"


def test_the_models_and_the_schemas_give_the_same_limits():
    from jiceng.models import Metric

    limits = {item["name"]: item.get("constraints", {}).get("maxLength") for item in schema_of("schemas/metrics.json")}
    assert limits["notes"] == Metric.model_fields["notes"].metadata[0].max_length
    assert vocabulary_model("units").model_fields["label_en"].metadata  # vocabulary text is bounded too


def oversized(limit: int) -> str:
    return "长" * (limit + 1)


@pytest.mark.parametrize("command", ["validate", "audit"])
def test_an_oversized_cell_is_one_constraint_error_at_its_cell(package_copy, run_cli, command):
    limit = next(item for item in schema_of("schemas/metrics.json") if item["name"] == "notes")["constraints"]["maxLength"]
    cell = package_copy.set_cell("metrics", 2, "notes", oversized(limit))
    line = assert_reported(run_cli, package_copy, cell, "constraint-error", command)
    assert f"has {limit + 1:,} characters, more than the {limit:,}" in line
    outcome = run_cli(command, str(package_copy.root))
    at_cell = [text for text in outcome.lines() if text.startswith(f"{package_copy.root / cell.path}:{cell.line}:")]
    assert at_cell == [line]
    assert "长" * 100 not in outcome.out  # the cell is not echoed back


def test_an_oversized_source_file_is_an_error_at_its_row_not_a_read(package_copy, run_cli, monkeypatch):
    monkeypatch.setattr(provenance, "MAX_SOURCE_BYTES", 1_000)
    cell = package_copy.find("sources", 0, "path")
    line = assert_reported(run_cli, package_copy, cell, "source-text")
    assert "more than the 1,000 a source file may have" in line


def test_a_table_past_max_rows_is_one_error_at_the_first_row_too_many(package_copy, run_cli):
    rows = package_copy.rows("glossary")
    outcome = run_cli("validate", str(package_copy.root), "--max-rows", str(len(rows) - 1))
    assert outcome.exit_code == 1 and "Traceback" not in outcome.out + outcome.err
    glossary = [text for text in outcome.lines() if "data/glossary.csv" in text]
    assert len(glossary) == 1
    assert f"more than {len(rows) - 1:,} rows" in glossary[0] and "--max-rows" in glossary[0]
