"""Text that looks right but is not (validate's cell-text, type-error and injection checks):
each defect is reported at its cell with a message that says what to do, and text that
only resembles a defect is left alone."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import assert_reported


def problems(run_cli, copy) -> list[str]:
    return [line for line in run_cli("validate", str(copy.root)).lines() if ": [" in line]


@pytest.mark.parametrize(("char", "code"), [("\u200b", "200B"), ("\u0000", "0000"), ("\u202e", "202E"),
                                            ("\ufeff", "FEFF"), ("\u007f", "007F")])
def test_invisible_character_is_named_by_its_code_point(run_cli, package_copy, char, code):
    value = package_copy.rows("glossary")[0]["term_en"]
    cell = package_copy.set_cell("glossary", 0, "term_en", value[:2] + char + value[2:])
    line = assert_reported(run_cli, package_copy, cell, "cell-text")
    assert line.endswith(f"field 'term_en' contains the invisible character U+{code}; delete it")


def test_text_not_in_nfc_is_reported_with_how_to_normalise_it(run_cli, package_copy):
    decomposed = unicodedata.normalize("NFD", "café")
    cell = package_copy.set_cell("glossary", 0, "usage_note", f"as in {decomposed}")
    line = assert_reported(run_cli, package_copy, cell, "cell-text")
    assert line.endswith("field 'usage_note' is not NFC-normalised (it would not match the source text); "
                         "retype it or normalise with unicodedata.normalize('NFC', ...)")


def test_full_width_digits_in_a_number_are_a_type_error(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "value", "６４")
    line = assert_reported(run_cli, package_copy, cell, "type-error")
    assert "field 'value': '６４' has full-width digits; write ASCII digits (64, not ６４)" in line


def test_full_width_digits_in_text_are_not_an_error(run_cli, package_copy):
    package_copy.set_cell("glossary", 0, "usage_note", "第６条")
    assert problems(run_cli, package_copy) == []


@pytest.mark.parametrize(("table", "column", "start"),
                         [("glossary", "usage_note", start) for start in ("=", "+", "-", "@", "\t")]
                         + [("vocabularies/units", "zh_forms", "=")])  # a vocabulary's own free-text column
def test_text_cell_starting_like_a_formula_is_an_injection(run_cli, package_copy, table, column, start):
    cell = package_copy.set_cell(table, 0, column, f"{start}SUM(A1:A9)")
    line = assert_reported(run_cli, package_copy, cell, "injection")
    assert line.endswith(f"field {column!r} starts with {start!r}: spreadsheet programs would run it as a "
                         "formula; rephrase it so that it starts with a word")


def test_formula_characters_inside_a_text_or_leading_a_number_are_not_injections(run_cli, package_copy):
    package_copy.set_cell("glossary", 0, "usage_note", "a = b + c - d @ e")
    rows = package_copy.rows("metrics")
    index = next(i for i, row in enumerate(rows) if row["value_type"] == "increase")
    package_copy.set_cell("metrics", index, "value", "-" + rows[index]["value"])
    assert not [line for line in problems(run_cli, package_copy) if "[injection]" in line]


def test_an_id_starting_like_a_formula_breaks_its_pattern_and_is_no_injection(run_cli, package_copy):
    cell = package_copy.set_cell("glossary", 0, "term_id", "=g-party-building")
    line = assert_reported(run_cli, package_copy, cell, "constraint-error")
    assert "'=g-party-building' breaks the constraint" in line
    assert "[injection]" not in run_cli("validate", str(package_copy.root)).out


@pytest.mark.parametrize(("blank", "what"), [("   ", "spaces"), ("\u3000", "spaces"), ("\u00a0\u00a0", "spaces"),
                                             ("\u200b\u2060", "invisible characters (U+200B)")])
def test_a_required_cell_that_only_looks_filled_is_one_problem(run_cli, package_copy, blank, what):
    cell = package_copy.set_cell("metrics", 0, "subject_en", blank)
    line = assert_reported(run_cli, package_copy, cell, "cell-text")
    assert (f"field 'subject_en' holds only {what}: it looks filled in but says nothing; write its text, "
            "or leave the cell empty where the column may be empty") in line
    assert len(problems(run_cli, package_copy)) == 1


def test_spaces_inside_a_text_or_a_line_of_spaces_inside_a_cell_are_not_a_blank_cell(run_cli, package_copy):
    rows = package_copy.rows("glossary")
    rows[0]["usage_note"] = "spaced  out"
    rows[1]["usage_note"] = "first paragraph\n   \nsecond paragraph"
    package_copy.write_rows("glossary", rows)
    assert problems(run_cli, package_copy) == []


@pytest.mark.parametrize(("column", "check"), [("source_id", "constraint-error"),  # a column with a pattern
                                               ("topic", "constraint-error")])  # a vocabulary code
def test_a_code_cell_starting_like_a_formula_is_a_code_error_and_no_injection(run_cli, package_copy, column,
                                                                             check):
    value = package_copy.rows("metrics")[0][column]
    cell = package_copy.set_cell("metrics", 0, column, f"={value}")
    assert_reported(run_cli, package_copy, cell, check)
    assert "[injection]" not in run_cli("validate", str(package_copy.root)).out
