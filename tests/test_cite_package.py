"""`jiceng cite ROW_ID PATH` cites the package at PATH: its version, its contributors, its
licence and its rows, not those of the package bundled with jiceng. Expected text is built
from the package's own files, read here with the json and csv modules."""

from __future__ import annotations

import json

import pytest
from conftest import PackageCopy


@pytest.fixture
def other_release(package_copy: PackageCopy) -> PackageCopy:
    """A copy whose descriptor says another version, another contributor and a licence order."""
    path = package_copy.root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["version"] = "9.8.7"
    descriptor["contributors"] = [{"title": "Wang Fang", "role": "author"}, {"title": "Li Lei", "role": "author"}]
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return package_copy


def test_citation_names_the_version_of_the_cited_package(run_cli, other_release):
    metric = other_release.rows("metrics")[0]
    outcome = run_cli("cite", metric["metric_id"], str(other_release.root))
    assert outcome.exit_code == 0, outcome.err
    assert outcome.lines()[0] == f"{metric['metric_id']} (metrics, active, jiceng 9.8.7)"


def test_reference_names_the_contributors_title_and_version_of_the_cited_package(run_cli, other_release):
    descriptor = json.loads((other_release.root / "datapackage.json").read_text(encoding="utf-8"))
    term = other_release.rows("glossary")[0]
    outcome = run_cli("cite", term["term_id"], str(other_release.root))
    assert outcome.lines()[-1] == (f"Cite as: Wang Fang, Li Lei. {descriptor['title']}. Version 9.8.7 [dataset]. "
                                   f"Row {term['term_id']} (glossary). Licence CC-BY-4.0.")


def test_json_citation_carries_the_cited_package_version(run_cli, other_release):
    row = other_release.rows("initiatives")[0]
    report = json.loads(run_cli("cite", row["initiative_id"], str(other_release.root), "--format", "json").out)
    assert report["version"] == "9.8.7"
    assert "Version 9.8.7 [dataset]" in report["dataset"]


def test_citation_of_a_metric_reads_its_cells_and_source_from_the_files(run_cli, package_copy):
    package_copy.set_cell("metrics", 0, "value", "1200")
    package_copy.set_cell("metrics", 0, "unit", "household")
    metric = package_copy.rows("metrics")[0]
    source = next(row for row in package_copy.rows("sources") if row["source_id"] == metric["source_id"])
    outcome = run_cli("cite", metric["metric_id"], str(package_copy.root))
    lines = outcome.lines()
    assert lines[1] == (f"  {metric['subject_en']}: 1,200 households ({metric['qualifier']}, "
                        f"{metric['value_type']}); as written: {metric['value_text']}")
    assert lines[2] == (f"Quote: “{metric['quote']}” (characters {metric['quote_start']}–{metric['quote_end']} "
                        f"of the document {source['path']}; source {source['source_id']} is characters "
                        f"{source['span_start']}–{source['span_end']} of it)")
    assert lines[3] == f"Source: {source['source_id']}, {source['path']} (sha256 {source['sha256'][:12]}…)"
    author = f"{source['author_en']} {source['author_zh']}, {source['author_role_zh']} [{source['author_role_en']}]"
    assert lines[4].startswith(f"Cite as: {author}. “{source['title_zh']}” [{source['title_en']}]. ")


def test_citation_of_a_changed_cell_shows_the_cited_package_value(run_cli, package_copy):
    rows = package_copy.rows("glossary")
    rows[0]["term_en"] = "a rendering only this copy has"
    package_copy.write_rows("glossary", rows)
    outcome = run_cli("cite", rows[0]["term_id"], str(package_copy.root))
    assert outcome.lines()[1] == f"  {rows[0]['term_zh']}: a rendering only this copy has. {rows[0]['definition_en']}"


def test_unknown_id_names_the_cited_package_version(run_cli, other_release):
    outcome = run_cli("cite", "1f5f9208bb5fe543-1-m999", str(other_release.root))
    assert outcome.exit_code == 1
    assert "no row has the ID '1f5f9208bb5fe543-1-m999' in jiceng 9.8.7" in outcome.err


def test_district_is_cited_with_its_goals_quoted_from_their_essay(run_cli, package_copy):
    district = next(row for row in package_copy.rows("districts") if row["goals_source_id"])
    report = json.loads(run_cli("cite", district["district_id"], str(package_copy.root), "--format", "json").out)
    assert (report["quote"], report["quote_start"], report["quote_end"]) == (
        district["goals_quote"], int(district["goals_quote_start"]), int(district["goals_quote_end"]))
    source = next(row for row in package_copy.rows("sources") if row["source_id"] == district["goals_source_id"])
    assert report["source"]["source_id"] == source["source_id"]
    assert report["reference"].startswith(f"{source['author_en']} {source['author_zh']}, ")


def test_an_active_row_names_no_replacement_whatever_its_notes_say(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    rows[0]["notes"] = f"The later figure, superseded by {rows[1]['metric_id']} in the next report, is not recorded."
    package_copy.write_rows("metrics", rows)
    report = json.loads(run_cli("cite", rows[0]["metric_id"], str(package_copy.root), "--format", "json").out)
    assert (report["status"], report["superseded_by"]) == ("active", [])
