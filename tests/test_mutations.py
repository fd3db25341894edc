"""Hostile and broken contributions: each one caught at the right place, nothing changed.

The catalogue lives in ``mutations.py``; this file runs every mutation on a fresh copy of
the bundled package and checks the validator's answer, checks that the catalogue covers
every check, foreign key and row rule, and that docs/reference/mutation-suite.md is the
page the catalogue generates (``python tests/mutations.py --write-docs`` rewrites it).
"""

from __future__ import annotations

import pytest
from conftest import assert_reported
from mutations import DOC, all_mutations, foreign_keys, model_rules, mutation_page

from jiceng.validate.report import CHECKS

MUTATIONS = all_mutations()


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[mutation.id for mutation in MUTATIONS])
def test_mutation_is_caught_at_its_place_with_no_change_to_the_input(mutation, package_copy, run_cli):
    cell = mutation.apply(package_copy)
    assert_reported(run_cli, package_copy, cell, mutation.check, "validate", *mutation.arguments(package_copy),
                    exit_code=mutation.exit_code)


def test_cells_are_found_where_the_csv_module_writes_them_even_across_lines(package_copy):
    """The catalogue's expected places come from PackageCopy.find: check it on raw text."""
    package_copy.set_cell("glossary", 1, "definition_en", "two\n\nparagraphs")
    cell = package_copy.find("glossary", 1, "usage_note")
    text = (package_copy.root / "data" / "glossary.csv").read_text(encoding="utf-8")
    offset = text.index('\nparagraphs",') + len('\nparagraphs",')
    assert (cell.line, cell.column) == (text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset))


def test_every_documented_check_is_proven_to_fire_by_a_mutation():
    proven = {mutation.check for mutation in MUTATIONS}
    assert proven - set(CHECKS) == set(), "the catalogue expects checks that jiceng.validate.report does not document"
    assert set(CHECKS) - proven == set(), "add a mutation to tests/mutations.py that triggers each of these checks"


def test_every_foreign_key_of_the_models_has_a_dangling_variant():
    declared = {f"{table}.{column}" for table, column, _, _ in foreign_keys()}
    assert "annotations.source_id" in declared and "metrics.initiative_id" in declared
    covered = {mutation.covers for mutation in MUTATIONS if mutation.check == "foreign-key"}
    assert declared <= covered


def test_every_row_rule_has_a_broken_variant():
    covered = {mutation.covers for mutation in MUTATIONS if mutation.family == "row-rules"}
    rules = model_rules()
    assert "Metric._range_iff_value_max" in rules and "Row._id_starts_with_its_source" in rules
    missing = sorted(set(rules) - covered)
    assert not missing, f"add rows that break {missing} to RULE_BREAKERS in tests/mutations.py"


def test_mutation_suite_page_is_generated_from_the_catalogue():
    expected = mutation_page(MUTATIONS)
    assert DOC.is_file() and DOC.read_text(encoding="utf-8") == expected, (
        f"{DOC} is stale: run `python tests/mutations.py --write-docs` and commit it")
