"""The ``jiceng`` command line: verb-first subcommands, one module per command.

Every command reports bad input as ``path:line:column: [check] message`` lines and exits
with status 1; no command prints a traceback for bad input or changes a file it was
not asked to write.

A command is a module of this package (any module whose name does not start with ``_``)
that defines ``NAME``, ``ORDER`` (its place in ``jiceng --help``), ``add_parser(subparsers)``
returning its parser, and ``run(arguments) -> int``. :func:`command_modules` discovers
them, so adding a command is adding one module. Commands only turn arguments into calls of
the library and print what it returns; the rules and the wording live in the library.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import pkgutil
import sys
from types import ModuleType

from ..version import __version__

DESCRIPTION = ("jiceng 基层: validate and maintain the data package of Chinese local "
               "Party committees' reports on urban grassroots governance.")


@functools.cache
def command_modules() -> dict[str, ModuleType]:
    """Command name → its module, in the order of ``jiceng --help``."""
    modules = [importlib.import_module(f"{__name__}.{info.name}")
               for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")]
    return {module.NAME: module for module in sorted(modules, key=lambda module: module.ORDER)}


def command_names() -> list[str]:
    """The subcommands, in the order of ``jiceng --help``."""
    return list(command_modules())


def parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The ``jiceng`` parser and each command's own parser."""
    parser = argparse.ArgumentParser(prog="jiceng", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"jiceng {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser, {name: module.add_parser(subparsers) for name, module in command_modules().items()}


def build_parser() -> argparse.ArgumentParser:
    return parsers()[0]


def help_text(command: str | None = None, columns: int = 80) -> str:
    """What ``jiceng [COMMAND] --help`` prints in a terminal ``columns`` wide (the site's
    command reference shows it, so the page and the command cannot differ)."""
    parser, commands = parsers()
    target = parser if command is None else commands[command]
    # argparse wraps to the terminal's width less two columns
    target.formatter_class = functools.partial(argparse.HelpFormatter, width=columns - 2)
    return target.format_help()


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return 1
    if hasattr(arguments, "path") and hasattr(arguments, "package"):
        from ._options import one_package

        refusal = one_package(arguments)
        if refusal:
            print(f"jiceng {arguments.command}: {refusal}", file=sys.stderr)
            return 1
    try:
        return command_modules()[arguments.command].run(arguments)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0

