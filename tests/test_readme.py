"""The README's promises: two commands, .ci/run runs the test one verbatim, counts are current."""

from __future__ import annotations

import datetime
import doctest
import re
import subprocess

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


def python_examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", readme(), flags=re.S)


def test_every_python_example_of_the_readme_shows_its_results():
    examples = python_examples()
    assert examples
    for example in examples:
        parsed = doctest.DocTestParser().get_examples(example)
        assert parsed and all(item.want for item in parsed if "import" not in item.source
                              and not re.match(r"\w+ = ", item.source)), example


def test_python_examples_of_the_readme_give_the_results_they_show():
    """Run in order in one session, as a reader types them."""
    globs: dict = {}
    for number, example in enumerate(python_examples(), start=1):
        test = doctest.DocTestParser().get_doctest(example, globs, f"README.md example {number}", "README.md", 0)
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        output: list[str] = []
        runner.run(test, out=output.append, clear_globs=False)
        assert runner.failures == 0 and runner.tries > 0, "".join(output)
        globs = test.globs


def release_commit_date(version: str) -> str | None:
    """The day the release's ID snapshot was committed (YYYY-MM-DD), from git."""
    result = subprocess.run(["git", "log", "--diff-filter=A", "--format=%cs", "--", f"releases/{version}/ids.json"],
                            capture_output=True, text=True, cwd=CHECKOUT)
    dates = result.stdout.split()
    return dates[-1] if result.returncode == 0 and dates else None


def test_citation_file_is_valid_cff_dated_on_its_release():
    import yaml

    import jiceng

    citation = yaml.safe_load((CHECKOUT / "CITATION.cff").read_text(encoding="utf-8"))
    assert {"cff-version", "message", "title", "authors"} <= set(citation)
    assert citation["cff-version"] == "1.2.0" and citation["version"] == jiceng.__version__
    released = citation["date-released"]
    assert isinstance(released, datetime.date), "date-released must be a YYYY-MM-DD date"
    expected = release_commit_date(jiceng.__version__)
    if expected is None:
        pytest.skip("no git history of the release")
    assert released.isoformat() == expected


def test_citation_file_leaves_the_repository_address_for_the_maintainers():
    import yaml

    text = (CHECKOUT / "CITATION.cff").read_text(encoding="utf-8")
    assert "repository-code" not in yaml.safe_load(text), "an invented address would be cited"
    assert re.search(r"^# repository-code: ", text, flags=re.M)
