"""A command is one module of ``jiceng.cli``: the parser, ``--help``, dispatch and the
site's command reference all find it there, with no list to edit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import jiceng.cli as cli
from jiceng_site.pages import cli_page

GREET = '''
"""``jiceng greet``: a command that exists only in this test."""

import argparse

NAME = "greet"
ORDER = 1000


def add_parser(subparsers) -> argparse.ArgumentParser:
    greet = subparsers.add_parser(NAME, help="say hello to a district", description="Greets one district by code.")
    greet.add_argument("code", help="a GB/T 2260 code")
    return greet


def run(arguments: argparse.Namespace) -> int:
    print(f"hello {arguments.code}")
    return 3
'''


@pytest.fixture
def greet_command(tmp_path, monkeypatch):
    """A command module in a folder added to the cli package's search path (the checkout is untouched)."""
    (tmp_path / "greet.py").write_text(textwrap.dedent(GREET), encoding="utf-8")
    monkeypatch.setattr(cli, "__path__", [*cli.__path__, str(tmp_path)])
    cli.command_modules.cache_clear()
    yield
    cli.command_modules.cache_clear()
    sys.modules.pop("jiceng.cli.greet", None)


def test_a_new_command_module_is_parsed_dispatched_and_listed(greet_command, capsys):
    assert cli.main(["greet", "220521"]) == 3
    assert capsys.readouterr().out == "hello 220521\n"
    assert cli.command_names()[-1] == "greet"
    assert "greet" in cli.help_text() and "say hello to a district" in cli.help_text()
    assert "Greets one district by code." in cli.help_text("greet")


def test_the_site_documents_a_new_command_from_its_own_help(greet_command):
    page = cli_page()
    assert "## `jiceng greet`" in page
    assert "usage: jiceng greet [-h] code" in page


def test_commands_are_listed_in_the_order_they_declare():
    orders = [cli.command_modules()[name].ORDER for name in cli.command_names()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert cli.command_names()[:3] == ["validate", "audit", "locate"]


def test_help_text_is_what_the_command_prints_in_a_terminal_that_wide():
    environment = {**os.environ, "COLUMNS": "61"}
    printed = subprocess.run([sys.executable, "-m", "jiceng", "audit", "--help"], capture_output=True, text=True,
                             env=environment, check=True).stdout
    assert cli.help_text("audit", 61) == printed
    assert cli.help_text("audit", 61) != cli.help_text("audit", 100)
