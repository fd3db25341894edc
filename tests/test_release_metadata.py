"""`jiceng release` follows CONTRIBUTING.md's way of cutting a release: it refuses, writing
nothing, while CITATION.cff or the CHANGELOG's newest version heading still names another
version, and its summary lists every change per table."""

from __future__ import annotations

import pytest
from conftest import set_version

CITATION = """cff-version: 1.2.0
title: "jiceng"
type: dataset
version: {version}
date-released: 2026-11-30
"""

CHANGELOG = """# Changelog

## Unreleased

## {newest} — a release

### Data added

- rows

## 0.0.1 — first release
"""


def release_files(root, citation: str, newest: str) -> None:
    (root / "CITATION.cff").write_text(CITATION.format(version=citation), encoding="utf-8")
    (root / "CHANGELOG.md").write_text(CHANGELOG.format(newest=newest), encoding="utf-8")


@pytest.mark.parametrize(("citation", "newest", "named"), [
    ("0.80.0", "0.81.0", "CITATION.cff says version 0.80.0; set `version: 0.81.0`"),
    ("0.81.0", "0.80.0", "its newest version heading is 0.80.0; move *Unreleased* under a heading `## 0.81.0`"),
])
def test_release_refuses_metadata_that_names_another_version_and_writes_nothing(run_cli, package_copy, citation,
                                                                                 newest, named):
    set_version(package_copy.root, "0.81.0")
    release_files(package_copy.root, citation, newest)
    outcome = run_cli("release", str(package_copy.root))
    assert outcome.exit_code == 1
    assert named in outcome.err and "Traceback" not in outcome.err
    assert not (package_copy.root / "releases" / "0.81.0").exists()


def test_a_changelog_without_a_version_heading_is_refused(run_cli, package_copy):
    set_version(package_copy.root, "0.81.0")
    release_files(package_copy.root, "0.81.0", "0.81.0")
    (package_copy.root / "CHANGELOG.md").write_text("# Changelog\n\n## Unreleased\n", encoding="utf-8")
    outcome = run_cli("release", str(package_copy.root))
    assert outcome.exit_code == 1 and "it has no version heading" in outcome.err


def test_release_with_agreeing_metadata_lists_added_changed_and_withdrawn_rows_per_table(run_cli, package_copy):
    set_version(package_copy.root, "0.80.0")
    release_files(package_copy.root, "0.80.0", "0.80.0")
    assert run_cli("release", str(package_copy.root)).exit_code == 0
    glossary = package_copy.rows("glossary")
    glossary[0]["status"] = "withdrawn"
    glossary[1]["usage_note"] = "A corrected note."
    glossary.append({**glossary[2], "term_id": "g-a-new-term", "term_zh": "新术语", "term_en": "new term"})
    package_copy.write_rows("glossary", glossary)
    set_version(package_copy.root, "0.81.0")
    release_files(package_copy.root, "0.81.0", "0.81.0")
    outcome = run_cli("release", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.err
    summary = outcome.lines()[outcome.lines().index("since 0.80.0 (needs at least a minor release):") + 1:]
    assert summary == ["  glossary: 1 row(s) withdrawn", "  glossary: 1 row(s) added", "  glossary: 1 row(s) changed",
                       summary[-1]]
    assert summary[-1].startswith("record them in CHANGELOG.md")
