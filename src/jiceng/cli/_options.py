"""Arguments several commands share: the package a command reads or writes, --progress.

Turning an argument into a directory is the command line's business (the library
functions all take a directory), so it lives here rather than in each command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

REPORT_FORMATS = ("text", "github", "json")


def package_directory(argument: str | None) -> tuple[Path, str]:
    """Resolve PATH to the package directory and the prefix used in messages."""
    if argument is None:
        from ..bundle import package_root

        return package_root(), ""
    path = Path(argument)
    if path.name == "datapackage.json":
        path = path.parent
    display = str(path) if str(path) != "." else ""
    return path, display


def add_package_arguments(command: argparse.ArgumentParser, default: str, path_help: str = "package directory") -> None:
    """The package a command works on, spelt either way: PATH, or ``--package DIR`` (the
    one spelling every command takes; ``main`` turns either into ``arguments.path``)."""
    command.add_argument("path", nargs="?", metavar="PATH", help=f"{path_help} (default: {default})")
    command.add_argument("--package", metavar="DIR", help="the package directory, as PATH")


def one_package(arguments: argparse.Namespace) -> str | None:
    """Why PATH and ``--package DIR`` cannot both be taken (they name different
    directories), or None after setting both to the one given."""
    path, package = getattr(arguments, "path", None), getattr(arguments, "package", None)
    if path and package and Path(path).resolve() != Path(package).resolve():
        return f"PATH {path} and --package {package} name different directories; give one of them"
    arguments.path = arguments.package = path or package
    return None


def writable_package(argument: str | None, command: str, option: str = "", writes: bool = True) -> Path | None:
    """The package directory a contributor's command works on (default: the source
    checkout); None, after saying why, when it holds no package, or when the command
    ``writes`` and the default would be the copy installed with jiceng (a contributor's
    rows would vanish into site-packages); a mode that only reads (``locate`` without
    --write, ``fmt --check``) reads the installed copy. ``option`` is how the command takes
    the directory (``--package``), for the hint."""
    import os

    from ..bundle import PACKAGE_VARIABLE, default_package, repository_root

    if writes and argument is None and not os.environ.get(PACKAGE_VARIABLE) and repository_root() is None:
        here = ""
        if Path("datapackage.json").is_file():
            here = f" (this directory holds one: add `{option + ' ' if option else ''}.` to the command)"
        print(f"jiceng {command}: this jiceng is installed, not run from a source checkout, so it has no "
              f"package of yours to write to; give the package directory{here}, or install your checkout "
              "with `pip install -e '.[contrib]'`", file=sys.stderr)
        return None
    root = Path(argument) if argument else default_package()
    if not (root / "data" / "sources.csv").is_file():
        print(f"jiceng {command}: {root}: no data/sources.csv here; give the package directory "
              "(the folder that holds datapackage.json)", file=sys.stderr)
        return None
    return root


def add_progress_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                         help="report each table as it is read, on standard error (default: only when "
                         "standard error is a terminal)")


def progress_of(arguments: argparse.Namespace) -> Any:
    from ..progress import Progress

    wanted = sys.stderr.isatty() if arguments.progress is None else arguments.progress
    return Progress(sys.stderr, live=sys.stderr.isatty()) if wanted else None
