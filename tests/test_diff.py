"""`jiceng diff OLD NEW`: rows added, withdrawn, changed and removed, as text, Markdown and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PackageCopy, copy_package

NEW_TERM = {"term_id": "g-test-term", "term_zh": "测试词", "term_en": "test term",
            "definition_en": "A term added by a test.", "usage_note": "", "status": "active"}


def git(cwd: Path, *arguments: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *arguments],
                   cwd=cwd, capture_output=True, text=True, check=True)


@pytest.fixture
def versions(tmp_path: Path) -> tuple[PackageCopy, PackageCopy]:
    """Two identical copies of the package: OLD, and NEW to change."""
    return PackageCopy(copy_package(tmp_path / "old")), PackageCopy(copy_package(tmp_path / "new"))


@pytest.fixture
def three_changes(versions) -> dict[str, object]:
    """NEW gets one added glossary term, one withdrawn metric and one changed initiative."""
    _, new = versions
    new.write_rows("glossary", new.rows("glossary") + [NEW_TERM])
    metrics = new.rows("metrics")
    withdrawn = metrics[4]
    old_notes = withdrawn["notes"] or None
    withdrawn.update(status="withdrawn", notes="Withdrawn: duplicates another row.")
    new.write_rows("metrics", metrics)
    initiatives = new.rows("initiatives")
    changed = initiatives[2]
    old_name = changed["name_en"]
    changed["name_en"] = "A corrected | English name"
    new.write_rows("initiatives", initiatives)
    return {"withdrawn": withdrawn["metric_id"], "old_notes": old_notes,
            "changed": changed["initiative_id"], "old_name": old_name}


def run_diff(run_cli, old: Path | str, new: Path | str, *options: str):
    outcome = run_cli("diff", str(old), str(new), *options)
    assert "Traceback" not in outcome.out + outcome.err
    return outcome


def test_diff_reports_an_added_a_withdrawn_and_a_changed_row_exactly(run_cli, versions, three_changes):
    old, new = versions
    outcome = run_diff(run_cli, old.root, new.root, "--format", "json")
    assert outcome.exit_code == 0
    report = json.loads(outcome.out)
    assert report["summary"] == {"added": 1, "withdrawn": 1, "changed": 1, "removed": 0}
    tables = report["tables"]
    added_row = {column: (value or None) for column, value in NEW_TERM.items()}
    assert tables["glossary"]["added"] == [{"id": "g-test-term", "row": added_row}]
    assert tables["metrics"]["withdrawn"] == [{"id": three_changes["withdrawn"], "changes": {
        "notes": {"old": three_changes["old_notes"], "new": "Withdrawn: duplicates another row."},
        "status": {"old": "active", "new": "withdrawn"},
    }}]
    assert tables["initiatives"]["changed"] == [{"id": three_changes["changed"], "changes": {
        "name_en": {"old": three_changes["old_name"], "new": "A corrected | English name"},
    }}]
    untouched = {name: table for name, table in tables.items() if name not in ("glossary", "metrics", "initiatives")}
    assert all(not any(table[action] for action in ("added", "withdrawn", "changed", "removed"))
               for table in untouched.values())
    assert all(table["detail"] == "cells" for table in tables.values())


def test_diff_text_lists_each_change_with_old_and_new_values(run_cli, versions, three_changes):
    old, new = versions
    outcome = run_diff(run_cli, old.root, new.root)
    lines = outcome.lines()
    assert lines[0] == f"jiceng diff {old.root} (0.1.0) → {new.root} (0.1.0)".replace("0.1.0", _version())
    assert "glossary: 1 added" in lines
    assert "  added      g-test-term  测试词 test term" in lines
    assert f"  withdrawn  {three_changes['withdrawn']}" in " ".join(lines)
    assert '             status: "active" → "withdrawn"' in lines
    expected = f'             name_en: {json.dumps(three_changes["old_name"])} → "A corrected | English name"'
    assert expected in lines
    tables = len(list((old.root / "data").glob("*.csv"))) + len(list((old.root / "data" / "vocabularies").glob("*.csv")))
    assert lines[-1] == f"total: 1 added, 1 withdrawn, 1 changed, 0 removed (in 3 of {tables} tables)"


def _version() -> str:
    import jiceng

    return jiceng.__version__


def test_diff_markdown_is_a_pull_request_comment(run_cli, versions, three_changes):
    old, new = versions
    outcome = run_diff(run_cli, old.root, new.root, "--format", "markdown")
    text = outcome.out
    assert text.startswith("### jiceng diff: ")
    assert "| table | added | withdrawn | changed | removed |" in text
    assert "| glossary | 1 | 0 | 0 | 0 |" in text
    assert f'| changed | `{three_changes["changed"]}` | name_en | ' in text
    assert '"A corrected \\| English name" |' in text, "a | inside a value must not split the Markdown cell"
    assert f'| withdrawn | `{three_changes["withdrawn"]}` | ' in text


def test_identical_versions_have_no_differences(run_cli, versions):
    old, new = versions
    outcome = run_diff(run_cli, old.root, new.root)
    assert outcome.exit_code == 0
    assert "no differences" in outcome.lines()
    assert outcome.lines()[-1].startswith("total: 0 added, 0 withdrawn, 0 changed, 0 removed")


def test_a_renamed_id_is_a_removed_and_an_added_row(run_cli, versions):
    old, new = versions
    rows = new.rows("glossary")
    old_id = rows[0]["term_id"]
    rows[0]["term_id"] = "g-renamed"
    new.write_rows("glossary", rows)
    report = json.loads(run_diff(run_cli, old.root, new.root, "--format", "json").out)
    glossary = report["tables"]["glossary"]
    assert [item["id"] for item in glossary["removed"]] == [old_id]
    assert [item["id"] for item in glossary["added"]] == ["g-renamed"]
    text = run_diff(run_cli, old.root, new.root).out
    assert "removed IDs break the stable-ID rule" in text


def test_an_added_empty_column_changes_no_row(run_cli, versions):
    old, new = versions
    path = new.root / "data" / "glossary.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0] + ",superseded_by"] + [line + "," if line else line for line in lines[1:]]),
                    encoding="utf-8")
    report = json.loads(run_diff(run_cli, old.root, new.root, "--format", "json").out)
    assert report["tables"]["glossary"]["columns_added"] == ["superseded_by"]
    assert report["summary"] == {"added": 0, "withdrawn": 0, "changed": 0, "removed": 0}
    assert "glossary: no row changes" in run_diff(run_cli, old.root, new.root).lines()


def test_diff_against_a_git_revision(run_cli, versions, three_changes):
    _, new = versions
    git(new.root, "init", "-q")
    git(new.root, "add", "-A")
    git(new.root, "commit", "-q", "-m", "three changes")
    rows = new.rows("glossary")
    rows[0]["usage_note"] = "Edited after the commit."
    new.write_rows("glossary", rows)
    report = json.loads(run_diff(run_cli, "HEAD", new.root, "--format", "json").out)
    assert report["summary"] == {"added": 0, "withdrawn": 0, "changed": 1, "removed": 0}
    assert report["tables"]["glossary"]["changed"][0]["changes"]["usage_note"]["new"] == "Edited after the commit."


def test_diff_against_a_release_snapshot_recovers_cells_from_git(run_cli, versions, three_changes):
    old, new = versions
    git(old.root, "init", "-q")
    git(old.root, "add", "-A")
    git(old.root, "commit", "-q", "-m", "release")
    assert run_cli("release", str(old.root)).exit_code == 0
    report = json.loads(run_diff(run_cli, old.root / "releases", new.root, "--format", "json").out)
    assert report["old"]["label"].endswith("releases/" + _version())
    assert report["summary"] == {"added": 1, "withdrawn": 1, "changed": 1, "removed": 0}
    assert report["tables"]["initiatives"]["detail"] == "cells"
    assert report["tables"]["initiatives"]["changed"][0]["changes"]["name_en"]["new"] == "A corrected | English name"


def test_diff_against_a_snapshot_outside_git_compares_ids_and_digests(run_cli, versions, three_changes):
    old, new = versions
    assert run_cli("release", str(old.root)).exit_code == 0
    outcome = run_diff(run_cli, old.root / "releases" / _version(), new.root, "--format", "json")
    report = json.loads(outcome.out)
    assert report["summary"] == {"added": 1, "withdrawn": 1, "changed": 1, "removed": 0}
    initiatives = report["tables"]["initiatives"]
    assert initiatives["detail"] == "ids"
    assert initiatives["changed"] == [{"id": three_changes["changed"]}]
    assert report["tables"]["metrics"]["withdrawn"][0]["changes"] == {"status": {"old": "active", "new": "withdrawn"}}
    text = run_diff(run_cli, old.root / "releases" / _version(), new.root).out
    assert "compared by ID and digest only" in text


def test_limit_shortens_text_but_counts_the_rest(run_cli, versions):
    old, new = versions
    rows = new.rows("glossary")
    for row in rows[:5]:
        row["usage_note"] = "Rewritten."
    new.write_rows("glossary", rows)
    outcome = run_diff(run_cli, old.root, new.root, "--limit", "2")
    assert sum(line.startswith("  changed ") for line in outcome.lines()) == 2
    assert "  … and 3 more changed (raise --limit to see them)" in outcome.lines()


@pytest.mark.parametrize("old", ["no-such-version", "{tmp}/empty"])
def test_bad_old_version_is_a_message_not_a_traceback(run_cli, versions, tmp_path, old):
    (tmp_path / "empty").mkdir()
    outcome = run_diff(run_cli, old.format(tmp=tmp_path), versions[1].root)
    assert outcome.exit_code == 1
    assert outcome.err.startswith("jiceng diff: ")


def test_duplicate_ids_are_reported_not_diffed(run_cli, versions):
    old, new = versions
    rows = new.rows("glossary")
    new.write_rows("glossary", rows + [rows[0]])
    outcome = run_diff(run_cli, old.root, new.root)
    assert outcome.exit_code == 1
    assert f"data/glossary.csv:{len(rows) + 2}: ID {rows[0]['term_id']} occurs more than once" in outcome.err


@pytest.mark.parametrize(("before", "after"), [("", "Filled in later."), ("Emptied later.", "")],
                         ids=["from-empty", "to-empty"])
def test_a_cell_filled_in_or_emptied_is_a_change(run_cli, versions, before, after):
    old, new = versions
    for side, value in ((old, before), (new, after)):
        rows = side.rows("glossary")
        rows[0]["usage_note"] = value
        side.write_rows("glossary", rows)
    report = json.loads(run_diff(run_cli, old.root, new.root, "--format", "json").out)
    assert report["summary"] == {"added": 0, "withdrawn": 0, "changed": 1, "removed": 0}
    assert report["tables"]["glossary"]["changed"] == [{"id": rows[0]["term_id"], "changes": {
        "usage_note": {"old": before or None, "new": after or None}}}]
    text = run_diff(run_cli, old.root, new.root).out
    assert f'usage_note: {json.dumps(before) if before else "∅"} → {json.dumps(after) if after else "∅"}' in text


def test_a_row_removed_before_a_snapshot_outside_git_keeps_its_old_cells(run_cli, versions):
    old, new = versions
    rows = new.rows("glossary")
    gone = rows[1]
    new.write_rows("glossary", rows[:1] + rows[2:])
    assert run_cli("release", str(new.root)).exit_code == 0
    report = json.loads(run_diff(run_cli, old.root, new.root / "releases" / _version(), "--format", "json").out)
    glossary = report["tables"]["glossary"]
    assert glossary["detail"] == "ids"
    [removed] = glossary["removed"]
    assert removed["id"] == gone["term_id"]
    assert {column: removed["row"][column] for column in ("term_zh", "term_en", "status")} == {
        column: gone[column] for column in ("term_zh", "term_en", "status")}


def test_a_snapshot_whose_tables_git_cannot_recover_is_compared_without_git_noise(run_cli, versions, three_changes):
    # outside a repository git fails for each table's blob; the diff falls back to IDs and
    # digests, and git's complaints stay out of the user's terminal
    old, new = versions
    assert run_cli("release", str(old.root)).exit_code == 0
    result = subprocess.run([sys.executable, "-m", "jiceng", "diff", str(old.root / "releases" / _version()),
                             str(new.root)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "compared by ID and digest only" in result.stdout
    assert result.stderr == ""
