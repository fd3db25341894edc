"""Stable IDs and release snapshots: `jiceng release` and `jiceng validate --against OLD`."""

from __future__ import annotations

import json
import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

import jiceng
from conftest import set_version

from jiceng.bundle import repository_root
from jiceng.releases import (
    Identity,
    ReleaseError,
    RowDigest,
    Snapshot,
    TableSnapshot,
    bump_between,
    check_against,
    dump_snapshot,
    effective,
    load_snapshot,
    record_release,
    recorded_releases,
    required_bump,
    snapshot_of_package,
)

CHECKOUT = repository_root()
NEW_TERM = {"term_id": "g-test-term", "term_zh": "测试词", "term_en": "test term",
            "definition_en": "A term added by a test.", "usage_note": "", "status": "active"}


def git(cwd: Path, *arguments: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org",
                             "-c", "init.defaultBranch=main", *arguments],
                            cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout


def committed(root: Path) -> Path:
    """Make a package copy a git repository with one commit."""
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "release")
    return root


def released(run_cli, package_copy) -> Path:
    """Record the copy's current state as its release; return the snapshot file."""
    outcome = run_cli("release", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out + outcome.err
    return package_copy.root / "releases" / jiceng.__version__ / "ids.json"


def stable_id_lines(outcome) -> list[str]:
    return [line for line in outcome.lines() if "[stable-id]" in line]


def against(run_cli, package_copy, old: str | Path):
    outcome = run_cli("validate", str(package_copy.root), "--against", str(old))
    assert "Traceback" not in outcome.out + outcome.err
    return outcome


def sibling_metrics(rows: list[dict[str, str]]) -> tuple[int, int]:
    """Two metrics that share one quote: only a finer identity tells them apart."""
    by_span = defaultdict(list)
    for index, row in enumerate(rows):
        by_span[(row["source_id"], row["quote_start"], row["quote_end"])].append(index)
    return next(tuple(indexes[:2]) for indexes in by_span.values() if len(indexes) > 1)


# --- the committed snapshot --------------------------------------------------------------


@pytest.mark.skipif(CHECKOUT is None, reason="needs the source checkout")
def test_the_current_version_has_its_committed_release_snapshot():
    releases = recorded_releases(CHECKOUT / "releases")
    assert jiceng.__version__ in [path.parent.name for path in releases.values()], \
        "run `jiceng release` after bumping the version"
    assert list(releases.values())[-1].parent.name == jiceng.__version__


@pytest.mark.skipif(CHECKOUT is None, reason="needs the source checkout")
def test_current_data_keeps_every_id_of_the_newest_release(run_cli):
    outcome = run_cli("validate", "--against", str(CHECKOUT / "releases"))
    assert outcome.exit_code == 0, outcome.out
    assert not stable_id_lines(outcome)


@pytest.mark.skipif(CHECKOUT is None, reason="needs the source checkout")
def test_snapshot_lists_every_id_on_its_own_line_and_reads_back():
    (path,) = [p for p in recorded_releases(CHECKOUT / "releases").values() if p.parent.name == jiceng.__version__]
    text = path.read_text(encoding="utf-8")
    snapshot = load_snapshot(path)
    assert dump_snapshot(snapshot) == text
    entry_lines = [line.strip().rstrip(",") for line in text.splitlines() if line.startswith(" " * 8 + '"')]
    assert len(entry_lines) == sum(len(table.rows) for table in snapshot.tables.values())
    assert all(json.loads("{" + line + "}") for line in entry_lines)


# --- validate --against ------------------------------------------------------------------


def test_deleted_id_fails_against_the_release(run_cli, package_copy):
    snapshot = released(run_cli, package_copy)
    rows = package_copy.rows("glossary")
    deleted = rows.pop(0)["term_id"]
    package_copy.write_rows("glossary", rows)
    outcome = against(run_cli, package_copy, snapshot.parent)
    assert outcome.exit_code == 1
    (line,) = stable_id_lines(outcome)
    assert line.startswith(f"{package_copy.root / 'data/glossary.csv'}:1:1: [stable-id] ID {deleted} ")
    # the release is named as the user gave it, with its version
    assert re.search(rf"ID {deleted} of \S+ \(\d+\.\d+\.\d+\) is missing", line), line


def test_renamed_id_fails_against_the_release(run_cli, package_copy):
    snapshot = released(run_cli, package_copy)
    rows = package_copy.rows("glossary")
    old_id = rows[3]["term_id"]
    rows[3]["term_id"] = old_id + "-renamed"
    package_copy.write_rows("glossary", rows)
    outcome = against(run_cli, package_copy, snapshot)
    assert outcome.exit_code == 1
    assert [line for line in stable_id_lines(outcome) if f"ID {old_id} " in line and "missing" in line]


def test_withdrawn_row_passes_against_the_release(run_cli, package_copy):
    snapshot = released(run_cli, package_copy)
    rows = package_copy.rows("metrics")
    rows[0]["status"] = "withdrawn"
    rows[0]["notes"] = "Withdrawn by a test."
    package_copy.write_rows("metrics", rows)
    outcome = against(run_cli, package_copy, snapshot)
    assert outcome.exit_code == 0, outcome.out
    assert outcome.lines()[-1].endswith(": valid")


def test_json_report_lists_stable_id_problems(run_cli, package_copy):
    snapshot = released(run_cli, package_copy)
    rows = package_copy.rows("glossary")
    deleted = rows.pop(0)["term_id"]
    package_copy.write_rows("glossary", rows)
    outcome = run_cli("validate", str(package_copy.root), "--against", str(snapshot), "--format", "json")
    report = json.loads(outcome.out)
    assert outcome.exit_code == 1 and report["valid"] is False
    (problem,) = [problem for problem in report["problems"] if problem["check"] == "stable-id"]
    assert deleted in problem["message"] and problem["path"].endswith("data/glossary.csv")


def test_id_reused_for_another_term_fails_at_the_cell_that_changed(run_cli, package_copy):
    snapshot = released(run_cli, package_copy)
    rows = package_copy.rows("glossary")
    reused = rows[0]["term_id"]
    cell = package_copy.set_cell("glossary", 0, "term_zh", "完全不同的术语")
    outcome = against(run_cli, package_copy, snapshot)
    assert outcome.exit_code == 1
    place = f"{package_copy.root / cell.path}:{cell.line}:{cell.column}"
    expected = f"{place}: [stable-id] ID {reused} now names a different thing"
    (line,) = [line for line in outcome.lines() if line.startswith(expected)]
    assert line.endswith("IDs are never reused: restore the released row (or withdraw it) and give the new row "
                         "a new ID")


def test_swapping_the_ids_of_two_metrics_in_one_quote_fails_for_both(run_cli, package_copy):
    snapshot = released(run_cli, package_copy)
    rows = package_copy.rows("metrics")
    first, second = sibling_metrics(rows)
    ids = rows[first]["metric_id"], rows[second]["metric_id"]
    rows[first]["metric_id"], rows[second]["metric_id"] = ids[1], ids[0]
    package_copy.write_rows("metrics", rows)
    outcome = against(run_cli, package_copy, snapshot)
    assert outcome.exit_code == 1
    flagged = " ".join(stable_id_lines(outcome))
    assert f"ID {ids[0]} now names a different thing" in flagged
    assert f"ID {ids[1]} now names a different thing" in flagged
    assert "value_text position" in flagged


def test_a_corrected_quote_that_still_overlaps_names_the_same_thing(package_copy):
    old = snapshot_of_package(package_copy.root)
    rows = package_copy.rows("initiatives")
    rows[0]["quote_end"] = str(int(rows[0]["quote_end"]) - 1)
    rows[0]["quote"] = rows[0]["quote"][:-1]
    rows[0]["name_en"] = "A corrected English name"
    package_copy.write_rows("initiatives", rows)
    assert check_against(package_copy.root, old) == []


def test_an_initiative_moved_to_another_passage_with_new_names_is_another_thing(package_copy):
    old = snapshot_of_package(package_copy.root)
    rows = package_copy.rows("initiatives")
    far = max(rows, key=lambda row: int(row["quote_start"]))
    rows[0].update(quote_start=far["quote_start"], quote_end=far["quote_end"], quote=far["quote"],
                   name_zh=far["name_zh"], name_en=far["name_en"])
    package_copy.write_rows("initiatives", rows)
    (finding,) = check_against(package_copy.root, old)
    assert finding.path == "data/initiatives.csv" and finding.line == 2
    assert rows[0]["initiative_id"] in finding.message


def test_against_a_git_revision_fails_for_a_deleted_id(run_cli, package_copy):
    committed(package_copy.root)
    rows = package_copy.rows("glossary")
    deleted = rows.pop()["term_id"]
    package_copy.write_rows("glossary", rows)
    outcome = against(run_cli, package_copy, "HEAD")
    assert outcome.exit_code == 1
    assert [line for line in stable_id_lines(outcome) if f"ID {deleted} " in line]
    assert against(run_cli, package_copy, "HEAD~0").exit_code == 1


def test_against_a_git_revision_passes_when_ids_are_kept(run_cli, package_copy):
    committed(package_copy.root)
    package_copy.set_cell("glossary", 0, "usage_note", "A corrected usage note.")
    outcome = against(run_cli, package_copy, "HEAD")
    assert outcome.exit_code == 0, outcome.out


def test_against_outside_a_git_repository_is_a_clear_message(run_cli, package_copy):
    outcome = against(run_cli, package_copy, "v0.1.0")
    assert outcome.exit_code == 1
    assert "v0.1.0" in outcome.err and "not in a git repository" in outcome.err


def test_against_releases_run_elsewhere_uses_the_releases_beside_the_package(run_cli, package_copy, tmp_path,
                                                                             monkeypatch):
    released(run_cli, package_copy)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    rows = package_copy.rows("glossary")
    deleted = rows.pop()["term_id"]
    package_copy.write_rows("glossary", rows)
    outcome = run_cli("validate", str(package_copy.root), "--against", "releases")
    assert outcome.exit_code == 1, outcome.out + outcome.err
    assert any(deleted in line for line in stable_id_lines(outcome))
    assert f"of {package_copy.root / 'releases'}" in outcome.out


def test_against_releases_found_nowhere_says_where_it_looked(run_cli, package_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = run_cli("validate", str(package_copy.root), "--against", "releases")
    assert outcome.exit_code == 1
    assert f"releases was looked for in {tmp_path} and in {package_copy.root}" in outcome.err
    assert "kept in a checkout of the repository" in outcome.err


def test_against_an_unknown_revision_is_a_clear_message(run_cli, package_copy):
    committed(package_copy.root)
    outcome = against(run_cli, package_copy, "no-such-branch")
    assert outcome.exit_code == 1
    assert "no-such-branch: no such directory, file or git revision" in outcome.err


def test_against_a_directory_that_is_no_package_is_a_clear_message(run_cli, package_copy, tmp_path):
    (tmp_path / "empty").mkdir()
    outcome = against(run_cli, package_copy, tmp_path / "empty")
    assert outcome.exit_code == 1
    assert "neither a package directory" in outcome.err


# --- jiceng release ------------------------------------------------------------------------


def test_release_is_idempotent_and_never_rewritten(run_cli, package_copy):
    snapshot = released(run_cli, package_copy)
    before = snapshot.read_text(encoding="utf-8")
    again = run_cli("release", str(package_copy.root))
    assert again.exit_code == 0 and "already recorded" in again.out
    package_copy.set_cell("glossary", 0, "usage_note", "Changed after the release.")
    refused = run_cli("release", str(package_copy.root))
    assert refused.exit_code == 1
    assert "never rewritten" in refused.err
    assert snapshot.read_text(encoding="utf-8") == before


def test_release_refuses_an_invalid_package(run_cli, package_copy):
    package_copy.set_cell("metrics", 0, "quote_start", "not a number")
    outcome = run_cli("release", str(package_copy.root))
    assert outcome.exit_code == 1 and "problem(s)" in outcome.err
    assert not (package_copy.root / "releases").exists()


def test_record_release_from_python_passes_the_same_gate_as_the_command(package_copy):
    package_copy.set_cell("metrics", 0, "quote_start", "not a number")
    releases = package_copy.root / "releases"
    with pytest.raises(ReleaseError, match=r"the package has \d+ problem\(s\); run `jiceng validate`"):
        record_release(package_copy.root, releases)
    assert not releases.exists()


def test_record_release_refuses_a_package_of_another_version_when_one_is_expected(package_copy):
    with pytest.raises(ReleaseError, match=r"datapackage.json says version .* but jiceng is 9.9.9"):
        record_release(package_copy.root, package_copy.root / "releases", expected_version="9.9.9")


def test_added_rows_need_a_minor_release_not_a_patch(run_cli, package_copy):
    released(run_cli, package_copy)
    package_copy.write_rows("glossary", package_copy.rows("glossary") + [NEW_TERM])
    major, minor, patch = (int(part) for part in jiceng.__version__.split("."))
    patch_release, minor_release = f"{major}.{minor}.{patch + 1}", f"{major}.{minor + 1}.0"
    set_version(package_copy.root, patch_release)
    refused = run_cli("release", str(package_copy.root))
    assert refused.exit_code == 1
    assert (f"{jiceng.__version__} → {patch_release} is a patch release, but the changes need a minor one: "
            "glossary: 1 row(s) added") in refused.err
    set_version(package_copy.root, minor_release)
    accepted = run_cli("release", str(package_copy.root))
    assert accepted.exit_code == 0, accepted.err
    assert load_snapshot(package_copy.root / f"releases/{minor_release}/ids.json").tables["glossary"].rows["g-test-term"]


def test_release_refuses_to_break_the_stable_id_rule(run_cli, package_copy):
    released(run_cli, package_copy)
    rows = package_copy.rows("glossary")
    rows[0]["term_id"] = "g-renamed-term"
    package_copy.write_rows("glossary", rows)
    set_version(package_copy.root, "1.0.0")
    outcome = run_cli("release", str(package_copy.root))
    assert outcome.exit_code == 1
    assert "[stable-id]" in outcome.err
    assert not (package_copy.root / "releases/1.0.0").exists()


def test_release_of_a_git_revision_records_that_revision(run_cli, package_copy):
    committed(package_copy.root)
    expected = snapshot_of_package(package_copy.root)
    package_copy.set_cell("glossary", 0, "usage_note", "Edited after the commit.")
    outcome = run_cli("release", str(package_copy.root), "--revision", "HEAD")
    assert outcome.exit_code == 0, outcome.err
    recorded = load_snapshot(package_copy.root / "releases" / jiceng.__version__ / "ids.json")
    assert dump_snapshot(recorded) == dump_snapshot(expected)


def snapshot(rows: dict[str, RowDigest], columns: list[str] | None = None) -> Snapshot:
    table = TableSnapshot("data/glossary.csv", "term_id", columns or ["term_id"], None, rows)
    return Snapshot("1.0.0", {"glossary": table})


def entry(status: str = "active", digest: str = "d1") -> RowDigest:
    return RowDigest(status, Identity(names=("词",)), digest)


@pytest.mark.parametrize(
    ("after", "columns", "bump"),
    [
        ({"g-a": entry()}, None, None),
        ({"g-a": entry(digest="d2")}, None, "patch"),
        ({"g-a": entry(), "g-b": entry()}, None, "minor"),
        ({"g-a": entry()}, ["term_id", "new_column"], "minor"),
        ({"g-a": entry(status="withdrawn")}, None, "major"),
        ({}, None, "major"),
    ],
    ids=["unchanged", "corrected", "added", "column-added", "withdrawn", "missing"],
)
def test_required_bump_follows_the_changelog_policy(after, columns, bump):
    assert required_bump(snapshot({"g-a": entry()}), snapshot(after, columns))[0] == bump


def test_bump_between_versions():
    assert bump_between("0.1.0", "0.1.1") == "patch"
    assert bump_between("0.1.0", "0.2.0") == "minor"
    assert bump_between("0.9.3", "1.0.0") == "major"
    assert bump_between("0.2.0", "0.1.9") is None


@pytest.mark.parametrize(("needed", "previous", "required"), [
    ("major", "0.1.0", "minor"),
    ("major", "0.9.12", "minor"),
    ("major", "1.0.0", "major"),
    ("major", "2.3.4", "major"),
    ("minor", "0.1.0", "minor"),
    ("minor", "1.2.3", "minor"),
    ("patch", "0.1.0", "patch"),
    ("patch", "1.0.0", "patch"),
])
def test_a_breaking_change_needs_only_a_minor_bump_before_1_0(needed, previous, required):
    assert effective(needed, previous) == required


def withdraw_first_term(package_copy) -> None:
    rows = package_copy.rows("glossary")
    rows[0]["status"] = "withdrawn"
    package_copy.write_rows("glossary", rows)


def test_withdrawing_a_row_before_1_0_is_released_as_a_minor_version(run_cli, package_copy):
    # versions above any bundled release, so the test holds whatever the bundled version is
    set_version(package_copy.root, "0.90.0")
    assert run_cli("release", str(package_copy.root)).exit_code == 0
    withdraw_first_term(package_copy)
    set_version(package_copy.root, "0.91.0")
    outcome = run_cli("release", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.err
    assert "since 0.90.0 (needs at least a minor release):" in outcome.lines()
    assert "  glossary: 1 row(s) withdrawn" in outcome.lines()


def test_withdrawing_a_row_after_1_0_needs_a_major_version(run_cli, package_copy):
    set_version(package_copy.root, "1.0.0")
    assert run_cli("release", str(package_copy.root)).exit_code == 0
    withdraw_first_term(package_copy)
    set_version(package_copy.root, "1.1.0")
    refused = run_cli("release", str(package_copy.root))
    assert refused.exit_code == 1
    assert "1.0.0 → 1.1.0 is a minor release, but the changes need a major one: " in refused.err
    set_version(package_copy.root, "2.0.0")
    assert run_cli("release", str(package_copy.root)).exit_code == 0
