"""The README's promises: two commands, .ci/run runs the test one verbatim, counts are current."""

from __future__ import annotations

import re

import pytest

from jiceng.bundle import repository_root
from jiceng.stats import counts_markdown, readme_counts

CHECKOUT = repository_root()
pytestmark = pytest.mark.skipif(CHECKOUT is None, reason="needs the source checkout")


def readme() -> str:
    return (CHECKOUT / "README.md").read_text(encoding="utf-8")


def two_commands() -> list[str]:
    section = readme().split("## The two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)


def test_readme_gives_exactly_two_commands():
    commands = two_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "jiceng validate" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (CHECKOUT / ".ci" / "run").read_text(encoding="utf-8")
    assert two_commands()[1] in ci.splitlines()


def test_readme_row_counts_are_those_of_the_data():
    assert readme_counts(readme()) == counts_markdown(CHECKOUT), "run `jiceng info --update-readme`"


def test_changelog_and_citation_name_the_current_version():
    import jiceng

    assert f"## {jiceng.__version__}" in (CHECKOUT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"version: {jiceng.__version__}" in (CHECKOUT / "CITATION.cff").read_text(encoding="utf-8")
