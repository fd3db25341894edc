"""Every command takes the package it works on as `--package DIR`, and the commands that
read a package also as PATH; the help says what `jiceng validate` checks, layer by layer;
the docs say which command takes which spelling, and why labels are on or off by default."""

from __future__ import annotations

import re

import pytest

import jiceng
import jiceng.cli as cli
from jiceng.bundle import repository_root
from jiceng.validate.report import LAYERS

CHECKOUT = repository_root()


def takes(command: str) -> set[str]:
    """How a command's parser takes the package: 'PATH' (positional) and '--package'."""
    _, parsers = cli.parsers()
    found = set()
    for action in parsers[command]._actions:
        if action.dest == "path" and not action.option_strings:
            found.add("PATH")
        if "--package" in action.option_strings:
            found.add("--package")
    return found


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_validate_help_names_every_layer_it_runs(layer):
    name = LAYERS[layer].split(":")[0]
    assert name.lower() in cli.help_text("validate").replace("\n", " ").lower(), name


def test_top_level_help_says_validate_checks_completeness_and_consistency():
    text = " ".join(cli.help_text().split())
    assert "completeness" in text and "consistency" in text


def test_audit_reads_the_package_given_with_package_as_with_a_path(run_cli, package_copy):
    by_option = run_cli("audit", "--package", str(package_copy.root))
    by_path = run_cli("audit", str(package_copy.root))
    assert by_option.exit_code == by_path.exit_code == 0, by_option.out + by_option.err
    assert by_option.out == by_path.out and str(package_copy.root) in by_option.out


def test_info_takes_a_path_as_well_as_package(run_cli, package_copy):
    package_copy.write_rows("glossary", package_copy.rows("glossary")[:3])
    by_path = run_cli("info", str(package_copy.root), "--counts-markdown")
    assert by_path.exit_code == 0, by_path.err
    assert by_path.out == run_cli("info", "--package", str(package_copy.root), "--counts-markdown").out
    assert "| glossary | 3 |" in by_path.out


def test_a_path_and_a_different_package_are_refused(run_cli, package_copy, tmp_path):
    outcome = run_cli("validate", str(package_copy.root), "--package", str(tmp_path))
    assert outcome.exit_code == 1 and "Traceback" not in outcome.err
    assert "name different directories; give one of them" in outcome.err


@pytest.mark.skipif(CHECKOUT is None, reason="reads the checkout's CONTRIBUTING.md")
@pytest.mark.parametrize("page", ["CONTRIBUTING.md", "docs/contributing.md"])
def test_the_contributing_guide_names_exactly_the_commands_that_take_a_path(page):
    text = " ".join((CHECKOUT / page).read_text(encoding="utf-8").split())
    match = re.search(r"`--package DIR` \(((?:`[a-z-]+`,? (?:and )?)+)also take it as a path", text)
    assert match, f"{page} no longer says which commands take PATH"
    named = set(re.findall(r"`([a-z-]+)`", match[1]))
    assert named == {command for command in cli.command_names() if "PATH" in takes(command)}
    assert all("--package" in takes(command) for command in cli.command_names() if command not in ("diff", "export"))


def test_docstrings_say_why_labels_are_off_for_tables_and_on_for_views():
    def doc(function) -> str:
        return " ".join(function.__doc__.split())

    assert "``labels`` is False by default, unlike ``view()`` and ``district()``" in doc(jiceng.load)
    assert "Labels are off by default" in doc(jiceng.metrics)
    assert "``load()``" in doc(jiceng.view) and "True by default" in doc(jiceng.district)
