"""A new source goes from a text file to a green package with no test edited.

The invented fixture essay (tests/fixtures/invented_essay, never part of the data) is added
to a copy of the package with ``add-source`` and ``draft``; the curator's reviewed rows
replace the drafts; then every check a pull request must pass is run on the copy, and the
tests that read the bundled data are run against it through ``JICENG_PACKAGE``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_package

from jiceng.bundle import repository_root
from jiceng_site.walkthrough import review

FIXTURE = Path(__file__).parent / "fixtures" / "invented_essay"
DOCUMENT = "0f1c2e3d4b5a6978"
CHECKOUT = repository_root() or Path(__file__).resolve().parents[1]
# Tests that read the bundled data (directly or through a copy of it), run on the new package.
DATA_TESTS = ("test_districts.py", "test_loading.py", "test_locate.py", "test_progress.py", "test_audit.py",
              "test_messages.py")


@pytest.fixture(scope="module")
def curated(tmp_path_factory) -> Path:
    from jiceng.cli import main

    root = copy_package(tmp_path_factory.mktemp("new-source") / "package")
    if (CHECKOUT / "releases").is_dir():
        shutil.copytree(CHECKOUT / "releases", root / "releases")
    if (CHECKOUT / "README.md").is_file():
        shutil.copy2(CHECKOUT / "README.md", root / "README.md")
    assert main(["add-source", str(FIXTURE / "essay.txt"), "--district", "610113", "--document-id", DOCUMENT,
                 "--package", str(root)]) == 0
    assert main(["draft", DOCUMENT, "--package", str(root)]) == 0
    review(root, CHECKOUT)  # what the curator does by hand: the drafts become the reviewed rows
    assert main(["locate", "--write", str(root)]) == 0
    return root


@pytest.mark.parametrize("command", [("validate",), ("audit",), ("fmt", "--check"), ("locate",)])
def test_the_new_source_passes_every_check(run_cli, curated, command):
    outcome = run_cli(*command, str(curated))
    assert outcome.exit_code == 0, outcome.out + outcome.err


@pytest.mark.skipif(not (CHECKOUT / "releases").is_dir(), reason="release snapshots live in the source checkout")
def test_the_new_source_keeps_every_released_id(run_cli, curated):
    outcome = run_cli("validate", "--against", "releases", str(curated))
    assert outcome.exit_code == 0, outcome.out
    assert "every one still there" in outcome.out


@pytest.mark.skipif(not (CHECKOUT / "README.md").is_file(), reason="the README lives in the source checkout")
def test_update_readme_counts_the_new_district(run_cli, curated):
    assert run_cli("info", "--update-readme", "--package", str(curated)).exit_code == 0
    assert "| 雁塔区 Yanta District | 610113 |" in (curated / "README.md").read_text(encoding="utf-8")


def test_the_tests_that_read_the_data_pass_on_the_new_package(curated):
    environment = {**os.environ, "JICENG_PACKAGE": str(curated)}
    tests = [str(Path(__file__).parent / name) for name in DATA_TESTS]
    outcome = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", "-p", "no:cacheprovider", *tests],
        env=environment, capture_output=True, text=True, cwd=curated)
    assert outcome.returncode == 0, outcome.stdout[-3000:] + outcome.stderr[-2000:]
    assert " passed" in outcome.stdout


def test_the_walkthrough_runs_each_command_in_a_copy_and_ends_green():
    from conftest import tree_digest
    from jiceng_site.walkthrough import STEPS, walkthrough

    before = tree_digest(CHECKOUT / "data")
    page = walkthrough(CHECKOUT)
    assert tree_digest(CHECKOUT / "data") == before
    commands = [arguments for purpose, arguments in STEPS if purpose]
    assert page.count("$ jiceng ") == len(commands)
    assert page.count("exit status 0") == len(commands) - 1  # only the check while drafts lack categories fails
    assert "jiceng validate .: " in page and ": valid" in page
    verdict = next(line for line in page.splitlines() if line.startswith("jiceng audit .: "))
    assert verdict.startswith("jiceng audit .: no unrecorded problems; ")  # the figures that disagree are annotated
    assert "0f1c2e3d4b5a6978-1-c001 disagrees, recorded as annotation 0f1c2e3d4b5a6978-1-a002" in verdict
