"""`jiceng cite ROW_ID`: a citation for one row — version, source essay, author, exact quote."""

from __future__ import annotations

import json

import pytest
from conftest import set_version

import jiceng

OTHER_VERSION = "2.3.4"


@pytest.fixture
def other_version(package_copy):
    """A copy of the package released under another version than the installed one."""
    assert OTHER_VERSION != jiceng.__version__
    set_version(package_copy.root, OTHER_VERSION)
    return package_copy


def first(table: str) -> dict:
    return jiceng.load(table).iloc[0].to_dict()


def source_of(row: dict) -> dict:
    sources = jiceng.sources()
    return sources[sources["source_id"] == row["source_id"]].iloc[0].to_dict()


def test_metric_citation_names_version_essay_author_and_exact_quote(run_cli, other_version):
    metric = first("metrics")
    source = source_of(metric)
    outcome = run_cli("cite", metric["metric_id"], str(other_version.root))
    assert outcome.exit_code == 0
    lines = outcome.lines()
    assert lines[0] == f"{metric['metric_id']} (metrics, active, jiceng {OTHER_VERSION})"
    assert f"Quote: “{metric['quote']}” (characters {metric['quote_start']}–{metric['quote_end']} " \
           f"of the document {source['path']}; source {source['source_id']} is characters " \
           f"{source['span_start']}–{source['span_end']} of it)" in lines
    reference = next(line for line in lines if line.startswith("Cite as: "))
    for words in (source["author_zh"], source["author_en"], source["title_zh"], source["title_en"],
                  f"Version {OTHER_VERSION}", metric["metric_id"], "CC-BY-4.0"):
        assert words in reference
    assert jiceng.__version__ not in " ".join(lines)


def test_quote_in_the_citation_is_the_source_text_at_its_offsets(run_cli):
    metric = first("metrics")
    report = json.loads(run_cli("cite", metric["metric_id"], "--format", "json").out)
    start, end = report["quote_start"], report["quote_end"]
    document = (jiceng.package().basepath + "/" + report["source"]["path"])
    with open(document, encoding="utf-8") as handle:
        assert handle.read()[start:end] == report["quote"]


def test_json_citation_carries_the_reference_and_the_source(run_cli, other_version):
    initiative = first("initiatives")
    outcome = run_cli("cite", initiative["initiative_id"], str(other_version.root), "--format", "json")
    report = json.loads(outcome.out)
    assert report["table"] == "initiatives" and report["version"] == OTHER_VERSION
    assert f"Version {OTHER_VERSION} [dataset]" in report["reference"]
    assert report["source"]["source_id"] == initiative["source_id"]
    assert report["reference"].endswith(f"Row {initiative['initiative_id']} (initiatives). Licence CC-BY-4.0.")


def test_glossary_term_is_cited_as_the_dataset_alone(run_cli):
    term = first("glossary")
    outcome = run_cli("cite", term["term_id"])
    assert outcome.exit_code == 0
    assert not [line for line in outcome.lines() if line.startswith(("Quote:", "Source:"))]
    assert outcome.lines()[-1].startswith("Cite as: jiceng maintainers. ")


def test_withdrawn_row_still_resolves_and_names_its_replacement(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    rows[0]["status"] = "withdrawn"
    rows[0]["notes"] = f"Duplicate of another row; superseded by {rows[1]['metric_id']}."
    package_copy.write_rows("metrics", rows)
    outcome = run_cli("cite", rows[0]["metric_id"], str(package_copy.root))
    assert outcome.exit_code == 0
    assert f"  WITHDRAWN: not part of the current data; superseded by {rows[1]['metric_id']}" in outcome.lines()
    assert "(metrics, withdrawn, " in outcome.lines()[0]


def test_unknown_id_suggests_close_ones_without_a_traceback(run_cli):
    metric_id = first("metrics")["metric_id"]
    outcome = run_cli("cite", metric_id + "9")
    assert outcome.exit_code == 1
    assert "no row has the ID" in outcome.err and metric_id in outcome.err
    assert "Traceback" not in outcome.out + outcome.err


@pytest.fixture
def blank_id_row(package_copy):
    """A copy of the package in which one metric's ID cell is blank, as a contributor may
    have it mid-edit (`jiceng validate` refuses it)."""
    rows = package_copy.rows("metrics")
    rows[0]["metric_id"] = ""
    package_copy.write_rows("metrics", rows)
    return package_copy


@pytest.mark.parametrize("row_id", ["", "   "])
def test_an_empty_id_is_refused_with_an_example_of_an_id(run_cli, blank_id_row, row_id):
    outcome = run_cli("cite", row_id, str(blank_id_row.root))
    assert outcome.exit_code == 1
    assert outcome.err == "jiceng cite: an empty ID names no row; give the ID of a row, such as 1f5f9208bb5fe543-1-m001\n"


def test_a_row_with_a_blank_id_is_never_suggested(run_cli, blank_id_row):
    outcome = run_cli("cite", "XXXX", str(blank_id_row.root))
    assert outcome.exit_code == 1
    assert "did you mean" not in outcome.err and "IDs look like 1f5f9208bb5fe543-1-m001" in outcome.err
