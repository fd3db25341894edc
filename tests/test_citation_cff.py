"""CITATION.cff is valid Citation File Format 1.2.0, so GitHub's "Cite this repository",
Zenodo and reference managers read it.

The schema, ``tests/fixtures/cff-schema-1.2.0.json``, is the Citation File Format
project's own (https://citation-file-format.github.io/1.2.0/schema.json, CC-BY-4.0), as
shipped in the ``cffconvert`` 2.0.0 wheel; kept here so the test runs offline.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

CHECKOUT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "cff-schema-1.2.0.json").read_text(encoding="utf-8"))


def as_cff_json(node):
    """YAML reads ``2026-11-30`` as a date; CFF's schema expects the date's text."""
    if isinstance(node, dict):
        return {key: as_cff_json(value) for key, value in node.items()}
    if isinstance(node, list):
        return [as_cff_json(value) for value in node]
    if isinstance(node, datetime.date):
        return node.isoformat()
    return node


def cff_errors(text: str) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(as_cff_json(yaml.safe_load(text)))]


def test_citation_cff_is_valid_citation_file_format_1_2():
    assert cff_errors((CHECKOUT / "CITATION.cff").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("change", "where"), [
    (("type: dataset", "type: database"), "type"),
    (("license: CC-BY-4.0", "license: CC-BY"), "license"),
    (("cff-version: 1.2.0", "cff-version: 1.2"), "cff-version"),
    (("authors:\n  - name: jiceng maintainers", "authors: []"), "authors"),
])
def test_the_schema_check_rejects_a_broken_citation_file(change, where):
    text = (CHECKOUT / "CITATION.cff").read_text(encoding="utf-8")
    assert change[0] in text
    errors = cff_errors(text.replace(change[0], change[1], 1))
    assert errors and all(error.startswith(where) for error in errors), errors
