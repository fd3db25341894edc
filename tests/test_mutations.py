"""Hostile and broken contributions: each one caught at the right place, nothing changed.

The catalogue lives in ``mutations.py``; this file runs every mutation on a fresh copy of
the bundled package and checks the validator's answer. The results also regenerate the
table in ``docs/reference/mutation-suite.md``, which a test keeps current.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import assert_reported
from mutations import all_mutations

MUTATIONS = all_mutations()
CAUGHT: dict[str, str] = {}
DOC = Path(__file__).resolve().parent.parent / "docs" / "reference" / "mutation-suite.md"


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[mutation.id for mutation in MUTATIONS])
def test_mutation_is_caught_at_its_place_with_no_change_to_the_input(mutation, package_copy, run_cli):
    cell, check = mutation.apply(package_copy)
    assert_reported(run_cli, package_copy, cell, check)
    CAUGHT[mutation.id] = check


def mutation_table() -> str:
    """The Markdown table of families × variants, written from the catalogue."""
    lines = [
        "# Mutation suite",
        "",
        "Every pull request passes through `jiceng validate`. The test suite breaks a copy of the",
        "bundled package in each of the ways below, one at a time, and checks that the validator",
        "exits with status 1, names the right file, line, column and check, prints no traceback",
        "and leaves the copy's bytes unchanged. This page is generated from `tests/mutations.py`",
        "and checked by `tests/test_mutations.py`; every row below is caught.",
        "",
        "Markup in text fields (`<script>`, `<img onerror=…>`, Markdown emphasis and links,",
        "`javascript:` links) is not an error for the validator: it is data, and the site shows it",
        "as text. `tests/test_docs_build.py` builds the site from a copy of the package with such",
        "rows and checks that none of it reaches any HTML page or the search index as markup.",
        "",
    ]
    families = Counter(mutation.family for mutation in MUTATIONS)
    lines += ["| family | variants | caught | uncaught |", "|---|---:|---:|---:|"]
    lines += [f"| {family} | {count} | {count} | 0 |" for family, count in families.items()]
    lines += [f"| **all** | {len(MUTATIONS)} | {len(MUTATIONS)} | 0 |", "", "| family | variant | reported as |", "|---|---|---|"]
    lines += [f"| {m.family} | `{m.variant}` | `[{expected_check(m)}]` |" for m in MUTATIONS]
    return "\n".join(lines) + "\n"


def expected_check(mutation) -> str:
    return CAUGHT.get(mutation.id, "?")


def test_mutation_suite_page_lists_every_caught_mutation():
    if len(CAUGHT) != len(MUTATIONS):
        pytest.fail("run the whole file: the page needs every mutation's result "
                    f"({len(MUTATIONS) - len(CAUGHT)} not run or not caught)")
    expected = mutation_table()
    if not DOC.is_file() or DOC.read_text(encoding="utf-8") != expected:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(expected, encoding="utf-8")
        pytest.fail(f"{DOC} was stale and has been rewritten; commit it")
